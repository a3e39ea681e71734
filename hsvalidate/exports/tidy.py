"""Tidy files for other tools: one row per observation, every figure unrounded.

Why unrounded and in a fixed form (point decimals, ``true``/``false``): these files
are read by R, Stata or a spreadsheet to check or extend the analysis, so they must
carry the exact figures the documents were computed from.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from hsvalidate.report import RESULT_COLUMNS, Record, Report, result_record
from hsvalidate.spreadsheet import formula_safe


def write_csv(columns: Sequence[str], records: Sequence[Record], stream: TextIO) -> None:
    """Tidy CSV: figures unrounded (Python's shortest round-trip form), empty for no figure.

    Text that a spreadsheet would run as a formula (a group typed as ``=…``) is
    prefixed with a quote, as OWASP recommends for CSV exports of user text.
    """
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(columns)
    for record in records:
        row: list[str] = []
        for column in columns:
            value = record[column]
            if value is None:
                row.append("")
            elif isinstance(value, bool):
                row.append("true" if value else "false")
            elif isinstance(value, str):
                row.append(formula_safe(value))
            else:
                row.append(repr(value))
        writer.writerow(row)


def write_json(records: Sequence[Record], stream: TextIO) -> None:
    """Tidy JSON: a list of records, unrounded, ``null`` for no figure."""
    stream.write(json.dumps(list(records), ensure_ascii=False, indent=1))
    stream.write("\n")


def write_results_csv(report: Report, path: Path) -> None:
    """Every result of the report as a tidy CSV file (the columns of ``RESULT_COLUMNS``)."""
    from hsvalidate.fileio import write_atomic

    buffer = io.StringIO()
    write_csv(RESULT_COLUMNS, [result_record(r) for r in report.results], buffer)
    write_atomic(path, buffer.getvalue().encode("utf-8"))


def write_results_json(report: Report, path: Path) -> None:
    """Every result of the report as a tidy JSON file."""
    from hsvalidate.fileio import write_atomic

    buffer = io.StringIO()
    write_json([result_record(r) for r in report.results], buffer)
    write_atomic(path, buffer.getvalue().encode("utf-8"))
