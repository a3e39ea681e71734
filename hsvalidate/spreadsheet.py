"""Tabular files in and out: CSV and XLSX reading, XLSX writing; the only module that imports openpyxl.

Why one module: attendance sheets, ballots and draft frameworks all arrive as
spreadsheets, and the consensus workbook leaves as one.  Keeping openpyxl here means
the traps in docs/spreadsheets-and-pdf.md (text starting with ``=`` stored as a formula, control
characters that abort the save, merged cells read as blanks) are handled once.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from hsvalidate.errors import InputFileError, Problem
from hsvalidate.fileio import atomic_path
from hsvalidate.i18n import Message

CellValue = str | int | float | bool | None
"""What a written cell may hold."""

_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
_CSV_ENCODINGS = ("utf-8-sig", "cp1252")
TABLE_SUFFIXES = (".csv", ".xlsx", ".xlsm")


@dataclass(frozen=True)
class Table:
    """One sheet of a spreadsheet (or a whole CSV file) as text cells."""

    name: str
    """Sheet name; ``None``-free: a CSV file gets its file name."""
    rows: list[list[str]]
    """Cells as stripped text; ``rows[i]`` is spreadsheet row ``i + 1``; merged cells are
    filled with the value of their top-left cell."""
    is_sheet: bool = True
    """False for CSV, where a place is named by line rather than by sheet."""
    merged_rows: frozenset[tuple[int, int]] = frozenset()
    """(row index, column index) of cells filled from a merged range (0-based)."""


def read_tables(path: Path) -> list[Table]:
    """Read a CSV or XLSX file into tables of text, or raise InputFileError saying what to do."""
    path = Path(path)
    if not path.exists():
        raise InputFileError(
            Message("file.missing", file=str(path)),
            (Problem(str(path), Message("file.not_found")),),
        )
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return [_read_csv(path)]
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    raise InputFileError(
        Message("file.unsupported", file=path.name),
        (Problem(str(path), Message("file.unsupported_type")),),
    )


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _read_csv(path: Path) -> Table:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise InputFileError(
            Message("file.cannot_read", file=str(path), reason=reason),
            (Problem(str(path), Message("file.unreadable", reason=reason)),),
        ) from exc
    if b"\x00" in raw[:4096]:
        raise InputFileError(
            Message("file.csv_binary", file=path.name),
            (Problem(str(path), Message("file.csv_binary_content")),),
        )
    text = None
    for encoding in _CSV_ENCODINGS:
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is None:
        raise InputFileError(
            Message("file.csv_encoding", file=path.name),
            (Problem(str(path), Message("file.csv_unknown_encoding")),),
        )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_guess_delimiter(text))
    try:
        rows = [[unquote_formula(cell.strip()) for cell in row] for row in reader]
    except csv.Error as exc:  # e.g. an unclosed quote swallowing the rest of the file
        line = reader.line_num
        raise InputFileError(
            Message("file.csv_malformed", file=path.name, line=line, detail=str(exc)),
            (Problem(str(path), Message("file.csv_malformed_here", detail=str(exc)), row=line),),
        ) from exc
    return Table(name=path.name, rows=rows, is_sheet=False)


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet run a cell as a formula."""


def formula_safe(text: str) -> str:
    """Text for a CSV cell that Excel shows as text instead of running it (OWASP: prefix ``'``)."""
    return "'" + text if text.startswith(FORMULA_START) else text


def unquote_formula(text: str) -> str:
    """The inverse of :func:`formula_safe`, so a CSV hsvalidate wrote reads back as written."""
    return text[1:] if text.startswith("'") and text[1:2] in FORMULA_START else text


def _guess_delimiter(text: str) -> str:
    """The separator found on most of the first lines.

    ``csv.Sniffer`` gives up on files with a title line or Windows line ends; French
    Excel writes ``;``, others ``,`` or tabs, so count which one the lines share.
    """
    lines = [line for line in text.splitlines()[:30] if line.strip()]
    best, best_key = ",", (0, 0)
    for candidate in (";", ",", "\t"):
        key = (sum(1 for line in lines if candidate in line), text.count(candidate))
        if key > best_key:
            best, best_key = candidate, key
    return best


