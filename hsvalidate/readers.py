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
from typing import Any

from hsvalidate.consensus import Scale
from hsvalidate.errors import InputFileError, Problem
from hsvalidate.framework import Text
from hsvalidate.headers import Field, HeaderRow, Vocabulary, find_header, fold
from hsvalidate.i18n import Message
from hsvalidate.model import Ballot, Criterion
from hsvalidate.spreadsheet import MAX_BALLOT_ROWS, Table, read_tables

__all__ = [
    "ATTENDANCE_VOCABULARY",
    "BALLOT_VOCABULARY",
    "CRITERIA_VOCABULARY",
    "AttendanceRow",
    "AttendanceSheet",
    "BallotContext",
    "attendance_tables",
    "ballot_tables",
    "normalise_sex",
    "parse_score",
    "read_attendance",
    "read_ballots",
    "read_criteria",
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


def attendance_tables(path: Path) -> list[Table]:
    """An attendance file's tables, read within the limits every workshop file keeps.

    Why apart: the command reads and checks the file before it locks the session, so a
    large or damaged file never keeps the secretariat's other laptops waiting.
    """
    return read_tables(Path(path))


def read_attendance(path: Path, *, tables: Sequence[Table] | None = None) -> AttendanceSheet:
    """Everyone on an attendance sheet (CSV or XLSX), or InputFileError naming every bad row.

    ``tables`` are the file's, when :func:`attendance_tables` has already read them.
    """
    path = Path(path)
    if tables is None:
        tables = attendance_tables(path)
    table, header = _open(
        path, tables, ATTENDANCE_VOCABULARY, required=("name",), area="attendance"
    )
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


def ballot_tables(path: Path) -> list[Table]:
    """A ballot file's tables, read before the session is locked (see :func:`attendance_tables`).

    A ballot file may be as long as a national round (one rating a row), hence its own
    row limit.
    """
    return read_tables(Path(path), max_rows=MAX_BALLOT_ROWS)


def read_ballots(
    path: Path,
    context: BallotContext,
    *,
    source: str,
    tables: Sequence[Table] | None = None,
) -> list[Ballot]:
    """Ballots from a tidy file (participant, indicator, criterion, score, comment).

    One rating per row; rows of the same participant and indicator form one ballot,
    marked with ``source`` (the channel, e.g. ``paper``).  Raises InputFileError naming
    every wrong row, and returns nothing then, so that no half of a file is recorded.
    ``tables`` are the file's, when :func:`ballot_tables` has already read them.
    """
    path = Path(path)
    if tables is None:
        tables = ballot_tables(path)
    table, header = _open(
        path, tables, BALLOT_VOCABULARY, required=_BALLOT_REQUIRED, area="ballotfile"
    )
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
    path: Path,
    tables: Sequence[Table],
    vocabulary: Vocabulary,
    *,
    required: Sequence[str],
    area: str,
) -> tuple[Table, HeaderRow]:
    """The first table with a header naming every required field, or the error saying which."""
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


# --- a session's own criteria -----------------------------------------------------------

CRITERIA_VOCABULARY = Vocabulary(
    {
        "code": Field(fr=("code", "code du critère"), en=("code", "criterion code")),
        "label": Field(
            fr=("libellé", "critère", "nom du critère"),
            en=("label", "criterion", "criterion name"),
            translatable=True,
        ),
        "question": Field(fr=("question",), en=("question",), translatable=True),
        "low": Field(
            fr=("ancrage bas", "mot bas", "bas de l'échelle"),
            en=("low anchor", "anchor low", "low end"),
            translatable=True,
        ),
        "middle": Field(
            fr=("ancrage milieu", "mot milieu", "milieu de l'échelle"),
            en=("middle anchor", "anchor middle", "middle point"),
            translatable=True,
        ),
        "high": Field(
            fr=("ancrage haut", "mot haut", "haut de l'échelle"),
            en=("high anchor", "anchor high", "high end"),
            translatable=True,
        ),
    }
)
"""Headers of a criteria table; ``Libellé (EN)`` and the like hold the other language."""

