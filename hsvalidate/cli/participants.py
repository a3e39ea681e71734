"""``hsvalidate participants``: register the people in the room."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import click

from hsvalidate.cli._common import open_workshop, session_options


@click.group()
def participants() -> None:
    """Register participants; each gets a code (P01, P02…) that stands beside their ratings.

    Example: hsvalidate participants import liste-de-presence.xlsx
    """


@participants.command("add")
@click.option("--name", default=None, help="Full name (accents and Bambara letters welcome).")
@click.option("--organisation", "--organization", default="", help="Organisation represented.")
@click.option("--group", default="", help="Stakeholder group (e.g. government, civil society).")
@click.option("--sex", default="", help="F, M, or empty.")
@session_options
def add(
    name: str | None,
    organisation: str,
    group: str,
    sex: str,
    session_name: str | None,
    sessions_dir: Path | None,
) -> None:
    """Register one participant; without --name the details are asked interactively.

    Example: hsvalidate participants add --name "Awa Kɔnɛ" --organisation WANEP-Mali --group "civil society" --sex F
    """
    with open_workshop(session_name, sessions_dir, purpose="hsvalidate participants add") as ws:
        if name is None:
            from hsvalidate import prompts

            prompts.require_terminal(
                "give the details with --name, --organisation, --group and --sex, "
                "or import a list with 'hsvalidate participants import FILE'."
            )
            groups = sorted(
                {p.group for p in ws.participants() if p.group} | set(ws.settings.groups)
            )
            name, organisation, group, sex = prompts.ask_participant(
                groups=groups, lang=ws.settings.lang
            )
        person = ws.add_participant(name=name, organisation=organisation, group=group, sex=sex)
        click.echo(f"Registered {person.name} as {person.code}.")


@participants.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@session_options
def import_(file: Path, session_name: str | None, sessions_dir: Path | None) -> None:
    """Register everyone on an attendance sheet (CSV or XLSX).

    Columns (French or English headers, any order; the header need not be on the first
    row): name/nom, organisation/structure, group/groupe, sex/sexe.  People already
    registered (same name and organisation) are skipped, so a sheet can be imported again.

    Example: hsvalidate participants import "liste de présence.xlsx"
    """
    with open_workshop(session_name, sessions_dir, purpose="hsvalidate participants import") as ws:
        added, summary = ws.import_participants(file)
        click.echo(
            f"Registered {summary.added} participant(s)"
            + (f"; {summary.skipped} already registered were skipped" if summary.skipped else "")
            + "."
        )
        if added:
            click.echo(f"Codes {added[0].code} to {added[-1].code}.")


@participants.command("list")
@click.option(
    "--show-names", is_flag=True, help="Show names beside codes (keep off when projecting)."
)
@session_options
def list_(show_names: bool, session_name: str | None, sessions_dir: Path | None) -> None:
    """List participants by code, group and sex; names only with --show-names.

    Example: hsvalidate participants list --show-names
    """
    with open_workshop(session_name, sessions_dir, writable=False) as ws:
        people = ws.participants()
        if not people:
            click.echo("No participants yet; add them with 'hsvalidate participants import FILE'.")
            return
        for p in people:
            line = f"{p.code:>5}  {p.group or '-':<22} {p.sex or '-':<2}"
            if show_names:
                line += f"  {p.name}  ({p.organisation or '-'})"
            click.echo(line)
        groups = Counter(p.group or "-" for p in people)
        click.echo(
            f"{len(people)} participant(s): "
            + ", ".join(f"{g} {n}" for g, n in sorted(groups.items()))
        )
