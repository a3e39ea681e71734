"""Bringing into a session what copies of it collected on other laptops (``hsvalidate merge``).

The workflow it serves: the facilitator prepares the session on laptop A (framework,
participants, round opened), copies the folder to laptop B on a USB stick, both collect
ballots (kiosk, paper), a few latecomers are registered on either; then, on A,
``hsvalidate merge "E:/bamako-2026"`` brings B's ballots, participants and decisions in.

Design, and why
===============

**The other session is only read.**  It is opened read-only (no lock, not a byte
changed), read whole into memory and closed, and every check is made before anything
is written here: same draft framework, same scale and criteria, framework revisions
that are ours or a beginning of ours, rounds with the same indicators.

**A ballot is known by its identity, not by its place.**  Every ballot carries a
random ``uid`` from the moment it is first recorded; a ballot recorded before uids
existed is known by its whole content.  A ballot already here is skipped, so merging
the same session twice, or B after a copy of B, counts each ballot once.

**Who wins is decided by what each laptop knew, not by journal order.**  The results
count the last ballot of a participant on an indicator in a round's journal.  Appending
B's ballots after ours must therefore not let an old ballot of B override a newer one
taken here.  For each (round, participant, indicator) with something new from B:

- nothing here yet → B's last ballot counts;
- B's last ballot is already here (B is behind) → ours keeps counting;
- our last ballot is in B's journal, followed by a newer one (B moved on) → B's counts;
- otherwise each laptop took a ballot the other never saw: a **conflict**, shown to the
  facilitator, who keeps the one of this laptop or of the other (``--prefer here``,
  ``other``, or ``latest``: the later ``recorded_at``, then the larger uid, so the
  choice does not depend on which laptop merges which).

Every ballot of B that is new here is appended, replaced ones included (the journal is
the audit trail), with its original source, station, uid and time; when the ballot that
must count is not the last one appended for its key, it is appended once more after
them, unchanged.  Merging again then finds nothing new: the resolution is recorded by
the journal itself, and a third laptop that merges this one sees which ballot won.

**Participants** are matched by code and name; someone registered only on B comes in
with their details and their ballots.  When B gave a code to a person while this laptop
gave the same code to someone else (two laptops registering latecomers), B's person
gets the next free code here and their ballots follow them: a ballot belongs to a code,
and refusing would leave their votes behind.  The summary says so, since their card
carries B's code.  Presence: someone marked present (or late, or leaving early) on
either laptop was seen in the room, so that wins over absent; a withdrawal on either
laptop counts, from the earlier round.

**Decisions** (and card counts, where a session has them) follow the ballots' rule per
indicator: B's come in when this laptop had none or B's follow ours; when both laptops
recorded a different one, ours stands and the summary names B's.

**One logged action.**  Table changes and the ``session-merge`` log entry are written
together, first; then each round's new ballots as one batch.  A power cut between the
two leaves participants registered without their ballots, and running the merge again
brings exactly the missing ballots (they are known by uid).  A merge cannot be undone:
ballots are never taken back.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hsvalidate.errors import SessionError
from hsvalidate.framework import framework_from_dict
from hsvalidate.i18n import Message, fold
from hsvalidate.model import PRESENCE, Ballot, Participant, Round, Settings

if TYPE_CHECKING:
    from hsvalidate.workshop import Workshop

HERE = "here"
"""Keep this laptop's ballot in a conflict."""
OTHER = "other"
"""Keep the other laptop's ballot in a conflict."""
LATEST = "latest"
"""Keep whichever was recorded later (then the larger uid): the same answer on every laptop."""
PREFERENCES = (LATEST, HERE, OTHER)
"""How conflicts may be settled without asking (``--prefer``); words ``merge.prefer.<code>``."""

KEYED_TABLES: dict[str, tuple[str, ...]] = {
    "decisions": ("indicator",),
    "counts": ("round", "indicator", "criterion"),
}
"""Tables where a later document replaces an earlier one with the same key, and that key.

Counts of cards raised in plenary (``hsvalidate tally``) merge by the same rule as
decisions: one standing count per round, indicator and criterion; an absent table is empty.
"""


# -- the other session, read once ------------------------------------------------------


