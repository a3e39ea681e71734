"""Participants and attendance: editing, removal, withdrawal and presence per round, in French."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from hsvalidate import tally
from hsvalidate.cli import cli
from hsvalidate.cli.kiosk import offered_participants
from hsvalidate.cli.participants import PRESENCE_CODES
from hsvalidate.consensus import BELOW_QUORUM
from hsvalidate.i18n import t, tn
from hsvalidate.model import PRESENCE, Participant, presence_code
from hsvalidate.report import ALL_GROUPS
from hsvalidate.workshop import Workshop

SESSION = "Atelier Ségou"
PEOPLE = [
    ("Awa Kɔnɛ", "WANEP-Mali", "société civile", "F"),
    ("Ɲɛlɛni Dembélé", "Ministère de la Réconciliation", "gouvernement", "femme"),
    ("Sɛkuba Kanté", "MINUSMA", "international", "H"),
    ("Ŋolo Traoré", "CEDEAO", "régional", "homme"),
    ("Fanta Coulibaly", "AMSS", "société civile", "F"),
]
ALL_CRITERIA = ("pertinence=8", "faisabilité=8", "clarté=8")


def run(*args: str) -> Result:
    """A command on the test session, named so no "session chosen" line is printed."""
    return CliRunner().invoke(cli, [*args, "--session", SESSION], catch_exceptions=False)


def fr(key: str, **values: object) -> str:
    return t(key, lang="fr", **values)


@pytest.fixture
def session(sessions_dir: Path, framework_file: Path) -> Path:
    """A French session of five, quorum half of those present (3 of 5, 2 of 4)."""
    made = CliRunner().invoke(
        cli,
        ["session", "new", SESSION, "--framework", str(framework_file), "--lang", "fr"],
        catch_exceptions=False,
    )
    assert made.exit_code == 0, made.output
    for name, organisation, group, sex in PEOPLE:
        added = run(
            "participants",
            "add",
            "--name",
            name,
            "--organisation",
            organisation,
            "--group",
            group,
            "--sex",
            sex,
        )
        assert added.exit_code == 0, added.output
    return sessions_dir


def workshop(root: Path) -> Workshop:
    return Workshop.open(root=root, name=SESSION, writable=False)


def vote(participant: str, indicator: str = "D1.O1.I1") -> None:
    result = run(
        "ballot",
        "--participant",
        participant,
        "--indicator",
        indicator,
        *(arg for rating in ALL_CRITERIA for arg in ("--rating", rating)),
    )
    assert result.exit_code == 0, result.output


def one_sentence_error(result: Result) -> str:
    """The error of a refused command: exit 1 and one line on stderr, nothing on stdout."""
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def two_rounds(root: Path) -> None:
    """Round 1 rated by P01–P03, closed; round 2 re-rates D1.O1.I1, rated by P01 and P02."""
    assert run("round", "open").exit_code == 0
    for code in ("P01", "P02", "P03"):
        vote(code)
    assert run("round", "close", "--yes").exit_code == 0
    assert run("round", "open", "--indicators", "D1.O1.I1").exit_code == 0
    for code in ("P01", "P02"):
        vote(code)


def panel_row(root: Path, round_no: int, criterion: str = "relevance") -> tuple[int, str]:
    """(expected raters who gave no answer, verdict) of D1.O1.I1 in a round, whole panel."""
    with workshop(root) as ws:
        row = next(
            r
            for r in ws.results(round_no)
            if r.indicator == "D1.O1.I1" and r.criterion == criterion and r.group == ALL_GROUPS
        )
    return row.stats.n_missing, row.verdict


def present_in_attrition(root: Path) -> dict[int, int]:
    with workshop(root) as ws:
        return {a.round: a.present for a in ws.attrition() if a.group == ALL_GROUPS}


# -- editing -------------------------------------------------------------------------------


def test_edit_keeps_the_code_and_changes_only_the_given_fields(session: Path) -> None:
    result = run("participants", "edit", "p02", "--name", " Ɲɛlɛni  Kɔnɛ ", "--sex", "homme")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == fr("cli.participants.edited", code="P02", fields="nom, sexe")
    with workshop(session) as ws:
        edited = ws.participant("P02")
        others = [p for p in ws.participants() if p.code != "P02"]
    assert edited == Participant(
        code="P02",
        name="Ɲɛlɛni Kɔnɛ",
        organisation="Ministère de la Réconciliation",
        group="gouvernement",
        sex="M",
    )
    assert [p.name for p in others] == [p[0] for p in PEOPLE if p[0] != "Ɲɛlɛni Dembélé"]


def test_edit_with_nothing_to_change_or_an_unknown_sex_says_so(session: Path) -> None:
    assert "--name" in one_sentence_error(run("participants", "edit", "P02"))
    assert "«\u00a0X\u00a0»" in one_sentence_error(run("participants", "edit", "P02", "--sex", "X"))


# -- removal and withdrawal --------------------------------------------------------------


def test_someone_who_voted_is_not_removed_but_can_be_withdrawn(session: Path) -> None:
    assert run("round", "open").exit_code == 0
    vote("P01")
    refused = one_sentence_error(run("participants", "remove", "P01"))
    assert refused.endswith(fr("participant.remove_has_ballots", code="P01"))
    assert "hsvalidate participants withdraw P01" in refused

    withdrawn = run("participants", "withdraw", "P01")
    assert withdrawn.exit_code == 0, withdrawn.output
    # P01 voted in round 1, so they were in the room for it: withdrawn from round 2 on.
    assert fr("cli.participants.withdrawn", code="P01", round=2) in withdrawn.stdout.replace(
        "\n", " "
    )
    with workshop(session) as ws:
        assert [e.code for e in offered_participants(ws)] == ["P02", "P03", "P04", "P05"]
        assert ws.pending("P01") == []
        row = next(
            r
            for r in ws.results(1)
            if r.indicator == "D1.O1.I1" and r.criterion == "relevance" and r.group == ALL_GROUPS
        )
        assert row.stats.n == 1  # their ballot still counts
        assert len(ws.present_in(1)) == 5
    again = one_sentence_error(run("participants", "withdraw", "P01"))
    assert again.endswith(fr("participant.already_withdrawn", code="P01", round=2))


def test_withdrawn_before_voting_in_the_open_round_is_not_expected_in_it(session: Path) -> None:
    assert run("round", "open").exit_code == 0
    assert run("participants", "withdraw", "P05").exit_code == 0
    with workshop(session) as ws:
        check = ws.close_check()
    assert (check.present, check.not_voted) == (4, ("P01", "P02", "P03", "P04"))


def test_a_removed_code_is_never_given_again(session: Path) -> None:
    removed = run("participants", "remove", "P05")
    assert removed.exit_code == 0, removed.output
    assert removed.stdout.replace("\n", " ").strip() == fr(
        "cli.participants.removed", code="P05", name="Fanta Coulibaly"
    )
    assert run("participants", "remove", "P03").exit_code == 0
    added = run("participants", "add", "--name", "Fanta Coulibaly", "--organisation", "AMSS")
    assert added.exit_code == 0, added.output
    with workshop(session) as ws:
        assert [p.code for p in ws.participants()] == ["P01", "P02", "P04", "P06"]
    listed = run("participants", "list").stdout
    assert "P05" not in listed and "P03" not in listed
    one_sentence_error(run("participants", "remove", "P05"))  # gone: an unknown code now


# -- presence per round -----------------------------------------------------------------


def test_absent_in_round_2_lowers_that_round_s_expected_raters_quorum_and_presence(
    session: Path,
) -> None:
    two_rounds(session)
    # Five present: quorum 3 (half of 5, rounded up); two rated round 2.
    assert panel_row(session, 2) == (3, BELOW_QUORUM)
    with workshop(session) as ws:
        assert (ws.close_check().present, ws.close_check().quorum) == (5, 3)

    marked = run("participants", "presence", "P05", "--round", "2", "--status", "absent")
    assert marked.exit_code == 0, marked.output
    assert marked.stdout.strip() == fr(
        "cli.participants.presence_set", code="P05", status="absent", round=2
    )
    missing, verdict = panel_row(session, 2)
    assert missing == 2  # four expected, two rated
    assert verdict != BELOW_QUORUM  # quorum 2 of 4
    with workshop(session) as ws:
        check = ws.close_check()
        assert (check.present, check.quorum, check.not_voted) == (4, 2, ("P03", "P04"))
        summary = tally.build_report(ws.snapshot(), lang="fr").rounds
        assert [s.n_present for s in summary] == [5, 4]
    assert present_in_attrition(session) == {1: 5, 2: 4}
    assert panel_row(session, 1)[0] == 2  # round 1 is untouched: five expected, three rated

    # Left early: in the room for part of round 2, so counted present (default round: open).
    early = run("participants", "presence", "P05", "--status", "parti plus tôt")
    assert early.exit_code == 0, early.output
    assert panel_row(session, 2) == (3, BELOW_QUORUM)
    assert present_in_attrition(session) == {1: 5, 2: 5}


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("présente", "present"),
        ("Présentes", "present"),
        ("presents", "present"),
        ("absente", "absent"),
        ("absentes", "absent"),
        ("partie plus tôt", "left-early"),
        ("partis plus tot", "left-early"),
        ("arrivée en retard", "arrived-late"),
        ("arrivés en retard", "arrived-late"),
        ("arrivees en retard", "arrived-late"),
    ],
)
def test_feminine_and_plural_presence_words_are_understood(
    session: Path, typed: str, code: str
) -> None:
    two_rounds(session)
    marked = run("participants", "presence", "P03", "--round", "2", "--status", typed)
    assert marked.exit_code == 0, marked.output
    # The confirmation and the session use the one word of the presence, as always.
    assert marked.stdout.strip() == fr(
        "cli.participants.presence_set", code="P03", status=fr(f"presence.status.{code}"), round=2
    )
    with workshop(session) as ws:
        assert next(p for p in ws.participants() if p.code == "P03").presence == {2: code}


def test_the_other_presence_forms_name_one_presence_each() -> None:
    for code in PRESENCE:
        for lang in ("fr", "en"):
            for form in t(f"presence.forms.{code}", lang=lang).split(","):
                assert presence_code(form) == code, (lang, form)
    assert presence_code("parti") is None  # a shortened word stays refused, as before


def test_list_marks_withdrawn_participants_and_shows_presence_in_a_round(session: Path) -> None:
    two_rounds(session)
    assert run("participants", "presence", "P04", "--status", "arrived late").exit_code == 0
    assert run("participants", "presence", "P05", "--status", "absent").exit_code == 0
    assert run("participants", "withdraw", "P03").exit_code == 0
    plain = run("participants", "list").stdout
    assert "retiré" in next(li for li in plain.splitlines() if li.strip().startswith("P03"))
    listed = run("participants", "list", "--round", "2", "--show-names")
    assert listed.exit_code == 0, listed.output
    lines = listed.stdout.splitlines()
    assert all(len(li) <= 80 for li in lines), listed.stdout
    assert lines[0] == fr("cli.participants.presence_heading", round=2)

    def line(code: str) -> str:
        return next(li for li in lines if li.strip().startswith(code))

    assert "présent" in line("P01") and "Awa Kɔnɛ" in line("P01")
    assert "arrivé en retard" in line("P04")
    assert "absent" in line("P05")
    assert "retiré" in line("P03")
    # P03 voted in round 1 and withdrew during round 2, where they had not voted.
    assert lines[-1] == tn("cli.participants.present_in", 3, lang="fr", total=5, round=2)


def test_an_old_session_without_presence_per_round_reads_as_before(session: Path) -> None:
    two_rounds(session)
    with Workshop.open(root=session, name=SESSION) as ws:
        # As sessions stored participants before presence per round: no presence, no
        # withdrawal, and one invited participant registered as not attending.
        ws.store.insert(
            "participants",
            {"code": "P06", "name": "Modibo Sidibé", "organisation": "", "group": "", "sex": "M"},
        )
        ws.store.insert(
            "participants",
            {"code": "P07", "name": "Oumou Sangaré", "group": "", "sex": "F", "present": False},
        )
        people = {p.code: p for p in ws.participants()}
    assert people["P06"].presence == {} and not people["P06"].withdrawn
    assert [people["P07"].presence_in(n) for n in (1, 2)] == ["absent", "absent"]
    assert present_in_attrition(session) == {1: 6, 2: 6}
    assert panel_row(session, 1)[0] == 3  # six expected, three rated


# -- errors ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "key", "values"),
    [
        (("edit", "P99", "--name", "X"), "participant.unknown_code", {"code": "P99"}),
        (("remove", "P99"), "participant.unknown_code", {"code": "P99"}),
        (("withdraw", "P99"), "participant.unknown_code", {"code": "P99"}),
        (
            ("presence", "P99", "--status", "absent"),
            "participant.unknown_code",
            {"code": "P99"},
        ),
        (("presence", "P01", "--round", "7", "--status", "absent"), "round.unknown", {}),
        (("presence", "P01", "--status", "malade"), "presence.unknown_status", {}),
        (("list", "--round", "3"), "round.unknown", {}),
    ],
)
def test_errors_are_one_sentence_and_exit_1(
    session: Path, args: tuple[str, ...], key: str, values: dict[str, object]
) -> None:
    two_rounds(session)
    error = one_sentence_error(run("participants", *args))
    if key == "round.unknown":
        assert error.endswith(fr(key, number=args[args.index("--round") + 1], last=2))
    elif key == "presence.unknown_status":
        assert error.endswith(
            fr(key, status="malade", statuses="présent, absent, parti plus tôt, arrivé en retard")
        )
    else:
        assert error.endswith(fr(key, **values))


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_an_unknown_round_of_a_one_round_session_is_not_rounds_1_to_1(
    session: Path, lang: str
) -> None:
    assert run("round", "open").exit_code == 0
    error = one_sentence_error(run("participants", "list", "--round", "3", "--lang", lang))
    assert error.endswith(t("round.unknown_only_one", lang=lang, number=3))
    assert "1 à 1" not in error and "1 to 1" not in error


def test_presence_before_any_round_says_to_open_one(session: Path) -> None:
    error = one_sentence_error(run("participants", "presence", "P01", "--status", "absent"))
    assert error.endswith(fr("round.none_yet"))


def test_the_command_line_offers_every_presence_the_model_knows() -> None:
    assert list(PRESENCE_CODES) == list(PRESENCE)


def test_importing_one_person_names_one_code(session: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "retardataire.csv"
    sheet.write_text("Nom;Structure;Catégorie d'acteurs;Sexe\nKadiatou Sidibé;PNUD;partenaires;F\n")
    result = run("participants", "import", str(sheet))
    assert result.exit_code == 0, result.output
    assert fr("cli.participants.code_one", code="P06") in result.output
    assert "P06 à P06" not in result.output
