"""The participant's pages: the ballot on a phone (blueprint ``ballot``).

A slip's QR code opens ``/v/<token>``: the next indicator this participant has not rated
in the open round, or, when every one is rated, the list of their own ratings with a link
to change each until the round closes.  The form posts to ``/v/<token>/rate``.

Why plain forms first: phones in the room are old and slow, networks drop, and JavaScript
may be off; every page works as a form with a redirect after the post (PRG), and
``static/ballot.js`` only sends the same form with ``fetch`` so the page need not reload.

Why the acknowledgement is read back from the session: « ✓ Vote enregistré » must mean
the ballot is on disk.  The redirect after a post names the indicator (``?ok=``), and the
page shows the words only if the session holds this participant's ballot for it, so a
forged or replayed address cannot make a phone say a vote was saved.

What a phone sees: its own participant's name (so they know the slip is theirs), the
round's indicators, the whole panel's figures of the previous round, and its own ratings;
never another participant's name, rating or comment.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from flask import Blueprint, current_app, g, jsonify, redirect, render_template, request, url_for

from hsvalidate import tally
from hsvalidate.errors import HsValidateError, RoundError
from hsvalidate.i18n import Message, t
from hsvalidate.model import Ballot, Round
from hsvalidate.room import tokens
from hsvalidate.room.app import Room, room_of
from hsvalidate.screens import changed_note, figure_values, indicator_details

if TYPE_CHECKING:
    from flask.typing import ResponseReturnValue

    from hsvalidate.framework import Indicator
    from hsvalidate.model import Participant
    from hsvalidate.workshop import Workshop

bp = Blueprint("ballot", __name__)

COMMENT_LIMIT = 2000
"""Longest comment accepted (characters): a paragraph; the request limit leaves room for it."""

CANNOT_JUDGE = "nsp"
"""The form value of « Je ne peux pas juger » (ne sait pas)."""

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]")
"""Control characters a comment loses: invisible, and some abort a workbook's save."""


@dataclass(frozen=True)
class Point:
    """One radio button of a criterion: a score and, at the anchors, its words."""

    value: str
    label: str
    words: str


@dataclass(frozen=True)
class Question:
    """One criterion's fieldset on the page."""

    code: str
    label: str
    question: str
    points: tuple[Point, ...]
    chosen: str
    """The value checked: the participant's previous answer, or what they just sent."""
    feedback: str
    own: str


class Refused(Exception):
    """A post the page answers with one sentence and a status, recording nothing."""

    def __init__(self, status: int, sentence: str) -> None:
        super().__init__(sentence)
        self.status = status
        self.sentence = sentence


# -- pages ------------------------------------------------------------------------------------


@bp.get("/v/<token>")
def ballot_page(token: str) -> ResponseReturnValue:
    """The next indicator to rate, the one named by ``?i=``, or the list when all are rated."""
    room = room_of(current_app)
    with room.workshop() as ws:
        person = room.participant(ws, token)
        if person is None:
            return _refusal_page(403, t("room.web.bad_token", lang=g.lang))
        rnd = ws.open_round()
        if rnd is None:
            return _refusal_page(409, t("webballot.no_round", lang=g.lang), back=_own_url(token))
        mine = room.own_ballots(ws, rnd.number, person.code)
        sequence = _round_indicators(ws, rnd)
        saved = request.args.get("ok", "")
        acknowledged = saved in mine  # said only when the session holds it
        wanted = request.args.get("i", "").strip()
        if wanted:
            if wanted not in rnd.indicators:
                sentence = t(
                    "webballot.not_in_round", lang=g.lang, indicator=wanted, round=rnd.number
                )
                return _refusal_page(400, sentence, back=_own_url(token))
            code = wanted
        else:
            code = next((i.code for i in sequence if i.code not in mine), "")
        if not code:
            return render_template(
                "ballot/done.html",
                **_header(person, rnd, token, len(mine), len(sequence)),
                rows=_done_rows(ws, sequence, mine),
                acknowledged=acknowledged,
            )
        return _form_page(
            room, ws, person, rnd, token, code, mine, acknowledged=acknowledged, sent=None
        )


