"""Paper ballots: the printed forms, the typing core, double entry and the typing screen."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from prompt_toolkit.application import create_app_session
from prompt_toolkit.data_structures import Size
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output.vt100 import Vt100_Output

from hsvalidate import prompts
from hsvalidate.cli import cli
from hsvalidate.consensus import Rule, Scale
from hsvalidate.errors import BallotError, RoundError
from hsvalidate.framework import Framework
from hsvalidate.model import Ballot, Settings
from hsvalidate.paper import BACKSPACE, BLANK, ENTER, PaperEntry, printed_ballots
from hsvalidate.workshop import Workshop

NAMES = [
    ("Awa Kɔnɛ", "WANEP-Mali", "société civile", "F"),
    ("Ŋolo Traoré", "CEDEAO", "régional", "M"),
    ("Fatoumata Ɲarɛ", "Ministère", "gouvernement", "F"),
]
ORDER = ["D1.O1.I1", "D1.O1.I2", "D1.O2.I1", "D2.O1.I1", "D2.O1.I2"]


def make_session(root: Path, framework: Framework, settings: Settings | None = None) -> None:
    with Workshop.create(
        root=root, name="Atelier", framework=framework, settings=settings or Settings()
    ) as ws:
        ws.add_participants(NAMES)
        ws.start_round()


@pytest.fixture
def session(sessions_dir: Path, small_framework: Framework) -> Path:
    make_session(sessions_dir, small_framework)
    return sessions_dir


@contextmanager
def workshop(root: Path) -> Iterator[Workshop]:
    with Workshop.open(root=root, name="Atelier") as ws:
        yield ws


def typed(form_keys: str) -> list[str]:
    """``"78-|"`` → keystrokes, ``|`` standing for Enter and ``<`` for Backspace."""
    return [ENTER if k == "|" else BACKSPACE if k == "<" else k for k in form_keys]


def latest(ws: Workshop, code: str = "P01") -> dict[str, Ballot]:
    return {b.indicator: b for b in ws.ballots(1) if b.participant == code}


# -- the typing core ---------------------------------------------------------------------------


def test_one_keystroke_per_box_records_scores_cannot_judge_and_empty_boxes(session: Path) -> None:
    with workshop(session) as ws:
        entry = PaperEntry(ws)
        form = entry.start("p01")  # the code box, in any case
        assert [line.indicator for line in form.lines] == ORDER
        form.keys(typed("70-"))
        form.comment("Préciser la source à Gao ; ɛ ɔ ɲ ŋ")
        form.keys(typed("888|n 5|123|999|"))
        assert form.complete
        assert form.blanks() == [("D1.O1.I1", "clarity"), ("D1.O2.I1", "feasibility")]
        saved = entry.save(form, blanks_confirmed=True)
        assert len(saved) == 5
        stored = latest(ws)
    assert stored["D1.O1.I1"].ratings == {"relevance": 7, "feasibility": None}
    assert stored["D1.O1.I1"].comment == "Préciser la source à Gao ; ɛ ɔ ɲ ŋ"
    assert stored["D1.O1.I2"].ratings == {"relevance": 8, "feasibility": 8, "clarity": 8}
    assert stored["D1.O2.I1"].ratings == {"relevance": None, "clarity": 5}
    assert {b.source for b in stored.values()} == {"paper"}


def test_backspace_takes_back_the_last_keystroke_across_indicators(session: Path) -> None:
    with workshop(session) as ws:
        entry = PaperEntry(ws)
        form = entry.start("P01")
        # 777, Enter; then "1" typed; three Backspaces: the 1, the Enter, the last 7.
        form.keys(typed("777|1<<<5|"))
        assert form.lines[0].marks == [7, 7, 5]
        assert form.current == 1
        form.keys(typed("222|333|444|555|"))
        form.key(BACKSPACE)  # from the summary back into the last indicator
        assert form.current == 4 and form.lines[4].marks == [5, 5, 5]
        form.keys(typed("<6|"))
        entry.save(form)
        assert latest(ws)["D2.O1.I2"].ratings == {"relevance": 5, "feasibility": 5, "clarity": 6}
        assert latest(ws)["D1.O1.I1"].ratings["clarity"] == 5


def test_a_box_left_empty_is_flagged_and_needs_confirming(session: Path) -> None:
    with workshop(session) as ws:
        entry = PaperEntry(ws)
        form = entry.start("P01")
        form.keys(typed("7-7|---|777|777|777|"))
        assert form.blanks() == [("D1.O1.I1", "feasibility")]
        assert form.empty() == ["D1.O1.I2"]
        with pytest.raises(BallotError, match="empty on paper"):
            entry.save(form)
        assert latest(ws) == {}  # refused: nothing recorded
        saved = entry.save(form, blanks_confirmed=True)
        # The indicator with every box empty is not recorded at all.
        assert [b.indicator for b in saved] == ["D1.O1.I1", "D1.O2.I1", "D2.O1.I1", "D2.O1.I2"]
        assert "D1.O1.I2" not in latest(ws)


def test_an_unfinished_or_empty_form_records_nothing(session: Path) -> None:
    with workshop(session) as ws:
        entry = PaperEntry(ws)
        form = entry.start("P02")
        form.keys(typed("777|"))
        with pytest.raises(BallotError, match="not fully typed"):
            entry.save(form, blanks_confirmed=True)
        form.blank_rest()
        form.lines[0].marks[:] = [BLANK, BLANK, BLANK]
        with pytest.raises(BallotError, match="holds no rating"):
            entry.save(form, blanks_confirmed=True)
        assert latest(ws, "P02") == {}


def test_keys_that_cannot_apply_are_refused_and_change_nothing(
    sessions_dir: Path, small_framework: Framework
) -> None:
    make_session(sessions_dir, small_framework, Settings(scale=Scale(1, 5), rule=Rule("likert")))
    with workshop(sessions_dir) as ws:
        form = PaperEntry(ws).start("P01")
        with pytest.raises(BallotError, match=r"7 is not on the scale \(1 to 5\)"):
            form.key("7")
        with pytest.raises(BallotError, match="That key does nothing"):
            form.key("x")
        with pytest.raises(BallotError, match=r"2 boxes are still missing for D1\.O1\.I1"):
            form.keys(typed("4|"))
        form.keys(typed("45"))
        with pytest.raises(BallotError, match=r"Every criterion of D1\.O1\.I1 is typed"):
            form.key("3")
        assert form.lines[0].marks == [4, 4, 5]


def test_a_form_typed_twice_is_never_silently_replaced(session: Path) -> None:
    with workshop(session) as ws:
        entry = PaperEntry(ws)
        form = entry.start("P01")
        form.keys(typed("111|" * 5))
        entry.save(form)
        assert entry.earlier("P01") is not None
        with pytest.raises(BallotError, match="P01 already has a ballot in round 1"):
            entry.start("P01")
        again = entry.start("P01", replace=True)
        again.keys(typed("999|" * 5))
        entry.save(again)
        assert {b.ratings["relevance"] for b in latest(ws).values()} == {9}
        assert len(ws.ballots(1)) == 5  # replaced, never counted twice


def test_two_typists_in_two_windows_see_each_others_forms(session: Path) -> None:
    """Two windows typing one stack: a form the other window saved is never typed over."""
    with workshop(session) as first, workshop(session) as second:
        mine, theirs = PaperEntry(first), PaperEntry(second)  # both read the round, empty
        form = mine.start("P01")
        form.keys(typed("777|777|777|777|777|"))
        mine.save(form)
        with pytest.raises(BallotError, match="P01"):
            theirs.start("P01")  # saved meanwhile by the other window: asked, not replaced
        assert set(theirs.stored("P01")) == set(ORDER)
        first.add_participant(name="Ɛrɛ Dɔgɔ", organisation="WANEP-Mali")  # a latecomer
        late = theirs.start("P04")  # registered in the other window a moment ago
        late.keys(typed("555|555|555|555|555|"))
        theirs.save(late)
        assert set(mine.stored("P04")) == set(ORDER)


def test_forms_of_a_round_closed_in_another_window_are_not_typed_into_the_next(
    session: Path,
) -> None:
    with workshop(session) as typing, workshop(session) as facilitator:
        entry = PaperEntry(typing)  # round 1's forms on the table
        form = entry.start("P01")
        form.keys(typed("777|777|777|777|777|"))
        facilitator.close_round(confirmed=True)
        facilitator.start_round()  # round 2, in the facilitator's window
        with pytest.raises(RoundError, match="round 1"):
            entry.save(form)
        with pytest.raises(RoundError, match="Round 1 is no longer open"):
            entry.start("P02")
        assert typing.ballots(2) == []  # nothing of round 1 counted in round 2


def test_an_unknown_code_is_refused_in_one_sentence(session: Path) -> None:
    with workshop(session) as ws, pytest.raises(BallotError, match="No participant has the code"):
        PaperEntry(ws).start("P99")


def test_typing_needs_an_open_round(sessions_dir: Path, small_framework: Framework) -> None:
    with Workshop.create(
        root=sessions_dir, name="Atelier", framework=small_framework, settings=Settings()
    ) as ws:
        ws.add_participants(NAMES)
        with pytest.raises(RoundError, match="No round is open"):
            PaperEntry(ws)


# -- double entry ------------------------------------------------------------------------------


def first_entry(ws: Workshop) -> None:
    entry = PaperEntry(ws)
    form = entry.start("P03")
    form.keys(typed("777"))
    form.comment("Trop vague pour Ségou")
    form.keys(typed("5-5|888|222|333|"))
    entry.save(form, blanks_confirmed=True)


def test_double_entry_finds_differences_and_records_what_the_paper_says(session: Path) -> None:
    with workshop(session) as ws:
        first_entry(ws)
        check = PaperEntry(ws, check=True)
        form = check.start("P03")
        form.keys(typed("177|"))  # relevance mistyped by one of the two
        form.keys(typed("555|888|222|333|"))  # the empty box typed as 5 by the second
        differences = check.compare(form)
        assert [(d.indicator, d.criterion, d.first, d.second) for d in differences] == [
            ("D1.O1.I1", "relevance", 7, 1),
            ("D1.O1.I1", None, "Trop vague pour Ségou", ""),
            ("D1.O1.I2", "feasibility", BLANK, 5),
        ]
        with pytest.raises(BallotError, match="not saved"):
            check.save(form)
        recorded = check.resolve(
            form,
            {
                ("D1.O1.I1", "relevance"): 7,  # the paper says 7: the first entry stands
                ("D1.O1.I1", None): "Trop vague pour Ségou",
                ("D1.O1.I2", "feasibility"): 4,  # the paper says 4: both were wrong
            },
        )
        assert [b.indicator for b in recorded] == ["D1.O1.I2"]
        stored = latest(ws, "P03")
        assert stored["D1.O1.I2"].ratings == {"relevance": 5, "feasibility": 4, "clarity": 5}
        assert stored["D1.O1.I1"].ratings == {"relevance": 7, "feasibility": 7, "clarity": 7}
        assert stored["D1.O1.I1"].comment == "Trop vague pour Ségou"
        assert len([b for b in ws.ballots(1) if b.participant == "P03"]) == 5  # never twice


def test_an_identical_second_entry_writes_nothing(session: Path) -> None:
    with workshop(session) as ws:
        first_entry(ws)
        journal = len(ws.store.ballots(1))
        check = PaperEntry(ws, check=True)
        form = check.start("P03")
        form.keys(typed("777"))
        form.comment("Trop vague   pour Ségou")
        form.keys(typed("5-5|888|222|333|"))
        assert check.compare(form) == []
        assert check.resolve(form, {}) == []
        assert len(ws.store.ballots(1)) == journal


def test_a_second_entry_needs_a_first(session: Path) -> None:
    with workshop(session) as ws, pytest.raises(BallotError, match="has no first entry"):
        PaperEntry(ws, check=True).start("P02")


# -- the printed forms -------------------------------------------------------------------------

pypdf = pytest.importorskip("pypdf")


def pages_text(path: Path) -> list[str]:
    return [
        " ".join(page.extract_text().replace("\u00a0", " ").split())
        for page in pypdf.PdfReader(str(path)).pages
    ]


def test_the_pdf_has_a_form_per_participant_then_blank_ones(session: Path, tmp_path: Path) -> None:
    from hsvalidate.exports.paper import write_paper_ballots

    with workshop(session) as ws:
        forms = printed_ballots(ws, lang="fr", blank=2)
    out = tmp_path / "bulletins à imprimer.pdf"
    pages = write_paper_ballots(forms, out)
    text = pages_text(out)
    assert len(text) == pages
    footers = [re.search(r"(P0\d|Bulletin vierge \d) — page (\d)/(\d)", p) for p in text]
    assert all(footers), text
    forms_seen = [m.group(1) for m in footers if m and m.group(2) == "1"]
    assert forms_seen == ["P01", "P02", "P03", "Bulletin vierge 1", "Bulletin vierge 2"]
    first = text[0]
    assert "Awa Kɔnɛ" in first and "découpez cette bande" in first
    assert "D1.O1.I1 Nombre d'incidents signalés" in " ".join(text)
    assert "Définition de D1.O1.I1 (ɛ ɔ ɲ ŋ)" in " ".join(text)
    assert "NSP" in first
    # The name is printed only on the strip of its own form's first page.
    assert sum("Awa Kɔnɛ" in p for p in text) == 1
    assert not any("Ŋolo" in p or "Awa" in p for p in text if "Bulletin vierge" in p)


def test_later_rounds_print_last_rounds_figures_and_own_rating(
    session: Path, tmp_path: Path
) -> None:
    from hsvalidate.exports.paper import write_paper_ballots

    with workshop(session) as ws:
        for code, score in (("P01", 2), ("P02", 5), ("P03", 9)):
            ws.record_ballots(
                [
                    Ballot(round=1, participant=code, indicator=i, ratings={"relevance": score})
                    for i in ORDER
                ]
            )
        ws.close_round(confirmed=True)
        ws.start_round(indicators=["D1.O1.I2"])
        forms = printed_ballots(ws, lang="en", participants=["p01"])
    out = tmp_path / "round 2.pdf"
    write_paper_ballots(forms, out)
    text = " ".join(pages_text(out))
    assert "Round 1: median 5; 1–3: 33%, 4–6: 33%, 7–9: 33% (n = 3)" in text
    assert "your rating: 2" in text
    assert "P02" not in text  # only the form asked for


def test_print_command_writes_the_forms_in_the_session_folder(session: Path) -> None:
    result = CliRunner().invoke(cli, ["ballots", "print", "--blank", "1"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "3 bulletins du tour 1 écrits" in result.output
    assert "Suivi de 1 bulletin vierge, avec une case pour le code." in result.output
    assert (session / "Atelier" / "exports" / "bulletins Atelier tour 1.pdf").exists()


def test_print_command_refuses_an_unknown_code_in_one_sentence(session: Path) -> None:
    result = CliRunner().invoke(cli, ["ballots", "print", "--participant", "P01,P77"])
    assert result.exit_code == 1
    assert "Aucun participant n'a le code « P77 »" in result.output.replace("\xa0", " ")
    assert "Traceback" not in result.output


# -- the typing screen -------------------------------------------------------------------------

ESC = "\x1b"
BS = "\x7f"


@contextmanager
def screen(keys: str) -> Iterator[io.StringIO]:
    """The prompts draw on an 80×24 screen and read ``keys``; EOF when they run out."""
    drawn = io.StringIO()
    output = Vt100_Output(drawn, lambda: Size(rows=24, columns=80), term="xterm")
    with create_pipe_input() as inp, create_app_session(input=inp, output=output):
        inp.send_text(keys)
        inp.close()
        yield drawn


def shown(drawn: io.StringIO) -> str:
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", drawn.getvalue()).replace("\xa0", " ")


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(prompts, "stdin_is_terminal", lambda: True)


def enter(*args: str) -> Result:
    return CliRunner().invoke(cli, ["ballots", "enter", *args], catch_exceptions=False)


def stored(root: Path, code: str) -> dict[str, Ballot]:
    with Workshop.open(root=root, name="Atelier", writable=False) as ws:
        return latest(ws, code)


def test_the_screen_types_a_form_and_saves_it_on_enter(session: Path, terminal: None) -> None:
    keys = "p02\r" + "78" + BS + "9n" + "c" + "Sources à préciser, ɲ ŋ\r" + "555\r" * 4
    keys += "\r"  # the summary: Enter saves
    keys += "\r"  # an empty code: finished
    with screen(keys):
        result = enter()
    assert result.exit_code == 0, result.output
    out = result.output.replace("\xa0", " ")
    assert "✓ Bulletin de P02 enregistré : 5 indicateurs (tour 1)." in out
    assert "1 bulletin saisi dans cette fenêtre." in result.output
    ratings = stored(session, "P02")
    assert ratings["D1.O1.I1"].ratings == {"relevance": 7, "feasibility": 9, "clarity": None}
    assert ratings["D1.O1.I1"].comment == "Sources à préciser, ɲ ŋ"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("fr", ["P02 · indicateur 2 sur 5 · D1.O1.I2 · 1re saisie", "Part des femmes", "▸ Faisabilité",
                "Précédent, D1.O1.I1 : 7 · NSP · vide", "0/n NSP · -/espace vide"]),
        ("en", ["P02 · indicator 2 of 5 · D1.O1.I2 · first entry", "Women feeling safe", "▸ Feasibility",
                "Previous, D1.O1.I1: 7 · cannot judge · empty", "0/n cannot judge · -/space empty"]),
    ],
)  # fmt: skip
def test_the_typing_screen_shows_the_indicator_the_boxes_and_the_keys(
    session: Path, lang: str, expected: list[str]
) -> None:
    from hsvalidate import i18n
    from hsvalidate.cli.paper import _screen_lines

    i18n.set_language(lang)
    with workshop(session) as ws:
        entry = PaperEntry(ws)
        form = entry.start("P02")
        form.keys(typed("7n-|4"))
        text = "\n".join(line for _, line in _screen_lines(ws, entry, form, ""))
    for line in expected:
        assert line in text


def test_the_screen_asks_before_saving_a_form_with_empty_boxes(
    session: Path, terminal: None
) -> None:
    keys = "P01\r" + "7-7\r" + "777\r" * 4
    keys += "\r"  # Enter alone does not save when boxes are empty
    keys += ESC  # back to correct: the last indicator reopens
    keys += BS + "7\r"
    keys += "o"  # now explicitly: save anyway
    keys += "\r"
    with screen(keys) as drawn:
        result = enter()
    assert result.exit_code == 0, result.output
    text = " ".join(shown(drawn).split())
    assert "1 critère laissé vide : D1.O1.I1 Faisabilité. Enregistrer quand même ?" in text
    assert stored(session, "P01")["D1.O1.I1"].ratings == {"relevance": 7, "clarity": 7}


def test_the_screen_asks_before_replacing_a_form_typed_before(
    session: Path, terminal: None
) -> None:
    with screen("P01\r" + "111\r" * 5 + "\r\r"):
        assert enter().exit_code == 0
    with screen("P01\rn\r\r") as drawn:  # one key answers, as every other question here
        result = enter()
    assert result.exit_code == 0
    asked = " ".join(shown(drawn).split())
    assert "P01 a déjà un bulletin au tour 1, saisi le" in asked
    assert "(papier, 5 indicateurs) — le remplacer ?" in asked
    assert "Le bulletin de P01 est laissé tel quel." in result.output
    assert {b.ratings["relevance"] for b in stored(session, "P01").values()} == {1}


def test_the_second_entry_shows_differences_side_by_side_and_settles_them(
    session: Path, terminal: None
) -> None:
    with screen("P01\r" + "777\r" + "888\r" * 4 + "\r\r"):
        assert enter().exit_code == 0
    keys = "P01\r" + "717\r" + "888\r" * 4  # feasibility typed 1 instead of 7
    keys += "\r"  # settle now
    keys += "7"  # the paper says 7
    keys += "\r"
    with screen(keys):
        result = enter("--second")
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert "1 différence entre les deux saisies de P01" in out
    assert "P01 D1.O1.I1 Faisabilité : 1re saisie 7, 2e saisie 1" in out
    assert "La première saisie de P01 est confirmée par le papier" in out
    assert stored(session, "P01")["D1.O1.I1"].ratings["feasibility"] == 7


def test_escape_abandons_a_form_and_saves_nothing(session: Path, terminal: None) -> None:
    with screen("P03\r" + "777\r" + ESC + "\r"):
        result = enter()
    assert result.exit_code == 0
    out = result.output.replace("\xa0", " ")
    assert "Bulletin de P03 abandonné : rien n'a été enregistré pour lui." in out
    assert stored(session, "P03") == {}


def test_without_a_terminal_the_command_names_the_file_import(session: Path) -> None:
    result = enter()
    assert result.exit_code == 1
    assert "hsvalidate ballots import" in result.output


def test_in_english_the_screen_speaks_english(
    sessions_dir: Path, small_framework: Framework, terminal: None
) -> None:
    make_session(sessions_dir, small_framework, replace(Settings(), lang="en"))
    with screen("P01\r" + "123\r" * 5 + "\r\r") as drawn:
        result = enter()
    assert result.exit_code == 0, result.output
    assert "✓ P01's form saved: 5 indicators (round 1)." in result.output
    assert "Save P01's form? [Enter: yes, Esc: correct]" in shown(drawn)
