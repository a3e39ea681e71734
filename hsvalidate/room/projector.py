"""The projector's pages and the facilitator's controls (blueprint ``projector``).

What the room sees on the big screen: the room's address and its QR code, the current
indicator in large type, a live count of ballots received against participants present,
and, on the facilitator's key, the reveal: the distribution of the ratings as a bar chart
with the median marked and the verdict in words, colour and a sign (never colour alone).

Why the current indicator is kept in memory (:class:`Screen`, in ``app.extensions``) and
not in the session: it is where the facilitator's screen stands, not a fact of the
workshop; the minutes must not change because someone pressed → on the projector.  A
room reopened starts again at the first indicator of the open round, hidden.

Why the chart shows one criterion at a time, the first by default: at the back of a room
a single large chart is readable and three small ones are not; the first criterion is the
one the session asks first (relevance by default), and the facilitator switches to the
others with C when the plenary asks.  The verdict beside it is the indicator's, combined
over every criterion (what the round decides), with the shown criterion's own verdict in
the caption.  Every figure is ``tally.results`` on one snapshot, cards counted included:
the same as ``hsvalidate results``.

Who may press the keys: the laptop itself (loopback), or a browser that gave the
facilitator's PIN at ``/projector/login``; every POST carries a CSRF token.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from flask import Blueprint, abort, current_app, g, jsonify, redirect, render_template, request

from hsvalidate.i18n import t
from hsvalidate.room.app import LOOPBACK, PIN_COOKIE, facilitator_allowed, room_of

if TYPE_CHECKING:
    from flask import Flask
    from flask.typing import ResponseReturnValue

    from hsvalidate.room.app import Room
    from hsvalidate.tally import Snapshot

bp = Blueprint("projector", __name__)

SCREEN_KEY = "hsvalidate_projector"
"""Where the projector's :class:`Screen` lives in ``app.extensions``."""

ADDRESSES_KEY = "hsvalidate_room_addresses"
"""Where the server puts the addresses it listens on (``http://host:port/``)."""

FACILITATOR = "facilitator"
"""What the facilitator's CSRF token and cookie are signed for."""

LOGIN = "projector-login"
"""What the login form's CSRF token is signed for."""

VERDICT_SIGNS = {"keep": "✓", "drop": "✗", "no consensus": "≈", "below quorum": "○"}
"""A sign beside each verdict's words, so that colour is never the only cue."""

MAX_FAILURES = 5
LOCKOUT_S = 300.0
"""Wrong PINs one address may type before it waits: a four-digit PIN must not be guessed."""


@dataclass
class Screen:
    """Where the projector stands: which round and indicator, revealed or not, which criterion."""

    round: int = 0
    index: int = 0
    revealed: bool = False
    criterion: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    failures: dict[str, tuple[int, float]] = field(default_factory=dict)
    """Client address → (wrong PINs in a row, when it may try again)."""

    def follow(self, round_no: int, total: int) -> None:
        """Start again at the first indicator when another round opened; stay in range."""
        if round_no != self.round:
            self.round, self.index, self.revealed, self.criterion = round_no, 0, False, 0
        self.index = max(0, min(self.index, total - 1))


def screen_of(app: Flask) -> Screen:
    """The projector's screen of an application (made on first use)."""
    screen: Screen = app.extensions.setdefault(SCREEN_KEY, Screen())
    return screen


# -- figures --------------------------------------------------------------------------------