@dataclass(frozen=True)
class OtherSession:
    """Everything of another session a merge needs, read once without changing it."""

    folder: Path
    name: str
    framework: dict[str, Any]
    """The draft framework as stored (never the revised one: revisions are compared apart)."""
    settings: Settings
    revisions: tuple[dict[str, Any], ...]
    participants: tuple[dict[str, Any], ...]
    rounds: tuple[Round, ...]
    ballots: Mapping[int, tuple[dict[str, Any], ...]]
    """Round → every ballot of its journal, in order."""
    tables: Mapping[str, tuple[dict[str, Any], ...]]
    """The ``KEYED_TABLES`` documents, in order."""


def read_other(folder: Path) -> OtherSession:
    """Read another session read-only: no lock taken, not a byte changed.

    A journal with damaged lines is refused rather than merged in part: the lines left
    out would be votes silently lost; ``doctor --salvage`` makes a clean copy to merge.
    """
    from hsvalidate.store import open_store

    folder = Path(folder)
    store = open_store(folder, writable=False)
    try:
        meta = store.meta()
        framework_docs = store.all("framework")
        if not framework_docs:
            raise SessionError(Message("session.no_framework", name=folder.name))
        ballots = {r: tuple(_clean(d) for d in store.ballots(r)) for r in store.ballot_rounds()}
        if store.skipped:
            round_no, lines = next(iter(sorted(store.skipped.items())))
            raise SessionError(
                Message(
                    "merge.refused.damaged",
                    other=folder.name,
                    round=round_no,
                    lines=", ".join(str(n) for n in lines),
                    folder=str(folder),
                )
            )
        return OtherSession(
            folder=folder,
            name=folder.name,
            framework=dict(framework_docs[0]["framework"]),
            settings=Settings.from_dict(meta.get("settings", {})),
            revisions=tuple(_clean(d) for d in store.all("revisions")),
            participants=tuple(_clean(d) for d in store.all("participants")),
            rounds=tuple(
                sorted((Round.from_dict(d) for d in store.all("rounds")), key=lambda r: r.number)
            ),
            ballots=ballots,
            tables={name: tuple(_clean(d) for d in store.all(name)) for name in KEYED_TABLES},
        )
    finally:
        store.close()


def _clean(doc: Mapping[str, Any]) -> dict[str, Any]:
    """A stored document without the store's own id, which means nothing in another session."""
    return {k: v for k, v in doc.items() if k != "_id"}


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def framework_fingerprint(framework: Mapping[str, Any]) -> str:
    """A short fingerprint of a stored draft framework: equal drafts, equal fingerprints."""
    return hashlib.sha256(_canonical(framework).encode("utf-8")).hexdigest()[:12]


def ballot_identity(doc: Mapping[str, Any]) -> str:
    """What makes a ballot the same ballot on two laptops: its uid, else its whole content."""
    uid = str(doc.get("uid") or "")
    return f"uid:{uid}" if uid else "doc:" + _canonical(dict(doc))


# -- checks -------------------------------------------------------------------------------


def check_compatible(ws: Workshop, other: OtherSession) -> None:
    """Refuse, in one sentence, a session that cannot be merged into this one.

    Nothing has been written when this raises: every merge checks all its sessions first.
    """
    here_folder = ws.store.folder
    if here_folder is not None and _same_folder(Path(here_folder), other.folder):
        raise SessionError(Message("merge.refused.itself", other=other.name))
    ours = dict(ws.store.all("framework")[0]["framework"])
    if framework_fingerprint(ours) != framework_fingerprint(other.framework):
        theirs = framework_from_dict(other.framework)
        raise SessionError(
            Message(
                "merge.refused.framework",
                other=other.name,
                title=theirs.title.get(ws.settings.lang) or "?",
                source=theirs.source or "?",
                fingerprint=framework_fingerprint(other.framework),
                ours=framework_fingerprint(ours),
            )
        )
    mine, theirs_settings = ws.settings, other.settings
    if (mine.scale.low, mine.scale.high) != (
        theirs_settings.scale.low,
        theirs_settings.scale.high,
    ) or sorted(c.code for c in mine.criteria) != sorted(c.code for c in theirs_settings.criteria):
        raise SessionError(
            Message(
                "merge.refused.settings",
                other=other.name,
                scale=f"{theirs_settings.scale.low}–{theirs_settings.scale.high}",
                criteria=", ".join(c.code for c in theirs_settings.criteria),
                our_scale=f"{mine.scale.low}–{mine.scale.high}",
                our_criteria=", ".join(c.code for c in mine.criteria),
            )
        )
    our_revisions = [_canonical(_clean(d)) for d in ws.store.all("revisions")]
    their_revisions = [_canonical(d) for d in other.revisions]
    if their_revisions != our_revisions[: len(their_revisions)]:
        ahead = our_revisions == their_revisions[: len(our_revisions)]
        raise SessionError(
            Message(
                "merge.refused.revisions_ahead" if ahead else "merge.refused.revisions_differ",
                other=other.name,
                count=len(their_revisions) - len(our_revisions),
            )
        )
    our_rounds = {r.number: r for r in ws.rounds()}
    for rnd in other.rounds:
        mine_rnd = our_rounds.get(rnd.number)
        if mine_rnd is None:
            if other.ballots.get(rnd.number):
                raise SessionError(
                    Message(
                        "merge.refused.round_missing",
                        other=other.name,
                        round=rnd.number,
                        indicators=", ".join(rnd.indicators),
                    )
                )
            continue
        if tuple(mine_rnd.indicators) != tuple(rnd.indicators):
            raise SessionError(
                Message(
                    "merge.refused.round_differs",
                    other=other.name,
                    round=rnd.number,
                    theirs=len(rnd.indicators),
                    ours=len(mine_rnd.indicators),
                )
            )