MAX_CRITERIA = 5
"""A workshop rates on 1 to 5 criteria (docs/method.md, "What participants rate")."""

_CRITERIA_SUFFIXES_YAML = (".yaml", ".yml")
_CRITERION_KEYS = ("code", "label", "question", "anchors")
_ANCHOR_POINTS = ("low", "middle", "high")


@dataclass(frozen=True)
class _CriterionEntry:
    """One criterion as the file gives it, with the row or line it starts on."""

    row: int | None
    code: str
    texts: dict[str, Text]
    """``label``, ``question``, ``low``, ``middle``, ``high``."""
    where: str
    """How to name its place: the code column's header, or the item's number in YAML."""


def read_criteria(path: Path, *, lang: str = "fr") -> tuple[Criterion, ...]:
    """A session's own criteria from YAML, CSV or XLSX, or InputFileError naming every problem.

    Why the same care as for frameworks: the file is written by hand the evening before
    the workshop; every mistake is reported with its line at once, never a traceback.
    ``lang`` is the session's language: each label must at least be written in it.
    """
    path = Path(path)
    if path.suffix.lower() in _CRITERIA_SUFFIXES_YAML:
        entries, problems = _criteria_from_yaml(path, lang)
    else:
        entries, problems = _criteria_from_table(path)
    problems += _check_criteria(path, entries, lang)
    if problems:
        raise InputFileError(
            Message("criteria_file.invalid", len(problems), file=path.name), tuple(problems)
        )
    return tuple(
        Criterion(
            code=e.code,
            label=e.texts["label"],
            question=e.texts.get("question", Text()),
            low=e.texts.get("low", Text()),
            middle=e.texts.get("middle", Text()),
            high=e.texts.get("high", Text()),
        )
        for e in entries
    )


def _check_criteria(path: Path, entries: Sequence[_CriterionEntry], lang: str) -> list[Problem]:
    """1 to 5 criteria, each with its own code and a label in the session's language."""
    problems: list[Problem] = []
    if not entries:
        return [Problem(str(path), Message("criteria_file.none"))]
    seen: dict[str, int | None] = {}
    for entry in entries:
        if not entry.code:
            problems.append(Problem(str(path), Message("criteria_file.code_empty"), row=entry.row))
        elif fold(entry.code) in seen:
            first = seen[fold(entry.code)]
            problems.append(
                Problem(
                    str(path),
                    Message("criteria_file.code_duplicate", code=entry.code, first=first),
                    row=entry.row,
                    column=entry.where,
                )
            )
        else:
            seen[fold(entry.code)] = entry.row
        if not getattr(entry.texts.get("label", Text()), lang, ""):
            language = Message(f"criteria_file.language.{lang}")
            message = Message("criteria_file.label_missing", code=entry.code, language=language)
            problems.append(Problem(str(path), message, row=entry.row))
    if len(entries) > MAX_CRITERIA:
        extra = entries[MAX_CRITERIA]
        problems.append(
            Problem(
                str(path),
                Message("criteria_file.too_many", len(entries) - MAX_CRITERIA),
                row=extra.row,
            )
        )
    return problems


def _criteria_from_table(path: Path) -> tuple[list[_CriterionEntry], list[Problem]]:
    """Criteria from the first table whose header names a code and a label."""
    if path.suffix.lower() not in (".csv", ".xlsx", ".xlsm"):
        message = Message("criteria_file.unsupported", file=path.name)
        raise InputFileError(message, (Problem(str(path), message),))
    tables = read_tables(path)
    for table in tables:
        header = find_header(table.rows, CRITERIA_VOCABULARY, required=("code", "label"))
        if header is not None:
            break
    else:
        message = Message("criteria_file.no_header", file=path.name)
        problem = Problem(str(path), Message("criteria_file.no_header_here"))
        raise InputFileError(message, (problem,))
    where = header.header_of("code") or "code"
    entries = [
        _CriterionEntry(
            row=number,
            code=header.cell(values, "code"),
            texts={
                name: Text(header.cell(values, name, "fr"), header.cell(values, name, "en"))
                for name in ("label", "question", *_ANCHOR_POINTS)
            },
            where=where,
        )
        for number, values in _data_rows(table, header)
    ]
    return entries, []


