"""Rating forms sent before the workshop: what one holds, and reading a returned one back.

Why a form and not a tidy file: a participant who cannot come to Bamako rates at home, in
Excel or LibreOffice, on a sheet laid out like the ballot screen (one row an indicator, one
column a criterion).  The writer (:mod:`hsvalidate.exports.forms`) puts beside the visible
sheet a hidden one naming the session, the round, the participant and where each indicator
and criterion sits; the reader trusts that identification, never the words of a header a
participant may see translated or retyped, and still checks that the visible codes stand
where it says, so a form whose rows were moved is refused rather than misread.

Pure: no spreadsheet library here.  The workbook is read by :mod:`hsvalidate.spreadsheet`
within the limits every input file keeps, and arrives as text tables.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

from hsvalidate.consensus import Scale
from hsvalidate.errors import InputFileError, Problem
from hsvalidate.i18n import Message, fold, t
from hsvalidate.model import Ballot, Criterion
from hsvalidate.readers import parse_score
from hsvalidate.spreadsheet import Table

__all__ = [
    "ID_SHEET",
    "MARKER",
    "FormContext",
    "FormLayout",
    "FormRead",
    "find_layout",
    "form_file_name",
    "import_error",
    "is_form",
    "read_form",
]

ID_SHEET = "hsvalidate"
"""Title of the hidden sheet that identifies a form."""
MARKER = "hsvalidate-form"
"""First cell of that sheet: what makes a workbook a form rather than a tidy ballot file."""
FORMAT = "1"
"""Version of the identification's layout, beside the marker, for a later reader."""


_COLUMN = re.compile(r"[A-Z]{1,3}")
_CELL = re.compile(r"[A-Z]{1,3}[1-9][0-9]{0,6}")
_NOT_IN_FILE_NAMES = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_LAST_ROW = 1_048_576
"""Excel's last row."""


@dataclass(frozen=True)
class FormLayout:
    """Where a form keeps what: the hidden identification, as written and as read back."""

    session: str
    """Name of the session the form was written for."""
    created: str
    """When that session was created: two sessions may share a name (a copy, a rehearsal)."""
    round: int
    """Number of the round the form rates."""
    participant: str
    """The participant's code; empty on a blank form, where the participant writes it."""
    lang: str
    """Language of the form's words."""
    sheet: str
    """Title of the visible sheet holding the answers."""
    code_cell: str
    """Cell holding the participant's code (``C4``)."""
    header_row: int
    """Row of the column headers (criteria by their names)."""
    criteria: tuple[tuple[str, str], ...]
    """(criterion code, column letter) in column order."""
    comment_column: str
    """Column letter of the comments."""
    rows: tuple[tuple[str, int], ...]
    """(indicator code, row number) in the form's order."""

    def to_rows(self) -> list[list[str]]:
        """The identification as the hidden sheet holds it: one fact a row, name then values."""
        rows = [
            [MARKER, FORMAT],
            ["session", self.session],
            ["created", self.created],
            ["round", str(self.round)],
            ["participant", self.participant],
            ["language", self.lang],
            ["sheet", self.sheet],
            ["code-cell", self.code_cell],
            ["header-row", str(self.header_row)],
            ["comment", self.comment_column],
        ]
        rows += [["criterion", code, column] for code, column in self.criteria]
        rows += [["indicator", code, str(row)] for code, row in self.rows]
        return rows

    @classmethod
    def from_table(cls, table: Table) -> FormLayout | None:
        """The layout the hidden sheet describes; None when it is not whole (a damaged form)."""
        facts: dict[str, str] = {}
        criteria: list[tuple[str, str]] = []
        rows: list[tuple[str, int]] = []
        try:
            for values in table.rows[1:]:
                name, *rest = [*values, "", "", ""][:3]
                if name == "criterion":
                    criteria.append((rest[0], rest[1]))
                elif name == "indicator":
                    rows.append((rest[0], int(rest[1])))
                elif name:
                    facts[name] = rest[0]
            layout = cls(
                session=facts["session"],
                created=facts.get("created", ""),
                round=int(facts["round"]),
                participant=facts.get("participant", ""),
                lang=facts.get("language", "fr"),
                sheet=facts["sheet"],
                code_cell=facts["code-cell"],
                header_row=int(facts["header-row"]),
                criteria=tuple(criteria),
                comment_column=facts["comment"],
                rows=tuple(rows),
            )
        except (KeyError, ValueError):
            return None
        return layout if layout._sound() else None

    def _sound(self) -> bool:
        """Whether every place it names is a cell or column a sheet can have.

        Why checked: the identification is read from a file that came back by e-mail; a
        place that is no cell must make the form "damaged", never make the reader guess.
        """
        columns = [column for _, column in self.criteria] + [self.comment_column]
        return (
            bool(self.sheet)
            and bool(self.criteria)
            and all(_COLUMN.fullmatch(column) for column in columns)
            and _CELL.fullmatch(self.code_cell) is not None
            and 0 < self.header_row <= _LAST_ROW
            and all(0 < row <= _LAST_ROW for _, row in self.rows)
        )