def _read_xlsx(path: Path) -> list[Table]:
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        # Not read_only: merged ranges are only known on a fully loaded sheet.
        workbook = load_workbook(path, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as exc:
        raise InputFileError(
            Message("file.xlsx_unreadable", file=path.name),
            (Problem(str(path), Message("file.xlsx_invalid", kind=type(exc).__name__)),),
        ) from exc
    tables: list[Table] = []
    for sheet in workbook.worksheets:
        rows = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        filled: set[tuple[int, int]] = set()
        for merged in sheet.merged_cells.ranges:
            top = _cell_text(sheet.cell(merged.min_row, merged.min_col).value)
            for r in range(merged.min_row, merged.max_row + 1):
                for c in range(merged.min_col, merged.max_col + 1):
                    while len(rows) < r:
                        rows.append([])
                    row = rows[r - 1]
                    while len(row) < c:
                        row.append("")
                    if (r, c) != (merged.min_row, merged.min_col):
                        row[c - 1] = top
                        filled.add((r - 1, c - 1))
        tables.append(Table(name=sheet.title, rows=rows, merged_rows=frozenset(filled)))
    workbook.close()
    return tables


@dataclass(frozen=True)
class SheetSpec:
    """One worksheet to write: what a reader sees, not how openpyxl builds it."""

    title: str
    """Sheet tab name (trimmed to Excel's 31 characters)."""
    header: Sequence[str]
    """Column headers, written bold with a filter and frozen below."""
    rows: Sequence[Sequence[CellValue]]
    """Data rows under the header."""
    preface: Sequence[str] = ()
    """Lines above the header (first one bold): title, session, date."""
    preface_gap: bool = True
    """Whether a blank row separates the preface from the header; a draft's own title
    block is written as it was, its blank rows being part of ``preface``."""
    top_header: Sequence[str] = ()
    """The upper row of a two-level header ("Situation de référence" over "Valeur" |
    "Année"), written above ``header`` and styled like it; empty for one header row."""
    widths: Mapping[int, float] = field(default_factory=dict)
    """Column widths in characters, by 0-based column index; others are sized to content."""
    wrap: frozenset[int] = frozenset()
    """0-based columns whose text wraps (long indicator statements, comments)."""
    number_formats: Mapping[int, str] = field(default_factory=dict)
    """Excel number format by 0-based column index, e.g. ``'0.0'`` or ``'0%'``."""
    merges: Sequence[tuple[int, int, int, int]] = ()
    """Merged ranges as 0-based (first row, first col, last row, last col) within the data rows."""


def clean_text(value: str) -> str:
    """Remove control characters that Excel files cannot hold (they abort the whole save)."""
    return _ILLEGAL.sub("", value)


def write_workbook(path: Path, sheets: Sequence[SheetSpec], *, title: str = "") -> None:
    """Write sheets to ``path`` atomically; user text is always stored as text, never as a formula."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    if title:
        workbook.properties.title = clean_text(title)
    bold = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDE7F0")
    wrap_top = Alignment(wrap_text=True, vertical="top")
    used_titles: set[str] = set()
    for spec in sheets:
        sheet_title = _sheet_title(spec.title, used_titles)
        ws = workbook.create_sheet(sheet_title)
        r = 1
        for i, line in enumerate(spec.preface):
            cell = ws.cell(row=r, column=1)
            _set(cell, line)
            if i == 0:
                cell.font = Font(bold=True, size=13)
            r += 1
        if spec.preface and spec.preface_gap:
            r += 1
        header_rows = (spec.top_header, spec.header) if spec.top_header else (spec.header,)
        for k, row_cells in enumerate(header_rows):
            r += 1 if k else 0
            for c, name in enumerate(row_cells, start=1):
                cell = ws.cell(row=r, column=c)
                _set(cell, name)
                cell.font = bold
                cell.fill = header_fill
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        header_row = r
        widths = [len(str(h)) + 2 for h in spec.header]
        for values in spec.rows:
            r += 1
            for c, value in enumerate(values, start=1):
                cell = ws.cell(row=r, column=c)
                _set(cell, value)
                idx = c - 1
                if idx in spec.number_formats and isinstance(value, int | float):
                    cell.number_format = spec.number_formats[idx]
                if idx in spec.wrap:
                    # Styles only where needed: styling every cell of a 60,000-cell
                    # ballots sheet took most of the export time.
                    cell.alignment = wrap_top
                if idx < len(widths):
                    widths[idx] = max(widths[idx], min(len(_cell_text(value)) + 2, 60))
                else:
                    widths.append(min(len(_cell_text(value)) + 2, 60))
        for first_r, first_c, last_r, last_c in spec.merges:
            # A merged code or title reads at the top of its block, beside its first row.
            ws.cell(row=header_row + 1 + first_r, column=first_c + 1).alignment = wrap_top
            ws.merge_cells(
                start_row=header_row + 1 + first_r,
                start_column=first_c + 1,
                end_row=header_row + 1 + last_r,
                end_column=last_c + 1,
            )
        for idx, width in enumerate(widths):
            ws.column_dimensions[get_column_letter(idx + 1)].width = spec.widths.get(idx, width)
        if spec.header:
            ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
            if spec.rows:
                ws.auto_filter.ref = f"A{header_row}:{get_column_letter(len(spec.header))}{header_row + len(spec.rows)}"
    if not workbook.worksheets:
        workbook.create_sheet("Sheet1")
    with atomic_path(Path(path)) as tmp:
        workbook.save(tmp)


def _sheet_title(title: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]\*\?/\\:]", "-", clean_text(title)).strip() or "Sheet"
    base = base[:31]
    candidate, n = base, 2
    while candidate.lower() in used:
        suffix = f" ({n})"
        candidate = base[: 31 - len(suffix)] + suffix
        n += 1
    used.add(candidate.lower())
    return candidate


def _set(cell: Any, value: CellValue) -> None:
    if isinstance(value, str):
        text = clean_text(value)
        cell.value = text
        # openpyxl turns any string starting with '=' into a formula; a participant's
        # comment must never run as one.  Setting the type after the value keeps it text.
        if text.startswith("="):
            cell.data_type = "s"
    else:
        cell.value = value