def _criteria_from_yaml(path: Path, lang: str) -> tuple[list[_CriterionEntry], list[Problem]]:
    """Criteria from a YAML list; a problem names the line of the item it is in."""
    import yaml

    from hsvalidate.framework_io import (  # PyYAML only when needed
        YamlLimitError,
        load_yaml,
        read_yaml_text,
        yaml_kind,
    )

    def fail(message: Message, line: int | None = None) -> InputFileError:
        return InputFileError(
            Message("criteria_file.invalid", 1, file=path.name),
            (Problem(str(path), message, row=line),),
        )

    text = read_yaml_text(
        path,
        fail=lambda p, problems: InputFileError(
            Message("criteria_file.invalid", len(problems), file=p.name), tuple(problems)
        ),
    )
    try:
        data, root = load_yaml(text)
    except YamlLimitError as exc:
        mark = exc.problem_mark
        raise fail(exc.message, mark.line + 1 if mark is not None else None) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        detail = ", ".join(part for part in (exc.context, exc.problem) if part)
        message = (
            Message("framework.yaml_syntax", detail=detail)
            if detail
            else Message("framework.yaml_syntax_plain")
        )
        raise fail(message, mark.line + 1 if mark is not None else None) from None
    except (yaml.YAMLError, RecursionError):
        raise fail(Message("framework.yaml_control_character")) from None
    if isinstance(data, dict) and isinstance(data.get("criteria"), list):
        data = data["criteria"]  # ``criteria:`` above the list, as a framework file has it
        assert isinstance(root, yaml.MappingNode)
        root = next(v for k, v in root.value if k.value == "criteria")
    if not isinstance(data, list):
        line = root.start_mark.line + 1 if root is not None else None
        raise fail(Message("criteria_file.not_list", found=yaml_kind(data)), line)
    assert isinstance(root, yaml.SequenceNode)
    entries: list[_CriterionEntry] = []
    problems: list[Problem] = []
    for i, (item, node) in enumerate(zip(data, root.value, strict=True)):
        line = node.start_mark.line + 1

        def add(message: Message, line: int = line) -> None:
            problems.append(Problem(str(path), message, row=line))

        if not isinstance(item, dict):
            add(Message("criteria_file.not_mapping"))
            continue
        for key in item:
            if key not in _CRITERION_KEYS:
                add(Message("criteria_file.unknown_key", key=str(key)))
        texts: dict[str, Text] = {}
        for name in ("label", "question"):
            texts[name] = _yaml_text(item.get(name), lang, add)
        anchors = item.get("anchors") or {}
        if not isinstance(anchors, dict):
            add(Message("criteria_file.not_text", found=yaml_kind(anchors)))
            anchors = {}
        for point in _ANCHOR_POINTS:
            texts[point] = _yaml_text(anchors.get(point), lang, add)
        code = item.get("code")
        entries.append(
            _CriterionEntry(
                row=line,
                code=str(code).strip() if code is not None else "",
                texts=texts,
                where=f"[{i + 1}]",
            )
        )
    return entries, problems


def _yaml_text(value: Any, lang: str, add: Callable[[Message], None]) -> Text:
    """``{fr: …, en: …}``, or a plain text written in the session's language."""
    from hsvalidate.framework_io import yaml_kind

    if value is None:
        return Text()
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return Text(**{lang: str(value).strip()})
    if isinstance(value, dict) and all(k in ("fr", "en") for k in value):
        parts = {k: v for k, v in value.items() if v is not None}
        if all(isinstance(v, str) for v in parts.values()):
            return Text(**{k: v.strip() for k, v in parts.items()})
    add(Message("criteria_file.not_text", found=yaml_kind(value)))
    return Text()
