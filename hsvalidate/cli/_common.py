"""What every command shares: translated help, the language, the session options, the session.

Why help texts are catalogue keys: click builds a command when its module is imported,
long before the language of the session is known; the key is written out in the
language in use at the moment the help is shown.  Only click and the standard library
are imported here, so ``COMMAND --help`` stays fast.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from hsvalidate import i18n
from hsvalidate.i18n import get_language, t, tn
from hsvalidate.sessions import SESSION_FILE, SESSIONS_ENV, resolve_session, sessions_root

if TYPE_CHECKING:
    from hsvalidate.store import LockHolder, Repair
    from hsvalidate.workshop import Workshop

F = TypeVar("F", bound=Callable[..., Any])


def _textwrap() -> Any:
    """textwrap, imported when a long sentence is first wrapped (never for --help)."""
    import textwrap

    return textwrap


def _json() -> Any:
    """json, imported when a session's language is first read (never for a bare --help)."""
    import json

    return json


def _translated(text: str | None) -> str | None:
    """A help key written out; text that is not a key is shown as it is."""
    if text and i18n.has(text):
        return t(text)
    return text


@contextmanager
def _help_in_language(obj: Any) -> Iterator[None]:
    original, short = obj.help, getattr(obj, "short_help", None)
    obj.help = _translated(original)
    if short is not None:
        obj.short_help = _translated(short)
    try:
        yield
    finally:
        obj.help = original
        if short is not None:
            obj.short_help = short


_USAGE_WORDS = {"[OPTIONS]": "meta.options", "COMMAND [ARGS]...": "meta.command"}
"""Click's usage placeholders, said in the language in use."""


class LocalCommand(click.Command):
    """A command whose help is a catalogue key."""

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        """``[OPTIONS] COMMANDE [ARGUMENTS]...`` in the language in use."""
        pieces = super().collect_usage_pieces(ctx)
        return [t(_USAGE_WORDS[p]) if p in _USAGE_WORDS else p for p in pieces]

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The help, in the language in use."""
        with _help_in_language(self):
            super().format_help_text(ctx, formatter)

    def get_short_help_str(self, limit: int = 45) -> str:
        """The one-line help shown in the parent's list, in the language in use."""
        with _help_in_language(self):
            return super().get_short_help_str(limit)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        """``--help``, described in the language in use.

        Click keeps the option it made first, with the words of that moment; a process
        that shows help in two languages (the tests) would otherwise keep the first.
        """
        found = super().get_help_option(ctx)
        if found is not None:
            from gettext import gettext  # click's own words, from click's catalogue

            found.help = gettext("Show this message and exit.")
        return found


class LocalOption(click.Option):
    """An option whose help (and metavar) is a catalogue key."""

    def get_help_extra(self, ctx: click.Context) -> Any:
        """``[défaut : papier]``: a default that is a code is shown as its word.

        Click 8.2 and later build the bracketed extras here; earlier versions show the
        code, which is still accepted on the command line.
        """
        extra = super().get_help_extra(ctx)
        if isinstance(self.type, TermChoice) and "default" in extra:
            extra["default"] = self.type.describe(self.default)
        return extra

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        """The option's line in ``--help``, in the language in use."""
        original_metavar = self.metavar
        self.metavar = _translated(original_metavar)
        try:
            with _help_in_language(self):
                return super().get_help_record(ctx)
        finally:
            self.metavar = original_metavar

    def make_metavar(self, *args: Any, **kwargs: Any) -> str:
        """``NOM``, ``FICHIER``…: the placeholder of a value, in the language in use."""
        return _metavar_in_language(self, super().make_metavar, *args, **kwargs)


class LocalArgument(click.Argument):
    """An argument whose metavar is a catalogue key (``FICHIER`` rather than ``FILE``)."""

    def make_metavar(self, *args: Any, **kwargs: Any) -> str:
        """The placeholder of the argument, in the language in use."""
        return _metavar_in_language(self, super().make_metavar, *args, **kwargs)