def figures(snap: Snapshot, screen: Screen, lang: str) -> dict[str, Any]:
    """Everything the projector shows, from one snapshot (also the JSON of ``/state``).

    Called with the screen's lock held: the screen follows the open round here.
    """
    from hsvalidate import consensus, tally

    rnd = snap.open_round()
    if rnd is None or not rnd.indicators:
        return {"round": None, "index": 0, "total": 0, "indicator": None, "text": "",
                "received": 0, "present": 0, "revealed": False, "verdict": None,
                "counts": None, "median": None, "criterion": None}  # fmt: skip
    codes = rnd.indicators
    screen.follow(rnd.number, len(codes))
    code = codes[screen.index]
    indicator = snap.framework.indicator(code)
    criteria = snap.settings.criteria
    criterion = criteria[screen.criterion % len(criteria)]
    ballots = [b for b in snap.round_ballots(rnd.number) if b.indicator == code]
    out: dict[str, Any] = {
        "round": rnd.number,
        "index": screen.index + 1,
        "total": len(codes),
        "indicator": code,
        "text": indicator.text.get(lang) if indicator is not None else code,
        "received": len(ballots),
        "present": len(snap.present_in(rnd.number)),
        "revealed": screen.revealed,
        "verdict": None,
        "counts": None,
        "median": None,
        "criterion": criterion.code,
        "criterion_label": criterion.label.get(lang) or criterion.code,
        "criteria": len(criteria),
    }
    if not screen.revealed:
        return out
    rows = [row for row in tally.results(snap, rnd.number, by_group=False) if row.indicator == code]
    verdict = consensus.combine_verdicts([row.verdict for row in rows])
    row = next(r for r in rows if r.criterion == criterion.code)
    values = [b.ratings[criterion.code] for b in ballots if criterion.code in b.ratings]
    cards = next(
        (c for c in snap.round_counts(rnd.number)
         if c.indicator == code and c.criterion == criterion.code),
        None,
    )  # fmt: skip
    if cards is not None:
        values.extend(cards.ratings())
    scale = snap.scale
    counts = {str(s): 0 for s in range(scale.low, scale.high + 1)}
    for value in values:
        if value is not None and str(value) in counts:
            counts[str(value)] += 1
    out.update(
        verdict=t(f"verdict.{verdict}", lang=lang),
        verdict_code=verdict,
        criterion_verdict=t(f"verdict.{row.verdict}", lang=lang),
        criterion_verdict_code=row.verdict,
        counts=counts,
        median=row.stats.median,
        cannot_judge=row.stats.n_cannot_judge,
        rated=row.stats.n,
    )
    return out


@dataclass(frozen=True)
class Bar:
    """One bar of the chart, in the SVG's units."""

    score: int
    count: int
    x: float
    y: float
    width: float
    height: float
    band: str


CHART_W, CHART_H = 960.0, 440.0
"""The chart's drawing size; the SVG scales to the screen (viewBox)."""
_LEFT, _RIGHT, _TOP, _BOTTOM = 20.0, 20.0, 100.0, 50.0


def chart(counts: dict[str, int], low: int, high: int, median: float | None) -> dict[str, Any]:
    """The bars and the median's position, for the template to draw as SVG.

    Why drawn on the server: no script is needed for the reveal, and the chart is the
    same in every browser.  The median may fall between two scores (6.5): its line is
    placed between their bars.
    """
    from hsvalidate.consensus import Scale

    scale = Scale(low, high)
    scores = list(range(low, high + 1))
    slot = (CHART_W - _LEFT - _RIGHT) / len(scores)
    tallest = max([*counts.values(), 1])
    room_h = CHART_H - _TOP - _BOTTOM
    bars = []
    for i, score in enumerate(scores):
        n = counts.get(str(score), 0)
        height = room_h * n / tallest
        bars.append(
            Bar(
                score=score,
                count=n,
                x=_LEFT + i * slot + slot * 0.12,
                y=_TOP + room_h - height,
                width=slot * 0.76,
                height=height,
                band=scale.band(score),
            )
        )
    median_x = None if median is None else _LEFT + (median - low + 0.5) * slot
    return {
        "bars": bars,
        "width": CHART_W,
        "height": CHART_H,
        "base": _TOP + room_h,
        "top": _TOP,
        "median_x": median_x,
        "median": median,
    }


def number(value: float | None, lang: str) -> str:
    """A median as people write it: 7, or 6,5 in French."""
    if value is None:
        return "–"
    text = f"{value:g}" if float(value).is_integer() else f"{value:.1f}"
    return text.replace(".", ",") if lang == "fr" else text


# -- pages ----------------------------------------------------------------------------------


def _guard() -> Room:
    """The room, when the facilitator may use these pages; otherwise a 403."""
    room = room_of(current_app)
    if not facilitator_allowed(room):
        abort(403)
    return room


def _snapshot_figures(room: Room) -> tuple[dict[str, Any], Snapshot]:
    """The figures of one snapshot, read with the session's lock held only to read it."""
    with room.workshop() as ws:
        snap = ws.snapshot()
    screen = screen_of(current_app)
    with screen.lock:
        return figures(snap, screen, g.lang), snap


