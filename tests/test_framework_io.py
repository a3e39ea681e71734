"""Reading and writing frameworks: YAML, XLSX and CSV, good files and every kind of bad one."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest

from hsvalidate.errors import FrameworkError, Problem
from hsvalidate.framework import Dimension, Framework, Indicator, Outcome, Text
from hsvalidate.framework_io import (
    check_framework,
    framework_yaml,
    header_field,
    load_framework,
    save_framework,
    save_framework_xlsx,
    save_framework_yaml,
)

DATA = Path(__file__).parent / "data" / "frameworks"
TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
UNDP_DIMENSIONS = [
    "Economic security",
    "Food security",
    "Health security",
    "Environmental security",
    "Personal security",
    "Community security",
    "Political security",
]


def one_sentence(text: str) -> bool:
    return (
        "\n" not in text
        and text.rstrip().endswith((".", "?"))
        and not re.search(r"[.!?] +[A-Z]", text)
    )


def problems_of(path: Path) -> tuple[FrameworkError, list[Problem]]:
    with pytest.raises(FrameworkError) as info:
        load_framework(path)
    err = info.value
    assert one_sentence(str(err)), str(err)
    assert err.problems, "a FrameworkError must say what to fix"
    # Problems carry catalogue messages; the tests read them as the user sees them.
    shown = [replace(p, message=str(p.message)) for p in err.problems]
    for problem in shown:
        assert one_sentence(str(problem.message)), problem.message
    return err, shown


def places(problems: Sequence[Problem]) -> list[tuple[str | None, int | None, str | None]]:
    return [(p.sheet, p.row, p.column) for p in problems]


def unsourced(fw: Framework) -> Framework:
    return replace(fw, source="")


def write_xlsx(
    path: Path,
    sheets: dict[str, list[list[object]]],
    merges: dict[str, list[str]] | None = None,
) -> Path:
    """A workbook as a team would make it by hand (not through our writer)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for values in rows:
            ws.append(values)
        for ref in (merges or {}).get(name, []):
            ws.merge_cells(ref)
    wb.save(path)
    return path


def rich_framework() -> Framework:
    """Everything that might not survive a trip through a file."""
    return Framework(
        title=Text("Cadre — Ségou, Mopti (ɛ ɔ ɲ ŋ Ɛ Ɔ Ɲ Ŋ)", "Framework"),
        notes=Text("Première ligne\nseconde ligne", "Notes: with a colon"),
        dimensions=(
            Dimension(
                "P1",
                Text("Sécurité communautaire", "Community security"),
                (
                    Outcome(
                        "P1.R1",
                        Text("Les tensions baissent", ""),
                        (
                            Indicator(
                                code="P1.R1.1",
                                text=Text("Nombre de dialogues « kɛlɛ » tenus", "Dialogues held"),
                                definition=Text("Ligne 1\nLigne 2", "Line 1\nLine 2"),
                                unit=Text("%"),
                                calculation=Text("=A/B", "+1"),
                                disaggregation=Text("Sexe, âge", "Sex, age"),
                                baseline="35 % (2015)",
                                baseline_year=2015,
                                target="2030",
                                target_year=2027,
                                source=Text("yes", "no"),
                                method=Text("Enquête: ménages"),
                                frequency=Text("Annuelle", "Annual"),
                                responsible=Text("WANEP-Mali"),
                                assumptions=Text("'quoted'", '"double"'),
                                notes=Text("-tiret", "@at"),
                                extra=(("Partenaire", "GPPAC"), ("Note", "a"), ("Note", "b")),
                            ),
                            Indicator(
                                code="P1.R1.2", text=Text("Deuxième"), extra=(("Note", "c"),)
                            ),
                        ),
                    ),
                    Outcome("P1.R2", Text("Sans indicateur encore")),
                ),
            ),
            Dimension("P2", Text("Sécurité politique")),
            Dimension(
                "P3",
                Text("Sécurité sanitaire"),
                (Outcome("P3.R1", Text("Soins"), (Indicator("P3.R1.1", Text("CSCom")),)),),
            ),
        ),
    )


# --- shipped templates ----------------------------------------------------------------


def test_shipped_templates_load_to_the_same_framework() -> None:
    from_yaml = load_framework(TEMPLATES / "mali-human-security.yaml")
    from_xlsx = load_framework(TEMPLATES / "mali-human-security.xlsx")
    assert unsourced(from_xlsx) == unsourced(from_yaml), (
        "templates/mali-human-security.xlsx is stale; regenerate it (see the README fragment)"
    )
    assert from_yaml.source == "mali-human-security.yaml"


