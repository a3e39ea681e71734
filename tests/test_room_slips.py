"""The room's slips, tokens and ``room open``: what the facilitator prints, hands out and runs."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from hsvalidate.cli import cli
from hsvalidate.framework import Framework
from hsvalidate.i18n import t, tn
from hsvalidate.model import Settings
from hsvalidate.room import net, tokens
from hsvalidate.workshop import Workshop

PEOPLE = [
    ("Awa Kɔnɛ", "WANEP-Mali", "société civile", "F"),
    ("Ŋolo Traoré", "CEDEAO", "régional", "M"),
    ("Sɛkuba Kanté", "MINUSMA", "international", "M"),
]
HOTSPOT = [net.Address("192.168.137.1", "hotspot"), net.Address("127.0.0.1", "loopback")]


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def fr(key: str, n: int | None = None, **values: object) -> str:
    """A sentence as the (French) session's commands print it, spacing squeezed."""
    return squeeze(t(key, lang="fr", **values) if n is None else tn(key, n, lang="fr", **values))


def squeeze(text: str) -> str:
    """Output with its line wrapping undone, to find a sentence in it."""
    return " ".join(text.split())


@pytest.fixture
def session(sessions_dir: Path, small_framework: Framework) -> str:
    with Workshop.create(
        root=sessions_dir, name="Salle", framework=small_framework, settings=Settings()
    ) as ws:
        ws.add_participants(PEOPLE)
        ws.start_round()
    return "Salle"


@pytest.fixture
def on_hotspot(monkeypatch: pytest.MonkeyPatch) -> None:
    """The laptop has its Windows hotspot on."""
    monkeypatch.setattr(net, "addresses", lambda: list(HOTSPOT))


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


# -- slips -------------------------------------------------------------------------------


def test_slips_carry_each_code_typed_token_and_address(
    sessions_dir: Path, session: str, tmp_path: Path
) -> None:
    with Workshop.open(root=sessions_dir, name=session) as ws:
        ws.withdraw_participant("P03")  # left: no slip
    target = tmp_path / "fiches salle.pdf"
    result = run("room", "slips", "--address", "192.168.137.1:8000", "--output", str(target))
    assert result.exit_code == 0, result.output
    assert fr("slips.written", 2, file=target) in squeeze(result.output)
    with Workshop.open(root=sessions_dir, name=session) as ws:
        given = ws.room_tokens()
    assert sorted(given) == ["P01", "P02"]
    text = pdf_text(target)
    for code, token in given.items():
        assert code in text
        assert f"http://192.168.137.1:8000/v/{tokens.grouped(token)}" in text
        assert text.count(tokens.grouped(token)) == 2  # the code to type, and in the address
    assert "P03" not in text
    assert "Awa Kɔnɛ" in text  # handed out in person: the name says to whom
    assert fr("slips.pdf.step_open") in squeeze(text)


def test_printing_again_keeps_the_tokens_and_one_participant_gets_one_slip(
    sessions_dir: Path, session: str, tmp_path: Path, on_hotspot: None
) -> None:
    assert run("room", "slips", "--output", str(tmp_path / "all.pdf")).exit_code == 0
    with Workshop.open(root=sessions_dir, name=session) as ws:
        first = ws.room_tokens()
    one = tmp_path / "one.pdf"
    result = run("room", "slips", "--participant", "p02", "--output", str(one))
    assert result.exit_code == 0, result.output
    assert fr("slips.issued", 1) not in squeeze(result.output)  # nobody got a new token
    with Workshop.open(root=sessions_dir, name=session) as ws:
        assert ws.room_tokens() == first
    text = pdf_text(one)
    assert tokens.grouped(first["P02"]) in text and "P01" not in text
    # the suggested address is the hotspot's, and the facilitator is told so
    assert "http://192.168.137.1:8000/v/" in text
    assert fr("slips.kind.hotspot") in squeeze(result.output)


