"""``hsvalidate ballot`` (one participant at the laptop) and ``hsvalidate ballots import`` (files)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from hsvalidate.cli._common import (
    TermChoice,
    argument,
    catalogue_word,
    command,
    echo_wrapped,
    group,
    open_workshop,
    option,
    session_options,
)
from hsvalidate.i18n import Message, get_language, t, tn

if TYPE_CHECKING:
    from hsvalidate.consensus import Stats
    from hsvalidate.model import Participant
    from hsvalidate.prompts import IndicatorView
    from hsvalidate.tally import Feedback
    from hsvalidate.workshop import Workshop


def _sources(*codes: str) -> TermChoice:
    """Channels a vote may come from, typed as the code or its word (``papier``, ``paper``)."""
    return TermChoice({code: catalogue_word(f"source.{code}") for code in codes})


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
    type=_sources("terminal", "paper", "email", "cards"),
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
    """Collect ballots at the laptop, or record one paper ballot with no question asked.

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


def _interactive(ws: Workshop, participant: str | None, source: str) -> None:
    """The ballot screen: the participant's language is the command's (the session's)."""
    from hsvalidate import prompts
    from hsvalidate.errors import RoundError

    prompts.require_terminal(Message("cli.no_terminal.ballot"))
    lang = get_language()
    rnd = ws.open_round()
    if rnd is None:
        raise RoundError(Message("round.none_open"))
    if participant is None:
        waiting = offered_participants(ws)
        if not waiting:
            echo_wrapped(t("cli.ballot.everyone_done"))
            return
        participant = prompts.choose_participant(waiting, lang=lang)
    person = ws.participant(participant)
    todo = ws.pending(person.code)
    if not todo:
        prompts.say_done(lang)
        return
    feedback = ws.feedback(person.code)
    for ind in todo:
        # Position within the whole round, so a participant who resumes sees "12 of 33".
        position = rnd.indicators.index(ind.code) + 1
        view = _view(ws, ind.code, position, len(rnd.indicators), feedback, lang)
        answer = prompts.ask_ballot(
            view, scale_min=ws.scale.low, scale_max=ws.scale.high, lang=lang
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


def offered_participants(ws: Workshop) -> list[tuple[str, str]]:
    """(code, label) of the participants the ballot screen offers: those with something left.

    Withdrawn participants are not offered (``Workshop.pending`` is empty for them: they
    are no longer expected to vote), though their earlier ballots keep counting.
    """
    return [(p.code, f"{p.code} — {p.name}") for p in ws.waiting()]


def _feedback_line(stats: Stats, own: int | None, lang: str) -> str:
    """One line of last round's figures and the participant's own rating, in their language."""
    from hsvalidate.i18n.documents import format_number

    return t(
        "ballot.feedback",
        lang=lang,
        median=format_number(stats.median, lang),
        low=format_number(stats.pct_low or 0, lang, digits=0),
        mid=format_number(stats.pct_mid or 0, lang, digits=0),
        high=format_number(stats.pct_high or 0, lang, digits=0),
        n=stats.n,
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
    from hsvalidate.prompts import CriterionView, IndicatorView

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
        changed=_changed_line(ws, code, lang),
    )


def _changed_line(ws: Workshop, code: str, lang: str) -> str:
    """What the participant must know when the wording is not the one an earlier round rated."""
    revision = ws.history.last_change(code)
    if revision is None or revision.after_round < 1:
        return ""  # changed before round 1: nobody rated the earlier wording
    version = ws.history.version(code)
    if revision.change in ("reword", "merge"):
        old = ws.history.wording(code, version - 1)
        return t(
            "ballot.changed.reword",
            lang=lang,
            round=revision.after_round,
            version=version,
            old=old.text.get(lang) if old is not None else "",
        )
    return t(
        f"ballot.changed.{revision.change}",
        lang=lang,
        round=revision.after_round,
        source=revision.code,
    )


@group(help="help.ballots")
def ballots() -> None:
    """Record ballots from files: paper ballots typed in, forms returned by email."""


@ballots.command("import", help="help.ballots.import_files")
@argument(
    "files",
    nargs=-1,
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="meta.file",
)
@option(
    "--source",
    type=_sources("import", "paper", "email", "cards"),
    default="import",
    show_default=True,
    help="help.opt.import_source",
)
@option("--dry-run", is_flag=True, default=False, help="help.opt.dry_run")
@session_options
def import_(
    files: tuple[Path, ...],
    source: str,
    dry_run: bool,
    session_name: str | None,
    sessions_dir: Path | None,
) -> None:
    """Record the ballots of tidy files and returned forms for the open round, all or none.

    Every file is read before the session is locked (a large file never keeps the other
    laptops waiting) and checked before anything is written, so a fixed set of files can
    simply come again.
    """
    from hsvalidate.errors import InputFileError
    from hsvalidate.forms import import_error
    from hsvalidate.readers import ballot_tables
    from hsvalidate.spreadsheet import Table

    read: list[tuple[Path, list[Table] | InputFileError]] = []
    for file in dict.fromkeys(files):  # a file named twice is read once
        try:
            read.append((file, ballot_tables(file)))
        except InputFileError as exc:
            read.append((file, exc))
    failed = [exc for _, exc in read if isinstance(exc, InputFileError)]
    if len(failed) == len(read):
        raise import_error([path for path, _ in read], failed)  # nothing to check against
    # A file that cannot be read means nothing is recorded: the others are still checked,
    # to list every problem at once, but without the lock no other laptop need wait for.
    with open_workshop(
        session_name,
        sessions_dir,
        writable=not (dry_run or failed),
        purpose="hsvalidate ballots import",
    ) as ws:
        outcome = ws.import_files(read, source=source, dry_run=dry_run or bool(failed))
        for done in outcome:
            who = ", ".join(done.participants) or t("cli.import.nobody")
            kind = t(f"form.kind.{done.kind}")
            key = "cli.import.would" if dry_run else "cli.import.done"
            echo_wrapped(tn(key, done.ballots, file=done.file.name, kind=kind, participants=who))
            details = []
            if done.replaced:
                replaces = "cli.import.would_replace" if dry_run else "cli.import.replaces"
                details.append(tn(replaces, done.replaced))
            if done.comments:
                details.append(tn("cli.import.comments", done.comments))
            if done.not_rated:
                details.append(tn("cli.import.not_rated", done.not_rated))
            for line in details:
                echo_wrapped(line, indent="  ")
            if done.comments_dropped:
                echo_wrapped(
                    tn(
                        "cli.ballots.comments_dropped",
                        len(done.comments_dropped),
                        which=", ".join(done.comments_dropped),
                    ),
                    indent="  ",
                )
        if dry_run:
            echo_wrapped(t("cli.import.dry_run"))


@ballots.command("forms", help="help.ballots.forms")
@option("--blank", is_flag=True, default=False, help="help.opt.form_blank")
@option(
    "--participant",
    "participants",
    multiple=True,
    metavar="meta.code",
    help="help.opt.form_participant",
)
@option(
    "--folder",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    metavar="meta.folder",
    help="help.opt.form_folder",
)
@session_options
def forms(
    blank: bool,
    participants: tuple[str, ...],
    folder: Path | None,
    session_name: str | None,
    sessions_dir: Path | None,
) -> None:
    """Write the open round's forms: one per participant expected, or one blank form.

    Read-only on the session: writing forms records nothing, so it never waits for the
    window where ballots are being typed in.
    """
    from hsvalidate.errors import BallotError, RoundError
    from hsvalidate.exports.forms import form_content, write_form
    from hsvalidate.forms import form_file_name

    with open_workshop(session_name, sessions_dir, writable=False) as ws:
        snap = ws.snapshot()
        rnd = snap.open_round()
        if rnd is None:
            raise RoundError(Message("round.none_open"))
        lang = get_language()
        target = folder if folder is not None else ws.exports_dir / t("form.folder_name")
        if blank:
            path = target / form_file_name(rnd.number, t("form.blank_code"), lang)
            write_form(path, form_content(snap, None, lang))
            echo_wrapped(t("cli.forms.blank_written", file=path))
            echo_wrapped(t("cli.forms.send"))
            return
        if participants:
            people = [ws.participant(code) for code in participants]
            for person in people:
                if not _expected(person, rnd.number):
                    raise BallotError(
                        Message("cli.forms.withdrawn", code=person.code, round=rnd.number)
                    )
        else:
            people = [p for p in snap.participants if _expected(p, rnd.number)]
        if not people:
            echo_wrapped(t("cli.forms.none", round=rnd.number))
            return
        written = []
        for person in {p.code: p for p in people}.values():  # a code named twice: one form
            path = target / form_file_name(rnd.number, person.code, lang)
            write_form(path, form_content(snap, person, lang))
            written.append((person, path))
        click.echo(tn("cli.forms.written", len(written), folder=target))
        for person, path in written:
            click.echo(
                "  " + t("cli.forms.line", code=person.code, name=person.name, file=path.name)
            )
        echo_wrapped(t("cli.forms.send"))


def _expected(person: Participant, round_no: int) -> bool:
    """Whether a participant still rates in ``round_no``: registered and not withdrawn by then.

    Absent participants are included: a form is precisely for whoever cannot be in the room.
    """
    return person.withdrawn_from is None or person.withdrawn_from > round_no