def test_template_is_an_illustrative_seven_dimension_framework_with_every_field() -> None:
    fw = load_framework(TEMPLATES / "mali-human-security.yaml")
    assert "illustrati" in fw.title.fr.lower() and "illustrative" in fw.title.en.lower()
    assert "WANEP-Mali" in fw.notes.fr and "NOT" in fw.notes.en
    assert [d.title.en for d in fw.dimensions] == UNDP_DIMENSIONS
    assert [d.code for d in fw.dimensions] == [f"D{n}" for n in range(1, 8)]
    assert all(1 <= len(d.outcomes) <= 2 for d in fw.dimensions)
    indicators = fw.indicators()
    assert 30 <= len(indicators) <= 36
    for dim in fw.dimensions:
        for o, out in enumerate(dim.outcomes, start=1):
            assert out.code == f"{dim.code}.O{o}"
            assert out.title.fr and out.title.en
            for i, ind in enumerate(out.indicators, start=1):
                assert ind.code == f"{out.code}.I{i}"
                for name in (
                    "text", "definition", "unit", "calculation", "disaggregation", "source",
                    "method", "frequency", "responsible", "assumptions", "notes",
                ):  # fmt: skip
                    value = getattr(ind, name)
                    assert value.fr and value.en, (ind.code, name)
                assert ind.baseline and ind.target and ind.extra
                assert ind.baseline_year and ind.target_year
                assert ind.baseline_year < ind.target_year
    text = " ".join(str(ind) for ind in indicators)
    for word in ("Mopti", "Gao", "Tombouctou", "Kidal", "Ségou", "Cadre Harmonisé", "ENSAN",
                 "INSTAT", "DNS", "MINUSMA", "alerte précoce"):  # fmt: skip
        assert word in text, word


def test_shipped_xlsx_has_the_team_layout() -> None:
    ws = openpyxl.load_workbook(TEMPLATES / "mali-human-security.xlsx").worksheets[0]
    header = [c.value for c in ws[6]]
    assert header[:9] == [
        "Code dimension", "Dimension", "Dimension (EN)", "Code résultat", "Résultat attendu",
        "Résultat attendu (EN)", "Code indicateur", "Indicateur", "Indicateur (EN)",
    ]  # fmt: skip
    assert ws["A1"].value.startswith("Cadre de suivi-évaluation illustratif")
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert "B7:B11" in merged  # D1 spans its five indicators
    assert "E7:E9" in merged  # D1.O1 spans its three


def test_check_framework_summarises_the_template() -> None:
    summary = check_framework(TEMPLATES / "mali-human-security.xlsx")
    assert (summary.dimensions, summary.outcomes, summary.indicators) == (7, 13, 33)
    assert summary.indicators_missing_english == 0
    assert summary.extra_columns == 1
    assert summary.source == "mali-human-security.xlsx"
    assert summary.title.en.startswith("Illustrative")


# --- YAML -------------------------------------------------------------------------------


def test_yaml_nested_layout() -> None:
    fw = load_framework(DATA / "nested.yaml")
    assert fw.title == Text("Cadre de test — Ségou et Mopti")
    assert fw.notes == Text("Brouillon pour les tests.", "Draft for tests.")
    first = fw.indicators()[0]
    assert first.text.fr == "Nombre de dialogues tenus à Ségou (bamanankan : kɛlɛ, ɲɔgɔn, ŋ)"
    assert first.definition == Text("Dialogues intercommunautaires avec procès-verbal signé.")
    assert (first.baseline, first.baseline_year, first.target, first.target_year) == (
        "35 % (2015)",
        2015,
        "60 %",
        2027,
    )
    assert first.frequency.fr == "Trimestrielle,\npuis annuelle"
    assert first.extra == (("Partenaire", "WANEP-Mali"), ("ODD / SDG", "16.1"))
    assert fw.dimensions[1].outcomes[0].indicators == ()


def test_yaml_flat_layout_attaches_indicators_by_outcome_code() -> None:
    fw = load_framework(DATA / "flat.yaml")
    outcomes = list(fw.outcomes())
    assert [i.code for i in outcomes[0].indicators] == ["D1.O1.I1"]
    assert [i.code for i in outcomes[1].indicators] == ["D1.O2.I1"]
    assert outcomes[0].indicators[0].text.en == "People in Cadre Harmonisé phase 3+"


@pytest.mark.parametrize(
    "fw",
    [
        pytest.param(rich_framework(), id="rich"),
        pytest.param(load_framework(DATA / "nested.yaml"), id="nested"),
        pytest.param(load_framework(TEMPLATES / "mali-human-security.yaml"), id="template"),
    ],
)
def test_yaml_round_trip(fw: Framework, tmp_path: Path) -> None:
    target = tmp_path / "out.yaml"
    save_framework_yaml(fw, target)
    assert unsourced(load_framework(target)) == unsourced(fw)
    assert [p.name for p in tmp_path.iterdir()] == ["out.yaml"]


def test_yaml_output_is_readable_unicode_in_author_order(tmp_path: Path) -> None:
    target = tmp_path / "out.yaml"
    save_framework_yaml(rich_framework(), target, comment="Cadre de test\nsecond line")
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Cadre de test\n# second line\ntitle:")
    assert "ɛ ɔ ɲ ŋ Ɛ Ɔ Ɲ Ŋ" in text and "\\u" not in text
    assert text.index("title:") < text.index("notes:") < text.index("dimensions:")
    assert "definition:\n" in text and "fr: |" in text  # multi-line text as a block
    assert "source:" not in text.split("dimensions:")[0]  # the file name is not content