def _metavar_in_language(
    param: click.Parameter, make: Callable[..., str], *args: Any, **kwargs: Any
) -> str:
    """Click's placeholder for ``param``, its catalogue key written out for the moment."""
    original = param.metavar
    param.metavar = _translated(original)
    try:
        return make(*args, **kwargs)
    finally:
        param.metavar = original


class LocalGroup(LocalCommand, click.Group):
    """A group of commands whose help texts are catalogue keys."""

    command_class = LocalCommand
    group_class = type  # subgroups are LocalGroup too


def command(name: str | None = None, **kwargs: Any) -> Callable[[F], LocalCommand]:
    """``click.command`` with translated help: ``@command("new", help="help.session.new")``."""
    return click.command(name, cls=LocalCommand, **kwargs)


def group(name: str | None = None, **kwargs: Any) -> Callable[[F], LocalGroup]:
    """``click.group`` with translated help."""
    return click.group(name, cls=LocalGroup, **kwargs)


def option(*decls: str, **kwargs: Any) -> Callable[[F], F]:
    """``click.option`` whose ``help`` and ``metavar`` are catalogue keys."""
    return click.option(*decls, cls=LocalOption, **kwargs)


def argument(*decls: str, **kwargs: Any) -> Callable[[F], F]:
    """``click.argument`` whose ``metavar`` is a catalogue key."""
    return click.argument(*decls, cls=LocalArgument, **kwargs)


# -- words users type ---------------------------------------------------------------------

Term = Callable[[str], str]
"""How one choice is written in a language (``lang → word``)."""


def catalogue_word(key: str) -> Term:
    """A choice whose words are a catalogue entry (``source.paper``: papier, paper)."""
    return lambda lang: t(key, lang=lang)


class TermChoice(click.ParamType):  # type: ignore[type-arg]  # generic from click 8.2 on
    """A choice typed as a code or as its word in either language; the value is the code.

    Why: a francophone facilitator types ``--source papier``, a partner ``--source paper``
    and a script the code; all three mean ``paper``.  ``--help`` lists the words of the
    language in use.  A word of several words may be shortened to its first ones
    (``--rule pourcentage`` for « pourcentage d'accord ») when that names one choice.
    With ``separator`` the value is a list (``pertinence,clarté``) and a tuple of codes
    comes back.
    """

    name = "term"

    def __init__(self, terms: Mapping[str, Term], *, separator: str | None = None) -> None:
        self.terms = dict(terms)
        self.separator = separator

    def words(self, lang: str | None = None) -> list[str]:
        """Every choice in ``lang`` (default: the language in use), in order."""
        chosen = lang or i18n.get_language()
        return [word(chosen) for word in self.terms.values()]

    def describe(self, value: object) -> str:
        """A code, or a list of codes, written in the language in use."""
        codes = value if isinstance(value, list | tuple) else [value]
        lang = i18n.get_language()
        return ", ".join(self.terms[c](lang) if c in self.terms else str(c) for c in codes)

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        """``[ordinateur|papier|courriel|cartons]`` in the language in use."""
        joiner = self.separator or "|"
        return "[" + joiner.join(self.words()) + "]"

    def _code(self, text: str) -> str | None:
        if text in self.terms:
            return text
        names = {code: [word(lang) for lang in i18n.LANGS] for code, word in self.terms.items()}
        found = i18n.match_term(text, names)
        if found is not None:
            return found
        wanted = i18n.fold(text)
        if not wanted:
            return None
        starts = [
            code
            for code, words in names.items()
            if any(i18n.fold(w).startswith(wanted + " ") for w in words)
        ]
        return starts[0] if len(starts) == 1 else None

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        """The code(s) the user named; an unknown word lists the choices in the language in use."""
        if isinstance(value, list | tuple):
            return tuple(value)
        texts = [value] if self.separator is None else str(value).split(self.separator)
        codes: list[str] = []
        for text in texts:
            if self.separator is not None and not text.strip():
                continue
            code = self._code(str(text))
            if code is None:
                self.fail(
                    t("cli.term.unknown", value=str(text).strip(), choices=", ".join(self.words())),
                    param,
                    ctx,
                )
            codes.append(code)
        if self.separator is None:
            return codes[0]
        if not codes:
            self.fail(t("cli.term.empty", choices=", ".join(self.words())), param, ctx)
        return tuple(dict.fromkeys(codes))

    def shell_complete(
        self, ctx: click.Context, param: click.Parameter, incomplete: str
    ) -> list[Any]:
        """Complete with the words of the language in use."""
        from click.shell_completion import CompletionItem

        return [CompletionItem(w) for w in self.words() if w.startswith(incomplete)]