def room_addresses(app: Flask) -> list[str]:
    """Addresses a phone can open: those listened on, the laptop's own last.

    Why not the address in the projector's browser: the laptop opens its own page on
    127.0.0.1, which a phone cannot reach; a facilitator's browser elsewhere (with the
    PIN) came over the room's network, so its address is one phones can open too.
    """
    listened: list[str] = []
    for address in app.extensions.get(ADDRESSES_KEY, []):
        listened.extend(_interfaces(address) if _host(address) in WILDCARDS else [address])
    if not listened and _host(request.host_url) not in {*LOOPBACK, "localhost"}:
        listened = [request.host_url]
    outside = [a for a in listened if _host(a) not in {*LOOPBACK, "localhost"}]
    return outside or listened or [request.host_url]


WILDCARDS = frozenset({"0.0.0.0", "::"})
"""Addresses meaning "every interface", which no phone can open."""


def _host(address: str) -> str:
    """``192.168.137.1`` from ``http://192.168.137.1:8000/`` (IPv6 without its brackets)."""
    from urllib.parse import urlsplit

    return urlsplit(address).hostname or ""


def _interfaces(address: str) -> list[str]:
    """The laptop's own IPv4 addresses in place of a wildcard, with the same port.

    Why by the host's name: it works on Windows without any extra package; an address it
    misses is still printed by ``hsvalidate room open``.
    """
    import socket
    from urllib.parse import urlsplit

    port = urlsplit(address).port or 80
    try:
        found = socket.gethostbyname_ex(socket.gethostname())[2]
    except OSError:
        return []
    return [f"http://{ip}:{port}/" for ip in found if not ip.startswith("127.")]


@bp.get("/projector")
def projector_page() -> ResponseReturnValue:
    """The round on the big screen: only the laptop itself, or with the facilitator's PIN."""
    room = room_of(current_app)
    if not facilitator_allowed(room):
        return redirect("/projector/login", code=303)
    from hsvalidate.room.qr import qr_svg

    view, snap = _snapshot_figures(room)
    addresses = room_addresses(current_app)
    drawn = None
    if view["revealed"] and view["counts"] is not None:
        drawn = chart(view["counts"], snap.scale.low, snap.scale.high, view["median"])
    return render_template(
        "projector/screen.html",
        view=view,
        chart=drawn,
        address=addresses[0],
        others=addresses[1:],
        qr=qr_svg(addresses[0], title=addresses[0]),
        csrf=room.sign(FACILITATOR),
        median=number(view["median"], g.lang),
        signs=VERDICT_SIGNS,
    )


@bp.get("/projector/state")
def state() -> ResponseReturnValue:
    """The projector's figures as JSON, polled every two seconds by ``projector.js``."""
    view, _ = _snapshot_figures(_guard())
    keys = ("round", "index", "total", "indicator", "text", "received", "present", "revealed",
            "verdict", "counts", "median", "criterion")  # fmt: skip
    return jsonify({key: view[key] for key in keys})


def _control(move: str) -> ResponseReturnValue:
    """One facilitator's key: checked (who, CSRF), applied, then back to the screen (PRG)."""
    room = _guard()
    if not room.check(FACILITATOR, request.form.get("csrf", "")):
        abort(403)
    with room.workshop() as ws:
        rnd = ws.open_round()
        criteria = len(ws.settings.criteria)
    screen = screen_of(current_app)
    with screen.lock:
        if rnd is not None and rnd.indicators:
            screen.follow(rnd.number, len(rnd.indicators))
            last = len(rnd.indicators) - 1
            if move == "next" and screen.index < last:
                screen.index, screen.revealed = screen.index + 1, False
            elif move == "prev" and screen.index > 0:
                screen.index, screen.revealed = screen.index - 1, False
            elif move == "reveal":
                screen.revealed = True
            elif move == "hide":
                screen.revealed = False
            elif move == "criterion":
                screen.criterion = (screen.criterion + 1) % criteria
    return redirect("/projector", code=303)


@bp.post("/projector/next")
def next_indicator() -> ResponseReturnValue:
    """→: the next indicator of the round, hidden."""
    return _control("next")


@bp.post("/projector/prev")
def previous_indicator() -> ResponseReturnValue:
    """←: the previous indicator, hidden."""
    return _control("prev")


