"""Forms before the workshop: written one per participant, filled as in Excel, imported back.

The forms are filled here with openpyxl, cell by cell, the way a participant fills them in
Excel or LibreOffice: by what the sheet shows (codes down column A, criteria across the
header), not through the hidden identification the reader relies on.
"""

from __future__ import annotations

import csv
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from hsvalidate.cli import cli
from hsvalidate.workshop import Workshop

PEOPLE = [
    ("Awa Kɔnɛ", "WANEP-Mali", "société civile", "F"),
    ("Ɲɛlɛni Dembélé", "Ministère de la Réconciliation", "gouvernement", "F"),
    ("Sɛkuba Kanté", "MINUSMA", "international", "H"),
    ("Ŋolo Traoré", "CEDEAO", "régional", "M"),
]
INDICATORS = ("D1.O1.I1", "D1.O1.I2", "D1.O2.I1", "D2.O1.I1", "D2.O1.I2")
SESSION = "Atelier Bamako"


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def session(sessions_dir: Path, framework_file: Path, tmp_path: Path) -> str:
    """An English session (the tests' default language) with round 1 open."""
    return _session(SESSION, framework_file, tmp_path)


def _session(name: str, framework_file: Path, tmp_path: Path, *extra: str) -> str:
    attendance = tmp_path / f"présence {name}.csv"
    with attendance.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(["Nom", "Structure", "Groupe", "Sexe"])
        writer.writerows(PEOPLE)
    assert run("session", "new", name, "--framework", str(framework_file), *extra).exit_code == 0
    assert run("participants", "import", str(attendance), "--session", name).exit_code == 0
    assert run("round", "open", "--session", name).exit_code == 0
    return name


def write_forms(tmp_path: Path, *args: str, session: str = SESSION) -> Path:
    folder = tmp_path / "formulaires à envoyer"
    result = run("ballots", "forms", "--folder", str(folder), "--session", session, *args)
    assert result.exit_code == 0, result.output
    return folder