def source_choice(*codes: str) -> TermChoice:
    """Channels a vote may come from, typed as the code or its word (``papier``, ``paper``)."""
    return TermChoice({code: catalogue_word(f"source.{code}") for code in codes})


class DecimalRange(click.FloatRange):
    """A number typed with a decimal comma or point (``72,5`` or ``72.5``) within a range.

    Why: a francophone facilitator writes 72,5; refusing it would be a trap.
    """

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        """The number, whichever decimal sign was typed."""
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().convert(value, param, ctx)


# -- the screen --------------------------------------------------------------------------


def screen_width() -> int:
    """Columns of the terminal (``COLUMNS`` wins; 80 when the output is a file or a pipe)."""
    return max(40, shutil.get_terminal_size((80, 24)).columns)


def echo_wrapped(
    text: str, *, indent: str = "", hang: str | None = None, err: bool = False
) -> None:
    """A paragraph wrapped at word boundaries to the screen, so no word is cut in two.

    ``hang`` indents the lines after the first (``indent`` otherwise), for a line that
    starts with a time or a code the rest should align under.
    """
    width = screen_width() - 1
    click.echo(
        _textwrap().fill(
            text,
            width=width,
            initial_indent=indent,
            subsequent_indent=indent if hang is None else hang,
            break_long_words=False,
            break_on_hyphens=False,
        ),
        err=err,
    )


def echo_fields(rows: Sequence[tuple[str, str]], *, indent: str = "") -> None:
    """Label–value lines, values aligned and wrapped under themselves (``Indicateurs : 33``).

    Why one template for the label: French puts a non-breaking space before the colon.
    """
    labels = [t("cli.field", label=label) if label else "" for label, _ in rows]
    width = len(indent) + max((len(label) for label in labels), default=0) + 1
    wrap = screen_width() - 1
    for label, (_, value) in zip(labels, rows, strict=True):
        head = f"{indent}{label}".ljust(width)
        click.echo(
            _textwrap().fill(
                value,
                width=max(wrap, width + 20),
                initial_indent=head,
                subsequent_indent=" " * width,
                break_long_words=False,
                break_on_hyphens=False,
            )
            if value
            else head.rstrip()
        )


# -- the language ------------------------------------------------------------------------

_forced_lang: str | None = None
"""The language asked for with ``--lang`` on this command line, if any."""


def lang_option(func: F) -> F:
    """``--lang``: the language of this command's output (the session's otherwise).

    The value was already applied before parsing (see ``choose_language``); declaring
    the option lets click accept it and list it in ``--help``.
    """
    return option(
        "--lang",
        type=click.Choice(i18n.LANGS),
        default=None,
        expose_value=False,
        is_eager=True,
        help="help.opt.lang",
    )(func)


def _scan(args: list[str], flag: str) -> str | None:
    """The value of ``flag`` on a raw command line (``--flag X`` or ``--flag=X``)."""
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == flag and i + 1 < len(args):
            return args[i + 1]
        if arg.startswith(flag + "="):
            return arg.split("=", 1)[1]
    return None


