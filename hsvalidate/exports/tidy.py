"""Tidy files: one row per observation, every figure unrounded, for a tool or a spreadsheet.

Why unrounded: these files are read by R, Stata or a spreadsheet to check or extend the
analysis, so they must carry the exact figures the documents were computed from.  Why
two CSV styles: see :class:`CsvStyle`.  JSON always carries codes (``all``, ``relevance``,
``keep``): it is read by programs only.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from hsvalidate.i18n.documents import class_label, doc_text, group_label, verdict_label, yes_no
from hsvalidate.report import RESULT_COLUMNS, Record, Report, result_record
from hsvalidate.spreadsheet import formula_safe


@dataclass(frozen=True)
class CsvStyle:
    """How a CSV file is written: for a tool, or for the spreadsheet a person opens it in.

    Why two: R or Stata want codes, commas and point decimals; French Excel, opened by a
    double click, splits columns on ``;``, reads ``7,5`` as a number and needs a BOM to
    read UTF-8 (otherwise « Kɔnɛ » arrives as mojibake).  The English spreadsheet form
    keeps ``,`` and ``.`` but also gets the BOM and the words.
    """

    delimiter: str = ","
    decimal: str = "."
    bom: bool = False
    lang: str | None = None
    """The language of the headers and of the words in cells; None: tidy names and codes."""


TIDY = CsvStyle()
"""Codes, ``,`` and point decimals, no BOM: for other tools (``--tidy``)."""


def spreadsheet_style(lang: str) -> CsvStyle:
    """The CSV a person opens in Excel in ``lang``: French Excel's ``;`` and ``7,5``, a BOM, words."""
    if lang == "fr":
        return CsvStyle(delimiter=";", decimal=",", bom=True, lang="fr")
    return CsvStyle(delimiter=",", decimal=".", bom=True, lang=lang)


_WORDED = {
    "group": group_label,
    "verdict": verdict_label,
    "ram_class": class_label,
    "percent_class": class_label,
}
"""Columns whose codes a person reads as words (the criterion is named by the session)."""


def write_csv(
    columns: Sequence[str],
    records: Sequence[Record],
    stream: TextIO,
    *,
    style: CsvStyle = TIDY,
    criteria: Mapping[str, str] | None = None,
) -> None:
    """One CSV table: figures unrounded (shortest round-trip form), empty for no figure.

    In the spreadsheet style the headers are the documents' words and codes become
    words (the whole panel is « ensemble », as in the workbook); the figures stay
    unrounded, with the decimal mark of the language.  Text that a spreadsheet would
    run as a formula (a group typed as ``=…``) is prefixed with a quote, as OWASP
    recommends for CSV exports of user text.
    """
    lang = style.lang
    if style.bom:
        stream.write("\ufeff")
    writer = csv.writer(
        stream, delimiter=style.delimiter, lineterminator="\r\n" if style.bom else "\n"
    )
    writer.writerow(
        [doc_text(f"tidy.col.{c}", lang) for c in columns] if lang is not None else columns
    )
    for record in records:
        row: list[str] = []
        for column in columns:
            value = record[column]
            if value is None:
                row.append("")
            elif isinstance(value, bool):
                row.append(yes_no(value, lang) if lang is not None else str(value).lower())
            elif isinstance(value, str):
                if lang is not None and column in _WORDED and value:
                    value = _WORDED[column](value, lang)
                elif lang is not None and column == "criterion" and criteria:
                    value = criteria.get(value, value)
                row.append(formula_safe(value))
            elif isinstance(value, float):
                row.append(repr(value).replace(".", style.decimal))
            else:
                row.append(repr(value))
        writer.writerow(row)


def write_json(records: Sequence[Record], stream: TextIO) -> None:
    """Tidy JSON: a list of records, unrounded, ``null`` for no figure."""
    stream.write(json.dumps(list(records), ensure_ascii=False, indent=1))
    stream.write("\n")


def write_results_csv(report: Report, path: Path, *, tidy: bool = False) -> None:
    """Every result of the report as a CSV file (the columns of ``RESULT_COLUMNS``).

    For a person's spreadsheet in the report's language unless ``tidy``.
    """
    from hsvalidate.fileio import write_atomic

    buffer = io.StringIO()
    write_csv(
        RESULT_COLUMNS,
        [result_record(r) for r in report.results],
        buffer,
        style=TIDY if tidy else spreadsheet_style(report.lang),
        criteria={c.code: c.label.get(report.lang) or c.code for c in report.criteria},
    )
    write_atomic(path, buffer.getvalue().encode("utf-8"))


def write_results_json(report: Report, path: Path) -> None:
    """Every result of the report as a tidy JSON file."""
    from hsvalidate.fileio import write_atomic

    buffer = io.StringIO()
    write_json([result_record(r) for r in report.results], buffer)
    write_atomic(path, buffer.getvalue().encode("utf-8"))
