"""The service layer: an open session, its participants, rounds, ballots and decisions.

Every CLI command is one call here, so the whole workshop can also be run from Python
(the demo and the tests do).  This module decides the rules of the room — who may rate
what, when a round may open or close, which ballot counts — and leaves storage to
``store``, reading files to ``readers``, figures and the report to ``tally`` (over one
``snapshot()`` of the store) and layout to ``exports``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hsvalidate import audit, consensus, tally
from hsvalidate.errors import (
    BallotError,
    DecisionError,
    RoundError,
    SessionError,
)
from hsvalidate.framework import (
    Framework,
    Indicator,
    Text,
    framework_from_dict,
    framework_to_dict,
)
from hsvalidate.i18n import LANGS, Message, Words, fold, t
from hsvalidate.model import (
    DECISION_ACTIONS,
    LEGACY_VOTE_KEYS,
    PRESENCE,
    VOTE_KEYS,
    Ballot,
    Count,
    Decision,
    Participant,
    Round,
    Settings,
    WorkshopDetails,
    current_decisions,
    decision_action_code,
    decision_gap,
    latest_counts,
    presence_code,
)
from hsvalidate.report import (
    AttritionRow,
    Report,
    ResultRow,
    StabilityRow,
)
from hsvalidate.revisions import History, Revision, build_history
from hsvalidate.sessions import (
    check_session_name,
    new_uid,
    now_iso,
    remember_session,
    station_name,
)
from hsvalidate.tally import Feedback

if TYPE_CHECKING:
    from hsvalidate.errors import InputFileError
    from hsvalidate.headers import Vocabulary
    from hsvalidate.spreadsheet import Table
    from hsvalidate.store import LockHolder, Repair, SessionStore


@dataclass(frozen=True)
class ImportSummary:
    """What an import did, for one line of feedback."""

    added: int
    """Records added."""
    replaced: int = 0
    """Ballots that replaced an earlier ballot by the same participant."""
    skipped: int = 0
    """Records already present and left as they were."""
    columns: tuple[tuple[str, str], ...] = ()
    """(field, header) of every column read, so the user can see how the file was understood."""
    ignored: tuple[tuple[str, str | None], ...] = ()
    """(header, probable field) of every column not read."""
    missing: tuple[str, ...] = ()
    """Optional fields the file has no column for (e.g. the group)."""
    comments_dropped: tuple[str, ...] = ()
    """``"P03 D1.O1.I2"`` for each replaced ballot whose comment the new one does not repeat."""


@dataclass(frozen=True)
class CloseCheck:
    """What closing the open round now would leave behind, in figures."""

    round: int
    """The round to close."""
    present: int
    """Participants marked present."""
    voted: int
    """Of those, how many cast at least one ballot in the round."""
    not_voted: tuple[str, ...]
    """Codes of present participants with no ballot at all."""
    indicators: int
    """Indicators rated in the round."""
    below_quorum: tuple[str, ...]
    """Indicators whose combined verdict is below quorum."""
    quorum: int
    """Ratings a whole-panel result needs (``Rule.panel_quorum``)."""

    @property
    def needs_confirmation(self) -> bool:
        """Whether closing now leaves voters out or results unclassified."""
        return bool(self.not_voted or self.below_quorum)


@dataclass(frozen=True)
class RecordedCount:
    """A count of cards just recorded, and what the facilitator should be told about it."""

    count: Count
    replaced: Count | None = None
    """The earlier count of the same indicator and criterion it replaces in the results."""
    typed: int = 0
    """Ballots already giving an answer on that criterion (laptop, paper, file...)."""
    present: int = 0
    """Participants present in the round."""


@dataclass(frozen=True)
class FileImport:
    """What one file of ``ballots import`` gives (or would give, with ``--dry-run``)."""

    file: Path
    kind: str
    """``form`` (a returned form) or ``table`` (a tidy ballot file)."""
    participants: tuple[str, ...]
    """Codes of the participants whose ballots it holds, in file order."""
    ballots: int
    replaced: int
    """Of those, ballots replacing one already recorded for the same participant and indicator."""
    comments: int
    """Ballots carrying a comment."""
    not_rated: int
    """Indicators a form left wholly empty (0 for a tidy file)."""
    comments_dropped: tuple[str, ...]
    """``P03 D1.O1.I1`` where an earlier ballot had a comment this one lacks."""


class ConfirmationRequired(RoundError):
    """Closing the round now would leave voters out or results below quorum."""

    def __init__(self, check: CloseCheck) -> None:
        super().__init__(Message("round.close_needs_yes", round=check.round))
        self.check = check


ROOM_TOKENS = "room_tokens"
"""Table of the participants' personal tokens for the room (``hsvalidate room``)."""


