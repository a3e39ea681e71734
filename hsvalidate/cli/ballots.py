"""``hsvalidate ballots``: forms to send, paper ballots to print and type, files to import.

``hsvalidate ballot`` (the kiosk) is in kiosk.py; printing and typing paper ballots in paper.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from hsvalidate.cli._common import (
    argument,
    echo_wrapped,
    group,
    open_workshop,
    option,
    session_options,
    source_choice,
)
from hsvalidate.i18n import Message, get_language, t, tn

if TYPE_CHECKING:
    from hsvalidate.model import Participant


@group(help="help.ballots")
def ballots() -> None:
    """Ballots that do not come from the kiosk: forms, paper ballots, files."""


# Paper ballots: the forms to print and the typing screen (cli/paper.py).
from hsvalidate.cli.paper import enter as _enter  # noqa: E402
from hsvalidate.cli.paper import print_ballots as _print_ballots  # noqa: E402

ballots.add_command(_print_ballots)
ballots.add_command(_enter)


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
    type=source_choice("import", "paper", "email", "cards"),
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
