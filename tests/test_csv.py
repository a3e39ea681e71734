"""CSV files a French secretariat opens in Excel with a double click, and the tidy form for tools."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from report_factory import build_report

from hsvalidate.exports import write_exports
from hsvalidate.exports.tidy import TIDY, spreadsheet_style, write_csv
from hsvalidate.i18n import t
from hsvalidate.report import RESULT_COLUMNS, result_record


def test_french_excel_csv_has_a_bom_semicolons_decimal_commas_and_words(tmp_path: Path) -> None:
    report = build_report(lang="fr")
    path = write_exports(report, tmp_path, ["csv"])[0][1]
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel reads accents and Bambara letters
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    header, body = rows[0], rows[1:]
    assert header[:5] == ["Tour", "Indicateur", "Version", "Critère", "Groupe"]
    assert len(header) == len(RESULT_COLUMNS) and all(len(r) == len(header) for r in body)
    groups = {r[4] for r in body}
    assert t("group.all", lang="fr") in groups and "all" not in groups
    assert {r[3] for r in body} <= {c.label.get("fr") for c in report.criteria}
    medians = [r[header.index("Médiane")] for r in body if r[header.index("Médiane")]]
    assert medians and all("." not in m for m in medians)
    # The figures are the unrounded ones of the tidy file, with a comma for the point.
    tidy = io.StringIO()
    write_csv(RESULT_COLUMNS, [result_record(r) for r in report.results], tidy, style=TIDY)
    tidy_rows = list(csv.reader(io.StringIO(tidy.getvalue())))
    assert [r[8].replace(".", ",") for r in tidy_rows[1:]] == [r[8] for r in body]


def test_english_spreadsheet_csv_keeps_commas_and_points_with_a_bom() -> None:
    report = build_report(lang="en")
    out = io.StringIO()
    write_csv(
        RESULT_COLUMNS,
        [result_record(r) for r in report.results],
        out,
        style=spreadsheet_style("en"),
    )
    text = out.getvalue()
    assert text.startswith("\ufeffRound,Indicator,")
    assert "\r\n" in text


def test_a_formula_in_a_group_name_stays_text_in_both_styles() -> None:
    record = {c: None for c in RESULT_COLUMNS}
    record.update(round=1, indicator="D1", group="=HYPERLINK(1)", criterion="relevance")
    for style in (TIDY, spreadsheet_style("fr")):
        out = io.StringIO()
        write_csv(RESULT_COLUMNS, [record], out, style=style)
        assert "'=HYPERLINK(1)" in out.getvalue()
