"""Rounds with guard rails: closing knowingly, reopening with a reason, choosing what is rated."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from hsvalidate.cli import cli
from hsvalidate.consensus import Rule
from hsvalidate.errors import RoundError
from hsvalidate.framework import Framework
from hsvalidate.i18n import t, tn
from hsvalidate.model import Settings
from hsvalidate.workshop import ConfirmationRequired, Workshop

ALL = {"relevance": 8, "feasibility": 8, "clarity": 8}


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def ws(tmp_path: Path, small_framework: Framework) -> Workshop:
    workshop = Workshop.create(
        root=tmp_path,
        name="Tours",
        framework=small_framework,
        settings=Settings(rule=Rule(quorum_share=50.0)),
    )
    workshop.add_participants([(f"Personne {i}", "", "", "") for i in range(14)])
    return workshop


def test_closing_with_two_of_fourteen_voters_needs_confirmation(ws: Workshop) -> None:
    ws.start_round()
    for code in ("P01", "P02"):
        ws.record_ballot(participant=code, indicator="D1.O1.I1", ratings=ALL)
    with pytest.raises(ConfirmationRequired) as refused:
        ws.close_round()
    check = refused.value.check
    assert (check.present, check.voted, len(check.not_voted)) == (14, 2, 12)
    assert check.quorum == 7 and len(check.below_quorum) == check.indicators == 5
    assert ws.open_round() is not None  # nothing changed
    assert ws.close_round(confirmed=True).status == "closed"


def test_a_round_everyone_rated_closes_without_asking(ws: Workshop) -> None:
    ws.start_round(["D1.O1.I1"])
    for person in ws.participants():
        ws.record_ballot(participant=person.code, indicator="D1.O1.I1", ratings=ALL)
    assert not ws.close_check().needs_confirmation
    assert ws.close_round().status == "closed"


def test_a_reopened_round_keeps_its_ballots_and_records_why(ws: Workshop) -> None:
    ws.start_round(["D1.O1.I1"])
    ws.record_ballot(participant="P01", indicator="D1.O1.I1", ratings=ALL)
    ws.close_round(confirmed=True)
    with pytest.raises(RoundError):
        ws.reopen_round("   ")
    again = ws.reopen_round("clos  avant le dépouillement du papier")
    assert (
        again.status == "open" and again.reopenings[0][1] == "clos avant le dépouillement du papier"
    )
    assert [b.participant for b in ws.ballots(1)] == ["P01"]
    ws.record_ballot(participant="P02", indicator="D1.O1.I1", ratings=ALL)
    with pytest.raises(RoundError):
        ws.reopen_round("encore")  # it is open
    assert ws.rounds()[0].reopenings == again.reopenings


def test_the_next_round_can_add_and_remove_indicators(ws: Workshop) -> None:
    ws.start_round()
    for person in ws.participants():
        for code in ("D1.O1.I1", "D1.O1.I2", "D1.O2.I1", "D2.O1.I1", "D2.O1.I2"):
            score = 8 if code != "D2.O1.I1" else 5
            ratings = {c: score for c in ALL}
            ws.record_ballot(participant=person.code, indicator=code, ratings=ratings)
    ws.close_round()
    nxt = ws.start_round(add=["D1.O1.I1"], remove=[])
    assert nxt.indicators == ("D1.O1.I1", "D2.O1.I1")
    with pytest.raises(RoundError):
        ws.start_round()  # still open


def test_removing_everything_is_refused(ws: Workshop) -> None:
    with pytest.raises(RoundError):
        ws.start_round(remove=[i.code for i in ws.framework.indicators()])


# -- the command line ----------------------------------------------------------------------


@pytest.fixture
def cli_session(sessions_dir: Path, framework_file: Path) -> None:
    assert (
        run(
            "session", "new", "Atelier", "--framework", str(framework_file), "--lang", "fr"
        ).exit_code
        == 0
    )
    for name in ("Awa Kɔnɛ", "Ɲɛlɛni Dembélé", "Sɛkuba Kanté", "Ŋolo Traoré"):
        run("participants", "add", "--name", name)
    run("round", "open")
    run("ballot", "--participant", "P01", "--indicator", "D1.O1.I1", "--rating", "pertinence=8")


def test_without_a_terminal_an_early_close_is_refused_and_names_yes(cli_session: None) -> None:
    refused = run("round", "close")
    assert refused.exit_code == 1
    text = " ".join(refused.output.replace("\xa0", " ").split())
    assert " ".join(tn("cli.round.check_voted", 1, present=4).replace("\xa0", " ").split()) in text
    assert "P02, P03, P04" in text and "--yes" in text
    assert "ouvert" in run("round", "status").output  # still open
    closed = run("round", "close", "--yes")
    assert closed.exit_code == 0, closed.output
    assert t("cli.round.see_results", lang="fr").split("«")[0].strip() in closed.output


def test_at_the_keyboard_the_facilitator_answers_in_french(
    cli_session: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hsvalidate import prompts

    monkeypatch.setattr(prompts, "stdin_is_terminal", lambda: True)
    kept = CliRunner().invoke(cli, ["round", "close"], input="\n")
    assert kept.exit_code == 0 and "[o/N]" in kept.output
    assert "reste ouvert" in kept.output.replace("\xa0", " ")
    closed = CliRunner().invoke(cli, ["round", "close"], input="oui\n")
    assert closed.exit_code == 0 and "Tour 1 clos" in closed.output.replace("\xa0", " ")


def test_reopen_needs_a_reason_and_keeps_the_ballots(cli_session: None) -> None:
    run("round", "close", "--yes")
    assert run("round", "reopen").exit_code == 1
    reopened = run("round", "reopen", "--reason", "clos trop tôt")
    assert reopened.exit_code == 0, reopened.output
    assert "rouvert" in reopened.output
    assert "1 / 4" in run("round", "status").output.replace("\xa0", " ")


def test_round_open_says_what_it_carries_forward_and_why(cli_session: None) -> None:
    run("round", "close", "--yes")
    opened = run("round", "open", "--indicators", "+D1.O1.I1,-D2.O1.I2")
    assert opened.exit_code == 0, opened.output
    text = opened.output.replace("\xa0", " ")
    assert "Reportés du tour 1 :" in text
    assert "quorum non atteint" in text
    assert "Ajoutés à la demande : D1.O1.I1." in text
    assert "Retirés à la demande : D2.O1.I2." in text


def test_round_status_expects_only_those_present_in_the_round(cli_session: None) -> None:
    assert "1 / 4" in run("round", "status").output.replace("\xa0", " ")
    marked = run("participants", "presence", "P02", "--status", "absent")
    assert marked.exit_code == 0, marked.output
    assert "1 / 3" in run("round", "status").output.replace("\xa0", " ")


def test_an_unknown_round_is_named_with_what_exists(ws: Workshop) -> None:
    ws.start_round()
    with pytest.raises(RoundError, match="only round 1"):
        ws.results(3)