class Workshop:
    """An open session: the operations a facilitator runs during the day."""

    def __init__(self, store: SessionStore, *, name: str) -> None:
        self.store = store
        self.name = name
        meta = store.meta()
        if not store.all("framework"):
            raise SessionError(Message("session.no_framework", name=name))
        self._seen = -1  # the store generation the values below were read at
        self._people: list[Participant] = []
        self._people_at = -1
        self._rounds: list[Round] = []
        self._rounds_at = -1
        self._settings: Settings
        self._history: History
        self._reload()
        self.created_at: str = str(meta.get("created_at", ""))
        self._acting = False  # inside a logged action: inner calls do not log again
        self.warnings: list[Message] = []
        """What went wrong without stopping the command (a snapshot that could not be
        made), for the command to say after its own output."""

    # -- opening and closing -------------------------------------------------------------

    @classmethod
    def create(
        cls,
        *,
        root: Path,
        name: str,
        framework: Framework,
        settings: Settings,
        purpose: str = "hsvalidate session new",
    ) -> Workshop:
        """Create a session folder holding the framework exactly as it was loaded."""
        from hsvalidate.store import create_store

        name = check_session_name(name)
        if not framework.indicators():
            raise SessionError(Message("session.no_indicators"))
        made = not (root / name).exists()
        store = create_store(
            root / name,
            meta={"name": name, "created_at": now_iso(), "settings": settings.to_dict()},
            purpose=purpose,
            tables={
                "framework": [{"framework": framework_to_dict(framework)}],
                "log": [
                    audit.entry_doc(
                        "session-create",
                        at=now_iso(),
                        by=audit.FACILITATOR,
                        details={"name": name, "source": framework.source},
                        changes=None,
                    )
                ],
            },
        )
        try:
            workshop = cls(store, name=name)
            remember_session(root, name)
            return workshop
        except BaseException:
            store.close()
            if made:  # brand new and holding nothing yet: gone, so the command can be retried
                import shutil

                shutil.rmtree(root / name, ignore_errors=True)
            raise

    @classmethod
    def open(
        cls,
        *,
        root: Path,
        name: str,
        writable: bool = True,
        purpose: str = "",
        tables_only: bool = False,
        wait: float | None = None,
        on_wait: Callable[[LockHolder | None], None] | None = None,
    ) -> Workshop:
        """Open an existing session; writable opens take the session's lock.

        ``tables_only``: for an action that writes no ballot (a log line), without the
        check of every ballot journal a full writable open makes (``store.open_store``).
        """
        from hsvalidate.store import WRITE_WAIT_S, open_store

        store = open_store(
            root / name,
            writable=writable,
            purpose=purpose,
            tables_only=tables_only,
            wait=WRITE_WAIT_S if wait is None else wait,
            on_wait=on_wait,
        )
        try:
            workshop = cls(store, name=name)
            if writable:
                remember_session(root, name)
        except BaseException:
            # Closing removes our lock-holder file: a failed marker write (a full disk)
            # must not make the next command report a crash that never happened.
            store.close()
            raise
        return workshop

    def close(self) -> None:
        """Release the lock; everything acknowledged is already on disk."""
        self.store.close()

    def __enter__(self) -> Workshop:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def exports_dir(self) -> Path:
        """Where documents go unless the facilitator names a folder: inside the session."""
        folder = self.store.folder
        assert folder is not None, "a workshop is always opened from a session folder"
        return Path(folder) / "exports"

    @property
    def skipped(self) -> dict[int, list[int]]:
        """Round → damaged journal lines a read-only view left out (empty when none)."""
        return dict(self.store.skipped)

    @property
    def repairs(self) -> list[Repair]:
        """Torn journal tails this open cut off, for the command to tell the facilitator."""
        return list(self.store.repairs)

    @property
    def recovered_from(self) -> LockHolder | None:
        """The crashed process whose lock this session took over, if any."""
        return self.store.recovered_from

    @property
    def scale(self) -> consensus.Scale:
        """The session's rating scale."""
        return self.settings.scale

    @property
    def rule(self) -> consensus.Rule:
        """The session's classification rule."""
        return self.settings.rule

    # -- the audit log -------------------------------------------------------------------

    @contextlib.contextmanager
    def _logged(
        self, action: str, *, by: str = audit.FACILITATOR, **details: Any
    ) -> Iterator[dict[str, Any]]:
        """Do the changes of one facilitator action and its log entry in one atomic write.

        The body may add details it learns along the way (the dict it is given).  An
        action made of others (an import registers participants) logs once, as itself.
        """
        if self._acting:
            yield details
            return
        self._acting = True
        try:
            with self.store.transaction() as tx:
                yield details
                self.store.insert(
                    "log",
                    audit.entry_doc(
                        action, at=now_iso(), by=by, details=details, changes=tx.changes
                    ),
                )
        finally:
            self._acting = False

    def log_entries(self) -> list[audit.Entry]:
        """Every facilitator action, first to last (ballots are in their journals)."""
        return [audit.Entry.from_doc(d) for d in self.store.all("log")]

    def timeline(self) -> list[audit.Event]:
        """The session's story in time order: facilitator actions and ballots (``hsvalidate log``)."""
        ballots = [b for r in self.store.ballot_rounds() for b in self.store.ballots(r)]
        return audit.timeline(self.log_entries(), ballots)

    def earlier_ballot(self, participant: str, indicator: str) -> Ballot | None:
        """The ballot a new one by this participant on this indicator would replace, if any.

        Why: a paper ballot typed twice must say so ("replaces the ballot recorded at
        10:42") rather than silently change the figures.
        """
        rnd = self.open_round()
        if rnd is None:
            return None
        code = participant.strip().upper()
        wanted = indicator.strip().upper()
        found = None
        for doc in self._raw_ballots(rnd.number):
            if (
                str(doc.get("participant", "")).upper() == code
                and str(doc.get("indicator", "")).upper() == wanted
            ):
                found = doc
        return Ballot.from_dict(found) if found is not None else None

    def log_export(self, files: Sequence[Path]) -> None:
        """Record that documents left the tool, so the log says which version was circulated."""
        with self._logged("export", files=[f.name for f in files]):
            pass

    def undo_target(self) -> audit.Entry:
        """The action ``undo`` would take back, or the reason it cannot, as an error.

        Refused when taking it back would orphan what came after it: a round opened
        that already has ballots, a participant who has voted since, an indicator
        version already rated.  Ballots are never undone: they are the participants'.
        """
        entries = self.log_entries()
        target = audit.undo_target(entries)
        if target is None:
            raise SessionError(Message("undo.nothing"))
        if target.changes is None:
            key = "undo.not_undoable"
            if target.action == "ballots-import":
                key = "undo.not_undoable.ballots"
            elif target.action == "session-merge":
                key = "merge.undo_refused"
            raise SessionError(Message(key, action=target.message()))
        reason = self._undo_refusal(target)
        if reason is not None:
            raise SessionError(Message("undo.refused", action=target.message(), reason=reason))
        return target

    def undo(self) -> audit.Entry:
        """Take back the last facilitator action (see ``undo_target``); the undo is logged too."""
        target = self.undo_target()
        assert target.changes is not None
        self._snapshot("before-undo")
        with self.store.transaction():
            self.store.restore(list(target.changes))
            self.store.insert(
                "log",
                audit.entry_doc(
                    "undo",
                    at=now_iso(),
                    by=audit.FACILITATOR,
                    details={"action": target.action, **target.details},
                    changes=None,
                    undoes=target.seq,
                ),
            )
        self._reload()
        return target

    def _snapshot(self, reason: str) -> None:
        """Keep a copy of the session (``backups/``) at a moment worth going back to.

        A snapshot that cannot be made (a full disk) does not undo what was just done;
        the command says so instead.
        """
        from hsvalidate.errors import HsValidateError
        from hsvalidate.store import backup_session

        folder = self.store.folder
        if folder is None:
            return
        try:
            with self.store.writing():  # a copy of every file as of one moment
                backup_session(Path(folder), reason)
        except HsValidateError as exc:
            self.warnings.append(Message("backup.failed", reason=exc.message))

    def _reload(self) -> None:
        """Re-read the settings and the framework with its revisions from the tables."""
        generation = self.store.generation
        meta = self.store.meta()
        self._settings = Settings.from_dict(meta.get("settings", {}))
        self._history = build_history(
            framework_from_dict(self.store.all("framework")[0]["framework"]),
            (Revision.from_dict(d) for d in self.store.all("revisions")),
        )
        self._seen = max(generation, self.store.generation)

    def _fresh(self) -> None:
        """Rebuild what was read from the tables if they changed, here or in another window.

        Why: several windows work on one session; the ballot screen must record the
        wording the facilitator's window just made current, not the one it opened with.
        """
        if self.store.generation != self._seen:
            self._reload()

    @property
    def settings(self) -> Settings:
        """The session's settings as they stand now."""
        self._fresh()
        return self._settings

    @property
    def history(self) -> History:
        """The draft with every revision: every wording, what went where."""
        self._fresh()
        return self._history

    @property
    def framework(self) -> Framework:
        """The framework as it stands now: the draft with every revision made."""
        return self.history.current

    def _undo_refusal(self, entry: audit.Entry) -> Message | None:
        """Why taking ``entry`` back would leave the session inconsistent, or None."""
        details = entry.details
        if entry.action == "round-open":
            number = int(details.get("round", 0))
            if number in self.store.ballot_rounds():
                return Message("undo.round_has_ballots", round=number)
        if entry.action == "round-reopen":
            number = int(details.get("round", 0))
            if any(str(b.get("recorded_at", "")) > entry.at for b in self._raw_ballots(number)):
                return Message("undo.reopen_has_ballots", round=number)
        counted = self._count_refusal(entry)
        if counted is not None:
            return counted
        if entry.action in ("participant-add", "participants-import"):
            added = {
                c["id"]
                for c in entry.changes or ()
                if c["table"] == "participants" and c["before"] is None
            }
            codes = [
                str(d.get("code")) for d in self.store.all("participants") if d["_id"] in added
            ]
            voted = [code for code in codes if self._has_ballots(code)]
            if voted:
                return Message("undo.participant_voted", codes=", ".join(voted))
        return None

    def _raw_ballots(self, round_no: int) -> list[dict[str, Any]]:
        """Every stored ballot of a round, replaced ones included ([] for a round never rated)."""
        if round_no not in self.store.ballot_rounds():
            return []
        return self.store.ballots(round_no)

    # -- workshop details ----------------------------------------------------------------

    @property
    def details(self) -> WorkshopDetails:
        """Title, place, dates, organisers, chair and rapporteur, as they stand now."""
        return WorkshopDetails.from_dict(self.store.meta().get("details"))

    def set_details(
        self,
        *,
        title: str | None = None,
        place: str | None = None,
        dates: Sequence[str] | None = None,
        organisers: Sequence[str] | None = None,
        chair: str | None = None,
        rapporteur: str | None = None,
        logos: Sequence[Path] | None = None,
    ) -> WorkshopDetails:
        """Change the details given (the others stay); a logo file is copied into the session.

        Why copied: the minutes are exported again days later, from another folder or
        laptop; a logo that lived on a USB stick would be gone.
        """
        from hsvalidate.model import parse_day

        current = self.details
        changes: dict[str, Any] = {}
        for key, value in (
            ("title", title),
            ("place", place),
            ("chair", chair),
            ("rapporteur", rapporteur),
        ):
            if value is not None:
                changes[key] = " ".join(value.split())
        if organisers is not None:
            changes["organisers"] = tuple(" ".join(o.split()) for o in organisers if o.strip())
        if dates is not None:
            days = []
            for text in dates:
                day = parse_day(text)
                if day is None:
                    raise SessionError(Message("details.bad_date", date=text))
                days.append(day)
            changes["dates"] = tuple(sorted(set(days)))
        if logos is not None:
            changes["logos"] = tuple(self._keep_logo(path) for path in logos)
        if not changes:
            raise SessionError(Message("details.nothing"))
        new = replace(current, **changes)
        with self._logged("session-details", fields=sorted(changes)):
            self.store.update_meta({"details": new.to_dict()})
        return new

    def _keep_logo(self, path: Path) -> str:
        """Copy a logo into the session's ``logos`` folder; its name there."""
        import shutil

        source = Path(path)
        if source.suffix.lower() not in (".png", ".jpg", ".jpeg"):
            raise SessionError(Message("details.logo_kind", file=source.name))
        if not source.is_file():
            raise SessionError(Message("details.logo_missing", file=str(source)))
        folder = self.store.folder
        if folder is None:
            return source.name
        target = Path(folder) / "logos"
        target.mkdir(exist_ok=True)
        try:
            shutil.copyfile(source, target / source.name)
        except OSError as exc:
            raise SessionError(
                Message("details.logo_unreadable", file=source.name, reason=exc.strerror or exc)
            ) from exc
        return source.name

    # -- participants --------------------------------------------------------------------

    def participants(self) -> list[Participant]:
        """Registered participants in code order (those removed as mistakes left out).

        Read again only when the tables changed (here or in another window): every
        ballot checks its participant, and a phone's page, the kiosk and paper entry
        ask for them at every step.
        """
        generation = self.store.generation
        if self._people_at != generation:
            self._people = [
                Participant.from_dict(d)
                for d in self.store.all("participants")
                if not d.get("removed")
            ]
            self._people_at = generation
        return list(self._people)

    def participant(self, code: str) -> Participant:
        """A participant by code (case-insensitive), or a BallotError naming the known codes."""
        wanted = code.strip().upper()
        for p in self.participants():
            if p.code.upper() == wanted:
                return p
        raise BallotError(Message("participant.unknown_code", code=code))

    def add_participant(
        self, *, name: str, organisation: str = "", group: str = "", sex: str = ""
    ) -> Participant:
        """Register one participant and give them the next free code."""
        return self.add_participants([(name, organisation, group, sex)])[0]

    def add_participants(self, people: Sequence[tuple[str, str, str, str]]) -> list[Participant]:
        """Register several participants in one durable write; each gets the next code."""
        from hsvalidate.readers import normalise_sex

        # Removed participants stay in the table, marked, so their codes are never given again.
        next_no = _next_code_number(
            Participant.from_dict(d) for d in self.store.all("participants")
        )
        added: list[Participant] = []
        for name, organisation, group, sex in people:
            name = " ".join(name.split())
            if not name:
                raise BallotError(Message("participant.name_missing"))
            sex_code = normalise_sex(sex)  # the attendance sheet's words for F and M
            if sex_code is None:
                raise BallotError(Message("participant.sex_unknown", sex=sex, name=name))
            added.append(
                Participant(
                    code=f"P{next_no:02d}",
                    name=name,
                    organisation=" ".join(organisation.split()),
                    group=" ".join(group.split()),
                    sex=sex_code,
                )
            )
            next_no += 1
        with self._logged(
            "participant-add", codes=[p.code for p in added], names=[p.name for p in added]
        ):
            self.store.insert_many("participants", [p.to_dict() for p in added])
        return added

    def edit_participant(
        self,
        code: str,
        *,
        name: str | None = None,
        organisation: str | None = None,
        group: str | None = None,
        sex: str | None = None,
    ) -> Participant:
        """Correct a participant's details; only the fields given change, the code never.

        Why the code stays: it is what stands beside their ratings in every round.
        """
        from hsvalidate.readers import normalise_sex

        doc = self._participant_doc(code)
        person = Participant.from_dict(doc)
        if name is None and organisation is None and group is None and sex is None:
            raise BallotError(Message("participant.edit_nothing", code=person.code))
        fields: dict[str, str] = {}
        if name is not None:
            fields["name"] = " ".join(name.split())
            if not fields["name"]:
                raise BallotError(Message("participant.name_missing"))
        if organisation is not None:
            fields["organisation"] = " ".join(organisation.split())
        if group is not None:
            fields["group"] = " ".join(group.split())
        if sex is not None:
            sex_code = normalise_sex(sex)
            if sex_code is None:
                raise BallotError(
                    Message(
                        "participant.sex_unknown", sex=sex, name=fields.get("name", person.name)
                    )
                )
            fields["sex"] = sex_code
        with self._logged("participant-edit", code=person.code, fields=sorted(fields)):
            self.store.update("participants", doc["_id"], fields)
        return Participant.from_dict({**doc, **fields})

    def remove_participant(self, code: str) -> Participant:
        """Take back a registration made by mistake; refused once they have a ballot.

        Why refused: a ballot is part of the record.  Someone who voted and then left is
        withdrawn instead (``withdraw_participant``).  The entry stays in the store,
        marked removed, so the code is never given to anyone else.
        """
        doc = self._participant_doc(code)
        person = Participant.from_dict(doc)
        if self._has_ballots(person.code):
            raise BallotError(Message("participant.remove_has_ballots", code=person.code))
        with self._logged("participant-remove", code=person.code, name=person.name):
            self.store.update(
                "participants", doc["_id"], {"removed": True, "removed_at": now_iso()}
            )
        return person

    def withdraw_participant(self, code: str) -> Participant:
        """Mark a participant as having left the workshop; their ballots keep counting.

        From the round they leave in, they are no longer expected to vote, offered on
        the ballot screen or counted present.  A round they already voted in keeps them
        as present (they were in the room for part of it), so it starts after that one.
        """
        doc = self._participant_doc(code)
        person = Participant.from_dict(doc)
        if person.withdrawn_from is not None:
            raise BallotError(
                Message(
                    "participant.already_withdrawn", code=person.code, round=person.withdrawn_from
                )
            )
        rounds = self.rounds()
        current = self.open_round()
        if current is None:
            start = rounds[-1].number + 1 if rounds else 1
        elif any(b.participant == person.code for b in self.ballots(current.number)):
            start = current.number + 1
        else:
            start = current.number
        with self._logged("participant-withdraw", code=person.code, round=start):
            self.store.update("participants", doc["_id"], {"withdrawn_from": start})
        return replace(person, withdrawn_from=start)

    def set_presence(self, code: str, *, status: str, round_no: int | None = None) -> PresenceSet:
        """Record how a participant attended one round (default: the open round, else the last).

        ``status`` is a ``model.PRESENCE`` code or its word in either language.  It
        changes that round's quorum, expected raters and attrition, and nothing else.
        """
        found = presence_code(status)
        if found is None:
            raise BallotError(
                Message("presence.unknown_status", status=status, statuses=_presence_words())
            )
        doc = self._participant_doc(code)
        person = Participant.from_dict(doc)
        if round_no is None:
            current = self.open_round()
            rnd = current if current is not None else self._round(None)
        else:
            rnd = self._round(round_no)
        if person.withdrawn_from is not None and rnd.number >= person.withdrawn_from:
            raise BallotError(
                Message("presence.withdrawn", code=person.code, round=person.withdrawn_from)
            )
        presence = {**person.presence, rnd.number: found}
        with self._logged("presence", code=person.code, round=rnd.number, status=found):
            self.store.update(
                "participants",
                doc["_id"],
                {"presence": {str(k): v for k, v in presence.items()}},
            )
        return PresenceSet(participant=replace(person, presence=presence), round=rnd.number)

    def present_in(self, round_no: int) -> list[Participant]:
        """Participants counted present in a round; an unknown round is an error, not nobody."""
        self._round(round_no)
        return self.snapshot().present_in(round_no)

    def _participant_doc(self, code: str) -> dict[str, Any]:
        """The stored entry of a registered participant, or the error naming the code typed."""
        wanted = code.strip().upper()
        for doc in self.store.all("participants"):
            if not doc.get("removed") and str(doc.get("code", "")).upper() == wanted:
                return doc
        raise BallotError(Message("participant.unknown_code", code=code))

    def _has_ballots(self, code: str) -> bool:
        """Whether any ballot of any round, replaced ones included, is theirs."""
        return any(
            str(b.get("participant", "")).upper() == code.upper()
            for round_no in self.store.ballot_rounds()
            for b in self.store.ballots(round_no)
        )

    def import_participants(
        self, path: Path, *, tables: Sequence[Table] | None = None
    ) -> tuple[list[Participant], ImportSummary]:
        """Register everyone on an attendance sheet (CSV/XLSX); people already registered are skipped.

        The whole file is checked first (``readers.read_attendance``) and nothing is
        registered if any row is wrong, so a corrected file can simply be imported again.
        ``tables`` are the file's when the command read them before locking the session
        (``readers.attendance_tables``), so a large file never holds the lock.
        """
        from hsvalidate.readers import read_attendance

        sheet = read_attendance(path, tables=tables)
        known = {(fold(p.name), fold(p.organisation)) for p in self.participants()}
        rows = [
            (person.name, person.organisation, person.group, person.sex)
            for person in sheet.rows
            if (fold(person.name), fold(person.organisation)) not in known
        ]
        with self._logged("participants-import", by=f"file:{path.name}", file=path.name) as log:
            added = self.add_participants(rows) if rows else []
            log["count"] = len(added)
        return added, ImportSummary(
            added=len(added),
            skipped=len(sheet.rows) - len(rows),
            columns=sheet.columns,
            ignored=sheet.ignored,
            missing=sheet.missing,
        )

    # -- rounds --------------------------------------------------------------------------

    def rounds(self) -> list[Round]:
        """Every round, first to last (read again only when the tables changed)."""
        generation = self.store.generation
        if self._rounds_at != generation:
            self._rounds = sorted(
                (Round.from_dict(d) for d in self.store.all("rounds")), key=lambda r: r.number
            )
            self._rounds_at = generation
        return list(self._rounds)

    def open_round(self) -> Round | None:
        """The round currently open, if any."""
        for r in self.rounds():
            if r.status == "open":
                return r
        return None

    def start_round(
        self,
        indicators: Sequence[str] | None = None,
        *,
        add: Sequence[str] = (),
        remove: Sequence[str] = (),
    ) -> Round:
        """Open the next round.

        Round 1 rates every indicator; a later round, by default, only those the previous
        round left without consensus (the Delphi rule).  ``indicators`` names the whole
        list instead; ``add`` and ``remove`` adjust the default list, so the facilitator
        can bring back one indicator the room wants to discuss, or set one aside.
        """
        current = self.open_round()
        if current is not None:
            raise RoundError(Message("round.still_open", number=current.number))
        if not self.participants():
            raise RoundError(Message("round.no_participants"))
        rounds = self.rounds()
        number = rounds[-1].number + 1 if rounds else 1
        all_codes = [i.code for i in self.framework.indicators()]
        named = [c.strip() for c in (*(indicators or ()), *add, *remove) if c.strip()]
        unknown = [c for c in named if c not in all_codes]
        if unknown:
            raise RoundError(Message("round.unknown_indicators", codes=", ".join(unknown)))
        if indicators:
            codes = [c.strip() for c in indicators if c.strip()]
        elif number == 1:
            codes = all_codes
        else:
            codes = tally.carried_forward(self.snapshot(), rounds[-1].number)
            # A wording made since the last round has not been rated by anyone yet.
            codes += [c for c in self.history.revised_after(rounds[-1].number) if c not in codes]
            if not codes and not add:
                raise RoundError(Message("round.all_settled", number=rounds[-1].number))
        wanted = (set(codes) | {c.strip() for c in add}) - {c.strip() for c in remove}
        codes = [c for c in all_codes if c in wanted]
        if not codes:
            raise RoundError(Message("round.nothing_to_rate"))
        new = Round(number=number, indicators=tuple(codes), status="open", opened_at=now_iso())
        with self._logged("round-open", round=number, count=len(codes)):
            self.store.insert("rounds", new.to_dict())
        return new

    def close_check(self) -> CloseCheck:
        """What closing the open round now would leave behind, in figures."""
        rnd = self.open_round()
        if rnd is None:
            raise RoundError(Message("round.none_open"))
        snap = self.snapshot()
        present = [p.code for p in snap.present_in(rnd.number)]
        voters = {b.participant for b in snap.round_ballots(rnd.number)}
        verdicts = tally.indicator_verdicts(snap, rnd.number)
        return CloseCheck(
            round=rnd.number,
            present=len(present),
            voted=sum(1 for code in present if code in voters),
            not_voted=tuple(code for code in present if code not in voters),
            indicators=len(rnd.indicators),
            below_quorum=tuple(
                code
                for code in rnd.indicators
                if verdicts.get(code, consensus.BELOW_QUORUM) == consensus.BELOW_QUORUM
            ),
            quorum=snap.rule.panel_quorum(len(present)),
        )

    def close_round(self, *, confirmed: bool = False) -> Round:
        """Close the open round; its results are then final and feed the next round.

        A round closed too early ruins the next one (it re-rates what nobody rated), so
        closing with present participants who have not voted, or with indicators below
        quorum, needs ``confirmed``; otherwise ``ConfirmationRequired`` carries the figures.
        """
        check = self.close_check()
        if check.needs_confirmation and not confirmed:
            raise ConfirmationRequired(check)
        for doc in self.store.all("rounds"):
            if doc.get("status") == "open":
                with self._logged("round-close", round=int(doc["number"]), voted=check.voted):
                    closed_at = now_iso()  # under the lock: no ballot of this round comes later
                    self.store.update(
                        "rounds", doc["_id"], {"status": "closed", "closed_at": closed_at}
                    )
                self._snapshot(f"round-{int(doc['number'])}-closed")
                return replace(Round.from_dict(doc), status="closed", closed_at=closed_at)
        raise RoundError(Message("round.none_open"))  # pragma: no cover - checked above

    def reopen_round(self, reason: str) -> Round:
        """Open the last round again, keeping its ballots; the reason is recorded with it.

        Only the last round, and only while no other is open: reopening an earlier round
        would change what a later round was built on.
        """
        reason = " ".join(reason.split())
        if not reason:
            raise RoundError(Message("round.reopen_needs_reason"))
        current = self.open_round()
        if current is not None:
            raise RoundError(Message("round.reopen_one_open", number=current.number))
        docs = sorted(self.store.all("rounds"), key=lambda d: int(d.get("number", 0)))
        if not docs:
            raise RoundError(Message("round.none_yet"))
        last = Round.from_dict(docs[-1])
        reopenings = (*last.reopenings, (now_iso(), reason, last.closed_at))
        with self._logged("round-reopen", round=last.number, reason=reason):
            self.store.update(
                "rounds",
                docs[-1]["_id"],
                {"status": "open", "closed_at": "", "reopenings": [list(r) for r in reopenings]},
            )
        return replace(last, status="open", closed_at="", reopenings=reopenings)

    def _round(self, number: int | None) -> Round:
        rounds = self.rounds()
        if not rounds:
            raise RoundError(Message("round.none_yet"))
        if number is None:
            return rounds[-1]
        for r in rounds:
            if r.number == number:
                return r
        last = rounds[-1].number
        if last == 1:
            raise RoundError(Message("round.unknown_only_one", number=number))
        raise RoundError(Message("round.unknown", number=number, last=last))

    # -- ballots -------------------------------------------------------------------------

    def criteria_words(self) -> Words:
        """The session's criteria as a user names them, in each language, for messages."""
        return Words(
            {
                lang: ", ".join(c.label.get(lang) or c.code for c in self.settings.criteria)
                for lang in LANGS
            }
        )

    def _criterion_words(self, code: str) -> Words:
        """One criterion's name in each language (its code when the session does not know it)."""
        found = next((c for c in self.settings.criteria if c.code == code), None)
        return Words({lang: found.label.get(lang) if found else code for lang in LANGS})

    def _check_ballot(self, ballot: Ballot, rnd: Round) -> list[Message]:
        """Why a ballot cannot be accepted (empty when it can)."""
        reasons: list[Message] = []
        if ballot.indicator not in rnd.indicators:
            reasons.append(
                Message("ballot.indicator_not_rated", indicator=ballot.indicator, round=rnd.number)
            )
        criteria = {c.code for c in self.settings.criteria}
        scale = self.scale
        for criterion, score in ballot.ratings.items():
            if criterion not in criteria:
                reasons.append(
                    Message(
                        "ballot.unknown_criterion",
                        criterion=criterion,
                        criteria=self.criteria_words(),
                    )
                )
            elif score is not None and (
                isinstance(score, bool) or not isinstance(score, int) or not scale.contains(score)
            ):
                reasons.append(
                    Message(
                        "ballot.score_off_scale",
                        score=score,
                        criterion=self._criterion_words(criterion),
                        low=scale.low,
                        high=scale.high,
                    )
                )
        if not ballot.ratings:
            reasons.append(Message("ballot.no_rating"))
        return reasons

    def record_ballot(
        self,
        *,
        participant: str,
        indicator: str,
        ratings: dict[str, int | None],
        comment: str = "",
        source: str = "terminal",
        round_no: int = 0,
    ) -> Ballot:
        """Store one ballot durably; when this returns, the vote survives a power cut.

        ``round_no``: the round the participant was shown (0: whichever is open), refused
        if another window has moved on since.
        """
        return self.record_ballots(
            [
                Ballot(
                    round=round_no,
                    participant=participant,
                    indicator=indicator,
                    ratings=dict(ratings),
                    comment=comment,
                    source=source,
                )
            ]
        )[0]

    def record_ballots(self, ballots: Sequence[Ballot]) -> list[Ballot]:
        """Store ballots for the open round in one durable commit, all or none.

        The checks and the write hold the session's lock together: a round another
        window closes cannot receive a ballot checked a moment before.
        """
        with self.store.writing():
            return self._record_ballots(ballots)

    def _record_ballots(self, ballots: Sequence[Ballot]) -> list[Ballot]:
        rnd = self.open_round()
        if rnd is None:
            raise RoundError(Message("round.none_open_for_ballots"))
        codes = {p.code.upper(): p.code for p in self.participants()}
        stamped: list[Ballot] = []
        for ballot in ballots:
            if ballot.round and ballot.round != rnd.number:
                # Meant for a round another window has since closed: a paper form printed,
                # a page loaded or a file read for it must not count in the next one.
                raise RoundError(
                    Message("ballot.round_changed", round=ballot.round, open=rnd.number)
                )
            code = codes.get(ballot.participant.strip().upper())
            if code is None:
                raise BallotError(Message("participant.unknown_code", code=ballot.participant))
            reasons = self._check_ballot(ballot, rnd)
            if reasons:
                raise BallotError(
                    Message(
                        "ballot.refused", code=code, indicator=ballot.indicator, reason=reasons[0]
                    )
                )
            stamped.append(
                replace(
                    ballot,
                    round=rnd.number,
                    participant=code,
                    version=self.history.version(ballot.indicator),
                    comment=ballot.comment.strip(),
                    recorded_at=ballot.recorded_at or now_iso(),
                    station=ballot.station or station_name(),
                    uid=ballot.uid or new_uid(),
                )
            )
        self.store.append_ballots(rnd.number, [b.to_dict() for b in stamped])
        return stamped

    def ballots(self, round_no: int) -> list[Ballot]:
        """The ballots that count in a round: the latest per participant and indicator."""
        return list(tally.latest_ballots(Ballot.from_dict(d) for d in self.store.ballots(round_no)))

    def snapshot(self) -> tally.Snapshot:
        """The session as it stands now, read from the store once.

        Every figure computed from one snapshot describes the same moment, even while
        another window records ballots.
        """
        rounds = tuple(self.rounds())
        return tally.Snapshot(
            name=self.name,
            settings=self.settings,
            framework=self.framework,
            history=self.history,
            details=self.details,
            participants=tuple(self.participants()),
            rounds=rounds,
            ballots={r.number: tuple(self.ballots(r.number)) for r in rounds},
            decisions=tuple(self.decisions()),
            created_at=self.created_at,
            counts=self._standing_counts(),
        )

    # -- card counts ---------------------------------------------------------------------

    def counts(self) -> list[Count]:
        """Every count of cards recorded, in the order typed, replaced ones included."""
        return [Count.from_dict(d) for d in self.store.all("counts")]

    def _standing_counts(self) -> dict[int, tuple[Count, ...]]:
        """Round → the counts that stand (the latest per indicator and criterion)."""
        out: dict[int, tuple[Count, ...]] = {}
        for count in latest_counts(self.counts()):
            out[count.round] = (*out.get(count.round, ()), count)
        return out

    def count_indicator(self, indicator: str) -> str:
        """The code of an indicator of the open round a count may be about, or why not.

        Public so that the interactive command refuses before asking its questions.
        """
        rnd = self.open_round()
        if rnd is None:
            raise RoundError(Message("counts.no_open_round"))
        code = self._indicator_code(indicator)
        if code is None:
            raise BallotError(Message("counts.unknown_indicator", indicator=indicator))
        if code not in rnd.indicators:
            raise BallotError(
                Message("counts.indicator_not_in_round", indicator=code, round=rnd.number)
            )
        return code

    def count_room(self, indicator: str) -> tuple[int, int]:
        """(participants present, ballots already cast on ``indicator``) in the open round.

        What the facilitator needs before counting: at most that many cards are left.
        """
        snap = self.snapshot()
        rnd = snap.open_round()
        if rnd is None:
            return 0, 0
        typed = sum(1 for b in snap.round_ballots(rnd.number) if b.indicator == indicator)
        return len(snap.present_in(rnd.number)), typed

    def _count_refusal(self, entry: audit.Entry) -> Message | None:
        """Why undoing a round's opening or reopening would orphan the cards counted in it."""
        if entry.action not in ("round-open", "round-reopen"):
            return None
        number = int(entry.details.get("round", 0))
        counts = [c for c in self.counts() if c.round == number]
        if entry.action == "round-open" and counts:
            return Message("counts.undo_round_has_counts", round=number)
        if entry.action == "round-reopen" and any(c.recorded_at > entry.at for c in counts):
            return Message("counts.undo_reopen_has_counts", round=number)
        return None

    def record_count(
        self,
        *,
        indicator: str,
        criterion: str,
        counts: Mapping[int, int],
        cannot_judge: int = 0,
    ) -> RecordedCount:
        """Record the cards raised in plenary for one indicator and criterion of the open round.

        Why refused above those present: the facilitator counts the room, and a card
        raised by someone not registered (an observer) or a participant who also voted
        at a laptop or on paper would count twice; the sentence says how many cards may
        still be counted.  A later count replaces the earlier one in the results.
        """
        code = self.count_indicator(indicator)
        rnd = self.open_round()
        assert rnd is not None  # count_indicator refuses when no round is open
        found = self.settings.criterion_code(criterion)
        if found is None:
            raise BallotError(
                Message(
                    "counts.unknown_criterion", criterion=criterion, criteria=self.criteria_words()
                )
            )
        scale = self.scale
        for score, n in [*counts.items(), (None, cannot_judge)]:
            if score is not None and (isinstance(score, bool) or not scale.contains(score)):
                raise BallotError(
                    Message("counts.off_scale", score=score, low=scale.low, high=scale.high)
                )
            if isinstance(n, bool) or not isinstance(n, int) or n < 0:
                raise BallotError(Message("counts.negative", n=n))
        snap = self.snapshot()
        earlier = next(
            (
                c
                for c in snap.round_counts(rnd.number)
                if (c.indicator, c.criterion) == (code, found)
            ),
            None,
        )
        count = Count(
            round=rnd.number,
            indicator=code,
            criterion=found,
            counts={int(k): v for k, v in sorted(counts.items()) if v},
            cannot_judge=cannot_judge,
            version=self.history.version(code),
            recorded_at=now_iso(),
            station=station_name(),
            uid=new_uid(),
        )
        if count.total == 0 and earlier is None:
            raise BallotError(Message("counts.empty", indicator=code))
        present = len(snap.present_in(rnd.number))
        typed = sum(
            1 for b in snap.round_ballots(rnd.number) if b.indicator == code and found in b.ratings
        )
        if count.total + typed > present:
            raise BallotError(
                Message(
                    "counts.too_many" if typed else "counts.too_many_alone",
                    total=count.total,
                    present=present,
                    round=rnd.number,
                    typed=typed,
                    room=max(0, present - typed),
                )
            )
        with self._logged(
            "counts-record",
            round=rnd.number,
            indicator=code,
            criterion=self._criterion_words(found).by_lang,
            total=count.total,
        ):
            self.store.insert("counts", count.to_dict())
        return RecordedCount(count=count, replaced=earlier, typed=typed, present=present)

    def pending(self, participant: str) -> list[Indicator]:
        """Indicators of the open round this participant has not rated yet, in framework order.

        None for a withdrawn participant: they are no longer expected to vote.
        """
        return tally.pending(self.snapshot(), self.participant(participant).code)

    def waiting(self) -> list[Participant]:
        """Participants with something left to rate in the open round, from one reading.

        Why not ``pending`` per person: each call reads the whole session, and the ballot
        screen asks for everyone at once.
        """
        snap = self.snapshot()
        return [p for p in snap.participants if tally.pending(snap, p.code)]

    def feedback(self, participant: str) -> dict[str, Feedback]:
        """Last round's figures, own ratings and comments for the open round's indicators."""
        return tally.feedback(self.snapshot(), self.participant(participant).code)

    def import_ballots(
        self, path: Path, *, source: str = "import", tables: Sequence[Table] | None = None
    ) -> ImportSummary:
        """Record the ballots of one file, said as one summary: :meth:`import_files` for one.

        ``tables`` are the file's when they were read before the session was opened
        (``readers.ballot_tables``); otherwise the file is read here.
        """
        from hsvalidate.errors import InputFileError
        from hsvalidate.readers import ballot_tables

        read: Sequence[Table] | InputFileError
        if tables is not None:
            read = tables
        else:
            try:
                read = ballot_tables(path)
            except InputFileError as exc:
                read = exc
        [done] = self.import_files([(path, read)], source=source)
        return ImportSummary(
            added=done.ballots - done.replaced,
            replaced=done.replaced,
            comments_dropped=done.comments_dropped,
        )

    # -- ballots from several files: tidy files and returned forms (hsvalidate ballots import) --

    def import_files(
        self,
        files: Sequence[tuple[Path, Sequence[Table] | InputFileError]],
        *,
        source: str = "import",
        dry_run: bool = False,
    ) -> list[FileImport]:
        """Record the ballots of several files at once, all of them or none.

        Each file is a tidy ballot file or a returned form (told apart by the form's hidden
        identification), given as the tables read before the session was locked, or the
        error met reading it.  Every file is checked before anything is written; any
        problem anywhere raises one InputFileError listing them all, by file, sheet and
        cell or row.  ``dry_run`` checks and counts without writing.  Tidy files' ballots
        carry ``source``, forms' ``form``.
        """
        from hsvalidate.errors import InputFileError, Problem
        from hsvalidate.forms import FormContext, import_error, is_form, read_form
        from hsvalidate.readers import BallotContext, read_ballots

        rnd = self.open_round()
        if rnd is None:
            raise RoundError(Message("round.none_open_for_import"))
        codes = {p.code.upper(): p.code for p in self.participants()}

        def code_of(text: str) -> str | None:
            return codes.get(text.strip().upper())

        tidy = BallotContext(
            round=rnd.number,
            indicators=rnd.indicators,
            participant_code=code_of,
            criterion_code=self.settings.criterion_code,
            criteria_hint=self.criteria_words().render(),
            scale=self.scale,
        )
        form = FormContext(
            session=self.name,
            created=self.created_at,
            round=rnd.number,
            indicators=rnd.indicators,
            participant_code=code_of,
            criteria=self.settings.criteria,
            scale=self.scale,
        )
        errors: list[InputFileError] = []
        read: list[tuple[Path, str, list[Ballot], int]] = []
        for path, tables in files:
            if isinstance(tables, InputFileError):
                errors.append(tables)
                continue
            try:
                if is_form(tables):
                    got = read_form(path, tables, form)
                    read.append((path, "form", list(got.ballots), got.not_rated))
                else:
                    ballots = read_ballots(path, tidy, source=source, tables=tables)
                    read.append((path, "table", ballots, 0))
            except InputFileError as exc:
                errors.append(exc)
        first: dict[tuple[str, str], Path] = {}
        twice: list[Problem] = []
        for path, _, ballots, _ in read:
            for b in ballots:
                key = (b.participant, b.indicator)
                if key in first and first[key] != path:
                    message = Message(
                        "form.duplicate",
                        participant=b.participant,
                        indicator=b.indicator,
                        other=first[key].name,
                    )
                    twice.append(Problem(str(path), message))
                first.setdefault(key, path)
        if twice:
            errors.append(InputFileError(twice[0].message, tuple(twice)))
        if errors:
            raise import_error([path for path, _ in files], errors)
        before = {(b.participant, b.indicator): b for b in self.ballots(rnd.number)}
        outcome = [
            FileImport(
                file=path,
                kind=kind,
                participants=tuple(dict.fromkeys(b.participant for b in ballots)),
                ballots=len(ballots),
                replaced=sum(1 for b in ballots if (b.participant, b.indicator) in before),
                comments=sum(1 for b in ballots if b.comment),
                not_rated=not_rated,
                comments_dropped=tuple(
                    f"{b.participant} {b.indicator}"
                    for b in ballots
                    if (old := before.get((b.participant, b.indicator))) is not None
                    and old.comment
                    and not b.comment
                ),
            )
            for path, kind, ballots, not_rated in read
        ]
        if dry_run:
            return outcome
        self.record_ballots([b for _, _, ballots, _ in read for b in ballots])
        for done in outcome:
            with self._logged(
                "ballots-import",
                by=f"file:{done.file.name}",
                file=done.file.name,
                round=rnd.number,
                count=done.ballots,
                replaced=done.replaced,
                comments_dropped=len(done.comments_dropped),
            ):
                pass
        return outcome

    # -- the room: personal tokens for voting from a phone (hsvalidate room) ------------------

    def room_tokens(self) -> dict[str, str]:
        """Participant code → their valid token (none for the withdrawn or revoked)."""
        people = {p.code: p for p in self.participants()}
        return {
            str(doc["participant"]): str(doc["token"])
            for doc in self.store.all(ROOM_TOKENS)
            if not doc.get("revoked_at")
            and (person := people.get(str(doc["participant"]))) is not None
            and person.withdrawn_from is None
        }

    def room_token_records(self) -> list[dict[str, str]]:
        """Every token ever given, revoked ones too, in the order given.

        Why the revoked too: ``room token list`` shows which slips were cancelled and
        when.  Each record has ``participant``, ``token``, ``issued_at``, ``revoked_at``.
        """
        return [
            {
                "participant": str(doc["participant"]),
                "token": str(doc["token"]),
                "issued_at": str(doc.get("issued_at") or ""),
                "revoked_at": str(doc.get("revoked_at") or ""),
            }
            for doc in self.store.all(ROOM_TOKENS)
        ]

    def issue_tokens(self, codes: Sequence[str] | None = None) -> dict[str, str]:
        """Give a token to each participant named (every one without one, by default).

        Why kept in the session, not only printed: a slip lost or a PDF to print again
        must not mean new tokens for everyone; whoever holds the session file holds every
        ballot anyway.  Returns the tokens given now.
        """
        from hsvalidate.room.tokens import new_token

        have = self.room_tokens()
        people = {p.code.upper(): p for p in self.participants() if p.withdrawn_from is None}
        wanted = [p.code for p in people.values()] if codes is None else []
        for code in codes or ():
            person = people.get(code.strip().upper())
            if person is None:
                raise BallotError(Message("participant.unknown_code", code=code.strip()))
            wanted.append(person.code)
        new = {code: new_token() for code in wanted if code not in have}
        if new:
            with self._logged("room-tokens", codes=sorted(new)):
                self.store.insert_many(
                    ROOM_TOKENS,
                    [
                        {"participant": c, "token": tok, "issued_at": now_iso()}
                        for c, tok in new.items()
                    ],
                )
        return new

    def reissue_token(self, code: str) -> str:
        """Revoke a participant's token and give a new one (a lost slip); ballots untouched."""
        from hsvalidate.room.tokens import new_token

        person = self.participant(code)
        token = new_token()
        with self._logged("room-token-reissue", code=person.code):
            for doc in self.store.all(ROOM_TOKENS):
                if doc["participant"] == person.code and not doc.get("revoked_at"):
                    self.store.update(ROOM_TOKENS, doc["_id"], {"revoked_at": now_iso()})
            self.store.insert(
                ROOM_TOKENS, {"participant": person.code, "token": token, "issued_at": now_iso()}
            )
        return token

    def revoke_token(self, code: str) -> None:
        """Stop a participant's token from voting (a slip handed to the wrong person)."""
        person = self.participant(code)
        docs = [
            d
            for d in self.store.all(ROOM_TOKENS)
            if d["participant"] == person.code and not d.get("revoked_at")
        ]
        if not docs:
            raise BallotError(Message("room.no_token", code=person.code))
        with self._logged("room-token-revoke", code=person.code):
            for doc in docs:
                self.store.update(ROOM_TOKENS, doc["_id"], {"revoked_at": now_iso()})

    def token_participant(self, typed: str) -> Participant | None:
        """The participant a token (as typed or scanned) votes as; None if it is not valid.

        Every valid token is compared, in constant time, so how long this takes says
        nothing about a guess.
        """
        from hsvalidate.room.tokens import holder

        found = holder(typed, ((token, code) for code, token in self.room_tokens().items()))
        return self.participant(found) if found is not None else None

    # -- revisions -----------------------------------------------------------------------

    def reword_indicator(
        self, code: str, *, fields: Mapping[str, str], reason: str = ""
    ) -> Revision:
        """Give an indicator a new wording (any of its fields): its next version.

        ``fields`` maps a field name (``text``, ``definition``, ``source``…) to its new
        text in the framework's working language.  Ballots already cast stay with the
        version they rated; the next round rates the new one.
        """
        found = self._revisable(code)
        return self._revise(
            Revision(
                change="reword",
                code=found.code,
                indicators=(self._with_fields(found, fields),),
                reason=reason,
            )
        )

    def merge_indicators(
        self, codes: Sequence[str], *, text: str, reason: str = "", fields: Mapping[str, str] = {}
    ) -> Revision:
        """Merge indicators into the first one named, with the wording the room agreed.

        The first keeps its code and takes its next version; the others leave the
        framework, recorded as merged into it.
        """
        found = [self._revisable(c) for c in codes]
        sources = list(dict.fromkeys(i.code for i in found))
        if len(sources) < 2:
            raise RoundError(Message("revision.merge_needs_two"))
        target = found[0]
        return self._revise(
            Revision(
                change="merge",
                code=target.code,
                indicators=(self._with_fields(target, {**fields, "text": text}),),
                sources=tuple(sources),
                reason=reason,
            )
        )

    def split_indicator(self, code: str, *, texts: Sequence[str], reason: str = "") -> Revision:
        """Split an indicator into several, each a new code (``D1.O1.I2a``, ``…b``) at version 1.

        The parts keep the other fields of the indicator they come from (definition,
        source…), to be reworded if they differ.
        """
        from hsvalidate.revisions import next_codes

        found = self._revisable(code)
        wordings = [" ".join(t.split()) for t in texts if t.strip()]
        if len(wordings) < 2:
            raise RoundError(Message("revision.split_needs_two"))
        new_codes = next_codes(found.code, len(wordings), self.history.codes_ever())
        parts = tuple(
            self._with_fields(replace(found, code=new_code), {"text": wording})
            for new_code, wording in zip(new_codes, wordings, strict=True)
        )
        return self._revise(
            Revision(change="split", code=found.code, indicators=parts, reason=reason)
        )

    def add_indicator(
        self, outcome: str, *, text: str, reason: str = "", fields: Mapping[str, str] = {}
    ) -> Revision:
        """Add an indicator proposed in the room under an outcome, with the next free code."""
        from hsvalidate.framework import Text
        from hsvalidate.revisions import find_outcome, next_indicator_code

        found = find_outcome(self.framework, outcome)
        if found is None:
            raise RoundError(
                Message(
                    "revision.unknown_outcome",
                    outcome=outcome,
                    outcomes=", ".join(o.code for o in self.framework.outcomes()),
                )
            )
        code = next_indicator_code(found, self.history.codes_ever())
        blank = Indicator(code=code, text=Text())
        new = self._with_fields(blank, {**fields, "text": text})
        return self._revise(
            Revision(change="add", code=code, indicators=(new,), outcome=found.code, reason=reason)
        )

    def drop_indicator(self, code: str, *, reason: str = "") -> Revision:
        """Take an indicator out of the framework between rounds; its figures stay in the documents."""
        found = self._revisable(code)
        return self._revise(Revision(change="drop", code=found.code, reason=reason))

    def revisions(self) -> list[Revision]:
        """Every revision, in the order it was made."""
        return list(self.history.revisions)

    def _revise(self, revision: Revision) -> Revision:
        """Store a checked revision with its log entry and bring the framework up to date."""
        rounds = self.rounds()
        done = replace(
            revision,
            reason=" ".join(revision.reason.split()),
            after_round=rounds[-1].number if rounds else 0,
            recorded_at=now_iso(),
        )
        with self._logged(
            f"indicator-{done.change}",
            code=done.code,
            codes=list(done.new_codes) or [done.code],
            sources=list(done.sources),
            version=self.history.version(done.code) + 1,
            reason=done.reason,
        ):
            self.store.insert("revisions", done.to_dict())
        self._reload()
        return done

    def _revisable(self, code: str) -> Indicator:
        """The indicator named, if it may be revised now.

        Refused while it is being rated in the open round: ballots before and after the
        change would rate two wordings under one round's figures.
        """
        found = self._indicator_code(code)
        indicator = self.framework.indicator(found) if found is not None else None
        if indicator is None:
            retired = self.history.retired.get(code.strip())
            if retired is not None:
                raise RoundError(
                    Message(
                        f"revision.retired.{retired.change}",
                        indicator=code.strip(),
                        into=", ".join(retired.into),
                    )
                )
            raise RoundError(Message("revision.unknown_indicator", indicator=code))
        current = self.open_round()
        if current is not None and indicator.code in current.indicators:
            raise RoundError(
                Message("revision.in_open_round", indicator=indicator.code, round=current.number)
            )
        return indicator

    def _with_fields(self, indicator: Indicator, fields: Mapping[str, str]) -> Indicator:
        """``indicator`` with new texts, in the framework's working language.

        Field names are the model's (``text``, ``definition``…) or a heading a draft
        would use for them (« Source de vérification »), as ``framework_io`` reads them.
        """
        from hsvalidate.framework_io import MATRIX_VOCABULARY

        lang = self.framework.lang
        values: dict[str, Any] = {}
        for name, value in fields.items():
            wanted = " ".join(str(value).split())
            field_name, field_lang = _indicator_field(name, MATRIX_VOCABULARY)
            if field_name is None:
                raise RoundError(Message("revision.unknown_field", field=name))
            current = values.get(field_name, getattr(indicator, field_name))
            if isinstance(current, Text):
                values[field_name] = replace(current, **{field_lang or lang: wanted})
            elif field_name in ("baseline_year", "target_year"):
                try:
                    values[field_name] = int(wanted) if wanted else None
                except ValueError:
                    raise RoundError(
                        Message("revision.bad_year", field=name, value=value)
                    ) from None
            else:
                values[field_name] = wanted
        changed = replace(indicator, **values)
        if not getattr(changed.text, lang):
            raise RoundError(Message("revision.text_missing", indicator=indicator.code))
        if changed == indicator:
            raise RoundError(Message("revision.nothing_changed", indicator=indicator.code))
        return changed

    # -- decisions -----------------------------------------------------------------------

    def record_decision(
        self,
        *,
        indicator: str,
        action: str,
        rationale: str = "",
        votes: Mapping[str, object] | None = None,
        into: Sequence[str] = (),
        round_no: int | None = None,
    ) -> RecordedDecision:
        """Record the plenary's decision on one indicator, as it is taken.

        The command, the interactive questions and the demo all come here, so a decision
        is checked the same way whoever records it.  A later decision on the same
        indicator replaces the earlier one in the documents; both stay stored, and the
        answer says which one was replaced so the facilitator can tell the room.
        """
        code = self.decision_indicator(indicator).code
        found = decision_action_code(action)
        if found is None:
            raise DecisionError(
                Message("decision.unknown_action", action=action, actions=_action_words())
            )
        kind = DECISION_ACTIONS[found]
        counts = _checked_votes(votes or {})
        targets: list[str] = []
        for text in into:
            if not text.strip():
                continue
            if not kind.takes_into:
                merge = next(a for a in DECISION_ACTIONS.values() if a.takes_into)
                raise DecisionError(
                    Message("decision.into_needs_merge", merge=_words(f"action.{merge.code}"))
                )
            target = self._indicator_code(text)
            if target is None:
                raise DecisionError(Message("decision.unknown_into", indicator=code, into=text))
            if target == code:
                raise DecisionError(Message("decision.into_itself", indicator=code))
            targets.append(target)
        if round_no is None:
            rounds = self.rounds()
            round_no = rounds[-1].number if rounds else None
        earlier = [d for d in self.decisions() if d.indicator == code]
        decision = Decision(
            indicator=code,
            action=found,
            rationale=" ".join(rationale.split()),
            round=round_no,
            votes=counts,
            recorded_at=now_iso(),
            into=tuple(dict.fromkeys(targets)),
        )
        with self._logged("decision", code=code, decision=found, round=round_no, votes=counts):
            self.store.insert("decisions", decision.to_dict())
        return RecordedDecision(decision=decision, replaced=earlier[-1] if earlier else None)

    def decisions(self) -> list[Decision]:
        """Every decision in the order it was taken, replaced ones included."""
        return [Decision.from_dict(d) for d in self.store.all("decisions")]

    def computed_verdicts(self) -> dict[str, tuple[int, str]]:
        """(round, verdict) of the last round that rated each indicator: what the plenary starts from.

        Read as the documents read it (``Report.latest_verdicts``): an indicator of a
        round with no figure is below quorum.
        """
        snap = self.snapshot()
        latest: dict[str, tuple[int, str]] = {}
        for rnd in snap.rounds:
            verdicts = tally.indicator_verdicts(snap, rnd.number)
            for code in rnd.indicators:
                latest[code] = (rnd.number, verdicts.get(code, consensus.BELOW_QUORUM))
        return latest

    def decision_rows(self) -> tuple[list[DecisionRow], int]:
        """The decisions the documents show, beside the computed verdict, and how many were replaced."""
        every = self.decisions()
        standing = current_decisions(every)
        verdicts = self.computed_verdicts()
        rows = []
        for d in standing:
            round_no, verdict = verdicts.get(d.indicator, (None, NOT_RATED))
            rows.append(
                DecisionRow(
                    decision=d,
                    verdict=verdict,
                    verdict_round=round_no,
                    gap=decision_gap(d.action, verdict),
                )
            )
        return rows, len(every) - len(standing)

    def decision_indicator(self, text: str) -> Indicator:
        """The indicator a decision is about, or a DecisionError naming the code typed.

        Public so that the interactive command can refuse an unknown code before asking
        its questions rather than after.
        """
        code = self._indicator_code(text)
        found = self.framework.indicator(code) if code is not None else None
        if found is None:
            raise DecisionError(Message("decision.unknown_indicator", indicator=text))
        return found

    def _indicator_code(self, text: str) -> str | None:
        """The framework's code for ``text``, compared without regard to case or spaces."""
        wanted = text.strip().upper()
        return next((i.code for i in self.framework.indicators() if i.code.upper() == wanted), None)

    # -- results -------------------------------------------------------------------------

    def check_round(self, round_no: int) -> None:
        """Refuse an unknown round in one sentence: it is an error, not an empty table."""
        self._round(round_no)

    def results(self, round_no: int | None = None, *, by_group: bool = True) -> list[ResultRow]:
        """Figures for every round (or one) × indicator × criterion, whole panel and per group."""
        if round_no is not None:
            self._round(round_no)  # an unknown round is an error, not an empty table
        return tally.results(self.snapshot(), round_no, by_group=by_group)

    def stability(self) -> list[StabilityRow]:
        """Band changes of the same participants between each pair of consecutive rounds."""
        return tally.stability(self.snapshot())

    def attrition(self) -> list[AttritionRow]:
        """Invited, present and rating participants per round, overall and per group."""
        return tally.attrition(self.snapshot())

    def indicator_verdicts(self, round_no: int) -> dict[str, str]:
        """Each indicator's combined verdict in a round (whole panel)."""
        return tally.indicator_verdicts(self.snapshot(), round_no)

    def build_report(self, *, lang: str | None = None, show_names: bool = False) -> Report:
        """Compute everything the documents show, from one snapshot, so that they agree."""
        report = tally.build_report(
            self.snapshot(),
            lang=lang or self.settings.lang,
            show_names=show_names,
            generated_at=now_iso(),
        )
        # The minutes read the logos and the secretariat's own sections from the folder.
        return replace(report, folder=str(self.store.folder or ""))