@bp.post("/projector/reveal")
def reveal() -> ResponseReturnValue:
    """R: show the distribution, the median and the verdict."""
    return _control("reveal")


@bp.post("/projector/hide")
def hide() -> ResponseReturnValue:
    """H: hide them again (before a second look at the indicator)."""
    return _control("hide")


@bp.post("/projector/criterion")
def next_criterion() -> ResponseReturnValue:
    """C: chart the next criterion."""
    return _control("criterion")


@bp.get("/projector/summary")
def summary() -> ResponseReturnValue:
    """The round on one page for the plenary: each indicator and its verdict."""
    from hsvalidate import tally

    room = room_of(current_app)
    if not facilitator_allowed(room):
        return redirect("/projector/login", code=303)
    with room.workshop() as ws:
        snap = ws.snapshot()
    rnd = snap.open_round() or (snap.rounds[-1] if snap.rounds else None)
    rows: list[dict[str, str]] = []
    if rnd is not None:
        verdicts = tally.indicator_verdicts(snap, rnd.number)
        for code in rnd.indicators:
            indicator = snap.framework.indicator(code)
            verdict = verdicts.get(code, "below quorum")
            rows.append(
                {
                    "code": code,
                    "text": indicator.text.get(g.lang) if indicator is not None else code,
                    "verdict": verdict,
                    "words": t(f"verdict.{verdict}", lang=g.lang),
                }
            )
    return render_template(
        "projector/summary.html",
        round=rnd.number if rnd is not None else None,
        rows=rows,
        signs=VERDICT_SIGNS,
    )


@bp.route("/projector/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    """The facilitator's PIN, for a browser other than the laptop's (a tablet, a phone).

    Why a lockout: a four-digit PIN is guessed in minutes at the room's request rate;
    five wrong PINs make that address wait five minutes.
    """
    room = room_of(current_app)
    screen = screen_of(current_app)
    client = request.remote_addr or "?"
    status, error = 200, ""
    if request.method == "POST":
        now = time.monotonic()
        with screen.lock:
            failures, until = screen.failures.get(client, (0, 0.0))
        if not room.check(LOGIN, request.form.get("csrf", "")):
            abort(403)
        if not room.pin:
            status, error = 403, "projector.login.no_pin"
        elif until > now:
            status, error = 429, "projector.login.wait"
        elif room.pin_ok(request.form.get("pin", "").strip()):
            with screen.lock:
                screen.failures.pop(client, None)
            answer = redirect("/projector", code=303)
            answer.set_cookie(PIN_COOKIE, room.sign(FACILITATOR), httponly=True, samesite="Strict")
            return answer
        else:
            failures += 1
            with screen.lock:
                if len(screen.failures) > 10_000:  # memory stays bounded: forget the idle
                    screen.failures = {k: v for k, v in screen.failures.items() if v[1] > now}
                screen.failures[client] = (
                    (0, now + LOCKOUT_S) if failures >= MAX_FAILURES else (failures, 0.0)
                )
            status, error = 403, "projector.login.wrong"
    return render_template(
        "projector/login.html", csrf=room.sign(LOGIN), has_pin=bool(room.pin), error=error
    ), status


# -- the room's address: a participant types their slip's code ------------------------------


@bp.get("/")
def entry() -> ResponseReturnValue:
    """The page the projector's QR code opens: type the code on your slip, get your ballot.

    Why here: the room's address is on the big screen for whoever cannot scan their slip
    (a cracked camera, a crumpled slip); typing its short code is the way in.  A GET form,
    since it changes nothing: the answer is only a redirection to the slip's own address.
    The participant's name is never shown, and every wrong code gets the same sentence.
    """
    from hsvalidate.room import tokens

    room = room_of(current_app)
    typed = request.args.get("code", "")
    status, error = 200, ""
    if typed.strip():
        token = tokens.normalise(typed)
        if not token:
            status, error = 400, "projector.entry.malformed"
        else:
            with room.workshop() as ws:
                person = room.participant(ws, token)
            if person is None:
                status, error = 403, "projector.entry.unknown"
            else:
                return redirect(f"/v/{token}", code=303)
    return render_template("projector/entry.html", error=error, typed=typed[:40]), status
