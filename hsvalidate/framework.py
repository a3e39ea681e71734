"""The M&E framework model (dimension → outcome → indicator) and its validation.

The model is pure data: frozen dataclasses that every other layer can share without
fear of one of them changing a framework under another's feet.  Reading and writing
files lives in ``framework_io``; this module knows no file format.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, fields
from typing import Any, TypeVar

from hsvalidate.i18n import Message, t


@dataclass(frozen=True)
class Text:
    """A piece of text in French with an optional English version."""

    fr: str = ""
    """French text (the working language; required where the text is required)."""
    en: str = ""
    """English text; empty when not translated."""

    def get(self, lang: str) -> str:
        """Return the text in ``lang``, falling back to French so nothing is ever blank."""
        if lang == "en" and self.en:
            return self.en
        return self.fr or self.en

    def __bool__(self) -> bool:
        return bool(self.fr or self.en)


@dataclass(frozen=True)
class Indicator:
    """One indicator, with the fields of a Performance Indicator Reference Sheet."""

    code: str
    """Stable code, e.g. ``D2.O1.I3``; ratings and decisions refer to it."""
    text: Text
    """The indicator statement participants rate."""
    definition: Text = Text()
    """What exactly is measured, in plain words."""
    unit: Text = Text()
    """Unit of measure."""
    calculation: Text = Text()
    """How the value is calculated (numerator / denominator)."""
    disaggregation: Text = Text()
    """Breakdowns reported (sex, age, region...)."""
    baseline: str = ""
    """Baseline value as written by the authors (kept as text: '12 %', 'n/d')."""
    baseline_year: int | None = None
    """Year of the baseline value."""
    target: str = ""
    """Target value as written by the authors."""
    target_year: int | None = None
    """Year by which the target should be met."""
    source: Text = Text()
    """Data source / means of verification."""
    method: Text = Text()
    """Collection method."""
    frequency: Text = Text()
    """How often the indicator is collected."""
    responsible: Text = Text()
    """Who collects and reports it."""
    assumptions: Text = Text()
    """Assumptions or risks."""
    notes: Text = Text()
    """Free notes."""
    extra: tuple[tuple[str, str], ...] = ()
    """Columns of the source file that the tool does not know, kept as (header, value)."""


@dataclass(frozen=True)
class Outcome:
    """An outcome (objective) under a dimension."""

    code: str
    """Stable code, e.g. ``D2.O1``."""
    title: Text
    """The outcome statement."""
    indicators: tuple[Indicator, ...] = ()
    """Indicators measuring this outcome, in the authors' order."""


@dataclass(frozen=True)
class Dimension:
    """A dimension or pillar of the strategy (e.g. one of the seven human security dimensions)."""

    code: str
    """Stable code, e.g. ``D2``."""
    title: Text
    """Name of the dimension."""
    outcomes: tuple[Outcome, ...] = ()
    """Outcomes under this dimension, in the authors' order."""


@dataclass(frozen=True)
class LayoutColumn:
    """One column of a spreadsheet draft: its header as written and what it was read as."""

    header: str
    """The header cell as the authors wrote it (the upper cell of a two-level header)."""
    field: str | None
    """The field it was read as (``dimension``, ``outcome_code``, ``text``, ``target``...);
    None for a column kept in :attr:`Indicator.extra`."""
    lang: str = "fr"
    """Language of its text (``fr`` or ``en``); meaningful for text fields only."""
    sub: str = ""
    """The cell under it in a two-level header ("Valeur", "Année"); empty otherwise."""
    key: str = ""
    """For a column kept in :attr:`Indicator.extra`: the header its values are kept under."""
    year: int | None = None
    """A year the header dates its values with ("Cible 2028"), which the values inherit."""


@dataclass(frozen=True)
class Layout:
    """How a spreadsheet draft was laid out, so the validated framework leaves looking the same.

    Why keep it: the authors must recognise their own matrix in what the workshop hands
    back (their headers, in their order, under their title), not relearn the tool's.
    """

    kind: str
    """``xlsx`` or ``csv``: the kind of file the draft was."""
    sheet: str = ""
    """Name of the worksheet that held the matrix; empty for a CSV file."""
    title_rows: tuple[str, ...] = ()
    """The lines above the header, blank ones included, as they read (first filled cell)."""
    columns: tuple[LayoutColumn, ...] = ()
    """Every column of the header, in the draft's order."""