def visible(path: Path) -> tuple[Any, Any, dict[str, int], dict[str, str], str]:
    """(workbook, answer sheet, indicator → row, criterion label → column, comment column)."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb.worksheets[0]
    rows = {
        str(ws.cell(r, 1).value): r
        for r in range(1, ws.max_row + 1)
        if str(ws.cell(r, 1).value) in INDICATORS
    }
    header = min(rows.values()) - 1
    columns = {
        str(ws.cell(header, c).value): ws.cell(header, c).column_letter
        for c in range(1, ws.max_column + 1)
    }
    return wb, ws, rows, columns, columns["Comment"]


def fill(
    path: Path,
    out: Path,
    scores: dict[str, tuple[Any, Any, Any]],
    *,
    comments: dict[str, str] | None = None,
    code: str | None = None,
) -> Path:
    """Fill a form as a participant would: scores per indicator for the three criteria."""
    wb, ws, rows, columns, comment = visible(path)
    for indicator, values in scores.items():
        for label, value in zip(("Relevance", "Feasibility", "Clarity"), values, strict=True):
            ws[f"{columns[label]}{rows[indicator]}"] = value
    for indicator, text in (comments or {}).items():
        ws[f"{comment}{rows[indicator]}"] = text
    if code is not None:
        label = next(r for r in range(1, 20) if ws.cell(r, 1).value == "Your participant code:")
        ws.cell(label, 3).value = code
    wb.save(out)
    return out


def ballots(name: str = SESSION) -> list[Any]:
    root = Path.cwd() / "mes sessions"
    with Workshop.open(root=root, name=name, writable=False) as ws:
        rnd = ws.open_round() or ws.rounds()[-1]
        return ws.ballots(rnd.number)


def test_one_form_per_expected_participant_named_by_code(session: str, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    assert run("participants", "withdraw", "P04").exit_code == 0
    result = run("ballots", "forms", "--folder", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert files == ["form-round1-P01.xlsx", "form-round1-P02.xlsx", "form-round1-P03.xlsx"]
    assert "P02  Ɲɛlɛni Dembélé  →  form-round1-P02.xlsx" in result.output  # whose file is whose

    wb = load_workbook(tmp_path / "out" / "form-round1-P02.xlsx")
    ws = wb["Round 1"]
    texts = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    assert "Ɲɛlɛni Dembélé (P02)" in texts  # the participant recognises their form
    assert "Percentage of women feeling safe" not in texts  # sanity: the small framework's words
    assert "Women feeling safe" in texts

    assert ws.protection.sheet is True
    assert wb.security is not None and wb.security.lockStructure
    _, ws, rows, columns, comment = visible(tmp_path / "out" / "form-round1-P02.xlsx")
    answer_cells = [
        f"{columns[c]}{r}" for r in rows.values() for c in ("Relevance", "Feasibility", "Clarity")
    ]
    for cell in [*answer_cells, *(f"{comment}{r}" for r in rows.values())]:
        assert ws[cell].protection.locked is False, cell
    assert ws[f"A{rows['D1.O1.I1']}"].protection.locked is True
    assert ws[f"C{rows['D1.O1.I1']}"].protection.locked is True

    (validation,) = ws.data_validations.dataValidation
    assert validation.type == "list"
    assert validation.formula1 == '"1,2,3,4,5,6,7,8,9,N/A"'
    covered = {str(c) for rng in validation.sqref.ranges for c in _cells(rng)}
    assert set(answer_cells) <= covered
    assert not any(f"{comment}{r}" in covered for r in rows.values())

    hidden = wb["hsvalidate"]
    assert hidden.sheet_state == "hidden"
    facts = {r[0]: r[1] for r in hidden.iter_rows(values_only=True)}
    assert facts["session"] == SESSION and facts["round"] == "1" and facts["participant"] == "P02"
    assert ws.print_title_rows is not None
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1


def _cells(rng: Any) -> list[str]:
    from openpyxl.utils import get_column_letter

    return [
        f"{get_column_letter(c)}{r}"
        for r in range(rng.min_row, rng.max_row + 1)
        for c in range(rng.min_col, rng.max_col + 1)
    ]


def test_a_filled_form_imports_with_cannot_judge_and_comments(session: str, tmp_path: Path) -> None:
    folder = write_forms(tmp_path)
    filled = fill(
        folder / "form-round1-P01.xlsx",
        tmp_path / "P01 rempli.xlsx",
        {"D1.O1.I1": (8, "N/A", "7"), "D2.O1.I1": (3, "NSP", 2)},
        comments={"D1.O1.I1": "Reformuler : « ménages » → « foyers » (ɛ ɔ ɲ ŋ)"},
    )
    result = run("ballots", "import", str(filled))
    assert result.exit_code == 0, result.output
    assert "P01 rempli.xlsx (form, P01): recorded 2 ballots." in result.output
    assert "3 indicators left unrated (empty rows)." in result.output
    got = {b.indicator: b for b in ballots()}
    assert set(got) == {"D1.O1.I1", "D2.O1.I1"}
    assert got["D1.O1.I1"].ratings == {"relevance": 8, "feasibility": None, "clarity": 7}
    assert got["D1.O1.I1"].comment == "Reformuler : « ménages » → « foyers » (ɛ ɔ ɲ ŋ)"
    assert got["D2.O1.I1"].ratings == {"relevance": 3, "feasibility": None, "clarity": 2}
    assert {b.source for b in got.values()} == {"form"}
    assert {b.participant for b in got.values()} == {"P01"}


def test_one_bad_cell_rejects_the_whole_form_and_names_the_cell(
    session: str, tmp_path: Path
) -> None:
    folder = write_forms(tmp_path)
    _, _, rows, columns, _ = visible(folder / "form-round1-P03.xlsx")
    filled = fill(
        folder / "form-round1-P03.xlsx",
        tmp_path / "form-round1-P03.xlsx",
        {code: (7, 7, 7) for code in INDICATORS} | {"D1.O2.I1": (7, 12, 7)},
    )
    result = run("ballots", "import", str(filled))
    assert result.exit_code == 1
    bad = f"{columns['Feasibility']}{rows['D1.O2.I1']}"
    assert (
        f"form-round1-P03.xlsx, sheet 'Round 1', cell {bad}: '12' is not on the scale 1–9"
        in result.output
    )
    assert "no ballot was recorded" in result.output
    assert ballots() == []  # the four good rows are not recorded either


def test_french_form_names_its_cell_in_french(
    sessions_dir: Path, framework_file: Path, tmp_path: Path
) -> None:
    _session("Atelier Ségou", framework_file, tmp_path, "--lang", "fr")
    folder = write_forms(tmp_path, session="Atelier Ségou")
    assert sorted(p.name for p in folder.iterdir())[0] == "formulaire-tour1-P01.xlsx"
    from openpyxl import load_workbook

    wb = load_workbook(folder / "formulaire-tour1-P01.xlsx")
    ws = wb["Tour 1"]
    (validation,) = ws.data_validations.dataValidation
    assert validation.formula1 == '"1,2,3,4,5,6,7,8,9,NSP"'
    header = next(r for r in range(1, 40) if ws.cell(r, 1).value == "Code")
    col = next(c for c in range(1, 12) if ws.cell(header, c).value == "Faisabilité")
    letter = ws.cell(header, col).column_letter
    ws[f"{letter}{header + 1}"] = 12
    ws[f"{letter}{header + 2}"] = 5
    wb.save(tmp_path / "formulaire-tour1-P01.xlsx")
    result = run("ballots", "import", str(tmp_path / "formulaire-tour1-P01.xlsx"))
    assert result.exit_code == 1
    output = result.output.replace("\xa0", " ")  # French spaces before : and inside « »
    assert (
        f"formulaire-tour1-P01.xlsx, feuille « Tour 1 », cellule {letter}{header + 1} : "
        "« 12 » n'est pas sur l'échelle 1–9" in output
    )
    # each row rates one criterion and leaves two empty: each empty cell is flagged
    assert output.count("Case vide alors que d'autres critères") == 4


def test_several_files_one_bad_records_nothing_and_lists_every_problem(
    session: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_forms(tmp_path)
    opened: list[bool] = []
    real_open = Workshop.open.__func__  # type: ignore[attr-defined]

    def opening(cls: type[Workshop], *args: Any, **kwargs: Any) -> Any:
        opened.append(kwargs.get("writable", True))
        return real_open(cls, *args, **kwargs)

    monkeypatch.setattr(Workshop, "open", classmethod(opening))
    good = fill(folder / "form-round1-P01.xlsx", tmp_path / "P01.xlsx", {"D1.O1.I1": (8, 8, 8)})
    also = fill(folder / "form-round1-P02.xlsx", tmp_path / "P02.xlsx", {"D1.O1.I1": (9, 9, 9)})
    partial = fill(
        folder / "form-round1-P03.xlsx", tmp_path / "P03.xlsx", {"D1.O1.I1": (8, None, 8)}
    )
    broken = tmp_path / "P04 abîmé.xlsx"
    broken.write_bytes((folder / "form-round1-P04.xlsx").read_bytes()[:3000])
    result = run("ballots", "import", str(good), str(also), str(partial), str(broken))
    assert result.exit_code == 1
    assert "2 problems in the files (P01.xlsx, P02.xlsx, P03.xlsx, P04 abîmé.xlsx)" in (
        result.output
    )
    assert "P03.xlsx, sheet 'Round 1', cell" in result.output
    assert "Empty while other criteria on the row are rated" in result.output
    assert "P04 abîmé.xlsx" in result.output.split("\n", 2)[2]  # the damaged file named too
    assert "Traceback" not in result.output
    assert opened == [False]  # a file that cannot be read: the others checked without the lock
    assert ballots() == []


def test_dry_run_says_what_would_be_recorded_and_writes_nothing(
    session: str, tmp_path: Path
) -> None:
    folder = write_forms(tmp_path)
    filled = fill(
        folder / "form-round1-P01.xlsx",
        tmp_path / "P01.xlsx",
        {"D1.O1.I1": (8, 8, 8)},
        comments={"D1.O1.I1": "Bien"},
    )
    journal = Path.cwd() / "mes sessions" / SESSION
    before = {p: p.stat().st_mtime_ns for p in journal.rglob("*") if p.is_file()}
    result = run("ballots", "import", str(filled), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "P01.xlsx (form, P01): 1 ballot would be recorded." in result.output
    assert "1 ballot carries a comment." in result.output
    assert "Nothing was recorded (--dry-run)" in result.output
    assert ballots() == []
    after = {p: p.stat().st_mtime_ns for p in journal.rglob("*") if p.is_file()}
    assert after == before
    # the same import for real, then a dry run says what would be replaced
    assert run("ballots", "import", str(filled)).exit_code == 0
    again = run("ballots", "import", str(filled), "--dry-run")
    assert "1 would replace a ballot already recorded." in again.output


def test_a_form_of_a_closed_round_or_another_session_is_refused(
    session: str, framework_file: Path, tmp_path: Path
) -> None:
    folder = write_forms(tmp_path)
    filled = fill(folder / "form-round1-P01.xlsx", tmp_path / "tour1.xlsx", {"D1.O1.I1": (1, 9, 5)})
    _session("Atelier Gao", framework_file, tmp_path)
    other = write_forms(tmp_path / "gao", session="Atelier Gao")
    from_gao = fill(other / "form-round1-P01.xlsx", tmp_path / "gao.xlsx", {"D1.O1.I1": (1, 9, 5)})
    result = run("ballots", "import", str(from_gao), "--session", SESSION)
    assert result.exit_code == 1
    assert "'gao.xlsx' is a form of the session 'Atelier Gao', not of 'Atelier Bamako'" in (
        result.output
    )

    assert run("round", "close", "--yes", "--session", SESSION).exit_code == 0
    assert run("round", "open", "--session", SESSION).exit_code == 0
    result = run("ballots", "import", str(filled), "--session", SESSION)
    assert result.exit_code == 1
    assert "'tour1.xlsx' is the form of round 1, which is closed (the open round is round 2)" in (
        result.output
    )
    assert ballots() == []


def test_a_same_named_session_made_again_does_not_take_the_old_forms(
    session: str, framework_file: Path, tmp_path: Path
) -> None:
    import shutil

    folder = write_forms(tmp_path)
    filled = fill(folder / "form-round1-P01.xlsx", tmp_path / "old.xlsx", {"D1.O1.I1": (1, 9, 5)})
    shutil.rmtree(Path.cwd() / "mes sessions" / SESSION)
    time.sleep(1.1)  # sessions are told apart by the second they were created in
    _session(SESSION, framework_file, tmp_path)  # a rehearsal's session, made again
    result = run("ballots", "import", str(filled))
    assert result.exit_code == 1
    assert "'old.xlsx' was written for another session also named 'Atelier Bamako'" in (
        result.output
    )


def test_a_blank_form_needs_a_known_code_in_its_cell(session: str, tmp_path: Path) -> None:
    folder = write_forms(tmp_path, "--blank")
    (blank,) = folder.iterdir()
    assert blank.name == "form-round1-blank.xlsx"
    _, ws, *_ = visible(blank)
    code_row = next(r for r in range(1, 20) if ws.cell(r, 1).value == "Your participant code:")
    assert ws.cell(code_row, 3).protection.locked is False
    scores = {"D1.O1.I1": (6, 6, 6)}

    empty = fill(blank, tmp_path / "sans code.xlsx", scores)
    result = run("ballots", "import", str(empty))
    assert result.exit_code == 1
    assert f"sheet 'Round 1', cell C{code_row}: the participant code is not filled in" in (
        result.output.replace("The participant", "the participant")
    )

    unknown = fill(blank, tmp_path / "P99.xlsx", scores, code="P99")
    result = run("ballots", "import", str(unknown))
    assert f"cell C{code_row}: 'P99' is not a participant code of the session" in result.output
    assert ballots() == []

    known = fill(blank, tmp_path / "p03.xlsx", scores, code=" p03 ")
    result = run("ballots", "import", str(known))
    assert result.exit_code == 0, result.output
    assert [(b.participant, b.source) for b in ballots()] == [("P03", "form")]


def test_tidy_file_and_forms_in_one_import(session: str, tmp_path: Path) -> None:
    folder = write_forms(tmp_path)
    form = fill(folder / "form-round1-P01.xlsx", tmp_path / "P01.xlsx", {"D1.O1.I1": (8, 8, 8)})
    tidy = tmp_path / "votes papier.csv"
    with tidy.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["participant", "indicator", "criterion", "score", "comment"])
        for criterion in ("relevance", "feasibility", "clarity"):
            writer.writerow(["P02", "D1.O1.I1", criterion, "4", "Ɲɔgɔn"])
    result = run("ballots", "import", str(form), str(tidy), "--source", "paper")
    assert result.exit_code == 0, result.output
    assert "votes papier.csv (table, P02): recorded 1 ballot." in result.output
    sources = {b.participant: b.source for b in ballots()}
    assert sources == {"P01": "form", "P02": "paper"}


def test_the_same_ballot_in_two_files_is_named_and_nothing_recorded(
    session: str, tmp_path: Path
) -> None:
    folder = write_forms(tmp_path)
    first = fill(folder / "form-round1-P01.xlsx", tmp_path / "lundi.xlsx", {"D1.O1.I1": (8, 8, 8)})
    second = fill(folder / "form-round1-P01.xlsx", tmp_path / "mardi.xlsx", {"D1.O1.I1": (2, 2, 2)})
    result = run("ballots", "import", str(first), str(second))
    assert result.exit_code == 1
    assert "The ballot of P01 on D1.O1.I1 is also in 'lundi.xlsx'" in result.output
    assert ballots() == []


def test_rows_moved_in_a_form_are_refused_rather_than_misread(session: str, tmp_path: Path) -> None:
    folder = write_forms(tmp_path)
    wb, ws, rows, _, _ = visible(folder / "form-round1-P01.xlsx")
    first, second = rows["D1.O1.I1"], rows["D1.O1.I2"]
    for column in range(1, ws.max_column + 1):  # a sort: two rows swapped, ratings with them
        a, b = ws.cell(first, column), ws.cell(second, column)
        a.value, b.value = b.value, a.value
    wb.save(tmp_path / "trié.xlsx")
    result = run("ballots", "import", str(tmp_path / "trié.xlsx"))
    assert result.exit_code == 1
    assert f"cell A{first}: This row should hold the indicator D1.O1.I1" in result.output


def test_a_comment_without_any_rating_is_flagged(session: str, tmp_path: Path) -> None:
    folder = write_forms(tmp_path)
    filled = fill(
        folder / "form-round1-P01.xlsx",
        tmp_path / "P01.xlsx",
        {},
        comments={"D2.O1.I2": "Je ne sais pas quoi noter"},
    )
    result = run("ballots", "import", str(filled))
    assert result.exit_code == 1
    assert "A comment without any score" in result.output


def test_forms_need_an_open_round(session: str, tmp_path: Path) -> None:
    assert run("round", "close", "--yes").exit_code == 0
    result = run("ballots", "forms", "--folder", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_a_withdrawn_participant_named_gets_no_form(session: str, tmp_path: Path) -> None:
    assert run("participants", "withdraw", "P04").exit_code == 0
    result = run("ballots", "forms", "--participant", "P04", "--folder", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "P04 has withdrawn from the workshop" in result.output


def test_later_rounds_show_the_previous_round_feedback(session: str, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    rows = [["participant", "indicator", "criterion", "score", "comment"]]
    for person, score in (("P01", "2"), ("P02", "8"), ("P03", "5"), ("P04", "9")):
        for indicator in INDICATORS:
            for criterion in ("relevance", "feasibility", "clarity"):
                rows.append([person, indicator, criterion, score, ""])
    tidy = tmp_path / "tour 1.csv"
    with tidy.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    assert run("ballots", "import", str(tidy)).exit_code == 0
    assert run("round", "close", "--yes").exit_code == 0
    assert run("round", "open").exit_code == 0
    folder = write_forms(tmp_path, "--participant", "P02")
    ws = load_workbook(folder / "form-round2-P02.xlsx")["Round 2"]
    texts = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    assert "Previous round" in texts
    assert any(
        "Relevance: median 6.5; low 25%, middle 25%, high 50%; no disagreement (n = 4); "
        "your score: 8" in text
        for text in texts
    )


def _context() -> Any:
    from hsvalidate.forms import FormContext
    from hsvalidate.model import DEFAULT_CRITERIA

    codes = {"P01": "P01", "P02": "P02"}
    return FormContext(
        session=SESSION,
        created="2026-11-27T09:00:00+00:00",
        round=1,
        indicators=("I1", "I2"),
        participant_code=lambda text: codes.get(text.strip().upper()),
        criteria=DEFAULT_CRITERIA,
    )


def _tables(identification: list[list[str]], answers: list[list[str]]) -> list[Any]:
    from hsvalidate.spreadsheet import Table

    return [Table("Round 1", answers), Table("hsvalidate", identification)]


_GOOD_ID = [
    ["hsvalidate-form", "1"],
    ["session", SESSION],
    ["created", "2026-11-27T09:00:00+00:00"],
    ["round", "1"],
    ["participant", "P01"],
    ["language", "en"],
    ["sheet", "Round 1"],
    ["code-cell", "C2"],
    ["header-row", "3"],
    ["comment", "E"],
    ["criterion", "relevance", "B"],
    ["criterion", "feasibility", "C"],
    ["criterion", "clarity", "D"],
    ["indicator", "I1", "4"],
    ["indicator", "I2", "5"],
]
_GOOD_ANSWERS = [
    ["Rating form"],
    ["Participant code", "", "P01"],
    ["Code", "Relevance", "Feasibility", "Clarity", "Comment"],
    ["I1", "7", "N/A", "9", "Ɲɔgɔn"],
    ["I2", "", "", "", ""],
]


def test_the_reader_on_a_sound_form_in_memory() -> None:
    from hsvalidate.forms import read_form

    got = read_form(Path("f.xlsx"), _tables(_GOOD_ID, _GOOD_ANSWERS), _context())
    assert got.participant == "P01" and got.not_rated == 1
    (ballot,) = got.ballots
    assert ballot.ratings == {"relevance": 7, "feasibility": None, "clarity": 9}
    assert ballot.comment == "Ɲɔgɔn" and ballot.source == "form"


@pytest.mark.parametrize(
    ("row", "value"),
    [
        (3, "deux"),  # the round is not a number
        (7, ""),  # no sheet named
        (13, "ZZZZZZZZ"),  # a row that is no number
        (0, "autre chose"),  # not the marker: then it is no form at all
    ],
)
def test_a_damaged_identification_is_one_sentence(row: int, value: str) -> None:
    from hsvalidate.errors import InputFileError
    from hsvalidate.forms import is_form, read_form

    identification = [list(r) for r in _GOOD_ID]
    identification[row][-1 if row else 0] = value
    tables = _tables(identification, _GOOD_ANSWERS)
    if row == 0:
        assert not is_form(tables)
        return
    with pytest.raises(InputFileError) as caught:
        read_form(Path("f.xlsx"), tables, _context())
    assert caught.value.problems
    assert "f.xlsx" in str(caught.value)


def test_an_identification_pointing_anywhere_never_crashes_the_reader() -> None:
    """Places far outside the sheet, column zero, negative rows: problems, not tracebacks."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from hsvalidate.errors import InputFileError
    from hsvalidate.forms import read_form

    place = st.one_of(
        st.from_regex(r"[A-Z]{0,4}-?[0-9]{0,12}", fullmatch=True),
        st.text(max_size=8),
    )

    @settings(max_examples=200, deadline=None)
    @given(
        code_cell=place,
        columns=st.lists(place, min_size=3, max_size=3),
        rows=st.lists(st.from_regex(r"-?[0-9]{1,12}", fullmatch=True), min_size=2, max_size=2),
        comment=place,
    )
    def check(code_cell: str, columns: list[str], rows: list[str], comment: str) -> None:
        identification = [list(r) for r in _GOOD_ID]
        identification[7][1] = code_cell
        identification[9][1] = comment
        for i, column in enumerate(columns):
            identification[10 + i][2] = column
        for i, row in enumerate(rows):
            identification[13 + i][2] = row
        try:
            read_form(Path("f.xlsx"), _tables(identification, _GOOD_ANSWERS), _context())
        except InputFileError as exc:
            assert exc.problems

    check()