def test_yaml_bad_types_report_every_problem_with_its_line() -> None:
    err, problems = problems_of(DATA / "bad_types.yaml")
    ind = "dimensions[1].outcomes[1].indicators"
    assert places(problems) == [
        (None, 10, f"{ind}[1].text"),
        (None, 13, f"{ind}[1].baseline_year"),
        (None, 16, f"{ind}[2].target_year"),
        (None, 17, f"{ind}[2].unit.de"),
        (None, 18, f"{ind}[3].code"),
        (None, 19, f"{ind}[4].code"),
        (None, 19, f"{ind}[4].text"),
        (None, 20, f"{ind}[4].definiton"),
        (None, 21, "dimensions[2].code"),
        (None, 22, "dimensions[2].title"),
        (None, 26, "indicators[1].outcome"),
    ]
    messages = [p.message for p in problems]
    assert "'2015-2016' is not a year" in messages[1]
    assert "already used by the indicator at line 14" in messages[5]
    assert "did you mean 'definition'?" in messages[7]
    assert "'D9.O9'" in messages[10]
    assert "11 problems" in str(err)
    assert all(p.file.endswith("bad_types.yaml") for p in problems)


def test_yaml_syntax_error_gives_the_line(tmp_path: Path) -> None:
    _, problems = problems_of(DATA / "bad_syntax.yaml")
    assert places(problems) == [(None, 4, None)]
    bad = tmp_path / "colon.yaml"
    bad.write_text("title: Cadre\ndimensions:\n  - code: D1\n    title: a: b\n", encoding="utf-8")
    _, problems = problems_of(bad)
    assert places(problems) == [(None, 4, None)]
    assert "not valid YAML" in problems[0].message


@pytest.mark.parametrize(
    ("content", "row", "expected"),
    [
        ("", 1, "empty"),
        ("# rien que des commentaires\n", 1, "empty"),
        ("- a\n- b\n", 1, "not a list"),
        ("Cadre de suivi\n", 1, "not 'Cadre de suivi'"),
        ("title: Cadre\n", 1, "no indicator"),
        ("title: Cadre\ndimensions: []\n", 2, "no indicator"),
        ("title: Cadre\ndimensions: D1\n", 2, "must be a list"),
        ("title: Cadre\ndimensions:\n  - D1\n", 3, "key: value"),
        ("title: Cadre\ntitle: Autre\ndimensions: []\n", 2, "appears twice"),
        ("title: [a]\ndimensions: []\n", 1, "not a list"),
        ("title: yes\ndimensions: []\n", 1, "quotes"),
        ("title: \x07\n", 1, "control character"),
    ],
)
def test_yaml_shape_problems(tmp_path: Path, content: str, row: int, expected: str) -> None:
    path = tmp_path / "f.yaml"
    path.write_text(content, encoding="utf-8")
    _, problems = problems_of(path)
    assert problems[0].row == row
    assert any(expected in p.message for p in problems), [p.message for p in problems]


