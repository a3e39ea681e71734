"""Options and helpers shared by the session commands."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click

from hsvalidate.workshop import SESSIONS_ENV, Workshop, resolve_session, sessions_root

F = TypeVar("F", bound=Callable[..., Any])


def sessions_dir_option(func: F) -> F:
    """``--sessions-dir``, also read from the environment variable."""
    return click.option(
        "--sessions-dir",
        type=click.Path(file_okay=False, path_type=Path),
        envvar=SESSIONS_ENV,
        default=None,
        help=f"Folder holding the sessions (default ./sessions, or ${SESSIONS_ENV}).",
    )(func)


def session_options(func: F) -> F:
    """``--session`` and ``--sessions-dir``: every session command takes both."""
    func = click.option(
        "--session",
        "session_name",
        default=None,
        metavar="NAME",
        help="Session to work on (default: the one last created or opened).",
    )(func)
    return sessions_dir_option(func)


@contextmanager
def open_workshop(
    session_name: str | None,
    sessions_dir: Path | None,
    *,
    writable: bool = True,
    purpose: str = "",
) -> Iterator[Workshop]:
    """Open the chosen session, say which one when it was chosen implicitly, and close it."""
    root = sessions_root(sessions_dir)
    name, implicit = resolve_session(root, session_name)
    if implicit:
        click.echo(f"Session: {name} (use --session to choose another)", err=True)
    workshop = Workshop.open(root=root, name=name, writable=writable, purpose=purpose)
    try:
        holder = workshop.recovered_from
        if holder is not None:
            click.echo(
                f"Recovered the session after an interruption (pid {holder.pid} on {holder.host}, "
                f"since {holder.since}); nothing acknowledged was lost.",
                err=True,
            )
        yield workshop
    finally:
        workshop.close()
