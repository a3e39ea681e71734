"""Attendance sheets and ballot files read into domain values, every problem located first.

Why apart from the workshop: reading a file the secretariat typed is a matter of
headers, encodings and row numbers, not of sessions.  These readers check the whole
file before returning anything, and raise one ``InputFileError`` carrying every
problem with its file, sheet, row and column, so the file is fixed in one pass and
imported again; the workshop then decides what to record.  Spreadsheets are opened by
:mod:`hsvalidate.spreadsheet`, headers understood by :mod:`hsvalidate.headers`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from hsvalidate.consensus import Scale
from hsvalidate.errors import InputFileError, Problem
from hsvalidate.headers import Field, HeaderRow, Vocabulary, find_header, fold
from hsvalidate.i18n import Message
from hsvalidate.model import Ballot
from hsvalidate.spreadsheet import Table, read_tables

__all__ = [
    "ATTENDANCE_VOCABULARY",
    "BALLOT_VOCABULARY",
    "AttendanceRow",
    "AttendanceSheet",
    "BallotContext",
    "normalise_sex",
    "parse_score",
    "read_attendance",
    "read_ballots",
]

ATTENDANCE_VOCABULARY = Vocabulary(
    {
        "name": Field(
            fr=(
                "nom",
                "nom et prénom",
                "nom et prénoms",
                "prénom et nom",
                "prénoms et nom",
                "nom complet",
                "participant",
            ),
            en=("name", "full name", "participant"),
        ),
        "organisation": Field(
            fr=("structure", "institution", "organisation", "organisme", "structure d'origine"),
            en=("organisation", "organization", "institution", "org", "agency"),
        ),
        "group": Field(
            fr=(
                "catégorie d'acteurs",
                "type d'acteur",
                "catégorie",
                "groupe",
                "groupe d'acteurs",
                "groupe de parties prenantes",
                "collège",
            ),
            en=("group", "stakeholder group", "category", "college", "constituency"),
        ),
        "sex": Field(fr=("sexe", "genre", "H/F", "F/H"), en=("sex", "gender", "M/F", "F/M")),
    }
)
"""Headers of an attendance sheet, as francophone and anglophone secretariats write them."""

BALLOT_VOCABULARY = Vocabulary(
    {
        "participant": Field(
            fr=("participant", "code participant", "code du participant", "code"),
            en=("participant", "participant code", "participant id"),
        ),
        "indicator": Field(
            fr=("indicateur", "code indicateur", "code de l'indicateur"),
            en=("indicator", "indicator code"),
        ),
        "criterion": Field(fr=("critère",), en=("criterion", "criteria")),
        "score": Field(fr=("note", "score", "vote"), en=("score", "rating", "vote", "mark")),
        "comment": Field(
            fr=("commentaire", "remarque", "observations"),
            en=("comment", "remark", "observation"),
        ),
    }
)
"""Headers of a tidy ballot file: one rating per row."""

_OPTIONAL_ATTENDANCE = ("organisation", "group", "sex")
_BALLOT_REQUIRED = ("participant", "indicator", "criterion", "score")

_SEX_WORDS = {
    **dict.fromkeys(("f", "femme", "female", "feminin", "w", "woman"), "F"),
    **dict.fromkeys(("m", "h", "homme", "male", "masculin", "man"), "M"),
    "": "",
}
_CANNOT_JUDGE_WORDS = frozenset(
    {"", "cj", "nsp", "na", "n a", "x", "cannot judge", "ne peut pas juger"}
)
"""Score cells meaning "cannot judge" (compared folded: ``N/A`` and ``?`` count too)."""


def normalise_sex(value: str) -> str | None:
    """``F``, ``M`` or ``""`` from what a sheet says ("Femme", "H", "féminin"); None if unknown."""
    return _SEX_WORDS.get(fold(value))


def parse_score(text: str, scale: Scale) -> tuple[int | None, Message | None]:
    """A score cell as a whole number, None for "cannot judge", or the message saying why not."""
    cleaned = text.strip()
    if fold(cleaned) in _CANNOT_JUDGE_WORDS:
        return None, None
    try:
        value = float(cleaned.replace(",", "."))
    except ValueError:
        return None, Message(
            "ballotfile.score_not_number", value=cleaned, low=scale.low, high=scale.high
        )
    if not value.is_integer() or not scale.contains(int(value)):
        return None, Message(
            "ballotfile.score_out_of_scale", value=cleaned, low=scale.low, high=scale.high
        )
    return int(value), None


# --- attendance sheets ------------------------------------------------------------------


@dataclass(frozen=True)
class AttendanceRow:
    """One person on an attendance sheet."""

    row: int
    """Row number as the spreadsheet shows it."""
    name: str
    """Full name, spaces tidied."""
    organisation: str
    """Organisation, empty when the sheet has no such column or cell."""
    group: str
    """Stakeholder group, empty when not given."""
    sex: str
    """``F``, ``M`` or ``""`` (not given)."""


@dataclass(frozen=True)
class AttendanceSheet:
    """Everyone on an attendance sheet, with what the reader made of its columns."""

    file: str
    """The file as the user gave it."""
    sheet: str | None
    """Worksheet read (XLSX), None for CSV."""
    rows: tuple[AttendanceRow, ...]
    """People in sheet order."""
    columns: tuple[tuple[str, str], ...]
    """(field, header used) for every column read."""
    ignored: tuple[tuple[str, str | None], ...]
    """(header, probable field or None) for every named column not read."""
    missing: tuple[str, ...]
    """Optional fields the sheet has no column for (organisation, group, sex)."""


def read_attendance(path: Path) -> AttendanceSheet:
    """Everyone on an attendance sheet (CSV or XLSX), or InputFileError naming every bad row."""
    path = Path(path)
    table, header = _open(path, ATTENDANCE_VOCABULARY, required=("name",), area="attendance")
    place = _Places(path, table, header)
    seen: dict[tuple[str, str], int] = {}
    people: list[AttendanceRow] = []
    for number, values in _data_rows(table, header):
        name = " ".join(header.cell(values, "name").split())
        if not name:
            place.add(number, "name", Message("attendance.name_empty"))
            continue
        raw_sex = header.cell(values, "sex")
        sex = normalise_sex(raw_sex)
        if sex is None:
            place.add(number, "sex", Message("attendance.sex_unknown", value=raw_sex))
            continue
        organisation = " ".join(header.cell(values, "organisation").split())
        key = (fold(name), fold(organisation))
        if key in seen:
            place.add(number, "name", Message("attendance.duplicate", name=name, first=seen[key]))
            continue
        seen[key] = number
        group = " ".join(header.cell(values, "group").split())
        people.append(AttendanceRow(number, name, organisation, group, sex))
    place.raise_if_any(Message("attendance.invalid", len(place.problems), file=path.name))
    if not people:
        _raise_no_rows(path, table, header, Message("attendance.no_rows", file=path.name))
    return AttendanceSheet(
        file=str(path),
        sheet=table.name if table.is_sheet else None,
        rows=tuple(people),
        columns=header.used,
        ignored=header.ignored,
        missing=tuple(f for f in _OPTIONAL_ATTENDANCE if header.find(f) is None),
    )


# --- ballot files -----------------------------------------------------------------------


@dataclass(frozen=True)
class BallotContext:
    """What a ballot file is checked against: the open round and the session's codes."""

    round: int
    """Number of the round the ballots belong to."""
    indicators: tuple[str, ...]
    """Codes of the indicators rated in this round."""
    participant_code: Callable[[str], str | None]
    """A participant's code as registered ("p07" → "P07"), None when unknown."""
    criterion_code: Callable[[str], str | None]
    """A criterion's code from its code or label in either language, None when unknown."""
    criteria_hint: str
    """How to name the criteria in a message, e.g. "pertinence, faisabilité, clarté"."""
    scale: Scale = field(default_factory=Scale)
    """The rating scale of the session."""


