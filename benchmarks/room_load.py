"""A hundred phones vote a 33-indicator round at once through the room, on loopback.

Run from the repository root::

    python benchmarks/room_load.py                  # 100 phones × 33 indicators, about 30 s
    python benchmarks/room_load.py --phones 30 --indicators 5

It creates a session on the shipped framework (33 indicators) with one participant and one
token per phone, starts ``hsvalidate room open`` on ``127.0.0.1`` in a subprocess, then lets
every phone (a thread with its own ``http.client`` connection) vote the whole round as a
participant's phone does: ``GET /v/<token>``, read the form (its ``csrf``, the indicator, the
offered scores), ``POST /v/<token>/rate`` with ``Accept: application/json``.  The time from
sending the POST to reading the ``{"ok": true}`` answer is the **acknowledgement latency**:
the server answers only after the ballot's durable commit.

Why each phone has its own loopback address (127.0.0.2, 127.0.0.3…): the room limits the
rate of requests per address, as a hundred real phones on a hotspot each have their own;
a hundred threads sharing 127.0.0.1 would measure the rate limit, not the room.  A phone
that is told to slow down (429) waits and tries again; those answers are counted.

It prints p50/p95/p99 acknowledgement latency and throughput, and a baseline measured in
the same run: as many bare ``Workshop.record_ballot`` calls in-process (no HTTP, no page),
so the ratio says what the web layer adds to the durable commit.  Target: p95 ≤ 300 ms
with 100 phones.  Afterwards it reads the session and checks that every acknowledged
ballot is stored exactly once; it exits 1 if one is missing or doubled.

``tests/test_room_load.py`` and ``tests/test_room_kill.py`` use the same harness with fewer
phones (the kill test SIGKILLs the server in the middle of the load and restarts it).
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

HOST = "127.0.0.1"
"""The room listens on loopback only: nothing of a load test reaches a network."""

TARGET_P95_MS = 300.0

NAMES = ("Awa Kɔnɛ", "Ŋolo Traoré", "Sɛkuba Kanté", "Fatoumata Ɲarɛ", "Mamadou Diallo")


# -- the session ---------------------------------------------------------------------------


def make_session(
    root: Path, name: str, *, phones: int, framework: Any = None, indicators: int | None = None
) -> dict[str, str]:
    """A session with one participant per phone and round 1 open; participant code → token.

    ``framework`` defaults to the shipped one (33 indicators); ``indicators`` keeps only the
    first ones in round 1 (a shorter round for tests).
    """
    from hsvalidate.framework_io import load_framework
    from hsvalidate.model import Settings
    from hsvalidate.resources import DEMO_FRAMEWORK, template_path
    from hsvalidate.workshop import Workshop

    fw = framework if framework is not None else load_framework(template_path(DEMO_FRAMEWORK))
    with Workshop.create(root=root, name=name, framework=fw, settings=Settings()) as ws:
        ws.add_participants(
            [
                (f"{NAMES[i % len(NAMES)]} {i + 1}", "WANEP-Mali", "société civile", "FM"[i % 2])
                for i in range(phones)
            ]
        )
        codes = [ind.code for ind in fw.indicators()]
        ws.start_round(codes[:indicators] if indicators else None)
        return ws.issue_tokens()


def stored_ballots(root: Path, name: str) -> list[dict[str, Any]]:
    """Every ballot in the open (or last) round's journal, as stored, read without the lock."""
    from hsvalidate.workshop import Workshop

    with Workshop.open(root=root, name=name, writable=False) as ws:
        rounds = ws.rounds()
        return [dict(d) for d in ws.store.ballots(rounds[-1].number)]


# -- the server ----------------------------------------------------------------------------


