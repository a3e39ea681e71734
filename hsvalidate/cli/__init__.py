"""Command-line interface: click commands only; each parses, calls one service, renders.

``main`` is the one place where expected errors become a sentence on stderr and exit
status 1 (usage errors exit 2, from click).  Anything else that escapes is a bug, and
is reported as one.  Command modules are imported only when their command runs, so
``hsvalidate --help`` costs little more than importing click.
"""

from __future__ import annotations

import contextlib
import importlib
import sys
from typing import TYPE_CHECKING, Any

import click

from hsvalidate import __version__
from hsvalidate.cli._common import LocalGroup, LocalOption, choose_language, lang_option
from hsvalidate.i18n import t, tn

if TYPE_CHECKING:
    from hsvalidate.errors import HsValidateError

COMMANDS: dict[str, tuple[str, str, str]] = {
    "demo": ("hsvalidate.cli.demo", "demo", "help.demo"),
    "framework": ("hsvalidate.cli.framework", "framework", "help.framework"),
    "session": ("hsvalidate.cli.session", "session", "help.session"),
    "participants": ("hsvalidate.cli.participants", "participants", "help.participants"),
    "round": ("hsvalidate.cli.rounds", "round_", "help.round"),
    "ballot": ("hsvalidate.cli.kiosk", "ballot", "help.ballot"),
    "ballots": ("hsvalidate.cli.ballots", "ballots", "help.ballots"),
    "merge": ("hsvalidate.cli.merge", "merge", "help.merge"),
    "results": ("hsvalidate.cli.results", "results", "help.results"),
    "tally": ("hsvalidate.cli.counts", "tally", "help.tally"),
    "decision": ("hsvalidate.cli.decisions", "decision", "help.decision"),
    "indicator": ("hsvalidate.cli.indicators", "indicator", "help.indicator"),
    "export": ("hsvalidate.cli.results", "export", "help.export"),
    "log": ("hsvalidate.cli.log", "log", "help.log"),
    "undo": ("hsvalidate.cli.log", "undo", "help.undo"),
    "room": ("hsvalidate.cli.room", "room", "help.room"),
    "doctor": ("hsvalidate.cli.doctor", "doctor", "help.doctor"),
}
"""Every command: its module, the click object in it, and its help key (for the list)."""

MAX_PROBLEMS = 50
"""Problems listed for one bad file; the rest are counted (a file is fixed in passes)."""


class UserError(click.ClickException):
    """An expected failure, shown as one sentence (plus located problems for bad files)."""

    exit_code = 1

    def __init__(self, error: HsValidateError) -> None:
        from hsvalidate.errors import InputFileError

        super().__init__(str(error))
        self.problems = error.problems if isinstance(error, InputFileError) else ()

    def format_message(self) -> str:
        """The sentence, then each problem with its place, so the file can be fixed in one pass."""
        lines = [self.message]
        lines += [f"  - {problem}" for problem in self.problems[:MAX_PROBLEMS]]
        if len(self.problems) > MAX_PROBLEMS:
            lines.append(tn("cli.problems.more", len(self.problems) - MAX_PROBLEMS))
        return "\n".join(lines)

    def show(self, file: Any = None) -> None:
        """``Erreur : …`` wrapped at words to the screen, never a word cut at the edge.

        Only on a screen: a file or a pipe gets each sentence on one line, for grep.
        """
        import os
        import textwrap

        if not (_isatty(sys.stderr) or os.environ.get("COLUMNS")):
            super().show(file)
            return
        from gettext import gettext  # click's own "Error: {message}", from click's catalogue

        from hsvalidate.cli._common import screen_width

        prefix = gettext("Error: {message}").format(message="")
        width = screen_width() - 1
        out: list[str] = []
        for number, line in enumerate(self.format_message().splitlines()):
            lead = prefix if number == 0 else ""
            indent = "    " if line.startswith("  - ") else ""
            out.append(
                textwrap.fill(
                    lead + line,
                    width=width,
                    subsequent_indent=indent,
                    break_long_words=False,
                    break_on_hyphens=False,
                )
            )
        click.echo("\n".join(out), file=file, err=file is None)


class _Root(LocalGroup):
    """The root group: finds commands lazily and turns the error family into exit status 1."""

    def main(self, args: Any = None, *pos: Any, **kwargs: Any) -> Any:
        """Choose the language from the raw command line before click writes a word."""
        choose_language(list(sys.argv[1:] if args is None else args))
        return super().main(args, *pos, **kwargs)

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Commands in the order of a workshop day."""
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """Import a command's module only when that command is asked for."""
        entry = COMMANDS.get(cmd_name)
        if entry is None:
            return None
        module, attribute, _ = entry
        found: click.Command = getattr(importlib.import_module(module), attribute)
        return found

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list, from the help keys alone: no command module is imported."""
        limit = formatter.width - 6 - max(len(name) for name in COMMANDS)
        rows = [(name, _short_help(t(key), limit)) for name, (_, _, key) in COMMANDS.items()]
        from gettext import gettext  # click's own word, from click's catalogue

        with formatter.section(gettext("Commands")):
            formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> object:
        """Run the command; expected failures become a sentence, Ctrl-C a reassurance."""
        try:
            return super().invoke(ctx)
        except (KeyboardInterrupt, EOFError):
            click.echo("\n" + t("cli.stopped"), err=True)
            ctx.exit(130)
        except (click.exceptions.Exit, click.ClickException):
            raise  # --help, --version and usage errors: click's own way out
        except Exception as exc:
            from hsvalidate.errors import HsValidateError  # not imported for --help

            if isinstance(exc, HsValidateError):
                raise UserError(exc) from exc
            raise


@click.group(cls=_Root, context_settings={"help_option_names": ["-h", "--help"]}, help="help.root")
@click.version_option(__version__, prog_name="hsvalidate", cls=LocalOption, help="help.opt.version")
@lang_option
def cli() -> None:
    """Run the validation workshop of an M&E framework, offline, on one laptop."""


def main(argv: list[str] | None = None) -> None:
    """Entry point: expected failures exit 1 with a sentence (via ``_Root``); bugs say so."""
    _utf8_console()
    try:
        cli.main(args=argv, prog_name="hsvalidate")
    except SystemExit:
        raise
    except Exception:
        import traceback

        click.echo(t("cli.bug"), err=True)
        traceback.print_exc()
        sys.exit(3)


def _short_help(text: str, limit: int) -> str:
    """The first sentence of a help text, cut at a word with "..." when longer than ``limit``."""
    first = text.split("\n\n", 1)[0].replace("\n", " ")
    sentence = first.split(". ", 1)[0].rstrip(".")
    if len(sentence) <= limit:
        return sentence
    words: list[str] = []
    for word in sentence.split():
        if len(" ".join([*words, word])) + 3 > limit:
            break
        words.append(word)
    return " ".join(words) + "..."


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def _utf8_console() -> None:
    """Windows consoles default to a code page that cannot print ɛ ɔ ɲ ŋ; ask for UTF-8."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and (stream.encoding or "").lower() not in ("utf-8", "utf8"):
            with contextlib.suppress(OSError, ValueError):
                reconfigure(encoding="utf-8", errors="replace")
