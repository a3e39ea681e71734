"""Session store: the same API tests on the memory fake and the file store, then crash scenarios."""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import subprocess
import sys
import zlib
from collections.abc import Callable, Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hsvalidate import fileio
from hsvalidate.errors import SessionError, SessionLockedError, SessionVersionError, StorageError
from hsvalidate.store import (
    SCHEMA_VERSION,
    LockHolder,
    MemorySessionStore,
    SessionStore,
    create_store,
    open_store,
    read_lock_holder,
)

REPO = Path(__file__).resolve().parent.parent
HELPERS = Path(__file__).resolve().parent / "store_helpers.py"
BAMBARA = "Ɲɛlɛ Kɔnɛ, Ŋɔni — ɛ ɔ ɲ ŋ Ɛ Ɔ Ɲ Ŋ, é à ç"
SESSION_NAME = "Atelier Bamako é ɛ"


def ballot(participant: str, indicator: str, **extra: Any) -> dict[str, Any]:
    return {
        "participant": participant,
        "indicator": indicator,
        "ratings": {"relevance": 8, "feasibility": None, "clarity": 3},
        **extra,
    }


# --------------------------------------------------------------------------- both stores


@pytest.fixture(params=["memory", "file"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SessionStore]:
    if request.param == "memory":
        opened: SessionStore = MemorySessionStore(meta={"name": "Bamako 2026"})
    else:
        opened = create_store(tmp_path / "bamako-2026", meta={"name": "Bamako 2026"})
    yield opened
    opened.close()


@pytest.fixture
def reopen(store: SessionStore) -> Iterator[Callable[[], SessionStore]]:
    """Close and reopen a file store, so each check also proves the data reached the disk."""
    latest = [store]

    def again() -> SessionStore:
        if store.folder is None:
            return store
        latest[-1].close()
        latest.append(open_store(store.folder))
        return latest[-1]

    yield again
    latest[-1].close()


def test_meta_holds_given_fields_and_schema(
    store: SessionStore, reopen: Callable[[], SessionStore]
) -> None:
    store.update_meta({"lang": "fr", "title": BAMBARA})
    meta = reopen().meta()
    assert meta == {"name": "Bamako 2026", "schema": SCHEMA_VERSION, "lang": "fr", "title": BAMBARA}


def test_schema_number_belongs_to_the_store(store: SessionStore) -> None:
    store.update_meta({"schema": SCHEMA_VERSION, "lang": "en"})
    with pytest.raises(ValueError, match="schema"):
        store.update_meta({"schema": SCHEMA_VERSION + 1})
    assert store.meta()["schema"] == SCHEMA_VERSION


def test_insert_and_all_keep_order_and_ids(
    store: SessionStore, reopen: Callable[[], SessionStore]
) -> None:
    first = store.insert("participants", {"code": "P01", "name": BAMBARA})
    more = store.insert_many("participants", [{"code": "P02"}, {"code": "P03"}])
    assert more == [first + 1, first + 2]
    assert store.insert_many("participants", []) == []
    docs = reopen().all("participants")
    assert docs == [
        {"code": "P01", "name": BAMBARA, "_id": first},
        {"code": "P02", "_id": first + 1},
        {"code": "P03", "_id": first + 2},
    ]


def test_update_changes_only_the_given_fields(
    store: SessionStore, reopen: Callable[[], SessionStore]
) -> None:
    ids = store.insert_many("rounds", [{"number": 1, "status": "open"}, {"number": 2}])
    store.update("rounds", ids[0], {"status": "closed", "closed_at": "2026-11-20T12:00"})
    rounds = reopen().all("rounds")
    assert rounds[0] == {
        "number": 1,
        "status": "closed",
        "closed_at": "2026-11-20T12:00",
        "_id": ids[0],
    }
    assert rounds[1] == {"number": 2, "_id": ids[1]}


def test_update_of_unknown_id_is_a_key_error(store: SessionStore) -> None:
    store.insert("decisions", {"indicator": "I1"})
    with pytest.raises(KeyError):
        store.update("decisions", 42, {"action": "drop"})
    assert store.all("decisions") == [{"indicator": "I1", "_id": 1}]


def test_tables_are_separate_and_any_name_works(store: SessionStore) -> None:
    store.insert("framework", {"code": "I1"})
    store.insert("custom-notes", {"text": "x"})
    assert store.all("decisions") == []
    assert [d["code"] for d in store.all("framework")] == ["I1"]
    assert store.all("custom-notes") == [{"text": "x", "_id": 1}]


def test_callers_cannot_change_stored_data_by_accident(store: SessionStore) -> None:
    indicators = ["I1", "I2"]
    doc_id = store.insert("rounds", {"code": "R1", "indicators": indicators})
    indicators.append("I3")
    returned = store.all("rounds")[0]
    returned["indicators"].append("I4")
    store.meta()["schema"] = 99
    assert store.all("rounds") == [{"code": "R1", "indicators": ["I1", "I2"], "_id": doc_id}]
    assert store.meta()["schema"] == SCHEMA_VERSION


def test_id_passed_in_is_not_stored(
    store: SessionStore, reopen: Callable[[], SessionStore]
) -> None:
    doc_id = store.insert("participants", {"code": "P01", "_id": 77})
    store.update("participants", doc_id, {"_id": 5, "group": "civil society"})
    store.update_meta({"_id": 3, "lang": "fr"})
    again = reopen()
    assert again.all("participants") == [{"code": "P01", "group": "civil society", "_id": doc_id}]
    assert "_id" not in again.meta()
    if again.folder is not None:
        assert b'"_id"' not in (again.folder / "session.json").read_bytes()


def test_non_json_values_are_refused_before_anything_changes(store: SessionStore) -> None:
    store.insert("participants", {"code": "P01"})
    with pytest.raises(TypeError):
        store.insert("participants", {"code": object()})
    with pytest.raises(ValueError):
        store.insert_many("participants", [{"code": "P02"}, {"score": float("nan")}])
    with pytest.raises(TypeError):
        store.append_ballots(1, [ballot("P01", "I1"), {"when": object()}])
    assert store.all("participants") == [{"code": "P01", "_id": 1}]
    assert store.ballots(1) == []
    assert store.ballot_rounds() == []


def test_ballots_come_back_in_append_order_per_round(
    store: SessionStore, reopen: Callable[[], SessionStore]
) -> None:
    store.append_ballots(2, [ballot("P01", "I1")])
    store.append_ballots(1, [ballot("P01", "I1", comment=BAMBARA)])
    store.append_ballots(1, [ballot("P02", "I1"), ballot("P03", "I1")])
    store.append_ballots(10, [ballot("P01", "I9")])
    store.append_ballots(3, [])
    store.append_ballots(1, [ballot("P01", "I1", comment="changed my mind")])
    reopened = reopen()
    assert reopened.ballot_rounds() == [1, 2, 10]
    assert reopened.ballots(1) == [
        ballot("P01", "I1", comment=BAMBARA),
        ballot("P02", "I1"),
        ballot("P03", "I1"),
        ballot("P01", "I1", comment="changed my mind"),
    ]
    assert reopened.ballots(2) == [ballot("P01", "I1")]
    assert reopened.ballots(4) == []


def test_round_numbers_start_at_one(store: SessionStore) -> None:
    for bad in (0, -1, True):
        with pytest.raises(ValueError):
            store.append_ballots(bad, [ballot("P01", "I1")])


def test_closed_store_refuses_use(store: SessionStore) -> None:
    store.close()
    store.close()
    with pytest.raises(ValueError, match="closed"):
        store.all("participants")


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.dictionaries(
            st.text(),
            st.one_of(
                st.none(),
                st.booleans(),
                st.integers(),
                st.floats(allow_nan=False, allow_infinity=False),
                st.text(),
                st.lists(st.text(max_size=5), max_size=3),
            ),
            max_size=5,
        ),
        max_size=5,
    )
)
def test_any_json_ballot_round_trips_exactly(ballots: list[dict[str, Any]]) -> None:
    memory = MemorySessionStore()
    memory.append_ballots(1, ballots)
    memory.append_ballots(1, ballots[:1])
    assert memory.ballots(1) == ballots + ballots[:1]


