"""The room killed (SIGKILL) while phones are voting, then restarted: no acknowledged ballot lost.

A phone's ballot is acknowledged (200, ``{"ok": true}``) only after its durable commit, so
a server that disappears mid-load, as a laptop losing power, must have every acknowledged
ballot on disk, once; and the room started again must take the rest of the round.
"""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

from room_load import Load, RoomServer, check_stored, make_session, run_phones, stored_ballots

pytestmark = pytest.mark.slow

PHONES, INDICATORS = 20, 15


def test_a_killed_room_loses_no_acknowledged_ballot_and_resumes(tmp_path: Path) -> None:
    root = tmp_path / "séances du jour"
    tokens = make_session(root, "Salle ɛ", phones=PHONES, indicators=INDICATORS)
    total = PHONES * INDICATORS
    server = RoomServer(root, "Salle ɛ")
    server.start()
    loads: list[Load] = []
    before_kill: list[int] = []
    over = threading.Event()

    def killer() -> None:
        """SIGKILL once about a third of the round is acknowledged, then start it again."""
        deadline = time.monotonic() + 60
        while not loads or len(loads[0].acks) < total // 3:
            if over.is_set() or time.monotonic() > deadline:
                return  # the load ended first: the assertions below say so
            time.sleep(0.002)
        server.kill()
        before_kill.append(len(loads[0].acks))
        time.sleep(0.5)  # phones find the room gone
        server.start()

    try:
        thread = threading.Thread(target=killer, daemon=True)
        thread.start()
        load = run_phones(server, tokens, timeout=90, seed=7, on_start=loads.append)
        over.set()
        thread.join(30)
        assert server.stop() == 0, server.output()
    finally:
        server.kill()
    assert before_kill, (load.errors[:5], len(load.acks))  # the load reached the kill
    assert server.starts == 2, server.output()
    assert 0 < before_kill[0] < total, before_kill  # the kill fell in the middle of the load
    assert load.lost_connections > 0  # the phones did see the room go
    assert load.errors == [], load.errors[:5]
    stored = stored_ballots(root, "Salle ɛ")
    assert check_stored(load.acks[: before_kill[0]], stored) == []  # none lost, none doubled
    assert check_stored(load.acks, stored) == []
    # The restarted room took the rest: every phone finished the round.
    assert load.finished == PHONES
    assert {(d["participant"], d["indicator"]) for d in stored} == {
        (code, ind) for code in tokens for ind in {a.indicator for a in load.acks}
    }
    assert len({a.indicator for a in load.acks}) == INDICATORS
