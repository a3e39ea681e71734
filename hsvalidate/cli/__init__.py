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


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
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
    """Entry point: run the CLI and turn expected failures into one clear sentence."""
    _utf8_console()
    try:
        cli.main(args=argv, prog_name="hsvalidate", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Stopped. Everything acknowledged so far is saved.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except InputFileError as exc:
        click.secho(f"Error: {exc}", fg="red", err=True)
        for problem in exc.problems[:50]:
            click.echo(f"  - {problem}", err=True)
        if len(exc.problems) > 50:
            click.echo(f"  … and {len(exc.problems) - 50} more.", err=True)
        sys.exit(1)
    except HsValidateError as exc:
        click.secho(f"Error: {exc}", fg="red", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo("\nStopped. Everything acknowledged so far is saved.", err=True)
        sys.exit(130)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except Exception:
        click.echo(
            "hsvalidate hit an internal error; this is a bug. Everything acknowledged so far is "
            "saved. Please send the text below to the hsvalidate team.",
            err=True,
        )
        traceback.print_exc()
        sys.exit(3)
    else:
        sys.exit(0)


def _utf8_console() -> None:
    """Windows consoles default to a code page that cannot print ɛ ɔ ɲ ŋ; ask for UTF-8."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and (stream.encoding or "").lower() not in ("utf-8", "utf8"):
            with contextlib.suppress(OSError, ValueError):
                reconfigure(encoding="utf-8", errors="replace")