# --------------------------------------------------------------------------- file store


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A session folder with spaces, accents and Bambara letters, inside a new parent."""
    return tmp_path / "sessions à Bamako" / SESSION_NAME


def make_session(folder: Path, rounds: dict[int, list[list[dict[str, Any]]]]) -> None:
    """Create a closed session whose journals hold the given batches."""
    with create_store(folder, meta={"name": "Bamako"}) as store:
        store.insert("participants", {"code": "P01", "name": BAMBARA})
        for round_no, batches in rounds.items():
            for batch in batches:
                store.append_ballots(round_no, batch)


def journal(folder: Path, round_no: int = 1) -> Path:
    return folder / "ballots" / f"round-{round_no:02d}.jsonl"


def check_journal_is_valid(path: Path) -> list[dict[str, Any]]:
    """Independent check of the line format: every line whole, numbered and checksummed."""
    data = path.read_bytes()
    assert data == b"" or data.endswith(b"\n")
    ballots = []
    for seq, raw in enumerate(data.splitlines(), start=1):
        line = json.loads(raw)
        assert line["seq"] == seq
        assert line["first"] <= seq <= line["end"]
        payload = raw[raw.index(b'"ballot":') + len(b'"ballot":') : -1]
        prefix = f"{seq},{line['first']},{line['end']},".encode()
        assert zlib.crc32(payload, zlib.crc32(prefix)) == line["crc"]
        ballots.append(line["ballot"])
    return ballots


def test_everything_written_is_there_after_reopen(folder: Path) -> None:
    store = create_store(folder, meta={"name": "Bamako", "title": BAMBARA}, purpose="pytest")
    assert folder.is_dir()
    store.insert("participants", {"code": "P01", "name": BAMBARA})
    store.append_ballots(1, [ballot("P01", "I1", comment=BAMBARA)])
    store.close()
    assert not (folder / "lock-holder.json").exists()
    for writable in (False, True):
        with open_store(folder, writable=writable) as again:
            assert again.meta()["title"] == BAMBARA
            assert again.all("participants")[0]["name"] == BAMBARA
            assert again.ballots(1) == [ballot("P01", "I1", comment=BAMBARA)]
    # UTF-8 on disk whatever the locale, and readable by any JSON tool.
    raw = (folder / "session.json").read_bytes()
    assert "Ɲɛlɛ Kɔnɛ".encode() in raw
    assert json.loads(raw.decode("utf-8"))["meta"]["1"]["schema"] == SCHEMA_VERSION
    assert "ɛ ɔ ɲ ŋ".encode() in journal(folder).read_bytes()
    assert check_journal_is_valid(journal(folder)) == [ballot("P01", "I1", comment=BAMBARA)]


def test_temp_files_of_a_killed_writer_are_removed_only_by_a_writable_open(folder: Path) -> None:
    make_session(folder, {})
    leftover = folder / f"{fileio.TEMP_PREFIX}abc123.json"
    leftover.write_bytes(b'{"meta": {"1": {"sch')
    with open_store(folder, writable=False) as viewer:
        assert viewer.meta()["name"] == "Bamako"
    assert leftover.exists()
    with open_store(folder) as writer:
        assert writer.meta()["name"] == "Bamako"
    assert not leftover.exists()


def test_create_refuses_an_existing_session_and_a_file(folder: Path, tmp_path: Path) -> None:
    make_session(folder, {})
    with pytest.raises(SessionError, match="already exists"):
        create_store(folder, meta={})
    a_file = tmp_path / "notes.txt"
    a_file.write_text("x")
    with pytest.raises(SessionError, match="not a folder"):
        create_store(a_file, meta={})


def test_folders_that_are_not_sessions_are_explained(tmp_path: Path) -> None:
    with pytest.raises(SessionError, match="no session folder"):
        open_store(tmp_path / "nowhere")
    (tmp_path / "photos").mkdir()
    with pytest.raises(SessionError, match="not an hsvalidate session"):
        open_store(tmp_path / "photos")
    assert list((tmp_path / "photos").iterdir()) == []  # not even a lock file left behind


@pytest.mark.parametrize(
    "content", [b"", b'{"meta": {"1": {"sch', b"[1, 2]", b'{"meta": {}}', b'{"meta": {"1": {}}}']
)
def test_damaged_session_file_asks_for_a_backup(folder: Path, content: bytes) -> None:
    make_session(folder, {})
    (folder / "session.json").write_bytes(content)
    for writable in (True, False):
        with pytest.raises(SessionError, match="backup copy") as caught:
            open_store(folder, writable=writable)
        assert not isinstance(caught.value, SessionLockedError)


def test_newer_schema_is_refused_and_the_lock_released(folder: Path) -> None:
    make_session(folder, {})
    data = json.loads((folder / "session.json").read_bytes())
    data["meta"]["1"]["schema"] = SCHEMA_VERSION + 1
    (folder / "session.json").write_bytes(json.dumps(data).encode())
    for writable in (True, True, False):
        with pytest.raises(SessionVersionError) as caught:
            open_store(folder, writable=writable)
        assert str(caught.value) == (
            f"Session '{SESSION_NAME}' was written by a newer hsvalidate "
            f"(schema {SCHEMA_VERSION + 1}); install a newer hsvalidate to open it."
        )
    assert not (folder / "lock-holder.json").exists()


# ---- read-only


def test_read_only_store_refuses_every_write(folder: Path) -> None:
    make_session(folder, {1: [[ballot("P01", "I1")]]})
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    with open_store(folder, writable=False) as viewer:
        for write in (
            lambda: viewer.update_meta({"x": 1}),
            lambda: viewer.insert("participants", {"code": "P02"}),
            lambda: viewer.insert_many("participants", [{"code": "P02"}]),
            lambda: viewer.update("participants", 1, {"code": "P02"}),
            lambda: viewer.append_ballots(1, [ballot("P02", "I1")]),
        ):
            with pytest.raises(SessionError, match="read-only"):
                write()
        assert viewer.recovered_from is None
        assert viewer.all("participants")[0]["code"] == "P01"
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before


def test_read_only_viewer_sees_what_the_writer_records(folder: Path) -> None:
    make_session(folder, {})
    with open_store(folder, purpose="hsvalidate ballot") as writer:
        viewer = open_store(folder, writable=False)
        assert viewer.all("rounds") == []
        writer.insert("rounds", {"number": 1})
        writer.append_ballots(1, [ballot("P01", "I1")])
        assert viewer.all("rounds") == [{"number": 1, "_id": 1}]
        assert viewer.ballots(1) == [ballot("P01", "I1")]
        assert viewer.ballot_rounds() == [1]
        viewer.close()


# ---- locking


def spawn(mode: str, folder: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONIOENCODING": "utf-8"}
    child = subprocess.Popen(
        [sys.executable, str(HELPERS), mode, str(folder)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        env=env,
    )
    assert child.stdout is not None
    first = child.stdout.readline()
    if first != "ready\n":
        child.kill()
        _, err = child.communicate()
        pytest.fail(f"child did not start: {first!r} {err}")
    return child


def test_two_windows_write_one_session_and_see_each_other(folder: Path) -> None:
    make_session(folder, {})
    with (
        open_store(folder, purpose="hsvalidate ballot") as kiosk,
        open_store(folder, purpose="hsvalidate ballots enter") as paper,
    ):
        kiosk.insert("participants", {"code": "P02"})
        paper.insert("participants", {"code": "P03", "name": BAMBARA})
        kiosk.append_ballots(1, [ballot("P01", "I1")])
        paper.append_ballots(1, [ballot("P02", "I1"), ballot("P03", "I1")])
        kiosk.append_ballots(1, [ballot("P01", "I2")])
        for window in (kiosk, paper):
            codes = [(p["_id"], p["code"]) for p in window.all("participants")]
            assert codes == [(1, "P01"), (2, "P02"), (3, "P03")]  # no id written twice
            assert [(b["participant"], b["indicator"]) for b in window.ballots(1)] == [
                ("P01", "I1"),
                ("P02", "I1"),
                ("P03", "I1"),
                ("P01", "I2"),
            ]
    assert check_journal_is_valid(journal(folder)) == [
        ballot("P01", "I1"),
        ballot("P02", "I1"),
        ballot("P03", "I1"),
        ballot("P01", "I2"),
    ]
    assert read_lock_holder(folder) is None  # nobody holds the lock between writes


def test_a_write_waits_for_the_window_that_is_writing(folder: Path) -> None:
    make_session(folder, {})
    with open_store(folder, purpose="hsvalidate ballot") as first:
        second = open_store(
            folder, purpose="hsvalidate round open", wait=0
        )  # opening is not refused
        with first.writing():
            with pytest.raises(SessionLockedError) as caught:
                second.insert("participants", {"code": "P02"})
            message = str(caught.value)
            assert message.startswith(
                f"Session '{SESSION_NAME}' is in use by another hsvalidate window"
            )
            assert f"pid {os.getpid()} on " in message
            assert "'hsvalidate ballot', since " in message
            assert message.endswith("finish or close that window, then try again.")
            first.insert("participants", {"code": "P02"})
        second.insert("participants", {"code": "P03"})  # once the first has written
        second.close()
    with open_store(folder) as after:
        assert after.recovered_from is None
        assert [p["code"] for p in after.all("participants")] == ["P01", "P02", "P03"]


def test_refusal_names_the_holder_in_one_sentence(tmp_path: Path) -> None:
    folder = tmp_path / "bamako-2026"
    make_session(folder, {})
    today = dt.date.today().isoformat()
    with open_store(folder) as window, window.writing():
        holder = LockHolder(4312, "LAPTOP-3", "awa", "hsvalidate ballot", f"{today}T10:32:05+00:00")
        (folder / "lock-holder.json").write_text(json.dumps(asdict(holder)), encoding="utf-8")
        with pytest.raises(SessionLockedError) as caught:
            open_store(folder, wait=0)
        assert str(caught.value) == (
            "Session 'bamako-2026' is in use by another hsvalidate window (pid 4312 on "
            "LAPTOP-3, user awa, 'hsvalidate ballot', since 10:32); finish or close that "
            "window, then try again."
        )
        (folder / "lock-holder.json").write_text("{not json", encoding="utf-8")
        with pytest.raises(SessionLockedError) as caught:
            open_store(folder, wait=0)
        assert str(caught.value) == (
            "Session 'bamako-2026' is in use by another hsvalidate window; finish or close "
            "that window, then try again."
        )
    old = LockHolder(7, "", "", "", "2026-11-19T08:05:00+00:00")
    assert old.describe() == "pid 7, since 2026-11-19 08:05"


def test_second_writable_open_from_another_process_is_refused(folder: Path) -> None:
    make_session(folder, {})
    child = spawn("hold", folder)
    try:
        with pytest.raises(SessionLockedError) as caught:
            open_store(folder, purpose="hsvalidate round open", wait=0)
        assert f"(pid {child.pid} on " in str(caught.value)
        assert "'hsvalidate ballot'" in str(caught.value)
        holder = read_lock_holder(folder)
        assert holder is not None and holder.pid == child.pid
        with open_store(folder, writable=False) as viewer:  # viewing is still allowed
            assert [p["code"] for p in viewer.all("participants")] == ["P01", "P99"]
    finally:
        out, err = child.communicate(input="", timeout=30)
    assert out == "closed\n", err
    with open_store(folder) as after:
        assert after.recovered_from is None
        with after.writing():
            holder = read_lock_holder(folder)
            assert holder is not None and (holder.pid, holder.purpose) == (os.getpid(), "")
        assert read_lock_holder(folder) is None  # held only while writing


def test_lock_of_a_killed_process_is_taken_over_and_reported(folder: Path) -> None:
    make_session(folder, {})
    child = spawn("hold", folder)
    child.kill()
    child.communicate(timeout=30)
    stale = read_lock_holder(folder)
    assert stale is not None and stale.pid == child.pid
    with open_store(folder, purpose="hsvalidate round open") as store:
        assert store.recovered_from == stale
        assert store.recovered_from.purpose == "hsvalidate ballot"
        assert [p["code"] for p in store.all("participants")] == ["P01", "P99"]
        with store.writing():
            now = read_lock_holder(folder)
            assert now is not None and now.pid == os.getpid()
            assert now.purpose == "hsvalidate round open"
    assert read_lock_holder(folder) is None


def test_kill_while_appending_loses_no_acknowledged_ballot(folder: Path) -> None:
    make_session(folder, {})
    child = spawn("append", folder)
    assert child.stdout is not None
    acked: list[int] = []
    while len(acked) < 150:
        line = child.stdout.readline()
        assert line.startswith("ack "), line + child.stderr.read()  # type: ignore[union-attr]
        acked.append(int(line.split()[1]))
    child.kill()
    # Read the rest through the same buffered reader: communicate() would read the raw pipe
    # and miss acknowledgements readline() had already buffered.
    rest = child.stdout.read()
    child.wait(timeout=30)
    acked += [int(line.split()[1]) for line in rest.splitlines() if line.startswith("ack ")]

    with open_store(folder) as store:
        # Killed inside a write, it left its name behind; between two writes, nothing.
        assert store.recovered_from is None or store.recovered_from.pid == child.pid
        stored = store.ballots(1) + store.ballots(2)
        for round_no in (1, 2):
            assert check_journal_is_valid(journal(folder, round_no)) == store.ballots(round_no)
    found = sorted({b["n"] for b in stored})
    # Every acknowledged batch is there; at most the one being written when killed is extra.
    assert set(acked) <= set(found)
    assert found == list(range(len(found)))
    assert len(found) - len(acked) <= 1
    # Batches survive whole: each batch number appears exactly `size` times, in order.
    for n in found:
        parts = [b["k"] for b in stored if b["n"] == n]
        assert parts == list(range(3 if n % 4 == 3 else 1))


# ---- torn and damaged journals

ONE = [ballot("P01", "I1")]
TWO = [ballot("P02", "I1")]
BATCH = [ballot("P03", "I1"), ballot("P04", "I1"), ballot("P05", "I1", comment=BAMBARA)]


def cut_inside_last_line(data: bytes) -> bytes:
    start = data.rindex(b"\n", 0, len(data) - 1) + 1
    return data[: start + (len(data) - start) // 2]


def drop_last_line(data: bytes) -> bytes:
    return data[: data.rindex(b"\n", 0, len(data) - 1) + 1]


def spoil_last_crc(data: bytes) -> bytes:
    start = data.rindex(b"\n", 0, len(data) - 1) + 1
    line = json.loads(data[start:])
    line["crc"] += 1
    return data[:start] + json.dumps(line, separators=(",", ":")).encode() + b"\n"


@pytest.mark.parametrize(
    ("batches", "tear", "survivors"),
    [
        pytest.param([ONE, TWO], cut_inside_last_line, ONE, id="half-line"),
        pytest.param([ONE, TWO], spoil_last_crc, ONE, id="bad-crc-last-line"),
        pytest.param([ONE, TWO], lambda d: d[:-1] + b"\x00" * 300, ONE, id="zero-filled"),
        pytest.param([ONE, TWO], lambda d: d + b"\x00" * 300, ONE + TWO, id="zeros-after"),
        pytest.param([ONE, BATCH], cut_inside_last_line, ONE, id="half-batch"),
        pytest.param([ONE, BATCH], drop_last_line, ONE, id="batch-missing-end"),
        pytest.param(
            [ONE, BATCH], lambda d: drop_last_line(drop_last_line(d)), ONE, id="batch-1-of-3"
        ),
        pytest.param([BATCH], spoil_last_crc, [], id="only-batch-damaged"),
    ],
)
def test_torn_tail_is_ignored_read_only_and_repaired_writable(
    folder: Path, batches: list[list[dict[str, Any]]], tear: Any, survivors: list[dict[str, Any]]
) -> None:
    make_session(folder, {1: batches})
    path = journal(folder)
    torn = tear(path.read_bytes())
    path.write_bytes(torn)

    with open_store(folder, writable=False) as viewer:
        assert viewer.ballots(1) == survivors
    assert path.read_bytes() == torn  # a read-only open changes nothing

    with open_store(folder) as store:
        assert store.ballots(1) == survivors
        assert check_journal_is_valid(path) == survivors
        store.append_ballots(1, [ballot("P09", "I1")])
    assert check_journal_is_valid(path) == [*survivors, ballot("P09", "I1")]


def test_every_possible_cut_keeps_exactly_the_whole_batches_before_it(folder: Path) -> None:
    batches = [ONE, BATCH, TWO, BATCH[:2]]
    make_session(folder, {1: batches})
    path = journal(folder)
    full = path.read_bytes()
    ends, total = [], 0
    for batch in batches:  # byte offset where each batch ends
        total += sum(len(line) + 1 for line in full[total:].split(b"\n")[: len(batch)])
        ends.append(total)
    assert ends[-1] == len(full)
    for cut in range(len(full) + 1):
        path.write_bytes(full[:cut])
        expected = [
            b for batch, end in zip(batches, ends, strict=True) if end <= cut for b in batch
        ]
        with open_store(folder, writable=False) as viewer:
            assert viewer.ballots(1) == expected, cut
        if cut % 17 == 0 or cut in ends:
            with open_store(folder) as store:
                assert store.ballots(1) == expected, cut
            assert path.stat().st_size == max([0, *[e for e in ends if e <= cut]])


def make_line(seq: int, first: int, end: int, payload: dict[str, Any]) -> bytes:
    """A well-formed journal line, written independently of the store's encoder."""
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    crc = zlib.crc32(body, zlib.crc32(f"{seq},{first},{end},".encode()))
    return b'{"seq":%d,"first":%d,"end":%d,"crc":%d,"ballot":%s}\n' % (seq, first, end, crc, body)