def session_language(root: Path, name: str | None) -> str | None:
    """A session's language read straight from its file, without opening the store.

    Why not open it: ``--help`` and error messages must come out in the session's
    language without paying for the store, its lock and its journals.
    """
    if name is None:
        try:
            name = (root / ".current").read_text(encoding="utf-8").strip()
        except OSError:
            return None
    try:
        with (root / name / SESSION_FILE).open(encoding="utf-8") as handle:
            data = _json().load(handle)
        meta: dict[str, Any] = next(iter(data.get("meta", {}).values()), {})
        return i18n.normalise_lang(str(meta.get("settings", {}).get("lang", "")))
    except (OSError, ValueError, AttributeError, StopIteration):
        return None


def choose_language(args: list[str]) -> str:
    """The language of a command line, before click parses it.

    ``--lang`` wins; then the chosen (or default) session's language; then
    ``HSVALIDATE_LANG``; then the system's.  Commands that work without a session
    (``framework check``, ``session new``, ``demo``) skip the session: checking a
    partner's framework should not depend on which workshop was opened last.  Click's
    own words follow the language too.
    """
    global _forced_lang
    _forced_lang = i18n.normalise_lang(_scan(args, "--lang"))
    lang = _forced_lang
    if lang is None and not _sessionless(args):
        root_text = _scan(args, "--sessions-dir")
        root = sessions_root(Path(root_text) if root_text else None)
        lang = session_language(root, _scan(args, "--session"))
    chosen = i18n.set_language(lang)
    i18n.install_click_translation(chosen)
    return chosen


SESSIONLESS = (("demo",), ("framework",), ("session", "new"))
"""Command paths that work without a session, so speak ``HSVALIDATE_LANG`` or the system's."""


def _sessionless(args: list[str]) -> bool:
    words = [a for a in args if not a.startswith("-")][:2]
    return any(tuple(words[: len(path)]) == path for path in SESSIONLESS)


def follow_session_language(lang: str) -> None:
    """Once a session is open, speak its language unless ``--lang`` said otherwise."""
    if _forced_lang is None:
        i18n.set_language(lang)
        i18n.install_click_translation(lang)


def forced_language() -> str | None:
    """The language given with ``--lang`` on this command line, if any."""
    return _forced_lang


# -- sessions ----------------------------------------------------------------------------


def sessions_dir_option(func: F) -> F:
    """``--sessions-dir``, also read from the environment variable, and ``--lang``."""
    func = option(
        "--sessions-dir",
        type=click.Path(file_okay=False, path_type=Path),
        envvar=SESSIONS_ENV,
        default=None,
        metavar="meta.folder",
        help="help.opt.sessions_dir",
    )(func)
    return lang_option(func)


def session_options(func: F) -> F:
    """``--session``, ``--sessions-dir`` and ``--lang``: every session command takes them."""
    func = option(
        "--session",
        "session_name",
        default=None,
        metavar="meta.name",
        help="help.opt.session",
    )(func)
    return sessions_dir_option(func)


def _repair_message(repair: Repair) -> str:
    """What a torn-tail repair removed, in one sentence the facilitator can act on."""
    from hsvalidate.i18n.documents import format_datetime

    lang = get_language()
    if not repair.ballots and repair.damaged:
        return tn(
            "cli.repair.damaged",
            repair.damaged,
            round=repair.round,
            after=format_datetime(repair.after, lang) if repair.after else "?",
            file=repair.quarantine,
        )
    if not repair.ballots:
        return t("cli.repair.nothing", round=repair.round, file=repair.quarantine)
    if repair.first and repair.first != repair.last:
        return tn(
            "cli.repair.ballots_between",
            repair.ballots,
            round=repair.round,
            first=format_datetime(repair.first, lang),
            last=format_datetime(repair.last, lang),
            file=repair.quarantine,
        )
    return tn(
        "cli.repair.ballots_at",
        repair.ballots,
        round=repair.round,
        when=format_datetime(repair.first, lang) if repair.first else "?",
        file=repair.quarantine,
    )