def _same_folder(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return a.resolve() == b.resolve()


# -- the plan -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Conflict:
    """Two different ballots by one participant on one indicator in one round.

    Each laptop took its ballot unaware of the other's, so no rule can say which the
    participant meant: the facilitator says which counts.
    """

    round: int
    participant: str
    """Their code here (a person renumbered by the merge has their new one)."""
    indicator: str
    here: Ballot
    other: Ballot
    here_doc: dict[str, Any] = field(repr=False, compare=False, default_factory=dict)
    other_doc: dict[str, Any] = field(repr=False, compare=False, default_factory=dict)

    def latest(self) -> str:
        """``here`` or ``other``: the later ``recorded_at``, then the larger uid.

        Why the uid breaks ties: times are kept to the second, and both laptops must
        pick the same ballot whichever merges the other.
        """
        return OTHER if _order_key(self.other) > _order_key(self.here) else HERE


def _order_key(ballot: Ballot) -> tuple[float, str, str]:
    import datetime as dt

    try:
        moment = dt.datetime.fromisoformat(ballot.recorded_at)
        if moment.tzinfo is None:
            moment = moment.astimezone()
        stamp = moment.timestamp()
    except ValueError:
        stamp = 0.0
    return (stamp, ballot.recorded_at, ballot.uid or _canonical(ballot.to_dict()))


@dataclass(frozen=True)
class Renumbered:
    """A person whose code on the other laptop is not their code here; their ballots follow.

    Either the code was given here to someone else (two laptops registering latecomers),
    or the same person was registered on both laptops under different codes.
    """

    theirs: str
    code: str
    """The code they have here from now on."""
    name: str
    known: bool = False
    """Already registered here under that code (the same person, registered on both)."""


@dataclass
class _KeyPlan:
    """The new ballots of one (round, participant, indicator) and which one must count."""

    round: int
    new: list[dict[str, Any]]
    winner: dict[str, Any] | None = None
    """The ballot that must count when it is not simply the last of ``new``."""
    conflict: Conflict | None = None


@dataclass
class MergePlan:
    """What merging one other session would bring, before anything is written."""

    other: OtherSession
    added: list[Participant] = field(default_factory=list)
    renumbered: list[Renumbered] = field(default_factory=list)
    updates: dict[int, dict[str, Any]] = field(default_factory=dict)
    """Document id here → fields (presence, withdrawal) the other laptop adds."""
    updated_codes: list[str] = field(default_factory=list)
    keys: list[_KeyPlan] = field(default_factory=list)
    duplicates: dict[int, int] = field(default_factory=dict)
    """Round → ballots of the other already here."""
    documents: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    """Table → documents to bring (decisions, counts)."""
    kept: dict[str, list[str]] = field(default_factory=dict)
    """Table → keys where the other recorded a different one and ours stands."""
    closed_rounds: list[int] = field(default_factory=list)
    """Rounds closed here that receive ballots: their figures change."""

    @property
    def stations(self) -> tuple[str, ...]:
        """The computers that took the ballots it brings, in order of first appearance.

        Why not every station of the other session: the ballots it holds from before
        the copy were taken here, and naming this laptop would confuse the summary.
        """
        seen: dict[str, None] = {}
        for step in self.keys:
            for doc in step.new:
                station = str(doc.get("station") or "")
                if station:
                    seen.setdefault(station, None)
        return tuple(seen)

    @property
    def conflicts(self) -> list[Conflict]:
        """Every conflict, in the other session's order."""
        return [k.conflict for k in self.keys if k.conflict is not None]

    def new_ballots(self) -> dict[int, int]:
        """Round → ballots of the other that are new here."""
        counts: dict[int, int] = {}
        for key in self.keys:
            counts[key.round] = counts.get(key.round, 0) + len(key.new)
        return {r: n for r, n in sorted(counts.items()) if n}

    @property
    def empty(self) -> bool:
        """Nothing to write: merging now would change nothing."""
        return not (self.added or self.updates or self.keys or any(self.documents.values()))


def plan_merge(ws: Workshop, other: OtherSession) -> MergePlan:
    """Work out what ``other`` brings here, after :func:`check_compatible`; writes nothing."""
    plan = MergePlan(other=other)
    mapping = _plan_participants(ws, other, plan)
    rounds = {r.number: r for r in ws.rounds()}
    for round_no, docs in sorted(other.ballots.items()):
        if round_no not in rounds:
            continue  # a round only the other opened, without ballots (checked before)
        theirs = [_mapped(doc, mapping) for doc in docs]
        ours = ws.store.ballots(round_no) if round_no in ws.store.ballot_rounds() else []
        before = len(plan.keys)
        plan.duplicates[round_no] = _plan_round(round_no, ours, theirs, plan)
        if len(plan.keys) > before and rounds[round_no].status == "closed":
            plan.closed_rounds.append(round_no)
    for table, key_fields in KEYED_TABLES.items():
        ours_docs = [_clean(d) for d in ws.store.all(table)]
        plan.documents[table], plan.kept[table] = _plan_keyed(
            ours_docs, list(other.tables.get(table, ())), key_fields
        )
    return plan


def _plan_participants(ws: Workshop, other: OtherSession, plan: MergePlan) -> dict[str, str]:
    """Match the other's participants to ours; returns their code → our code."""
    ours = ws.store.all("participants")
    rounds = {r.number for r in ws.rounds()}
    live = [d for d in ours if not d.get("removed")]
    taken = {str(d.get("code", "")).upper() for d in ours}
    numbers = [
        int(str(d.get("code", ""))[1:]) for d in ours if str(d.get("code", ""))[1:].isdigit()
    ]
    next_no = max(numbers, default=0) + 1
    mapping: dict[str, str] = {}
    for doc in other.participants:
        if doc.get("removed"):
            continue
        person = Participant.from_dict(doc)
        same_code = next(
            (d for d in live if str(d.get("code", "")).upper() == person.code.upper()), None
        )
        found = None
        if same_code is not None and fold(str(same_code.get("name", ""))) == fold(person.name):
            found = same_code
        else:
            found = next(
                (
                    d
                    for d in live
                    if fold(str(d.get("name", ""))) == fold(person.name)
                    and fold(str(d.get("organisation", ""))) == fold(person.organisation)
                ),
                None,
            )
        if found is not None:
            mapping[person.code] = str(found["code"])
            if str(found["code"]) != person.code:
                plan.renumbered.append(
                    Renumbered(
                        theirs=person.code, code=str(found["code"]), name=person.name, known=True
                    )
                )
            fields = _merged_state(Participant.from_dict(found), person, rounds)
            if fields:
                plan.updates[int(found["_id"])] = fields
                plan.updated_codes.append(str(found["code"]))
            continue
        code = person.code
        if code.upper() in taken:
            while f"P{next_no:02d}" in taken:
                next_no += 1
            code = f"P{next_no:02d}"
            plan.renumbered.append(Renumbered(theirs=person.code, code=code, name=person.name))
        taken.add(code.upper())
        mapping[person.code] = code
        presence = {r: v for r, v in person.presence.items() if r in rounds}
        plan.added.append(replace(person, code=code, presence=presence))
    return mapping


def _merged_state(here: Participant, there: Participant, rounds: set[int]) -> dict[str, Any]:
    """The presence and withdrawal fields that change when the other laptop's are added.

    Present (or late, or leaving early) on either laptop wins over absent: someone saw
    the person in the room.  A withdrawal counts from the earlier round either laptop set.
    Only rounds this laptop has: a round the other opened alone says nothing here yet.
    """
    fields: dict[str, Any] = {}
    presence = dict(here.presence)
    for round_no, status in there.presence.items():
        if round_no not in rounds:
            continue
        mine = presence.get(round_no)
        if mine is None or (PRESENCE.get(status, True) and not PRESENCE.get(mine, True)):
            presence[round_no] = status
    if presence != here.presence:
        fields["presence"] = {str(k): v for k, v in sorted(presence.items())}
    starts = [r for r in (here.withdrawn_from, there.withdrawn_from) if r is not None]
    if starts and min(starts) != here.withdrawn_from:
        fields["withdrawn_from"] = min(starts)
    if there.present and not here.present:
        fields["present"] = True
    return fields


def _mapped(doc: dict[str, Any], mapping: Mapping[str, str]) -> dict[str, Any]:
    code = str(doc.get("participant", ""))
    if mapping.get(code, code) == code:
        return doc
    return {**doc, "participant": mapping[code]}


def _key(doc: Mapping[str, Any]) -> tuple[str, str]:
    return str(doc.get("participant", "")).upper(), str(doc.get("indicator", ""))


def _plan_round(
    round_no: int, ours: Sequence[dict[str, Any]], theirs: Sequence[dict[str, Any]], plan: MergePlan
) -> int:
    """Add the round's new ballots to the plan, key by key; returns the duplicates skipped."""
    known = {ballot_identity(d) for d in ours}
    our_last: dict[tuple[str, str], dict[str, Any]] = {}
    for doc in ours:
        our_last[_key(doc)] = doc
    their_ids: set[str] = set()
    their_last: dict[tuple[str, str], dict[str, Any]] = {}
    new: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}
    duplicates: set[str] = set()
    for doc in theirs:
        ident = ballot_identity(doc)
        their_ids.add(ident)
        key = _key(doc)
        their_last[key] = doc
        if ident in known:
            duplicates.add(ident)
            continue
        # Keep each ballot once, where it last appears: the other's own order of who wins.
        found = new.setdefault(key, {})
        found.pop(ident, None)
        found[ident] = doc
    for key, fresh in new.items():
        docs = list(fresh.values())
        step = _KeyPlan(round=round_no, new=docs)
        mine = our_last.get(key)
        last = their_last[key]
        if mine is None:
            winner = last  # nothing here yet
        elif ballot_identity(last) in known:
            winner = mine  # the other is behind: ours stands
        elif ballot_identity(mine) in their_ids:
            winner = last  # the other saw ours and recorded a newer one
        else:
            winner = mine
            step.conflict = Conflict(
                round=round_no,
                participant=str(mine.get("participant", "")),
                indicator=key[1],
                here=Ballot.from_dict(mine),
                other=Ballot.from_dict(last),
                here_doc=mine,
                other_doc=last,
            )
        step.winner = winner
        plan.keys.append(step)
    return len(duplicates)