def corrupt_line(data: bytes, line_no: int) -> bytes:
    lines = data.split(b"\n")
    target = bytearray(lines[line_no - 1])
    target[target.index(b"P0")] = ord("X")  # same length, valid JSON, wrong checksum
    lines[line_no - 1] = bytes(target)
    return b"\n".join(lines)


@pytest.mark.parametrize(
    ("batches", "damage", "line_no"),
    [
        pytest.param([ONE, TWO, ONE, TWO], lambda d: corrupt_line(d, 2), 2, id="flipped-byte"),
        pytest.param([ONE, BATCH, TWO], lambda d: corrupt_line(d, 3), 3, id="inside-old-batch"),
        pytest.param(
            [ONE, TWO, ONE],
            lambda d: b"\n".join(d.split(b"\n")[:1] + d.split(b"\n")[2:]),
            2,
            id="deleted-line",
        ),
        pytest.param([ONE, TWO], lambda d: d + b"garbage\nmore garbage\n", 3, id="two-junk-lines"),
        pytest.param(
            [ONE, BATCH], lambda d: drop_last_line(d) + b"junk\njunk\n", 4, id="junk-past-batch"
        ),
        pytest.param(
            [BATCH, BATCH[:2]],
            lambda d: corrupt_line(corrupt_line(corrupt_line(d, 1), 2), 3),
            1,
            id="whole-old-batch-damaged",
        ),
        pytest.param(
            [ONE], lambda d: d + make_line(2, 1, 2, TWO[0]), 2, id="line-claims-older-batch"
        ),
        pytest.param(
            [BATCH, ONE], lambda d: b"\x00" * 40 + d[d.index(b"\n") + 1 :], 1, id="zeroed-start"
        ),
    ],
)
def test_damage_before_the_tail_is_refused_with_the_line_number(
    folder: Path, batches: list[list[dict[str, Any]]], damage: Any, line_no: int
) -> None:
    make_session(folder, {1: batches})
    path = journal(folder)
    damaged = damage(path.read_bytes())
    path.write_bytes(damaged)

    # Opening checks the last batch only (its cost must not grow with the session);
    # damage further up is found when the round is read, as every results view does.
    with pytest.raises(SessionError) as caught, open_store(folder) as store:
        store.ballots(1)
    assert str(caught.value) == (
        f"Session “{SESSION_NAME}” can no longer take votes: line {line_no} of “{path}” is "
        "damaged. Results can still be read; 'hsvalidate doctor --session "
        f'"{SESSION_NAME}" --salvage\' makes a repaired copy with every readable ballot.'
    )
    with open_store(folder, writable=False) as viewer:
        # Reading shows every intact ballot and says which lines it left out.
        intact = viewer.ballots(1)
        assert viewer.skipped[1], "the damage is reported, never silently dropped"
        assert min(viewer.skipped[1]) <= line_no
    assert all(isinstance(b, dict) for b in intact)
    assert path.read_bytes() == damaged
    assert read_lock_holder(folder) is None  # the refused open left no trace


