"""The room's web application: one session behind a lock, and the security every page shares.

Why Flask with waitress: both are pure Python, so they install on a Windows laptop without a
compiler; waitress is a production WSGI server that runs on Windows; and their threads fit the
session store, which is synchronous and durable (a ballot is acknowledged after its fsync).
Jinja2 templates (Flask's) escape every value by default, so a comment full of markup is
shown as text.

Security on a room network (plain HTTP on the laptop's hotspot; the README says what this
does and does not protect):

- only the addresses the facilitator chose are listened on (``serve.py``);
- request bodies are limited (:data:`MAX_BODY`), and each client address is limited in rate
  (:class:`RateLimiter`): a phone posts a few ballots a minute, a script thousands;
- every form carries a CSRF token bound to who may post it (a participant's token, or the
  facilitator), checked in constant time;
- the facilitator's pages answer only the laptop itself (loopback) or a browser that gave
  the facilitator's PIN;
- pages are sent with a strict Content-Security-Policy (nothing from outside, no inline
  script), ``no-store`` caching and no referrer, since participants' addresses hold tokens.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import secrets
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hsvalidate.i18n import LANGS, normalise_lang, t, tn

if TYPE_CHECKING:
    from flask import Flask
    from flask.typing import ResponseReturnValue

    from hsvalidate.model import Ballot, Participant
    from hsvalidate.tally import Feedback
    from hsvalidate.workshop import Workshop

MAX_BODY = 16 * 1024
"""Largest request body accepted (bytes): a ballot with a long comment is about 2 KB."""

LOOPBACK = frozenset({"127.0.0.1", "::1"})
"""Addresses of the laptop itself: the facilitator's screen needs no PIN there."""

PIN_COOKIE = "hsv_facilitator"
LANG_COOKIE = "hsv_lang"


@dataclass
class RateLimiter:
    """A token bucket per client address: ``rate`` requests a second, bursts of ``burst``.

    Why per address and generous: a hundred phones share one hotspot but each has its own
    address; a phone loading a page fetches three or four files at once.
    """

    rate: float = 5.0
    burst: float = 40.0
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def allow(self, client: str) -> bool:
        """Take one request from the client's bucket; False when it is empty."""
        now = time.monotonic()
        with self._lock:
            tokens, then = self._buckets.get(client, (self.burst, now))
            tokens = min(self.burst, tokens + (now - then) * self.rate)
            if tokens < 1:
                self._buckets[client] = (tokens, now)
                return False
            self._buckets[client] = (tokens - 1, now)
            if len(self._buckets) > 10_000:  # forget the idle, so memory stays bounded
                self._buckets = {
                    k: v for k, v in self._buckets.items() if now - v[1] < 60 or k == client
                }
            return True


class Room:
    """The session the pages work on: one Workshop, used by one request at a time.

    Why one lock: the Workshop and its store are not made for threads, and a ballot's
    durable commit takes about a millisecond, so serialising the requests of a hundred
    phones costs far less than the network does.  Other windows (the kiosk, paper entry,
    the facilitator's commands) write the same session at the same time through the
    store's own lock.
    """

    def __init__(self, root: Path, name: str, *, pin: str = "") -> None:
        from hsvalidate.workshop import Workshop

        self.root = Path(root)
        self.name = name
        self.pin = pin
        self.secret = secrets.token_bytes(32)
        """Signs CSRF tokens and the facilitator's cookie; new each time the room opens."""
        self.limiter = RateLimiter()
        self._lock = threading.Lock()
        self._ws = Workshop.open(root=self.root, name=name, purpose="hsvalidate room")
        self.lang = self._ws.settings.lang
        self._index: dict[int, tuple[int, dict[str, dict[str, Ballot]]]] = {}
        self._tokens: list[tuple[str, Participant]] = []
        self._tokens_at = -1
        self._feedback_key: tuple[int, int] = (0, -1)
        self._feedback: dict[str, Feedback] = {}
        self._own_before: dict[str, dict[str, dict[str, int | None]]] = {}

    @contextlib.contextmanager
    def workshop(self) -> Iterator[Workshop]:
        """The session, for one request at a time."""
        with self._lock:
            yield self._ws

    def participant(self, ws: Workshop, typed: str) -> Participant | None:
        """The participant a token votes as (call under the lock); None when not valid.

        The valid tokens are read again only when the session's tables changed (a token
        reissued or revoked, a participant withdrawn, here or in another window), and
        compared in constant time, as :meth:`Workshop.token_participant` does.
        """
        from hsvalidate.room.tokens import holder

        generation = ws.store.generation
        if self._tokens_at != generation:
            valid = ws.room_tokens()
            people = {p.code: p for p in ws.participants()}
            self._tokens = [(token, people[code]) for code, token in valid.items()]
            self._tokens_at = generation
        return holder(typed, self._tokens)

    def own_ballots(self, ws: Workshop, round_no: int, participant: str) -> dict[str, Ballot]:
        """One participant's ballots that count in a round, by indicator (call under the lock).

        Why an index: every page a phone opens needs them, and reading the round's
        ballots for each page costs as much as the round holds (a hundred phones slowed
        to 22 ballots a second).  The store hands over only what was recorded since the
        last look — here or in another window (the kiosk, paper entry, a merge).
        """
        from hsvalidate.model import Ballot as BallotModel

        seen, people = self._index.get(round_no, (0, {}))
        new = ws.store.ballots(round_no, seen)
        for doc in new:
            ballot = BallotModel.from_dict(doc)
            people.setdefault(ballot.participant, {})[ballot.indicator] = ballot
        self._index[round_no] = (seen + len(new), people)
        return dict(people.get(participant, {}))

    def feedback(self, ws: Workshop, participant: str) -> dict[str, Feedback]:
        """Last round's figures and the participant's own ratings, computed once per round.

        The previous round is closed, so its figures change only when the tables do (a
        merge, an undo): they are kept until the store's generation or the round moves.
        """
        from hsvalidate import tally

        rnd = ws.open_round()
        if rnd is None or rnd.number <= 1:
            return {}
        key = (rnd.number, ws.store.generation)
        if self._feedback_key != key:
            snap = ws.snapshot()
            self._feedback = tally.feedback(snap, "")
            self._own_before = {}
            for ballot in snap.round_ballots(rnd.number - 1):
                self._own_before.setdefault(ballot.participant, {})[ballot.indicator] = dict(
                    ballot.ratings
                )
            self._feedback_key = key
        own = self._own_before.get(participant, {})
        return {
            code: replace(shared, own=dict(own.get(code, {})))
            for code, shared in self._feedback.items()
        }

    def close(self) -> None:
        """Release the session; every acknowledged ballot is already on disk."""
        with self._lock:
            self._ws.close()

    def sign(self, subject: str) -> str:
        """A token only this room could have made for ``subject`` (a CSRF token, a cookie)."""
        return hmac.new(self.secret, subject.encode("utf-8"), hashlib.sha256).hexdigest()

    def check(self, subject: str, value: str) -> bool:
        """Constant-time check of a value :meth:`sign` made for ``subject``."""
        return hmac.compare_digest(self.sign(subject).encode(), (value or "").encode())

    def pin_ok(self, typed: str) -> bool:
        """Whether ``typed`` is the facilitator's PIN (never true when no PIN was set)."""
        return bool(self.pin) and hmac.compare_digest(typed.encode(), self.pin.encode())


