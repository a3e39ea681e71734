"""``hsvalidate participants``: register the people in the room."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from hsvalidate.cli._common import (
    TermChoice,
    argument,
    catalogue_word,
    echo_columns,
    echo_wrapped,
    group,
    open_workshop,
    option,
    screen_width,
    session_options,
)
from hsvalidate.i18n import Message, get_language, t, tn

if TYPE_CHECKING:
    from hsvalidate.model import Participant

PRESENCE_CODES = ("present", "absent", "left-early", "arrived-late")
"""The presences offered, in this order (``model.PRESENCE``; a test keeps both in step),
named here so that ``--help`` does not import the model."""


class _PresenceChoice(TermChoice):
    """A presence typed as its code or its word in either language (``parti plus tôt``).

    Why an unknown word passes through: the service refuses it in one sentence naming the
    words, with exit status 1, as it refuses an unknown code or round; click would answer
    with a usage error instead.
    """

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        """The code when the word is known; otherwise the text as typed, for the service."""
        code = self._code(str(value))
        return code if code is not None else str(value)


PRESENCE_CHOICE = _PresenceChoice(
    {code: catalogue_word(f"presence.status.{code}") for code in PRESENCE_CODES}
)


@group(help="help.participants")
def participants() -> None:
    """Register participants; the code, not the name, stands beside their ratings."""


@participants.command("add", help="help.participants.add")
@option("--name", default=None, metavar="meta.text", help="help.opt.participant_name")
@option(
    "--organisation",
    "--organization",
    default="",
    metavar="meta.text",
    help="help.opt.organisation",
)
@option("--group", default="", metavar="meta.text", help="help.opt.group")
@option("--sex", default="", metavar="meta.sex", help="help.opt.sex")
@session_options
def add(
    name: str | None,
    organisation: str,
    group: str,
    sex: str,
    session_name: str | None,
    sessions_dir: Path | None,
) -> None:
    """Register one participant; without --name the details are asked at the laptop."""
    with open_workshop(session_name, sessions_dir, purpose="hsvalidate participants add") as ws:
        if name is None:
            from hsvalidate import prompts

            prompts.require_terminal(Message("cli.no_terminal.participant"))
            from hsvalidate.i18n.documents import group_label

            # The default groups offered in the session's words, beside those already used.
            lang = get_language()
            offered = {group_label(g, lang) for g in ws.settings.groups}
            groups = sorted({p.group for p in ws.participants() if p.group} | offered)
            name, organisation, group, sex = prompts.ask_participant(groups=groups, lang=lang)
        person = ws.add_participant(name=name, organisation=organisation, group=group, sex=sex)
        click.echo(t("cli.participants.added", name=person.name, code=person.code))


@participants.command("import", help="help.participants.import")
@argument("file", type=click.Path(dir_okay=False, path_type=Path), metavar="meta.file")
@session_options
def import_(file: Path, session_name: str | None, sessions_dir: Path | None) -> None:
    """Register everyone on an attendance sheet; a sheet imported again adds only newcomers."""
    from hsvalidate.readers import attendance_tables

    tables = attendance_tables(file)  # read and checked before the session is locked
    with open_workshop(session_name, sessions_dir, purpose="hsvalidate participants import") as ws:
        added, summary = ws.import_participants(file, tables=tables)
        echo_columns(summary.columns, summary.ignored)
        for field in summary.missing:
            word = t(f"field.{field}")
            echo_wrapped(
                t("cli.import.field_missing", field=word, example=word[:1].upper() + word[1:])
            )
        click.echo(tn("cli.participants.imported", summary.added))
        if summary.skipped:
            click.echo(tn("cli.participants.skipped", summary.skipped))
        if added:
            if len(added) == 1:
                click.echo(t("cli.participants.code_one", code=added[0].code))
            else:
                click.echo(t("cli.participants.codes", first=added[0].code, last=added[-1].code))


@participants.command("edit", help="help.participants.edit")
@argument("code", metavar="meta.code")
@option("--name", default=None, metavar="meta.text", help="help.opt.participant_name")
@option(
    "--organisation",
    "--organization",
    default=None,
    metavar="meta.text",
    help="help.opt.organisation",
)
@option("--group", default=None, metavar="meta.text", help="help.opt.group")
@option("--sex", default=None, metavar="meta.sex", help="help.opt.sex")
@session_options
def edit(
    code: str,
    name: str | None,
    organisation: str | None,
    group: str | None,
    sex: str | None,
    session_name: str | None,
    sessions_dir: Path | None,
) -> None:
    """Correct a participant's details; only the options given change, never the code."""
    with open_workshop(session_name, sessions_dir, purpose="hsvalidate participants edit") as ws:
        person = ws.edit_participant(
            code, name=name, organisation=organisation, group=group, sex=sex
        )
        given = {"name": name, "organisation": organisation, "group": group, "sex": sex}
        fields = ", ".join(
            t(f"field.{field}") for field, value in given.items() if value is not None
        )
        echo_wrapped(t("cli.participants.edited", code=person.code, fields=fields))