def is_form(tables: Sequence[Table]) -> bool:
    """Whether a workbook's tables are those of a form hsvalidate wrote."""
    return _id_table(tables) is not None


def _id_table(tables: Sequence[Table]) -> Table | None:
    for table in tables:
        if (
            table.is_sheet
            and table.name == ID_SHEET
            and table.rows
            and table.rows[0][:1] == [MARKER]
        ):
            return table
    return None


def find_layout(tables: Sequence[Table]) -> FormLayout | None:
    """The identification of a form's tables (None when they are not a form's, or it is damaged)."""
    table = _id_table(tables)
    return FormLayout.from_table(table) if table is not None else None


def form_file_name(round_no: int, participant: str, lang: str) -> str:
    """``formulaire-tour2-P03.xlsx``: the code, never the name (see docs/spreadsheets-and-pdf.md).

    Why the code: a file name travels in e-mail subjects, shared folders and backups
    where a form with a name beside its ratings must not; the secretariat sees which
    code is whose when the forms are written.
    """
    name = t("form.file_name", lang=lang, round=round_no, code=participant)
    return _NOT_IN_FILE_NAMES.sub("-", name) + ".xlsx"  # Windows refuses these in a name


# --- reading a returned form ------------------------------------------------------------

_SCORE_MESSAGES = {
    "ballotfile.score_not_number": "form.score_not_number",
    "ballotfile.score_out_of_scale": "form.score_out_of_scale",
}


@dataclass(frozen=True)
class FormContext:
    """What a returned form is checked against: this session and its open round."""

    session: str
    created: str
    round: int
    """The open round."""
    indicators: tuple[str, ...]
    """Codes of the indicators the open round rates."""
    participant_code: Callable[[str], str | None]
    """A participant's code as registered ("p07" → "P07"), None when unknown."""
    criteria: tuple[Criterion, ...]
    scale: Scale = field(default_factory=Scale)


@dataclass(frozen=True)
class FormRead:
    """A returned form, checked: the ballots it gives and what it left out."""

    participant: str
    ballots: tuple[Ballot, ...]
    not_rated: int
    """Indicators left wholly empty (not rated, as a participant may choose)."""


def read_form(path: Path, tables: Sequence[Table], context: FormContext) -> FormRead:
    """The ballots of a returned form, or InputFileError naming every wrong cell.

    A row with every rating empty (and no comment) is an indicator not rated, as on the
    ballot screen; a row with some ratings and an empty criterion is a problem, as a
    blank criterion on paper is flagged rather than read as "cannot judge": the
    participant writes NSP (N/A) when they cannot judge.
    """
    path = Path(path)
    layout = find_layout(tables)
    if layout is None:
        _fail(path, Message("form.damaged_id", file=path.name))
    if layout.session != context.session:
        _fail(
            path,
            Message(
                "form.other_session", file=path.name, session=layout.session, ours=context.session
            ),
        )
    if layout.created != context.created:  # a rehearsal's session, made again under its name
        from hsvalidate.i18n.documents import format_datetime

        _fail(
            path,
            Message(
                "form.same_name_other_session",
                file=path.name,
                session=layout.session,
                created=format_datetime(layout.created, layout.lang) or layout.created,
            ),
        )
    if layout.round != context.round:
        key = "form.round_closed" if layout.round < context.round else "form.round_not_open"
        _fail(path, Message(key, file=path.name, round=layout.round, open=context.round))
    sheet = next((tb for tb in tables if tb.is_sheet and tb.name == layout.sheet), None)
    if sheet is None:
        _fail(path, Message("form.sheet_missing", file=path.name, sheet=layout.sheet))
    cells = _Cells(path, sheet)
    participant = _form_participant(cells, layout, context)
    labels = {c.code: c for c in context.criteria}
    for code, column in layout.criteria:
        written = cells.text(f"{column}{layout.header_row}")
        criterion = labels.get(code)
        if criterion is None:
            cells.problem(f"{column}{layout.header_row}", Message("form.criterion_gone", code=code))
        elif fold(written) not in {
            fold(criterion.code),
            fold(criterion.label.fr),
            fold(criterion.label.en),
        }:
            cells.problem(f"{column}{layout.header_row}", Message("form.columns_moved"))
    in_round = set(context.indicators)
    ballots: list[Ballot] = []
    not_rated = 0
    for indicator, row in layout.rows:
        if fold(cells.text(f"A{row}")) != fold(indicator):
            cells.problem(f"A{row}", Message("form.rows_moved", code=indicator))
            continue
        if indicator not in in_round:
            cells.problem(
                f"A{row}",
                Message("form.indicator_not_in_round", code=indicator, round=context.round),
            )
            continue
        ratings, comment, rated = _row_ratings(cells, layout, row, context.scale)
        if rated is None:
            continue  # problems already located
        if not rated:
            not_rated += 1
            continue
        if participant is not None:
            ballots.append(
                Ballot(
                    round=context.round,
                    participant=participant,
                    indicator=indicator,
                    ratings=ratings,
                    comment=comment,
                    source="form",
                )
            )
    if cells.problems:
        raise InputFileError(
            Message("form.invalid", len(cells.problems), file=path.name), tuple(cells.problems)
        )
    assert participant is not None
    return FormRead(participant=participant, ballots=tuple(ballots), not_rated=not_rated)