@dataclass(frozen=True)
class PresenceSet:
    """A presence just recorded: the participant as now stored and the round it is for."""

    participant: Participant
    round: int
    """The round whose presence was set (the open one, else the last, unless named)."""


_REVISABLE_FIELDS = frozenset(f.name for f in fields(Indicator) if f.name not in ("code", "extra"))


def _indicator_field(name: str, vocabulary: Vocabulary) -> tuple[str | None, str | None]:
    """(field, language or None) for a field named by code or by a draft's heading."""
    plain = name.strip()
    if plain in _REVISABLE_FIELDS:
        return plain, None
    if plain.endswith(("_fr", "_en")) and plain[:-3] in _REVISABLE_FIELDS:
        return plain[:-3], plain[-2:]
    found = vocabulary.match(plain)
    if found is None or found.field not in _REVISABLE_FIELDS:
        return None, None
    return found.field, found.marker or None


def _presence_words() -> Words:
    """Every presence word, in registry order, in every language, for an error message."""
    return Words(
        {
            lang: ", ".join(t(f"presence.status.{code}", lang=lang) for code in PRESENCE)
            for lang in LANGS
        }
    )


def _next_code_number(existing: Iterable[Participant]) -> int:
    numbers = [int(p.code[1:]) for p in existing if p.code[1:].isdigit()]
    return max(numbers, default=0) + 1


