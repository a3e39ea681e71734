"""Tabular files in and out: CSV and XLSX reading, XLSX writing; the only module that imports openpyxl.

Why one module: attendance sheets, ballots and draft frameworks all arrive as
spreadsheets, and the consensus workbook leaves as one.  Keeping openpyxl here means
the traps in docs/spreadsheets-and-pdf.md (text starting with ``=`` stored as a formula, control
characters that abort the save, merged cells read as blanks) are handled once.

Why reading is bounded: a workbook declares its own size, and that size lies (one stray
format at XFD2000 declares 32 million cells, a whole-column merge a million rows).  The
reader streams the cells the file holds, refuses a file larger than a workshop ever
needs before opening it, and turns any damage it meets into one sentence naming the file.
"""

from __future__ import annotations

import csv
import io
import math
import re
import struct
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache, partial
from pathlib import Path
from typing import Any, TypeVar

from hsvalidate.errors import InputFileError, Problem
from hsvalidate.fileio import atomic_path
from hsvalidate.i18n import Message

CellValue = str | int | float | bool | date | datetime | None
"""What a written cell may hold; a date is written as a date cell, never as text."""

_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
_CSV_ENCODINGS = ("utf-8-sig", "cp1252")
TABLE_SUFFIXES = (".csv", ".xlsx", ".xlsm")

# -- what a workshop file may hold -------------------------------------------------------
#
# The largest file a workshop has is a national round's ballots: 300 participants × 160
# indicators × 3 criteria, 144,000 rows of 5 columns, about 4 MB as CSV or .xlsx (20 to
# 40 MB once unzipped).  The limits below leave at least twice that room and still
# refuse, in a second and a few megabytes, what would otherwise freeze the laptop.

MAX_FILE_BYTES = 50 * 1024 * 1024
"""A CSV or .xlsx file larger than this on disk is refused before it is read."""
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
"""A workbook whose parts unzip to more than this is refused before it is opened (a
"zip bomb" is a few kilobytes that unzip to gigabytes); openpyxl reads 3 to 6 MB of
a sheet a second, so even a file just under the limit is read within half a minute."""
MAX_PARTS = 10_000
"""A workbook is a zip of a few dozen parts; one with more is refused before its list of
parts is read."""
MAX_ROWS = 5_000
"""Rows a framework, an attendance sheet or a criteria table may use: a national
framework has a few hundred, a national workshop 300 participants."""
MAX_BALLOT_ROWS = 300_000
"""Rows a ballot file may use (one rating a row): twice a national round."""
MAX_COLUMNS = 200
"""Columns any table may use: a framework matrix has about 25."""
MAX_CELLS = 3_000_000
"""Rows × columns a file may use in all, so that a sheet both long and wide (a stray cell
at column 200 on each of 300,000 rows) cannot fill the memory either."""
_SNIFF_CHARS = 1_000_000
"""Characters looked at to guess a CSV file's separator."""
_CSV_SEPARATORS_PER_LINE = MAX_COLUMNS * 50
"""Separators a CSV line may hold before it is refused unread: a line of 200 cells whose
texts hold many ``;`` stays far below, a line of millions would fill the memory."""


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
    merged: tuple[tuple[int, int, int, int], ...] = ()
    """Merged ranges as 0-based (first row, first column, last row, last column), cut to
    the rows and columns that hold text."""

    @property
    def merged_rows(self) -> frozenset[tuple[int, int]]:
        """(row index, column index) of cells filled from a merged range (0-based).

        Worked out when asked for: a sheet merged over its whole width and height would
        otherwise keep a pair for each of its cells.
        """
        return frozenset(
            (r, c)
            for top, left, bottom, right in self.merged
            for r in range(top, bottom + 1)
            for c in range(left, right + 1)
            if (r, c) != (top, left)
        )


def read_tables(path: Path, *, max_rows: int = MAX_ROWS) -> list[Table]:
    """Read a CSV or XLSX file into tables of text, or raise InputFileError saying what to do.

    Only the cells the file holds are read, up to ``max_rows`` rows and ``MAX_COLUMNS``
    columns; content beyond them is refused with its place, blank rows and columns
    beyond them (a stray format, a whole-column merge) are ignored.
    """
    path = Path(path)
    if not path.exists():
        raise InputFileError(
            Message("file.missing", file=str(path)),
            (Problem(str(path), Message("file.not_found")),),
        )
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx", ".xlsm"):
        raise InputFileError(
            Message("file.unsupported", file=path.name),
            (Problem(str(path), Message("file.unsupported_type")),),
        )
    check_file_size(path)
    if suffix == ".csv":
        return [_read_csv(path, max_rows)]
    return _read_xlsx(path, max_rows)


def check_file_size(path: Path, limit: int = MAX_FILE_BYTES) -> None:
    """Refuse a file larger than ``limit`` bytes before any of it is read.

    Why before: parsing is what costs memory and time; a file a hundred times larger
    than any workshop's is a wrong file (a video, a database export), and saying so at
    once is kinder than a laptop that stops answering.
    """
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise _cannot_read(path, exc) from exc
    if size > limit:
        message = Message(
            "file.too_large", file=path.name, size=_megabytes(size), limit=_megabytes(limit)
        )
        raise InputFileError(message, (Problem(str(path), message),))


def _megabytes(size: int) -> int:
    return math.ceil(size / (1024 * 1024))


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