def test_a_new_journal_file_is_made_durable_in_its_folder(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_session(folder, {})
    synced: list[Path] = []
    real = fileio.fsync_dir

    def spy(path: Path) -> None:
        synced.append(Path(path))
        real(path)

    monkeypatch.setattr(fileio, "fsync_dir", spy)
    with open_store(folder) as store:
        synced.clear()
        store.append_ballots(2, ONE)  # creates round-02.jsonl: its name must survive a power cut
        assert synced == [folder / "ballots"]
        store.append_ballots(2, TWO)  # appending to an existing file needs no folder sync
        assert synced == [folder / "ballots"]


# ---- full disk


def test_full_disk_during_append_leaves_no_partial_line(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_session(folder, {1: [ONE, BATCH]})
    path = journal(folder)
    before = path.read_bytes()
    real_write = os.write

    def half_then_full(fd: int, data: bytes) -> int:
        real_write(fd, bytes(data[: len(data) // 2]))
        raise OSError(errno.ENOSPC, "No space left on device")

    with open_store(folder) as store:
        with monkeypatch.context() as patch:
            patch.setattr(os, "write", half_then_full)
            with pytest.raises(StorageError, match="disk is full"):
                store.append_ballots(1, [ballot("P10", "I1"), ballot("P11", "I1")])
        assert path.read_bytes() == before
        assert store.ballots(1) == ONE + BATCH
        store.append_ballots(1, TWO)
    assert check_journal_is_valid(path) == ONE + BATCH + TWO


def test_full_disk_at_fsync_is_undone_too(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_session(folder, {1: [ONE]})
    path = journal(folder)
    before = path.read_bytes()
    real_fsync = os.fsync
    calls = []

    def full_once(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 1:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    with open_store(folder) as store:
        with monkeypatch.context() as patch:
            patch.setattr(os, "fsync", full_once)
            with pytest.raises(StorageError, match="disk is full"):
                store.append_ballots(1, TWO)
        assert path.read_bytes() == before
        assert store.ballots(1) == ONE


def test_failed_cleanup_after_a_failed_append_is_finished_by_the_next_append(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_session(folder, {1: [ONE]})
    path = journal(folder)
    real_write = os.write

    def half_then_full(fd: int, data: bytes) -> int:
        real_write(fd, bytes(data[: len(data) // 2]))
        raise OSError(errno.ENOSPC, "No space left on device")

    def no_truncate(fd: int, size: int) -> None:
        raise OSError(errno.EIO, "I/O error")

    with open_store(folder) as store:
        with monkeypatch.context() as patch:
            patch.setattr(os, "write", half_then_full)
            patch.setattr(os, "ftruncate", no_truncate)
            with pytest.raises(StorageError):
                store.append_ballots(1, BATCH)
        assert not path.read_bytes().endswith(b"\n")  # the torn bytes are still there...
        store.append_ballots(1, TWO)
    assert check_journal_is_valid(path) == ONE + TWO  # ...until the next append cut them


def test_full_disk_while_saving_tables_keeps_the_old_file_and_memory(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_session(folder, {})
    with open_store(folder) as store:
        store.insert("rounds", {"number": 1, "status": "open"})
        before = (folder / "session.json").read_bytes()

        def full(fd: int) -> None:
            raise OSError(errno.ENOSPC, "No space left on device")

        with monkeypatch.context() as patch:
            patch.setattr(os, "fsync", full)
            with pytest.raises(StorageError, match="disk is full"):
                store.insert("participants", {"code": "P02"})
            with pytest.raises(StorageError):
                store.update("rounds", 1, {"status": "closed"})
            with pytest.raises(StorageError):
                store.update_meta({"title": "new"})
        assert (folder / "session.json").read_bytes() == before
        assert not [p for p in folder.iterdir() if p.name.startswith(fileio.TEMP_PREFIX)]
        assert [p["code"] for p in store.all("participants")] == ["P01"]
        assert store.all("rounds") == [{"number": 1, "status": "open", "_id": 1}]
        assert "title" not in store.meta()
        store.insert("participants", {"code": "P03"})
    with open_store(folder, writable=False) as again:
        assert [p["code"] for p in again.all("participants")] == ["P01", "P03"]
        assert again.all("rounds")[0]["status"] == "open"


def test_a_tables_only_open_leaves_the_journals_alone(folder: Path) -> None:
    """Logging an export takes the lock for the tables alone: no journal checked or written."""
    make_session(folder, {1: [[ballot("P01", "I1")]]})
    with journal(folder).open("ab") as handle:
        handle.write(b'{"seq":2,"first":2,"end":2,"crc":1,"ballot":{"torn')  # a torn tail
    torn = journal(folder).read_bytes()
    with open_store(folder, purpose="hsvalidate export", tables_only=True) as store:
        store.insert("log", {"action": "export"})
        assert store.ballot_rounds() == [1]
        with pytest.raises(ValueError):
            store.append_ballots(1, [ballot("P01", "I2")])
    assert journal(folder).read_bytes() == torn  # repaired by the next full open, not this one
    with open_store(folder) as store:
        assert store.ballots(1) == [ballot("P01", "I1")]
        assert store.all("log")[0]["action"] == "export"


def test_a_writer_waits_a_moment_for_a_lock_about_to_be_released(folder: Path) -> None:
    import threading

    make_session(folder, {})
    child = spawn("hold", folder)
    told: list[LockHolder | None] = []
    # Longer than the quiet wait: a holder that takes this long is named to the user.
    threading.Timer(1.5, lambda: child.stdin.close()).start()  # type: ignore[union-attr]
    with open_store(folder, purpose="hsvalidate round close", wait=10, on_wait=told.append) as s:
        assert [p["code"] for p in s.all("participants")][-1] == "P99"  # the holder's write
    assert len(told) == 1 and told[0] is not None and told[0].pid == child.pid
    assert told[0].purpose == "hsvalidate ballot"
    child.wait(timeout=30)


def test_a_refusal_after_waiting_names_the_holder(folder: Path) -> None:
    make_session(folder, {})
    child = spawn("hold", folder)
    try:
        with pytest.raises(SessionLockedError) as caught:
            open_store(folder, purpose="hsvalidate ballots import", wait=0.3)
        assert str(child.pid) in str(caught.value) and "hsvalidate ballot" in str(caught.value)
    finally:
        child.stdin.close()  # type: ignore[union-attr]
        child.wait(timeout=30)


def test_a_torn_tail_is_cut_off_loudly_and_kept(folder: Path) -> None:
    """An interrupted import's lines are removed, counted, dated, and kept byte for byte."""
    make_session(folder, {1: [[ballot("P01", "I1", recorded_at="2026-11-27T10:40:00+01:00")]]})
    with open_store(folder) as store:
        store.append_ballots(
            1,
            [
                ballot("P01", f"I{k}", recorded_at=f"2026-11-27T10:4{k}:00+01:00")
                for k in range(2, 6)
            ],
        )
    data = journal(folder).read_bytes()
    cut = data[: data.rstrip(b"\n").rfind(b"\n") + 1]  # the batch's last line never arrived
    journal(folder).write_bytes(cut)
    tail = cut[len(data.split(b"\n")[0]) + 1 :]
    with open_store(folder) as store:
        assert [b["indicator"] for b in store.ballots(1)] == ["I1"]
        [repair] = store.repairs
    assert (repair.round, repair.ballots) == (1, 3)
    assert (repair.first, repair.last) == ("2026-11-27T10:42:00+01:00", "2026-11-27T10:44:00+01:00")
    assert repair.quarantine.read_bytes() == tail
    assert repair.quarantine.parent == folder / "quarantine"
    with open_store(folder) as store:
        assert store.repairs == []  # told once


def test_the_facilitator_is_told_what_a_repair_removed(
    sessions_dir: Path, framework_file: Path
) -> None:
    from click.testing import CliRunner

    from hsvalidate.cli import cli
    from hsvalidate.workshop import Workshop

    run = CliRunner().invoke
    run(cli, ["session", "new", "Atelier", "--framework", str(framework_file), "--lang", "fr"])
    with Workshop.open(root=sessions_dir, name="Atelier") as ws:
        ws.add_participant(name="Awa Kɔnɛ")
        ws.start_round()
        for code in ("D1.O1.I1", "D1.O1.I2"):
            ws.record_ballot(participant="P01", indicator=code, ratings={"relevance": 8})
    path = sessions_dir / "Atelier" / "ballots" / "round-01.jsonl"
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 30])  # the last ballot torn mid-line
    result = run(cli, ["session", "details", "--lieu", "Mopti", "--lang", "fr"])
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert "1 ligne illisible, écrite après le" in said and "quarantine" in said


def test_a_zeroed_last_block_is_reported_not_silently_dropped(folder: Path) -> None:
    make_session(folder, {1: [[ballot("P01", f"I{k}")] for k in range(40)]})
    data = journal(folder).read_bytes()
    journal(folder).write_bytes(data[:-4096] + b"\0" * 4096)
    with open_store(folder) as store:
        [repair] = store.repairs
        kept = len(store.ballots(1))
    assert kept < 40 and repair.damaged >= 1 and repair.ballots == 0
    assert repair.quarantine.read_bytes().count(b"\0") == 4096
