"""The consensus workbook as a partner opens and prints it: read back with openpyxl.

What the issue found: nothing printed well, settings froze half the screen, a French
workbook spoke English, dates were text.  Each test reads the file as a spreadsheet
application would and checks what a reader sees.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

# tests/ is on sys.path in pytest's default import mode (no tests/__init__.py).
from report_factory import CODES, build_report

from hsvalidate.consensus import Rule
from hsvalidate.exports.xlsx import write_consensus_workbook
from hsvalidate.framework import Text
from hsvalidate.i18n import t
from hsvalidate.model import WorkshopDetails
from hsvalidate.report import Report
from hsvalidate.spreadsheet import SheetSpec, write_workbook

BAMBARA = "ɛɔɲŋƐƆƝŊ"
LONG_WORDING = (
    "Pourcentage des ménages des cercles de Bandiagara, Bankass, Koro et Douentza déclarant "
    "qu'un comité local de paix, dont au moins 30 % de femmes et 20 % de jeunes, a réglé un "
    "conflit foncier ou pastoral par la médiation au cours des douze derniers mois, sans "
    "recours à la force ni aux autorités judiciaires, selon l'enquête annuelle de perception "
    f"(ɲɛ ɔ ŋ ɛ {BAMBARA})"
)


def _write(tmp_path: Path, report: Report, name: str = "consensus.xlsx") -> Path:
    path = tmp_path / name
    write_consensus_workbook(report, path)
    return path


def _rows(ws: Worksheet) -> list[tuple[Any, ...]]:
    return list(ws.iter_rows(values_only=True))


def _header_at(ws: Worksheet) -> int:
    """1-based row of the header: the last row of the print titles."""
    titles = ws.print_title_rows or ""
    return int(titles.split(":")[-1].lstrip("$"))


def _with_long_wording(report: Report) -> Report:
    """The report with D1.O1.I2 worded at length, with Bambara letters."""
    fw = report.framework
    dims = tuple(
        replace(
            d,
            outcomes=tuple(
                replace(
                    o,
                    indicators=tuple(
                        replace(i, text=Text(LONG_WORDING, LONG_WORDING))
                        if i.code == "D1.O1.I2"
                        else i
                        for i in o.indicators
                    ),
                )
                for o in d.outcomes
            ),
        )
        for d in fw.dimensions
    )
    return replace(report, framework=replace(fw, dimensions=dims), history=None)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_sheet_is_set_up_for_a4_with_headers_on_every_page(tmp_path: Path, lang: str) -> None:
    report = build_report(lang=lang)
    book = load_workbook(_write(tmp_path, report))
    page = t("wb.footer.page", lang=lang, page="&P", pages="&N")
    for ws in book.worksheets:
        setup = ws.page_setup
        assert setup.paperSize == 9, ws.title  # A4
        assert setup.orientation in ("portrait", "landscape"), ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert int(setup.fitToWidth) >= 1 and int(setup.fitToHeight) == 0, ws.title
        assert ws.oddFooter.left.text == report.session, ws.title
        assert ws.oddFooter.right.text == page, ws.title
        if ws.title not in (t("sheet.settings", lang=lang),):
            assert ws.print_title_rows, f"{ws.title} repeats no header row"
            header = [c.value for c in ws[_header_at(ws)]]
            assert header[0] in (t("col.code", lang=lang), t("col.indicator", lang=lang)) or (
                header[0] in (t("col.round", lang=lang), t("col.where", lang=lang))
            ), (ws.title, header)
    orientations = {ws.title: ws.page_setup.orientation for ws in book.worksheets}
    assert orientations[t("sheet.validated", lang=lang)] == "landscape"
    assert orientations[t("sheet.settings", lang=lang)] == "portrait"


def test_the_first_sheet_is_the_validated_framework_with_the_meeting_s_details(
    tmp_path: Path,
) -> None:
    details = WorkshopDetails(
        title="Atelier national de validation du cadre de S&E",
        place="Bamako, Hôtel de l'Amitié",
        dates=("2026-11-26", "2026-11-27"),
        organisers=("Ministère de la Réconciliation nationale", "WANEP-Mali"),
        chair="Ɲɛlɛni Coulibaly",
        rapporteur="Amadou Tɔgɔla",
    )
    report = replace(build_report(), details=details)
    book = load_workbook(_write(tmp_path, report))
    ws = book.worksheets[0]
    assert ws.title == "Cadre validé"
    assert ws.freeze_panes is None, "the details block must not be frozen on screen"
    facts = {row[0]: row[1:] for row in _rows(ws)[: _header_at(ws) - 1] if row[0]}
    assert facts["Atelier"][0] == details.title
    assert facts["Lieu"][0] == details.place
    assert facts["Président de séance"][0] == "Ɲɛlɛni Coulibaly"
    assert facts["Rapporteur"][0] == "Amadou Tɔgɔla"
    assert facts["Organisateurs"][0] == "Ministère de la Réconciliation nationale; WANEP-Mali"
    assert facts["Dates"][:2] == (datetime(2026, 11, 26), datetime(2026, 11, 27))
    assert isinstance(facts["Document produit le"][0], datetime)
    dates_row = next(r for r in ws.iter_rows() if r[0].value == "Dates")
    assert dates_row[1].is_date and "yyyy" in dates_row[1].number_format


def test_the_validated_framework_reads_dimension_outcome_indicator_with_decisions(
    tmp_path: Path,
) -> None:
    report = build_report()
    ws = load_workbook(_write(tmp_path, report))["Cadre validé"]
    at = _header_at(ws)
    header = [c.value for c in ws[at]]
    assert header == [
        "Code", "Libellé final", "Dernier tour", "Verdict du dernier tour",
        "Important pour un seul groupe", "Décision", "pour", "contre", "abstention",
        "Statut de validation",
    ]  # fmt: skip
    body = _rows(ws)[at:]
    firsts = [str(r[0]) for r in body]
    # Dimension, then its outcome, then the outcome's indicators, in the framework's order.
    for dimension in report.framework.dimensions:
        d = next(i for i, v in enumerate(firsts) if v.split(":")[0].strip() == dimension.code)
        for outcome in dimension.outcomes:
            o = next(i for i, v in enumerate(firsts) if v.split(":")[0].strip() == outcome.code)
            assert o > d
            for ind in outcome.indicators:
                assert firsts.index(ind.code) > o
    rows = {r[0]: dict(zip(header, r, strict=True)) for r in body if r[0] in CODES}
    assert set(rows) == set(CODES)
    for code, row in rows.items():
        assert row["Libellé final"] == report.framework.indicator(code).text.fr  # type: ignore[union-attr]
        assert row["Statut de validation"], f"{code} has no status in words"
    for decision in report.decisions:
        row = rows[decision.indicator]
        assert row["Décision"] == t(f"action.{decision.action}", lang="fr")
        for key, word in (("for", "pour"), ("against", "contre"), ("abstain", "abstention")):
            assert row[word] == decision.votes.get(key)
            assert row[word] is None or isinstance(row[word], int)


def test_colours_come_with_their_words(tmp_path: Path) -> None:
    report = build_report()
    ws = load_workbook(_write(tmp_path, report))["Cadre validé"]
    at = _header_at(ws)
    legend = {}
    for row in ws.iter_rows(max_row=at - 1):
        colour = row[0].fill.fgColor.rgb if row[0].fill.fill_type == "solid" else None
        if colour and row[1].value:
            legend[colour] = str(row[1].value)
    assert len(legend) == 4
    for words in ("vert", "jaune", "rose", "gris"):
        assert any(text.startswith(words) for text in legend.values()), words
    status = [c.value for c in ws[at]].index("Statut de validation")
    coloured = 0
    for row in ws.iter_rows(min_row=at + 1):
        if row[0].value not in CODES:
            continue
        colour = row[0].fill.fgColor.rgb
        assert colour in legend, f"{row[0].value} is coloured without a legend"
        assert row[status].value, f"{row[0].value} has a colour and no words"
        assert row[status].fill.fgColor.rgb == colour  # the whole row, words included
        coloured += 1
    assert coloured == len(CODES)


def test_full_wording_is_never_cut_and_its_row_is_tall_enough(tmp_path: Path) -> None:
    report = _with_long_wording(build_report())
    book = load_workbook(_write(tmp_path, report))
    for title, column in (("Cadre validé", 1), ("Cadre", 1)):
        ws = book[title]
        row = next(r for r in ws.iter_rows() if r[0].value == "D1.O1.I2")
        cell = row[column]
        assert cell.value == LONG_WORDING, title
        assert cell.alignment.wrap_text, title
        width = ws.column_dimensions[cell.column_letter].width
        # A line of wrapped text holds about as many characters as the column is wide.
        lines = -(-len(LONG_WORDING) // int(width * 1.1))
        height = ws.row_dimensions[cell.row].height
        assert height is not None and height >= 15 * lines, (title, height, lines)


def test_bambara_letters_stay_intact(tmp_path: Path) -> None:
    report = _with_long_wording(build_report(show_names=True))
    texts = {
        str(v)
        for ws in load_workbook(_write(tmp_path, report)).worksheets
        for row in ws.iter_rows(values_only=True)
        for v in row
        if v is not None
    }
    assert LONG_WORDING in texts
    assert {"Ɲɛlɛni Coulibaly", "Oumar Ŋɔmi Maïga", "Ɲamakɔrɔ Keïta"} <= texts
    assert "Ka ɲɛ : bɛɛ ka sɔn, ŋaniya ; ŊƆ ƐƝ à vérifier" in texts


ENGLISH = re.compile(
    r"\b(round|indicator|criterion|group|relevance|feasibility|clarity|paper|terminal|keep|"
    r"drop|all|yes|no|percent|appropriate|uncertain|consensus in|cannot judge|linear|median|"
    r"ratings?|below quorum|not rated)\b|_",
    re.IGNORECASE,
)


def test_a_french_workbook_has_no_english_outside_the_data(tmp_path: Path) -> None:
    report = replace(build_report(), rule=Rule(kind="percent", quorum=3))
    book = load_workbook(_write(tmp_path, report))
    found: list[str] = []
    for ws in book.worksheets:
        if ws.title == "Colonnes":
            continue  # its third column is the tidy names, on purpose
        if ws.print_title_rows:
            found += [
                f"{ws.title} header: {c.value}"
                for c in ws[_header_at(ws)]
                if c.value and ENGLISH.search(str(c.value))
            ]
    results = book["Résultats"]
    header = [c.value for c in results[1]]
    ours = [
        t(f"tidy.col.{name}", lang="fr")
        for name in ("criterion", "group", "disagreement", "ram_class", "percent_class", "verdict")
    ]
    for row in results.iter_rows(min_row=2, values_only=True):
        found += [
            f"Résultats {h}: {row[header.index(h)]}"
            for h in ours
            if ENGLISH.search(str(row[header.index(h)] or ""))
        ]
    votes = book["Votes"]
    vheader = [c.value for c in votes[1]]
    for row in votes.iter_rows(min_row=2, values_only=True):
        for h in ("Groupe", "Canal", "Pertinence", "Faisabilité", "Clarté"):
            value = row[vheader.index(h)]
            if isinstance(value, str) and ENGLISH.search(value):
                found.append(f"Votes {h}: {value}")
    settings = {r[0]: r[1] for r in _rows(book["Paramètres"]) if r[0]}
    for label in ("Règle de consensus", "Méthode des percentiles", "Jeu de critères"):
        if ENGLISH.search(str(settings[label])):
            found.append(f"Paramètres {label}: {settings[label]}")
    assert sorted(set(found)) == []
    assert "papier" in {
        row[vheader.index("Canal")] for row in votes.iter_rows(min_row=2, values_only=True)
    }


def test_the_whole_panel_is_named_the_same_everywhere(tmp_path: Path) -> None:
    word = t("group.all", lang="fr")
    book = load_workbook(_write(tmp_path, build_report()))
    for title in ("Résultats", "Stabilité", "Participation"):
        ws = book[title]
        at = _header_at(ws)
        column = [c.value for c in ws[at]].index("Groupe")
        groups = {row[column] for row in ws.iter_rows(min_row=at + 1, values_only=True)}
        assert word in groups, title
        assert "all" not in groups and "Ensemble" not in groups, title
    columns = {(r[1], r[2]) for r in _rows(book["Colonnes"])}
    assert (word, "all") in columns


def test_dates_are_date_cells(tmp_path: Path) -> None:
    book = load_workbook(_write(tmp_path, build_report()))
    for title, header in (
        ("Votes", "Enregistré le"),
        ("Tours", "Ouvert le"),
        ("Tours", "Clos le"),
        ("Décisions", "Enregistré le"),
    ):
        ws = book[title]
        at = _header_at(ws)
        column = [c.value for c in ws[at]].index(header)
        cells = [
            row[column] for row in ws.iter_rows(min_row=at + 1) if row[column].value is not None
        ]
        assert cells, (title, header)
        assert all(c.is_date and isinstance(c.value, datetime) for c in cells), (title, header)
        assert cells[0].number_format == "dd/mm/yyyy hh:mm"
    votes = book["Votes"]
    first = [c.value for c in votes[2]]
    assert datetime(2026, 11, 26) <= first[-1] <= datetime(2026, 11, 28)


def test_english_dates_read_without_a_day_month_puzzle(tmp_path: Path) -> None:
    ws = load_workbook(_write(tmp_path, build_report(lang="en")))["Rounds"]
    assert ws["C2"].is_date and ws["C2"].number_format == "d mmm yyyy hh:mm"


def test_framework_sheet_keeps_the_code_on_screen_and_leaves_empty_fields_out(
    tmp_path: Path,
) -> None:
    report = build_report()
    ws = load_workbook(_write(tmp_path, report))["Cadre"]
    at = _header_at(ws)
    header = [c.value for c in ws[at]]
    assert header[0] == "Code"
    assert ws.freeze_panes == f"B{at + 1}"
    indicators = list(report.framework.indicators())
    assert not any(i.notes.fr for i in indicators), "the factory fills every field but notes"
    assert "Notes" not in header
    assert {"Libellé", "Définition", "Unité", "Hypothèses et risques"} <= set(header)
    codes = [row[0] for row in ws.iter_rows(min_row=at + 1, values_only=True)]
    assert codes == [i.code for i in indicators]


def test_settings_and_the_first_sheet_freeze_nothing_above_a_table(tmp_path: Path) -> None:
    book = load_workbook(_write(tmp_path, build_report()))
    assert book["Paramètres"].freeze_panes is None
    assert book["Cadre validé"].freeze_panes is None
    assert book["Résultats"].freeze_panes == "C2"
    assert book["Votes"].freeze_panes == "A2"


def test_columns_sheet_maps_every_header_to_its_tidy_name(tmp_path: Path) -> None:
    from hsvalidate.report import ATTRITION_COLUMNS, RESULT_COLUMNS, STABILITY_COLUMNS

    book = load_workbook(_write(tmp_path, build_report(lang="en")))
    mapping = _rows(book["Columns"])
    for title, columns in (
        ("Results", RESULT_COLUMNS),
        ("Stability", STABILITY_COLUMNS),
        ("Attrition", ATTRITION_COLUMNS),
    ):
        ws = book[title]
        shown = [c.value for c in ws[_header_at(ws)]]
        pairs = [(r[1], r[2]) for r in mapping if r[0] == title]
        assert pairs == list(zip(shown, columns, strict=True)), title
    values = {(r[1], r[2]) for r in mapping}
    assert {("Relevance", "relevance"), ("keep", "keep"), ("paper", "paper")} <= values


def test_the_writer_stores_text_as_text_and_skips_what_no_cell_can_hold(tmp_path: Path) -> None:
    path = tmp_path / "w.xlsx"
    write_workbook(
        path,
        [
            SheetSpec(
                title="a/b:c",
                header=["x", "y", "z"],
                rows=[["=1+1", float("nan"), True], ["@x", 1.5, None]],
            ),
            SheetSpec(title="A-B-C", header=["x"], rows=[["1"]]),
        ],
        title="T & <t>",
    )
    book = load_workbook(path)
    assert book.sheetnames == ["a-b-c", "A-B-C (2)"]
    ws = book["a-b-c"]
    assert ws["A2"].value == "=1+1" and ws["A2"].data_type == "s"
    assert ws["B2"].value is None and ws["C2"].value is True
    assert ws["B3"].value == 1.5
    assert book.properties.title == "T & <t>"


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_prints_the_workbook_on_few_pages(tmp_path: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    path = _write(tmp_path, build_report())
    home = tmp_path / "home"
    home.mkdir()
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
        check=True,
        capture_output=True,
        timeout=180,
        env={"HOME": str(home), "PATH": "/usr/bin:/bin"},
    )
    reader = pypdf.PdfReader(str(tmp_path / "consensus.pdf"))
    # One page for each of the 13 sheets, a second for the longer ones.
    assert len(reader.pages) <= 20
    first = reader.pages[0].extract_text()
    assert "Cadre validé" in first and "page 1 sur" in first
