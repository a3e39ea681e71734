"""The audit log: what the facilitator did, when, and how to take the last action back.

Why the log lives in ``session.json`` (table ``log``) and not in a file of its own: an
action and its log entry are written in the same atomic replacement of the file
(``SessionStore.transaction``), so a power cut can never leave a change without its
entry or an entry without its change, and an acknowledged entry is on disk exactly as
surely as an acknowledged ballot.  Ballots themselves are not copied here: their
journals already hold every ballot with its time, participant and channel, replaced
ones included, and :func:`timeline` reads them from there.  A ballot import adds one
entry naming the file.

Each undoable entry carries the documents its action changed, as they were before
(``changes``); undo puts them back in one atomic write and appends an ``undo`` entry,
so the log itself is never rewritten.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from hsvalidate.i18n import LANGS, Message, Words

FACILITATOR = "facilitator"
"""Who acted, for actions typed at the facilitator's command line."""

UNDOABLE = frozenset(
    {
        "participant-add",
        "participants-import",
        "participant-edit",
        "participant-remove",
        "participant-withdraw",
        "presence",
        "round-open",
        "round-close",
        "round-reopen",
        "room-tokens",
        "room-token-reissue",
        "room-token-revoke",
        "indicator-reword",
        "indicator-merge",
        "indicator-split",
        "indicator-add",
        "indicator-drop",
        "decision",
        "session-details",
        "counts-record",
    }
)
"""Actions ``undo`` can take back: each changes only the session's tables."""

PASSIVE = frozenset({"export"})
"""Actions that change nothing in the session; ``undo`` looks past them."""

KNOWN = UNDOABLE | PASSIVE | {"session-create", "ballots-import", "undo", "session-merge"}
"""Every action the log records; its words are ``log.action.<code>`` in the cli catalogue."""


@dataclass(frozen=True)
class Entry:
    """One facilitator action as the log stores it."""

    seq: int
    """Its number in the log (the store's document id): what ``undo`` refers to."""
    at: str
    """ISO timestamp."""
    action: str
    """One of ``KNOWN``."""
    by: str = FACILITATOR
    """Facilitator, a participant code, or ``file:<name>`` for an import."""
    details: dict[str, Any] = field(default_factory=dict)
    """The values its sentence needs (codes, round, file name, reason…)."""
    changes: tuple[dict[str, Any], ...] | None = None
    """The documents it changed, as they were before; None when it cannot be undone."""
    undoes: int | None = None
    """For an ``undo`` entry: the ``seq`` it took back."""

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Entry:
        """Read a stored log document (unknown keys from newer versions are ignored)."""
        changes = doc.get("changes")
        return cls(
            seq=int(doc["_id"]),
            at=str(doc.get("at", "")),
            action=str(doc.get("action", "")),
            by=str(doc.get("by", FACILITATOR)),
            details=dict(doc.get("details") or {}),
            changes=tuple(changes) if changes is not None else None,
            undoes=doc.get("undoes"),
        )

    def message(self) -> Message:
        """The entry's sentence (``log.action.<action>`` with its details)."""
        if self.action == "undo":
            details = dict(self.details)
            taken_back = str(details.pop("action", ""))
            return Message("log.action.undo", action=action_message(taken_back, details))
        return action_message(self.action, self.details)


def action_message(action: str, details: dict[str, Any]) -> Message:
    """The sentence of an action with its details, codes turned into words where they are codes."""
    if action == "participant-add":
        codes = [str(c) for c in details.get("codes") or ()]
        return Message(
            "log.action.participant-add",
            len(codes),
            count=len(codes),
            first=codes[0] if codes else "",
            last=codes[-1] if codes else "",
        )
    key_of = f"log.action.{action}"
    if action == "ballots-import" and not details.get("replaced"):
        key_of = "log.action.ballots-import-new"
    votes = details.get("votes") or {}
    if action == "decision" and all(k in votes for k in ("for", "against", "abstain")):
        key_of = "log.action.decision-counted"
    values: dict[str, object] = {f"n_{k}": v for k, v in votes.items()}
    for key, value in details.items():
        if isinstance(value, list | tuple):
            values[key] = ", ".join(str(v) for v in value)
        elif key == "decision":
            values[key] = Message(f"action.{value}")
        elif key == "status":
            values[key] = Message(f"presence.status.{value}")
        elif isinstance(value, dict) and value and set(value) <= set(LANGS):
            values[key] = Words(value)  # a user's words in each language (a criterion's name)
        elif key != "votes":
            values[key] = value
    return Message(key_of, **values)


def entry_doc(
    action: str,
    *,
    at: str,
    by: str,
    details: dict[str, Any],
    changes: Sequence[dict[str, Any]] | None,
    undoes: int | None = None,
) -> dict[str, Any]:
    """The stored form of a new entry; ``changes`` are kept only for undoable actions."""
    if action not in KNOWN:
        raise ValueError(f"unknown log action {action!r}")
    doc: dict[str, Any] = {"at": at, "action": action, "by": by, "details": details}
    if action in UNDOABLE and changes is not None:
        doc["changes"] = list(changes)
    if undoes is not None:
        doc["undoes"] = undoes
    return doc