@dataclass(frozen=True)
class Framework:
    """A whole draft (or validated) framework."""

    title: Text
    """Title of the framework."""
    dimensions: tuple[Dimension, ...] = ()
    """Dimensions in the authors' order."""
    source: str = ""
    """Name of the file it was read from, for the minutes."""
    notes: Text = field(default_factory=Text)
    """A note shown with the framework (e.g. 'illustrative draft')."""
    lang: str = "fr"
    """Working language (``fr`` or ``en``): the one every title and statement must have.

    French by default; a framework drafted in English for an anglophone state is
    validated on its English text, and French becomes its translation."""
    layout: Layout | None = field(default=None, compare=False)
    """The spreadsheet layout of the draft it was read from; None for YAML and sessions
    saved before layouts were kept.  Not compared: the same indicators in another layout
    are the same framework."""

    def outcomes(self) -> Iterator[Outcome]:
        """Every outcome, dimension by dimension."""
        for dimension in self.dimensions:
            yield from dimension.outcomes

    def indicators(self) -> list[Indicator]:
        """Every indicator in framework order (the order a workshop goes through them)."""
        return [ind for outcome in self.outcomes() for ind in outcome.indicators]

    def indicator(self, code: str) -> Indicator | None:
        """The indicator with this code, or None."""
        for ind in self.indicators():
            if ind.code == code:
                return ind
        return None

    def parents(self, code: str) -> tuple[Dimension, Outcome] | None:
        """The dimension and outcome an indicator sits under, for context on screen."""
        for dimension in self.dimensions:
            for outcome in dimension.outcomes:
                if any(ind.code == code for ind in outcome.indicators):
                    return dimension, outcome
        return None


_TEXT_FIELDS = {f.name for f in fields(Indicator) if f.type in ("Text", Text)}


def _text_to_dict(text: Text) -> dict[str, str]:
    return {"fr": text.fr, "en": text.en}


def _text_from(value: Any) -> Text:
    if isinstance(value, Text):
        return value
    if isinstance(value, dict):
        return Text(fr=str(value.get("fr") or ""), en=str(value.get("en") or ""))
    if value is None:
        return Text()
    return Text(fr=str(value))


def indicator_to_dict(ind: Indicator) -> dict[str, Any]:
    """A JSON-ready dict, used by the session store and the YAML writer."""
    out: dict[str, Any] = {}
    for f in fields(Indicator):
        value = getattr(ind, f.name)
        if f.name in _TEXT_FIELDS:
            out[f.name] = _text_to_dict(value)
        elif f.name == "extra":
            out[f.name] = [list(pair) for pair in value]
        else:
            out[f.name] = value
    return out


def indicator_from_dict(data: dict[str, Any]) -> Indicator:
    """Inverse of :func:`indicator_to_dict`; trusted input (our own session files)."""
    kwargs: dict[str, Any] = {}
    for f in fields(Indicator):
        if f.name not in data:
            continue
        value = data[f.name]
        if f.name in _TEXT_FIELDS:
            kwargs[f.name] = _text_from(value)
        elif f.name == "extra":
            kwargs[f.name] = tuple((str(k), str(v)) for k, v in value)
        else:
            kwargs[f.name] = value
    return Indicator(**kwargs)


def layout_to_dict(layout: Layout) -> dict[str, Any]:
    """A JSON-ready dict of a draft's layout, stored with the session's framework."""
    return {
        "kind": layout.kind,
        "sheet": layout.sheet,
        "title_rows": list(layout.title_rows),
        "columns": [
            {
                "header": c.header,
                "field": c.field,
                "lang": c.lang,
                "sub": c.sub,
                "key": c.key,
                "year": c.year,
            }
            for c in layout.columns
        ],
    }


