"""Kill a writing hsvalidate process at random moments; count what survives.

Run from the repository root::

    python benchmarks/kill_test.py            # 300 kills, about 5 minutes
    python benchmarks/kill_test.py --kills 20

Each round of the test starts a process that records ballots through the service layer
as the commands do — single ballots (a participant at the laptop, a paper ballot) and
imports of five ballots at once (a file) — and prints an acknowledgement after each
durable commit.  The process is killed (SIGKILL: no clean-up) after a random delay.
The session is then opened for writing, as the next command would, and checked:

- the session opens (no unusable session);
- every acknowledged ballot is there (none lost);
- every import is there whole or not at all (no partial import);
- a cut-off tail is reported (``Workshop.repairs``) rather than dropped silently.

It prints the counts; the targets are 0 unusable sessions, 0 lost acknowledged ballots
and 0 partial imports.  ``tests/test_kill.py`` runs a few kills of the same loop.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

CHILD = r"""
import sys
from pathlib import Path
sys.path.insert(0, {repo!r})
from hsvalidate.model import Ballot
from hsvalidate.workshop import Workshop
root, name, start = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
with Workshop.open(root=root, name=name, purpose="kill test") as ws:
    codes = ws.open_round().indicators
    crit = [c.code for c in ws.settings.criteria]
    print("ready", flush=True)
    n = start
    while True:
        size = 5 if n % 3 == 0 else 1
        batch = [
            Ballot(round=0, participant=f"P0{{1 + (n + k) % 5}}", indicator=codes[(n + k) % len(codes)],
                   ratings={{c: 1 + (n + k) % 9 for c in crit}}, comment=f"b{{n}}-{{k}}-{{size}}",
                   source="import" if size > 1 else "paper")
            for k in range(size)
        ]
        ws.record_ballots(batch)
        print(f"ack {{n}} {{size}}", flush=True)
        n += 1
"""


@dataclass
class Tally:
    """What the kills left behind."""

    kills: int = 0
    acknowledged: int = 0
    unusable: int = 0
    lost: int = 0
    partial: int = 0
    repairs: int = 0
    errors: list[str] = field(default_factory=list)


def make_session(root: Path) -> str:
    """A session with five participants and round 1 open on the shipped framework."""
    from hsvalidate.framework_io import load_framework
    from hsvalidate.model import Settings
    from hsvalidate.resources import DEMO_FRAMEWORK, template_path
    from hsvalidate.workshop import Workshop

    name = "Atelier tué ɛ"
    fw = load_framework(template_path(DEMO_FRAMEWORK))
    with Workshop.create(root=root, name=name, framework=fw, settings=Settings()) as ws:
        ws.add_participants([(f"Participant {i} ɲ", "", "", "") for i in range(5)])
        ws.start_round()
    return name


def one_kill(root: Path, name: str, start: int, rng: random.Random, tally: Tally) -> int:
    """Start a writer, kill it after a random delay, check the session; the next number."""
    from hsvalidate.workshop import Workshop

    child = subprocess.Popen(
        [sys.executable, "-c", CHILD.format(repo=str(REPO)), str(root), name, str(start)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    if child.stdout.readline() != "ready\n":
        child.kill()
        tally.errors.append(child.communicate()[1][-500:])
        return start
    time.sleep(rng.uniform(0.0, 0.4))
    child.kill()
    rest = child.stdout.read()
    child.wait()
    acked = {
        int(line.split()[1]): int(line.split()[2])
        for line in rest.splitlines()
        if line.startswith("ack ")
    }
    tally.kills += 1
    tally.acknowledged += sum(acked.values())
    try:
        with Workshop.open(root=root, name=name, purpose="kill test check") as ws:
            tally.repairs += len(ws.repairs)
            stored = ws.store.ballots(ws.open_round().number)  # type: ignore[union-attr]
    except Exception as exc:  # counted, not raised: this is what is measured
        tally.unusable += 1
        tally.errors.append(f"{type(exc).__name__}: {exc}")
        return start + len(acked) + 1
    seen: dict[int, set[int]] = {}
    sizes: dict[int, int] = {}
    for ballot in stored:
        parts = str(ballot.get("comment", "")).split("-")
        if len(parts) == 3 and parts[0].startswith("b"):
            n = int(parts[0][1:])
            seen.setdefault(n, set()).add(int(parts[1]))
            sizes[n] = int(parts[2])
    tally.lost += sum(size for n, size in acked.items() if len(seen.get(n, ())) < size)
    tally.partial += sum(1 for n, got in seen.items() if len(got) != sizes[n])
    return max([start, *acked, *seen]) + 1


def run(kills: int, seed: int = 11) -> Tally:
    """Run ``kills`` kills on one session and return the counts."""
    rng = random.Random(seed)
    tally = Tally()
    with tempfile.TemporaryDirectory(prefix="hsvalidate kill ") as tmp:
        root = Path(tmp) / "sessions"
        name = make_session(root)
        start = 0
        for _ in range(kills):
            start = one_kill(root, name, start, rng, tally)
    return tally


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=300)
    parser.add_argument("--seed", type=int, default=11)
    options = parser.parse_args()
    began = time.perf_counter()
    tally = run(options.kills, options.seed)
    print(f"kills: {tally.kills} in {time.perf_counter() - began:.0f} s")
    print(f"acknowledged ballots: {tally.acknowledged}")
    print(f"unusable sessions: {tally.unusable}")
    print(f"acknowledged ballots lost: {tally.lost}")
    print(f"partial imports: {tally.partial}")
    print(f"torn tails cut off and reported: {tally.repairs}")
    for error in tally.errors[:5]:
        print("  ", error)


if __name__ == "__main__":
    main()
