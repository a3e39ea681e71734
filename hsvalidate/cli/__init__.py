"""Command-line interface: click commands only; each parses, calls one service, renders.

``main`` is the one place where expected errors become a sentence on stderr and exit
status 1 (usage errors exit 2, from click).  Anything else that escapes is a bug, and
is reported as one.
"""

from __future__ import annotations

import contextlib
import sys
import traceback

import click

from hsvalidate import __version__
from hsvalidate.cli.ballots import ballot, ballots
from hsvalidate.cli.demo import demo
from hsvalidate.cli.framework import framework
from hsvalidate.cli.participants import participants
from hsvalidate.cli.results import export, results
from hsvalidate.cli.rounds import round_
from hsvalidate.cli.session import session
from hsvalidate.errors import HsValidateError, InputFileError


class UserError(click.ClickException):
    """An expected failure, shown as one sentence (plus located problems for bad files)."""

    exit_code = 1

    def __init__(self, error: HsValidateError) -> None:
        super().__init__(str(error))
        self.problems = error.problems if isinstance(error, InputFileError) else ()

    def format_message(self) -> str:
        """The sentence, then each problem with its place, so the file can be fixed in one pass."""
        lines = [self.message]
        lines += [f"  - {problem}" for problem in self.problems[:50]]
        if len(self.problems) > 50:
            lines.append(f"  … and {len(self.problems) - 50} more.")
        return "\n".join(lines)


class _Group(click.Group):
    """The root group: turns the error family into exit status 1 for every subcommand."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except HsValidateError as exc:
            raise UserError(exc) from exc
        except (KeyboardInterrupt, EOFError):
            click.echo("\nStopped. Everything acknowledged so far is saved.", err=True)
            ctx.exit(130)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="hsvalidate")
def cli() -> None:
    """Run the validation workshop of an M&E framework, offline, on one laptop.

    Typical day: session new → participants import → round open → ballot / ballots
    import → round close → results → export.

    Example: hsvalidate demo
    """


for command in (demo, framework, session, participants, round_, ballot, ballots, results, export):
    cli.add_command(command)


def main(argv: list[str] | None = None) -> None:
    """Entry point: expected failures exit 1 with a sentence (via ``_Group``); bugs say so."""
    _utf8_console()
    try:
        cli.main(args=argv, prog_name="hsvalidate")
    except SystemExit:
        raise
    except Exception:
        click.echo(
            "hsvalidate hit an internal error; this is a bug. Everything acknowledged so far is "
            "saved. Please send the text below to the hsvalidate team.",
            err=True,
        )
        traceback.print_exc()
        sys.exit(3)


def _utf8_console() -> None:
    """Windows consoles default to a code page that cannot print ɛ ɔ ɲ ŋ; ask for UTF-8."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and (stream.encoding or "").lower() not in ("utf-8", "utf8"):
            with contextlib.suppress(OSError, ValueError):
                reconfigure(encoding="utf-8", errors="replace")
