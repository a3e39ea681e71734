"""Rewording, merging, splitting, adding and dropping indicators: versions and lineage.

Why revisions are kept apart from the draft: the session stores the framework exactly as
it was loaded and, beside it, every revision in the order it was made.  The framework
as it stands now is the draft with the revisions applied (:func:`build_history`), so the
documents can always show the lineage — the original wording, each revised wording,
which round rated which — and an undo is simply one revision less.

Versions: an indicator's wording in the draft is version 1; each reword (or a merge
that rewrites it) makes the next version.  A ballot records the version it rated, so
figures stay with the wording that was rated.  Indicators made by a split or added in
the room start at version 1 under their own new codes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from hsvalidate.framework import (
    Framework,
    Indicator,
    Outcome,
    indicator_from_dict,
    indicator_to_dict,
)

CHANGES = ("reword", "merge", "split", "add", "drop")
"""What a revision may do (words: ``revision.change.<code>``)."""


@dataclass(frozen=True)
class Revision:
    """One change to the framework, made between rounds and stored in order."""

    change: str
    """One of ``CHANGES``."""
    code: str
    """The indicator changed: reworded, merged into, split, added or dropped."""
    indicators: tuple[Indicator, ...] = ()
    """The new wording(s): one for reword/merge/add, several for a split, none for a drop."""
    sources: tuple[str, ...] = ()
    """For a merge: every indicator merged, ``code`` first."""
    outcome: str = ""
    """For an addition: the outcome it goes under."""
    after_round: int = 0
    """The last round closed when it was made (0: before round 1)."""
    reason: str = ""
    """Why, as said in the room."""
    recorded_at: str = ""
    """ISO timestamp."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form for the session store."""
        return {
            "change": self.change,
            "code": self.code,
            "indicators": [indicator_to_dict(i) for i in self.indicators],
            "sources": list(self.sources),
            "outcome": self.outcome,
            "after_round": self.after_round,
            "reason": self.reason,
            "recorded_at": self.recorded_at,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Revision:
        """Inverse of :meth:`to_dict`."""
        return cls(
            change=str(data.get("change", "")),
            code=str(data.get("code", "")),
            indicators=tuple(indicator_from_dict(i) for i in data.get("indicators") or ()),
            sources=tuple(str(c) for c in data.get("sources") or ()),
            outcome=str(data.get("outcome", "")),
            after_round=int(data.get("after_round") or 0),
            reason=str(data.get("reason", "")),
            recorded_at=str(data.get("recorded_at", "")),
        )

    @property
    def new_codes(self) -> tuple[str, ...]:
        """The codes this revision gives a wording to (none for a drop)."""
        return tuple(i.code for i in self.indicators)

    @property
    def retired(self) -> tuple[str, ...]:
        """The codes this revision takes out of the framework."""
        if self.change == "drop":
            return (self.code,)
        if self.change == "split":
            return (self.code,)
        if self.change == "merge":
            return tuple(c for c in self.sources if c != self.code)
        return ()


@dataclass(frozen=True)
class Retired:
    """Why an indicator left the framework, and where it went."""

    change: str
    """``drop``, ``merge`` or ``split``."""
    into: tuple[str, ...]
    """The indicator(s) it went into (empty for a drop)."""
    revision: Revision


@dataclass(frozen=True)
class History:
    """The draft, the framework as it stands now, and every wording in between."""

    original: Framework
    current: Framework
    revisions: tuple[Revision, ...] = ()
    versions: Mapping[str, tuple[Indicator, ...]] = field(default_factory=dict)
    """Every wording of every indicator ever in the framework, version 1 first."""
    retired: Mapping[str, Retired] = field(default_factory=dict)

    def version(self, code: str) -> int:
        """The version an indicator is at now (1 for one never revised)."""
        return max(1, len(self.versions.get(code, ())))

    def wording(self, code: str, version: int | None = None) -> Indicator | None:
        """An indicator as it read at ``version`` (default: its last), retired ones included."""
        every = self.versions.get(code, ())
        if not every:
            return None
        if version is None or not 1 <= version <= len(every):
            return every[-1]
        return every[version - 1]

    def last_change(self, code: str) -> Revision | None:
        """The latest revision that gave ``code`` its wording (None: the draft's own)."""
        found = None
        for revision in self.revisions:
            if code in revision.new_codes:
                found = revision
        return found

    def revised_after(self, round_no: int) -> list[str]:
        """Codes now in the framework whose wording was made after round ``round_no`` closed.

        A later round re-rates them by default: the panel has not rated this wording.
        """
        fresh = {
            code
            for revision in self.revisions
            if revision.after_round >= round_no
            for code in revision.new_codes
        }
        return [i.code for i in self.current.indicators() if i.code in fresh]

    def original_codes(self) -> set[str]:
        """The codes of the draft as it was loaded."""
        return {i.code for i in self.original.indicators()}

    def codes_ever(self) -> set[str]:
        """Every indicator code the session has known, so that a new code is never reused."""
        return set(self.versions)

    def order(self) -> list[str]:
        """Every code ever known, current framework order first, then the retired ones."""
        current = [i.code for i in self.current.indicators()]
        return current + [c for c in self.versions if c not in set(current)]


def build_history(original: Framework, revisions: Iterable[Revision]) -> History:
    """Apply the revisions, in order, to the draft: the framework now, and its lineage."""
    current = original
    versions: dict[str, list[Indicator]] = {i.code: [i] for i in original.indicators()}
    retired: dict[str, Retired] = {}
    applied = tuple(revisions)
    for revision in applied:
        current = apply_revision(current, revision)
        for ind in revision.indicators:
            versions.setdefault(ind.code, []).append(ind)
        for code in revision.retired:
            into = () if revision.change == "drop" else revision.new_codes
            retired[code] = Retired(change=revision.change, into=into, revision=revision)
    return History(
        original=original,
        current=current,
        revisions=applied,
        versions={code: tuple(v) for code, v in versions.items()},
        retired=retired,
    )


def apply_revision(fw: Framework, revision: Revision) -> Framework:
    """The framework with one revision made (the caller has checked it)."""
    gone = set(revision.retired)
    if revision.change in ("reword", "merge"):
        replacement = {revision.code: revision.indicators}
    elif revision.change == "split":
        replacement = {revision.code: revision.indicators}
        gone.discard(revision.code)
    else:
        replacement = {}

    def outcome(out: Outcome) -> Outcome:
        indicators: list[Indicator] = []
        for ind in out.indicators:
            if ind.code in replacement:
                indicators.extend(replacement[ind.code])
            elif ind.code not in gone:
                indicators.append(ind)
        if revision.change == "add" and out.code == revision.outcome:
            indicators.extend(revision.indicators)
        return replace(out, indicators=tuple(indicators))

    return replace(
        fw,
        dimensions=tuple(
            replace(dim, outcomes=tuple(outcome(out) for out in dim.outcomes))
            for dim in fw.dimensions
        ),
    )


def next_codes(prefix: str, count: int, used: set[str]) -> list[str]:
    """``count`` new codes for indicators made from ``prefix``: ``D1.O1.I2a``, ``D1.O1.I2b``.

    Letters keep the lineage visible in the code itself; a code once used is never
    given again, even after its indicator left the framework.
    """
    out: list[str] = []
    letters = "abcdefghijklmnopqrstuvwxyz"
    for letter in letters:
        code = f"{prefix}{letter}"
        if code not in used:
            out.append(code)
            if len(out) == count:
                return out
    raise ValueError("too many parts")  # pragma: no cover - a split into 26 parts


def next_indicator_code(outcome: Outcome, used: set[str]) -> str:
    """The next free code under an outcome, in the draft's pattern (``D2.O1.I4``)."""
    number = len(outcome.indicators) + 1
    while f"{outcome.code}.I{number}" in used:
        number += 1
    return f"{outcome.code}.I{number}"


def find_outcome(fw: Framework, text: str) -> Outcome | None:
    """The outcome whose code is ``text``, compared without regard to case or spaces."""
    wanted = text.strip().upper()
    return next((o for o in fw.outcomes() if o.code.upper() == wanted), None)


def same_codes(codes: Sequence[str], known: Iterable[str]) -> list[str | None]:
    """Each typed code as the framework spells it (None where unknown)."""
    spelled = {c.upper(): c for c in known}
    return [spelled.get(c.strip().upper()) for c in codes]