def free_port() -> int:
    """A TCP port nobody listens on now (the room binds it a moment later)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


class RoomServer:
    """``hsvalidate room open`` in a subprocess on loopback, as a facilitator starts it.

    Why a subprocess and not a thread: the kill test must SIGKILL it (no clean-up at all,
    as a laptop losing power), and Ctrl-C must be seen to stop it with exit status 0.
    """

    def __init__(self, root: Path, name: str, *, port: int | None = None, pin: str = "") -> None:
        self.root = Path(root)
        self.name = name
        self.port = port or free_port()
        self.pin = pin
        self.proc: subprocess.Popen[bytes] | None = None
        self.log = Path(tempfile.mkstemp(prefix="hsv-room-", suffix=".log")[1])
        self.starts = 0

    @property
    def url(self) -> str:
        """The room's address, ``http://127.0.0.1:<port>``."""
        return f"http://{HOST}:{self.port}"

    def start(self, timeout: float = 30.0) -> None:
        """Start the room and return once it answers HTTP."""
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join([str(REPO), *filter(None, [env.get("PYTHONPATH", "")])])
        command = [sys.executable, "-m", "hsvalidate", "room", "open", "--host", HOST]
        command += ["--port", str(self.port), "--session", self.name]
        command += ["--sessions-dir", str(self.root)]
        if self.pin:
            command += ["--pin", self.pin]
        flags = getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)  # Ctrl-Break on Windows
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                command, env=env, stdout=log, stderr=subprocess.STDOUT, creationflags=flags
            )
        self.starts += 1
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the room stopped at start:\n{self.output()}")
            if self.answers():
                return
            time.sleep(0.05)
        self.kill()
        raise RuntimeError(f"the room did not answer within {timeout} s:\n{self.output()}")

    def answers(self) -> bool:
        """Whether an HTTP request gets any answer (the room is up)."""
        try:
            conn = http.client.HTTPConnection(HOST, self.port, timeout=2)
            conn.request("HEAD", "/projector")
            conn.getresponse().read()
            conn.close()
            return True
        except OSError:
            return False

    def stop(self, timeout: float = 20.0) -> int:
        """Ctrl-C (Ctrl-Break on Windows), as the facilitator stops the room; its exit status."""
        assert self.proc is not None
        if self.proc.poll() is None:
            if sys.platform == "win32":
                self.proc.send_signal(signal.CTRL_BREAK_EVENT)  # type: ignore[attr-defined]
            else:
                self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise RuntimeError(f"Ctrl-C did not stop the room:\n{self.output()}") from None
        return int(self.proc.returncode)

    def kill(self) -> None:
        """SIGKILL (TerminateProcess on Windows): no clean-up, as a power cut."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def output(self) -> str:
        """What the room printed (its last lines), for a failure's message."""
        return self.log.read_text("utf-8", "replace")[-3000:]

    def __enter__(self) -> RoomServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.kill()
        with contextlib.suppress(OSError):
            self.log.unlink()


# -- a phone -------------------------------------------------------------------------------