@bp.post("/v/<token>/rate")
def rate(token: str) -> ResponseReturnValue:
    """Record one ballot; acknowledge only after the durable commit."""
    room = room_of(current_app)
    wants_json = _wants_json()
    with room.workshop() as ws:
        person = room.participant(ws, token)
        if person is None:
            return _refused(403, t("room.web.bad_token", lang=g.lang), wants_json)
        back = _own_url(token)
        canonical = tokens.normalise(token)
        if not room.check(csrf_subject(canonical), request.form.get("csrf", "")):
            return _refused(403, t("webballot.bad_csrf", lang=g.lang), wants_json, back=back)
        rnd = ws.open_round()
        if rnd is None:
            return _refused(409, t("webballot.round_closed", lang=g.lang), wants_json, back=back)
        sent_for = request.form.get("round", "").strip()
        if sent_for and sent_for != str(rnd.number):  # a page left open across a new round
            sentence = t("webballot.round_changed", lang=g.lang, round=rnd.number)
            return _refused(409, sentence, wants_json, back=back)
        code = request.form.get("indicator", "").strip()
        if code not in rnd.indicators:
            sentence = t("webballot.not_in_round", lang=g.lang, indicator=code, round=rnd.number)
            return _refused(400, sentence, wants_json, back=back)
        try:
            ratings, comment = read_form(ws, request.form, g.lang)
            ws.record_ballot(
                participant=person.code,
                indicator=code,
                ratings=ratings,
                comment=comment,
                source="web",
                round_no=rnd.number,
            )
        except Refused as refused:
            if wants_json:
                return _refused(refused.status, refused.sentence, True)
            mine = room.own_ballots(ws, rnd.number, person.code)
            return _form_page(
                room,
                ws,
                person,
                rnd,
                token,
                code,
                mine,
                acknowledged=False,
                sent=request.form,
                error=refused.sentence,
                status=refused.status,
            )
        except RoundError as error:  # closed by the facilitator a moment ago
            return _refused(409, _said(error), wants_json, back=back)
        except HsValidateError as error:
            sentence = t("webballot.refused", lang=g.lang, reason=_said(error))
            return _refused(400, sentence, wants_json, back=back)
        done = len(room.own_ballots(ws, rnd.number, person.code))
    following = url_for(".ballot_page", token=token, ok=code)
    if wants_json:
        return jsonify(
            ok=True, indicator=code, done=done, total=len(rnd.indicators), next=following
        )
    return redirect(following, code=303)


@bp.get("/v/<token>/rate")
def rate_reopened(token: str) -> ResponseReturnValue:
    """The address a refused post left in the browser, opened again: back to the ballot."""
    return redirect(_own_url(token), code=303)


# -- reading the form -------------------------------------------------------------------------


def csrf_subject(canonical_token: str) -> str:
    """What a participant's form token signs: their own token, so it posts only for them."""
    return "ballot:" + canonical_token


def read_form(
    ws: Workshop, form: Mapping[str, str], lang: str
) -> tuple[dict[str, int | None], str]:
    """The ratings and the comment a form sends, or :class:`Refused` with what to do.

    Every criterion must be answered, with a score or « Je ne peux pas juger »: a phone's
    half-filled form is more often a missed tap than a choice.
    """
    scale = ws.scale
    ratings: dict[str, int | None] = {}
    missing: list[str] = []
    for criterion in ws.settings.criteria:
        label = criterion.label.get(lang) or criterion.code
        value = (form.get(f"r_{criterion.code}") or "").strip()
        if not value:
            missing.append(label)
        elif value == CANNOT_JUDGE:
            ratings[criterion.code] = None
        elif not value.isascii() or not value.isdigit() or not scale.contains(int(value)):
            sentence = t(
                "webballot.bad_score",
                lang=lang,
                value=value[:20],
                criterion=label,
                low=scale.low,
                high=scale.high,
            )
            raise Refused(400, sentence)
        else:
            ratings[criterion.code] = int(value)
    if missing:
        raise Refused(400, t("webballot.missing", lang=lang, criteria=", ".join(missing)))
    comment = clean_comment(form.get("comment") or "")
    if len(comment) > COMMENT_LIMIT:
        raise Refused(400, t("webballot.comment_too_long", lang=lang, limit=COMMENT_LIMIT))
    return ratings, comment


def clean_comment(text: str) -> str:
    """A comment as typed, without control characters; line breaks kept, as text.

    Why not escaped here: it is stored as the participant wrote it (markup included) and
    escaped where it is shown (Jinja2 escapes every value; the workbook writes inline
    strings, never formulas; CSV cells starting with ``=`` are quoted).
    """
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return _CONTROL.sub("", text).strip()


# -- what the pages show ----------------------------------------------------------------------


def _wants_json() -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _own_url(token: str) -> str:
    return url_for(".ballot_page", token=token)


def _round_indicators(ws: Workshop, rnd: Round) -> list[Indicator]:
    """The open round's indicators in the framework's order, as the kiosk walks them."""
    return [i for i in ws.framework.indicators() if i.code in rnd.indicators]


def _header(
    person: Participant,
    rnd: Round,
    token: str,
    done: int,
    total: int,
) -> dict[str, Any]:
    """What the top of every page shows: whose ballot, which round, the language switch."""
    return {
        "owner": person.name,
        "round_no": rnd.number,
        "token": token,
        "done": done,
        "total": total,
        "own_url": _own_url(token),
    }


