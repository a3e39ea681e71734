"""``hsvalidate indicator``: reword, merge, split, add and drop indicators between rounds."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from hsvalidate.cli._common import (
    argument,
    echo_wrapped,
    group,
    open_workshop,
    option,
    session_options,
)
from hsvalidate.i18n import get_language, t

if TYPE_CHECKING:
    from hsvalidate.revisions import Revision
    from hsvalidate.workshop import Workshop

_REASON = ("--reason", "--motif")

F = TypeVar("F", bound=Callable[..., Any])


def _new_wording(command: F) -> F:
    """``--text`` (required), ``--set champ=texte`` and ``--reason``: what a merge and an addition take."""
    for decorate in reversed(
        (
            option("--text", required=True, metavar="meta.text", help="help.opt.indicator_text"),
            option(
                "--set",
                "pairs",
                multiple=True,
                metavar="meta.field_value",
                help="help.opt.indicator_set",
            ),
            option(
                *_REASON, "reason", default="", metavar="meta.text", help="help.opt.revision_reason"
            ),
        )
    ):
        command = decorate(command)
    return command


@group(help="help.indicator")
def indicator() -> None:
    """Change the framework in the room; every change is a new version, kept with its reason."""


def _fields(pairs: tuple[str, ...]) -> dict[str, str]:
    """``--set champ=texte`` pairs as a mapping; a pair without ``=`` is a usage error."""
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise click.UsageError(t("revision.field_syntax", value=pair))
        out[name.strip()] = value
    return out


def _wording(ws: Workshop, code: str) -> str:
    """An indicator's current wording in the session's language, for the confirmation line."""
    found = ws.framework.indicator(code)
    return found.text.get(get_language()) if found else ""


def _done(ws: Workshop, key: str, revision: Revision, **values: Any) -> None:
    echo_wrapped(t(key, code=revision.code, **values))
    for code in revision.new_codes:
        echo_wrapped(t("cli.indicator.now_reads", code=code, text=_wording(ws, code)), indent="  ")
    if ws.open_round() is None:
        echo_wrapped(t("cli.indicator.next_round"), indent="  ")


@indicator.command("list", help="help.indicator.list")
@option("--all", "show_all", is_flag=True, help="help.opt.indicator_all")
@session_options
def list_(show_all: bool, session_name: str | None, sessions_dir: Path | None) -> None:
    """Every indicator as it stands, with its version; ``--all`` adds those taken out."""
    with open_workshop(session_name, sessions_dir, writable=False) as ws:
        lang = get_language()
        history = ws.history
        for dimension in ws.framework.dimensions:
            echo_wrapped(f"{dimension.code} {dimension.title.get(lang)}")
            for outcome in dimension.outcomes:
                echo_wrapped(f"{outcome.code} {outcome.title.get(lang)}", indent="  ")
                for ind in outcome.indicators:
                    version = history.version(ind.code)
                    mark = t("cli.indicator.version", version=version) if version > 1 else ""
                    head = f"{ind.code}{' ' + mark if mark else ''}"
                    echo_wrapped(f"{head} — {ind.text.get(lang)}", indent="    ")
        if show_all and history.retired:
            click.echo()
            click.echo(t("cli.indicator.retired_heading"))
            for code, retired in history.retired.items():
                key = f"cli.indicator.retired.{retired.change}"
                echo_wrapped(t(key, code=code, into=", ".join(retired.into)), indent="  ")


@indicator.command("reword", help="help.indicator.reword")
@argument("code", metavar="meta.code")
@option("--text", default=None, metavar="meta.text", help="help.opt.indicator_text")
@option("--set", "pairs", multiple=True, metavar="meta.field_value", help="help.opt.indicator_set")
@option(*_REASON, "reason", default="", metavar="meta.text", help="help.opt.revision_reason")
@session_options
def reword(
    code: str,
    text: str | None,
    pairs: tuple[str, ...],
    reason: str,
    session_name: str | None,
    sessions_dir: Path | None,
) -> None:
    """Give an indicator a new wording, or change any of its fields: its next version."""
    fields = _fields(pairs)
    if text is not None:
        fields["text"] = text
    if not fields:
        raise click.UsageError(t("cli.indicator.reword_needs"))
    with open_workshop(session_name, sessions_dir, purpose="hsvalidate indicator reword") as ws:
        done = ws.reword_indicator(code, fields=fields, reason=reason)
        version = ws.history.version(done.code)
        _done(ws, "cli.indicator.reworded", done, version=version)
        for name, value in fields.items():
            if name != "text":  # the statement is shown above; say what else changed
                echo_wrapped(t("cli.indicator.field_set", field=name, value=value), indent="  ")


@indicator.command("merge", help="help.indicator.merge")
@argument("codes", nargs=-1, required=True, metavar="meta.codes")
@_new_wording
@session_options
def merge(
    codes: tuple[str, ...],
    text: str,
    pairs: tuple[str, ...],
    reason: str,
    session_name: str | None,
    sessions_dir: Path | None,
) -> None:
    """Merge indicators into the first one named, with the wording the room agreed."""
    fields = _fields(pairs)
    with open_workshop(session_name, sessions_dir, purpose="hsvalidate indicator merge") as ws:
        done = ws.merge_indicators(list(codes), text=text, reason=reason, fields=fields)
        _done(
            ws,
            "cli.indicator.merged",
            done,
            sources=", ".join(done.sources),
            version=ws.history.version(done.code),
        )


@indicator.command("split", help="help.indicator.split")
@argument("code", metavar="meta.code")
@option("--text", "texts", multiple=True, metavar="meta.text", help="help.opt.split_text")
@option(*_REASON, "reason", default="", metavar="meta.text", help="help.opt.revision_reason")
@session_options
def split(
    code: str,
    texts: tuple[str, ...],
    reason: str,
    session_name: str | None,
    sessions_dir: Path | None,
) -> None:
    """Split an indicator into several, each with a new code."""
    with open_workshop(session_name, sessions_dir, purpose="hsvalidate indicator split") as ws:
        done = ws.split_indicator(code, texts=list(texts), reason=reason)
        _done(ws, "cli.indicator.split", done, codes=", ".join(done.new_codes))


@indicator.command("add", help="help.indicator.add")
@argument("outcome", metavar="meta.outcome")
@_new_wording
@session_options
def add(
    outcome: str,
    text: str,
    pairs: tuple[str, ...],
    reason: str,
    session_name: str | None,
    sessions_dir: Path | None,
) -> None:
    """Add an indicator proposed in the room under an outcome."""
    fields = _fields(pairs)
    with open_workshop(session_name, sessions_dir, purpose="hsvalidate indicator add") as ws:
        done = ws.add_indicator(outcome, text=text, reason=reason, fields=fields)
        _done(ws, "cli.indicator.added", done, outcome=done.outcome)


@indicator.command("drop", help="help.indicator.drop")
@argument("code", metavar="meta.code")
@option(*_REASON, "reason", default="", metavar="meta.text", help="help.opt.revision_reason")
@session_options
def drop(code: str, reason: str, session_name: str | None, sessions_dir: Path | None) -> None:
    """Take an indicator out of the framework; its figures stay in the documents."""
    with open_workshop(session_name, sessions_dir, purpose="hsvalidate indicator drop") as ws:
        done = ws.drop_indicator(code, reason=reason)
        echo_wrapped(t("cli.indicator.dropped", code=done.code))
