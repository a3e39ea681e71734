"""The projector: live count, the facilitator's keys, the reveal, the summary and who may press them."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from hsvalidate import consensus, tally
from hsvalidate.framework import Framework
from hsvalidate.i18n import t
from hsvalidate.model import Settings
from hsvalidate.room.app import Room, create_app
from hsvalidate.room.projector import ADDRESSES_KEY, MAX_FAILURES, chart, number
from hsvalidate.room.qr import qr_svg
from hsvalidate.workshop import Workshop

PEOPLE = [
    ("Awa Kɔnɛ", "WANEP-Mali", "société civile", "F"),
    ("Ŋolo Traoré", "CEDEAO", "régional", "M"),
    ("Sɛkuba Kanté", "MINUSMA", "international", "M"),
    ("Ɲɛlɛ Diarra", "AMSS", "société civile", "F"),
]
PHONE = {"REMOTE_ADDR": "192.168.137.23"}
FIRST = "D1.O1.I1"


@pytest.fixture
def session(sessions_dir: Path, small_framework: Framework) -> str:
    with Workshop.create(
        root=sessions_dir, name="Salle", framework=small_framework, settings=Settings(lang="en")
    ) as ws:
        ws.add_participants(PEOPLE)
        ws.start_round()
    return "Salle"


def _room(sessions_dir: Path, session: str, pin: str) -> Iterator[Room]:
    room = Room(sessions_dir, session, pin=pin)
    yield room
    room.close()


@pytest.fixture
def room(sessions_dir: Path, session: str) -> Iterator[Room]:
    yield from _room(sessions_dir, session, "4321")


@pytest.fixture
def client(room: Room) -> FlaskClient:
    return create_app(room).test_client()


def vote(room: Room, who: str, indicator: str, ratings: dict[str, int | None]) -> None:
    with room.workshop() as ws:
        ws.record_ballot(participant=who, indicator=indicator, ratings=ratings, source="terminal")


def csrf(page: str) -> str:
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', page)
    assert found is not None, "every control carries a CSRF token"
    return found.group(1)


def press(client: FlaskClient, key: str, **extra: Any) -> Any:
    token = csrf(client.get("/projector").get_data(as_text=True))
    return client.post(f"/projector/{key}", data={"csrf": token}, **extra)


def state(client: FlaskClient) -> dict[str, Any]:
    answer = client.get("/projector/state")
    assert answer.status_code == 200
    data: dict[str, Any] = answer.get_json()
    return data


def text_of(page: str, element_id: str) -> str:
    found = re.search(rf'<(\w+)[^>]*id="{element_id}"[^>]*>(.*?)</\1>', page, re.S)
    assert found is not None, element_id
    return " ".join(re.sub(r"<[^>]+>", "", found.group(2)).split())


def test_the_screen_shows_the_address_its_qr_code_and_the_current_indicator(
    client: FlaskClient,
) -> None:
    client.application.extensions[ADDRESSES_KEY] = [
        "http://127.0.0.1:8000/",
        "http://192.168.137.1:8000/",
    ]
    page = client.get("/projector").get_data(as_text=True)
    assert text_of(page, "room-address") == "http://192.168.137.1:8000/"  # what a phone reaches
    assert qr_svg("http://192.168.137.1:8000/", title="http://192.168.137.1:8000/") in page
    assert FIRST in page and "Incidents reported" in page
    assert text_of(page, "received") == "0 / 4"
    assert 'id="reveal"' in page and 'id="chart"' not in page and 'id="verdict"' not in page
    assert '<meta http-equiv="refresh" content="5">' in page  # without JavaScript
    assert "projector.js" in page and "<script>" not in page  # no inline script (CSP)
    assert "style=" not in page


def test_the_count_rises_as_ballots_arrive_from_the_room_and_from_another_window(
    sessions_dir: Path, room: Room, client: FlaskClient
) -> None:
    assert (state(client)["received"], state(client)["present"]) == (0, 4)
    vote(room, "P01", FIRST, {"relevance": 8, "feasibility": 7, "clarity": 9})
    assert state(client)["received"] == 1
    vote(room, "P01", FIRST, {"relevance": 9, "feasibility": 7, "clarity": 9})  # changed, not 2
    vote(room, "P02", "D1.O1.I2", {"relevance": 8, "feasibility": 7, "clarity": 9})  # another one
    assert state(client)["received"] == 1
    # The kiosk: another window writing the same session while the room is open.
    kiosk = Workshop.open(root=sessions_dir, name="Salle", wait=5)
    try:
        kiosk.record_ballot(
            participant="P03", indicator=FIRST, ratings={"relevance": 7}, source="terminal"
        )
    finally:
        kiosk.close()
    assert state(client)["received"] == 2
    assert text_of(client.get("/projector").get_data(as_text=True), "received") == "2 / 4"


def test_next_and_previous_walk_the_round_and_stop_at_its_ends(client: FlaskClient) -> None:
    assert state(client)["index"] == 1 and state(client)["total"] == 5
    assert press(client, "prev").status_code == 303  # already first: stays
    assert state(client)["index"] == 1
    answer = press(client, "next")
    assert answer.status_code == 303 and answer.headers["Location"].endswith("/projector")
    assert (state(client)["index"], state(client)["indicator"]) == (2, "D1.O1.I2")
    for _ in range(6):
        press(client, "next")
    assert (state(client)["index"], state(client)["indicator"]) == (5, "D2.O1.I2")
    press(client, "prev")
    assert state(client)["indicator"] == "D2.O1.I1"


def test_the_reveal_shows_the_figures_of_hsvalidate_results(
    room: Room, client: FlaskClient
) -> None:
    vote(room, "P01", FIRST, {"relevance": 8, "feasibility": 7, "clarity": 9})
    vote(room, "P02", FIRST, {"relevance": 9, "feasibility": 8, "clarity": 8})
    vote(room, "P03", FIRST, {"relevance": 7, "feasibility": 8, "clarity": 8})
    vote(room, "P04", FIRST, {"relevance": None, "feasibility": 2, "clarity": 8})
    assert state(client)["verdict"] is None and state(client)["counts"] is None
    press(client, "reveal")
    shown = state(client)
    with room.workshop() as ws:
        snap = ws.snapshot()
    rows = [r for r in tally.results(snap, 1, by_group=False) if r.indicator == FIRST]
    relevance = next(r for r in rows if r.criterion == "relevance")
    verdict = consensus.combine_verdicts([r.verdict for r in rows])
    assert shown["revealed"] is True and shown["median"] == relevance.stats.median == 8
    assert shown["counts"] == {
        "1": 0,
        "2": 0,
        "3": 0,
        "4": 0,
        "5": 0,
        "6": 0,
        "7": 1,
        "8": 1,
        "9": 1,
    }
    assert verdict == "keep" and shown["verdict"] == t("verdict.keep", lang="en")
    page = client.get("/projector").get_data(as_text=True)
    assert 'id="chart"' in page and "median 8" in page
    assert text_of(page, "verdict").endswith(shown["verdict"])
    assert f"verdict-{verdict.replace(' ', '-')}" in page  # the colour, beside words and a sign
    assert '1 "cannot judge"' in html.unescape(
        page
    )  # P04 could not judge relevance: not in the bars
    assert 'id="hide"' in page and 'id="reveal"' not in page
    press(client, "hide")
    assert 'id="chart"' not in client.get("/projector").get_data(as_text=True)
    press(client, "reveal")
    press(client, "next")  # a new indicator starts hidden
    assert state(client)["revealed"] is False


def test_cards_counted_in_plenary_are_in_the_chart(room: Room, client: FlaskClient) -> None:
    vote(room, "P01", FIRST, {"relevance": 8, "feasibility": 7, "clarity": 9})
    with room.workshop() as ws:
        ws.record_count(indicator=FIRST, criterion="relevance", counts={2: 1, 9: 1})
    press(client, "reveal")
    shown = state(client)
    assert (shown["counts"]["2"], shown["counts"]["8"], shown["counts"]["9"]) == (1, 1, 1)
    assert shown["median"] == 8


def test_the_criterion_key_charts_the_next_criterion(room: Room, client: FlaskClient) -> None:
    vote(room, "P01", FIRST, {"relevance": 8, "feasibility": 3, "clarity": 9})
    press(client, "reveal")
    assert state(client)["median"] == 8
    press(client, "criterion")
    assert state(client)["median"] == 3 and state(client)["revealed"] is True
    page = client.get("/projector").get_data(as_text=True)
    assert "Feasibility" in text_of(page, "criterion")


def test_the_screen_speaks_french_with_accents(room: Room, client: FlaskClient) -> None:
    vote(room, "P01", FIRST, {"relevance": 7, "feasibility": 7, "clarity": 9})
    vote(room, "P02", FIRST, {"relevance": 6, "feasibility": 7, "clarity": 9})
    press(client, "reveal")
    page = html.unescape(client.get("/projector?lang=fr").get_data(as_text=True))
    assert "Nombre d'incidents signalés" in page and "Révéler" not in page and "Masquer" in page
    assert "médiane 6,5" in page
    assert number(6.5, "en") == "6.5" and number(7.0, "fr") == "7" and number(None, "fr") == "–"


def test_the_chart_marks_a_median_between_two_scores() -> None:
    drawn = chart({"6": 1, "7": 1}, 1, 9, 6.5)
    six, seven = drawn["bars"][5], drawn["bars"][6]
    assert six.x + six.width < drawn["median_x"] < seven.x
    assert six.height == seven.height > 0 and drawn["bars"][0].height == 0
    assert [b.band for b in drawn["bars"]][::3] == ["low", "mid", "high"]
    assert chart({}, 1, 5, None)["median_x"] is None


def test_the_summary_gives_each_indicator_its_verdict(room: Room, client: FlaskClient) -> None:
    for who in ("P01", "P02", "P03", "P04"):
        vote(room, who, FIRST, {"relevance": 8, "feasibility": 8, "clarity": 8})
        vote(room, who, "D1.O1.I2", {"relevance": 2, "feasibility": 1, "clarity": 2})
    page = client.get("/projector/summary").get_data(as_text=True)
    with room.workshop() as ws:
        verdicts = tally.indicator_verdicts(ws.snapshot(), 1)
    assert verdicts[FIRST] == "keep" and verdicts["D1.O1.I2"] == "drop"
    rows = re.findall(r'<li class="summary-row verdict-([a-z-]+)">(.*?)</li>', page, re.S)
    assert len(rows) == 5
    assert rows[0][0] == "keep" and "✓" in rows[0][1] and t("verdict.keep", lang="en") in rows[0][1]
    assert rows[1][0] == "drop" and "✗" in rows[1][1] and t("verdict.drop", lang="en") in rows[1][1]
    assert "Summary of round 1" in page
    french = client.get("/projector/summary?lang=fr").get_data(as_text=True)
    assert "retenu" in french and "écarté" in french and "Synthèse du tour 1" in french


def test_a_phone_without_the_pin_is_sent_to_the_login_page(client: FlaskClient) -> None:
    for path in ("/projector", "/projector/summary"):
        answer = client.get(path, environ_base=PHONE)
        assert answer.status_code == 303 and answer.headers["Location"].endswith("/projector/login")
    assert client.get("/projector/state", environ_base=PHONE).status_code == 403
    token = csrf(client.get("/projector").get_data(as_text=True))  # even with a stolen token
    assert (
        client.post("/projector/next", data={"csrf": token}, environ_base=PHONE).status_code == 403
    )
    assert state(client)["index"] == 1


def test_the_pin_lets_a_tablet_in_and_a_wrong_pin_does_not(client: FlaskClient) -> None:
    login = client.get("/projector/login", environ_base=PHONE).get_data(as_text=True)
    token = csrf(login)
    wrong = client.post("/projector/login", data={"csrf": token, "pin": "1234"}, environ_base=PHONE)
    assert wrong.status_code == 403 and "not the right one" in wrong.get_data(as_text=True)
    assert client.get("/projector/state", environ_base=PHONE).status_code == 403
    right = client.post(
        "/projector/login", data={"csrf": token, "pin": " 4321 "}, environ_base=PHONE
    )
    assert right.status_code == 303
    cookie = right.headers["Set-Cookie"]
    assert "hsv_facilitator=" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert client.get("/projector/state", environ_base=PHONE).status_code == 200
    page = client.get("/projector", environ_base=PHONE).get_data(as_text=True)
    answer = client.post("/projector/next", data={"csrf": csrf(page)}, environ_base=PHONE)
    assert answer.status_code == 303 and state(client)["index"] == 2


def test_guessing_the_pin_is_stopped_after_a_few_tries(client: FlaskClient) -> None:
    token = csrf(client.get("/projector/login", environ_base=PHONE).get_data(as_text=True))
    for guess in range(MAX_FAILURES):
        answer = client.post(
            "/projector/login", data={"csrf": token, "pin": f"{guess:04d}"}, environ_base=PHONE
        )
        assert answer.status_code == 403
    right = client.post("/projector/login", data={"csrf": token, "pin": "4321"}, environ_base=PHONE)
    assert right.status_code == 429 and "wait five minutes" in right.get_data(as_text=True)
    other = {"REMOTE_ADDR": "192.168.137.40"}  # the facilitator's tablet is not punished
    token = csrf(client.get("/projector/login", environ_base=other).get_data(as_text=True))
    ok = client.post("/projector/login", data={"csrf": token, "pin": "4321"}, environ_base=other)
    assert ok.status_code == 303


def test_without_a_pin_remote_control_is_impossible_and_the_page_says_so(
    sessions_dir: Path, session: str
) -> None:
    for room in _room(sessions_dir, session, ""):
        client = create_app(room).test_client()
        page = client.get("/projector/login", environ_base=PHONE).get_data(as_text=True)
        assert 'id="no-pin"' in page and "--pin" in page and 'name="pin"' not in page
        answer = client.post(
            "/projector/login",
            data={"csrf": room.sign("projector-login"), "pin": ""},
            environ_base=PHONE,
        )
        assert answer.status_code == 403 and "Set-Cookie" not in answer.headers
        assert client.get("/projector", environ_base=PHONE).status_code == 303
        assert client.get("/projector").status_code == 200  # the laptop needs no PIN


def test_a_post_without_its_csrf_token_is_refused(client: FlaskClient) -> None:
    for key in ("next", "prev", "reveal", "hide", "criterion"):
        assert client.post(f"/projector/{key}").status_code == 403
        assert client.post(f"/projector/{key}", data={"csrf": "0" * 64}).status_code == 403
    assert (
        client.post("/projector/login", data={"pin": "4321"}, environ_base=PHONE).status_code == 403
    )
    assert state(client)["index"] == 1 and state(client)["revealed"] is False


def test_the_state_follows_a_new_round_and_says_when_none_is_open(
    room: Room, client: FlaskClient
) -> None:
    press(client, "next")
    press(client, "reveal")
    with room.workshop() as ws:
        ws.close_round(confirmed=True)
    closed = state(client)
    assert closed["round"] is None and closed["indicator"] is None and closed["revealed"] is False
    page = client.get("/projector").get_data(as_text=True)
    assert "No round is open" in page and 'id="room-qr"' in page and 'id="summary-link"' in page
    summary = client.get("/projector/summary").get_data(as_text=True)
    assert "Summary of round 1" in summary  # the last round, for the plenary
    assert press_any(client, "next") == 303  # nothing to move: no error
    with room.workshop() as ws:
        ws.start_round(["D1.O1.I2", "D2.O1.I1"])
    opened = state(client)
    assert (opened["round"], opened["index"], opened["total"]) == (2, 1, 2)
    assert opened["indicator"] == "D1.O1.I2" and opened["revealed"] is False


def press_any(client: FlaskClient, key: str) -> int:
    token = client.application.extensions["hsvalidate_room"].sign("facilitator")
    status: int = client.post(f"/projector/{key}", data={"csrf": token}).status_code
    return status


def test_markup_in_an_indicator_is_shown_as_text(
    sessions_dir: Path, small_framework: Framework
) -> None:
    with Workshop.create(
        root=sessions_dir, name="Balises", framework=small_framework, settings=Settings()
    ) as ws:
        ws.add_participants(PEOPLE)
        ws.reword_indicator(FIRST, fields={"text": "<b>gras</b> <script>alert(1)</script> ɛ"})
        ws.start_round()
    for room in _room(sessions_dir, "Balises", ""):
        page = create_app(room).test_client().get("/projector").get_data(as_text=True)
        assert "<b>gras</b>" not in page and "&lt;b&gt;gras&lt;/b&gt;" in page
        assert "<script>alert" not in page and "ɛ" in page


def test_the_rooms_address_lets_a_participant_type_their_slips_code(
    room: Room, client: FlaskClient
) -> None:
    with room.workshop() as ws:
        given = ws.issue_tokens()
    page = client.get("/", environ_base=PHONE)
    assert page.status_code == 200 and 'name="code"' in page.get_data(as_text=True)
    token = given["P02"]
    typed = f"{token[:4]}-{token[4:8]} {token[8:]}".lower()  # as a person copies it
    answer = client.get("/", query_string={"code": typed}, environ_base=PHONE)
    assert answer.status_code == 303 and answer.headers["Location"].endswith(f"/v/{token}")
    short = client.get("/", query_string={"code": "K7Q4"}, environ_base=PHONE)
    assert short.status_code == 400 and "12 letters and digits" in short.get_data(as_text=True)
    wrong = "Z" * 12 if token != "Z" * 12 else "Y" * 12
    unknown = client.get("/", query_string={"code": wrong}, environ_base=PHONE)
    body = unknown.get_data(as_text=True)
    assert unknown.status_code == 403 and "matches no valid slip" in body
    assert all(name not in body for name, *_ in PEOPLE)
    with room.workshop() as ws:
        ws.revoke_token("P02")
    revoked = client.get("/", query_string={"code": token}, environ_base=PHONE)
    assert revoked.status_code == 403
    markup = client.get("/", query_string={"code": "<b>x</b>"}, environ_base=PHONE)
    assert "<b>x</b>" not in markup.get_data(as_text=True)


def test_a_wildcard_address_is_shown_as_the_laptops_own(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    import socket

    laptop = ("laptop", [], ["127.0.1.1", "192.168.137.1"])
    monkeypatch.setattr(socket, "gethostbyname_ex", lambda name: laptop)
    client.application.extensions[ADDRESSES_KEY] = ["http://0.0.0.0:8000/"]
    page = client.get("/projector").get_data(as_text=True)
    assert text_of(page, "room-address") == "http://192.168.137.1:8000/"