def layout_from_dict(data: dict[str, Any]) -> Layout:
    """Inverse of :func:`layout_to_dict`."""
    return Layout(
        kind=str(data.get("kind") or "xlsx"),
        sheet=str(data.get("sheet") or ""),
        title_rows=tuple(str(line) for line in data.get("title_rows") or ()),
        columns=tuple(
            LayoutColumn(
                header=str(c.get("header") or ""),
                field=None if c.get("field") is None else str(c["field"]),
                lang=str(c.get("lang") or "fr"),
                sub=str(c.get("sub") or ""),
                key=str(c.get("key") or ""),
                year=int(c["year"]) if c.get("year") is not None else None,
            )
            for c in data.get("columns") or ()
        ),
    )


def framework_to_dict(fw: Framework) -> dict[str, Any]:
    """A JSON-ready dict of the whole framework, so a session keeps the exact draft it was given."""
    out: dict[str, Any] = {
        "title": _text_to_dict(fw.title),
        "source": fw.source,
        "notes": _text_to_dict(fw.notes),
        "lang": fw.lang,
        "dimensions": [
            {
                "code": d.code,
                "title": _text_to_dict(d.title),
                "outcomes": [
                    {
                        "code": o.code,
                        "title": _text_to_dict(o.title),
                        "indicators": [indicator_to_dict(i) for i in o.indicators],
                    }
                    for o in d.outcomes
                ],
            }
            for d in fw.dimensions
        ],
    }
    if fw.layout is not None:  # only spreadsheet drafts have one
        out["layout"] = layout_to_dict(fw.layout)
    return out


def framework_from_dict(data: dict[str, Any]) -> Framework:
    """Inverse of :func:`framework_to_dict`."""
    return Framework(
        title=_text_from(data.get("title")),
        source=str(data.get("source") or ""),
        notes=_text_from(data.get("notes")),
        lang=str(data.get("lang") or "fr"),  # absent in sessions saved before it existed
        layout=layout_from_dict(data["layout"]) if data.get("layout") else None,
        dimensions=tuple(
            Dimension(
                code=d["code"],
                title=_text_from(d.get("title")),
                outcomes=tuple(
                    Outcome(
                        code=o["code"],
                        title=_text_from(o.get("title")),
                        indicators=tuple(indicator_from_dict(i) for i in o.get("indicators", [])),
                    )
                    for o in d.get("outcomes", [])
                ),
            )
            for d in data.get("dimensions", [])
        ),
    )


# --------------------------------------------------------------------------------------
# Validation: pure checks shared by every loader (YAML, XLSX, CSV).
#
# Why here and not in framework_io: the rules (codes unique at every level, French text
# present, how a matrix's carried-down cells become a hierarchy) are about the framework,
# not about a file format; the loaders only say *where* each problem sits in their file.
# --------------------------------------------------------------------------------------

Node = tuple[int, ...]
"""Position of an element: ``()`` the framework, ``(d,)`` a dimension, ``(d, o)`` an
outcome, ``(d, o, i)`` an indicator (0-based indices)."""

YEAR_MIN = 1900
"""Earliest year accepted for a baseline or a target (older ones are typos)."""
YEAR_MAX = 2100
"""Latest year accepted for a baseline or a target."""

_LEVEL_NAMES = {1: "dimension", 2: "outcome", 3: "indicator"}
_CODE_EXAMPLES = {1: "D1", 2: "D1.O1", 3: "D1.O1.I1"}
_OTHER_LANG = {"fr": "en", "en": "fr"}
_LANGUAGE_NAMES = {"fr": "framework.language.fr", "en": "framework.language.en"}
_NO_CODE = {
    "dimension": "framework.check_no_code.dimension",
    "outcome": "framework.check_no_code.outcome",
    "indicator": "framework.check_no_code.indicator",
}
_THE_LEVEL = {
    "dimension": "framework.the_level.dimension",
    "outcome": "framework.the_level.outcome",
    "indicator": "framework.the_level.indicator",
}
_OTHER_ONLY = {
    "dimension": "framework.check_other_language_only.dimension",
    "outcome": "framework.check_other_language_only.outcome",
    "indicator": "framework.check_other_language_only.indicator",
}
_NO_TEXT = {
    "dimension": "framework.check_no_text.dimension",
    "outcome": "framework.check_no_text.outcome",
    "indicator": "framework.check_no_text.indicator",
}
_NAME_DIFFERS = {
    "dimension": "framework.matrix_name_differs.dimension",
    "outcome": "framework.matrix_name_differs.outcome",
}