@participants.command("remove", help="help.participants.remove")
@argument("code", metavar="meta.code")
@session_options
def remove(code: str, session_name: str | None, sessions_dir: Path | None) -> None:
    """Remove a registration made by mistake; someone who voted is withdrawn instead."""
    with open_workshop(session_name, sessions_dir, purpose="hsvalidate participants remove") as ws:
        person = ws.remove_participant(code)
        echo_wrapped(t("cli.participants.removed", code=person.code, name=person.name))


@participants.command("withdraw", help="help.participants.withdraw")
@argument("code", metavar="meta.code")
@session_options
def withdraw(code: str, session_name: str | None, sessions_dir: Path | None) -> None:
    """Mark a participant as having left; their ballots keep counting."""
    with open_workshop(
        session_name, sessions_dir, purpose="hsvalidate participants withdraw"
    ) as ws:
        person = ws.withdraw_participant(code)
        echo_wrapped(t("cli.participants.withdrawn", code=person.code, round=person.withdrawn_from))


@participants.command("presence", help="help.participants.presence")
@argument("code", metavar="meta.code")
@option(
    "--round",
    "round_no",
    type=int,
    default=None,
    metavar="meta.number",
    help="help.opt.presence_round",
)
@option("--status", type=PRESENCE_CHOICE, required=True, help="help.opt.presence_status")
@session_options
def presence(
    code: str,
    round_no: int | None,
    status: str,
    session_name: str | None,
    sessions_dir: Path | None,
) -> None:
    """Record how a participant attended one round; it changes that round's quorum."""
    with open_workshop(
        session_name, sessions_dir, purpose="hsvalidate participants presence"
    ) as ws:
        done = ws.set_presence(code, status=status, round_no=round_no)
        word = t(f"presence.status.{done.participant.presence_in(done.round)}")
        echo_wrapped(
            t(
                "cli.participants.presence_set",
                code=done.participant.code,
                status=word,
                round=done.round,
            )
        )


@participants.command("list", help="help.participants.list")
@option("--show-names", is_flag=True, help="help.opt.participants_show_names")
@option(
    "--round",
    "round_no",
    type=int,
    default=None,
    metavar="meta.number",
    help="help.opt.participants_round",
)
@session_options
def list_(
    show_names: bool, round_no: int | None, session_name: str | None, sessions_dir: Path | None
) -> None:
    """List participants by code; names stay hidden unless asked, as the screen is projected.

    Withdrawn participants are marked; with --round, each one's presence in that round
    is shown, so the facilitator can check the room before closing it.
    """
    from hsvalidate.i18n.documents import group_label

    with open_workshop(session_name, sessions_dir, writable=False) as ws:
        people = ws.participants()
        if not people:
            echo_wrapped(t("cli.participants.none"))
            return
        # An unknown round is an error, not a list where everyone looks absent.
        present = ws.present_in(round_no) if round_no is not None else []
        lang = get_language()
        labels = {p.code: group_label(p.group, lang) for p in people}
        marks = {p.code: _mark(p, round_no) for p in people}
        width = max(len(label) for label in labels.values())
        mark_width = max(len(m) for m in marks.values())
        if round_no is not None:
            click.echo(t("cli.participants.presence_heading", round=round_no))
        for p in people:
            sex = t(f"cli.sex.{p.sex}") if p.sex in ("F", "M") else "-"
            line = f"{p.code:>5}  {labels[p.code]:<{width}}  {sex:<2}"
            if mark_width:
                line += f"  {marks[p.code]:<{mark_width}}"
            if show_names:
                _echo_with_name(line, f"{p.name} ({p.organisation or '-'})")
            else:
                click.echo(line.rstrip())
        groups = Counter(labels.values())
        echo_wrapped(
            tn(
                "cli.participants.total",
                len(people),
                groups=", ".join(f"{g}\u00a0{n}" for g, n in sorted(groups.items())),
            )
        )
        if round_no is not None:
            echo_wrapped(
                tn(
                    "cli.participants.present_in",
                    len(present),
                    total=len(people),
                    round=round_no,
                )
            )


def _mark(person: Participant, round_no: int | None) -> str:
    """The word after a participant's sex: withdrawn, or their presence in ``round_no``."""
    withdrawn = person.withdrawn_from is not None and (
        round_no is None or round_no >= person.withdrawn_from
    )
    if round_no is not None and not withdrawn:
        return t(f"presence.status.{person.presence_in(round_no)}")
    return t("cli.participants.withdrawn_mark") if withdrawn else ""


def _echo_with_name(line: str, name: str) -> None:
    """A participant's line with their name, wrapped under itself to fit the screen."""
    import textwrap

    indent = " " * (len(line) + 2)
    click.echo(
        textwrap.fill(
            name,
            width=max(screen_width() - 1, len(indent) + 20),
            initial_indent=line + "  ",
            subsequent_indent=indent,
            break_long_words=False,
            break_on_hyphens=False,
        )
    )
