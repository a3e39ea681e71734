"""Durable, locked session storage: the only module that imports tinydb (and filelock).

Design, and why
===============

One session is one folder::

    bamako-2026/
      session.json            TinyDB database: meta, participants, rounds, decisions, framework...
      ballots/round-01.jsonl  append-only ballot journal, one per round
      .lock                   OS lock (filelock); released by the OS if the holder dies
      lock-holder.json        who holds the lock, so a refusal can name them

**Small structured data in TinyDB, rewritten whole and atomically.**  The tables change
rarely (registering participants, opening a round), so rewriting the whole file is cheap
and keeps the format a plain JSON document anyone can open.  The TinyDB storage keeps the
parsed data in memory (TinyDB otherwise re-reads and re-parses the file on every
operation) and writes through :func:`hsvalidate.fileio.write_atomic` (temporary file,
fsync, ``os.replace``, folder fsync), so a power cut leaves the old file or the new one,
never a mix.  TinyDB's own ``JSONStorage`` rewrites the file in place and was measured to
leave unreadable files after kills (see ``docs/storage.md``).  If a write fails, the in-memory
copy is restored from the last bytes that did reach the disk, so memory never runs ahead
of the file.  Trade-off: each table write costs O(size of all tables); acceptable for a
few hundred documents, wrong for ballots.

**Ballots in an append-only journal per round.**  Recording a ballot must not get slower
as the session grows, and TinyDB's cost per insert grows with its table even in memory.
A journal line is appended, then ``os.fsync``: O(1) per ballot, one fsync, close to
SQLite's durable commit.  ``append_ballots`` returns only after the fsync; that return is
the acknowledgement.  Each line is::

    {"seq":12,"first":11,"end":14,"crc":3735928559,"ballot":{...}}

``seq`` numbers lines from 1 in each file; ``first`` and ``end`` are the ``seq`` of the
first and last lines of the batch the line was written in (a single ballot is a batch of
one); ``crc`` is the CRC32 of ``"<seq>,<first>,<end>,"`` followed by the ballot's bytes
exactly as written, so checking it needs no re-canonicalisation and a corrupted number is
caught too.

- A batch (``append_ballots(r, [b1, b2, ...])``, used by file imports) is written with one
  fsync and is all-or-nothing: an interrupted import leaves no half of itself behind, so
  it can simply be run again.
- A batch that is incomplete or damaged *at the end of the file* was never acknowledged (a
  power cut or kill mid-write): a window holding the lock truncates it off (keeping the bytes
  in ``quarantine/``); a window reading without the lock ignores it and changes nothing (it
  may be a write in progress in another window).
- Damage *before* the last batch cannot come from an interrupted write; it means the disk
  or a person changed the file.  Dropping it silently would lose acknowledged votes, so a
  writable store reading the round raises :class:`SessionError` naming the file and line;
  a read-only one salvages every intact line and says which it left out.
- A failed append (disk full...) truncates the file back to its size before the append,
  so no partial line stays behind, and raises :class:`StorageError`.
- Trade-offs: a window reads a journal once and then only what was appended since; opening
  checks only each journal's last batch (O(1) in the ballots stored), so damage further up
  is found when the round is first read, not at opening; a ballot that is later changed is
  appended again rather than edited in place (the journal doubles as an audit trail; the
  service layer lets the last one win).

**Several windows, one session.**  As SQLite does, the OS lock on ``.lock`` is held only
for the time of one write (:meth:`SessionStore.writing`), never while a window waits for
someone to type: a kiosk, paper entry and the facilitator's commands write one session at
once.  Inside the lock a window first reads what the others changed (a replaced
``session.json``; lines appended to the journal it writes), then writes.  A write waits up to
:data:`WRITE_WAIT_S` for the holder.  The OS releases the lock when a process dies; the
``lock-holder.json`` a process killed mid-write leaves behind is reported as
:attr:`SessionStore.recovered_from` by the next window that takes the lock.  Reading needs
no lock: one ``stat`` tells a window that ``session.json`` was replaced.

**Schema.**  The meta document carries ``schema``; a newer one is refused with
:class:`SessionVersionError` rather than misread.

``MemorySessionStore`` is the in-memory fake for service-layer tests.  It shares the table
code and the journal codec with the file store, so a document or ballot that would not
survive the file (not JSON, NaN...) fails the same way in a unit test.

tinydb and filelock are imported on first use, so ``hsvalidate --help`` does not pay for them.
"""

from __future__ import annotations

import abc
import contextlib
import datetime as dt
import functools
import getpass
import json
import os
import re
import socket
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping
from dataclasses import asdict, dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, NamedTuple

from hsvalidate import fileio
from hsvalidate.errors import SessionError, SessionLockedError, SessionVersionError
from hsvalidate.i18n import Message

if TYPE_CHECKING:
    from filelock import BaseFileLock
    from tinydb import TinyDB
    from tinydb.table import Table

SCHEMA_VERSION: int = 1
"""Version of the session layout written by this hsvalidate; bump it with a migration."""

SESSION_FILE = "session.json"
LOCK_FILE = ".lock"
HOLDER_FILE = "lock-holder.json"
BALLOTS_DIR = "ballots"
META_TABLE = "meta"

_JOURNAL_RE = re.compile(r"round-(\d+)\.jsonl")
_LINE_RE = re.compile(
    rb'\{"seq":(\d{1,18}),"first":(\d{1,18}),"end":(\d{1,18}),"crc":(\d{1,10}),"ballot":'
)
_O_BINARY: int = getattr(os, "O_BINARY", 0)  # Windows would otherwise translate "\n"
_HOLDER_WAIT_S = 1.0  # a new holder may not have written lock-holder.json yet
WRITE_WAIT_S = 15.0
"""Seconds a write waits for another window's write before refusing (a large import may
hold the lock for a few seconds; a ballot, milliseconds)."""
_QUIET_WAIT_S = 1.0
"""Another window's write (a ballot, a log line) holds the lock for milliseconds: waiting
that long is silent; only a longer wait is told to the user (``on_wait``)."""


@dataclass(frozen=True)
class LockHolder:
    """Who holds (or last held) a session's write lock, as written in ``lock-holder.json``."""

    pid: int
    """Process id of the holder."""
    host: str
    """Computer name, since a session folder may sit on a shared drive or USB stick."""
    user: str
    """Operating-system user name, or empty when it cannot be found."""
    purpose: str
    """What the holder was doing, e.g. ``hsvalidate ballot``."""
    since: str
    """ISO local time when the lock was taken."""

    def describe_message(self) -> Message:
        """Who holds the lock, in the language of whoever reads it."""
        when = _short_time(self.since) if self.since else ""
        return Message(
            "store.holder",
            pid=self.pid,
            host=self.host or "?",
            user=self.user or "?",
            purpose=self.purpose or "hsvalidate",
            since=when or "?",
        )

    def describe(self) -> str:
        """Short human form, e.g. ``pid 4312 on LAPTOP-3, user awa, 'hsvalidate ballot', since 10:32``."""
        parts = [f"pid {self.pid} on {self.host}" if self.host else f"pid {self.pid}"]
        if self.user:
            parts.append(f"user {self.user}")
        if self.purpose:
            parts.append(f"'{self.purpose}'")
        if self.since:
            parts.append(f"since {_short_time(self.since)}")
        return ", ".join(parts)

    @classmethod
    def from_dict(cls, data: Any) -> LockHolder | None:
        """Parse the JSON form; ``None`` when it is not one (a hand-edited or damaged file)."""
        if not isinstance(data, dict) or not isinstance(data.get("pid"), int):
            return None
        fields = {k: data.get(k, "") for k in ("host", "user", "purpose", "since")}
        if not all(isinstance(v, str) for v in fields.values()):
            return None
        return cls(pid=data["pid"], **fields)


