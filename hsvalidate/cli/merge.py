"""``hsvalidate merge OTHER…``: bring in what copies of this session collected on other laptops."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from hsvalidate.cli._common import (
    TermChoice,
    argument,
    catalogue_word,
    command,
    echo_wrapped,
    open_workshop,
    option,
    session_options,
)
from hsvalidate.i18n import get_language, has, t, tn
from hsvalidate.sessions import SESSION_FILE, sessions_root

if TYPE_CHECKING:
    from hsvalidate.merge import Conflict, MergePlan, MergeResult
    from hsvalidate.model import Ballot
    from hsvalidate.workshop import Workshop

PREFER_CHOICE = TermChoice(
    {code: catalogue_word(f"merge.prefer.{code}") for code in ("latest", "here", "other")}
)
"""``--prefer``: how conflicts are settled without asking (the codes of ``merge.PREFERENCES``,
kept in step by a test; named here so --help does not import the service)."""


@command(help="help.merge")
@argument(
    "others",
    nargs=-1,
    required=True,
    type=click.Path(path_type=Path),
    metavar="meta.folders",
)
@option("--prefer", type=PREFER_CHOICE, default=None, help="help.opt.merge_prefer")
@option("--dry-run", is_flag=True, help="help.opt.merge_dry_run")
@session_options
def merge(
    others: tuple[Path, ...],
    prefer: str | None,
    dry_run: bool,
    session_name: str | None,
    sessions_dir: Path | None,
) -> None:
    """Merge the sessions named into this one: every check first, then one write per session."""
    from hsvalidate import merge as service
    from hsvalidate import prompts
    from hsvalidate.errors import SessionError
    from hsvalidate.i18n import Message

    folders = [_folder(path, sessions_dir) for path in others]
    with open_workshop(
        session_name, sessions_dir, writable=not dry_run, purpose="hsvalidate merge"
    ) as ws:
        read = [service.read_other(folder) for folder in folders]
        for other in read:
            service.check_compatible(ws, other)
        for other in read:
            plan = service.plan_merge(ws, other)
            if dry_run:
                _show_plan(ws, plan)
                continue
            if plan.conflicts and prefer is None and not prompts.stdin_is_terminal():
                raise SessionError(
                    Message(
                        "merge.needs_prefer",
                        len(plan.conflicts),
                        other=other.name,
                        count=len(plan.conflicts),
                    )
                )
            choose = (
                service.chooser_for(prefer)
                if prefer is not None
                else _ask(ws, other.name, len(plan.conflicts))
            )
            result = service.apply_merge(ws, plan, choose)
            if plan.conflicts and prefer is None:
                click.echo("")
            _show_result(ws, result)


def _folder(path: Path, sessions_dir: Path | None) -> Path:
    """The folder named: a path as typed, else a session of the sessions folder by name.

    Why both: on the main laptop the other copy is usually a USB stick's folder
    (``E:/bamako-2026``), but it may also have been copied next to this session.
    """
    if (path / SESSION_FILE).is_file() or path.is_absolute():
        return path
    beside = sessions_root(sessions_dir) / path
    return beside if (beside / SESSION_FILE).is_file() else path


def _ask(ws: Workshop, other: str, total: int) -> Callable[[Conflict], str]:
    """A chooser asking the facilitator at the keyboard, one conflict after the other."""
    from hsvalidate import prompts

    lang = get_language()
    asked = 0

    def choose(conflict: Conflict) -> str:
        nonlocal asked
        asked += 1
        click.echo("")
        echo_wrapped(
            t(
                "merge.conflict.header",
                number=asked,
                total=total,
                round=conflict.round,
                participant=conflict.participant,
                indicator=conflict.indicator,
            )
        )
        # The ballots are printed wrapped; a choice's title would be cut at the screen's edge.
        echo_wrapped(
            t("merge.conflict.here", ballot=_ballot_text(ws, conflict.here)),
            indent="  ",
            hang="    ",
        )
        echo_wrapped(
            t("merge.conflict.other", other=other, ballot=_ballot_text(ws, conflict.other)),
            indent="  ",
            hang="    ",
        )
        return prompts.choose_one(
            t("merge.conflict.ask"),
            [
                ("here", t("merge.conflict.keep_here")),
                ("other", t("merge.conflict.keep_other", other=other)),
            ],
            lang=lang,
        )

    return choose


def _ballot_text(ws: Workshop, ballot: Ballot) -> str:
    """Ratings, channel, laptop and time of a ballot in one line: what tells two apart."""
    from hsvalidate.i18n.documents import format_datetime

    lang = get_language()
    labels = {c.code: c.label.get(lang) or c.code for c in ws.settings.criteria}
    ratings = ", ".join(
        t(
            "merge.rating",
            criterion=labels.get(code, code),
            score=t("cannot_judge") if score is None else score,
        )
        for code, score in ballot.ratings.items()
    )
    key = f"source.{ballot.source}"
    return t(
        "merge.ballot",
        ratings=ratings,
        source=t(key) if has(key, lang) else ballot.source,
        station=ballot.station or "?",
        time=format_datetime(ballot.recorded_at, lang) if ballot.recorded_at else "?",
    )


def _stations(stations: tuple[str, ...]) -> str:
    if not stations:
        return ""
    return tn("merge.stations", len(stations), stations=", ".join(stations))


def _show_plan(ws: Workshop, plan: MergePlan) -> None:
    """What a merge would bring, written as the summary of one, without writing anything."""
    from hsvalidate import merge as service

    result = service.preview(plan)
    _show_result(ws, result, preview=True)
    if plan.conflicts:
        echo_wrapped(tn("merge.preview.conflicts", len(plan.conflicts)), indent="  ", hang="    ")
    for conflict in plan.conflicts:
        echo_wrapped(
            t(
                "merge.preview.conflict",
                round=conflict.round,
                participant=conflict.participant,
                indicator=conflict.indicator,
                here=_ballot_text(ws, conflict.here),
                other=_ballot_text(ws, conflict.other),
            ),
            indent="    ",
            hang="      ",
        )


def _show_result(ws: Workshop, result: MergeResult, *, preview: bool = False) -> None:
    """The summary of one merge: who came in, how many ballots per round, what was settled."""
    if result.nothing:
        echo_wrapped(t("merge.done.nothing", other=result.other))
        for table, keys in result.kept.items():
            _kept(table, keys, result.other)
        return
    echo_wrapped(
        t(
            "merge.preview.header" if preview else "merge.done.header",
            other=result.other,
            name=ws.name,
            stations=_stations(result.stations),
        )
    )
    lines: list[str] = []
    if result.added:
        lines.append(
            tn(
                "merge.done.participants",
                len(result.added),
                codes=", ".join(p.code for p in result.added),
            )
        )
    for moved in result.renumbered:
        lines.append(
            t(
                "merge.done.same_person" if moved.known else "merge.done.renumbered",
                name=moved.name,
                theirs=moved.theirs,
                code=moved.code,
                other=result.other,
            )
        )
    if result.updated:
        lines.append(tn("merge.done.updated", len(result.updated), codes=", ".join(result.updated)))
    rounds = sorted(set(result.ballots) | set(result.duplicates))
    for round_no in rounds:
        lines.append(
            tn(
                "merge.done.round",
                result.ballots.get(round_no, 0),
                round=round_no,
                duplicates=result.duplicates.get(round_no, 0),
            )
        )
    if result.resolved:
        lines.append(tn("merge.done.conflicts", len(result.resolved)))
        for done in result.resolved:
            lines.append(
                "  "
                + t(
                    "merge.done.kept_other" if done.kept == "other" else "merge.done.kept_here",
                    round=done.conflict.round,
                    participant=done.conflict.participant,
                    indicator=done.conflict.indicator,
                    other=result.other,
                )
            )
    for table, count in result.documents.items():
        lines.append(tn(f"merge.done.documents.{table}", count))
    for line in lines:
        echo_wrapped(line, indent="  ", hang="    ")
    for round_no in result.closed_rounds:
        echo_wrapped(t("merge.done.closed_round", round=round_no), indent="  ", hang="    ")
    for table, keys in result.kept.items():
        _kept(table, keys, result.other)


def _kept(table: str, keys: tuple[str, ...], other: str) -> None:
    echo_wrapped(
        tn(f"merge.done.not_brought.{table}", len(keys), keys=", ".join(keys), other=other),
        indent="  ",
        hang="    ",
    )


__all__ = ["merge"]
