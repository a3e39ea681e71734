"""What a phone on the room's network must not be able to do, each case refused or neutralised.

Forged, revoked and reissued slips; ballots for indicators outside the open round or for
a closed round; scores off the scale; oversized and malformed bodies; facilitator actions
from a participant's address without the PIN; forms without a valid CSRF token; markup and
formulas in comments, which must stay text on the page and in the workbook.  Driven with
Flask's test client (the security is the application's, whatever server runs it).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hsvalidate.framework import Framework
from hsvalidate.model import Settings
from hsvalidate.room.app import MAX_BODY, PIN_COOKIE, Room, create_app
from hsvalidate.room.tokens import grouped
from hsvalidate.workshop import Workshop

PEOPLE = [
    ("Awa Kɔnɛ", "WANEP-Mali", "société civile", "F"),
    ("Ŋolo Traoré", "CEDEAO", "régional", "M"),
    ("Sɛkuba Kanté", "MINUSMA", "international", "M"),
]
PHONE = {"REMOTE_ADDR": "192.168.137.23"}
"""A participant's phone on the laptop's hotspot (not the laptop itself)."""
JSON = {"Accept": "application/json"}
SCORES = {"relevance": "7", "feasibility": "8", "clarity": "nsp"}
PIN = "4321"


@pytest.fixture
def tokens(sessions_dir: Path, small_framework: Framework) -> dict[str, str]:
    with Workshop.create(
        root=sessions_dir, name="Salle", framework=small_framework, settings=Settings()
    ) as ws:
        ws.add_participants(PEOPLE)
        ws.start_round()
        return ws.issue_tokens()


@pytest.fixture
def room(sessions_dir: Path, tokens: dict[str, str]) -> Iterator[Room]:
    room = Room(sessions_dir, "Salle", pin=PIN)
    yield room
    room.close()


@pytest.fixture
def client(room: Room) -> Any:
    return create_app(room).test_client()


def _order(room: Room) -> list[str]:
    with room.workshop() as ws:
        rnd = ws.open_round() or ws.rounds()[-1]
        return list(rnd.indicators)


def _form(
    room: Room, token: str, code: str, /, *, comment: str = "", **changes: str | None
) -> dict[str, str]:
    """A ballot form as the page sends it; ``changes`` replace fields (None removes one)."""
    data = {
        "indicator": code,
        "csrf": room.sign("ballot:" + token),
        **{f"r_{c}": v for c, v in SCORES.items()},
        "comment": comment,
        "save": "",
    }
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def _post(client: Any, token: str, data: Any, **kwargs: Any) -> Any:
    kwargs.setdefault("headers", JSON)
    return client.post(f"/v/{token}/rate", data=data, **kwargs)


def _stored(room: Room) -> list[dict[str, Any]]:
    """Every ballot in the journals, as stored."""
    with room.workshop() as ws:
        return [dict(d) for r in ws.rounds() for d in ws.store.ballots(r.number)]


def _refused(answer: Any, status: int) -> None:
    """Refused with this status, and with one sentence saying why when JSON was asked."""
    assert answer.status_code == status, (answer.status_code, answer.get_data(as_text=True)[:300])
    if answer.is_json:
        body = answer.get_json()
        assert body["ok"] is False and body["error"].strip(), body


def test_a_valid_slip_votes_so_the_refusals_below_mean_something(
    client: Any, room: Room, tokens: dict[str, str]
) -> None:
    first = _order(room)[0]
    answer = _post(client, tokens["P01"], _form(room, tokens["P01"], first), environ_base=PHONE)
    assert answer.status_code == 200 and answer.get_json()["ok"] is True
    assert [(d["participant"], d["indicator"]) for d in _stored(room)] == [("P01", first)]


def test_a_forged_slip_sees_nothing_and_votes_nothing(
    client: Any, room: Room, tokens: dict[str, str]
) -> None:
    real = tokens["P01"]
    near = real[:-1] + ("0" if real[-1] != "0" else "1")  # one character wrong
    for forged in ("AAAAAAAAAAAA", near, "not-a-token", "%3Cscript%3E"):
        assert client.get(f"/v/{forged}", environ_base=PHONE).status_code == 403
        data = _form(room, forged, _order(room)[0])  # even with a CSRF token made for it
        _refused(_post(client, forged, data, environ_base=PHONE), 403)
    assert _stored(room) == []


def test_a_revoked_or_replaced_slip_no_longer_votes(
    client: Any, room: Room, tokens: dict[str, str]
) -> None:
    first = _order(room)[0]
    with room.workshop() as ws:
        ws.revoke_token("P02")
        new = ws.reissue_token("P01")  # P01 lost their slip
    for old in (tokens["P02"], tokens["P01"]):
        assert client.get(f"/v/{old}", environ_base=PHONE).status_code == 403
        _refused(_post(client, old, _form(room, old, first), environ_base=PHONE), 403)
    assert _stored(room) == []
    answer = _post(client, new, _form(room, new, first), environ_base=PHONE)
    assert answer.status_code == 200  # the new slip votes as P01
    assert [d["participant"] for d in _stored(room)] == ["P01"]
    # The slip as typed from paper (grouped, lower case) is the same slip.
    assert client.get(f"/v/{grouped(new).lower()}", environ_base=PHONE).status_code == 200


def test_indicators_outside_the_open_round_are_refused(
    sessions_dir: Path, tokens: dict[str, str]
) -> None:
    with Workshop.open(root=sessions_dir, name="Salle") as ws:
        every = list(ws.open_round().indicators)  # type: ignore[union-attr]
        ws.close_round(confirmed=True)
        ws.start_round(every[2:])  # round 2 rates the last three only
    room = Room(sessions_dir, "Salle", pin=PIN)
    try:
        client = create_app(room).test_client()
        token = tokens["P01"]
        for code in (every[0], "D9.O9.I9", "<script>alert(1)</script>", ""):
            _refused(_post(client, token, _form(room, token, code), environ_base=PHONE), 400)
            page = client.post(  # without JavaScript: the page again, with one sentence
                f"/v/{token}/rate", data=_form(room, token, code), environ_base=PHONE
            )
            assert page.status_code == 400 and "text/html" in page.content_type
            assert "<script>alert" not in page.get_data(as_text=True)  # escaped if repeated
        assert _stored(room) == []
    finally:
        room.close()


def test_a_closed_round_takes_no_ballot(client: Any, room: Room, tokens: dict[str, str]) -> None:
    first = _order(room)[0]
    with room.workshop() as ws:
        ws.close_round(confirmed=True)
    token = tokens["P01"]
    assert client.get(f"/v/{token}", environ_base=PHONE).status_code == 409
    _refused(_post(client, token, _form(room, token, first), environ_base=PHONE), 409)
    assert _stored(room) == []


@pytest.mark.parametrize(
    "score", ["0", "10", "-1", "7.5", "sept", "", "1e3", "99999999999999999999999", "٣"]
)
def test_a_score_off_the_scale_is_refused(
    client: Any, room: Room, tokens: dict[str, str], score: str
) -> None:
    token = tokens["P01"]
    data = _form(room, token, _order(room)[0], r_relevance=score)
    _refused(_post(client, token, data, environ_base=PHONE), 400)
    assert _stored(room) == []


def test_a_ballot_missing_a_criterion_or_its_indicator_is_refused(
    client: Any, room: Room, tokens: dict[str, str]
) -> None:
    token, first = tokens["P01"], _order(room)[0]
    for missing in ("r_feasibility", "indicator"):
        data = _form(room, token, first, **{missing: None})
        _refused(_post(client, token, data, environ_base=PHONE), 400)
    assert _stored(room) == []


def test_an_oversized_ballot_is_refused_and_a_long_comment_is_not(
    client: Any, room: Room, tokens: dict[str, str]
) -> None:
    token, first = tokens["P01"], _order(room)[0]
    huge = _form(room, token, first, comment="x" * (MAX_BODY + 1))
    assert _post(client, token, huge, environ_base=PHONE).status_code == 413
    assert _stored(room) == []
    long = "Ka ɲɛ ŋ « à revoir » " * 40  # about 1 KB of text with accents: a real comment
    answer = _post(client, token, _form(room, token, first, comment=long), environ_base=PHONE)
    assert answer.status_code == 200
    assert _stored(room)[0]["comment"] == long.strip()


def test_malformed_bodies_are_refused_without_a_crash(
    client: Any, room: Room, tokens: dict[str, str]
) -> None:
    token, first = tokens["P01"], _order(room)[0]
    form = "application/x-www-form-urlencoded"
    good = "&".join(f"{k}={v}" for k, v in _form(room, token, first).items() if k != "comment")
    bodies: list[tuple[bytes, str]] = [
        (b"", form),
        (b"\xff\xfe\x00garbage", form),
        (b"\xff\xfe=\xff&csrf=\xff", form),
        ("&".join(f"f{i}=1" for i in range(1500)).encode(), form),  # many fields, under 16 KB
        (b'{"indicator": "D1.O1.I1"}', "application/json"),
        (b'--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n', "multipart/form-data"),
    ]
    for body, kind in bodies:
        answer = client.post(
            f"/v/{token}/rate", data=body, content_type=kind, headers=JSON, environ_base=PHONE
        )
        assert 400 <= answer.status_code < 500, (body[:40], answer.status_code)
    assert _stored(room) == []
    # A well-formed ballot whose comment is not UTF-8: refused, or kept as valid text.
    answer = client.post(
        f"/v/{token}/rate",
        data=good.encode() + b"&comment=%FF%FEbad",
        content_type=form,
        headers=JSON,
        environ_base=PHONE,
    )
    assert answer.status_code in (200, 400)
    for doc in _stored(room):
        doc["comment"].encode("utf-8")  # no lone surrogate written to the session


def test_a_form_without_a_valid_csrf_token_is_refused(
    client: Any, room: Room, tokens: dict[str, str]
) -> None:
    token, first = tokens["P01"], _order(room)[0]
    for csrf in (
        None,
        "",
        "0" * 64,
        room.sign("ballot:" + tokens["P02"]),
        room.sign("facilitator"),
    ):
        data = _form(room, token, first, csrf=csrf)
        _refused(_post(client, token, data, environ_base=PHONE), 403)
    assert _stored(room) == []
    before = client.get("/projector/state").get_json()
    for csrf in (None, "0" * 64, room.sign("ballot:" + token)):  # from the laptop itself
        data = {} if csrf is None else {"csrf": csrf}
        assert client.post("/projector/reveal", data=data).status_code == 403
        assert client.post("/projector/next", data=data).status_code == 403
    assert client.get("/projector/state").get_json() == before


def _state(client: Any) -> tuple[Any, Any]:
    state = client.get("/projector/state").get_json()  # from the laptop
    return state["index"], state["revealed"]


def test_facilitator_actions_from_a_phone_need_the_pin(client: Any, room: Room) -> None:
    before = _state(client)
    signed = {"csrf": room.sign("facilitator")}
    for action in ("next", "prev", "reveal", "hide"):
        answer = client.post(f"/projector/{action}", data=signed, environ_base=PHONE)
        location = answer.headers.get("Location", "")
        assert answer.status_code == 403 or location.endswith("/projector/login"), action
    assert client.get("/projector/state", environ_base=PHONE).status_code in (302, 303, 403)
    assert _state(client) == before
    # A wrong PIN gives nothing; the right one lets the facilitator's own phone act.
    from hsvalidate.room.projector import LOGIN

    login = room.sign(LOGIN)  # the login form's own CSRF token
    assert client.post("/projector/login", data={"pin": PIN}, environ_base=PHONE).status_code == 403
    client.post("/projector/login", data={"pin": "1234", "csrf": login}, environ_base=PHONE)
    assert client.get_cookie(PIN_COOKIE) is None
    client.post("/projector/login", data={"pin": PIN, "csrf": login}, environ_base=PHONE)
    cookie = client.get_cookie(PIN_COOKIE)
    assert cookie is not None and cookie.http_only and cookie.same_site == "Strict"
    answer = client.post("/projector/reveal", data=signed, environ_base=PHONE)
    assert answer.status_code == 303
    assert _state(client)[1] is True


def test_markup_and_formulas_in_comments_stay_text(
    client: Any, room: Room, tokens: dict[str, str], tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    from hsvalidate.exports.xlsx import write_consensus_workbook

    token = tokens["P01"]
    order = _order(room)
    script = "<script>alert('ɛ')</script> <img src=x onerror=alert(1)>"
    formula = '=HYPERLINK("http://exemple.ml/?v=1","cliquez ici")'
    for code, comment in ((order[0], script), (order[1], formula)):
        answer = _post(client, token, _form(room, token, code, comment=comment), environ_base=PHONE)
        assert answer.status_code == 200
    assert [d["comment"] for d in _stored(room)] == [script, formula]  # stored as typed

    page = client.get(f"/v/{token}?i={order[0]}", environ_base=PHONE).get_data(as_text=True)
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;" in page  # shown back to its author, escaped

    with room.workshop() as ws:
        report = ws.build_report()
    path = tmp_path / "classeur consensus.xlsx"
    write_consensus_workbook(report, path)
    cells = [
        cell
        for sheet in load_workbook(path)
        for row in sheet.iter_rows()
        for cell in row
        if cell.value in (script, formula)
    ]
    assert {c.value for c in cells} == {script, formula}
    assert all(c.data_type == "s" for c in cells)  # text, never a formula
    with zipfile.ZipFile(path) as book:
        xml = "".join(book.read(n).decode("utf-8") for n in book.namelist() if n.endswith(".xml"))
    assert "<f>" not in xml and not re.search(r"<f[ >]", xml)


def test_a_participants_pages_never_show_another_participants_data(
    client: Any, room: Room, tokens: dict[str, str]
) -> None:
    order = _order(room)
    secret = "Avis de Ŋolo : ne pas diffuser"
    other = tokens["P02"]
    answer = _post(client, other, _form(room, other, order[0], comment=secret), environ_base=PHONE)
    assert answer.status_code == 200
    mine = tokens["P01"]
    pages = [
        client.get(f"/v/{mine}", environ_base=PHONE),
        client.get(f"/v/{mine}?i={order[0]}", environ_base=PHONE),
        _post(client, mine, _form(room, mine, order[0]), environ_base=PHONE),
    ]
    for page in pages:
        text = page.get_data(as_text=True)
        assert page.status_code == 200
        for leak in (secret, other, "Ŋolo Traoré", "Sɛkuba Kanté", "P02", "P03"):
            assert leak not in text, leak
