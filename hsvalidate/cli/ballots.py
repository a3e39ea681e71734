"""``hsvalidate ballot`` (one participant at the laptop) and ``hsvalidate ballots import`` (files)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from hsvalidate.cli._common import open_workshop, session_options
from hsvalidate.errors import BallotError

if TYPE_CHECKING:
    from hsvalidate.consensus import Stats
    from hsvalidate.prompts import IndicatorView
    from hsvalidate.workshop import Feedback, Workshop


@click.command()
@click.option("--participant", default=None, metavar="CODE", help="Participant code, e.g. P07.")
@click.option(
    "--indicator",
    default=None,
    metavar="CODE",
    help="With --rating: record one ballot without questions (e.g. a paper ballot).",
)
@click.option(
    "--rating",
    "ratings",
    multiple=True,
    metavar="CRITERION=SCORE",
    help="A rating, e.g. relevance=7; leave the score empty (clarity=) for 'cannot judge'.",
)
@click.option("--comment", default="", help="Comment or proposed rewording.")
@click.option(
    "--source",
    type=click.Choice(["terminal", "paper", "email", "cards"]),
    default=None,
    help="Where the vote came from (default: terminal, or paper with --rating).",
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
    """Collect one participant's ballots at the laptop, indicator by indicator.

    Each ballot is saved the moment it is confirmed; an interrupted participant resumes
    at the first indicator they have not rated.  With --indicator and --rating, records
    one ballot without any question (for paper ballots typed in by the secretariat).

    Example: hsvalidate ballot --participant P07
    """
    with open_workshop(session_name, sessions_dir, purpose="hsvalidate ballot") as ws:
        if indicator is not None or ratings:
            if participant is None or indicator is None or not ratings:
                raise click.UsageError(
                    "To record a ballot without questions give --participant, --indicator "
                    "and at least one --rating."
                )
            recorded = ws.record_ballot(
                participant=participant,
                indicator=indicator,
                ratings=_parse_ratings(ratings),
                comment=comment,
                source=source or "paper",
            )
            click.echo(
                f"Recorded the ballot of {recorded.participant} on {recorded.indicator} "
                f"(round {recorded.round})."
            )
            return
        _interactive(ws, participant, source or "terminal")


def _parse_ratings(ratings: tuple[str, ...]) -> dict[str, int | None]:
    parsed: dict[str, int | None] = {}
    for item in ratings:
        criterion, sep, score = item.partition("=")
        if not sep or not criterion.strip():
            raise click.BadParameter(
                f"'{item}' is not CRITERION=SCORE, e.g. relevance=7", param_hint="--rating"
            )
        score = score.strip()
        if not score:
            parsed[criterion.strip()] = None
            continue
        try:
            parsed[criterion.strip()] = int(score)
        except ValueError:
            raise BallotError(
                f"The score '{score}' for {criterion.strip()} is not a whole number; "
                "give a number on the session scale, or nothing for 'cannot judge'."
            ) from None
    return parsed


def _interactive(ws: Workshop, participant: str | None, source: str) -> None:
    from hsvalidate import prompts

    prompts.require_terminal(
        "record paper or emailed ballots with 'hsvalidate ballots import FILE', "
        "or one ballot with --participant, --indicator and --rating."
    )
    lang = ws.settings.lang
    rnd = ws.open_round()
    if rnd is None:
        from hsvalidate.errors import RoundError

        raise RoundError("No round is open; open one with 'hsvalidate round open'.")
    if participant is None:
        waiting = [p for p in ws.participants() if ws.pending(p.code)]
        if not waiting:
            click.echo("Every participant has rated every indicator of this round.")
            return
        participant = prompts.choose_participant(
            [(p.code, f"{p.code} — {p.name}") for p in waiting], lang=lang
        )
    person = ws.participant(participant)
    todo = ws.pending(person.code)
    if not todo:
        prompts.say_done(lang)
        return
    feedback = ws.feedback(person.code)
    for ind in todo:
        # Position within the whole round, so a participant who resumes sees "12 of 33".
        position = rnd.indicators.index(ind.code) + 1
        view = _view(ws, ind.code, position, len(rnd.indicators), feedback)
        answer = prompts.ask_ballot(
            view, scale_min=ws.settings.scale_min, scale_max=ws.settings.scale_max, lang=lang
        )
        ws.record_ballot(
            participant=person.code,
            indicator=ind.code,
            ratings=answer.ratings,
            comment=answer.comment,
            source=source,
        )
        prompts.say_recorded(ind.code, lang)
    prompts.say_done(lang)


def _feedback_line(stats: Stats, own: int | None, lang: str) -> str:
    """One line of last round's figures and the participant's own rating, in their language."""
    from hsvalidate.i18n import t

    return t(
        "ballot.feedback",
        lang=lang,
        median=f"{stats.median:g}",
        low=f"{stats.pct_low or 0:.0f}",
        mid=f"{stats.pct_mid or 0:.0f}",
        high=f"{stats.pct_high or 0:.0f}",
        n=stats.n,
        own=own if own is not None else t("ballot.none", lang=lang),
    )


def _view(
    ws: Workshop,
    code: str,
    position: int,
    total: int,
    feedback: dict[str, Feedback],
) -> IndicatorView:
    from hsvalidate.prompts import CriterionView, IndicatorView

    lang = ws.settings.lang
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
            )
            for c in ws.settings.criteria
        ),
        previous_comments=previous.comments if previous is not None else (),
    )


@click.group()
def ballots() -> None:
    """Record ballots from files (paper ballots typed in, forms returned by email).

    Example: hsvalidate ballots import votes-table-3.csv --source paper
    """


@ballots.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--source",
    type=click.Choice(["import", "paper", "email", "cards"]),
    default="import",
    show_default=True,
    help="Where these votes came from; recorded with every vote.",
)
@session_options
def import_(file: Path, source: str, session_name: str | None, sessions_dir: Path | None) -> None:
    """Record ballots for the open round from a tidy CSV or XLSX file.

    Columns: participant, indicator, criterion, score, comment — one rating per row;
    score is a whole number on the session scale, or empty for "cannot judge".  The
    whole file is checked first: if any row is wrong, nothing is recorded and every
    problem is listed with its row.  Importing a corrected file again replaces the
    earlier ballots of the same participants, never counts them twice.

    Example: hsvalidate ballots import "votes papier.xlsx" --source paper
    """
    with open_workshop(session_name, sessions_dir, purpose="hsvalidate ballots import") as ws:
        summary = ws.import_ballots(file, source=source)
        click.echo(
            f"Recorded {summary.added} new ballot(s)"
            + (f" and replaced {summary.replaced} earlier one(s)" if summary.replaced else "")
            + f" from {file}."
        )