def read_ballots(path: Path, context: BallotContext, *, source: str) -> list[Ballot]:
    """Ballots from a tidy file (participant, indicator, criterion, score, comment).

    One rating per row; rows of the same participant and indicator form one ballot,
    marked with ``source`` (the channel, e.g. ``paper``).  Raises InputFileError naming
    every wrong row, and returns nothing then, so that no half of a file is recorded.
    """
    path = Path(path)
    table, header = _open(path, BALLOT_VOCABULARY, required=_BALLOT_REQUIRED, area="ballotfile")
    place = _Places(path, table, header)
    indicators = {code.strip().upper(): code for code in context.indicators}
    grouped: dict[tuple[str, str], _Ratings] = {}
    for number, values in _data_rows(table, header):
        participant = _participant(place, number, header.cell(values, "participant"), context)
        indicator = _indicator(place, number, header.cell(values, "indicator"), indicators, context)
        criterion = _criterion(place, number, header.cell(values, "criterion"), context)
        score, error = parse_score(header.cell(values, "score"), context.scale)
        if error is not None:
            place.add(number, "score", error)
        if participant is None or indicator is None or criterion is None or error is not None:
            continue
        entry = grouped.setdefault((participant, indicator), _Ratings())
        if criterion in entry.rows:
            message = Message(
                "ballotfile.duplicate_rating",
                participant=participant,
                indicator=indicator,
                criterion=criterion,
                first=entry.rows[criterion],
            )
            place.add(number, "criterion", message)
            continue
        entry.scores[criterion] = score
        entry.rows[criterion] = number
        comment = header.cell(values, "comment")
        if comment and comment not in entry.comments:
            entry.comments.append(comment)
    place.raise_if_any(Message("ballotfile.invalid", len(place.problems), file=path.name))
    if not grouped:
        _raise_no_rows(path, table, header, Message("ballotfile.no_rows", file=path.name))
    return [
        Ballot(
            round=context.round,
            participant=participant,
            indicator=indicator,
            ratings=dict(entry.scores),
            comment=" / ".join(entry.comments),
            source=source,
        )
        for (participant, indicator), entry in grouped.items()
    ]