def _form_page(
    room: Room,
    ws: Workshop,
    person: Participant,
    rnd: Round,
    token: str,
    code: str,
    mine: dict[str, Ballot],
    *,
    acknowledged: bool,
    sent: Mapping[str, str] | None,
    error: str = "",
    status: int = 200,
) -> ResponseReturnValue:
    lang: str = g.lang
    sequence = _round_indicators(ws, rnd)
    position = next(n for n, i in enumerate(sequence, start=1) if i.code == code)
    indicator = sequence[position - 1]
    parents = ws.framework.parents(code)
    earlier = mine.get(code)
    feedback = room.feedback(ws, person.code).get(code)
    html = render_template(
        "ballot/rate.html",
        **_header(person, rnd, token, len(mine), len(sequence)),
        position=position,
        code=code,
        round_number=rnd.number,
        text=indicator.text.get(lang),
        definition=indicator.definition.get(lang),
        dimension=parents[0].title.get(lang) if parents else "",
        outcome=parents[1].title.get(lang) if parents else "",
        changed=changed_note(ws.history, code, lang),
        details=indicator_details(indicator, lang, joined=False),
        questions=_questions(ws, earlier, sent, feedback, lang),
        comment=(
            sent.get("comment", "") if sent is not None else earlier.comment if earlier else ""
        ),
        changing=earlier is not None,
        acknowledged=acknowledged,
        error=error,
        csrf=room.sign(csrf_subject(tokens.normalise(token))),
        limit=COMMENT_LIMIT,
    )
    return html, status


def _questions(
    ws: Workshop,
    earlier: Ballot | None,
    sent: Mapping[str, str] | None,
    feedback: tally.Feedback | None,
    lang: str,
) -> tuple[Question, ...]:
    """One fieldset per criterion; nothing is checked before the participant chooses."""
    scale = ws.scale
    middle = (scale.low + scale.high) // 2
    anchors = {scale.low: "low", middle: "middle", scale.high: "high"}
    out: list[Question] = []
    for c in ws.settings.criteria:
        if sent is not None:
            chosen = (sent.get(f"r_{c.code}") or "").strip()
        elif earlier is not None and c.code in earlier.ratings:
            score = earlier.ratings[c.code]
            chosen = CANNOT_JUDGE if score is None else str(score)
        else:
            chosen = ""
        points = tuple(
            Point(
                value=str(n),
                label=str(n),
                words=(c.anchor(anchors[n], lang) or t(f"ballot.{anchors[n]}", lang=lang))
                if n in anchors
                else "",
            )
            for n in range(scale.low, scale.high + 1)
        )
        figures = own = ""
        if feedback is not None and c.code in feedback.stats:
            stats = feedback.stats[c.code]
            figures = t(
                "webballot.feedback",
                lang=lang,
                **figure_values(stats, lang),
            )
            if c.code in feedback.own:
                previous = feedback.own[c.code]
                own = t(
                    "webballot.feedback_own",
                    lang=lang,
                    own=t("ballot.cannot_judge", lang=lang) if previous is None else previous,
                )
        out.append(
            Question(
                code=c.code,
                label=c.label.get(lang) or c.code,
                question=c.question.get(lang),
                points=points,
                chosen=chosen,
                feedback=figures,
                own=own,
            )
        )
    return tuple(out)


def _done_rows(
    ws: Workshop, sequence: list[Indicator], mine: dict[str, Ballot]
) -> list[dict[str, Any]]:
    """Every indicator of the round with the participant's own ratings, to review and change."""
    lang: str = g.lang
    rows: list[dict[str, Any]] = []
    for indicator in sequence:
        ballot = mine.get(indicator.code)
        ratings = [
            t(
                "webballot.rating",
                lang=lang,
                criterion=c.label.get(lang) or c.code,
                score=t("ballot.cannot_judge", lang=lang)
                if ballot.ratings.get(c.code) is None
                else ballot.ratings[c.code],
            )
            for c in ws.settings.criteria
            if ballot is not None and c.code in ballot.ratings
        ]
        rows.append(
            {
                "code": indicator.code,
                "text": indicator.text.get(lang),
                "ratings": ratings,
                "comment": ballot.comment if ballot is not None else "",
            }
        )
    return rows


def _refusal_page(status: int, sentence: str, *, back: str = "") -> ResponseReturnValue:
    """A page with one sentence saying what to do (bad token, no round open...)."""
    return render_template("ballot/message.html", sentence=sentence, back=back), status


def _said(error: HsValidateError) -> str:
    """An error's sentence in the page's language (never the server's global one)."""
    message = error.message
    return message.render(g.lang) if isinstance(message, Message) else str(message)


def _refused(
    status: int, sentence: str, wants_json: bool, *, back: str = ""
) -> ResponseReturnValue:
    """A refused post: JSON for the page's script, else a page with the way back."""
    if wants_json:
        return jsonify(ok=False, error=sentence), status
    return _refusal_page(status, sentence, back=back)