LOCK_WAIT_S = 15
"""Seconds a writing command waits for another window to finish before refusing."""


@contextmanager
def open_workshop(
    session_name: str | None,
    sessions_dir: Path | None,
    *,
    writable: bool = True,
    purpose: str = "",
) -> Iterator[Workshop]:
    """Open the chosen session, say which one when it was chosen implicitly, and close it."""
    from hsvalidate.workshop import Workshop

    root = sessions_root(sessions_dir)
    name, implicit = resolve_session(root, session_name)

    def waiting(holder: LockHolder | None) -> None:
        if holder is None:
            echo_wrapped(t("cli.session.waiting_unknown", seconds=LOCK_WAIT_S), err=True)
        else:
            echo_wrapped(
                t("cli.session.waiting", holder=holder.describe_message(), seconds=LOCK_WAIT_S),
                err=True,
            )

    workshop = Workshop.open(
        root=root,
        name=name,
        writable=writable,
        purpose=purpose,
        wait=LOCK_WAIT_S if writable else 0.0,
        on_wait=waiting,
    )
    try:
        follow_session_language(workshop.settings.lang)
        if implicit:
            click.echo(t("cli.session.implicit", name=name), err=True)
        for repair in workshop.repairs:
            echo_wrapped(_repair_message(repair), err=True)
        holder = workshop.recovered_from
        if holder is not None:
            click.echo(
                t("cli.session.recovered", pid=holder.pid, host=holder.host, since=holder.since),
                err=True,
            )
        yield workshop
        for warning in workshop.warnings:
            echo_wrapped(str(warning), err=True)
        for round_no, lines in workshop.skipped.items():
            echo_wrapped(
                tn(
                    "cli.damaged.skipped",
                    len(lines),
                    round=round_no,
                    lines=_line_ranges(lines),
                    session=workshop.name,
                ),
                err=True,
            )
    finally:
        workshop.close()


def _line_ranges(numbers: list[int]) -> str:
    """``12, 40–42`` for lines 12, 40, 41, 42: short enough to read in one sentence."""
    parts: list[str] = []
    start = prev = None
    for n in [*numbers, None]:
        if n is not None and prev is not None and n == prev + 1:
            prev = n
            continue
        if start is not None:
            parts.append(str(start) if start == prev else f"{start}–{prev}")
        start = prev = n
    return ", ".join(parts)


def echo_columns(
    used: Sequence[tuple[str, str]],
    ignored: Sequence[tuple[str, str | None]],
    *,
    heading: str = "cli.import.columns_ignored",
) -> None:
    """How a file's columns were understood: which header fed each field, which were left.

    Why: a group column headed in a way the tool does not know would otherwise leave
    every participant without a group, silently; the facilitator sees it at once.
    """
    if used:
        click.echo(t("cli.import.columns_used"))
        for field, header in used:
            echo_wrapped(
                t("cli.import.column_used", field=t(f"field.{field}"), header=header), indent="  "
            )
    if ignored:
        click.echo(t(heading))
        for header, probable in ignored:
            sentence = (
                t("cli.import.column_ignored_probable", header=header, field=t(f"field.{probable}"))
                if probable
                else t("cli.import.column_ignored", header=header)
            )
            echo_wrapped(sentence, indent="  ")


def confirm(question: str) -> bool:
    """Yes or no at the keyboard, in the language in use (``o``/``oui`` in French).

    Why not click.confirm: it accepts only ``y``/``yes``, which a francophone
    facilitator does not type; Enter alone keeps the safe answer, no.
    """
    yes = {i18n.fold(w) for w in (t("cli.yes_words"), "y", "yes") for w in w.split(",")}
    answer = click.prompt(
        f"{question} {t('cli.yes_no_hint')}", default="", show_default=False, prompt_suffix=" "
    )
    return i18n.fold(str(answer)) in yes