def _plan_keyed(
    ours: list[dict[str, Any]], theirs: list[dict[str, Any]], fields: tuple[str, ...]
) -> tuple[list[dict[str, Any]], list[str]]:
    """The other's documents to bring for a keyed table, and the keys where ours stands."""

    def key(doc: Mapping[str, Any]) -> str:
        return " ".join(str(doc.get(f, "")) for f in fields)

    known = {_canonical(d) for d in ours}
    their_ids = {_canonical(d) for d in theirs}
    our_last = {key(d): d for d in ours}
    their_last = {key(d): d for d in theirs}
    bring: list[dict[str, Any]] = []
    kept: list[str] = []
    for k, last in their_last.items():
        fresh = [d for d in theirs if key(d) == k and _canonical(d) not in known]
        if not fresh:
            continue
        mine = our_last.get(k)
        if mine is None or _canonical(mine) in their_ids:
            bring.extend(fresh)  # none here, or the other recorded one after ours
        elif _canonical(last) not in known:
            kept.append(k)  # each laptop recorded a different one: ours stands
    return bring, kept


# -- writing ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Resolved:
    """A conflict and the side the facilitator kept."""

    conflict: Conflict
    kept: str
    """``here`` or ``other``."""


@dataclass(frozen=True)
class MergeResult:
    """What one merge did, for the summary and the tests."""

    other: str
    stations: tuple[str, ...]
    added: tuple[Participant, ...]
    renumbered: tuple[Renumbered, ...]
    updated: tuple[str, ...]
    """Codes whose presence or withdrawal the other laptop changed."""
    ballots: Mapping[int, int]
    """Round → ballots brought in."""
    duplicates: Mapping[int, int]
    """Round → ballots already here, skipped."""
    resolved: tuple[Resolved, ...]
    documents: Mapping[str, int]
    """Table → documents brought (decisions, counts)."""
    kept: Mapping[str, tuple[str, ...]]
    """Table → keys where the other laptop's document was not brought, ours standing."""
    closed_rounds: tuple[int, ...]
    nothing: bool = False
    """Everything the other holds was already here: nothing was written."""