@dataclass
class _Ratings:
    scores: dict[str, int | None] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    comments: list[str] = field(default_factory=list)


def _participant(place: _Places, number: int, raw: str, context: BallotContext) -> str | None:
    if not raw:
        place.add(number, "participant", Message("ballotfile.participant_empty"))
        return None
    code = context.participant_code(raw)
    if code is None:
        place.add(number, "participant", Message("ballotfile.unknown_participant", code=raw))
    return code


def _indicator(
    place: _Places, number: int, raw: str, known: dict[str, str], context: BallotContext
) -> str | None:
    if not raw:
        place.add(number, "indicator", Message("ballotfile.indicator_empty"))
        return None
    code = known.get(raw.upper())
    if code is None:
        message = Message("ballotfile.indicator_not_in_round", code=raw, round=context.round)
        place.add(number, "indicator", message)
    return code


def _criterion(place: _Places, number: int, raw: str, context: BallotContext) -> str | None:
    hint = context.criteria_hint
    if not raw:
        place.add(number, "criterion", Message("ballotfile.criterion_empty", criteria=hint))
        return None
    code = context.criterion_code(raw)
    if code is None:
        message = Message("ballotfile.unknown_criterion", value=raw, criteria=hint)
        place.add(number, "criterion", message)
    return code


# --- shared -----------------------------------------------------------------------------

_NO_HEADER = {
    "attendance": ("attendance.no_header", "attendance.no_header_here"),
    "ballotfile": ("ballotfile.no_header", "ballotfile.no_header_here"),
}
_EMPTY = {"attendance": "attendance.empty_file", "ballotfile": "ballotfile.empty_file"}


def _open(
    path: Path, vocabulary: Vocabulary, *, required: Sequence[str], area: str
) -> tuple[Table, HeaderRow]:
    """The first table with a header naming every required field, or the error saying which."""
    tables = read_tables(path)
    for table in tables:
        header = find_header(table.rows, vocabulary, required=required)
        if header is not None:
            return table, header
    if not any(cell for table in tables for row in table.rows for cell in row):
        message = Message(_EMPTY[area], file=path.name)
        raise InputFileError(message, (Problem(str(path), message),))
    summary, here = _NO_HEADER[area]
    raise InputFileError(Message(summary, file=path.name), (Problem(str(path), Message(here)),))


def _data_rows(table: Table, header: HeaderRow) -> list[tuple[int, Sequence[str]]]:
    """(row number as the spreadsheet shows it, cells) of every non-blank row under the header."""
    return [
        (r + 1, values)
        for r, values in enumerate(table.rows)
        if r > header.last_row and any(cell.strip() for cell in values)
    ]


def _raise_no_rows(path: Path, table: Table, header: HeaderRow, message: Message) -> None:
    sheet = table.name if table.is_sheet else None
    raise InputFileError(message, (Problem(str(path), message, sheet=sheet, row=header.row + 1),))


class _Places:
    """Collects located problems for one table: file, sheet, row, and the header as written."""

    def __init__(self, path: Path, table: Table, header: HeaderRow) -> None:
        self.path = path
        self.sheet = table.name if table.is_sheet else None
        self.header = header
        self.problems: list[Problem] = []

    def add(self, row: int, field_name: str, message: Message) -> None:
        column = self.header.header_of(field_name) or field_name
        self.problems.append(
            Problem(str(self.path), message, sheet=self.sheet, row=row, column=column)
        )

    def raise_if_any(self, summary: Message) -> None:
        if self.problems:
            raise InputFileError(summary, tuple(self.problems))