class SessionStore(abc.ABC):
    """What the service layer needs from a session's storage; see the module docstring.

    Table documents must be JSON-ready (str keys, no NaN); they come back as plain
    dicts with their TinyDB id under ``"_id"``.  An ``"_id"`` key passed in is ignored.
    """

    folder: Path | None
    """Session folder, or ``None`` for the in-memory store."""
    recovered_from: LockHolder | None
    """Holder of a lock left behind by a process that died, when this open took it over."""
    repairs: list[Repair]
    """Torn journal tails this open cut off (each kept in ``quarantine/``)."""
    skipped: dict[int, list[int]]
    """Round → damaged journal lines a read-only open left out when reading."""

    @abc.abstractmethod
    def meta(self) -> dict[str, Any]:
        """The session's meta document (contains ``schema``)."""

    @abc.abstractmethod
    def update_meta(self, fields: dict[str, Any]) -> None:
        """Set top-level fields of the meta document, durably."""

    @abc.abstractmethod
    def all(self, table: str) -> list[dict[str, Any]]:
        """Every document of ``table`` in insertion order, each with ``"_id"``."""

    @abc.abstractmethod
    def insert(self, table: str, doc: dict[str, Any]) -> int:
        """Store one document durably and return its id."""

    @abc.abstractmethod
    def insert_many(self, table: str, docs: list[dict[str, Any]]) -> list[int]:
        """Store several documents with one durable write (all or none)."""

    @abc.abstractmethod
    def update(self, table: str, doc_id: int, fields: dict[str, Any]) -> None:
        """Set top-level fields of one document; ``KeyError`` if there is no such id."""

    @abc.abstractmethod
    def transaction(self) -> contextlib.AbstractContextManager[Transaction]:
        """Group table changes into one atomic write, recording what each change replaced.

        Inside it, ``insert``/``insert_many``/``update``/``update_meta`` change memory
        only; leaving it writes ``session.json`` once (all the changes or none), and an
        exception forgets them.  The recorded :attr:`Transaction.changes` are what
        :meth:`restore` needs to take the action back (the audit log's undo).  Nested
        transactions join the outer one.  Ballot journals are not part of it.
        """

    @abc.abstractmethod
    def restore(self, changes: list[dict[str, Any]]) -> None:
        """Put documents back as they were before ``changes`` (from a transaction), durably."""

    @abc.abstractmethod
    def writing(self) -> contextlib.AbstractContextManager[None]:
        """Hold the session's write lock, seeing every other window's changes first.

        Why a context a caller may hold: a check and the write it allows must see the same
        session (a ballot must not land in a round another window has just closed), so
        the service checks and writes inside one ``with store.writing():``.  Every write
        takes it by itself too; nested uses join the outer one.  Keep it short: other
        windows wait for it.
        """

    @property
    @abc.abstractmethod
    def generation(self) -> int:
        """A number that changes whenever the tables change, here or in another window.

        The service keeps values derived from the tables (the framework with its
        revisions, the settings) and rebuilds them only when this number moved.
        """

    @abc.abstractmethod
    def append_ballots(self, round_no: int, ballots: list[dict[str, Any]]) -> None:
        """Append ballots to the round's journal; on return they survive a power cut."""

    @abc.abstractmethod
    def ballots(self, round_no: int, start: int = 0) -> list[dict[str, Any]]:
        """Every acknowledged ballot of the round, in append order, as given.

        ``start`` skips the first ones: a window that keeps an index of the round (paper
        entry, the ballot screen) asks only for what was recorded since it last looked.
        The dicts are shared with the store's cache: treat them as read-only.
        """

    @abc.abstractmethod
    def ballot_rounds(self) -> list[int]:
        """Round numbers that have a ballot journal, ascending."""

    @abc.abstractmethod
    def close(self) -> None:
        """Release the lock and files; idempotent."""

    def __enter__(self) -> SessionStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


# --------------------------------------------------------------------------- tables


@dataclass
class Transaction:
    """The table changes of one action: ``{"table", "id", "before"}`` per document touched.

    ``before`` is the whole document before its first change in the transaction, or
    ``None`` when the transaction created it.  Tables in ``UNRECORDED`` are left out
    (the audit log does not undo itself).
    """

    changes: list[dict[str, Any]]


UNRECORDED = ("log",)


class _CachedTables:
    """TinyDB storage logic: parsed data stays in memory; writes replace the file atomically.

    Kept apart from ``tinydb.Storage`` so that tinydb is imported only when a store is
    opened (see :func:`_storage_class`).
    """

    def __init__(
        self,
        data: dict[str, dict[str, Any]],
        good: bytes,
        *,
        path: Path | None,
        writable: bool,
        name: str,
        signature: tuple[int, int, int] | None = None,
    ) -> None:
        self._data = data
        self._good = good  # the bytes last known to be on disk; restored on a failed write
        self._path = path
        self._writable = writable
        self._name = name
        self._signature = signature
        self._held = False  # inside a transaction: writes wait for commit()
        self._dirty = False
        self.generation = 0
        """Changes whenever the data does (a write here, a file another window replaced)."""
        self.on_refresh: Callable[[], None] | None = None
        """Called after another window's file was read in (TinyDB's caches must go)."""
        self.locked = False
        """This window holds the session's lock: nobody else can replace the file."""

    def read(self) -> dict[str, dict[str, Any]]:
        """Return the live data: TinyDB builds new dicts from it and never keeps it.

        Outside a transaction the file is checked first (one ``stat``), so every window
        sees what the others wrote; inside one, memory holds this action's changes.
        """
        if self._path is not None and not self._held and not self.locked:
            self._refresh()
        return self._data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        """Persist, or restore memory to the last persisted state and re-raise."""
        if not self._writable:
            raise _read_only_error(self._name)
        if self._held:
            self._data, self._dirty = data, True
            self.generation += 1  # what was read from the tables may have changed
            return
        payload = json.dumps(data, ensure_ascii=False, allow_nan=False, indent=1).encode("utf-8")
        try:
            if self._path is not None:
                fileio.write_atomic(self._path, payload)
                self._signature = _signature(self._path.stat())
        except BaseException:
            # TinyDB changed self._data in place before calling write.
            self._data = json.loads(self._good)
            self.generation += 1
            raise
        self._good = payload
        self._data = data
        self.generation += 1

    def hold(self) -> None:
        """Keep writes in memory until :meth:`commit`: one action, one atomic file write."""
        self._held, self._dirty = True, False

    def commit(self) -> None:
        """Write what was held, in one replacement of the file (or restore memory and raise)."""
        self._held = False
        if self._dirty:
            self._dirty = False
            self.write(self._data)

    def rollback(self) -> None:
        """Forget what was held: memory goes back to the bytes last written."""
        self._held = self._dirty = False
        self._data = json.loads(self._good)
        self.generation += 1

    def close(self) -> None:
        """Nothing to release: no file handle is kept open."""

    def _refresh(self) -> None:
        """Pick up a ``session.json`` replaced by another window."""
        assert self._path is not None
        try:
            stat = self._path.stat()
        except OSError:
            return  # keep showing the last good state; the next write will tell
        if _signature(stat) != self._signature:
            self._data, self._good, self._signature = _load_tables(self._path, self._name)
            self.generation += 1
            if self.on_refresh is not None:
                self.on_refresh()


@functools.cache
def _storage_class() -> type[_CachedTables]:
    """The ``tinydb.Storage`` subclass, built on first use to keep tinydb out of start-up."""
    from tinydb.storages import Storage

    class CachedTablesStorage(_CachedTables, Storage):
        """TinyDB's storage seam over :class:`_CachedTables`."""

    return CachedTablesStorage


def _signature(stat: os.stat_result) -> tuple[int, int, int]:
    return (stat.st_mtime_ns, stat.st_size, stat.st_ino)


