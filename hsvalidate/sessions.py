"""Finding sessions on disk: the sessions folder, the default session, valid session names.

Why apart from the service: every command needs these answers, ``--help`` included,
and they need nothing but the standard library, so they cost nothing at start-up.
"""

from __future__ import annotations

import functools
import os
import re
import secrets
import socket
from datetime import datetime
from pathlib import Path

from hsvalidate.i18n import Message

SESSIONS_ENV = "HSVALIDATE_SESSIONS"
"""Environment variable naming the sessions folder (overridden by ``--sessions-dir``)."""

CURRENT_FILE = ".current"
"""File in the sessions folder naming the session last created or opened."""

SESSION_FILE = "session.json"
"""The file that makes a folder a session."""

_BAD_NAME = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


def now_iso() -> str:
    """Local time to the second: what the minutes show and a facilitator recognises."""
    return datetime.now().astimezone().isoformat(timespec="seconds")


STATION_ENV = "HSVALIDATE_STATION"
"""Names this computer in the ballots it records, when its own name says nothing useful."""


@functools.cache
def station_name() -> str:
    """The name ballots recorded here carry: ``HSVALIDATE_STATION``, else the computer's name.

    Why a name per computer: when two laptops collect votes on copies of one session and
    are merged, the workbook must still say which laptop took each vote.
    """
    chosen = os.environ.get(STATION_ENV, "").strip()
    if chosen:
        return chosen[:60]
    try:
        return socket.gethostname()[:60]
    except OSError:
        return ""


def new_uid() -> str:
    """A random identity for a new ballot (128 bits: two laptops never draw the same)."""
    return secrets.token_hex(16)


def sessions_root(explicit: Path | None = None) -> Path:
    """Where sessions live: the option, else the environment variable, else ./sessions."""
    if explicit is not None:
        return Path(explicit)
    env = os.environ.get(SESSIONS_ENV)
    if env:
        return Path(env)
    return Path.cwd() / "sessions"


def check_session_name(name: str) -> str:
    """A session name must make a valid folder name on Windows too; accents and spaces are fine."""
    from hsvalidate.errors import SessionError  # imported when needed: --help never needs it

    cleaned = name.strip()
    if not cleaned or cleaned in (".", "..") or cleaned.startswith("."):
        raise SessionError(Message("session.name_missing"))
    if _BAD_NAME.search(cleaned) or cleaned.endswith("."):
        raise SessionError(Message("session.name_invalid", name=cleaned))
    return cleaned


def list_sessions(root: Path) -> list[str]:
    """Names of the sessions in ``root``, sorted."""
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if (p / SESSION_FILE).exists())


def current_session_name(root: Path) -> str | None:
    """The session last created or opened in ``root``, if it still exists."""
    marker = root / CURRENT_FILE
    try:
        name = marker.read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return name if name and (root / name / SESSION_FILE).exists() else None


def remember_session(root: Path, name: str) -> None:
    """Make ``name`` the default for later commands run without ``--session``."""
    from hsvalidate.fileio import write_atomic

    write_atomic(root / CURRENT_FILE, name.encode("utf-8"))


def resolve_session(root: Path, name: str | None) -> tuple[str, bool]:
    """The session to work on and whether it was chosen implicitly (so the CLI can say which)."""
    from hsvalidate.errors import SessionError

    if name:
        name = check_session_name(name)
        if not (root / name / SESSION_FILE).exists():
            known = list_sessions(root)
            if known:
                raise SessionError(
                    Message("session.unknown_known", name=name, root=root, known=", ".join(known))
                )
            raise SessionError(Message("session.unknown", name=name, root=root))
        return name, False
    current = current_session_name(root)
    if current is None:
        raise SessionError(Message("session.none_chosen", root=root))
    return current, True
