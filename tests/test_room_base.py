"""The room's foundation: personal tokens, and the guards every page shares."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from hsvalidate.errors import BallotError
from hsvalidate.framework import Framework
from hsvalidate.model import Settings
from hsvalidate.room import tokens
from hsvalidate.room.app import MAX_BODY, Room, create_app
from hsvalidate.workshop import Workshop

PEOPLE = [
    ("Awa Kɔnɛ", "WANEP-Mali", "société civile", "F"),
    ("Ŋolo Traoré", "CEDEAO", "régional", "M"),
    ("Sɛkuba Kanté", "MINUSMA", "international", "M"),
]


@pytest.fixture
def session(sessions_dir: Path, small_framework: Framework) -> str:
    with Workshop.create(
        root=sessions_dir, name="Salle", framework=small_framework, settings=Settings()
    ) as ws:
        ws.add_participants(PEOPLE)
        ws.start_round()
    return "Salle"


@pytest.fixture
def room(sessions_dir: Path, session: str) -> Iterator[Room]:
    room = Room(sessions_dir, session, pin="4321")
    yield room
    room.close()


def test_a_token_is_read_as_people_copy_it() -> None:
    token = tokens.new_token()
    assert len(token) == tokens.LENGTH and set(token) <= set(tokens.ALPHABET)
    typed = tokens.grouped(token).lower()  # K7Q4-MX2P-9DHE typed in lower case
    assert tokens.normalise(typed) == token
    assert tokens.normalise("o1l0-I2AB-CDEF") == "0110" + "12AB" + "CDEF"
    assert tokens.normalise("short") == "" and tokens.normalise("ÀÀÀÀ-ÀÀÀÀ-ÀÀÀÀ") == ""


def test_tokens_are_given_kept_reissued_and_revoked(sessions_dir: Path, session: str) -> None:
    with Workshop.open(root=sessions_dir, name=session) as ws:
        given = ws.issue_tokens()
        assert sorted(given) == ["P01", "P02", "P03"]
        assert ws.issue_tokens() == {}  # kept: printing the slips again gives the same codes
        assert ws.room_tokens() == given
        person = ws.token_participant(tokens.grouped(given["P02"]).lower())
        assert person is not None and person.code == "P02"
        new = ws.reissue_token("P02")  # a lost slip
        assert ws.token_participant(given["P02"]) is None
        assert ws.token_participant(new).code == "P02"  # type: ignore[union-attr]
        ws.revoke_token("p02")
        assert ws.token_participant(new) is None and "P02" not in ws.room_tokens()
        with pytest.raises(BallotError, match="P02"):
            ws.revoke_token("P02")
        ws.withdraw_participant("P03")  # left the workshop: their slip no longer votes
        assert ws.token_participant(given["P03"]) is None
        assert ws.token_participant("not a token") is None


def test_every_page_is_sent_with_the_guards(room: Room) -> None:
    client = create_app(room).test_client()
    page = client.get("/v/AAAAAAAAAAAA")
    assert page.status_code == 403
    csp = page.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert page.headers["Cache-Control"] == "no-store"


def test_an_oversized_request_is_refused(room: Room) -> None:
    client = create_app(room).test_client()
    answer = client.post("/v/AAAAAAAAAAAA", data={"comment": "x" * (MAX_BODY + 1)})
    assert answer.status_code == 413


def test_a_flood_from_one_address_is_slowed_down(room: Room) -> None:
    client = create_app(room).test_client()
    codes = [client.get("/v/AAAAAAAAAAAA").status_code for _ in range(60)]
    assert 429 in codes and codes[0] == 403
    other = client.get("/v/AAAAAAAAAAAA", environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert other.status_code == 403  # another phone is not slowed by the first


def test_the_projector_answers_the_laptop_or_the_pin_only(room: Room) -> None:
    client = create_app(room).test_client()
    assert client.get("/projector").status_code == 200  # the test client is the laptop
    phone = {"REMOTE_ADDR": "192.168.137.23"}
    refused = client.get("/projector", environ_base=phone)  # sent to the PIN's page
    assert refused.status_code == 303 and refused.headers["Location"].endswith("/projector/login")
    assert room.pin_ok("4321") and not room.pin_ok("1234") and not Room.pin_ok(room, "")