def _load_tables(
    path: Path, name: str
) -> tuple[dict[str, dict[str, Any]], bytes, tuple[int, int, int]]:
    """Read and check ``session.json``; every failure is a sentence, never a traceback."""
    try:
        with open(path, "rb") as fh:
            signature = _signature(os.fstat(fh.fileno()))
            raw = fh.read()
    except FileNotFoundError:
        raise _not_a_session(path.parent) from None
    except OSError as exc:
        raise SessionError(
            Message("store.unreadable", name=name, reason=exc.strerror or exc)
        ) from exc
    try:
        data = json.loads(raw.decode("utf-8"))
        problem = _table_shape_problem(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        problem = str(exc)
    if problem:
        raise SessionError(Message("store.damaged", name=name, path=path, problem=problem))
    meta = next(iter(data[META_TABLE].values()))
    schema = meta.get("schema")
    if not isinstance(schema, int) or isinstance(schema, bool):
        raise SessionError(Message("store.no_schema", name=name, path=path))
    if schema > SCHEMA_VERSION:
        raise SessionVersionError(Message("store.newer", name=name, schema=schema))
    return data, raw, signature


def _table_shape_problem(data: Any) -> str:
    if not isinstance(data, dict):
        return "not a JSON object"
    for table, docs in data.items():
        if not isinstance(docs, dict) or not all(
            k.isdigit() and isinstance(v, dict) for k, v in docs.items()
        ):
            return f"table '{table}' is not a table of documents"
    if not data.get(META_TABLE):
        return "no meta document"
    return ""


def _normalise(doc: Mapping[str, Any]) -> dict[str, Any]:
    """A deep JSON round trip: memory then holds exactly what a reopen would read back.

    It also detaches the caller's nested lists and dicts from the store, and rejects
    non-JSON values before anything is changed.
    """
    if not isinstance(doc, Mapping):
        raise TypeError(f"a document must be a dict, not {type(doc).__name__}")
    clean = {k: v for k, v in doc.items() if k != "_id"}
    result: dict[str, Any] = json.loads(json.dumps(clean, ensure_ascii=False, allow_nan=False))
    return result


def _replace_with(doc: dict[str, Any]) -> Callable[[MutableMapping[Any, Any]], None]:
    """A TinyDB update that makes a document exactly ``doc`` (fields added since are removed)."""

    def put_back(current: MutableMapping[Any, Any]) -> None:
        current.clear()
        current.update(_copy(doc))

    return put_back


def _copy(value: Any) -> Any:
    """Deep copy of JSON data, faster than ``copy.deepcopy``; keeps callers off the cache."""
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


# --------------------------------------------------------------------------- journal codec


def _encode_batch(first_seq: int, ballots: Iterable[Mapping[str, Any]]) -> tuple[bytes, int]:
    """Journal lines for one batch, and how many; validates everything before any write."""
    payloads: list[bytes] = []
    for ballot in ballots:
        if not isinstance(ballot, Mapping):
            raise TypeError(f"a ballot must be a dict, not {type(ballot).__name__}")
        text = json.dumps(ballot, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        payloads.append(text.encode("utf-8"))
    end = first_seq + len(payloads) - 1
    lines = []
    for seq, payload in enumerate(payloads, start=first_seq):
        crc = zlib.crc32(payload, zlib.crc32(b"%d,%d,%d," % (seq, first_seq, end)))
        lines.append(
            b'{"seq":%d,"first":%d,"end":%d,"crc":%d,"ballot":%s}\n'
            % (seq, first_seq, end, crc, payload)
        )
    return b"".join(lines), len(payloads)


class _Line(NamedTuple):
    """An intact journal line (a tuple: tens of thousands are read for one results table)."""

    seq: int
    first: int
    """``seq`` of the first line of the batch this line was written in."""
    end: int
    """``seq`` of the last line of that batch."""
    payload: bytes


def _parse_line(line: bytes) -> _Line | None:
    """The parts of an intact line; ``None`` for a torn or damaged one."""
    match = _LINE_RE.match(line)
    if match is None or not line.endswith(b"}"):
        return None
    raw_seq, raw_first, raw_end, raw_crc = match.groups()
    seq, first, end = int(raw_seq), int(raw_first), int(raw_end)
    payload = line[match.end() : -1]
    if zlib.crc32(payload, zlib.crc32(b"%d,%d,%d," % (seq, first, end))) != int(raw_crc):
        return None
    if not first <= seq <= end:
        return None
    return _Line(seq, first, end, payload)


@dataclass(frozen=True)
class _Scan:
    """What a journal holds: its acknowledged part, and where an unfinished tail starts."""

    payloads: list[bytes]
    good_size: int
    """Bytes up to the end of the last complete batch."""
    next_seq: int


def _scan_journal(data: bytes, path: Path, session: str, start_seq: int = 1) -> _Scan:
    """Split a journal into complete batches and an unfinished tail; refuse real damage.

    ``data`` may be the part of a file after a batch already checked, whose lines start
    at ``start_seq``: a window reads only what the others appended since it last looked.
    """
    payloads: list[bytes] = []
    good_size = 0
    good_count = 0
    batch: _Line | None = None  # first line of the batch being read
    pos = 0
    line_no = start_seq - 1
    while pos < len(data):
        line_no += 1
        newline = data.find(b"\n", pos)
        line = None if newline < 0 else _parse_line(data[pos:newline])
        if (
            line is None
            or line.seq != start_seq + len(payloads)
            or (batch is None and line.first != line.seq)
            or (batch is not None and (line.first, line.end) != (batch.first, batch.end))
        ):
            if not _is_unfinished_batch(data[good_size:], start_seq + good_count):
                raise SessionError(
                    Message("store.journal_damaged", name=session, line=line_no, path=path)
                )
            break
        payloads.append(line.payload)
        batch = batch or line
        pos = newline + 1
        if line.seq == line.end:
            good_size, good_count, batch = pos, len(payloads), None
    return _Scan(
        payloads=payloads[:good_count], good_size=good_size, next_seq=start_seq + good_count
    )


_TAIL_CHUNK = 64 * 1024


def _tail_state(path: Path) -> tuple[int, int] | None:
    """``(size, next seq)`` when a journal ends with a whole, intact batch; else ``None``.

    Why only the end: opening a session must cost the same with 100 or 100,000 ballots
    stored.  An interrupted write can only leave its damage in the last batch, so the
    last batch is what an open checks; every line is checked whenever the whole journal
    is read anyway (results, exports).  ``None`` means "read it all to know".
    """
    try:
        with open(path, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            if size == 0:
                return 0, 1
            chunk = _TAIL_CHUNK
            while True:
                start = max(0, size - chunk)
                fh.seek(start)
                data = fh.read(size - start)
                if not data.endswith(b"\n"):
                    return None
                lines = data[:-1].split(b"\n")
                if start > 0:
                    lines = lines[1:]  # may begin mid-line
                last = _parse_line(lines[-1]) if lines else None
                if last is None and start > 0 and not lines:
                    chunk *= 4
                    continue
                if last is None or last.seq != last.end:
                    return None
                need = last.end - last.first + 1
                if len(lines) < need:
                    if start == 0:
                        return None
                    chunk *= 4
                    continue
                for offset, raw in enumerate(lines[-need:]):
                    line = _parse_line(raw)
                    if (
                        line is None
                        or line.seq != last.first + offset
                        or (line.first, line.end) != (last.first, last.end)
                    ):
                        return None
                if start == 0 and len(lines) == need and last.first != 1:
                    return None
                return size, last.end + 1
    except OSError:
        return None


def _is_unfinished_batch(tail: bytes, first_seq: int) -> bool:
    """True if ``tail`` (all after the last complete batch) can only be a write cut short.

    Such a write was never acknowledged.  Every intact line must then belong to one
    batch starting at ``first_seq``, in its place, and nothing may lie beyond that
    batch; damaged lines (torn, zero-filled by a power cut) may only sit inside it.
    Without any intact line, only a single damaged line is accepted: several would be
    a changed file, not a torn write.
    """
    lines = tail.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    end: int | None = None
    for index, raw in enumerate(lines):
        line = _parse_line(raw)
        if line is None:
            continue
        if line.first != first_seq or line.seq != first_seq + index:
            return False
        if end is not None and line.end != end:
            return False
        end = line.end
    if end is None:
        return len(lines) <= 1
    return len(lines) <= end - first_seq + 1


def _decode_payloads(payloads: list[bytes], path: Path, session: str) -> list[dict[str, Any]]:
    """The ballots of checked journal lines; a line that is not a JSON object is damage.

    All lines are decoded in one ``json.loads`` of a list (a national session's results
    read tens of thousands of lines, and one call per line was most of the time); only
    if that fails is each line decoded alone, to name the damaged one.
    """
    try:
        every = json.loads(b"[" + b",".join(payloads) + b"]")
    except (UnicodeDecodeError, json.JSONDecodeError):
        every = None
    if isinstance(every, list) and all(isinstance(ballot, dict) for ballot in every):
        return every
    result = []
    for line_no, payload in enumerate(payloads, start=1):
        try:
            ballot = json.loads(payload.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            ballot = None
        if not isinstance(ballot, dict):
            raise SessionError(
                Message("store.journal_damaged", name=session, line=line_no, path=path)
            )
        result.append(ballot)
    return result


def salvage_journal(data: bytes) -> tuple[list[dict[str, Any]], list[int]]:
    """Every intact ballot line of a damaged journal, and the numbers of the lines left out.

    Why line by line, ignoring batches: around damage in the middle of a file, each
    intact line is still a ballot exactly as it was acknowledged (its checksum says so);
    only the damaged lines are lost.  Used to show results from a damaged session and
    by ``hsvalidate doctor`` to make a repaired copy.
    """
    ballots: list[dict[str, Any]] = []
    skipped: list[int] = []
    expected = 1
    batch = (0, 0)  # (first, end) of the batch being read
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if not raw:
            continue  # after the last newline
        line = _parse_line(raw)
        ballot: Any = None
        if line is not None:
            try:
                ballot = json.loads(line.payload)
            except ValueError:
                ballot = None
        if line is None or not isinstance(ballot, dict):
            skipped.append(number)
            expected += 1  # a damaged line stood for one ballot line
            continue
        if line.first == line.seq:
            batch = (line.first, line.end)
        if line.seq != expected or (line.first, line.end) != batch:
            skipped.append(number)  # lines missing before it, or a batch that does not hold
        expected = line.seq + 1
        ballots.append(ballot)
    return ballots, skipped


def _check_round(round_no: int) -> None:
    if not isinstance(round_no, int) or isinstance(round_no, bool) or round_no < 1:
        raise ValueError(f"round numbers start at 1, got {round_no!r}")


def _journal_name(round_no: int) -> str:
    return f"round-{round_no:02d}.jsonl"


# --------------------------------------------------------------------------- stores


class _TableStore(SessionStore):
    """Table operations shared by the file and memory stores (TinyDB does the bookkeeping)."""

    def __init__(self, storage: _CachedTables, *, name: str, writable: bool) -> None:
        from tinydb import TinyDB

        self._name = name
        self._writable = writable
        self._closed = False
        self._storage = storage
        self._db: TinyDB = TinyDB(storage=lambda: storage)
        storage.on_refresh = self._forget_tables
        self._tx: Transaction | None = None
        self._depth = 0  # nested writing() blocks; the lock is taken by the outermost
        self.tables_only = False
        """Opened to write tables alone (``open_store(tables_only=True)``): no ballot appended."""
        self.skipped: dict[int, list[int]] = {}
        """Round → damaged journal lines a read-only open left out (always empty in memory)."""

    def meta(self) -> dict[str, Any]:
        docs = self._table(META_TABLE).all()
        return _copy(dict(docs[0])) if docs else {}

    def update_meta(self, fields: dict[str, Any]) -> None:
        self._check_writable()
        clean = _normalise(fields)
        if clean.get("schema", SCHEMA_VERSION) != SCHEMA_VERSION:
            raise ValueError("the schema number is set by the store, not by its callers")
        with self.writing():
            self._update_meta(clean)

    def _update_meta(self, clean: dict[str, Any]) -> None:
        table = self._table(META_TABLE)
        docs = table.all()
        if docs:
            self._record(META_TABLE, docs[0].doc_id, _copy(dict(docs[0])))
            table.update(clean, doc_ids=[docs[0].doc_id])
        else:
            self._record(META_TABLE, int(table.insert(clean)), None)

    def all(self, table: str) -> list[dict[str, Any]]:
        return [{**_copy(dict(doc)), "_id": doc.doc_id} for doc in self._table(table).all()]

    def insert(self, table: str, doc: dict[str, Any]) -> int:
        self._check_writable()
        clean = _normalise(doc)
        with self.writing():
            doc_id = int(self._table(table).insert(clean))
            self._record(table, doc_id, None)
        return doc_id

    def insert_many(self, table: str, docs: list[dict[str, Any]]) -> list[int]:
        self._check_writable()
        clean = [_normalise(doc) for doc in docs]
        if not clean:
            return []
        with self.writing():
            ids = [int(i) for i in self._table(table).insert_multiple(clean)]
            for doc_id in ids:
                self._record(table, doc_id, None)
        return ids

    def update(self, table: str, doc_id: int, fields: dict[str, Any]) -> None:
        self._check_writable()
        clean = _normalise(fields)
        with self.writing():
            target = self._table(table)
            before = target.get(doc_id=doc_id)
            if before is None:
                raise KeyError(f"no document {doc_id} in table '{table}'")
            self._record(table, doc_id, _copy(dict(before)))
            target.update(clean, doc_ids=[doc_id])

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        self._check_writable()
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self._take_lock()
        self._depth = 1
        try:
            self._storage.read()  # another window's session.json, before anything is checked
            self._storage.locked = True  # from here on no other window can replace it
            yield
        finally:
            self._storage.locked = False
            self._depth = 0
            self._release_lock()

    @property
    def generation(self) -> int:
        if not self._depth and not self._closed:
            self._storage.read()  # one stat: has another window replaced session.json?
        return self._storage.generation

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Transaction]:
        self._check_writable()
        if self._tx is not None:  # joins the outer transaction
            yield self._tx
            return
        with self.writing():
            self._tx = Transaction(changes=[])
            self._storage.hold()
            try:
                yield self._tx
            except BaseException:
                self._storage.rollback()
                self._forget_cached_queries()
                raise
            else:
                try:
                    self._storage.commit()
                except BaseException:
                    self._forget_cached_queries()
                    raise
            finally:
                self._tx = None

    def restore(self, changes: list[dict[str, Any]]) -> None:
        from tinydb.table import Document

        self._check_writable()
        with self.transaction():
            for change in reversed(changes):
                name, doc_id, before = str(change["table"]), int(change["id"]), change["before"]
                table = self._table(name)
                current = table.get(doc_id=doc_id)
                if current is not None:
                    self._record(name, doc_id, _copy(dict(current)))
                    if before is None:
                        table.remove(doc_ids=[doc_id])
                    else:  # in place, so the table keeps its order
                        table.update(_replace_with(_normalise(before)), doc_ids=[doc_id])
                elif before is not None:
                    self._record(name, doc_id, None)
                    table.insert(Document(_normalise(before), doc_id=doc_id))

    def _forget_cached_queries(self) -> None:
        """TinyDB caches query results per table; memory just went back, so must they."""
        for name in self._db.tables():
            self._db.table(name).clear_cache()

    def _forget_tables(self) -> None:
        """Forget TinyDB's table objects after another window's file was read in.

        They cache query results and the next document id, which would now overwrite
        the documents that window added.
        """
        self._db._tables.clear()  # tinydb 4 offers no public way to do this

    def _record(self, table: str, doc_id: int, before: dict[str, Any] | None) -> None:
        """Remember a document's state before its first change in the open transaction."""
        tx = self._tx
        if tx is None or table in UNRECORDED:
            return
        if any(c["table"] == table and c["id"] == doc_id for c in tx.changes):
            return
        tx.changes.append({"table": table, "id": doc_id, "before": before})

    def append_ballots(self, round_no: int, ballots: list[dict[str, Any]]) -> None:
        _check_round(round_no)
        self._check_writable()
        if self.tables_only:
            raise ValueError("this store was opened for its tables only; it appends no ballot")
        if not ballots:
            return
        with self.writing():
            self._catch_up(round_no)
            data, count = _encode_batch(self._next_seq(round_no), ballots)
            self._append(round_no, data, count)

    def _table(self, name: str) -> Table:
        self._check_open()
        if not isinstance(name, str) or not name:
            raise ValueError(f"a table name must be a non-empty string, got {name!r}")
        return self._db.table(name)

    def _check_open(self) -> None:
        if self._closed:
            raise ValueError(f"session store '{self._name}' is closed")

    def _check_writable(self) -> None:
        self._check_open()
        if not self._writable:
            raise _read_only_error(self._name)

    @abc.abstractmethod
    def _next_seq(self, round_no: int) -> int: ...

    @abc.abstractmethod
    def _append(self, round_no: int, data: bytes, count: int) -> None: ...

    def _take_lock(self) -> None:
        """Take the session's write lock (the memory store has nobody to share with)."""

    def _release_lock(self) -> None:
        """Release what :meth:`_take_lock` took."""

    def _catch_up(self, round_no: int) -> None:
        """Under the lock: learn what other windows appended to the round's journal."""


class MemorySessionStore(_TableStore):
    """In-memory fake with the file store's behaviour, for service-layer unit tests."""

    def __init__(self, meta: dict[str, Any] | None = None) -> None:
        tables = {META_TABLE: {"1": {**_normalise(meta or {}), "schema": SCHEMA_VERSION}}}
        good = json.dumps(tables, ensure_ascii=False).encode("utf-8")
        storage = _storage_class()(tables, good, path=None, writable=True, name="memory")
        super().__init__(storage, name="memory", writable=True)
        self.folder = None
        self.recovered_from = None
        self.repairs = []
        self._journals: dict[int, bytearray] = {}
        self._seqs: dict[int, int] = {}

    def ballots(self, round_no: int, start: int = 0) -> list[dict[str, Any]]:  # noqa: D102
        _check_round(round_no)
        self._check_open()
        path = Path(_journal_name(round_no))
        scan = _scan_journal(bytes(self._journals.get(round_no, b"")), path, self._name)
        return _decode_payloads(scan.payloads, path, self._name)[start:]

    def ballot_rounds(self) -> list[int]:  # noqa: D102
        self._check_open()
        return sorted(r for r, data in self._journals.items() if data)

    def close(self) -> None:  # noqa: D102
        self._closed = True

    def _next_seq(self, round_no: int) -> int:
        return self._seqs.get(round_no, 1)

    def _append(self, round_no: int, data: bytes, count: int) -> None:
        self._journals.setdefault(round_no, bytearray()).extend(data)
        self._seqs[round_no] = self._next_seq(round_no) + count


@dataclass
class _Journal:
    """What this window knows of one round's journal.

    ``end``/``next_seq`` locate the end of the last whole batch known (from the open's
    check of the tail, a read, or an append); ``read_to``/``payloads``/``ballots`` are
    the part read from the start, so a window reads only what was appended since.
    """

    end: int = 0
    next_seq: int = 1
    read_to: int = 0
    payloads: list[bytes] | None = None
    ballots: list[dict[str, Any]] | None = None

    def learn(self, end: int, next_seq: int) -> None:
        if end > self.end:
            self.end, self.next_seq = end, next_seq


class FileSessionStore(_TableStore):
    """A session folder on disk; obtain one with :func:`create_store` or :func:`open_store`.

    A writable store holds the session's lock only inside :meth:`writing` (every write
    takes it), so several windows write one session: the ballot screen, the paper-ballot
    entry and the facilitator's commands.  Each write first reads what the others
    changed: ``session.json`` when it was replaced, the new end of a journal.
    """

    def __init__(
        self,
        folder: Path,
        storage: _CachedTables,
        *,
        writable: bool,
        wait: float = 0.0,
        on_wait: Callable[[LockHolder | None], None] | None = None,
        purpose: str = "",
    ) -> None:
        super().__init__(storage, name=folder.name, writable=writable)
        self.folder = folder
        self.recovered_from: LockHolder | None = None
        self.repairs: list[Repair] = []
        """Torn tails cut off (each kept in a quarantine file): say so, loudly."""
        self._wait = wait
        self._on_wait = on_wait
        self._purpose = purpose
        self._lock: BaseFileLock | None = None
        self._journals: dict[int, _Journal] = {}
        self._fds: dict[int, int] = {}

    # -- the lock ------------------------------------------------------------------------

    def _take_lock(self) -> None:
        if self._closed:
            raise ValueError(f"session store '{self._name}' is closed")
        self._lock = _acquire_lock(self._folder, wait=self._wait, on_wait=self._on_wait)
        try:
            leftover = _leftover_holder(self._folder)
            if leftover is not None and self.recovered_from is None:
                self.recovered_from = leftover
            _write_holder(self._folder, self._purpose)
        except BaseException:
            self._lock.release()
            self._lock = None
            raise

    def _release_lock(self) -> None:
        if self._lock is None:
            return
        with contextlib.suppress(OSError):
            (self._folder / HOLDER_FILE).unlink()
        self._lock.release()
        self._lock = None

    # -- journals ------------------------------------------------------------------------

    def _journal(self, round_no: int) -> _Journal:
        found = self._journals.get(round_no)
        if found is None:
            found = self._journals[round_no] = _Journal()
        return found

    def check_tails(self) -> None:
        """Under the lock, at opening: check each journal's last batch, cut off a torn one.

        Only the tail is read (see :func:`_tail_state`); a journal whose end is not a
        whole batch is read in full, to tell an interrupted write (cut off, kept in
        ``quarantine/``, reported) from damage (refused, pointing to ``doctor``).
        """
        for round_no, path in sorted(_journal_files(self._folder).items()):
            state = _tail_state(path)
            if state is None:
                state = self._repair(round_no, path, 0, 1)
            self._journal(round_no).learn(*state)

    def _repair(self, round_no: int, path: Path, start: int, start_seq: int) -> tuple[int, int]:
        """Read a journal from ``start``; cut off an unfinished tail (the lock is held)."""
        raw = _read_from(path, start, self._name)
        scan = _scan_journal(raw, path, self._name, start_seq)
        if scan.good_size < len(raw):
            after = ""
            if scan.payloads or start:
                last = scan.payloads[-1:] or self._last_payload(path, start)
                kept = _decode_payloads(last, path, self._name)
                after = str(kept[-1].get("recorded_at", "")) if kept else ""
            self.repairs.append(_quarantine(self._folder, round_no, raw[scan.good_size :], after))
            _truncate(path, start + scan.good_size)
        return start + scan.good_size, scan.next_seq

    def _last_payload(self, path: Path, end: int) -> list[bytes]:
        """The last ballot line before ``end`` (to say after which ballot a tail was cut)."""
        with contextlib.suppress(OSError):
            with open(path, "rb") as fh:
                fh.seek(max(0, end - _TAIL_CHUNK))
                lines = fh.read(end - max(0, end - _TAIL_CHUNK)).rstrip(b"\n").split(b"\n")
            line = _parse_line(lines[-1]) if lines else None
            if line is not None:
                return [line.payload]
        return []

    def _catch_up(self, round_no: int) -> None:
        journal = self._journal(round_no)
        path = self._journal_path(round_no)
        try:
            size = path.stat().st_size
        except FileNotFoundError:
            size = 0
        except OSError as exc:
            raise fileio.storage_error(exc, path) from exc
        if size < journal.end:
            raise SessionError(Message("store.shortened", name=self._name, path=path))
        if size > journal.end:
            journal.learn(*self._repair(round_no, path, journal.end, journal.next_seq))

    def ballots(self, round_no: int, start: int = 0) -> list[dict[str, Any]]:  # noqa: D102
        _check_round(round_no)
        self._check_open()
        path = self._journal_path(round_no)
        journal = self._journal(round_no)
        if round_no in self.skipped:  # damaged: read whole each time, as salvaged
            return self._salvage(round_no, path)[start:]
        try:
            raw = _read_from(path, journal.read_to, self._name)
        except FileNotFoundError:
            return []
        if not raw and journal.ballots is not None:
            return journal.ballots[start:]
        if journal.payloads is None or journal.ballots is None:
            journal.payloads, journal.ballots = [], []
        try:
            scan = _scan_journal(raw, path, self._name, len(journal.payloads) + 1)
            new = _decode_payloads(scan.payloads, path, self._name)
        except SessionError:
            if self._writable:
                raise
            return self._salvage(round_no, path)[start:]
        journal.payloads.extend(scan.payloads)
        journal.ballots.extend(new)
        journal.read_to += scan.good_size
        journal.learn(journal.read_to, len(journal.payloads) + 1)
        return journal.ballots[start:]

    def _salvage(self, round_no: int, path: Path) -> list[dict[str, Any]]:
        """Reading only: show what can be shown, and say what was left out."""
        ballots, skipped = salvage_journal(_read_from(path, 0, self._name))
        self.skipped[round_no] = skipped
        return ballots

    def ballot_rounds(self) -> list[int]:  # noqa: D102
        self._check_open()
        return sorted(r for r, path in _journal_files(self._folder).items() if _nonempty(path))

    def close(self) -> None:  # noqa: D102
        if self._closed:
            return
        self._closed = True
        for fd in self._fds.values():
            with contextlib.suppress(OSError):
                os.close(fd)
        self._fds.clear()
        self._release_lock()

    @property
    def _folder(self) -> Path:
        assert self.folder is not None
        return self.folder

    def _journal_path(self, round_no: int) -> Path:
        return self._folder / BALLOTS_DIR / _journal_name(round_no)

    def _next_seq(self, round_no: int) -> int:
        return self._journal(round_no).next_seq

    def _append(self, round_no: int, data: bytes, count: int) -> None:
        path = self._journal_path(round_no)
        journal = self._journal(round_no)
        size = journal.end
        try:
            fd = self._journal_fd(round_no, path)
            on_disk = os.fstat(fd).st_size
            if on_disk < size:
                raise SessionError(Message("store.shortened", name=self._name, path=path))
            if on_disk > size:  # cannot happen: _catch_up just read to the end, lock held
                raise SessionError(
                    Message(
                        "store.journal_damaged", name=self._name, line=journal.next_seq, path=path
                    )
                )
            _write_all(fd, data)
            os.fsync(fd)
        except OSError as exc:
            fd_now = self._fds.get(round_no)
            if fd_now is not None:
                with contextlib.suppress(OSError):  # if this fails too, the next write cuts it
                    os.ftruncate(fd_now, size)
                    os.fsync(fd_now)
            raise fileio.storage_error(exc, path) from exc
        contiguous = journal.read_to == size and journal.payloads is not None
        journal.end, journal.next_seq = size + len(data), journal.next_seq + count
        if contiguous:
            # What this window wrote is what a re-read would find: keep it, so reading
            # the round again costs nothing for a window that keeps entering ballots.
            scan = _scan_journal(data, path, self._name, journal.next_seq - count)
            assert journal.payloads is not None and journal.ballots is not None
            journal.payloads.extend(scan.payloads)
            journal.ballots.extend(_decode_payloads(scan.payloads, path, self._name))
            journal.read_to = journal.end

    def _journal_fd(self, round_no: int, path: Path) -> int:
        fd = self._fds.get(round_no)
        if fd is None:
            created = not path.exists()
            path.parent.mkdir(exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | _O_BINARY, 0o644)
            self._fds[round_no] = fd
            if created:
                fileio.fsync_dir(path.parent)  # the new name must survive a power cut too
        return fd


def _read_from(path: Path, start: int, session: str) -> bytes:
    """A journal's bytes from ``start`` (``FileNotFoundError`` passes: no journal yet)."""
    try:
        with open(path, "rb") as fh:
            fh.seek(start)
            return fh.read()
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise SessionError(
            Message("store.file_unreadable", name=session, path=path, reason=exc.strerror or exc)
        ) from exc


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _journal_files(folder: Path) -> dict[int, Path]:
    ballots = folder / BALLOTS_DIR
    found: dict[int, Path] = {}
    if not ballots.is_dir():
        return found
    for path in ballots.iterdir():
        match = _JOURNAL_RE.fullmatch(path.name)
        if match and path.is_file():
            found[int(match.group(1))] = path
    return found


def _nonempty(path: Path) -> bool:
    try:
        return path.stat().st_size > 0
    except OSError:
        return False


# --------------------------------------------------------------------------- opening


def create_store(
    folder: Path,
    *,
    meta: dict[str, Any],
    purpose: str = "",
    tables: dict[str, list[dict[str, Any]]] | None = None,
) -> SessionStore:
    """Create a new session folder (and its parents) and open it for writing.

    ``meta`` becomes the meta document; its ``schema`` is always :data:`SCHEMA_VERSION`.
    ``tables`` are documents written in the same first write (the framework, the log's
    first line): a session is created whole or not at all, so a full disk never leaves
    a half-made session that can be neither used nor created again.  A folder this call
    made is removed again when the creation fails, so it can simply be retried.
    """
    folder = Path(folder)
    first: dict[str, dict[str, Any]] = {
        META_TABLE: {"1": {**_normalise(meta), "schema": SCHEMA_VERSION}}
    }
    for table, docs in (tables or {}).items():
        first[table] = {str(i): _normalise(doc) for i, doc in enumerate(docs, start=1)}
    if (folder / SESSION_FILE).exists():
        raise _already_exists(folder)
    made = not folder.exists()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise SessionError(Message("store.not_a_folder", folder=folder)) from None
    except OSError as exc:
        raise fileio.storage_error(exc, folder) from exc
    lock = _acquire_lock(folder)
    wrote_holder = False
    try:
        if (folder / SESSION_FILE).exists():  # created meanwhile by another window
            raise _already_exists(folder)
        _write_holder(folder, purpose)
        wrote_holder = True
        fileio.clean_temp_files(folder)
        try:
            (folder / BALLOTS_DIR).mkdir(exist_ok=True)
        except OSError as exc:
            raise fileio.storage_error(exc, folder / BALLOTS_DIR) from exc
        storage = _storage_class()(
            {}, b"{}", path=folder / SESSION_FILE, writable=True, name=folder.name
        )
        storage.write(first)  # the last step: until session.json exists, this is no session
        store = FileSessionStore(folder, storage, writable=True, purpose=purpose)
    except BaseException:
        _abandon(folder, lock, wrote_holder)
        if made:
            _remove_unmade(folder)
        raise
    _abandon(folder, lock, wrote_holder)  # made: the lock is taken again for each write
    return store


def open_store(
    folder: Path,
    *,
    writable: bool = True,
    purpose: str = "",
    tables_only: bool = False,
    wait: float = WRITE_WAIT_S,
    on_wait: Callable[[LockHolder | None], None] | None = None,
) -> SessionStore:
    """Open an existing session; writable opens lock it, repair a torn tail and clean up.

    Read-only opens take no lock and never change a byte, so results can be viewed from
    a second window (or a write-protected backup) while ballots are being recorded.
    ``tables_only`` opens for writing the tables alone (a log line after an export): it
    takes the lock but leaves the ballot journals unchecked and unwritable, because
    checking a national session's journals costs a second and nothing here needs them.
    ``wait``: seconds to wait for a lock another window is about to release (a paper
    ballot being saved), after telling ``on_wait`` who holds it.
    """
    folder = Path(folder)
    if not (folder / SESSION_FILE).is_file():
        raise _not_a_session(folder)
    name = folder.name
    data, good, signature = _load_tables(folder / SESSION_FILE, name)
    storage = _storage_class()(
        data, good, path=folder / SESSION_FILE, writable=writable, name=name, signature=signature
    )
    store = FileSessionStore(
        folder, storage, writable=writable, wait=wait, on_wait=on_wait, purpose=purpose
    )
    if not writable:
        return store
    store.tables_only = tables_only
    try:
        with store.writing():
            # Under the lock, nobody else is writing: a leftover temporary file or an
            # unfinished journal tail is what a crashed window left behind.
            fileio.clean_temp_files(folder)
            if not tables_only:
                store.check_tails()
    except BaseException:
        store.close()
        raise
    return store


def read_lock_holder(folder: Path) -> LockHolder | None:
    """Who holds (or, after a crash, last held) the session's lock; ``None`` if unknown."""
    try:
        raw = (Path(folder) / HOLDER_FILE).read_bytes()
        return LockHolder.from_dict(json.loads(raw.decode("utf-8")))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None


def _acquire_lock(
    folder: Path,
    *,
    wait: float = 0.0,
    on_wait: Callable[[LockHolder | None], None] | None = None,
) -> BaseFileLock:
    """Take the session's lock, waiting up to ``wait`` seconds for its holder to finish.

    Why wait at all: several windows write one session, each holding the lock for the
    time of one write; refusing at once would lose a participant's vote to a collision.
    """
    from filelock import FileLock, Timeout

    lock = FileLock(str(folder / LOCK_FILE), timeout=0)
    quiet = min(wait, _QUIET_WAIT_S)
    try:
        try:
            lock.acquire(timeout=quiet, poll_interval=0.005)
        except Timeout:
            if wait <= quiet:
                raise
            if on_wait is not None:
                on_wait(read_lock_holder(folder))
            lock.acquire(timeout=wait - quiet, poll_interval=0.05)
    except Timeout:
        raise _locked_error(folder) from None
    except OSError as exc:
        raise fileio.storage_error(exc, folder / LOCK_FILE) from exc
    return lock


def _locked_error(folder: Path) -> SessionLockedError:
    deadline = time.monotonic() + _HOLDER_WAIT_S
    holder = read_lock_holder(folder)
    while holder is None and time.monotonic() < deadline:
        time.sleep(0.02)
        holder = read_lock_holder(folder)
    if holder is None:
        return SessionLockedError(Message("store.locked", name=folder.name))
    return SessionLockedError(
        Message("store.locked_by", name=folder.name, holder=holder.describe_message())
    )


@functools.cache
def _who() -> tuple[str, str]:
    """This computer's user and host names (asked once: every write names its holder)."""
    try:
        user = getpass.getuser()
    except Exception:  # no user name on some Windows set-ups and containers
        user = ""
    try:
        host = socket.gethostname()
    except OSError:
        host = ""
    return user, host


def _current_holder(purpose: str) -> LockHolder:
    user, host = _who()
    since = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    return LockHolder(pid=os.getpid(), host=host, user=user, purpose=purpose, since=since)


def _leftover_holder(folder: Path) -> LockHolder | None:
    """The holder file of a process that died holding the lock, if it is not us."""
    holder = read_lock_holder(folder)
    if holder is None:
        return None
    me = _current_holder("")
    if (holder.pid, holder.host) == (me.pid, me.host):
        return None
    return holder


def _write_holder(folder: Path, purpose: str) -> None:
    """Say who holds the lock, for a window kept waiting to name them.

    Written plainly, without ``fsync``: it is taken for every ballot, and it only names
    the holder (a torn or lost file just makes the waiting message vaguer).
    """
    data = json.dumps(asdict(_current_holder(purpose)), ensure_ascii=False, indent=1)
    try:
        with open(folder / HOLDER_FILE, "wb") as fh:
            fh.write(data.encode("utf-8"))
    except OSError as exc:
        raise fileio.storage_error(exc, folder / HOLDER_FILE) from exc


def _abandon(folder: Path, lock: BaseFileLock, wrote_holder: bool) -> None:
    """Undo a half-done open: our holder file must not look like a crash next time."""
    if wrote_holder:
        with contextlib.suppress(OSError):
            (folder / HOLDER_FILE).unlink()
    lock.release()


QUARANTINE_DIR = "quarantine"
"""Where the bytes a repair cuts off are kept, never deleted."""


@dataclass(frozen=True)
class Repair:
    """A torn tail cut off a round's journal when the session was opened for writing.

    Why it is reported: the lines in it may look like ballots (a power cut in the middle
    of a paper-ballot import, or a disk that zeroed its last block).  They were never
    confirmed as a whole, so they cannot count; but the facilitator must hear how many
    there were and from when, to have those votes given again, and the bytes are kept.
    """

    round: int
    ballots: int
    """Intact ballot lines in the tail (a torn or zeroed line counts as none)."""
    first: str
    """``recorded_at`` of the earliest of them (empty when none could be read)."""
    last: str
    quarantine: Path
    """The file holding the removed bytes exactly as they were."""
    size: int
    """Bytes removed."""
    damaged: int = 0
    """Lines in the tail that could not be read at all (torn, zeroed, a byte changed)."""
    after: str = ""
    """``recorded_at`` of the last ballot kept: what was removed came after it."""


def _quarantine(folder: Path, round_no: int, tail: bytes, after: str) -> Repair:
    """Keep a torn tail's bytes in ``quarantine/`` and count the ballots it held."""
    times: list[str] = []
    damaged = 0
    for raw in tail.split(b"\n"):
        line = _parse_line(raw)
        if line is None:
            damaged += 1 if raw.strip(b"\0 \t\r") else 0
            continue
        try:
            ballot = json.loads(line.payload)
        except ValueError:
            continue
        if isinstance(ballot, dict):
            times.append(str(ballot.get("recorded_at", "")))
    if not times and not damaged and tail.strip(b"\n"):
        damaged = 1  # zeroed by the disk: no line left to count, but something was there
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = folder / QUARANTINE_DIR / f"round-{round_no:02d}-{stamp}.jsonl"
    try:
        target.parent.mkdir(exist_ok=True)
        fileio.write_atomic(target, tail)
    except OSError as exc:
        # Nothing is cut off unless its bytes are safe elsewhere first.
        raise fileio.storage_error(exc, target) from exc
    known = sorted(t for t in times if t)
    return Repair(
        round=round_no,
        ballots=len(times),
        first=known[0] if known else "",
        last=known[-1] if known else "",
        quarantine=target,
        size=len(tail),
        damaged=damaged,
        after=after,
    )


def _remove_unmade(folder: Path) -> None:
    """Take away a session folder whose creation failed, if it holds nothing of anyone's."""
    if (folder / SESSION_FILE).exists():
        return
    for leftover in (folder / BALLOTS_DIR, folder / LOCK_FILE, folder / HOLDER_FILE):
        with contextlib.suppress(OSError):
            leftover.rmdir() if leftover.is_dir() else leftover.unlink()
    fileio.clean_temp_files(folder)
    with contextlib.suppress(OSError):
        folder.rmdir()  # only when empty: anything else found there stays


def _truncate(path: Path, size: int) -> None:
    """Cut an unacknowledged tail off a journal, durably."""
    try:
        fd = os.open(path, os.O_RDWR | _O_BINARY)
        try:
            os.ftruncate(fd, size)
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        raise fileio.storage_error(exc, path) from exc


def _short_time(iso: str) -> str:
    """``10:32`` for today, ``2026-11-19 10:32`` otherwise; the raw text if unparseable."""
    try:
        when = dt.datetime.fromisoformat(iso)
    except ValueError:
        return iso
    today = dt.datetime.now(when.tzinfo).date()
    return when.strftime("%H:%M" if when.date() == today else "%Y-%m-%d %H:%M")


def _not_a_session(folder: Path) -> SessionError:
    if not folder.is_dir():
        return SessionError(Message("store.no_folder", folder=folder))
    return SessionError(Message("store.not_a_session", folder=folder, file=SESSION_FILE))


def _already_exists(folder: Path) -> SessionError:
    return SessionError(Message("store.exists", folder=folder))


def _read_only_error(name: str) -> SessionError:
    return SessionError(Message("store.read_only", name=name))


__all__ = [
    "SCHEMA_VERSION",
    "FileSessionStore",
    "LockHolder",
    "MemorySessionStore",
    "SessionStore",
    "create_store",
    "open_store",
    "read_lock_holder",
]


# --------------------------------------------------------------------------- backups, doctor

BACKUPS_DIR = "backups"
KEEP_BACKUPS = 10
"""Snapshots kept per session; the oldest go first (a workshop makes a few a day)."""


def backup_session(folder: Path, reason: str) -> Path:
    """Copy ``session.json`` and every journal into ``backups/<time>-<reason>/``, keep the last ten.

    Why copies in the session folder: the snapshot must travel with the session (on a
    USB stick), and ``hsvalidate doctor --restore`` finds it there.  The copy is made
    in a temporary folder and renamed when whole, so a cut never leaves half a snapshot.
    """
    folder = Path(folder)
    root = folder / BACKUPS_DIR
    stamp = dt.datetime.now().strftime("%Y-%m-%d_%H%M%S")
    target = root / f"{stamp}-{reason}"
    n = 1
    while target.exists():
        n += 1
        target = root / f"{stamp}-{reason}-{n}"
    partial = root / f".partial-{target.name}"
    try:
        (partial / BALLOTS_DIR).mkdir(parents=True, exist_ok=True)
        fileio.write_atomic(partial / SESSION_FILE, (folder / SESSION_FILE).read_bytes())
        for round_no, path in _journal_files(folder).items():
            fileio.write_atomic(partial / BALLOTS_DIR / _journal_name(round_no), path.read_bytes())
        os.replace(partial, target)
        fileio.fsync_dir(root)
    except OSError as exc:
        import shutil

        shutil.rmtree(partial, ignore_errors=True)
        raise fileio.storage_error(exc, target) from exc
    for old in list_backups(folder)[:-KEEP_BACKUPS]:
        import shutil

        shutil.rmtree(root / old, ignore_errors=True)
    return target


def list_backups(folder: Path) -> list[str]:
    """The session's snapshots, oldest first (their names start with their date and time)."""
    root = Path(folder) / BACKUPS_DIR
    if not root.is_dir():
        return []
    return sorted(
        p.name
        for p in root.iterdir()
        if p.is_dir() and not p.name.startswith(".") and (p / SESSION_FILE).is_file()
    )


@dataclass(frozen=True)
class JournalCheck:
    """What ``hsvalidate doctor`` found in one round's journal."""

    round: int
    ballots: int
    """Intact ballot lines."""
    damaged: tuple[int, ...] = ()
    """Line numbers that cannot be read (damage in the middle or at the end)."""
    torn_tail: bool = False
    """An unfinished last write, which the next command repairs (loudly)."""


@dataclass(frozen=True)
class SessionCheck:
    """A session as ``hsvalidate doctor`` sees it, without changing a byte."""

    tables_ok: bool
    tables_problem: str
    journals: tuple[JournalCheck, ...]
    backups: tuple[str, ...]

    @property
    def healthy(self) -> bool:
        """Nothing to salvage: tables readable, no damaged line anywhere."""
        return self.tables_ok and not any(j.damaged for j in self.journals)


def check_session(folder: Path) -> SessionCheck:
    """Read every file of a session and say what is intact, without taking the lock."""
    folder = Path(folder)
    if not (folder / SESSION_FILE).is_file():
        raise _not_a_session(folder)
    try:
        _load_tables(folder / SESSION_FILE, folder.name)
        tables_ok, problem = True, ""
    except SessionError as exc:
        tables_ok, problem = False, str(exc)
    checks = []
    for round_no, path in sorted(_journal_files(folder).items()):
        data = path.read_bytes()
        try:
            scan = _scan_journal(data, path, folder.name)
            checks.append(
                JournalCheck(
                    round=round_no,
                    ballots=len(scan.payloads),
                    torn_tail=scan.good_size < len(data),
                )
            )
        except SessionError:
            ballots, skipped = salvage_journal(data)
            checks.append(
                JournalCheck(round=round_no, ballots=len(ballots), damaged=tuple(skipped))
            )
    return SessionCheck(
        tables_ok=tables_ok,
        tables_problem=problem,
        journals=tuple(checks),
        backups=tuple(list_backups(folder)),
    )


def salvage_copy(folder: Path, target: Path) -> SessionCheck:
    """A new session at ``target``: the tables as they are, every intact ballot line kept.

    The damaged session is left exactly as it was; the copy's journals hold each intact
    line as a batch of its own, in the original order, so the copy opens and counts
    every ballot that could be read.  Returns what the original held (what was lost).
    """
    folder, target = Path(folder), Path(target)
    found = check_session(folder)
    if not found.tables_ok:
        raise SessionError(Message("doctor.tables_damaged", name=folder.name))
    if target.exists():
        raise _already_exists(target)
    partial = target.parent / f".partial-{target.name}"
    try:
        (partial / BALLOTS_DIR).mkdir(parents=True, exist_ok=True)
        fileio.write_atomic(partial / SESSION_FILE, (folder / SESSION_FILE).read_bytes())
        for round_no, path in _journal_files(folder).items():
            ballots, _ = salvage_journal(path.read_bytes())
            lines = b"".join(
                _encode_batch(seq, [ballot])[0] for seq, ballot in enumerate(ballots, start=1)
            )
            fileio.write_atomic(partial / BALLOTS_DIR / _journal_name(round_no), lines)
        os.replace(partial, target)
    except OSError as exc:
        import shutil

        shutil.rmtree(partial, ignore_errors=True)
        raise fileio.storage_error(exc, target) from exc
    return found


def restore_copy(folder: Path, backup: str, target: Path) -> Path:
    """A new session at ``target`` from one of ``folder``'s snapshots; the original is untouched."""
    import shutil

    folder, target = Path(folder), Path(target)
    source = folder / BACKUPS_DIR / backup
    if backup not in list_backups(folder):
        raise SessionError(
            Message(
                "doctor.unknown_backup",
                backup=backup,
                known=", ".join(list_backups(folder)) or "–",
            )
        )
    if target.exists():
        raise _already_exists(target)
    try:
        shutil.copytree(source, target)
    except OSError as exc:
        shutil.rmtree(target, ignore_errors=True)
        raise fileio.storage_error(exc, target) from exc
    return target