@dataclass(frozen=True)
class Issue:
    """A structural problem in a framework, before a loader turns it into a located Problem."""

    node: Node
    """The element concerned (see :data:`Node`)."""
    field: str
    """The field concerned: ``code``, ``title`` (dimension, outcome, framework), ``text``
    (indicator) or ``dimensions`` (the framework as a whole)."""
    message: str
    """One sentence saying what is wrong and what to do."""


def describe_node(node: Node) -> str:
    """A position in words, for messages when no file place is known."""
    parts = [f"{_LEVEL_NAMES[k + 1]} {index + 1}" for k, index in enumerate(node)]
    return ", ".join(parts) if parts else "the framework"


def validate_framework(
    fw: Framework, describe: Callable[[Node], str] = describe_node
) -> list[Issue]:
    """Every structural problem of ``fw`` at once, so an author fixes a draft in one pass.

    ``describe`` names another element's place (``"row 7"``, ``"line 12"``) so that a
    duplicate-code message can point at the first use in the author's own file.
    """
    # Messages are written out now, in the language in use: an Issue's message is plain
    # text, which the loaders place in the author's file.
    working, other = fw.lang, _OTHER_LANG[fw.lang]
    in_working = Message(_LANGUAGE_NAMES[working])
    issues: list[Issue] = []
    if not getattr(fw.title, working):
        issues.append(Issue((), "title", t("framework.check_no_title", language=in_working)))
    if not fw.indicators():
        issues.append(Issue((), "dimensions", t("framework.check_no_indicator")))
    first_use: dict[str, Node] = {}

    def check(node: Node, code: str, title: Text, title_field: str) -> None:
        level = _LEVEL_NAMES[len(node)]
        if not code:
            example = _CODE_EXAMPLES[len(node)]
            issues.append(Issue(node, "code", t(_NO_CODE[level], example=example)))
        elif code in first_use:
            owner = Message(_THE_LEVEL[_LEVEL_NAMES[len(first_use[code])]])
            place = describe(first_use[code])
            issues.append(
                Issue(
                    node,
                    "code",
                    t("framework.check_code_taken", code=code, owner=owner, place=place),
                )
            )
        else:
            first_use[code] = node
        if not getattr(title, working) and getattr(title, other):
            message = t(
                _OTHER_ONLY[level], language=in_working, other=Message(_LANGUAGE_NAMES[other])
            )
            issues.append(Issue(node, title_field, message))
        elif not getattr(title, working):
            issues.append(Issue(node, title_field, t(_NO_TEXT[level], language=in_working)))

    for d, dimension in enumerate(fw.dimensions):
        check((d,), dimension.code, dimension.title, "title")
        for o, outcome in enumerate(dimension.outcomes):
            check((d, o), outcome.code, outcome.title, "title")
            for i, ind in enumerate(outcome.indicators):
                check((d, o, i), ind.code, ind.text, "text")
    return issues


def parse_year(value: str) -> int | None:
    """A year written by a person (``'2015'``, ``' 2015.0'``), or None when blank.

    Raises:
        ValueError: with a sentence saying what to write instead, because spreadsheet
            cells and hand-written YAML both arrive as text.
    """
    text = value.strip()
    if not text:
        return None
    if text.endswith(".0"):
        text = text[:-2]
    if not text.isdigit() or not text.isascii():
        raise ValueError(
            f"'{value.strip()}' is not a year; write a single year such as 2015, or leave it empty."
        )
    year = int(text)
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise ValueError(
            f"{year} is not a plausible year; write a year between {YEAR_MIN} and {YEAR_MAX}."
        )
    return year


@dataclass(frozen=True)
class FrameworkSummary:
    """What ``hsvalidate check`` prints: enough to see at a glance that the right file loaded."""

    title: Text
    """Title of the framework."""
    source: str
    """File it was read from."""
    dimensions: int
    """Number of dimensions."""
    outcomes: int
    """Number of outcomes."""
    indicators: int
    """Number of indicators."""
    indicators_missing_other_language: int
    """Indicators whose statement has no translation (partners will see the working language)."""
    extra_columns: int
    """Columns of the source file the tool does not know, kept with each indicator."""
    lang: str = "fr"
    """Working language of the framework (``fr`` or ``en``)."""
    unrecognised_columns: tuple[tuple[str, str | None], ...] = ()
    """(header, field it probably means or None) for each matrix column the reader did not
    take, so the author can rename it; empty for YAML."""

    @property
    def indicators_missing_english(self) -> int:
        """Indicators without English text (the former name; none when English is the working language)."""
        return self.indicators_missing_other_language if self.lang == "fr" else 0