def test_slips_without_a_network_or_with_a_bad_address_are_refused(
    sessions_dir: Path, session: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(net, "addresses", lambda: [net.Address("127.0.0.1", "loopback")])
    result = run("room", "slips", "--output", str(tmp_path / "x.pdf"))
    assert result.exit_code == 1 and fr("slips.no_network") in squeeze(result.output)
    result = run("room", "slips", "--address", "http://:80", "--output", str(tmp_path / "x.pdf"))
    assert result.exit_code == 1
    assert fr("slips.bad_address", address="http://:80") in squeeze(result.output)
    assert not (tmp_path / "x.pdf").exists()
    with Workshop.open(root=sessions_dir, name=session) as ws:
        assert ws.room_tokens() == {}  # nothing given for slips never printed


def test_slips_for_an_unknown_participant_name_the_known_codes(
    session: str, tmp_path: Path, on_hotspot: None
) -> None:
    result = run("room", "slips", "--participant", "P09", "--output", str(tmp_path / "x.pdf"))
    assert result.exit_code == 1 and "P09" in result.output
    assert "Traceback" not in result.output


def test_the_address_is_read_as_typed() -> None:
    assert net.base_url("192.168.137.1") == "http://192.168.137.1:8000"
    assert net.base_url("http://10.42.0.1:8080/") == "http://10.42.0.1:8080"
    assert net.base_url("10.42.0.1:80/projector") == "http://10.42.0.1:80"
    assert net.base_url("[fe80::1]:9000") == "http://[fe80::1]:9000"
    assert net.base_url("10.0.0.1:huit") == "" and net.base_url("") == ""


# -- tokens ------------------------------------------------------------------------------


def test_reissue_keeps_ballots_and_the_old_slip_stops_voting(
    sessions_dir: Path, session: str
) -> None:
    with Workshop.open(root=sessions_dir, name=session) as ws:
        old = ws.issue_tokens()["P02"]
        ws.record_ballot(participant="P02", indicator="D1.O1.I1", ratings={"relevance": 8})
    result = run("room", "token", "reissue", "p02")
    assert result.exit_code == 0, result.output
    with Workshop.open(root=sessions_dir, name=session) as ws:
        new = ws.room_tokens()["P02"]
        assert ws.token_participant(old) is None
        person = ws.token_participant(new)
        assert person is not None and person.code == "P02"
        assert [b.participant for b in ws.ballots(1)] == ["P02"]
    out = squeeze(result.output)
    assert fr("slips.token.reissued", code="P02", token=tokens.grouped(new)) in out
    assert "hsvalidate room slips --participant P02" in out


def test_revoke_stops_the_slip_and_a_second_revoke_says_what_to_do(
    sessions_dir: Path, session: str
) -> None:
    with Workshop.open(root=sessions_dir, name=session) as ws:
        given = ws.issue_tokens()
    result = run("room", "token", "revoke", "P01")
    assert result.exit_code == 0 and fr("slips.token.revoked", code="P01") in squeeze(result.output)
    with Workshop.open(root=sessions_dir, name=session) as ws:
        assert ws.token_participant(given["P01"]) is None
    again = run("room", "token", "revoke", "P01")
    assert again.exit_code == 1 and "room slips --participant P01" in squeeze(again.output)
    unknown = run("room", "token", "revoke", "P42")
    assert unknown.exit_code == 1 and "Traceback" not in unknown.output


def test_the_list_never_shows_a_token_unless_asked(sessions_dir: Path, session: str) -> None:
    with Workshop.open(root=sessions_dir, name=session) as ws:
        given = ws.issue_tokens(["P01", "P02"])
        ws.reissue_token("P02")
        now = ws.room_tokens()
    listed = run("room", "token", "list")
    assert listed.exit_code == 0
    for token in [*given.values(), *now.values()]:
        assert token not in listed.output and tokens.grouped(token) not in listed.output
    text = squeeze(listed.output)
    assert "P03 : aucun jeton" in text and "P01 : jeton valable" in text
    assert "P02 : 1 jeton annulé" in text
    shown = run("room", "token", "list", "--show")
    assert tokens.grouped(now["P02"]) in shown.output
    assert tokens.grouped(given["P02"]) not in shown.output  # a revoked token is never shown


# -- addresses and the terminal's QR code ---------------------------------------------------


def test_the_laptop_always_has_loopback_and_never_offers_everywhere() -> None:
    listed = net.addresses()
    hosts = [a.host for a in listed]
    assert "127.0.0.1" in hosts and "0.0.0.0" not in hosts
    assert listed[-1].kind == "loopback" or all(a.kind != "loopback" for a in listed[1:])


def test_the_hotspot_is_suggested_before_any_other_network() -> None:
    listed = [
        net.Address("41.73.10.2", "other"),
        net.Address("10.0.0.7", "lan"),
        net.Address("192.168.137.1", "hotspot"),
        net.Address("127.0.0.1", "loopback"),
    ]
    assert net.suggested(listed) == "192.168.137.1"
    assert net.suggested(listed[:2]) == "10.0.0.7"
    assert net.suggested([listed[0]]) == "127.0.0.1"  # a public address is never suggested
    assert net.kind_of("10.42.0.1") == "hotspot" and net.kind_of("169.254.3.4") == "other"


def test_the_terminal_qr_code_is_blocks_only_and_fits_80_columns() -> None:
    url = "http://192.168.137.1:8000/"
    lines = net.terminal_qr(url)
    from hsvalidate.room.qr import qr_matrix

    size = len(qr_matrix(url)) + 2 * net.QUIET
    assert {len(line) for line in lines} == {size} and size < 80
    assert len(lines) == (size + 1) // 2  # two modules a line
    assert set("".join(lines)) <= set(" ▀▄█")
    # the finder pattern's top edge: seven dark modules after the quiet zone
    assert lines[1][net.QUIET : net.QUIET + 7] in ("█▀▀▀▀▀█", "▄▄▄▄▄▄▄")


# -- room open ---------------------------------------------------------------------------


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """``serve`` replaced: records what it was asked, says it is ready, returns (Ctrl-C)."""
    calls: list[dict[str, Any]] = []

    def fake(
        root: Path, name: str, *, hosts: list[str], port: int, pin: str, on_ready: Any
    ) -> None:
        calls.append({"hosts": list(hosts), "port": port})
        on_ready([f"http://{h}:{port}/" for h in hosts])

    import hsvalidate.room.serve as serve_module

    monkeypatch.setattr(serve_module, "serve", fake)
    return calls


def test_without_a_terminal_the_room_opens_on_the_laptop_only(
    session: str, served: list[dict[str, Any]], on_hotspot: None
) -> None:
    result = run("room", "open", "--port", "8123")
    assert result.exit_code == 0, result.output
    assert served == [{"hosts": ["127.0.0.1"], "port": 8123}]
    out = squeeze(result.output)
    assert fr("slips.open.no_terminal", addresses="192.168.137.1") in out
    assert "http://127.0.0.1:8123/projector" in out
    assert fr("slips.open.closed") in out


def test_a_chosen_address_is_served_with_its_qr_code_and_the_projector_on_loopback(
    session: str, served: list[dict[str, Any]], on_hotspot: None
) -> None:
    result = run("room", "open", "--host", "192.168.137.1", "--pin", "2468")
    assert result.exit_code == 0, result.output
    assert served[0]["hosts"] == ["192.168.137.1", "127.0.0.1"]
    out = squeeze(result.output)
    assert fr("room.cli.listening", address="http://192.168.137.1:8000/") in out
    assert "http://127.0.0.1:8000/projector" in out and fr("slips.open.pin_set") in out
    assert "hsvalidate room slips --address 192.168.137.1:8000" in out
    qr = net.terminal_qr("http://192.168.137.1:8000/")
    assert "\n".join(qr) in result.output  # no colours when the output is not a terminal


def test_a_terminal_chooses_among_the_laptops_addresses(
    session: str, served: list[dict[str, Any]], on_hotspot: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hsvalidate import prompts

    asked: list[list[tuple[str, str]]] = []

    def choose(question: str, choices: list[tuple[str, str]], *, lang: str) -> str:
        asked.append(choices)
        return choices[0][0]

    monkeypatch.setattr(prompts, "stdin_is_terminal", lambda: True)
    monkeypatch.setattr(prompts, "choose_one", choose)
    assert run("room", "open").exit_code == 0
    assert [value for value, _ in asked[0]] == ["192.168.137.1", "127.0.0.1"]
    assert "conseillé" in asked[0][0][1]
    assert served[0]["hosts"] == ["192.168.137.1", "127.0.0.1"]


def test_everywhere_only_when_asked_and_then_with_a_warning(
    session: str, served: list[dict[str, Any]], on_hotspot: None
) -> None:
    result = run("room", "open", "--host", "0.0.0.0")
    assert result.exit_code == 0
    assert served[0]["hosts"] == ["0.0.0.0"]
    assert fr("slips.open.anywhere") in squeeze(result.output)
    assert "http://192.168.137.1:8000/" in result.output  # the addresses phones can use


def test_a_port_in_use_is_one_sentence(session: str) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run("room", "open", "--host", "127.0.0.1", "--port", str(port))
    assert result.exit_code == 1
    out = squeeze(result.output)
    assert fr("slips.open.port_in_use", port=port, other=port + 1) in out
    assert "Traceback" not in result.output


@pytest.mark.parametrize("host", ["10.254.254.254", "salle-bamako"])
def test_an_address_not_of_this_laptop_names_those_that_are(
    session: str, host: str, on_hotspot: None
) -> None:
    result = run("room", "open", "--host", host, "--port", "8765")
    assert result.exit_code == 1
    assert fr("slips.open.not_here", host=host, addresses="192.168.137.1, 127.0.0.1") in squeeze(
        result.output
    )


def test_no_open_round_no_room(
    sessions_dir: Path, session: str, served: list[dict[str, Any]]
) -> None:
    with Workshop.open(root=sessions_dir, name=session) as ws:
        ws.close_round(confirmed=True)
    result = run("room", "open")
    assert result.exit_code == 1 and fr("slips.open.no_round") in squeeze(result.output)
    assert served == []


def test_the_typed_address_on_a_slip_opens_the_ballot(
    sessions_dir: Path, session: str, tmp_path: Path
) -> None:
    """People type the code with its dashes: the address as printed must work as typed."""
    from hsvalidate.room.app import Room, create_app

    target = tmp_path / "fiches.pdf"
    assert (
        run("room", "slips", "--address", "127.0.0.1:8000", "--output", str(target)).exit_code == 0
    )
    with Workshop.open(root=sessions_dir, name=session) as ws:
        token = ws.room_tokens()["P01"]
    typed = f"/v/{tokens.grouped(token)}"
    assert f"http://127.0.0.1:8000{typed}" in pdf_text(target)
    room = Room(sessions_dir, session)
    try:
        answer = create_app(room).test_client().get(typed.lower())  # and in lower case
        assert answer.status_code < 400
    finally:
        room.close()


def test_a_camera_reads_each_slips_code(sessions_dir: Path, session: str, tmp_path: Path) -> None:
    """The printed QR codes, rendered at a printer's resolution, decode to each ballot's address."""
    import shutil
    import subprocess

    if not (shutil.which("pdftoppm") and shutil.which("zbarimg")):
        pytest.skip("needs pdftoppm (poppler-utils) and zbarimg (apt install zbar-tools)")
    target = tmp_path / "fiches.pdf"
    assert run("room", "slips", "--address", "10.42.0.1", "--output", str(target)).exit_code == 0
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(target), str(tmp_path / "p")], check=True)
    image = next(tmp_path.glob("p*.png"))
    read = subprocess.run(
        ["zbarimg", "-q", "--raw", str(image)], capture_output=True, text=True, check=False
    )
    with Workshop.open(root=sessions_dir, name=session) as ws:
        wanted = {f"http://10.42.0.1:8000/v/{tok}" for tok in ws.room_tokens().values()}
    assert set(read.stdout.split()) == wanted
