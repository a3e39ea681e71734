"""Personal tokens: what a participant's slip carries, and how a typed one is recognised.

A token is 12 characters of Crockford's base 32 (60 random bits): short enough to type from
a slip on a phone (``K7Q4-MX2P-9DHE``), long enough that guessing one is hopeless under the
server's rate limit (2^60 tries at a few per second).  Crockford's alphabet has no I, L, O
or U, and reading is forgiving: case is ignored, ``O`` is read as 0 and ``I``/``L`` as 1,
dashes and spaces are dropped, because people copy codes by hand.

Tokens are kept in the session (table ``room_tokens``) so that slips can be printed again;
whoever holds the session file holds every ballot anyway.  They are compared in constant
time (:func:`same`), so response times say nothing about how much of a guess was right.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Iterable
from typing import TypeVar

T = TypeVar("T")

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
"""Crockford's base 32."""

LENGTH = 12
"""Characters in a token (60 bits)."""

_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_token() -> str:
    """A fresh random token (uppercase, no dashes)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(typed: str) -> str:
    """A token as typed or scanned → its canonical form; ``""`` when it cannot be one."""
    text = "".join(ch for ch in typed.upper() if ch not in "- \t").translate(_READ_AS)
    if len(text) != LENGTH or any(ch not in ALPHABET for ch in text):
        return ""
    return text


def grouped(token: str) -> str:
    """``K7Q4MX2P9DHE`` → ``K7Q4-MX2P-9DHE``: how a slip prints it for typing."""
    return "-".join(token[i : i + 4] for i in range(0, len(token), 4))


def same(a: str, b: str) -> bool:
    """Constant-time equality of two tokens."""
    return hmac.compare_digest(a.encode("ascii", "replace"), b.encode("ascii", "replace"))


def holder(typed: str, valid: Iterable[tuple[str, T]]) -> T | None:
    """Who a token as typed or scanned belongs to, among ``(token, holder)`` pairs.

    Every valid token is compared, in constant time, so how long this takes says nothing
    about how close a guess was.
    """
    token = normalise(typed) or "-"
    found: T | None = None
    for candidate, owner in valid:
        if same(token, candidate):
            found = owner
    return found
