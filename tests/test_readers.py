"""Attendance sheets and ballot files as the secretariat types them: good files and every bad row."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest

from hsvalidate import i18n
from hsvalidate.consensus import Scale
from hsvalidate.errors import InputFileError, Problem
from hsvalidate.headers import fold
from hsvalidate.model import Ballot
from hsvalidate.readers import (
    AttendanceRow,
    BallotContext,
    normalise_sex,
    read_attendance,
    read_ballots,
)


def write_csv(
    path: Path, rows: list[list[str]], *, delimiter: str = ",", encoding: str = "utf-8"
) -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


def write_xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for values in rows:
            sheet.append(values)
    workbook.save(path)
    return path


def problems_of(call: object, *args: object, **kwargs: object) -> tuple[str, list[Problem]]:
    """The summary and the problems (messages as the user reads them) of a refused file."""
    with pytest.raises(InputFileError) as info:
        call(*args, **kwargs)  # type: ignore[operator]
    shown = [
        Problem(p.file, str(p.message), sheet=p.sheet, row=p.row, column=p.column)
        for p in info.value.problems
    ]
    return str(info.value), shown


def places(problems: list[Problem]) -> list[tuple[str | None, int | None, str | None]]:
    return [(p.sheet, p.row, p.column) for p in problems]


# --- attendance ---------------------------------------------------------------------------

PEOPLE = [
    ["Aminata Traoré", "WANEP-Mali", "Société civile", "F"],
    ["Moussa Keïta", "Mairie de Gao", "Collectivités", "Homme"],
    ["Fatoumata Diallo", "", "", ""],
]


@pytest.mark.parametrize(
    ("headers", "columns"),
    [
        (["Nom", "Structure", "Groupe", "Sexe"], ("name", "organisation", "group", "sex")),
        (
            ["Nom et prénom(s)", "Institution", "Catégorie d'acteurs", "H/F"],
            ("name", "organisation", "group", "sex"),
        ),
        (
            ["Prénom et nom", "Organisme", "Type d'acteur", "Genre"],
            ("name", "organisation", "group", "sex"),
        ),
        (
            ["NOM COMPLET", "ORGANISATION", "CATÉGORIE", "SEXE (H/F)"],
            ("name", "organisation", "group", "sex"),
        ),
        (["Nom", "Organisation", "Collège", "Sexe"], ("name", "organisation", "group", "sex")),
        (["Full name", "Organization", "Stakeholder group", "Gender"], ("name", "organisation", "group", "sex")),
    ],
)  # fmt: skip
def test_attendance_headers_francophone_and_anglophone_sheets_use(
    tmp_path: Path, headers: list[str], columns: tuple[str, ...]
) -> None:
    sheet = read_attendance(write_csv(tmp_path / "liste.csv", [headers, *PEOPLE]))
    assert sheet.columns == tuple(zip(columns, headers, strict=True))
    assert sheet.rows[0] == AttendanceRow(2, "Aminata Traoré", "WANEP-Mali", "Société civile", "F")
    assert sheet.rows[1].sex == "M"
    assert sheet.rows[2] == AttendanceRow(4, "Fatoumata Diallo", "", "", "")
    assert sheet.ignored == () and sheet.missing == ()


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8", ","), ("utf-8-sig", ";"), ("cp1252", ";"), ("utf-8", "\t")],
)
def test_attendance_csv_as_excel_saves_it(tmp_path: Path, encoding: str, delimiter: str) -> None:
    rows = [
        ["Liste de présence — atelier de Ségou"],
        [],
        ["Nom", "Structure", "Sexe"],
        *[[p[0], p[1], p[3]] for p in PEOPLE],
    ]
    path = write_csv(tmp_path / "présence.csv", rows, delimiter=delimiter, encoding=encoding)
    sheet = read_attendance(path)
    assert [(r.row, r.name, r.organisation) for r in sheet.rows] == [
        (4, "Aminata Traoré", "WANEP-Mali"),
        (5, "Moussa Keïta", "Mairie de Gao"),
        (6, "Fatoumata Diallo", ""),
    ]
    assert sheet.sheet is None and sheet.file == str(path)
    assert sheet.missing == ("group",)


def test_attendance_xlsx_finds_the_list_on_a_later_sheet(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "présence.xlsx",
        {
            "Lisez-moi": [["Remplir la feuille Liste"]],
            "Liste": [
                ["Atelier de validation — Mopti"],
                ["N°", "Nom et prénom(s)", "Structure", "Fonction", "Sexe", "Tél."],
                [1, "  Aminata   Traoré ", "WANEP-Mali", "Chargée S&E", "f", 76000000],
                [None, None, None, None, None, None],
                [2, "Moussa Keïta", "Mairie de Gao", "Maire", "masculin", None],
            ],
        },
    )
    sheet = read_attendance(path)
    assert sheet.sheet == "Liste"
    assert [(r.row, r.name, r.sex) for r in sheet.rows] == [
        (3, "Aminata Traoré", "F"),
        (5, "Moussa Keïta", "M"),
    ]
    assert sheet.ignored == (("N°", None), ("Fonction", None), ("Tél.", None))
    assert sheet.missing == ("group",)


def test_attendance_names_an_unrecognised_column_with_its_probable_field(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "l.csv", [["Nom", "Nom de la structure", "Catég."], PEOPLE[0][:3]])
    sheet = read_attendance(path)
    assert sheet.ignored == (("Nom de la structure", "organisation"), ("Catég.", "group"))
    assert sheet.missing == ("organisation", "group", "sex")


def test_every_bad_attendance_row_is_located_and_nobody_is_returned(tmp_path: Path) -> None:
    rows = [
        ["Nom", "Structure", "Sexe"],
        ["", "WANEP-Mali", "F"],
        ["Moussa Keïta", "Mairie de Gao", "Z"],
        ["Aminata Traoré", "WANEP-Mali", "F"],
        ["AMINATA TRAORE", "wanep mali", "F"],  # the same person, typed again
        ["Aminata Traoré", "Mairie de Gao", "F"],  # a namesake elsewhere is someone else
    ]
    path = write_xlsx(tmp_path / "liste.xlsx", {"Présents": rows})
    summary, problems = problems_of(read_attendance, path)
    assert places(problems) == [
        ("Présents", 2, "Nom"),
        ("Présents", 3, "Sexe"),
        ("Présents", 5, "Nom"),
    ]
    assert all(p.file == str(path) for p in problems)
    assert "empty" in problems[0].message
    assert "'Z'" in problems[1].message
    assert "row 4" in problems[2].message and "AMINATA TRAORE" in problems[2].message
    assert "3 problems" in summary and "liste.xlsx" in summary


def test_an_attendance_problem_in_french_and_in_english(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "liste.csv", [["Nom", "Sexe"], ["Awa Coulibaly", "X"]])
    with pytest.raises(InputFileError) as info:
        read_attendance(path)
    problem = info.value.problems[0]
    i18n.set_language("fr")
    assert str(problem).replace("\u00a0", " ") == (
        f"{path}, ligne 2, colonne « Sexe » : « X » n'est pas un sexe que l'outil connaît ; "
        "écrivez F, M (ou H) ou laissez la cellule vide."
    )
    assert "problème à corriger" in str(info.value)
    i18n.set_language("en")
    assert str(problem) == (
        f"{path}, row 2, column 'Sexe': 'X' is not a sex the tool knows; write F, M or leave it empty."
    )


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("", "is empty"),
        ("\n;;\n", "is empty"),
        ("Prénom,Ville\nAwa,Ségou\n", "name"),
        ("Titre de la liste\n\nNom,Sexe\n", "nobody"),
    ],
)
def test_attendance_file_without_people(tmp_path: Path, content: str, expected: str) -> None:
    path = tmp_path / "liste.csv"
    path.write_text(content, encoding="utf-8")
    summary, problems = problems_of(read_attendance, path)
    assert expected in summary
    assert len(problems) == 1


def test_a_missing_attendance_file_is_an_input_file_error(tmp_path: Path) -> None:
    summary, _ = problems_of(read_attendance, tmp_path / "absente.xlsx")
    assert "does not exist" in summary


@pytest.mark.parametrize(
    ("value", "sex"),
    [("F", "F"), ("femme", "F"), ("Féminin", "F"), ("H", "M"), ("Homme", "M"), ("m", "M"),
     ("male", "M"), ("", ""), ("  ", ""), ("X", None), ("autre", None)],
)  # fmt: skip
def test_sex_words(value: str, sex: str | None) -> None:
    assert normalise_sex(value) == sex


# --- ballots ----------------------------------------------------------------------------

CRITERIA = {"pertinence": "relevance", "faisabilite": "feasibility", "clarte": "clarity"}


def context(round_no: int = 1, scale: Scale | None = None) -> BallotContext:
    participants = {"P01", "P02", "P03"}

    def participant_code(raw: str) -> str | None:
        code = raw.strip().upper()
        return code if code in participants else None

    def criterion_code(raw: str) -> str | None:
        key = fold(raw)
        return key if key in CRITERIA.values() else CRITERIA.get(key)

    return BallotContext(
        round=round_no,
        indicators=("D1.O1.I1", "D1.O1.I2"),
        participant_code=participant_code,
        criterion_code=criterion_code,
        criteria_hint="pertinence, faisabilité, clarté",
        scale=scale or Scale(),
    )


def test_rows_of_one_participant_and_indicator_form_one_ballot(tmp_path: Path) -> None:
    rows = [
        ["Participant", "Indicateur", "Critère", "Note", "Commentaire"],
        ["p01", "D1.O1.I1", "Pertinence", "8", "Clair"],
        ["P01", "D1.O1.I1", "faisabilité", "7,0", ""],
        ["P01", "D1.O1.I1", "Clarity", "", "Clair"],
        [],
        ["P02", "d1.o1.i2", "relevance", "NSP", "Reformuler"],
        ["P01", "D1.O1.I2", "clarte", "9", ""],
    ]
    path = write_csv(tmp_path / "votes.csv", rows, delimiter=";", encoding="cp1252")
    ballots = read_ballots(path, context(2), source="paper")
    assert ballots == [
        Ballot(2, "P01", "D1.O1.I1", {"relevance": 8, "feasibility": 7, "clarity": None},
               comment="Clair", source="paper"),
        Ballot(2, "P02", "D1.O1.I2", {"relevance": None}, comment="Reformuler", source="paper"),
        Ballot(2, "P01", "D1.O1.I2", {"clarity": 9}, source="paper"),
    ]  # fmt: skip


def test_ballots_from_an_english_xlsx_sheet(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "votes.xlsx",
        {
            "Ratings": [
                ["Paper ballots, round 1"],
                ["Participant code", "Indicator code", "Criterion", "Rating", "Comments"],
                ["P03", "D1.O1.I1", "relevance", 4, "A note"],
                ["P03", "D1.O1.I1", "clarity", 5.0, "Another"],
            ]
        },
    )
    (ballot,) = read_ballots(path, context(scale=Scale(1, 5)), source="import")
    assert ballot.ratings == {"relevance": 4, "clarity": 5}
    assert ballot.comment == "A note / Another"


def test_every_bad_ballot_row_is_located_and_nothing_is_returned(tmp_path: Path) -> None:
    rows = [
        ["participant", "indicator", "criterion", "score", "comment"],
        ["P01", "D1.O1.I1", "relevance", "7", ""],
        ["P01", "D1.O1.I1", "feasibility", "12", ""],  # 3: outside the scale
        ["P09", "D1.O1.I1", "relevance", "5", ""],  # 4: unknown participant
        ["P02", "D9.O9.I9", "relevance", "5", ""],  # 5: not in this round
        ["P02", "D1.O1.I1", "beauty", "5", ""],  # 6: unknown criterion
        ["P03", "D1.O1.I1", "clarity", "sept", ""],  # 7: not a number
        ["", "", "", "5", ""],  # 8: three empty cells
        ["P01", "D1.O1.I1", "Pertinence", "6", ""],  # 9: rated twice
        ["P02", "D1.O1.I1", "clarity", "7.5", ""],  # 10: not whole
    ]
    path = write_csv(tmp_path / "votes.csv", rows)
    summary, problems = problems_of(read_ballots, path, context(), source="paper")
    assert places(problems) == [
        (None, 3, "score"),
        (None, 4, "participant"),
        (None, 5, "indicator"),
        (None, 6, "criterion"),
        (None, 7, "score"),
        (None, 8, "participant"),
        (None, 8, "indicator"),
        (None, 8, "criterion"),
        (None, 9, "criterion"),
        (None, 10, "score"),
    ]
    messages = [p.message for p in problems]
    assert "outside the scale 1–9" in messages[0]
    assert "'P09'" in messages[1]
    assert "round 1" in messages[2]
    assert "pertinence, faisabilité, clarté" in messages[3]
    assert "'sept' is not a score" in messages[4]
    assert "row 2" in messages[8] and "P01" in messages[8]
    assert summary.startswith("10 problem(s) in 'votes.csv', so no ballot was recorded")


def test_a_ballot_problem_in_french(tmp_path: Path) -> None:
    rows = [
        ["participant", "indicateur", "critère", "note"],
        ["P01", "D1.O1.I1", "pertinence", "0"],
    ]
    path = write_csv(tmp_path / "votes.csv", rows)
    with pytest.raises(InputFileError) as info:
        read_ballots(path, context(), source="paper")
    i18n.set_language("fr")
    assert (
        str(info.value.problems[0])
        .replace("\u00a0", " ")
        .endswith(
            "ligne 2, colonne « note » : La note 0 est hors de l'échelle 1–9 ; écrivez un nombre "
            "entier dans cet intervalle, ou laissez la cellule vide pour « ne peut pas juger »."
        )
    )
    assert str(info.value).startswith("1 problème dans «\u00a0votes.csv\u00a0»")


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([], "is empty"),
        ([["participant", "indicator", "score"], ["P01", "D1.O1.I1", "5"]], "criterion"),
        ([["Votes du tour 1"], ["participant", "indicator", "criterion", "score"]], "no ratings"),
    ],
)
def test_a_ballot_file_without_ratings(
    tmp_path: Path, rows: list[list[str]], expected: str
) -> None:
    path = write_csv(tmp_path / "votes.csv", rows)
    summary, problems = problems_of(read_ballots, path, context(), source="paper")
    assert expected in summary
    assert len(problems) == 1