def column_letter(number: int) -> str:
    """A 1-based column number as a spreadsheet names it (1 → A, 27 → AA)."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


class _Bounds:
    """The limits one file is read within, and the located errors for going past them."""

    def __init__(self, path: Path, max_rows: int) -> None:
        self.path = path
        self.max_rows = max_rows

    def too_many_rows(self, sheet: str | None, row: int) -> InputFileError:
        summary = Message("file.too_many_rows", file=self.path.name, limit=self.max_rows)
        here = Message("file.content_below_limit", limit=self.max_rows)
        return InputFileError(summary, (Problem(str(self.path), here, sheet=sheet, row=row),))

    def too_many_columns(self, sheet: str | None, row: int, column: int) -> InputFileError:
        limit = column_letter(MAX_COLUMNS)
        summary = Message("file.too_many_columns", file=self.path.name, limit=limit)
        here = Message("file.content_right_of_limit", limit=limit)
        return InputFileError(
            summary,
            (Problem(str(self.path), here, sheet=sheet, row=row, column=column_letter(column)),),
        )

    def too_many_cells(self, sheet: str | None, rows: int, columns: int) -> InputFileError:
        message = Message(
            "file.too_many_cells", file=self.path.name, rows=rows, columns=columns, limit=MAX_CELLS
        )
        return InputFileError(message, (Problem(str(self.path), message, sheet=sheet),))


# -- CSV ---------------------------------------------------------------------------------


def _cannot_read(path: Path, exc: OSError) -> InputFileError:
    """The file cannot be read at all (gone, locked by Excel, a failing USB stick)."""
    reason = exc.strerror or str(exc)
    return InputFileError(
        Message("file.cannot_read", file=str(path), reason=reason),
        (Problem(str(path), Message("file.unreadable", reason=reason)),),
    )


def _read_csv(path: Path, max_rows: int) -> Table:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise _cannot_read(path, exc) from exc
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
    del raw
    bounds = _Bounds(path, max_rows)
    delimiter = _guess_delimiter(text)
    lines = _bounded_lines(io.StringIO(text, newline=""), delimiter, bounds)
    reader = csv.reader(lines, delimiter=delimiter)
    rows: list[list[str]] = []
    cells = width = 0
    try:
        for row in reader:
            values = [unquote_formula(cell.strip()) for cell in row]
            line = reader.line_num
            if len(values) > MAX_COLUMNS:
                while values and not values[-1]:
                    values.pop()
                if len(values) > MAX_COLUMNS:
                    raise bounds.too_many_columns(None, line, len(values))
            if len(rows) >= max_rows:
                if any(values):
                    raise bounds.too_many_rows(None, line)
                continue  # blank lines at the end of a long export
            cells += len(values)
            width = max(width, len(values))
            if cells > MAX_CELLS:
                raise bounds.too_many_cells(None, len(rows) + 1, width)
            rows.append(values)
    except csv.Error as exc:  # e.g. an unclosed quote swallowing the rest of the file
        line = reader.line_num
        raise InputFileError(
            Message("file.csv_malformed", file=path.name, line=line, detail=str(exc)),
            (Problem(str(path), Message("file.csv_malformed_here", detail=str(exc)), row=line),),
        ) from exc
    return Table(name=path.name, rows=rows, is_sheet=False)


def _bounded_lines(lines: Iterable[str], delimiter: str, bounds: _Bounds) -> Iterator[str]:
    """The file's lines, refusing one so long that parsing it would fill the memory.

    Why before the csv module: it builds a whole line's cells before they can be
    counted, and a line of ten million separators is 80 MB of empty cells.
    """
    for number, line in enumerate(lines, start=1):
        if line.count(delimiter) > _CSV_SEPARATORS_PER_LINE:
            raise bounds.too_many_columns(None, number, _CSV_SEPARATORS_PER_LINE + 1)
        yield line


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
    Only the start of the file is split into lines: a file of millions of empty lines
    would otherwise make a list of millions first.
    """
    lines = [line for line in text[:_SNIFF_CHARS].splitlines()[:30] if line.strip()]
    best, best_key = ",", (0, 0)
    for candidate in (";", ",", "\t"):
        key = (sum(1 for line in lines if candidate in line), text.count(candidate))
        if key > best_key:
            best, best_key = candidate, key
    return best