# -- what the decisions' operations answer -------------------------------------------------

NOT_RATED = "not rated"
"""The verdict of an indicator no round has rated (its words: ``verdict.not rated``)."""


@dataclass(frozen=True)
class RecordedDecision:
    """A decision just stored, and the one it replaces in the documents, if any."""

    decision: Decision
    replaced: Decision | None = None
    """The earlier decision on the same indicator; it stays stored."""


@dataclass(frozen=True)
class DecisionRow:
    """A standing decision beside the computed verdict it is kept apart from."""

    decision: Decision
    verdict: str
    """Combined verdict of the indicator's last round (``not rated`` when none rated it)."""
    verdict_round: int | None
    """That round."""
    gap: Message | None
    """How the decision departs from the verdict, in words; None when it agrees."""


def _words(key: str) -> Words:
    """A catalogue word in every language, for a message shown later in either."""
    return Words({lang: t(key, lang=lang) for lang in LANGS})


def _action_words() -> Words:
    """Every decision's word, in registry order, in every language."""
    return Words(
        {
            lang: ", ".join(t(f"action.{code}", lang=lang) for code in DECISION_ACTIONS)
            for lang in LANGS
        }
    )


def _checked_votes(votes: Mapping[str, object]) -> dict[str, int]:
    """Counts under the fixed keys, each a whole number of 0 or more, in ``VOTE_KEYS`` order."""
    counts: dict[str, int] = {}
    for key, count in votes.items():
        fixed = LEGACY_VOTE_KEYS.get(key, key)
        if fixed not in VOTE_KEYS:
            raise DecisionError(
                Message(
                    "decision.unknown_vote",
                    vote=key,
                    votes=Words(
                        {
                            lang: ", ".join(_words(f"vote.{k}").render(lang) for k in VOTE_KEYS)
                            for lang in LANGS
                        }
                    ),
                )
            )
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise DecisionError(
                Message("decision.bad_count", vote=_words(f"vote.{fixed}"), count=count)
            )
        counts[fixed] = count
    return {k: counts[k] for k in VOTE_KEYS if k in counts}