def _row_ratings(
    cells: _Cells, layout: FormLayout, row: int, scale: Scale
) -> tuple[dict[str, int | None], str, bool | None]:
    """(ratings, comment, whether rated) of one indicator's row; None when a cell is wrong."""
    comment = " ".join(cells.text(f"{layout.comment_column}{row}").split())
    written = {code: cells.text(f"{column}{row}") for code, column in layout.criteria}
    if not any(written.values()):
        if comment:
            first = layout.criteria[0][1] if layout.criteria else layout.comment_column
            cells.problem(f"{first}{row}", Message("form.comment_without_rating"))
            return {}, comment, None
        return {}, comment, False
    ratings: dict[str, int | None] = {}
    wrong = False
    for code, column in layout.criteria:
        text = written[code]
        place = f"{column}{row}"
        if not text:
            cells.problem(place, Message("form.rating_empty", low=scale.low, high=scale.high))
            wrong = True
            continue
        score, error = parse_score(text, scale)
        if error is not None:
            # The tidy file's words say "leave it empty"; a form says "write NSP".
            key = _SCORE_MESSAGES.get(error.key, error.key)
            cells.problem(place, Message(key, **error.values))
            wrong = True
            continue
        ratings[code] = score
    return ratings, comment, None if wrong else True


def _form_participant(cells: _Cells, layout: FormLayout, context: FormContext) -> str | None:
    """The participant the form is for: the identification's, or the code written on a blank form."""
    if layout.participant:
        code = context.participant_code(layout.participant)
        if code is None:
            cells.problem(
                layout.code_cell, Message("form.participant_gone", code=layout.participant)
            )
        return code
    written = cells.text(layout.code_cell)
    if not written:
        cells.problem(layout.code_cell, Message("form.code_empty"))
        return None
    code = context.participant_code(written)
    if code is None:
        cells.problem(layout.code_cell, Message("form.code_unknown", code=written))
    return code


def import_error(files: Sequence[Path], errors: Sequence[InputFileError]) -> InputFileError:
    """One error for an import of ``files`` that met ``errors``: every problem, by file.

    One file with one error keeps that error's own summary (it already names the file).
    """
    if len(files) == 1 and len(errors) == 1:
        return errors[0]
    problems = tuple(p for e in errors for p in (e.problems or (Problem("", e.message),)))
    names = ", ".join(Path(f).name for f in files)
    return InputFileError(Message("form.import_invalid", len(problems), files=names), problems)


def _fail(path: Path, message: Message) -> NoReturn:
    """A form that cannot be read as this session's at all: one sentence, nothing else checked."""
    raise InputFileError(message, (Problem(str(path), message),))


class _Cells:
    """The visible sheet's cells by their names (``F7``), and the problems found in them."""

    def __init__(self, path: Path, table: Table) -> None:
        self.path = path
        self.table = table
        self.problems: list[Problem] = []

    def text(self, cell: str) -> str:
        column, row = _split_cell(cell)
        if row < 1 or row > len(self.table.rows) or column < 1:
            return ""  # a place outside the sheet (a damaged identification) holds nothing
        values = self.table.rows[row - 1]
        return values[column - 1].strip() if column <= len(values) else ""

    def problem(self, cell: str, message: Message) -> None:
        self.problems.append(Problem(str(self.path), message, sheet=self.table.name, cell=cell))


def _split_cell(cell: str) -> tuple[int, int]:
    """``F7`` → (6, 7): column number and row number (cells a sound layout names)."""
    letters = cell.rstrip("0123456789")
    column = 0
    for letter in letters:
        column = column * 26 + ord(letter) - ord("A") + 1
    return column, int(cell[len(letters) :])
