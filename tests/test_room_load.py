"""Phones voting at once through the real room (waitress in a subprocess), on loopback.

The full load (100 phones × 33 indicators, latency percentiles) is
``benchmarks/room_load.py``; this is the same harness, bounded so that it runs in CI.
"""

from __future__ import annotations

import http.client
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

from room_load import HOST, RoomServer, check_stored, make_session, run_phones, stored_ballots

from hsvalidate.framework import Framework

pytestmark = pytest.mark.slow

PHONES, INDICATORS = 30, 5


def _get(server: RoomServer, path: str) -> int:
    conn = http.client.HTTPConnection(HOST, server.port, timeout=10)
    conn.request("GET", path)
    status = conn.getresponse().status
    conn.close()
    return status


def test_the_room_opens_on_loopback_answers_and_stops_on_ctrl_c(
    tmp_path: Path, small_framework: Framework
) -> None:
    root = tmp_path / "séances du jour"
    tokens = make_session(root, "Salle ɛ", phones=3, framework=small_framework)
    with RoomServer(root, "Salle ɛ") as server:
        assert _get(server, f"/v/{tokens['P01']}") == 200, server.output()
        assert _get(server, "/v/" + "A" * 12) == 403  # a forged slip
        assert _get(server, "/projector") == 200  # the laptop itself
        assert "127.0.0.1" in server.output()  # the address it printed is the one asked for
        assert server.stop() == 0, server.output()  # Ctrl-C: a clean stop, not a crash


def test_thirty_phones_vote_at_once_and_every_acknowledged_ballot_is_stored_once(
    tmp_path: Path, small_framework: Framework
) -> None:
    root = tmp_path / "séances du jour"
    tokens = make_session(root, "Salle ɛ", phones=PHONES, framework=small_framework)
    with RoomServer(root, "Salle ɛ") as server:
        load = run_phones(server, tokens, timeout=60)
        assert server.stop() == 0, server.output()
    assert load.errors == [], load.errors[:5]
    assert load.wall < 60
    assert load.finished == PHONES
    assert len(load.acks) == PHONES * INDICATORS  # every phone rated every indicator
    stored = stored_ballots(root, "Salle ɛ")
    assert check_stored(load.acks, stored) == []
    assert len(stored) == len(load.acks)  # nothing stored that was not acknowledged
    assert any(r is None for a in load.acks for r in a.ratings.values())  # "cannot judge" too


def test_paper_entry_writes_the_same_session_while_phones_vote(
    tmp_path: Path, small_framework: Framework
) -> None:
    """The secretariat types paper ballots at the laptop while the room takes phones' ballots."""
    import threading

    from hsvalidate.workshop import Workshop

    root = tmp_path / "séances du jour"
    every = make_session(root, "Salle ɛ", phones=15, framework=small_framework)
    phones = dict(sorted(every.items())[:10])
    on_paper = sorted(every)[10:]  # five participants without a phone
    paper: list[tuple[str, str]] = []
    errors: list[str] = []

    def secretariat() -> None:
        try:
            with Workshop.open(root=root, name="Salle ɛ", purpose="paper entry") as ws:
                codes = ws.open_round().indicators  # type: ignore[union-attr]
                for person in on_paper:
                    for code in codes:
                        ratings: dict[str, int | None] = {
                            "relevance": 8,
                            "feasibility": None,
                            "clarity": 6,
                        }
                        ws.record_ballot(
                            participant=person, indicator=code, ratings=ratings, source="paper"
                        )
                        paper.append((person, code))
        except Exception as error:  # shown by the assertion below
            errors.append(repr(error))

    with RoomServer(root, "Salle ɛ") as server:
        clerk = threading.Thread(target=secretariat)
        clerk.start()
        load = run_phones(server, phones, timeout=60)
        clerk.join(60)
        assert server.stop() == 0, server.output()
    assert errors == [] and load.errors == [], (errors, load.errors[:5])
    stored = stored_ballots(root, "Salle ɛ")
    assert check_stored(load.acks, stored) == []
    assert len(load.acks) == 10 * INDICATORS and len(paper) == 5 * INDICATORS
    by_channel = {(d["participant"], d["indicator"]): d["source"] for d in stored}
    assert len(stored) == len(by_channel) == 15 * INDICATORS  # each ballot once
    assert {by_channel[key] for key in paper} == {"paper"}
