"""The participant's ballot on a phone: rate, resume, change, and every refusal."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from hsvalidate.framework import Framework
from hsvalidate.model import Settings
from hsvalidate.room.app import RateLimiter, Room, create_app
from hsvalidate.room.ballot import COMMENT_LIMIT, csrf_subject
from hsvalidate.workshop import Workshop

PEOPLE = [
    ("Awa Kɔnɛ", "WANEP-Mali", "société civile", "F"),
    ("Ŋolo Traoré", "CEDEAO", "régional", "M"),
    ("Sɛkuba Kanté", "MINUSMA", "international", "M"),
]
CRITERIA = ("relevance", "feasibility", "clarity")
HOSTILE = "Bien ɛ ɔ ɲ ŋ <script>alert('x')</script> =SOMME(A1)"


@pytest.fixture
def room(sessions_dir: Path, small_framework: Framework) -> Iterator[Room]:
    with Workshop.create(
        root=sessions_dir, name="Salle", framework=small_framework, settings=Settings()
    ) as ws:
        ws.add_participants(PEOPLE)
        ws.start_round()
    room = Room(sessions_dir, "Salle")
    room.limiter = RateLimiter(rate=1000, burst=1000)  # these tests post fast, like no phone
    yield room
    room.close()


@pytest.fixture
def given(room: Room) -> dict[str, str]:
    with room.workshop() as ws:
        return ws.issue_tokens()


@pytest.fixture
def client(room: Room) -> FlaskClient:
    return create_app(room).test_client()


def page(client: FlaskClient, token: str, **query: str) -> tuple[int, str]:
    answer = client.get(f"/v/{token}", query_string=query)
    spaced = answer.get_data(as_text=True).replace("\u00a0", " ").replace("\u202f", " ")
    return answer.status_code, spaced  # French typography's non-breaking spaces, as typed


def vote(
    client: FlaskClient,
    room: Room,
    token: str,
    indicator: str,
    scores: dict[str, str] | None = None,
    *,
    comment: str = "",
    csrf: str | None = None,
    json: bool = False,
) -> Any:
    form = {
        "indicator": indicator,
        "csrf": room.sign(csrf_subject(token)) if csrf is None else csrf,
        "comment": comment,
        **{f"r_{c}": v for c, v in (scores or dict.fromkeys(CRITERIA, "7")).items()},
    }
    headers = {"Accept": "application/json"} if json else {}
    return client.post(f"/v/{token}/rate", data=form, headers=headers)


def recorded(room: Room, code: str = "P01") -> dict[str, Any]:
    with room.workshop() as ws:
        return {b.indicator: b for b in ws.ballots(1) if b.participant == code}


def checked(html: str) -> set[str]:
    """The radio buttons the page has checked, as ``r_relevance=7``."""
    return {
        f"{name}={value}"
        for name, value in re.findall(r'name="(r_\w+)" value="(\w+)" checked', html)
    }


def test_a_participant_rates_resumes_and_changes_a_rating(
    room: Room, client: FlaskClient, given: dict[str, str]
) -> None:
    token = given["P01"]
    status, html = page(client, token)
    assert status == 200 and "D1.O1.I1" in html and "Nombre d&#39;incidents signalés" in html
    assert 'id="progress">1 sur 5<' in html
    assert "Bulletin de Awa Kɔnɛ" in html and "Sécurité personnelle" in html
    assert "Définition de D1.O1.I1 (ɛ ɔ ɲ ŋ)" in html and "Je ne peux pas juger" in html
    assert checked(html) == set()  # nothing chosen for the participant

    answer = vote(client, room, token, "D1.O1.I1")
    assert answer.status_code == 303 and answer.location.endswith(f"/v/{token}?ok=D1.O1.I1")
    status, html = page(client, token, ok="D1.O1.I1")
    assert (
        'id="ack" role="status">✓ Vote enregistré<' in html
        and "D1.O1.I2" in html
        and ">2 sur 5<" in html
    )
    scores = {"relevance": "9", "feasibility": "nsp", "clarity": "1"}
    assert vote(client, room, token, "D1.O1.I2", scores).status_code == 303
    assert vote(client, room, token, "D1.O2.I1", comment=HOSTILE).status_code == 303

    ballots = recorded(room)
    assert ballots["D1.O1.I2"].ratings == {"relevance": 9, "feasibility": None, "clarity": 1}
    assert ballots["D1.O2.I1"].comment == HOSTILE  # stored as typed, as text
    assert {b.source for b in ballots.values()} == {"web"}

    status, html = page(client, token)  # the phone is reopened later: where it stopped
    assert "D2.O1.I1" in html and ">4 sur 5<" in html and 'id="ack"' not in html

    status, html = page(client, token, i="D1.O2.I1")  # the escaped comment, back in its box
    assert "<script>" not in html and "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert checked(html) == {"r_relevance=7", "r_feasibility=7", "r_clarity=7"}

    status, html = page(client, token, i="D1.O1.I2")
    assert checked(html) == {"r_relevance=9", "r_feasibility=nsp", "r_clarity=1"}
    assert "Vous modifiez votre vote" in html
    vote(client, room, token, "D1.O1.I2", {"relevance": "2", "feasibility": "3", "clarity": "4"})
    assert recorded(room)["D1.O1.I2"].ratings == {"relevance": 2, "feasibility": 3, "clarity": 4}


def test_every_indicator_rated_shows_the_list_to_review(
    room: Room, client: FlaskClient, given: dict[str, str]
) -> None:
    token = given["P01"]
    codes = ["D1.O1.I1", "D1.O1.I2", "D1.O2.I1", "D2.O1.I1", "D2.O1.I2"]
    for code in codes:
        vote(client, room, token, code, comment=HOSTILE if code == "D2.O1.I2" else "")
    status, html = page(client, token, ok="D2.O1.I2")
    assert status == 200 and 'id="ack"' in html
    assert "Vous avez noté tous les indicateurs du tour 1" in html
    assert "5 indicateurs notés sur 5" in html
    for code in codes:
        assert f"/v/{token}?i={code}" in html
    assert "<script>alert" not in html and "&lt;script&gt;" in html


def test_the_acknowledgement_is_never_shown_for_a_vote_not_recorded(
    client: FlaskClient, given: dict[str, str]
) -> None:
    status, html = page(client, given["P01"], ok="D1.O1.I1")
    assert status == 200 and 'id="ack"' not in html


def test_the_page_switches_language_and_remembers_it(
    room: Room, client: FlaskClient, given: dict[str, str]
) -> None:
    token = given["P02"]
    status, html = page(client, token)
    assert f'href="/v/{token}?lang=en"' in html and ">English<" in html
    status, html = page(client, token, lang="en")
    assert 'lang="en"' in html and ">1 of 5<" in html and "Incidents reported" in html
    assert "I cannot judge" in html and "Ballot of Ŋolo Traoré" in html
    status, html = page(client, token)  # the cookie remembers
    assert status == 200 and "Save my vote" in html and ">Français<" in html
    answer = vote(
        client, room, token, "D1.O1.I1", {"relevance": "11", **dict.fromkeys(CRITERIA[1:], "5")}
    )
    assert answer.status_code == 400 and "is not a score for Relevance" in answer.get_data(
        as_text=True
    )


def test_the_script_gets_json_after_the_commit(
    room: Room, client: FlaskClient, given: dict[str, str]
) -> None:
    token = given["P03"]
    answer = vote(client, room, token, "D1.O1.I1", json=True)
    assert answer.status_code == 200
    assert answer.get_json() == {
        "ok": True,
        "indicator": "D1.O1.I1",
        "done": 1,
        "total": 5,
        "next": f"/v/{token}?ok=D1.O1.I1",
    }
    assert "D1.O1.I1" in recorded(room, "P03")
    refused = vote(client, room, token, "D1.O1.I2", {"relevance": "5"}, json=True)
    body = refused.get_json()
    assert refused.status_code == 400 and body["ok"] is False
    assert "il manque Faisabilité, Clarté" in body["error"]


def test_a_criterion_left_unanswered_records_nothing_and_keeps_the_choices(
    room: Room, client: FlaskClient, given: dict[str, str]
) -> None:
    answer = vote(client, room, given["P01"], "D1.O1.I1", {"relevance": "8", "clarity": "nsp"})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 400
    assert "Répondez à chaque question" in html and "il manque Faisabilité" in html
    assert checked(html) == {"r_relevance=8", "r_clarity=nsp"}  # nothing the phone lost
    assert html.count('<fieldset class="missing">') == 1  # the question left out stands out
    assert recorded(room) == {}
    reopened = client.get(f"/v/{given['P01']}/rate")  # that address, reloaded or bookmarked
    assert reopened.status_code == 303 and reopened.location.endswith(f"/v/{given['P01']}")


@pytest.mark.parametrize("score", ["10", "0", "7.5", "sept", "-1", "٣"])
def test_a_score_off_the_scale_or_not_a_whole_number_is_refused(
    room: Room, client: FlaskClient, given: dict[str, str], score: str
) -> None:
    answer = vote(
        client, room, given["P01"], "D1.O1.I1", {**dict.fromkeys(CRITERIA, "5"), "clarity": score}
    )
    assert answer.status_code == 400
    assert "choisissez de 1 à 9" in answer.get_data(as_text=True)
    assert recorded(room) == {}


def test_an_indicator_not_in_the_framework_is_refused(
    room: Room, client: FlaskClient, given: dict[str, str]
) -> None:
    answer = vote(client, room, given["P01"], "D9.O9.I9")
    assert answer.status_code == 400 and "n&#39;est pas à noter au tour 1" in answer.get_data(
        as_text=True
    )
    status, html = page(client, given["P01"], i="<b>D9</b>")
    assert status == 400 and "<b>D9" not in html and "&lt;b&gt;D9" in html
    assert recorded(room) == {}


def test_another_rounds_indicator_is_refused(room: Room, client: FlaskClient) -> None:
    with room.workshop() as ws:
        ws.close_round(confirmed=True)
        ws.start_round(["D1.O1.I2", "D2.O1.I1"])
        token = ws.issue_tokens()["P01"]
    answer = vote(client, room, token, "D1.O1.I1", json=True)
    assert answer.status_code == 400 and "tour 2" in answer.get_json()["error"]
    assert ">1 sur 2<" in page(client, token)[1]


def test_a_form_without_its_csrf_token_is_refused(
    room: Room, client: FlaskClient, given: dict[str, str]
) -> None:
    another = room.sign(csrf_subject(given["P02"]))  # a form made for someone else
    for forged in ("", "0" * 64, another):
        answer = vote(client, room, given["P01"], "D1.O1.I1", csrf=forged)
        assert answer.status_code == 403
        assert "n&#39;est plus valable" in answer.get_data(as_text=True)
    assert recorded(room) == {}


def test_a_forged_token_is_refused(room: Room, client: FlaskClient, given: dict[str, str]) -> None:
    status, html = page(client, "K7Q4MX2P9DHE")
    assert status == 403 and "Ce code de vote n&#39;est pas valable" in html
    answer = vote(
        client, room, "K7Q4MX2P9DHE", "D1.O1.I1", csrf=room.sign(csrf_subject("K7Q4MX2P9DHE"))
    )
    assert answer.status_code == 403
    assert recorded(room) == {}


def test_a_revoked_token_no_longer_votes(
    room: Room, client: FlaskClient, given: dict[str, str]
) -> None:
    token = given["P01"]
    assert vote(client, room, token, "D1.O1.I1").status_code == 303
    with room.workshop() as ws:
        ws.revoke_token("P01")
    assert page(client, token)[0] == 403
    assert vote(client, room, token, "D1.O1.I2", json=True).status_code == 403
    assert list(recorded(room)) == ["D1.O1.I1"]  # the ballot before stays


def test_a_closed_round_says_so(room: Room, client: FlaskClient, given: dict[str, str]) -> None:
    token = given["P01"]
    with room.workshop() as ws:
        ws.close_round(confirmed=True)
    status, html = page(client, token)
    assert status == 409 and "Aucun tour n&#39;est ouvert" in html
    answer = vote(client, room, token, "D1.O1.I1")
    assert answer.status_code == 409 and "Le tour est fermé" in answer.get_data(as_text=True)
    assert vote(client, room, token, "D1.O1.I1", json=True).get_json()["ok"] is False


def test_a_page_left_open_across_a_new_round_is_not_counted_in_it(
    room: Room, client: FlaskClient, given: dict[str, str]
) -> None:
    token = given["P01"]
    _, html = page(client, token)
    assert 'name="round" value="1"' in html  # the page says which round it asks about
    with room.workshop() as ws:
        ws.close_round(confirmed=True)
        ws.start_round(indicators=["D1.O1.I1"])
    form = {
        "indicator": "D1.O1.I1",
        "round": "1",
        "csrf": room.sign(csrf_subject(token)),
        **{f"r_{c}": "7" for c in CRITERIA},
    }
    answer = client.post(f"/v/{token}/rate", data=form)
    assert answer.status_code == 409 and "le tour 2 est ouvert" in answer.get_data(as_text=True)
    with room.workshop() as ws:
        assert ws.ballots(2) == []


def test_a_long_comment_is_refused_and_control_characters_dropped(
    room: Room, client: FlaskClient, given: dict[str, str]
) -> None:
    token = given["P01"]
    answer = vote(client, room, token, "D1.O1.I1", comment="é" * (COMMENT_LIMIT + 1))
    assert answer.status_code == 400 and "dépasse 2000 caractères" in answer.get_data(as_text=True)
    vote(client, room, token, "D1.O1.I1", comment="+ligne 1\r\nligne\x00 2\x1b\u2028")
    assert recorded(room)["D1.O1.I1"].comment == "+ligne 1\nligne 2"


def test_a_page_shows_nobody_elses_name_ratings_or_comments(
    room: Room, client: FlaskClient, given: dict[str, str]
) -> None:
    for code in ("D1.O1.I1", "D1.O1.I2", "D1.O2.I1", "D2.O1.I1", "D2.O1.I2"):
        vote(client, room, given["P02"], code, comment="secret de Ŋolo")
        vote(client, room, given["P01"], code)
    with room.workshop() as ws:
        ws.close_round(confirmed=True)
        ws.reword_indicator("D1.O1.I1", fields={"text": "Incidents signalés par mois"})
        ws.start_round(["D1.O1.I1", "D1.O1.I2"])
    pages = [page(client, given["P01"])[1], page(client, given["P01"], i="D1.O1.I2")[1]]
    vote(client, room, given["P01"], "D1.O1.I1")
    vote(client, room, given["P01"], "D1.O1.I2")
    pages.append(page(client, given["P01"])[1])
    first = pages[0]
    assert "Tour précédent : médiane 7" in first and "Votre note au tour précédent : 7" in first
    assert "Libellé modifié après le tour 1" in first and "Incidents signalés par mois" in first
    for html in pages:
        for other in ("Ŋolo", "Sɛkuba", "secret", "P02", "P03"):
            assert other not in html


def test_the_phone_channel_has_its_words() -> None:
    from hsvalidate.exports.channels import channel_phrase
    from hsvalidate.model import source_code

    assert source_code("téléphone") == "web" and source_code("phone") == "web"
    assert channel_phrase("web", 12, "fr") == "12 par téléphone"


def test_every_sentence_the_ballot_pages_name_is_in_the_catalogue() -> None:
    from hsvalidate.i18n import LANGS, has, tn

    folder = Path(__file__).parent.parent / "hsvalidate" / "room" / "templates" / "ballot"
    text = "".join(p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.html")))
    singular = set(re.findall(r"""\bt\(["']([a-z_.]+)["']""", text))
    plural = set(re.findall(r"""\btn\(["']([a-z_.]+)["']""", text))
    assert "webballot.save" in singular and "webballot.rated" in plural
    for lang in LANGS:
        assert [key for key in singular if not has(key, lang)] == []
        assert [key for key in plural if tn(key, 2, lang=lang, total=3) == key] == []


def test_a_formula_typed_on_a_phone_reaches_the_workbook_as_text(
    room: Room, client: FlaskClient, given: dict[str, str], tmp_path: Path
) -> None:
    import zipfile

    from openpyxl import load_workbook

    from hsvalidate.exports.xlsx import write_consensus_workbook

    vote(client, room, given["P01"], "D1.O1.I1", comment="=SOMME(A1:A9)")
    vote(client, room, given["P02"], "D1.O1.I1", comment="@cmd|' /C calc'!A0")
    path = tmp_path / "classeur.xlsx"
    with room.workshop() as ws:
        write_consensus_workbook(ws.build_report(), path)
    cells = [
        cell
        for sheet in load_workbook(path).worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and cell.value.startswith(("=SOMME", "@cmd"))
    ]
    assert {c.value for c in cells} == {"=SOMME(A1:A9)", "@cmd|' /C calc'!A0"}
    assert {c.data_type for c in cells} == {"s"}  # inline strings: never run as formulas
    with zipfile.ZipFile(path) as book:
        assert not any(b"<f>" in book.read(n) for n in book.namelist() if n.endswith(".xml"))