Chooser = Callable[[Conflict], str]
"""Asked for each conflict; answers ``here`` or ``other``."""


def chooser_for(prefer: str) -> Chooser:
    """The chooser a ``--prefer`` value stands for."""
    if prefer == LATEST:
        return lambda conflict: conflict.latest()
    if prefer in (HERE, OTHER):
        return lambda conflict: prefer
    raise ValueError(prefer)


def apply_merge(ws: Workshop, plan: MergePlan, choose: Chooser) -> MergeResult:
    """Write the plan: participants, states, decisions and the log entry, then the ballots.

    Every conflict is settled (``choose``) before the first write, so a question left
    unanswered (Ctrl-C) leaves the session as it was.
    """
    resolved: list[Resolved] = []
    for step in plan.keys:
        if step.conflict is not None:
            side = choose(step.conflict)
            if side not in (HERE, OTHER):
                raise ValueError(side)
            resolved.append(Resolved(step.conflict, side))
            step.winner = step.conflict.other_doc if side == OTHER else step.conflict.here_doc
    result = _result(plan, tuple(resolved))
    if plan.empty:
        return result
    batches: dict[int, list[dict[str, Any]]] = {}
    for step in plan.keys:
        batch = batches.setdefault(step.round, [])
        batch.extend(step.new)
        winner = step.winner
        if winner is not None and ballot_identity(winner) != ballot_identity(step.new[-1]):
            batch.append(winner)
    with ws._logged(
        "session-merge",
        other=plan.other.name,
        folder=str(plan.other.folder),
        stations=list(plan.stations),
        count=sum(result.ballots.values()),
        participants=len(plan.added),
        conflicts=len(resolved),
        added=[p.code for p in plan.added],
        renumbered=[f"{r.theirs}→{r.code}" for r in plan.renumbered],
        rounds={str(r): n for r, n in result.ballots.items()},
        duplicates=sum(result.duplicates.values()),
        resolved=[
            f"{r.conflict.round} {r.conflict.participant} {r.conflict.indicator} {r.kept}"
            for r in resolved
        ],
    ):
        if plan.added:
            ws.store.insert_many("participants", [p.to_dict() for p in plan.added])
        for doc_id, fields in plan.updates.items():
            ws.store.update("participants", doc_id, fields)
        for table, docs in plan.documents.items():
            if docs:
                ws.store.insert_many(table, docs)
    # After the tables: a ballot never names a participant this session does not know.
    for round_no, batch in sorted(batches.items()):
        if batch:
            ws.store.append_ballots(round_no, batch)
    return result


