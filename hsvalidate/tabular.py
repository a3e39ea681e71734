"""Finding columns in user spreadsheets whatever language, case or accents the headers use.

Why: attendance sheets and ballot files are typed by the secretariat in French or
English, with or without accents.  Matching headers on a normalised form keeps the
file formats forgiving while the errors stay precise (sheet, row, column).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from hsvalidate.spreadsheet import Table


def normalise(text: str) -> str:
    """Lower case, no accents, single spaces, no punctuation: how headers are compared."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    plain = re.sub(r"[^0-9a-z]+", " ", plain.lower())
    return plain.strip()


@dataclass(frozen=True)
class HeaderMatch:
    """Where the header row of a table is and which column holds each known field."""

    table: Table
    row: int
    """0-based index of the header row in ``table.rows``."""
    columns: dict[str, int]
    """Field name → 0-based column index."""
    headers: list[str]
    """The header cells as written."""

    def cell(self, row: Sequence[str], field: str) -> str:
        """The text of ``field`` in a data row, empty when the column is absent or short."""
        idx = self.columns.get(field)
        if idx is None or idx >= len(row):
            return ""
        return row[idx].strip()

    def column_name(self, field: str) -> str:
        """The header as the user wrote it, for error messages."""
        idx = self.columns.get(field)
        return self.headers[idx] if idx is not None and idx < len(self.headers) else field


def find_header(
    tables: Sequence[Table],
    *,
    aliases: Mapping[str, Sequence[str]],
    required: Sequence[str],
    search_rows: int = 20,
) -> HeaderMatch | None:
    """The first row (in the first ~20 of any table) naming every required field."""
    wanted = {field: {normalise(a) for a in names} for field, names in aliases.items()}
    for table in tables:
        for r, row in enumerate(table.rows[:search_rows]):
            columns: dict[str, int] = {}
            for c, cell in enumerate(row):
                key = normalise(cell)
                for field, names in wanted.items():
                    if key in names and field not in columns:
                        columns[field] = c
            if all(f in columns for f in required):
                return HeaderMatch(table=table, row=r, columns=columns, headers=list(row))
    return None