# -- XLSX --------------------------------------------------------------------------------

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""How a password-protected workbook or an Excel 97-2003 one begins (not a zip)."""
_EOCD = b"PK\x05\x06"
_EOCD64_LOCATOR = b"PK\x06\x07"
_EOCD64 = b"PK\x06\x06"


def _unreadable(path: Path) -> InputFileError:
    """Not a workbook at all: another kind of file named .xlsx, or one cut short."""
    return InputFileError(
        Message("file.xlsx_unreadable", file=path.name),
        (Problem(str(path), Message("file.xlsx_not_workbook")),),
    )


def _damaged(path: Path) -> InputFileError:
    """A workbook whose inside is broken: a bad copy, a faulty USB stick, a cut download."""
    return InputFileError(
        Message("file.xlsx_damaged", file=path.name),
        (Problem(str(path), Message("file.xlsx_damaged_here")),),
    )


def _starts_with(path: Path, signature: bytes) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(len(signature)) == signature
    except OSError:
        return False


def _part_count(path: Path) -> int | None:
    """How many parts the zip's directory lists, read from its last bytes; None if not a zip.

    Why by hand: ``zipfile`` builds an object for every part before anything can be
    counted, 170 MB for a crafted file of 300,000 empty parts.
    """
    try:
        with path.open("rb") as handle:
            size = handle.seek(0, io.SEEK_END)
            start = max(0, size - (22 + 65_535))  # the end record, after at most a 64 KB comment
            handle.seek(start)
            tail = handle.read()
            at = tail.rfind(_EOCD)
            if at < 0 or len(tail) - at < 22:
                return None
            count = struct.unpack_from("<H", tail, at + 10)[0]
            locator = at - 20
            if count == 0xFFFF and locator >= 0 and tail[locator : locator + 4] == _EOCD64_LOCATOR:
                handle.seek(struct.unpack_from("<Q", tail, locator + 8)[0])
                record = handle.read(56)
                if len(record) == 56 and record[:4] == _EOCD64:
                    count = struct.unpack_from("<Q", record, 32)[0]
            return int(count)
    except (OSError, ValueError, struct.error, OverflowError):
        return None


def _check_package(path: Path) -> None:
    """Refuse a workbook too large once unzipped, or with too many parts, before opening it.

    The sizes come from the zip's directory: a part that unzips to more than it declares
    is cut at the declared size and then fails its checksum, so the directory bounds the
    work; a part declared larger than the file is damage.
    """
    import zipfile

    parts = _part_count(path)
    if parts is None:
        if _starts_with(path, _OLE):
            message = Message("file.xlsx_protected", file=path.name)
            raise InputFileError(message, (Problem(str(path), message),))
        raise _unreadable(path)
    if parts > MAX_PARTS:
        raise _damaged(path)
    try:
        size = path.stat().st_size
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except Exception:  # zipfile meets any damage in the directory; none of it is a bug here
        raise _unreadable(path) from None
    if any(info.compress_size + info.header_offset > size for info in infos):
        raise _damaged(path)  # a part said to run past the end: reading it would ask for gigabytes
    unpacked = sum(info.file_size for info in infos)
    if unpacked > MAX_UNPACKED_BYTES:
        message = Message(
            "file.xlsx_too_large",
            file=path.name,
            size=_megabytes(unpacked),
            limit=_megabytes(MAX_UNPACKED_BYTES),
        )
        raise InputFileError(message, (Problem(str(path), message),))


_T = TypeVar("_T")


def _safely(path: Path, action: Callable[[], _T]) -> _T:
    """``action()``, a call into openpyxl or zipfile; any failure in it is a damaged workbook.

    Why every exception: parsing a broken part raises whatever the library meets there
    (``zlib.error``, ``ParseError``, ``KeyError`` for a missing part, ``IndexError`` for
    a shared string the file lacks, ``NotImplementedError`` for an unknown compression,
    ``TypeError`` or ``ValueError`` from a malformed attribute...).  Only the library's
    own frames are inside the ``try``; this module's code runs outside it.
    """
    try:
        return action()
    except MemoryError:
        raise
    except Exception:
        raise _damaged(path) from None


def _guarded(path: Path, items: Iterator[_T]) -> Iterator[_T]:
    """``items`` from openpyxl, each taken as :func:`_safely` does."""
    while True:
        try:
            item = next(items)
        except StopIteration:
            return
        except MemoryError:
            raise
        except Exception:
            raise _damaged(path) from None
        yield item


class _DiscardRows(dict[str, Any]):
    """Row heights and formats, which the parser keeps for every row and we never use."""

    def __setitem__(self, key: str, value: Any) -> None:
        return None


@cache
def _sheet_parser() -> type[Any]:
    """The sheet parser of openpyxl, passing quickly over rows without cells.

    Why: openpyxl writes a merge over a whole column as a million empty ``<row>``
    elements, and the parser's general path costs several microseconds for each.
    """
    from openpyxl.worksheet._reader import WorkSheetParser

    class SheetParser(WorkSheetParser):  # type: ignore[misc]
        row_counter: int
        col_counter: int

        def parse_row(self, row: Any) -> tuple[int, list[dict[str, Any]]]:
            number = row.get("r")
            if len(row) or (number is not None and not number.isdigit()):
                return super().parse_row(row)  # type: ignore[no-any-return]
            self.row_counter = int(number) if number is not None else self.row_counter + 1
            self.col_counter = 0
            return self.row_counter, []

    return SheetParser


def _read_xlsx(path: Path, max_rows: int) -> list[Table]:
    import warnings

    from openpyxl import load_workbook

    _check_package(path)
    bounds = _Bounds(path, max_rows)
    tables: list[Table] = []
    with warnings.catch_warnings():
        # openpyxl warns about features it drops (data validation, extensions); they do
        # not change a cell's text, and a warning is noise to a facilitator.
        warnings.simplefilter("ignore")
        workbook = _safely(path, lambda: load_workbook(path, read_only=True, data_only=True))
        try:
            cells = 0
            for sheet in workbook.worksheets:
                table = _read_sheet(path, workbook, sheet, bounds)
                cells += sum(len(row) for row in table.rows)
                if cells > MAX_CELLS:
                    raise bounds.too_many_cells(table.name, len(table.rows), MAX_COLUMNS)
                tables.append(table)
        finally:
            workbook.close()
    return tables


def _read_sheet(path: Path, workbook: Any, sheet: Any, bounds: _Bounds) -> Table:
    """One sheet's cells as stored, merged ranges filled within the cells that hold text.

    Why openpyxl's sheet parser rather than ``iter_rows``: in read-only mode ``iter_rows``
    pads every row to the declared width and yields each missing row, and the parser
    alone gives the merged ranges (read-only sheets have none).  It reads the XML as a
    stream; the rows' heights and formats it would keep are dropped.
    """
    name = str(sheet.title)
    found: dict[int, dict[int, str]] = {}
    width = 0
    source = _safely(path, sheet._get_source)
    try:
        parser = _sheet_parser()(
            source,
            sheet._shared_strings,
            data_only=True,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        parser.row_dimensions = _DiscardRows()
        for index, cells in _guarded(path, parser.parse()):
            if not cells:
                continue
            texts: dict[int, str] = {}
            for cell in cells:
                text = _cell_text(cell["value"])
                if text:
                    texts[cell["column"]] = text
            if not texts:
                continue  # a formatted but empty row, however far down
            if index < 1 or min(texts) < 1:
                raise _damaged(path)
            right = max(texts)
            if right > MAX_COLUMNS:
                raise bounds.too_many_columns(name, index, right)
            if index > bounds.max_rows:
                raise bounds.too_many_rows(name, index)
            found.setdefault(index, {}).update(texts)
            width = max(width, right)
        merges = [m.ref for m in parser.merged_cells.mergeCell] if parser.merged_cells else []
    finally:
        source.close()
    height = max(found, default=0)
    if height * width > MAX_CELLS:
        raise bounds.too_many_cells(name, height, width)
    rows = [[""] * width for _ in range(height)]
    for index, texts in found.items():
        row = rows[index - 1]
        for column, text in texts.items():
            row[column - 1] = text
    return Table(name=name, rows=rows, merged=_fill_merged(path, rows, width, merges))


def _fill_merged(
    path: Path, rows: list[list[str]], width: int, refs: list[str]
) -> tuple[tuple[int, int, int, int], ...]:
    """Fill merged ranges with their top-left text, within the rows and columns that hold text.

    A merge running past the last text (``H2:H1048576``) is cut there: the rows below
    hold nothing to read.  Merged ranges never overlap in a sound workbook, so together
    they cover at most the table; more is damage, and is refused rather than filled.
    Returns the ranges as filled, 0-based.
    """
    from openpyxl.utils import range_boundaries

    height = len(rows)
    budget = height * width
    filled: list[tuple[int, int, int, int]] = []
    for ref in refs:
        bounds: tuple[int | None, ...] = _safely(path, partial(range_boundaries, str(ref)))
        left, top, right, bottom = bounds
        left, top = left or 1, top or 1
        right = min(right or width, width)
        bottom = min(bottom or height, height)
        if top > bottom or left > right:
            continue
        budget -= (bottom - top + 1) * (right - left + 1)
        if budget < 0:
            raise _damaged(path)
        value = rows[top - 1][left - 1]
        for r in range(top - 1, bottom):
            rows[r][left - 1 : right] = [value] * (right - left + 1)
        filled.append((top - 1, left - 1, bottom - 1, right - 1))
    return tuple(filled)


@dataclass(frozen=True)
class SheetSpec:
    """One worksheet to write: what a reader sees on screen and on paper, not how it is encoded."""

    title: str
    """Sheet tab name (trimmed to Excel's 31 characters)."""
    header: Sequence[str]
    """Column headers, written bold on a tinted band, repeated at the top of every printed page."""
    rows: Sequence[Sequence[CellValue]]
    """Data rows under the header."""
    preface: Sequence[str] = ()
    """Lines above the header (first one bold): title, session, date."""
    wrap_preface: bool = False
    """Whether preface lines wrap within the table's width rather than run on to the right
    (a long line would otherwise widen the printed page to many empty columns); a draft's
    own title block is written as it was."""
    preface_gap: bool = True
    """Whether a blank row separates the preface from the header; a draft's own title
    block is written as it was, its blank rows being part of ``preface``."""
    top_header: Sequence[str] = ()
    """The upper row of a two-level header ("Situation de référence" over "Valeur" |
    "Année"), written above ``header`` and styled like it; empty for one header row."""
    widths: Mapping[int, float] = field(default_factory=dict)
    """Column widths in characters, by 0-based column index; others are sized to content."""
    wrap: frozenset[int] = frozenset()
    """0-based columns whose text wraps (long indicator statements, comments); their rows
    are made tall enough for the wrapped text."""
    number_formats: Mapping[int, str] = field(default_factory=dict)
    """Excel number format by 0-based column index, e.g. ``'0.0'`` or ``'0%'``."""
    merges: Sequence[tuple[int, int, int, int]] = ()
    """Merged ranges as 0-based (first row, first col, last row, last col) within the data rows."""
    facts: Sequence[tuple[str, Sequence[CellValue]]] = ()
    """Label and value rows between the preface and the header (« Lieu » | « Bamako »):
    the label bold in the first column, the values after it; a single text value spans
    the table's width and wraps."""
    legend: Sequence[tuple[str, str]] = ()
    """(colour, words) rows after the facts, each coloured as the rows it explains, so that
    a colour always comes with its words."""
    row_fills: Mapping[int, str] = field(default_factory=dict)
    """Background colour (``'E2EFDA'``) of whole data rows, by 0-based data row index."""
    sections: Mapping[int, int] = field(default_factory=dict)
    """Data rows that head a block (a dimension: 1, an outcome: 2): their first cell is
    written bold across the table's width."""
    freeze_header: bool = True
    """Keep the header on screen while scrolling; off when the lines above it are many
    (a frozen block taller than the screen hides the table)."""
    freeze_columns: int = 0
    """Columns kept on screen while scrolling sideways (the indicator code)."""
    autofilter: bool = True
    """A filter button on each header cell."""
    landscape: bool = True
    """Print across the page; portrait suits narrow tables."""
    pages_wide: int = 0
    """Pages across the sheet prints on; 0: as many as keep the text readable."""
    footer: str = ""
    """Printed at the bottom left of every page (the session's name)."""
    page_footer: str = ""
    """Printed at the bottom right, ``{page}`` and ``{pages}`` replaced by the page numbers."""
    datetime_format: str = "yyyy-mm-dd hh:mm"
    """Number format of ``datetime`` cells."""
    date_format: str = "yyyy-mm-dd"
    """Number format of ``date`` cells."""


def clean_text(value: str) -> str:
    """Remove control characters that Excel files cannot hold (they abort the whole save)."""
    return _ILLEGAL.sub("", value)


# -- the workbook writer ----------------------------------------------------------------------
#
# Why not openpyxl: it costs 12 to 17 microseconds a cell on the workshop laptops' kind of
# machine, in its write-only mode too (with or without lxml), so a national session's
# 700,000 cells took longer than the whole export may.  SpreadsheetML is simple enough to
# write as text, a sheet at a time straight into the zip, at about a microsecond a cell;
# openpyxl still reads every workbook back in the tests, and LibreOffice opens them.

_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_HEADER_FILL = "DDE7F0"
_SECTION_FILLS = {1: "C9D6E3", 2: "EEF2F6"}
_LINE_HEIGHT = 15.0
"""Points per line of 11-point text: Excel's and LibreOffice's default row height."""
_TITLE_SCALE = 1.35
"""How much wider and taller the title's letters are than the body's."""
_MAX_TEXT = 32767
"""Excel refuses a cell holding more characters."""
_WIDTH_SAMPLE = 500
"""Rows measured to size a column: a large sheet's rows are alike, and measuring all of
them costs as much as writing them."""
_EPOCH = datetime(1899, 12, 30)
_PAGE_WIDTH = 300.0
"""Column widths (in characters) printed across one A4 landscape page at about 50 %,
the smallest scale still read without a magnifier; a wider sheet prints over several
pages across, its frozen columns repeated on each."""
_FONTS = (
    '<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>',
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>',
    '<font><b/><sz val="13"/><name val="Calibri"/><family val="2"/></font>',
)
_NORMAL, _BOLD, _TITLE = 0, 1, 2


class _Styles:
    """The cell formats a workbook uses, numbered as ``styles.xml`` lists them."""

    def __init__(self) -> None:
        self._formats: dict[str, int] = {}
        self._fills: dict[str, int] = {}
        self._xfs: dict[tuple[int, int, int, bool, bool, bool], int] = {
            (0, 0, 0, False, False, False): 0
        }

    def get(
        self,
        *,
        font: int = _NORMAL,
        fill: str = "",
        number_format: str = "",
        wrap: bool = False,
        top: bool = False,
        left: bool = False,
    ) -> int:
        """The index of the format with these features, added when first asked for."""
        fill_id = self._fills.setdefault(fill, len(self._fills) + 2) if fill else 0
        fmt_id = (
            self._formats.setdefault(number_format, len(self._formats) + 164)
            if number_format
            else 0
        )
        key = (font, fill_id, fmt_id, wrap, top, left)
        return self._xfs.setdefault(key, len(self._xfs))

    def xml(self) -> str:
        formats = "".join(
            f'<numFmt numFmtId="{i}" formatCode="{_attr(code)}"/>'
            for code, i in self._formats.items()
        )
        fills = "".join(
            f'<fill><patternFill patternType="solid"><fgColor rgb="FF{colour}"/>'
            '<bgColor indexed="64"/></patternFill></fill>'
            for colour in self._fills
        )
        xfs = []
        for font, fill, fmt, wrap, top, left in self._xfs:
            flags = (
                (' applyFont="1"' if font else "")
                + (' applyFill="1"' if fill else "")
                + (' applyNumberFormat="1"' if fmt else "")
            )
            align = ""
            if wrap or top or left:
                flags += ' applyAlignment="1"'
                align = (
                    "<alignment"
                    + (' horizontal="left"' if left else "")
                    + (' vertical="top"' if top else "")
                    + (' wrapText="1"' if wrap else "")
                    + "/>"
                )
            xfs.append(
                f'<xf numFmtId="{fmt}" fontId="{font}" fillId="{fill}" borderId="0" xfId="0"{flags}>{align}</xf>'
            )
        return (
            f'{_XML_HEAD}<styleSheet xmlns="{_MAIN_NS}">'
            + (
                f'<numFmts count="{len(self._formats)}">{formats}</numFmts>'
                if self._formats
                else ""
            )
            + f'<fonts count="{len(_FONTS)}">{"".join(_FONTS)}</fonts>'
            + f'<fills count="{len(self._fills) + 2}"><fill><patternFill patternType="none"/></fill>'
            f'<fill><patternFill patternType="gray125"/></fill>{fills}</fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
            "</styleSheet>"
        )


def _text(value: str) -> str:
    """XML text content; what a user typed is always a string, never a formula."""
    value = clean_text(value)[:_MAX_TEXT]
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(value: str) -> str:
    return _text(value).replace('"', "&quot;")


def _column_letter(index: int) -> str:
    """``0`` → ``A``, ``26`` → ``AA``."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _serial(value: date) -> float:
    """Days since Excel's epoch: how a spreadsheet stores a date (the time as a fraction)."""
    if isinstance(value, datetime):
        moment = value.replace(tzinfo=None)
        return (moment - _EPOCH).total_seconds() / 86400
    return float((value - _EPOCH.date()).days)


def _display_length(value: CellValue) -> int:
    """About how many characters a value shows: a figure as its format rounds it."""
    if value is None:
        return 0
    if isinstance(value, float):
        return len(f"{value:.2f}")
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 10
    return max((len(line) for line in str(value).split("\n")), default=0)


def _lines(value: CellValue, width: float) -> int:
    """Lines a wrapped value takes in a column ``width`` characters wide.

    A little generous, since a word that does not fit moves whole to the next line.
    """
    if not isinstance(value, str) or not value:
        return 1
    per_line = max(width * 1.1 - 2, 1.0)
    return sum(max(1, math.ceil(len(part) / per_line)) for part in value.split("\n"))


def _footer(text: str) -> str:
    """Footer text with its ``&`` doubled: a single one starts a page-layout code."""
    return text.replace("&", "&&")


@dataclass
class _Layout:
    """Where a sheet's parts fall (1-based rows) and how wide its columns are."""

    widths: list[float]
    header_row: int
    """Row of the (lower) header; the row above the data."""
    first_header_row: int


def _layout(spec: SheetSpec) -> _Layout:
    count = max(
        len(spec.header),
        len(spec.top_header),
        max((len(row) for row in spec.rows[:_WIDTH_SAMPLE]), default=0),
        max((1 + len(values) for _, values in spec.facts), default=0),
        1,
    )
    widths: list[float] = []
    for c in range(count):
        if c in spec.widths:
            widths.append(float(spec.widths[c]))
            continue
        header = str(spec.header[c]) if c < len(spec.header) else ""
        # A header wraps, so only its longest word needs to fit, and a long word may
        # break rather than widen a column of short figures.
        word = min(max((len(w) for w in header.split()), default=0), 10)
        content = max(
            (_display_length(row[c]) for row in spec.rows[:_WIDTH_SAMPLE] if c < len(row)),
            default=0,
        )
        widths.append(float(min(max(word + 2, content + 2, 6), 60)))
    r = len(spec.preface)
    if spec.preface and spec.preface_gap:
        r += 1
    r += len(spec.facts) + len(spec.legend)
    if spec.facts or spec.legend:
        r += 1
    first_header = r + 1
    r += (1 if spec.top_header else 0) + (1 if spec.header else 0)
    return _Layout(widths=widths, header_row=r, first_header_row=first_header)


class _SheetWriter:
    """Turns one ``SheetSpec`` into worksheet XML, row by row."""

    def __init__(self, spec: SheetSpec, styles: _Styles) -> None:
        self.spec = spec
        self.styles = styles
        self.layout = _layout(spec)
        self.letters = [_column_letter(i) for i in range(max(len(self.layout.widths), 1) + 1)]
        self.merges: list[str] = []
        self.span = len(self.layout.widths)
        self.top = bool(spec.wrap) or bool(spec.sections) or bool(spec.row_fills)
        """Whether data cells sit at the top of their row (beside taller wrapped text)."""

    # -- cells
    def cell(self, ref: str, value: CellValue, style: int) -> str:
        s = f' s="{style}"' if style else ""
        if value is None or value == "":
            return f'<c r="{ref}"{s}/>' if style else ""
        if isinstance(value, str):
            return f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">{_text(value)}</t></is></c>'
        if isinstance(value, bool):
            return f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>'
        if isinstance(value, int | float):
            if not math.isfinite(value):
                return f'<c r="{ref}"{s}/>' if style else ""
            return f'<c r="{ref}"{s}><v>{value!r}</v></c>'
        return f'<c r="{ref}"{s}><v>{_serial(value)!r}</v></c>'

    def style_for(
        self,
        value: CellValue,
        c: int,
        *,
        fill: str = "",
        font: int = _NORMAL,
        wrap: bool | None = None,
        left: bool = False,
    ) -> int:
        spec = self.spec
        fmt = ""
        if isinstance(value, datetime):
            fmt = spec.number_formats.get(c, spec.datetime_format)
        elif isinstance(value, date):
            fmt = spec.number_formats.get(c, spec.date_format)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            fmt = spec.number_formats.get(c, "")
        return self.styles.get(
            font=font,
            fill=fill,
            number_format=fmt,
            wrap=(c in spec.wrap) if wrap is None else wrap,
            top=self.top or bool(wrap),
            left=left,
        )

    def row(self, r: int, cells: list[str], height: float | None = None) -> str:
        ht = f' ht="{height:.1f}" customHeight="1"' if height else ""
        return f'<row r="{r}"{ht}>{"".join(cells)}</row>'

    def height(self, lines: int) -> float | None:
        return _LINE_HEIGHT * lines + 2 if lines > 1 else None

    def merge_across(self, r: int, first: int = 0) -> None:
        if self.span - 1 > first:
            self.merges.append(f"{self.letters[first]}{r}:{self.letters[self.span - 1]}{r}")

    # -- parts
    def top_rows(self) -> Iterator[str]:
        spec, widths = self.spec, self.layout.widths
        total = sum(widths)
        r = 0
        for i, line in enumerate(spec.preface):
            r += 1
            font = _TITLE if i == 0 else _NORMAL
            if spec.facts or spec.legend or spec.wrap_preface:
                # A title block over a table: the line spans the table and wraps in it.
                style = self.styles.get(font=font, wrap=True, top=True)
                self.merge_across(r)
                # The title's 13-point bold letters are about a third wider and taller.
                scale = _TITLE_SCALE if font == _TITLE else 1.0
                lines = _lines(line, total / scale) if line else 1
                height = _LINE_HEIGHT * scale * lines + 2 if lines > 1 else None
                yield self.row(r, [self.cell(f"A{r}", line, style)], height)
            else:
                style = self.styles.get(font=font) if i == 0 else 0
                yield self.row(r, [self.cell(f"A{r}", line, style)] if line else [])
        if spec.preface and spec.preface_gap:
            r += 1
        label_style = self.styles.get(font=_BOLD, wrap=True, top=True)
        for label, values in spec.facts:
            r += 1
            cells = [self.cell(f"A{r}", label, label_style)]
            lines = _lines(label, widths[0])
            if len(values) == 1:
                # One value reads across the table; a figure or a date sits at its start.
                self.merge_across(r, 1)
                value = values[0]
                cells.append(
                    self.cell(f"B{r}", value, self.style_for(value, 1, wrap=True, left=True))
                )
                lines = max(lines, _lines(value, sum(widths[1:]) or widths[0]))
            else:
                for c, value in enumerate(values, start=1):
                    style = self.style_for(value, c, wrap=False, left=True)
                    cells.append(self.cell(f"{self.letters[c]}{r}", value, style))
            yield self.row(r, cells, self.height(lines))
        for colour, words in spec.legend:
            r += 1
            style = self.styles.get(fill=colour, wrap=True, top=True)
            self.merge_across(r, 1)
            yield self.row(
                r,
                [self.cell(f"A{r}", None, style), self.cell(f"B{r}", words, style)],
                self.height(_lines(words, sum(widths[1:]) or widths[0])),
            )
        if spec.facts or spec.legend:
            r += 1
        header_style = self.styles.get(font=_BOLD, fill=_HEADER_FILL, wrap=True, top=True)
        for names in (spec.top_header, spec.header):
            if not names:
                continue
            r += 1
            lines = max((_lines(str(n), widths[c]) for c, n in enumerate(names)), default=1)
            yield self.row(
                r,
                [self.cell(f"{self.letters[c]}{r}", n, header_style) for c, n in enumerate(names)],
                self.height(lines),
            )

    def data_rows(self) -> Iterator[str]:
        spec, widths, letters = self.spec, self.layout.widths, self.letters
        start = self.layout.header_row + 1
        templates: dict[tuple[int, type], tuple[str, str, str]] = {}
        texts: dict[str, str] = {}
        wrap = sorted(spec.wrap)
        fills, sections = spec.row_fills, spec.sections
        for i, values in enumerate(spec.rows):
            r = start + i
            level = sections.get(i)
            if level:
                style = self.styles.get(
                    font=_BOLD, fill=_SECTION_FILLS.get(level, ""), wrap=True, top=True
                )
                self.merge_across(r)
                text = values[0] if values else ""
                yield self.row(
                    r, [self.cell(f"A{r}", text, style)], self.height(_lines(text, sum(widths)))
                )
                continue
            fill = fills.get(i, "")
            if fill:
                cells = [
                    self.cell(f"{letters[c]}{r}", value, self.style_for(value, c, fill=fill))
                    for c, value in enumerate(values)
                ]
            else:
                cells = self.plain_cells(values, str(r), templates, texts)
            if wrap:
                lines = max(
                    (_lines(values[c], widths[c]) for c in wrap if c < len(values)), default=1
                )
                yield self.row(r, cells, self.height(lines))
            else:
                yield f'<row r="{r}">{"".join(cells)}</row>'
        for first_r, first_c, last_r, last_c in spec.merges:
            self.merges.append(
                f"{letters[first_c]}{start + first_r}:{letters[last_c]}{start + last_r}"
            )

    def plain_cells(
        self,
        values: Sequence[CellValue],
        r: str,
        templates: dict[tuple[int, type], tuple[str, str, str]],
        texts: dict[str, str],
    ) -> list[str]:
        """The cells of an uncoloured data row: the path a 200,000-row sheet takes.

        Why so plain: each cell is the text before its row number, the row number, the
        text between it and the value, the value and the end, all but the value worked
        out once per column and kind of value; repeated texts (codes, groups) are
        escaped once.
        """
        cells: list[str] = []
        letters = self.letters
        for c, value in enumerate(values):
            if value is None or value == "":
                continue
            kind = type(value)
            template = templates.get((c, kind))
            if template is None:
                template = templates[(c, kind)] = self.template(value, c)
            if isinstance(value, str):
                content = texts.get(value)
                if content is None:
                    content = texts[value] = _text(value)
            elif isinstance(value, bool):
                content = "1" if value else "0"
            elif isinstance(value, int):
                content = str(value)
            elif isinstance(value, float):
                if not math.isfinite(value):
                    continue
                content = repr(value)
            elif isinstance(value, date):
                content = repr(_serial(value))
            else:
                cells.append(self.cell(f"{letters[c]}{r}", value, self.style_for(value, c)))
                continue
            cells.append(template[0] + r + template[1] + content + template[2])
        return cells

    def template(self, value: CellValue, c: int) -> tuple[str, str, str]:
        """What surrounds the row number and the value of a cell of column ``c``."""
        style = self.style_for(value, c)
        s = f' s="{style}"' if style else ""
        start = f'<c r="{self.letters[c]}'
        if isinstance(value, str):
            return start, f'"{s} t="inlineStr"><is><t xml:space="preserve">', "</t></is></c>"
        if isinstance(value, bool):
            return start, f'"{s} t="b"><v>', "</v></c>"
        return start, f'"{s}><v>', "</v></c>"

    def head(self) -> str:
        spec, layout = self.spec, self.layout
        last_row = layout.header_row + len(spec.rows)
        dimension = f"A1:{self.letters[self.span - 1]}{max(last_row, 1)}"
        pane = ""
        split_rows = layout.header_row if spec.header and spec.freeze_header else 0
        split_cols = spec.freeze_columns
        if split_rows or split_cols:
            corner = f"{self.letters[split_cols]}{split_rows + 1}"
            active = (
                "bottomRight"
                if split_rows and split_cols
                else ("bottomLeft" if split_rows else "topRight")
            )
            xsplit = f' xSplit="{split_cols}"' if split_cols else ""
            ysplit = f' ySplit="{split_rows}"' if split_rows else ""
            pane = (
                f'<pane{xsplit}{ysplit} topLeftCell="{corner}" activePane="{active}" state="frozen"/>'
                f'<selection pane="{active}" activeCell="{corner}" sqref="{corner}"/>'
            )
        cols = "".join(
            f'<col min="{c + 1}" max="{c + 1}" width="{w:.2f}" customWidth="1"/>'
            for c, w in enumerate(layout.widths)
        )
        return (
            f'{_XML_HEAD}<worksheet xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}">'
            '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
            f'<dimension ref="{dimension}"/>'
            f'<sheetViews><sheetView workbookViewId="0">{pane}</sheetView></sheetViews>'
            '<sheetFormatPr defaultRowHeight="15"/>'
            f"<cols>{cols}</cols><sheetData>"
        )

    def tail(self) -> str:
        spec = self.spec
        parts = ["</sheetData>"]
        if self.filter_ref():
            parts.append(f'<autoFilter ref="{self.filter_ref()}"/>')
        if self.merges:
            parts.append(
                f'<mergeCells count="{len(self.merges)}">'
                + "".join(f'<mergeCell ref="{m}"/>' for m in self.merges)
                + "</mergeCells>"
            )
        parts.append('<printOptions gridLines="1"/>' if spec.header else "")
        parts.append(
            '<pageMargins left="0.5" right="0.5" top="0.6" bottom="0.7" header="0.3" footer="0.3"/>'
        )
        orientation = "landscape" if spec.landscape else "portrait"
        wide = self.pages_wide()
        parts.append(
            f'<pageSetup paperSize="9" orientation="{orientation}" fitToWidth="{wide}" fitToHeight="0"/>'
        )
        footer = ""
        if spec.footer:
            footer += "&L" + _footer(spec.footer)
        footer += "&C&A"
        if spec.page_footer:
            footer += "&R" + _footer(spec.page_footer).replace("{page}", "&P").replace(
                "{pages}", "&N"
            )
        parts.append(f"<headerFooter><oddFooter>{_text(footer)}</oddFooter></headerFooter>")
        parts.append("</worksheet>")
        return "".join(parts)

    def filter_ref(self) -> str:
        spec, layout = self.spec, self.layout
        if not (spec.autofilter and spec.header and spec.rows):
            return ""
        return f"A{layout.header_row}:{self.letters[len(spec.header) - 1]}{layout.header_row + len(spec.rows)}"

    def pages_wide(self) -> int:
        """Pages across that the sheet prints on: one, unless that would shrink it unreadably."""
        if self.spec.pages_wide:
            return self.spec.pages_wide
        page = _PAGE_WIDTH if self.spec.landscape else _PAGE_WIDTH * 0.7
        return max(1, math.ceil(sum(self.layout.widths) / page))

    def print_titles(self) -> str:
        """What every printed page repeats: the header rows (``$3:$4``).

        And the frozen columns (``$A:$A``) when the sheet prints over several pages across.
        """
        titles = []
        if self.spec.freeze_columns and self.pages_wide() > 1:
            titles.append(f"$A:${self.letters[self.spec.freeze_columns - 1]}")
        if self.spec.header:
            titles.append(f"${self.layout.first_header_row}:${self.layout.header_row}")
        return ",".join(titles)


def write_workbook(path: Path, sheets: Sequence[SheetSpec], *, title: str = "") -> None:
    """Write sheets to ``path`` atomically; user text is always stored as text, never as a formula."""
    import zipfile

    styles = _Styles()
    used_titles: set[str] = set()
    titles = [_sheet_title(spec.title, used_titles) for spec in sheets] or ["Sheet1"]
    specs = list(sheets) or [SheetSpec(title="Sheet1", header=(), rows=())]
    names: list[str] = []
    with (
        atomic_path(Path(path)) as tmp,
        zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
    ):
        for n, spec in enumerate(specs, start=1):
            writer = _SheetWriter(spec, styles)
            with archive.open(f"xl/worksheets/sheet{n}.xml", "w", force_zip64=True) as out:
                _write_sheet(out, writer)
            quoted = "'" + titles[n - 1].replace("'", "''") + "'"
            if writer.print_titles():
                ranges = ",".join(f"{quoted}!{part}" for part in writer.print_titles().split(","))
                names.append(
                    f'<definedName name="_xlnm.Print_Titles" localSheetId="{n - 1}">'
                    f"{_text(ranges)}</definedName>"
                )
            if writer.filter_ref():
                absolute = "$" + writer.filter_ref().replace(":", ":$")
                absolute = re.sub(r"([A-Z]+)(\d+)", r"\1$\2", absolute)
                names.append(
                    f'<definedName name="_xlnm._FilterDatabase" localSheetId="{n - 1}" hidden="1">'
                    f"{_text(quoted)}!{absolute}</definedName>"
                )
        archive.writestr("xl/styles.xml", styles.xml())
        _write_package(archive, titles, names, title)


def _write_sheet(out: Any, writer: _SheetWriter) -> None:
    """Stream one sheet into the archive, a few hundred rows at a time."""
    out.write(writer.head().encode("utf-8"))
    batch: list[str] = []
    for rows in (writer.top_rows(), writer.data_rows()):
        for row in rows:
            batch.append(row)
            if len(batch) >= 500:
                out.write("".join(batch).encode("utf-8", "replace"))
                batch.clear()
    out.write("".join(batch).encode("utf-8", "replace"))
    out.write(writer.tail().encode("utf-8", "replace"))


def _write_package(archive: Any, titles: list[str], names: list[str], title: str) -> None:
    """The parts around the sheets: what each file is, the sheet list, the document title."""
    count = len(titles)
    sheet_types = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for n in range(1, count + 1)
    )
    archive.writestr(
        "[Content_Types].xml",
        f'{_XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        f"{sheet_types}"
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        '<Override PartName="/docProps/core.xml" '
        'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
        '<Override PartName="/docProps/app.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
        "</Types>",
    )
    archive.writestr(
        "_rels/.rels",
        f'{_XML_HEAD}<Relationships xmlns="{_PKG_REL_NS}">'
        '<Relationship Id="rId1" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/>'
        '<Relationship Id="rId2" '
        'Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" '
        'Target="docProps/core.xml"/>'
        '<Relationship Id="rId3" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" '
        'Target="docProps/app.xml"/>'
        "</Relationships>",
    )
    archive.writestr(
        "docProps/core.xml",
        f"{_XML_HEAD}<cp:coreProperties "
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{_text(title)}</dc:title><dc:creator>hsvalidate</dc:creator>"
        "</cp:coreProperties>",
    )
    archive.writestr(
        "docProps/app.xml",
        f"{_XML_HEAD}<Properties "
        'xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        "<Application>hsvalidate</Application></Properties>",
    )
    sheets = "".join(
        f'<sheet name="{_attr(name)}" sheetId="{n}" r:id="rId{n}"/>'
        for n, name in enumerate(titles, start=1)
    )
    defined = f"<definedNames>{''.join(names)}</definedNames>" if names else ""
    archive.writestr(
        "xl/workbook.xml",
        f'{_XML_HEAD}<workbook xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}">'
        '<bookViews><workbookView activeTab="0"/></bookViews>'
        f"<sheets>{sheets}</sheets>{defined}</workbook>",
    )
    rels = "".join(
        f'<Relationship Id="rId{n}" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        f'Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, count + 1)
    )
    archive.writestr(
        "xl/_rels/workbook.xml.rels",
        f'{_XML_HEAD}<Relationships xmlns="{_PKG_REL_NS}">{rels}'
        f'<Relationship Id="rId{count + 1}" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
        'Target="styles.xml"/></Relationships>',
    )


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