def preview(plan: MergePlan) -> MergeResult:
    """What applying the plan would report, conflicts not yet settled (``--dry-run``)."""
    return _result(plan, ())


def _result(plan: MergePlan, resolved: tuple[Resolved, ...]) -> MergeResult:
    return MergeResult(
        other=plan.other.name,
        stations=plan.stations,
        added=tuple(plan.added),
        renumbered=tuple(plan.renumbered),
        updated=tuple(plan.updated_codes),
        ballots=plan.new_ballots(),
        duplicates={r: n for r, n in plan.duplicates.items() if n},
        resolved=resolved,
        documents={t: len(d) for t, d in plan.documents.items() if d},
        kept={t: tuple(k) for t, k in plan.kept.items() if k},
        closed_rounds=tuple(plan.closed_rounds),
        nothing=plan.empty,
    )


def merge_sessions(ws: Workshop, folders: Iterable[Path], *, choose: Chooser) -> list[MergeResult]:
    """Merge several sessions in turn, after checking every one of them first."""
    others = [read_other(Path(f)) for f in folders]
    for other in others:
        check_compatible(ws, other)
    results = []
    for other in others:
        plan = plan_merge(ws, other)
        results.append(apply_merge(ws, plan, choose))
    return results


__all__ = [
    "HERE",
    "LATEST",
    "OTHER",
    "PREFERENCES",
    "Conflict",
    "MergePlan",
    "MergeResult",
    "OtherSession",
    "apply_merge",
    "ballot_identity",
    "check_compatible",
    "chooser_for",
    "merge_sessions",
    "plan_merge",
    "preview",
    "read_other",
]