def extra_headers(fw: Framework) -> list[tuple[str, int]]:
    """Unknown columns as (header, occurrence), in order of first appearance.

    Why the occurrence: a sheet may carry two unknown columns with the same header, and
    both must be written back rather than one overwriting the other.
    """
    seen: dict[tuple[str, int], None] = {}
    for ind in fw.indicators():
        counts: dict[str, int] = {}
        for header, _ in ind.extra:
            k = counts.get(header, 0)
            counts[header] = k + 1
            seen.setdefault((header, k), None)
    return list(seen)


def summarize_framework(
    fw: Framework, *, unrecognised_columns: tuple[tuple[str, str | None], ...] = ()
) -> FrameworkSummary:
    """Counts for a check report; the reader passes the columns it could not place."""
    indicators = fw.indicators()
    other = _OTHER_LANG[fw.lang]
    return FrameworkSummary(
        title=fw.title,
        source=fw.source,
        dimensions=len(fw.dimensions),
        outcomes=sum(1 for _ in fw.outcomes()),
        indicators=len(indicators),
        indicators_missing_other_language=sum(
            1 for ind in indicators if not getattr(ind.text, other)
        ),
        extra_columns=len(extra_headers(fw)),
        lang=fw.lang,
        unrecognised_columns=unrecognised_columns,
    )


# --- Indicator matrices: one row per indicator, parents carried down -----------------


@dataclass(frozen=True)
class MatrixRow:
    """One data row of an indicator matrix, its cells already read into fields."""

    row: int
    """Row number as the spreadsheet shows it (1-based)."""
    dimension_code: str = ""
    """Dimension code cell, blank when the sheet has none or leaves it to carry down."""
    dimension: Text = Text()
    """Dimension name cells (French and English)."""
    outcome_code: str = ""
    """Outcome code cell."""
    outcome: Text = Text()
    """Outcome statement cells."""
    indicator: Indicator | None = None
    """The indicator on this row; None for a heading row that only names a dimension or outcome."""


@dataclass(frozen=True)
class RowIssue:
    """A problem tied to a matrix row and a field (the loader knows that field's column)."""

    row: int
    """Row number as the spreadsheet shows it."""
    field: str
    """``dimension``, ``dimension_code``, ``outcome`` or ``outcome_code``."""
    message: str
    """One sentence saying what is wrong and what to do."""


@dataclass(frozen=True)
class Assembly:
    """A framework assembled from matrix rows, with the problems met on the way."""

    framework: Framework
    """The hierarchy as far as it could be resolved."""
    issues: tuple[RowIssue, ...]
    """Rows that could not be placed, or that contradict an earlier row."""
    origins: dict[Node, int]
    """Row where each element first appears, so structural problems point at a row."""


@dataclass
class _OutcomeAcc:
    code: str
    fr: str
    en: str
    row: int
    indicators: list[Indicator]


@dataclass
class _DimensionAcc:
    code: str
    fr: str
    en: str
    row: int
    outcomes: list[_OutcomeAcc]


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _next_code(prefix: str, used: set[str]) -> str:
    n = 1
    while f"{prefix}{n}" in used:
        n += 1
    used.add(f"{prefix}{n}")
    return f"{prefix}{n}"


def _merge_names(
    *,
    known: _DimensionAcc | _OutcomeAcc,
    fr: str,
    en: str,
    row: int,
    field: str,
) -> list[RowIssue]:
    """Fill a name seen for the first time; report a contradiction with an earlier row."""
    issues: list[RowIssue] = []
    level = "dimension" if field == "dimension" else "outcome"
    for lang, value in (("fr", fr), ("en", en)):
        current = getattr(known, lang)
        if not value:
            continue
        if not current:
            setattr(known, lang, value)
        elif not _same(current, value):
            message = t(
                _NAME_DIFFERS[level], code=known.code, name=current, row=known.row, here=value
            )
            issues.append(RowIssue(row, field, message))
    return issues