def create_app(room: Room) -> Flask:
    """The Flask application of a room, with the participant's and the projector's pages."""
    from flask import Flask, g, request

    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY
    app.config["MAX_FORM_MEMORY_SIZE"] = MAX_BODY
    app.config["MAX_FORM_PARTS"] = 200
    app.extensions["hsvalidate_room"] = room

    @app.before_request
    def _guard() -> ResponseReturnValue | None:
        client = request.remote_addr or "?"
        if not room.limiter.allow(client):
            return t("room.web.too_many", lang=room.lang), 429
        g.lang = _chosen_language(room)
        if (request.content_length or 0) > MAX_BODY:  # before any page reads it
            return t("room.web.too_large", lang=g.lang), 413
        return None

    @app.after_request
    def _headers(response: Any) -> Any:
        headers = response.headers
        headers["Content-Security-Policy"] = (
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        )
        headers["X-Content-Type-Options"] = "nosniff"
        headers["Referrer-Policy"] = "no-referrer"
        headers["X-Frame-Options"] = "DENY"
        if not request.path.startswith("/static/"):
            headers["Cache-Control"] = "no-store"
        lang = getattr(g, "lang", None)
        if lang and request.args.get("lang"):
            response.set_cookie(LANG_COOKIE, lang, samesite="Strict", httponly=True)
        return response

    @app.context_processor
    def _words() -> dict[str, Any]:
        lang = getattr(g, "lang", room.lang)
        return {
            "t": lambda key, **values: t(key, lang=lang, **values),
            "tn": lambda key, n, **values: tn(key, n, lang=lang, **values),
            "lang": lang,
            "other_lang": next(x for x in LANGS if x != lang),
        }

    @app.errorhandler(413)
    def _too_large(_: Exception) -> ResponseReturnValue:
        return t("room.web.too_large", lang=room.lang), 413

    @app.errorhandler(404)
    def _not_found(_: Exception) -> ResponseReturnValue:
        return t("room.web.not_found", lang=getattr(g, "lang", room.lang)), 404

    from hsvalidate.room.ballot import bp as ballot_pages
    from hsvalidate.room.projector import bp as projector_pages

    app.register_blueprint(ballot_pages)
    app.register_blueprint(projector_pages)
    return app


def room_of(app: Any) -> Room:
    """The :class:`Room` an application serves (for blueprints)."""
    room: Room = app.extensions["hsvalidate_room"]
    return room


def facilitator_allowed(room: Room) -> bool:
    """The laptop itself, or a browser that gave the facilitator's PIN."""
    from flask import request

    if (request.remote_addr or "") in LOOPBACK:
        return True
    return room.check("facilitator", request.cookies.get(PIN_COOKIE, ""))


def _chosen_language(room: Room) -> str:
    """``?lang=`` first, then the participant's earlier choice (cookie), then the session's."""
    from flask import request

    return (
        normalise_lang(request.args.get("lang"))
        or normalise_lang(request.cookies.get(LANG_COOKIE))
        or room.lang
    )
