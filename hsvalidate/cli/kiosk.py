"""``hsvalidate ballot``: the kiosk where participants vote one after another at the laptop.

Also the one-ballot form (``--participant --indicator --rating``) that records a paper
ballot with no question asked.  The screens are ``kiosk_screen``'s; this module decides
who may vote, what each screen shows and when a ballot is stored.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from hsvalidate.cli._common import (
    command,
    echo_wrapped,
    open_workshop,
    option,
    session_options,
    source_choice,
)
from hsvalidate.i18n import Message, get_language, t
from hsvalidate.screens import changed_note, figure_values, indicator_details

if TYPE_CHECKING:
    from hsvalidate.consensus import Stats
    from hsvalidate.framework import Indicator
    from hsvalidate.kiosk_screen import BallotAnswer, IndicatorView, PickerEntry
    from hsvalidate.model import Participant, Round
    from hsvalidate.tally import Feedback
    from hsvalidate.workshop import Workshop


@command(help="help.ballot")
@option("--participant", default=None, metavar="meta.code", help="help.opt.participant")
@option("--indicator", default=None, metavar="meta.code", help="help.opt.indicator")
@option(
    "--rating",
    "ratings",
    multiple=True,
    metavar="meta.rating",
    help="help.opt.rating",
)
@option("--comment", default="", metavar="meta.text", help="help.opt.comment")
@option(
    "--source",
    type=source_choice("terminal", "paper", "email", "cards"),
    default=None,
    help="help.opt.ballot_source",
)
@session_options
def ballot(
    participant: str | None,
    indicator: str | None,
    ratings: tuple[str, ...],
    comment: str,
    source: str | None,
    session_name: str | None,
    sessions_dir: Path | None,
) -> None:
    """Run the kiosk, collect one participant's ballots, or record one paper ballot.

    Each ballot is saved the moment it is confirmed, so an interrupted participant
    resumes at the first indicator they have not rated.
    """
    with open_workshop(session_name, sessions_dir, purpose="hsvalidate ballot") as ws:
        if indicator is not None or ratings:
            if participant is None or indicator is None or not ratings:
                raise click.UsageError(t("cli.ballot.needs_all"))
            earlier = ws.earlier_ballot(participant, indicator)
            recorded = ws.record_ballot(
                participant=participant,
                indicator=indicator,
                ratings=_parse_ratings(ws, ratings),
                comment=comment,
                source=source or "paper",
            )
            click.echo(
                t(
                    "cli.ballot.recorded",
                    participant=recorded.participant,
                    indicator=recorded.indicator,
                    round=recorded.round,
                )
            )
            if earlier is not None:
                click.echo(t("cli.ballot.replaces", time=earlier.recorded_at[11:16]))
            return
        _interactive(ws, participant, source or "terminal")


def _parse_ratings(ws: Workshop, ratings: tuple[str, ...]) -> dict[str, int | None]:
    """``pertinence=8``, ``relevance=8`` or ``clarté=`` (cannot judge) → scores by criterion code.

    Why here rather than in the service: the words are the command line's; the service
    receives codes and checks the scores against the scale.
    """
    lang = get_language()
    names = ", ".join(c.label.get(lang) or c.code for c in ws.settings.criteria)
    parsed: dict[str, int | None] = {}
    for item in ratings:
        name, sep, score = item.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(
                t("cli.ballot.rating_shape", item=item, criteria=names), param_hint=["--rating"]
            )
        code = ws.settings.criterion_code(name)
        if code is None:
            raise click.BadParameter(
                t("cli.ballot.unknown_criterion", name=name.strip(), criteria=names),
                param_hint=["--rating"],
            )
        score = score.strip()
        if not score:
            parsed[code] = None
            continue
        try:
            parsed[code] = int(score)
        except ValueError:
            raise click.BadParameter(
                t("cli.ballot.score_not_number", score=score, name=name.strip()),
                param_hint=["--rating"],
            ) from None
    return parsed


# -- the kiosk ---------------------------------------------------------------------------


def _interactive(ws: Workshop, participant: str | None, source: str) -> None:
    """The kiosk, or one named participant's ballot (the facilitator typed the code).

    The screens speak the command's language (the session's, or ``--lang``).
    """
    from hsvalidate import prompts
    from hsvalidate.errors import RoundError

    prompts.require_terminal(Message("cli.no_terminal.ballot"))
    lang = get_language()
    rnd = ws.open_round()
    if rnd is None:
        raise RoundError(Message("round.none_open"))
    if participant is not None:
        person = ws.participant(participant)
        if not ws.pending(person.code):
            echo_wrapped(t("kiosk.already_done", code=person.code))
            return
        # Ctrl-C here stops the command: the facilitator started it for this one person.
        vote(ws, person, rnd, source=source, lang=lang)
        echo_wrapped(t("kiosk.finished", code=person.code))
        return
    _kiosk(ws, rnd, source=source, lang=lang)


def _kiosk(ws: Workshop, rnd: Round, *, source: str, lang: str) -> None:
    """Participant after participant until the facilitator quits.

    Ctrl-C (or a closed input) at the list closes the kiosk; during a ballot it only
    ends that participant's turn: what they confirmed is stored, they resume later.
    """
    from hsvalidate import kiosk_screen as screen

    notice = ""
    while True:
        entries = offered_participants(ws)
        if not entries:
            echo_wrapped(t("cli.ballot.everyone_done"))
            return
        try:
            code = screen.choose_participant(entries, lang=lang, round_no=rnd.number, notice=notice)
        except (KeyboardInterrupt, EOFError):
            code = screen.QUIT
        if code == screen.QUIT:
            echo_wrapped(t("kiosk.closed"))
            return
        person = ws.participant(code)
        notice = ""
        try:
            if not screen.confirm_identity(
                person.name, person.code, person.organisation, lang=lang
            ):
                continue
            vote(ws, person, rnd, source=source, lang=lang)
        except (KeyboardInterrupt, EOFError):
            notice = t("kiosk.interrupted", lang=lang, code=person.code)


def offered_participants(ws: Workshop) -> list[PickerEntry]:
    """The participants the kiosk offers: present in the open round, something left to rate.

    Withdrawn participants are never offered (``Workshop.waiting`` leaves them out: they
    are no longer expected to vote), though their earlier ballots keep counting; those
    marked absent are not either, until the facilitator marks them present.
    """
    from hsvalidate.kiosk_screen import PickerEntry

    rnd = ws.open_round()
    lang = get_language()
    return [
        PickerEntry(p.code, _entry_label(p, lang))
        for p in ws.waiting()
        if rnd is None or p.attends(rnd.number)
    ]


def _entry_label(person: Participant, lang: str) -> str:
    """``P01 — Aminata Traoré (WANEP-Mali, société civile)``: namesakes told apart."""
    details = ", ".join(part for part in (person.organisation, person.group) if part)
    if details:
        return t(
            "kiosk.picker.entry", lang=lang, code=person.code, name=person.name, details=details
        )
    return t("kiosk.picker.entry_plain", lang=lang, code=person.code, name=person.name)


def vote(ws: Workshop, person: Participant, rnd: Round, *, source: str, lang: str) -> None:
    """One participant's turn: the indicators left, going back at will, then the review.

    Each indicator is stored when its comment is confirmed, and « ✓ Vote enregistré »
    is said only once ``record_ballot`` has returned (the ballot is on disk).  Going
    back and changing an indicator stores it again; the later ballot is the one that
    counts.  An indicator confirmed unchanged is not stored twice.
    """
    from hsvalidate import kiosk_screen as screen

    sequence = _round_indicators(ws, rnd)
    answers = _answers(ws, person.code, rnd.number)
    feedback = ws.feedback(person.code)
    who = t("kiosk.who", lang=lang, name=person.name, code=person.code)
    status = ""
    position = _next_unanswered(sequence, answers, -1)
    while True:
        if position is None:
            choice = screen.review(
                [
                    (i.code, i.text.get(lang), answers[i.code])
                    for i in sequence
                    if i.code in answers
                ],
                [c.label.get(lang) or c.code for c in ws.settings.criteria],
                [c.code for c in ws.settings.criteria],
                who=who,
                status=status,
                lang=lang,
            )
            if choice == screen.FINISH:
                screen.say_done(who=who, lang=lang)
                return
            position = next(n for n, i in enumerate(sequence) if i.code == choice)
            status = ""
        current = sequence[position]
        view = _view(ws, current.code, position + 1, len(sequence), feedback, lang)
        earlier = answers.get(current.code)
        answer = screen.ask_indicator(
            view,
            who=who,
            status=status,
            earlier=earlier,
            can_go_back=position > 0,
            scale_min=ws.scale.low,
            scale_max=ws.scale.high,
            lang=lang,
        )
        if answer is None:  # back to the previous indicator, its answers shown
            position -= 1
            status = ""
            continue
        if earlier is not None and answer == earlier:
            status = t("kiosk.unchanged", lang=lang, code=current.code)
        else:
            ws.record_ballot(
                participant=person.code,
                indicator=current.code,
                ratings=answer.ratings,
                comment=answer.comment,
                source=source,
            )
            status = t("ballot.recorded", lang=lang, code=current.code)
        answers[current.code] = answer
        position = _next_unanswered(sequence, answers, position)


def _round_indicators(ws: Workshop, rnd: Round) -> list[Indicator]:
    """The open round's indicators in the framework's order: the order the kiosk walks."""
    return [i for i in ws.framework.indicators() if i.code in rnd.indicators]


def _answers(ws: Workshop, participant: str, round_no: int) -> dict[str, BallotAnswer]:
    """What the participant already answered this round (the ballots that count)."""
    from hsvalidate.kiosk_screen import BallotAnswer

    return {
        b.indicator: BallotAnswer(ratings=dict(b.ratings), comment=b.comment)
        for b in ws.ballots(round_no)
        if b.participant == participant
    }


def _next_unanswered(
    sequence: list[Indicator], answers: dict[str, BallotAnswer], after: int
) -> int | None:
    """The next indicator not yet answered after ``after``, else the first one; None: all done.

    Why wrap around: a participant who went back to change an earlier indicator returns
    to where they were, not to the ones they already confirmed.
    """
    order = [*range(after + 1, len(sequence)), *range(0, after + 1)]
    return next((n for n in order if sequence[n].code not in answers), None)


def _feedback_line(stats: Stats, own: int | None, lang: str) -> str:
    """One line of last round's figures and the participant's own rating, in their language."""
    return t(
        "ballot.feedback",
        lang=lang,
        **figure_values(stats, lang),
        own=own if own is not None else t("ballot.none", lang=lang),
    )


def _view(
    ws: Workshop,
    code: str,
    position: int,
    total: int,
    feedback: dict[str, Feedback],
    lang: str,
) -> IndicatorView:
    from hsvalidate.kiosk_screen import CriterionView, IndicatorView

    ind = ws.framework.indicator(code)
    assert ind is not None
    parents = ws.framework.parents(code)
    previous = feedback.get(code)
    return IndicatorView(
        code=code,
        text=ind.text.get(lang),
        definition=ind.definition.get(lang),
        dimension=parents[0].title.get(lang) if parents else "",
        outcome=parents[1].title.get(lang) if parents else "",
        position=position,
        total=total,
        criteria=tuple(
            CriterionView(
                code=c.code,
                label=c.label.get(lang),
                question=c.question.get(lang),
                feedback=_feedback_line(previous.stats[c.code], previous.own.get(c.code), lang)
                if previous is not None and c.code in previous.stats
                else "",
                low=c.anchor("low", lang),
                middle=c.anchor("middle", lang),
                high=c.anchor("high", lang),
            )
            for c in ws.settings.criteria
        ),
        previous_comments=previous.comments if previous is not None else (),
        changed=changed_note(ws.history, code, lang),
        details=indicator_details(ind, lang),
    )
