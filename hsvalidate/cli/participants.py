"""``hsvalidate participants``: register the people in the room."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import click

from hsvalidate.cli._common import (
    argument,
    echo_columns,
    echo_wrapped,
    group,
    open_workshop,
    option,
    session_options,
)
from hsvalidate.i18n import Message, get_language, t, tn


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
    with open_workshop(session_name, sessions_dir, purpose="hsvalidate participants import") as ws:
        added, summary = ws.import_participants(file)
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
            click.echo(t("cli.participants.codes", first=added[0].code, last=added[-1].code))


@participants.command("list", help="help.participants.list")
@option("--show-names", is_flag=True, help="help.opt.participants_show_names")
@session_options
def list_(show_names: bool, session_name: str | None, sessions_dir: Path | None) -> None:
    """List participants by code; names stay hidden unless asked, as the screen is projected."""
    from hsvalidate.i18n.documents import group_label

    with open_workshop(session_name, sessions_dir, writable=False) as ws:
        people = ws.participants()
        if not people:
            echo_wrapped(t("cli.participants.none"))
            return
        lang = get_language()
        labels = {p.code: group_label(p.group, lang) for p in people}
        width = max(len(label) for label in labels.values())
        for p in people:
            sex = t(f"cli.sex.{p.sex}") if p.sex in ("F", "M") else "-"
            line = f"{p.code:>5}  {labels[p.code]:<{width}}  {sex:<2}"
            if show_names:
                line += f"  {p.name} ({p.organisation or '-'})"
            click.echo(line.rstrip())
        groups = Counter(labels.values())
        echo_wrapped(
            tn(
                "cli.participants.total",
                len(people),
                groups=", ".join(f"{g}\u00a0{n}" for g, n in sorted(groups.items())),
            )
        )