def undone(entries: Iterable[Entry]) -> set[int]:
    """The ``seq`` of every entry an ``undo`` has taken back."""
    return {e.undoes for e in entries if e.action == "undo" and e.undoes is not None}


def undo_target(entries: Sequence[Entry]) -> Entry | None:
    """The action ``undo`` would take back: the latest one not yet undone.

    Exports change nothing and are looked past; undo entries are not themselves undone
    (undo twice takes back the two last actions).  The entry returned may be one that
    cannot be undone (a ballot import): the caller says so rather than silently
    reaching further back, which would surprise the facilitator.
    """
    gone = undone(entries)
    for entry in reversed(entries):
        if entry.action == "undo" or entry.action in PASSIVE or entry.seq in gone:
            continue
        return entry
    return None


@dataclass(frozen=True)
class Event:
    """One line of the timeline: a facilitator action or a run of ballots."""

    at: str
    """ISO timestamp (the first ballot's, for a run)."""
    message: Message
    by: str = FACILITATOR
    undone: bool = False
    """Taken back by a later undo."""
    reason: str = ""
    """The reason given, shown under the line."""
    round: int = 0
    """For ballots, and for the opening of a round: the round (0 otherwise)."""


def timeline(entries: Sequence[Entry], ballots: Sequence[dict[str, Any]]) -> list[Event]:
    """Facilitator actions and ballots in time order, as ``hsvalidate log`` prints them.

    Ballots typed or cast one at a time are gathered into runs (one line for a
    participant's 33 ballots at the laptop); a ballot that replaces an earlier one by
    the same participant on the same indicator gets its own line naming the time of the
    one it replaced.  Imported ballots are told by the import's own entry.
    """
    gone = undone(entries)
    events = [
        Event(
            at=e.at,
            message=e.message(),
            by=e.by,
            undone=e.seq in gone,
            reason=str(e.details.get("reason", "")),
            round=int(e.details.get("round") or 0)
            if e.action in ("round-open", "round-reopen")
            else 0,
        )
        for e in entries
    ]
    actions = list(events)
    ballot_events: list[Event] = []
    seen: dict[tuple[int, str, str], str] = {}
    run: list[dict[str, Any]] = []

    def flush() -> None:
        if run:
            first = run[0]
            ballot_events.append(
                Event(
                    at=str(first.get("recorded_at", "")),
                    message=Message(
                        "log.ballots",
                        len(run),
                        participant=first.get("participant", ""),
                        count=len(run),
                        round=first.get("round", ""),
                        source=Message(f"source.{first.get('source', 'terminal')}"),
                    ),
                    by=str(first.get("participant", "")),
                    round=int(first.get("round") or 0),
                )
            )
            run.clear()

    for ballot in ballots:
        key = (
            int(ballot.get("round", 0)),
            str(ballot.get("participant", "")),
            str(ballot.get("indicator", "")),
        )
        earlier = seen.get(key)
        seen[key] = str(ballot.get("recorded_at", ""))
        if ballot.get("source") == "import":
            continue
        if earlier is not None:
            flush()
            ballot_events.append(
                Event(
                    at=str(ballot.get("recorded_at", "")),
                    message=Message(
                        "log.ballot_replaced",
                        participant=key[1],
                        indicator=key[2],
                        round=key[0],
                        time=earlier[11:16],
                    ),
                    by=key[1],
                    round=key[0],
                )
            )
            continue
        if run and (
            run[0].get("participant") != ballot.get("participant")
            or run[0].get("source") != ballot.get("source")
            or run[0].get("round") != ballot.get("round")
        ):
            flush()
        run.append(ballot)
    flush()
    return _merge(actions, sorted(ballot_events, key=lambda e: e.at))


def _merge(actions: list[Event], ballots: list[Event]) -> list[Event]:
    """Ballots placed among the facilitator's actions, which keep the order they were logged in.

    Times are kept to the second, so within one second a ballot goes after the opening
    (or reopening) of its round and before whatever was logged later.
    """
    slots: dict[int, list[Event]] = {}
    for ballot in ballots:
        before = [i for i, a in enumerate(actions) if a.at < ballot.at]
        opened = [
            i
            for i, a in enumerate(actions)
            if a.round == ballot.round and a.at <= ballot.at and a.by == FACILITATOR
        ]
        place = max([-1, *before[-1:], *opened[-1:]]) + 1
        slots.setdefault(place, []).append(ballot)
    merged: list[Event] = []
    for i in range(len(actions) + 1):
        merged.extend(slots.get(i, ()))
        if i < len(actions):
            merged.append(actions[i])
    return merged