def test_yaml_with_a_nested_indicator_claiming_another_outcome(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_text(
        "title: C\ndimensions:\n  - code: D1\n    title: X\n    outcomes:\n"
        "      - code: D1.O1\n        title: Y\n        indicators:\n"
        "          - {code: I1, text: T, outcome: D1.O1}\n"
        "          - {code: I2, text: T, outcome: D1.O2}\n",
        encoding="utf-8",
    )
    _, problems = problems_of(path)
    assert places(problems) == [(None, 10, "dimensions[1].outcomes[1].indicators[2].outcome")]


def test_yaml_flat_indicator_without_outcome(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_text(
        "title: C\ndimensions:\n  - {code: D1, title: X, outcomes: [{code: D1.O1, title: Y}]}\n"
        "indicators:\n  - code: I1\n    text: T\n",
        encoding="utf-8",
    )
    _, problems = problems_of(path)
    assert places(problems) == [(None, 5, "indicators[1]")]
    assert "outcome: <code>" in problems[0].message


def test_yaml_not_utf8_points_at_the_line(tmp_path: Path) -> None:
    path = tmp_path / "cp1252.yaml"
    path.write_bytes("title: Cadre\ndimensions:\n  - title: Sécurité\n".encode("cp1252"))
    _, problems = problems_of(path)
    assert places(problems) == [(None, 3, None)]
    assert "UTF-8" in problems[0].message


def test_yaml_in_utf8_with_bom_and_utf16_loads(tmp_path: Path) -> None:
    text = (DATA / "nested.yaml").read_text(encoding="utf-8")
    expected = unsourced(load_framework(DATA / "nested.yaml"))
    for encoding in ("utf-8-sig", "utf-16"):
        path = tmp_path / f"{encoding}.yaml"
        path.write_bytes(text.encode(encoding))
        assert unsourced(load_framework(path)) == expected


@pytest.mark.parametrize("name", ["absent.yaml", "absent.xlsx", "absent.csv"])
def test_missing_file(tmp_path: Path, name: str) -> None:
    _, problems = problems_of(tmp_path / name)
    assert len(problems) == 1 and problems[0].row is None
    assert "exist" in problems[0].message


def test_folder_and_unknown_suffix(tmp_path: Path) -> None:
    (tmp_path / "dossier.yaml").mkdir()
    _, problems = problems_of(tmp_path / "dossier.yaml")
    assert "folder" in problems[0].message
    (tmp_path / "cadre.docx").write_bytes(b"PK")
    _, problems = problems_of(tmp_path / "cadre.docx")
    assert ".xlsx" in problems[0].message


def test_corrupt_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "cadre.xlsx"
    path.write_bytes(b"this is not a zip file")
    _, problems = problems_of(path)
    assert len(problems) == 1
    assert "Excel" in problems[0].message


# --- CSV --------------------------------------------------------------------------------


def test_csv_french_headers_title_block_and_carried_down_cells() -> None:
    fw = load_framework(DATA / "matrix_fr.csv")
    assert fw.title == Text("Cadre de suivi")
    assert fw.notes == Text("Version du 12 mars")
    assert [(d.code, d.title.fr) for d in fw.dimensions] == [
        ("D1", "Sécurité alimentaire"),
        ("D2", "Santé"),
    ]
    assert [(o.code, [i.code for i in o.indicators]) for o in fw.outcomes()] == [
        ("D1.O1", ["D1.O1.I1", "D1.O1.I2"]),
        ("D1.O2", ["D1.O2.I1"]),
        ("D2.O1", ["D2.O1.I1"]),
    ]
    first = fw.indicators()[0]
    assert first.text == Text("Part des ménages, en %", "Share of households")
    assert first.baseline_year == 2015
    assert first.extra == (("Partenaire", "WANEP"),)
    assert fw.indicators()[1].extra == ()
    assert fw.indicators()[2].text.fr == "Troisième ɛ ɔ ɲ ŋ"


def test_csv_cp1252_with_semicolons_reads_like_utf8() -> None:
    cp1252 = load_framework(DATA / "matrix_cp1252.csv")
    utf8 = load_framework(DATA / "matrix_fr.csv")
    assert (DATA / "matrix_cp1252.csv").read_bytes().count(b"\xe9") > 0  # really cp1252
    assert cp1252.indicators()[2].text.fr == "Troisième"
    assert replace(cp1252.indicators()[2], text=Text()) == replace(
        utf8.indicators()[2], text=Text()
    )
    assert cp1252.dimensions[0].title.fr == "Sécurité alimentaire"
    assert [i.code for i in cp1252.indicators()] == [i.code for i in utf8.indicators()]


def test_csv_utf8_bom_english_headers_with_a_french_column() -> None:
    assert (DATA / "matrix_en.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    fw = load_framework(DATA / "matrix_en.csv")
    # English headers with the French marked: English is the working language, so the
    # unmarked columns hold English text and the French column its translation.
    assert fw.lang == "en"
    assert fw.title == Text(en="matrix_en")  # no title block: the file name stands in
    first, second = fw.indicators()
    assert first.text == Text("Nombre d'incidents, ɛ", "Number of incidents")
    assert second.text == Text("Part des personnes en sécurité", "Share feeling safe")
    assert first.source == Text(en="WANEP-Mali early-warning reports")
    assert (first.baseline, first.baseline_year, first.target, first.target_year) == (
        "146",
        2023,
        "90",
        2027,
    )
    assert first.frequency.en == "Monthly" and first.assumptions.en == "Access maintained"
    assert first.extra == (("Comments from Gao office", "Check with MINUSMA data"),)
    assert fw.dimensions[0].title == Text(en="Personal security")


def test_csv_problems_carry_row_and_column_without_sheet() -> None:
    _, problems = problems_of(DATA / "bad_matrix.csv")
    assert places(problems) == [
        (None, 3, "Code"),
        (None, 4, "Année cible"),
        (None, 4, "Code"),
        (None, 5, "Indicateur"),
    ]
    assert "already used by the indicator at row 2" in problems[2].message


def test_csv_without_header(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_text("a;b;c\n1;2;3\n", encoding="utf-8")
    _, problems = problems_of(path)
    assert places(problems) == [(None, None, None)]
    assert "header row" in problems[0].message


def test_csv_with_only_a_header_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_text("Titre\n\nDimension,Résultat,Code,Indicateur\n", encoding="utf-8")
    _, problems = problems_of(path)
    assert places(problems) == [(None, 3, None)]
    assert "no indicator" in problems[0].message


# --- XLSX -------------------------------------------------------------------------------

HEADER_FR = [
    "Axe stratégique",
    "RÉSULTAT ATTENDU",
    "N°",
    "indicateur",
    "Indicateur (anglais)",
    "Définition de l'indicateur",
    "Unité de mesure",
    "Méthode  de calcul",
    "Désagrégation",
    "Valeur de référence",
    "Année de référence",
    "Cible",
    "Année cible",
    "Moyens de vérification",
    "Méthode de collecte",
    "Périodicité",
    "Responsable",
    "Hypothèses / Risques",
    "Remarques",
    "Budget (FCFA)",
]


def matrix_rows() -> list[list[object]]:
    filler = ["déf", "Nombre", "a/b", "Sexe", "35 % (2015)", 2015, "60 %", 2027, "ENSAN", "Enquête",
              "Annuelle", "WANEP-Mali", "Accès", "RAS"]  # fmt: skip
    return [
        ["Cadre de S&E — programme Mopti-Gao"],
        ["Projet, version 2"],
        [],
        HEADER_FR,
        ["Sécurité personnelle", "Moins de violences", "D1.O1.I1", "Incidents à Gao", "Incidents in Gao", *filler, "1 000 000"],
        [None, None, "D1.O1.I2", "Femmes en sécurité ɲ", "Women feeling safe", *filler, None],
        [None, "Justice accessible", "D1.O2.I1", "Affaires jugées", None, *filler, None],
        [],
        ["Sécurité communautaire", "Dialogue", "D2.O1.I1", "Accords signés", None, *filler, "250 000"],
    ]  # fmt: skip


def test_xlsx_header_on_row_4_french_variants_carried_down_and_extra(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "cadre.xlsx",
        {
            "Lisez-moi": [["Ce classeur contient le cadre"], ["Indicateur", "rien"]],
            "Matrice": matrix_rows(),
        },
    )
    fw = load_framework(path)
    assert fw.title == Text("Cadre de S&E — programme Mopti-Gao")
    assert fw.notes == Text("Projet, version 2")
    assert [(o.code, o.title.fr, [i.code for i in o.indicators]) for o in fw.outcomes()] == [
        ("D1.O1", "Moins de violences", ["D1.O1.I1", "D1.O1.I2"]),
        ("D1.O2", "Justice accessible", ["D1.O2.I1"]),
        ("D2.O1", "Dialogue", ["D2.O1.I1"]),
    ]
    first = fw.indicators()[0]
    assert first == Indicator(
        code="D1.O1.I1",
        text=Text("Incidents à Gao", "Incidents in Gao"),
        definition=Text("déf"),
        unit=Text("Nombre"),
        calculation=Text("a/b"),
        disaggregation=Text("Sexe"),
        baseline="35 % (2015)",
        baseline_year=2015,
        target="60 %",
        target_year=2027,
        source=Text("ENSAN"),
        method=Text("Enquête"),
        frequency=Text("Annuelle"),
        responsible=Text("WANEP-Mali"),
        assumptions=Text("Accès"),
        notes=Text("RAS"),
        extra=(("Budget (FCFA)", "1 000 000"),),
    )
    assert fw.indicators()[1].text.fr == "Femmes en sécurité ɲ"
    assert fw.indicators()[1].extra == ()


def test_xlsx_merged_dimension_and_outcome_cells(tmp_path: Path) -> None:
    rows = [
        ["Dimension", "Outcome", "Code", "Indicator", "Target"],
        ["Food security", "Hunger declines", "I1", "People in phase 3+", "-30 %"],
        [None, None, "I2", "FCS acceptable", "70 %"],
        [None, "Alerts work", "I3", "Observatories", "75 %"],
    ]
    path = write_xlsx(tmp_path / "m.xlsx", {"Sheet": rows}, {"Sheet": ["A2:A4", "B2:B3"]})
    fw = load_framework(path)
    assert fw.lang == "en"  # English headers, nothing marked: an English framework
    assert [(o.title.en, [i.code for i in o.indicators]) for o in fw.outcomes()] == [
        ("Hunger declines", ["I1", "I2"]),
        ("Alerts work", ["I3"]),
    ]
    assert fw.indicators()[0].target == "-30 %"


def test_xlsx_dimension_and_outcome_codes_given_in_columns(tmp_path: Path) -> None:
    rows = [
        ["Code pilier", "Pilier", "Code effet", "Effet", "Code indicateur", "Indicateur"],
        ["P1", "Prévention", "P1.E1", "Alerte", "P1.E1.1", "Alertes vérifiées"],
        ["P1", None, "P1.E2", "Dialogue", "P1.E2.1", "Accords"],
    ]
    fw = load_framework(write_xlsx(tmp_path / "m.xlsx", {"S": rows}))
    assert [(d.code, [o.code for o in d.outcomes]) for d in fw.dimensions] == [
        ("P1", ["P1.E1", "P1.E2"])
    ]


def test_xlsx_two_level_header_for_baseline_and_target(tmp_path: Path) -> None:
    rows = [
        [
            "Dimension",
            "Résultat",
            "Code",
            "Indicateur",
            "Situation de référence",
            None,
            "Cible",
            None,
        ],
        [None, None, None, None, "Valeur", "Année", "Valeur", "Année"],
        ["A", "a", "I1", "Texte", "12 %", 2020, "30 %", 2026],
    ]
    path = write_xlsx(tmp_path / "m.xlsx", {"S": rows}, {"S": ["E1:F1", "G1:H1"]})
    ind = load_framework(path).indicators()[0]
    assert (ind.baseline, ind.baseline_year, ind.target, ind.target_year) == (
        "12 %",
        2020,
        "30 %",
        2026,
    )
    assert ind.extra == ()


def test_xlsx_problems_carry_sheet_row_and_column(tmp_path: Path) -> None:
    rows = matrix_rows()
    rows[5][12] = "fin 2027"  # Année cible
    rows[6][2] = None  # no indicator code
    rows.append(["Sécurité politique", None, "D3.O1.I1", "Élections", None])  # outcome unknown
    rows.append([None, "Vote", "D1.O1.I1", "Doublon", None])
    path = write_xlsx(tmp_path / "cadre.xlsx", {"Matrice": rows})
    _, problems = problems_of(path)
    assert places(problems) == [
        ("Matrice", 6, "Année cible"),
        ("Matrice", 7, "N°"),
        ("Matrice", 10, "RÉSULTAT ATTENDU"),
        ("Matrice", 11, "N°"),
    ]
    assert "'fin 2027' is not a year" in problems[0].message
    assert "row 5" in problems[3].message


def test_xlsx_without_any_recognisable_header(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "m.xlsx", {"A": [["x", "y"]], "B": [["Indicateur"], ["z"]]})
    _, problems = problems_of(path)
    assert places(problems) == [(None, None, None)]
    assert "No sheet" in problems[0].message


@pytest.mark.parametrize(
    ("drop", "expected"),
    [("Dimension", "dimension column"), ("Résultat", "outcome column"), ("Code", "code column")],
)
def test_xlsx_missing_structural_column(tmp_path: Path, drop: str, expected: str) -> None:
    header = ["Dimension", "Résultat", "Code", "Indicateur", "Cible"]
    values = ["A", "a", "I1", "Texte", "10"]
    keep = [i for i, h in enumerate(header) if h != drop]
    rows = [["Titre"], [header[i] for i in keep], [values[i] for i in keep]]
    _, problems = problems_of(write_xlsx(tmp_path / "m.xlsx", {"S": rows}))
    assert places(problems) == [("S", 2, None)]
    assert expected in problems[0].message


def test_xlsx_english_text_without_french(tmp_path: Path) -> None:
    rows = [
        ["Dimension", "Résultat", "Code", "Indicateur", "Indicateur - EN"],
        ["A", "a", "I1", None, "Only EN"],
    ]
    _, problems = problems_of(write_xlsx(tmp_path / "m.xlsx", {"S": rows}))
    assert places(problems) == [("S", 2, "Indicateur")]
    assert "French" in problems[0].message


def test_xlsx_round_trip(tmp_path: Path) -> None:
    fw = rich_framework()
    target = tmp_path / "out.xlsx"
    save_framework_xlsx(fw, target)
    assert unsourced(load_framework(target)) == unsourced(fw)
    assert [p.name for p in tmp_path.iterdir()] == ["out.xlsx"]
    ws = openpyxl.load_workbook(target).worksheets[0]
    merged = {str(r) for r in ws.merged_cells.ranges}
    header_row = next(r for r in range(1, 10) if ws.cell(r, 1).value == "Code dimension")
    first = header_row + 1
    assert f"B{first}:B{first + 2}" in merged  # P1 over its two indicators and an empty outcome
    assert f"E{first}:E{first + 1}" in merged
    formula = [c for row in ws.iter_rows() for c in row if c.value == "=A/B"]
    assert formula and formula[0].data_type == "s"  # text stays text


def test_template_xlsx_round_trip_through_yaml(tmp_path: Path) -> None:
    fw = load_framework(TEMPLATES / "mali-human-security.xlsx")
    save_framework(fw, tmp_path / "t.yaml")
    save_framework(load_framework(tmp_path / "t.yaml"), tmp_path / "t.xlsx")
    assert unsourced(load_framework(tmp_path / "t.xlsx")) == unsourced(fw)


def test_save_framework_refuses_a_type_it_cannot_write(tmp_path: Path) -> None:
    with pytest.raises(FrameworkError) as info:
        save_framework(rich_framework(), tmp_path / "x.json")
    assert one_sentence(str(info.value))
    assert not (tmp_path / "x.json").exists()


def test_csv_round_trip_as_french_excel_opens_it(tmp_path: Path) -> None:
    fw = rich_framework()
    save_framework(fw, tmp_path / "x.csv")
    raw = (tmp_path / "x.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b";" in raw.splitlines()[-1]
    assert unsourced(load_framework(tmp_path / "x.csv")) == unsourced(fw)


def test_framework_yaml_is_stable() -> None:
    fw = rich_framework()
    assert framework_yaml(fw) == framework_yaml(fw)


# --- header names ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Indicateur", ("text", "fr")),
        ("INDICATORS", ("text", "fr")),
        ("Indicateur (EN)", ("text", "en")),
        ("Indicator (English)", ("text", "en")),
        ("Indicateur - en", ("text", "en")),
        ("Indicateur en anglais", ("text", "en")),
        ("Indicator (French)", ("text", "fr")),
        ("Pilier", ("dimension", "fr")),
        ("Pillar (EN)", ("dimension", "en")),
        ("Axe", ("dimension", "fr")),
        ("Résultat attendu", ("outcome", "fr")),
        ("resultat", ("outcome", "fr")),
        ("Effet", ("outcome", "fr")),
        ("Objectif", ("outcome", "fr")),
        ("Code", ("code", "fr")),
        ("Définition", ("definition", "fr")),
        ("Unité", ("unit", "fr")),
        ("Méthode de calcul", ("calculation", "fr")),
        ("Désagrégation", ("disaggregation", "fr")),
        ("Situation de référence", ("baseline", "fr")),
        ("Valeur de référence", ("baseline", "fr")),
        ("Baseline", ("baseline", "fr")),
        ("Année de référence", ("baseline_year", "fr")),
        ("Baseline year", ("baseline_year", "fr")),
        ("  CIBLE ", ("target", "fr")),
        ("Année cible", ("target_year", "fr")),
        ("Target year", ("target_year", "fr")),
        ("Source de vérification", ("source", "fr")),
        ("Sources de vérification", ("source", "fr")),
        ("Moyens de vérification", ("source", "fr")),
        ("Means of verification", ("source", "fr")),
        ("Data source", ("source", "fr")),
        ("Méthode de collecte", ("method", "fr")),
        ("Collection method", ("method", "fr")),
        ("Fréquence", ("frequency", "fr")),
        ("Frequency (EN)", ("frequency", "en")),
        ("Responsable", ("responsible", "fr")),
        ("Hypothèses", ("assumptions", "fr")),
        ("Risques", ("assumptions", "fr")),
        ("Hypothèses et risques (EN)", ("assumptions", "en")),
        ("Assumptions", ("assumptions", "fr")),
        ("Notes", ("notes", "fr")),
        ("Remarques", ("notes", "fr")),
        ("Budget", None),
        ("Cible (EN)", None),  # a target is a value, not a translatable text
        ("", None),
    ],
)
def test_header_names(header: str, expected: tuple[str, str] | None) -> None:
    assert header_field(header) == expected


@pytest.mark.parametrize(
    ("name", "data", "row", "expected"),
    [
        ("quote.csv", b'Dimension;Code;Indicateur\nA;I1;"' + b"x" * 200_000 + b"\n", 2, "quotes"),
        ("bytes.csv", b"Dimension;Code;Indicateur\nA;I1;\x81\x8d\n", None, "UTF-8"),
        ("deep.yaml", b"title: " + b"[" * 5000 + b"]" * 5000 + b"\n", None, "nests"),
        ("nul.csv", b"Dimension,Code\x00,Indicateur\n", None, "CSV UTF-8"),
        ("empty.xlsx", b"", None, "Excel"),
    ],
)
def test_unreadable_content_is_a_problem_not_a_crash(
    tmp_path: Path, name: str, data: bytes, row: int | None, expected: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    _, problems = problems_of(path)
    assert len(problems) == 1
    assert problems[0].row == row
    assert expected in problems[0].message


def test_csv_header_years_slashes_and_units_of_real_matrices() -> None:
    fw = load_framework(DATA / "matrix_fr_years.csv")
    first, second = fw.indicators()
    assert (first.baseline, first.baseline_year, first.target, first.target_year) == (
        "46 %",
        2024,
        "60 %",
        2028,
    )
    # A year in the header dates only values written under it.
    assert (second.baseline, second.baseline_year, second.target_year) == ("", None, 2028)
    assert first.source == Text("Enquête ENSAN")
    assert fw.dimensions[0].title == Text("Sécurité alimentaire")
    # Columns it does not know are kept, never dropped.
    assert first.extra == (("Resp.", "DRSA"), ("Fréquence de collecte des données", "Annuelle"))


# --- working language -------------------------------------------------------------------


def test_an_english_only_matrix_is_an_english_framework() -> None:
    path = DATA / "matrix_en_only.csv"
    fw = load_framework(path)
    assert fw.lang == "en"
    assert fw.title == Text(en="matrix_en_only")
    assert [d.title for d in fw.dimensions] == [
        Text(en="Food security"),
        Text(en="Personal security"),
    ]
    first = fw.indicators()[0]
    assert first.text == Text(en="Share of households with an acceptable food score")
    assert first.source == Text(en="National food security survey")
    assert (first.baseline, first.baseline_year, first.target, first.target_year) == (
        "46 %",
        2024,
        "60 %",
        2028,
    )
    summary = check_framework(path)
    assert summary.lang == "en"
    # English is there everywhere; only the French translation is missing, which is no error.
    assert summary.indicators_missing_english == 0
    assert summary.indicators_missing_other_language == 3
    assert summary.unrecognised_columns == ()


def test_the_working_language_can_be_given(tmp_path: Path) -> None:
    fw = load_framework(DATA / "matrix_en_only.csv", working_lang="fr")
    assert fw.lang == "fr"
    assert fw.indicators()[0].text == Text("Share of households with an acceptable food score")
    assert check_framework(DATA / "matrix_fr.csv", working_lang="en").lang == "en"
    with pytest.raises(ValueError, match="working_lang"):
        load_framework(DATA / "matrix_fr.csv", working_lang="bm")


def test_a_french_matrix_stays_french() -> None:
    assert load_framework(DATA / "matrix_fr.csv").lang == "fr"
    summary = check_framework(TEMPLATES / "mali-human-security.xlsx")
    assert summary.lang == "fr" and summary.indicators_missing_other_language == 0


def test_check_names_unrecognised_columns_with_their_probable_field() -> None:
    summary = check_framework(DATA / "matrix_fr_years.csv")
    assert summary.unrecognised_columns == (
        ("Resp.", "responsible"),
        ("Fréquence de collecte des données", "frequency"),
    )
    assert summary.extra_columns == 2  # and they are still kept with the indicators


def test_english_frameworks_round_trip_through_xlsx_and_yaml(tmp_path: Path) -> None:
    fw = unsourced(load_framework(DATA / "matrix_en_only.csv"))
    # Without the CSV's own layout: this is about ours, in English.
    fw = replace(
        fw, notes=Text("Traduction à venir", "Draft for the regional workshop"), layout=None
    )
    save_framework_xlsx(fw, tmp_path / "en.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "en.xlsx").worksheets[0]
    header_row = next(r for r in range(1, 10) if ws.cell(r, 1).value == "Dimension code")
    assert [c.value for c in ws[header_row]][:9] == [
        "Dimension code", "Dimension", "Dimension (FR)", "Outcome code", "Expected outcome",
        "Expected outcome (FR)", "Indicator code", "Indicator", "Indicator (FR)",
    ]  # fmt: skip
    assert unsourced(load_framework(tmp_path / "en.xlsx")) == fw
    save_framework_yaml(fw, tmp_path / "en.yaml")
    text = (tmp_path / "en.yaml").read_text(encoding="utf-8")
    assert text.startswith("language: en\ntitle: matrix_en_only\n")
    assert unsourced(load_framework(tmp_path / "en.yaml")) == fw


def test_a_yaml_framework_declares_its_language(tmp_path: Path) -> None:
    path = tmp_path / "en.yaml"
    path.write_text(
        "language: en\ntitle: Framework\ndimensions:\n  - code: D1\n    title: Food security\n"
        "    outcomes:\n      - code: D1.O1\n        title: {en: Hunger declines, fr: La faim recule}\n"
        "        indicators:\n          - {code: I1, text: People in phase 3+}\n",
        encoding="utf-8",
    )
    fw = load_framework(path)
    assert fw.lang == "en" and fw.title == Text(en="Framework")
    assert fw.indicators()[0].text == Text(en="People in phase 3+")
    assert next(iter(fw.outcomes())).title == Text("La faim recule", "Hunger declines")
    path.write_text(path.read_text(encoding="utf-8").replace("language: en", "language: bm"))
    _, problems = problems_of(path)
    assert places(problems)[0] == (None, 1, "language")
    assert "'bm' is not a working language" in problems[0].message


def test_sessions_saved_before_the_working_language_read_as_french() -> None:
    from hsvalidate.framework import framework_from_dict, framework_to_dict

    data = framework_to_dict(rich_framework())
    assert data["lang"] == "fr"
    del data["lang"]
    assert framework_from_dict(data) == rich_framework()
    english = replace(rich_framework(), lang="en")
    assert framework_from_dict(framework_to_dict(english)).lang == "en"


def test_an_english_framework_needs_english_text_not_french(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text(
        "Pillar,Outcome,Code,Indicator,Indicator (FR)\nFood,Hunger,I1,,Personnes en phase 3\n",
        encoding="utf-8",
    )
    _, problems = problems_of(path)
    assert places(problems) == [(None, 2, "Indicator")]
    assert problems[0].message == (
        "This indicator has a statement in French but none in English; write the statement "
        "in English too, because English is the working language."
    )


def test_a_csv_framework_cell_that_looks_like_a_formula_is_written_safe_and_reads_back(
    tmp_path: Path,
) -> None:
    from hsvalidate.framework import Dimension, Framework, Indicator, Outcome, Text
    from hsvalidate.framework_io import load_framework, save_framework_csv

    risky = Indicator(
        code="D1.O1.I1",
        text=Text('=HYPERLINK("http://x") nombre de réunions', ""),
        target="+20 %",
        baseline="-5 %",
    )
    fw = Framework(
        title=Text("Cadre", ""),
        dimensions=(
            Dimension(
                "D1",
                Text("Sécurité", ""),
                (Outcome("D1.O1", Text("Moins de violences", ""), (risky,)),),
            ),
        ),
    )
    path = tmp_path / "cadre validé.csv"
    save_framework_csv(fw, path)
    raw = path.read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in raw and "'+20 %" in raw and "'-5 %" in raw
    back = load_framework(path).indicator("D1.O1.I1")
    assert back is not None
    assert (
        back.text.fr.startswith("=HYPERLINK") and back.target == "+20 %" and back.baseline == "-5 %"
    )
