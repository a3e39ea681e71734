"""``hsvalidate log`` and ``hsvalidate undo``: the session's story, and taking back a mistake."""

from __future__ import annotations

from pathlib import Path

import click

from hsvalidate.cli._common import (
    command,
    confirm,
    echo_wrapped,
    open_workshop,
    option,
    session_options,
)
from hsvalidate.i18n import get_language, t


@command(help="help.log")
@option("--no-ballots", "hide_ballots", is_flag=True, help="help.opt.log_no_ballots")
@session_options
def log(hide_ballots: bool, session_name: str | None, sessions_dir: Path | None) -> None:
    """Print what happened, in time order: every facilitator action, then ballots as runs."""
    from hsvalidate.i18n.documents import format_date

    with open_workshop(session_name, sessions_dir, writable=False) as ws:
        events = ws.timeline()
    lang = get_language()
    day = ""
    shown = 0
    for event in events:
        if hide_ballots and event.by not in ("facilitator",) and not event.by.startswith("file:"):
            continue
        if event.at[:10] != day:
            day = event.at[:10]
            click.echo(format_date(event.at, lang))
        text = str(event.message)
        if event.undone:
            text = t("cli.log.undone", action=text)
        echo_wrapped(f"{event.at[11:16]}  {text}", indent="  ", hang=" " * 9)
        if event.reason:
            echo_wrapped(t("cli.log.reason", reason=event.reason), indent="         ")
        shown += 1
    if not shown:
        click.echo(t("cli.log.empty"))


@command(help="help.undo")
@option("--yes", "confirmed", is_flag=True, help="help.opt.undo_yes")
@session_options
def undo(confirmed: bool, session_name: str | None, sessions_dir: Path | None) -> None:
    """Take back the last facilitator action, after saying which one and asking."""
    from hsvalidate import prompts
    from hsvalidate.errors import SessionError
    from hsvalidate.i18n import Message

    with open_workshop(session_name, sessions_dir, purpose="hsvalidate undo") as ws:
        target = ws.undo_target()
        echo_wrapped(t("cli.undo.target", action=target.message(), time=target.at[11:16]))
        if not confirmed:
            if not prompts.stdin_is_terminal():
                raise SessionError(Message("undo.needs_yes"))
            if not confirm(t("cli.undo.confirm")):
                echo_wrapped(t("cli.undo.kept"))
                return
        done = ws.undo()
        echo_wrapped(t("cli.undo.done", action=done.message()))