class _Form(HTMLParser):
    """The ballot form's fields, read as a browser reads them (attribute order free)."""

    def __init__(self) -> None:
        super().__init__()
        self.hidden: dict[str, str] = {}
        self.choices: dict[str, list[str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "input":
            return
        a = {k: v or "" for k, v in attrs}
        kind, name = a.get("type", "text").lower(), a.get("name", "")
        if kind == "hidden":
            self.hidden[name] = a.get("value", "")
        elif kind == "radio" and name.startswith("r_"):
            self.choices.setdefault(name, []).append(a.get("value", ""))


def read_form(page: str) -> _Form:
    """The hidden fields and radio choices of a ballot page."""
    form = _Form()
    form.feed(page)
    return form


@dataclass
class Ack:
    """A ballot the room acknowledged (200, ``{"ok": true}``)."""

    participant: str
    indicator: str
    ratings: dict[str, int | None]
    comment: str
    latency: float
    at: float


@dataclass
class Load:
    """What the phones saw."""

    acks: list[Ack] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    throttled: int = 0
    lost_connections: int = 0
    finished: int = 0
    wall: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def latencies_ms(self) -> list[float]:
        """Acknowledgement latencies in milliseconds, sorted."""
        return sorted(a.latency * 1000 for a in self.acks)


class Phone:
    """One participant's phone voting the whole round, from its own loopback address."""

    def __init__(
        self,
        server: RoomServer,
        code: str,
        token: str,
        number: int,
        load: Load,
        seed: int,
        think: float = 0.0,
    ) -> None:
        self.server = server
        self.think = think
        self.code = code
        self.token = token
        # 127.0.0.2, 127.0.0.3…: its own address, as each phone on a hotspot has.
        self.source: str | None = f"127.0.{number // 250}.{number % 250 + 2}"
        with socket.socket() as probe:
            try:
                probe.bind((self.source, 0))
            except OSError:  # a system without the whole of 127/8 (macOS): share 127.0.0.1
                self.source = None
        self.load = load
        self.rng = random.Random(seed)
        self.conn: http.client.HTTPConnection | None = None

    def _connect(self) -> http.client.HTTPConnection:
        if self.conn is None:
            self.conn = http.client.HTTPConnection(
                HOST,
                self.server.port,
                timeout=30,
                source_address=(self.source, 0) if self.source else None,
            )
        return self.conn

    def _request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, bytes]:
        conn = self._connect()
        try:
            conn.request(method, path, body=body, headers=headers or {})
            answer = conn.getresponse()
            return answer.status, answer.read()
        except (OSError, http.client.HTTPException):
            conn.close()
            self.conn = None
            raise

    def vote_all(self, deadline: float) -> None:
        """Vote every indicator the room offers, until the all-done page or the deadline."""
        page_path = f"/v/{self.token}"
        while time.monotonic() < deadline:
            try:
                status, body = self._request("GET", page_path)
                if status == 429:
                    self._slow_down()
                    continue
                if status != 200:
                    self._error(f"GET {status}: {body[:200]!r}")
                    return
                form = read_form(body.decode("utf-8", "replace"))
                indicator = form.hidden.get("indicator")
                if not indicator:  # the all-done page
                    with self.load.lock:
                        self.load.finished += 1
                    return
                if self._post(page_path, indicator, form):
                    with self.load.lock:
                        self.load.finished += 1
                    return
                if self.think:  # a person reads the next indicator before answering
                    time.sleep(self.rng.uniform(0, 2 * self.think))
            except (OSError, http.client.HTTPException):
                with self.load.lock:
                    self.load.lost_connections += 1
                time.sleep(0.1)  # the room is restarting: try again, as a person would
        self._error("deadline reached before the round was done")

    def _post(self, page_path: str, indicator: str, form: _Form) -> bool:
        """Rate one indicator; True when the room says the round is done for this phone."""
        ratings: dict[str, int | None] = {}
        fields = [("indicator", indicator), ("csrf", form.hidden.get("csrf", ""))]
        for name, values in sorted(form.choices.items()):
            value = self.rng.choice(values)
            fields.append((name, value))
            ratings[name[2:]] = int(value) if value.isdigit() else None
        comment = f"{self.code} ɛɔɲŋ {indicator}" if self.rng.random() < 0.2 else ""
        fields += [("comment", comment), ("save", "")]
        body = urllib.parse.urlencode(fields).encode("utf-8")
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/json",
        }
        while True:
            sent = time.perf_counter()
            status, answer = self._request("POST", page_path + "/rate", body, headers)
            latency = time.perf_counter() - sent
            if status != 429:
                break
            self._slow_down()
        if status != 200:
            self._error(f"POST {indicator} {status}: {answer[:200]!r}")
            return False
        reply = json.loads(answer)
        if reply.get("ok") is not True or reply.get("indicator") != indicator:
            self._error(f"POST {indicator}: {reply!r}")
            return False
        with self.load.lock:
            self.load.acks.append(
                Ack(self.code, indicator, ratings, comment, latency, time.monotonic())
            )
        return bool(reply.get("done") == reply.get("total"))

    def _slow_down(self) -> None:
        with self.load.lock:
            self.load.throttled += 1
        time.sleep(0.2 + self.rng.random() * 0.3)

    def _error(self, text: str) -> None:
        with self.load.lock:
            self.load.errors.append(f"{self.code}: {text}")


def run_phones(
    server: RoomServer,
    tokens: dict[str, str],
    *,
    timeout: float = 120.0,
    seed: int = 1,
    think: float = 0.0,
    on_start: Callable[[Load], None] | None = None,
) -> Load:
    """Every phone votes the round at the same time; returns when all are done.

    ``think``: mean seconds a phone waits between indicators (0: as fast as it can, the
    worst case).  ``on_start`` receives the :class:`Load` as the phones start (the kill
    test watches it).
    """
    load = Load()
    if on_start is not None:
        on_start(load)
    deadline = time.monotonic() + timeout
    phones = [
        Phone(server, code, token, n, load, seed * 1000 + n, think)
        for n, (code, token) in enumerate(sorted(tokens.items()))
    ]
    start = threading.Barrier(len(phones) + 1)

    def one(phone: Phone) -> None:
        start.wait()
        try:
            phone.vote_all(deadline)
        except Exception as error:  # a bug in a phone must show, not hang the run
            phone._error(f"{type(error).__name__}: {error}")

    threads = [threading.Thread(target=one, args=(p,), daemon=True) for p in phones]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join(max(0.1, deadline - time.monotonic() + 5))
    load.wall = time.perf_counter() - began
    return load


# -- the checks ----------------------------------------------------------------------------


def check_stored(acks: Sequence[Ack], stored: Sequence[dict[str, Any]]) -> list[str]:
    """Problems: an acknowledged ballot missing, stored twice, or stored differently."""
    count = Counter((d["participant"], d["indicator"]) for d in stored)
    by_key = {(d["participant"], d["indicator"]): d for d in stored}
    problems = []
    for ack in acks:
        key = (ack.participant, ack.indicator)
        if count[key] != 1:
            problems.append(f"{key} acknowledged, stored {count[key]} times")
            continue
        doc = by_key[key]
        if doc["ratings"] != ack.ratings or doc.get("comment", "") != ack.comment.strip():
            problems.append(f"{key} stored as {doc['ratings']!r}, acknowledged {ack.ratings!r}")
        if doc.get("source") != "web":
            problems.append(f"{key} stored with channel {doc.get('source')!r}, not 'web'")
    return problems