def assemble_matrix(
    rows: Sequence[MatrixRow], *, title: Text, notes: Text = Text(), source: str = ""
) -> Assembly:
    """Turn matrix rows into a hierarchy the way an M&E team reads its own sheet.

    Why these rules: teams leave the dimension and outcome cells blank (or merged) under
    the first row of a block, and rarely code anything but indicators.  So a blank cell
    carries the value from above; a dimension or outcome is recognised again by its code,
    else by its French name; missing dimension and outcome codes are derived (``D1``,
    ``D1.O1``... in order of first appearance, skipping codes the sheet uses itself).
    Indicator codes are never invented: ratings are tied to them, and a code derived from
    a row position would silently move to another indicator when rows are inserted.
    """
    issues: list[RowIssue] = []
    used_codes = {r.dimension_code for r in rows if r.dimension_code}
    used_codes |= {r.outcome_code for r in rows if r.outcome_code}
    dims: list[_DimensionAcc] = []
    current_dim: _DimensionAcc | None = None
    current_out: _OutcomeAcc | None = None

    for r in rows:
        dim_given = bool(r.dimension_code or r.dimension.fr or r.dimension.en)
        if dim_given:
            found = _find(dims, code=r.dimension_code, name=r.dimension)
            if found is None:
                code = r.dimension_code or _next_code("D", used_codes)
                found = _DimensionAcc(code, r.dimension.fr, r.dimension.en, r.row, [])
                dims.append(found)
            else:
                issues += _merge_names(
                    known=found, fr=r.dimension.fr, en=r.dimension.en, row=r.row, field="dimension"
                )
            if found is not current_dim:
                current_out = None
            current_dim = found
        elif current_dim is None:
            issues.append(RowIssue(r.row, "dimension", t("framework.matrix_no_dimension")))
            continue
        out_given = bool(r.outcome_code or r.outcome.fr or r.outcome.en)
        if out_given:
            found_out = _find(current_dim.outcomes, code=r.outcome_code, name=r.outcome)
            if found_out is None:
                code = r.outcome_code or _next_code(f"{current_dim.code}.O", used_codes)
                found_out = _OutcomeAcc(code, r.outcome.fr, r.outcome.en, r.row, [])
                current_dim.outcomes.append(found_out)
            else:
                issues += _merge_names(
                    known=found_out, fr=r.outcome.fr, en=r.outcome.en, row=r.row, field="outcome"
                )
            current_out = found_out
        elif current_out is None:
            if r.indicator is None:
                continue  # a heading row that only names a dimension
            issues.append(
                RowIssue(
                    r.row, "outcome", t("framework.matrix_no_outcome", dimension=current_dim.code)
                )
            )
            continue
        if r.indicator is not None:
            current_out.indicators.append(r.indicator)

    origins: dict[Node, int] = {}
    dimensions: list[Dimension] = []
    placed = {id(r.indicator): r.row for r in rows if r.indicator is not None}
    for d, dim in enumerate(dims):
        origins[(d,)] = dim.row
        outcomes: list[Outcome] = []
        for o, out in enumerate(dim.outcomes):
            origins[(d, o)] = out.row
            for i, ind in enumerate(out.indicators):
                origins[(d, o, i)] = placed[id(ind)]
            outcomes.append(
                Outcome(code=out.code, title=Text(out.fr, out.en), indicators=tuple(out.indicators))
            )
        dimensions.append(
            Dimension(code=dim.code, title=Text(dim.fr, dim.en), outcomes=tuple(outcomes))
        )
    fw = Framework(title=title, dimensions=tuple(dimensions), source=source, notes=notes)
    return Assembly(framework=fw, issues=tuple(issues), origins=origins)


_Acc = TypeVar("_Acc", _DimensionAcc, _OutcomeAcc)


def _find(items: Sequence[_Acc], *, code: str, name: Text) -> _Acc | None:
    """The element this row names: by code when the row has one, else by name."""
    for item in items:
        if code and item.code == code:
            return item
    if code:
        return None
    for item in items:
        if name.fr and item.fr and _same(item.fr, name.fr):
            return item
        if not name.fr and name.en and item.en and _same(item.en, name.en):
            return item
    return None
