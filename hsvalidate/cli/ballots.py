"""``hsvalidate ballots import``: ballots from files (``hsvalidate ballot`` is in kiosk.py)."""

from __future__ import annotations

from pathlib import Path

import click

from hsvalidate.cli._common import (
    TermChoice,
    argument,
    catalogue_word,
    echo_wrapped,
    group,
    open_workshop,
    option,
    session_options,
)
from hsvalidate.i18n import tn


def _sources(*codes: str) -> TermChoice:
    """Channels a vote may come from, typed as the code or its word (``papier``, ``paper``)."""
    return TermChoice({code: catalogue_word(f"source.{code}") for code in codes})


@group(help="help.ballots")
def ballots() -> None:
    """Record ballots from files: paper ballots typed in, forms returned by email."""


# Paper ballots: the forms to print and the typing screen (cli/paper.py).
from hsvalidate.cli.paper import enter as _enter  # noqa: E402
from hsvalidate.cli.paper import print_ballots as _print_ballots  # noqa: E402

ballots.add_command(_print_ballots)
ballots.add_command(_enter)


@ballots.command("import", help="help.ballots.import")
@argument("file", type=click.Path(dir_okay=False, path_type=Path), metavar="meta.file")
@option(
    "--source",
    type=_sources("import", "paper", "email", "cards"),
    default="import",
    show_default=True,
    help="help.opt.import_source",
)
@session_options
def import_(file: Path, source: str, session_name: str | None, sessions_dir: Path | None) -> None:
    """Record a file's ballots for the open round, all or none, so a fixed file can come again."""
    from hsvalidate.readers import ballot_tables

    tables = ballot_tables(file)  # read and checked before the session is locked
    with open_workshop(session_name, sessions_dir, purpose="hsvalidate ballots import") as ws:
        summary = ws.import_ballots(file, source=source, tables=tables)
        click.echo(tn("cli.ballots.imported", summary.added, file=file))
        if summary.replaced:
            click.echo(tn("cli.ballots.replaced", summary.replaced))
        if summary.comments_dropped:
            echo_wrapped(
                tn(
                    "cli.ballots.comments_dropped",
                    len(summary.comments_dropped),
                    which=", ".join(summary.comments_dropped),
                )
            )