def percentile(sorted_values: Sequence[float], p: float) -> float:
    """The p-th percentile (nearest rank) of sorted values."""
    if not sorted_values:
        return float("nan")
    rank = max(0, min(len(sorted_values) - 1, round(p / 100 * len(sorted_values) + 0.5) - 1))
    return sorted_values[rank]


def baseline(root: Path, phones: int, indicators: int, framework: Any = None) -> list[float]:
    """As many bare ``record_ballot`` calls in-process, one after the other (seconds each)."""
    from hsvalidate.model import SOURCES
    from hsvalidate.workshop import Workshop

    make_session(root, "Référence", phones=phones, framework=framework, indicators=indicators)
    times = []
    with Workshop.open(root=root, name="Référence", purpose="benchmark") as ws:
        rnd = ws.open_round()
        assert rnd is not None
        criteria = [c.code for c in ws.settings.criteria]
        source = "web" if "web" in SOURCES else "terminal"
        for person in ws.participants():
            for n, code in enumerate(rnd.indicators):
                ratings: dict[str, int | None] = {
                    c: 1 + (n + i) % 9 for i, c in enumerate(criteria)
                }
                began = time.perf_counter()
                ws.record_ballot(
                    participant=person.code, indicator=code, ratings=ratings, source=source
                )
                times.append(time.perf_counter() - began)
    return sorted(times)


@contextlib.contextmanager
def scratch() -> Iterator[Path]:
    """A temporary folder with a space and an accent, removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="hsv room load "))
    try:
        yield folder / "séances"
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the load, print the figures; 1 when an acknowledged ballot is missing or doubled."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--phones", type=int, default=100)
    parser.add_argument("--indicators", type=int, default=33)
    parser.add_argument("--timeout", type=float, default=300.0)
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="mean seconds a phone waits between indicators (default 0: the worst case)",
    )
    args = parser.parse_args(argv)

    with scratch() as root:
        tokens = make_session(root, "Salle ɛ", phones=args.phones, indicators=args.indicators)
        with RoomServer(root, "Salle ɛ") as server:
            load = run_phones(server, tokens, timeout=args.timeout, think=args.think)
            status = server.stop()
        problems = check_stored(load.acks, stored_ballots(root, "Salle ɛ"))
        base = baseline(root / "référence", args.phones, args.indicators)

    ms = load.latencies_ms()
    base_ms = [x * 1000 for x in base]
    ballots = len(load.acks)
    print(f"phones {args.phones}, indicators {args.indicators}, think {args.think} s, on {HOST}")
    print(f"acknowledged ballots   {ballots} of {args.phones * args.indicators}")
    print(f"phones done            {load.finished}")
    print(f"told to slow down      {load.throttled} times")
    print(f"errors                 {len(load.errors)}")
    for line in load.errors[:10]:
        print("   ", line)
    print(f"wall time              {load.wall:.2f} s")
    print(f"throughput             {ballots / load.wall:.0f} ballots/s")
    print(
        "acknowledgement (ms)   "
        f"p50 {percentile(ms, 50):.1f}  p95 {percentile(ms, 95):.1f}  "
        f"p99 {percentile(ms, 99):.1f}  max {ms[-1] if ms else float('nan'):.1f}"
    )
    print(
        "baseline record_ballot "
        f"p50 {percentile(base_ms, 50):.2f}  p95 {percentile(base_ms, 95):.2f} ms, "
        f"{len(base) / sum(base):.0f} ballots/s in-process, one after the other"
    )
    if base_ms and ms:
        print(
            f"ratio room/baseline    p50 ×{percentile(ms, 50) / percentile(base_ms, 50):.0f}, "
            f"throughput ×{(ballots / load.wall) / (len(base) / sum(base)):.2f}"
        )
    p95 = percentile(ms, 95)
    print(f"target p95 ≤ {TARGET_P95_MS:.0f} ms   {'met' if p95 <= TARGET_P95_MS else 'NOT met'}")
    print(f"Ctrl-C exit status     {status}")
    print(f"stored exactly once    {'yes' if not problems else 'NO'}")
    for line in problems[:10]:
        print("   ", line)
    return 1 if problems or load.errors else 0


if __name__ == "__main__":
    sys.exit(main())
