"""The PDF minutes (procès-verbal) of a validation session, ready to sign; the only reportlab user.

The minutes are a document of record: signed, then circulated to ministries, ECOWAS and
donors.  Hence what they hold and how they are laid out:

- a cover from the workshop's details (``session details``): title, place, days,
  organisers, chair, rapporteur and logos.  A detail nobody gave is left out, never
  made up; the days fall back to those of the rounds;
- the attendance list (with a signature column on request), objectives and method,
  a summary, then the **validated framework** — each indicator's final wording, its
  lineage, the verdict of each round, the plenary's decision with its counts and
  the dissent that remained, beside a small chart of the last round's ratings — so
  that nobody has to combine the round tables by hand;
- the results of each round, the anonymous comments, the secretariat's own sections
  (Markdown files in the session folder, see ``MINUTES_FILES``), signatures, and an
  annex with the full statistics (one table per round, which also keeps it fast).

Why these choices:

- reportlab is imported inside functions, so ``hsvalidate --help`` does not pay ~150 ms.
- DejaVu Sans (with its oblique face) is embedded because the standard PDF fonts
  print ɛ ɔ ɲ ŋ as black boxes.
- Every piece of user text goes through ``_markup``: control characters removed, French
  spacing made non-breaking (« leader communautaire » never breaks after «), then
  ``xml.sax.saxutils.escape``: reportlab's Paragraph parses markup, and an unescaped
  ``a < b`` aborts the whole export while ``AT&T`` prints wrongly.
- No text is ever shortened: a document of record quotes wordings whole.
- A heading stays with the first rows of its table, a table never leaves one row
  alone on a page (``_glue``, ``NOSPLIT`` ranges), and a comment block repeats its
  heading on the next page.
- The minutes name the participants (attendance list) but never print their codes
  unless ``report.show_names``: codes sit beside every rating in the workbook, so a
  name beside a code here would de-anonymise the ratings.
- Groups smaller than the session's ``min_group_size`` are never named beside a
  figure, a verdict or a comment: the report already carries them pooled
  (``report.Disclosure``), and the method section and the comments say so.  The
  attendance list keeps every person's group: it is the record of who represented
  whom, an organisation names its group anyway, and no rating is printed beside it.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from hsvalidate.consensus import (
    BELOW_QUORUM,
    DROP,
    KEEP,
    NO_CONSENSUS,
    PERCENTILE_METHOD,
    band_text,
    ipras_constants,
)
from hsvalidate.exports import (
    INDICATOR_FIELDS,
    FinalStatus,
    LineageRow,
    final_statuses,
    groups_text,
    indicator_text,
    ipras_adaptation,
    lineage_rows,
    present_count,
    rated_codes,
    rule_details,
    rule_text,
    scale_text,
)
from hsvalidate.exports.channels import COUNTED_MARK, channels_sentence, counted_detail, counts_in
from hsvalidate.fileio import atomic_path
from hsvalidate.framework import Indicator, Text
from hsvalidate.i18n import tn
from hsvalidate.i18n.documents import (
    action_label,
    doc_text,
    format_date,
    format_date_range,
    format_number,
    format_percent,
    group_label,
    verdict_label,
    vote_label,
    yes_no,
)
from hsvalidate.model import (
    VOTE_KEYS,
    Count,
    Decision,
    Participant,
    criteria_set_name,
    decision_gap,
)
from hsvalidate.report import ALL_GROUPS, IndicatorResult, Report, ResultRow
from hsvalidate.resources import template_path
from hsvalidate.revisions import History

Flowable = Any
"""A reportlab flowable (reportlab ships no type hints)."""

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONT_ITALIC = "DejaVuSans-Oblique"

MINUTES_DIR = "minutes"
"""Sub-folder of the session folder holding the secretariat's own sections."""

MINUTES_FILES = {
    "opening": "ouverture",
    "recommendations": "recommandations",
    "next": "prochaines-etapes",
}
"""Section → Markdown file stem in ``minutes/``: ``ouverture.md``, ``recommandations.md``,
``prochaines-etapes.md``.  ``<stem>.<lang>.md`` (``ouverture.en.md``) is read first for
the minutes in that language, so the English minutes can carry an English text."""

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_FRENCH_SPACING = re.compile(r"(?<=«) +| +(?=[:;!?»%])")
"""Spaces that must not break a line: after «, before : ; ! ? » and before % (« 20 % »)."""
_MM = 72 / 25.4
_NBSP = "\u00a0"

# Light backgrounds for verdicts: a reader scans the results table by colour, prints in
# grey still read by the words.
_VERDICT_COLOURS = {
    KEEP: "#DCEFD8",
    DROP: "#F6D5D1",
    NO_CONSENSUS: "#FCEBC8",
    BELOW_QUORUM: "#E4E4E4",
}
_HEADER_COLOUR = "#DDE7F0"
_IMPORTANT_MARK = "†"
"""Marks an indicator that one stakeholder group alone wants to keep; explained under the table."""
_GRID_COLOUR = "#9AA5B1"
_RULE_COLOUR = "#C5CCD3"
_BAND_COLOURS = ("#7F2704", "#E3E3E3", "#5B9BD5")
"""Low, middle, high: very dark, very light, medium, so that a grey print still tells
them apart; the bars are also always in that order and the figures written beside."""
_CHART_WIDTH = 58 * _MM


def write_minutes(report: Report, path: Path, *, signatures: bool = False) -> None:
    """Write the minutes in ``report.lang``; on any failure the previous file is left as it was.

    ``signatures`` adds a column to the attendance list for each participant to sign:
    a sign-in sheet printed with the minutes, so the record and the signatures match.
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate

    _register_fonts()
    margin = 20 * _MM
    ctx = _Context(
        report=report,
        styles=_make_styles(),
        width=A4[0] - 2 * margin,
        signatures=signatures,
    )
    story = _glue(_story(ctx))
    with atomic_path(Path(path)) as tmp:
        doc = SimpleDocTemplate(
            str(tmp),
            pagesize=A4,
            leftMargin=margin,
            rightMargin=margin,
            topMargin=20 * _MM,
            bottomMargin=20 * _MM,
            title=f"{_t(ctx, 'pdf.title')} — {ctx.workshop_title}",
            author="; ".join(report.details.organisers),
            subject=report.framework.title.get(report.lang),
            creator="hsvalidate",
            lang=report.lang,
            initialFontName=FONT,
        )
        doc.build(story, canvasmaker=_numbered_canvas(ctx))


def _register_fonts() -> None:
    """Register DejaVu Sans once per process, bold and oblique as a family for ``<b>``/``<i>``."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    pdfmetrics.registerFont(TTFont(FONT, str(template_path("fonts/DejaVuSans.ttf"))))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(template_path("fonts/DejaVuSans-Bold.ttf"))))
    pdfmetrics.registerFont(TTFont(FONT_ITALIC, str(template_path("fonts/DejaVuSans-Oblique.ttf"))))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD
    )


@dataclass(frozen=True)
class _Styles:
    """Paragraph styles of the minutes (reportlab ``ParagraphStyle`` objects)."""

    title: Any
    subtitle: Any
    cover_label: Any
    cover_value: Any
    h1: Any
    h2: Any
    h3: Any
    body: Any
    note: Any
    note_bold: Any
    small: Any
    cell: Any
    cell_right: Any
    header: Any
    header_right: Any
    code: Any


def _make_styles() -> _Styles:
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    body = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=12.5, spaceAfter=4)
    cell = ParagraphStyle("cell", parent=body, fontSize=8, leading=10, spaceAfter=0)
    header = ParagraphStyle(
        "header", parent=body, fontName=FONT_BOLD, fontSize=8, leading=10, spaceAfter=0
    )
    return _Styles(
        title=ParagraphStyle(
            "title", parent=body, fontName=FONT_BOLD, fontSize=17, leading=22,
            alignment=TA_CENTER, spaceAfter=8,
        ),
        subtitle=ParagraphStyle(
            "subtitle", parent=body, fontName=FONT_BOLD, fontSize=13, leading=17,
            alignment=TA_CENTER, spaceAfter=10,
        ),
        cover_label=ParagraphStyle(
            "cover_label", parent=body, fontName=FONT_BOLD, fontSize=10, leading=13,
            alignment=TA_RIGHT, spaceAfter=0,
        ),
        cover_value=ParagraphStyle(
            "cover_value", parent=body, fontSize=10, leading=13, spaceAfter=0
        ),
        h1=ParagraphStyle(
            "h1", parent=body, fontName=FONT_BOLD, fontSize=13, leading=16,
            spaceBefore=12, spaceAfter=6, keepWithNext=1,
        ),
        h2=ParagraphStyle(
            "h2", parent=body, fontName=FONT_BOLD, fontSize=11, leading=14,
            spaceBefore=8, spaceAfter=4, keepWithNext=1,
        ),
        h3=ParagraphStyle(
            "h3", parent=body, fontName=FONT_BOLD, fontSize=9.5, leading=12.5,
            spaceBefore=6, spaceAfter=2, keepWithNext=1,
        ),
        body=body,
        note=ParagraphStyle("note", parent=body, fontSize=9, leading=12, spaceAfter=0),
        note_bold=ParagraphStyle(
            "note_bold", parent=body, fontName=FONT_BOLD, fontSize=9, leading=12, spaceAfter=0
        ),
        small=ParagraphStyle(
            "small", parent=body, fontSize=7.5, leading=9.5, spaceAfter=1,
            textColor="#333333",
        ),
        cell=cell,
        cell_right=ParagraphStyle("cell_right", parent=cell, alignment=TA_RIGHT),
        header=header,
        header_right=ParagraphStyle("header_right", parent=header, alignment=TA_RIGHT),
        code=ParagraphStyle("code", parent=body, fontSize=8.5, leading=11, leftIndent=8),
    )  # fmt: skip


@dataclass
class _Context:
    """What every section needs: the report, the styles, the width, and lookups built once.

    Why lookups: at national scale (160 indicators × 300 participants) scanning
    ``report.results`` for each indicator would cost more than laying out the pages.
    """

    report: Report
    styles: _Styles
    width: float
    signatures: bool = False
    panel: dict[tuple[int, str], dict[str, ResultRow]] = field(default_factory=dict)
    """(round, indicator) → criterion → the whole panel's row."""
    by_group: dict[tuple[int, str], list[ResultRow]] = field(default_factory=dict)
    """(round, indicator) → every stakeholder group's rows."""
    verdicts: dict[tuple[int, str], IndicatorResult] = field(default_factory=dict)
    versions: dict[tuple[int, str], int] = field(default_factory=dict)
    """(round, indicator) → the version that round rated."""
    lineage: list[LineageRow] = field(default_factory=list)
    """Every revision as the documents print it, in the order of ``history.revisions``."""

    def __post_init__(self) -> None:
        for row in self.report.results:
            key = (row.round, row.indicator)
            if row.group == ALL_GROUPS:
                self.panel.setdefault(key, {})[row.criterion] = row
            else:
                self.by_group.setdefault(key, []).append(row)
            self.versions[key] = max(self.versions.get(key, 0), row.version)
        for item in self.report.indicator_results:
            self.verdicts[(item.round, item.indicator)] = item
        self.lineage = lineage_rows(self.report)

    @property
    def lang(self) -> str:
        """The documents' language."""
        return self.report.lang

    @functools.cached_property
    def history(self) -> History:
        """The framework's history, built once (``Report.lineage`` may rebuild it each time)."""
        return self.report.lineage

    @functools.cached_property
    def workshop_title(self) -> str:
        """The workshop's own title, else the generic one: what the header and metadata name."""
        return self.report.details.title or _t(self, "pdf.subject")

    @functools.cached_property
    def rounds(self) -> list[int]:
        """Round numbers in order."""
        return sorted(r.round.number for r in self.report.rounds)


def _t(ctx: _Context, key: str, **values: object) -> str:
    return doc_text(key, ctx.lang, **values)


def _typeset(text: str) -> str:
    """Spaces that must not break a line made non-breaking (French typography, any language).

    Why on user text too: the catalogue already writes « : ; ? ! » with a non-breaking
    space, but comments and wordings arrive with ordinary spaces, and a line break after
    « or before » leaves a lone guillemet at the start of a line of the signed minutes.
    """
    return _FRENCH_SPACING.sub(_NBSP, text)


def _markup(text: str) -> str:
    """User text made safe for a Paragraph: no control characters, spacing kept, markup escaped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return escape(_typeset(_CONTROL.sub("", text))).replace("\n", "<br/>")


def _p(text: str, style: Any) -> Flowable:
    """A paragraph of plain text (escaped here); use ``_para`` for markup built from ``_markup``."""
    from reportlab.platypus import Paragraph

    return Paragraph(_markup(text), style)


def _para(markup: str, style: Any) -> Flowable:
    from reportlab.platypus import Paragraph

    return Paragraph(markup, style)


def _plain(text: str) -> str:
    """User text for a plain table cell, drawn as is: no control characters, spacing kept."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return _typeset(_CONTROL.sub("", text))


def _wrap(text: str, width: float, font: str, size: float) -> str | None:
    """``text`` broken into lines that fit ``width`` at ordinary spaces; None when a word is wider.

    Non-breaking spaces stay inside their line, as in a Paragraph.
    """
    lines = break_lines(text, width, font, size)
    return None if lines is None else "\n".join(lines)


def break_lines(
    text: str, width: float, font: str, size: float, *, cut_long_words: bool = False
) -> list[str] | None:
    """``text`` broken at ordinary spaces into lines that fit ``width``.

    Why not reportlab's ``simpleSplit``: it breaks at non-breaking spaces too, leaving a
    lone « at the end of a line; the catalogue puts them there so that it never does.
    A word wider than the line gives None, unless ``cut_long_words`` (a form's box must
    hold whatever was typed, so the word is cut rather than lost).
    """
    from reportlab.pdfbase.pdfmetrics import stringWidth

    space = stringWidth(" ", font, size)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line: list[str] = []
        used = 0.0
        for word in paragraph.split(" "):
            w = stringWidth(word, font, size)
            while w > width:
                if not cut_long_words:
                    return None
                if line:
                    lines.append(" ".join(line))
                    line, used = [], 0.0
                cut = len(word)
                while cut > 1 and stringWidth(word[:cut], font, size) > width:
                    cut -= 1
                lines.append(word[:cut])
                word = word[cut:]
                w = stringWidth(word, font, size)
            if line and used + space + w > width:
                lines.append(" ".join(line))
                line, used = [word], w
            else:
                used = used + space + w if line else w
                line.append(word)
        lines.append(" ".join(line))
    return lines


def _fit(text: str, width: float, style: Any) -> Any:
    """A table cell in one font: lines broken here when every word fits, else a Paragraph.

    Why: a national session puts thousands of cells in the minutes, and reportlab parses
    a Paragraph and breaks its lines again each time the table is measured, split and
    drawn; a plain string costs a fraction of that.  The table's ``FONT`` command must
    match ``style`` (``_table`` sets the cell and header styles' fonts).
    """
    wrapped = _wrap(_plain(text), width - 6, style.fontName, style.fontSize)
    return wrapped if wrapped is not None else _p(text, style)


def _lead(flowable: Flowable) -> Flowable:
    """Keep ``flowable`` (an introductory sentence) on the page of what follows it."""
    flowable.keepWithNext = 1
    return flowable


def _heading(ctx: _Context, number: int | None, key: str) -> Flowable:
    title = _t(ctx, key)
    if number is not None:
        title = _t(ctx, "pdf.h.numbered", number=number, title=title)
    return _p(title, ctx.styles.h1)


# -- layout rules: headings with their tables, no lone row ----------------------------------


@functools.cache
def _classes() -> tuple[type, type, type]:
    """The flowable classes that need reportlab to exist: built on first use, once.

    Why inside a function: importing reportlab at module level would make every
    command (and ``--help``) pay for it.
    """
    from reportlab.platypus import Flowable as BaseFlowable
    from reportlab.platypus import Table
    from reportlab.platypus.doctemplate import FrameBreak

    class OrphanTable(Table):  # type: ignore[misc]  # reportlab is untyped
        """A table that never leaves one row alone at the top or the bottom of a page.

        ``NOSPLIT`` ranges keep the header with the first two rows and the last two rows
        together.  A table that cannot be split under those rules even on an empty page
        (two rows taller than a page) is split anywhere, then inside a row, rather than
        failing the whole export.
        """

        def split(self, aW: float, aH: float) -> list[Any]:
            parts: list[Any] = super().split(aW, aH)
            frame = getattr(self, "_frame", None)
            if parts or frame is None or not getattr(frame, "_atTop", False):
                return parts
            self._nosplitCmds: list[Any] = []
            parts = super().split(aW, aH)
            if not parts:
                self.splitInRow = 1
                parts = super().split(aW, aH)
            return parts

    class KeepStart(BaseFlowable):  # type: ignore[misc]
        """Headings and introductory sentences kept on the page of a table's first rows.

        Why not reportlab's ``keepWithNext``: it keeps a heading with the *whole* next
        flowable, so a heading before a long table moves it to a new page and leaves
        most of a page blank.  Here only the start must fit; the table then flows.
        """

        def __init__(self, lead: list[Any], table: Any, preview: Any) -> None:
            super().__init__()
            self._lead = lead
            self._table = table
            self._preview = preview
            self._need = 0.0

        def wrap(self, aW: float, aH: float) -> tuple[float, float]:
            need = 0.0
            for item in [*self._lead, self._preview]:
                _, height = item.wrap(aW, aH)
                need += height + item.getSpaceBefore() + item.getSpaceAfter()
            self._need = need
            return aW, 0xFFFFFF  # as KeepTogether does: always asked to split

        def split(self, aW: float, aH: float) -> list[Any]:
            self.wrap(aW, aH)
            frame = getattr(self, "_frame", None)
            at_top = frame is not None and bool(getattr(frame, "_atTop", False))
            content = [*self._lead, self._table]
            if self._need > aH and not at_top:
                return [FrameBreak(), *content]
            return content

        def draw(self) -> None:  # pragma: no cover - always split, never drawn
            pass

    class BandChart(BaseFlowable):  # type: ignore[misc]
        """A tiny chart: per criterion, the shares of low, middle and high ratings as one bar.

        Legible without colour: the bands are always low → middle → high from left to
        right, in three clearly different lightnesses, and their shares are written
        beside each bar in the same order.
        """

        line = 8.0
        bar = 5.5
        gap = 3.5

        def __init__(self, title: str, rows: list[tuple[str, float, float, float, str]]) -> None:
            super().__init__()
            self._title = title
            self._rows = rows
            self._lines: list[list[str]] = []
            self.width = _CHART_WIDTH
            self.height = 0.0

        def wrap(self, aW: float, aH: float) -> tuple[float, float]:
            from reportlab.lib.utils import simpleSplit

            self.width = min(_CHART_WIDTH, aW)
            self._lines = [simpleSplit(label, FONT, 6.5, self.width) for label, *_ in self._rows]
            title_lines = simpleSplit(self._title, FONT_BOLD, 6.5, self.width)
            self._title_lines = title_lines
            self.height = len(title_lines) * self.line + sum(
                len(lines) * self.line + self.bar + self.gap for lines in self._lines
            )
            return self.width, self.height

        def draw(self) -> None:
            from reportlab.lib import colors

            canv = self.canv
            y = self.height
            canv.setFillColor(colors.black)
            canv.setFont(FONT_BOLD, 6.5)
            for text in self._title_lines:
                y -= self.line
                canv.drawString(0, y + 1.5, text)
            figures_w = 30 * _MM
            bar_w = self.width - figures_w
            for lines, (_, low, mid, high, figures) in zip(self._lines, self._rows, strict=True):
                canv.setFont(FONT, 6.5)
                canv.setFillColor(colors.black)
                for text in lines:
                    y -= self.line
                    canv.drawString(0, y + 1.5, text)
                y -= self.bar
                x = 0.0
                canv.setStrokeColor(colors.white)
                canv.setLineWidth(0.6)
                for share, colour in zip((low, mid, high), _BAND_COLOURS, strict=True):
                    w = bar_w * share / 100
                    if w > 0:
                        canv.setFillColor(colors.HexColor(colour))
                        canv.rect(x, y, w, self.bar, stroke=1, fill=1)
                    x += w
                canv.setStrokeColor(colors.HexColor("#666666"))
                canv.setLineWidth(0.4)
                canv.rect(0, y, bar_w, self.bar, stroke=1, fill=0)
                canv.setFillColor(colors.black)
                canv.drawRightString(self.width, y + 0.8, figures)
                y -= self.gap

    return OrphanTable, KeepStart, BandChart


def _table(
    rows: Sequence[Sequence[Flowable]],
    *,
    widths: Sequence[float],
    extra_style: Sequence[tuple[Any, ...]] = (),
    header: bool = True,
    grid: bool = True,
    row_heights: Sequence[float | None] | None = None,
    min_heights: Sequence[float] | None = None,
    together: int = 2,
) -> Flowable:
    """A wrapped table whose header row repeats on every page and whose rows never stand alone.

    ``together`` rows at least go together at the start and at the end of every page;
    1 for tables whose rows are each a whole unit (an indicator of the validated
    framework), where keeping two would leave half a page blank.
    """
    from reportlab.lib import colors
    from reportlab.platypus import TableStyle

    table_class = _classes()[0]
    style: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONT", (0, 0), (-1, -1), FONT, 8, 10),  # plain cells: as the "cell" style
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if grid:
        style.append(("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor(_GRID_COLOUR)))
    if header:
        style.append(("FONT", (0, 0), (-1, 0), FONT_BOLD, 8, 10))
    if header and grid:
        style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(_HEADER_COLOUR)))
    # No lone row: the header goes with the first two rows, the last two stay together.
    first = 1 if header else 0
    count = len(rows)
    if together > 1 and count - first >= 2:
        style.append(("NOSPLIT", (0, 0), (-1, min(first + together - 1, count - 1))))
        style.append(("NOSPLIT", (0, count - together), (-1, count - 1)))
    style.extend(extra_style)
    table_style = TableStyle(style)
    table = table_class(
        [list(r) for r in rows],
        colWidths=list(widths),
        rowHeights=list(row_heights) if row_heights is not None else None,
        minRowHeights=list(min_heights) if min_heights is not None else None,
        repeatRows=1 if header else 0,
        style=table_style,
        hAlign="LEFT",
        spaceBefore=2,
        spaceAfter=6,
    )
    # What must fit below a heading for the heading to stay on this page.
    start = rows[: min(count, first + together)]
    table.hs_preview = (start, list(widths), table_style, row_heights, min_heights)
    return table


def _preview(table: Flowable) -> Flowable:
    """The first rows of a table built by ``_table``, to measure what a heading needs below it."""
    from reportlab.platypus import Table

    rows, widths, style, heights, minimums = table.hs_preview
    return Table(
        [list(r) for r in rows],
        colWidths=widths,
        rowHeights=list(heights[: len(rows)]) if heights is not None else None,
        minRowHeights=list(minimums[: len(rows)]) if minimums is not None else None,
        style=style,
        spaceBefore=2,
    )


def _glue(story: list[Flowable]) -> list[Flowable]:
    """Headings (and lead sentences) kept with the start of the table that follows them.

    A run of flowables that keep with the next one, followed by a table from ``_table``,
    becomes one ``KeepStart``; before anything else the run is left to reportlab's own
    ``keepWithNext``, which keeps it with that (short) flowable.
    """
    keep_start = _classes()[1]
    out: list[Flowable] = []
    pending: list[Flowable] = []
    for item in story:
        if item.getKeepWithNext():
            pending.append(item)
            continue
        if pending and hasattr(item, "hs_preview"):
            for lead in pending:
                lead.keepWithNext = 0
            out.append(keep_start(pending, item, _preview(item)))
        else:
            out.extend(pending)
            out.append(item)
        pending = []
    out.extend(pending)
    return out


# -- the story ------------------------------------------------------------------------------


def _story(ctx: _Context) -> list[Flowable]:
    """Every section in order, numbered as they come: optional sections shift no gap."""
    from reportlab.platypus import PageBreak

    texts = {name: _minutes_file(ctx.report, name) for name in MINUTES_FILES}
    sections: list[tuple[str, Callable[[_Context, int], list[Flowable]]]] = []
    if texts["opening"] is not None:
        sections.append(("opening", lambda c, n: _written(c, n, "pdf.h.opening", texts["opening"])))
    sections += [
        ("attendance", _attendance),
        ("method", _method),
        ("summary", _summary),
        ("framework", _validated),
        ("results", _results),
        ("comments", _comments),
    ]
    if texts["recommendations"] is not None:
        sections.append(
            (
                "recommendations",
                lambda c, n: _written(c, n, "pdf.h.recommendations", texts["recommendations"]),
            )
        )
    sections.append(("next", lambda c, n: _next_steps(c, n, texts["next"])))
    sections.append(("signatures", lambda c, n: _signatures(c, n)))
    story = _cover(ctx)
    for number, (_, build) in enumerate(sections, start=1):
        story.extend(build(ctx, number))
    story.append(PageBreak())
    story.extend(_annex(ctx))
    return story


def _minutes_file(report: Report, name: str) -> str | None:
    """The secretariat's Markdown for a section, in the minutes' language first; None if absent."""
    if not report.folder:
        return None
    folder = Path(report.folder) / MINUTES_DIR
    stem = MINUTES_FILES[name]
    for candidate in (folder / f"{stem}.{report.lang}.md", folder / f"{stem}.md"):
        if candidate.is_file():
            text = candidate.read_text(encoding="utf-8-sig", errors="replace")
            return text if text.strip() else None
    return None


# -- cover ----------------------------------------------------------------------------------


def _workshop_days(ctx: _Context) -> tuple[str, int]:
    """The workshop's days in words, and how many: the details' days, else the rounds'.

    Consecutive days read as a range (« 26 novembre 2026 – 28 novembre 2026 »), days
    apart as a list, so a reader never believes the workshop sat on a day it did not.
    With no day given and no round opened yet, nothing: the export's own date is not
    the workshop's.
    """
    days = list(ctx.report.details.dates)
    if not days:
        stamps = [
            stamp[:10]
            for r in ctx.report.rounds
            for stamp in (r.round.opened_at, r.round.closed_at)
            if stamp
        ]
        days = sorted(set(stamps))
    if not days:
        return "", 0
    try:
        parsed = [date.fromisoformat(d) for d in days]
    except ValueError:
        return ", ".join(days), len(days)
    consecutive = all(b - a == timedelta(days=1) for a, b in itertools.pairwise(parsed))
    if consecutive:
        return format_date_range(days[0], days[-1], ctx.lang), len(days)
    return ", ".join(format_date(d, ctx.lang) for d in days), len(days)


def _logos(ctx: _Context) -> list[Flowable]:
    """The logos in a row, each at most 22 mm high; a file that cannot be read is left out."""
    from reportlab.lib.utils import ImageReader
    from reportlab.platypus import Image, Table, TableStyle

    folder = Path(ctx.report.folder) / "logos" if ctx.report.folder else None
    if folder is None or not ctx.report.details.logos:
        return []
    images = []
    max_h, max_w = 22 * _MM, 45 * _MM
    for name in ctx.report.details.logos:
        path = folder / name
        try:
            w, h = ImageReader(str(path)).getSize()
        except Exception:  # a missing or broken image must not cost the minutes
            continue
        if not w or not h:
            continue
        scale = min(max_h / h, max_w / w)
        images.append(Image(str(path), width=w * scale, height=h * scale))
    if not images:
        return []
    cell = min(ctx.width / len(images), 50 * _MM)
    row = Table(
        [images],
        colWidths=[cell] * len(images),
        hAlign="CENTER",
        style=TableStyle(
            [("ALIGN", (0, 0), (-1, -1), "CENTER"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
        ),
    )
    return [row]


def _cover(ctx: _Context) -> list[Flowable]:
    from reportlab.lib import colors
    from reportlab.platypus import HRFlowable, PageBreak, Spacer, Table, TableStyle

    report, styles, lang = ctx.report, ctx.styles, ctx.lang
    details = report.details
    flow: list[Flowable] = [*_logos(ctx), Spacer(1, 14 * _MM)]
    flow.append(_p(ctx.workshop_title, styles.title))
    fw_title = report.framework.title.get(lang)
    if fw_title and fw_title != ctx.workshop_title:
        flow.append(_p(fw_title, styles.subtitle))
    rule = colors.HexColor(_GRID_COLOUR)
    flow += [
        Spacer(1, 6 * _MM),
        HRFlowable(width="60%", thickness=0.8, color=rule, spaceAfter=8),
        _p(_t(ctx, "pdf.title"), styles.title),
        HRFlowable(width="60%", thickness=0.8, color=rule, spaceBefore=2),
        Spacer(1, 10 * _MM),
    ]
    days, n_days = _workshop_days(ctx)
    facts: list[tuple[str, str]] = []
    if details.place:
        facts.append((_t(ctx, "pdf.cover.place"), details.place))
    if days:
        facts.append((_t(ctx, "pdf.cover.dates" if n_days > 1 else "pdf.cover.date"), days))
    if details.organisers:
        key = "pdf.cover.organisers" if len(details.organisers) > 1 else "pdf.cover.organiser"
        facts.append((_t(ctx, key), "\n".join(details.organisers)))
    if details.chair:
        facts.append((_t(ctx, "pdf.sign.chair"), details.chair))
    if details.rapporteur:
        facts.append((_t(ctx, "pdf.sign.rapporteur"), details.rapporteur))
    if facts:
        label_w, value_w = 50 * _MM, 95 * _MM
        flow.append(
            Table(
                [[_p(k, styles.cover_label), _p(v, styles.cover_value)] for k, v in facts],
                colWidths=[label_w, value_w],
                hAlign="CENTER",
                style=TableStyle(
                    [
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                        ("LEFTPADDING", (1, 0), (1, -1), 8),
                    ]
                ),
            )
        )
    flow.append(Spacer(1, 12 * _MM))
    flow.append(_p(_t(ctx, "pdf.session", session=report.session), styles.note))
    flow.append(
        _p(_t(ctx, "pdf.generated", when=format_date(report.generated_at, lang)), styles.note)
    )
    if report.framework.notes:
        note = _p(_t(ctx, "pdf.illustrative", note=report.framework.notes.get(lang)), styles.note)
        flow.append(Spacer(1, 6 * _MM))
        flow.append(
            Table(
                [[note]],
                colWidths=[ctx.width],
                style=TableStyle(
                    [
                        ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#FFF6DA")),
                        ("GRID", (0, 0), (-1, -1), 0.6, colors.HexColor("#C9A227")),
                        ("TOPPADDING", (0, 0), (-1, -1), 5),
                        ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                        ("LEFTPADDING", (0, 0), (-1, -1), 6),
                    ]
                ),
            )
        )
    flow.append(PageBreak())
    return flow


# -- attendance -----------------------------------------------------------------------------


def _group_order(report: Report) -> list[str]:
    """Groups in the order participants were registered: the order the secretariat chose."""
    order: list[str] = []
    for p in report.participants:
        if p.group not in order:
            order.append(p.group)
    return order


_BAMBARA_ORDER = str.maketrans({"ɛ": "e~", "ɔ": "o~", "ɲ": "n~", "ŋ": "n~~"})


def _name_key(name: str) -> str:
    """Alphabetical order a Malian reader expects: accents ignored, ɛ after e, ɲ and ŋ after n."""
    bare = "".join(
        ch for ch in unicodedata.normalize("NFD", name.casefold()) if not unicodedata.combining(ch)
    )
    return bare.translate(_BAMBARA_ORDER)


def _attendance(ctx: _Context, number: int) -> list[Flowable]:
    report, styles, lang = ctx.report, ctx.styles, ctx.lang
    order = _group_order(report)
    present = Counter(p.group for p in report.participants if p.present)
    by_group = ", ".join(f"{group_label(g, lang)} {present.get(g, 0)}" for g in order)
    flow: list[Flowable] = [
        _heading(ctx, number, "pdf.h.attendance"),
        _lead(
            _p(
                _t(
                    ctx,
                    "pdf.attendance.summary",
                    present=sum(present.values()),
                    invited=len(report.participants),
                    by_group=by_group,
                ),
                styles.body,
            )
        ),
    ]
    notes = {p.code: _attendance_notes(ctx, p) for p in report.participants}
    by_round = any(notes.values())
    keys = ["col.name", "col.organisation", "col.group", "col.sex", "col.present"]
    widths = [46 * _MM, 62 * _MM, 34 * _MM, 12 * _MM, 16 * _MM]
    if by_round:
        keys.append("col.attendance_rounds")
        widths = [38 * _MM, 38 * _MM, 26 * _MM, 12 * _MM, 16 * _MM, 40 * _MM]
    if report.show_names:
        keys.insert(0, "col.code")
        widths = [14 * _MM, 40 * _MM, 56 * _MM, 32 * _MM, 12 * _MM, 16 * _MM]
        if by_round:
            widths = [14 * _MM, 30 * _MM, 34 * _MM, 24 * _MM, 12 * _MM, 16 * _MM, 40 * _MM]
    # Code, sex and presence keep their width; names, organisations, groups and notes
    # share what is left (less a signature column when asked).
    fixed = {"col.code", "col.sex", "col.present"}
    if ctx.signatures:
        keys.append("pdf.attendance.signature")
        widths.append(34 * _MM)
        fixed.add("pdf.attendance.signature")
    rigid = sum(w for k, w in zip(keys, widths, strict=True) if k in fixed)
    scale = (ctx.width - rigid) / sum(
        w for k, w in zip(keys, widths, strict=True) if k not in fixed
    )
    widths = [w if k in fixed else w * scale for k, w in zip(keys, widths, strict=True)]
    rows: list[list[Flowable]] = [[_p(_t(ctx, k), styles.header) for k in keys]]
    people = sorted(report.participants, key=lambda p: (order.index(p.group), _name_key(p.name)))
    for p in people:
        cells = [p.name, p.organisation, group_label(p.group, lang), p.sex, yes_no(p.present, lang)]
        if by_round:
            cells.append("\n".join(notes[p.code]))
        if report.show_names:
            cells.insert(0, p.code)
        if ctx.signatures:
            cells.append("")
        rows.append([_fit(c, w, styles.cell) for c, w in zip(cells, widths, strict=True)])
    # Room for a hand signature: at least 10 mm per person, taller when a cell wraps.
    minimums = [0.0] + [10 * _MM] * len(people) if ctx.signatures else None
    flow.append(_table(rows, widths=widths, min_heights=minimums))
    if any(not p.present for p in report.participants):
        flow.append(_p(_t(ctx, "pdf.attendance.absent"), styles.note))
    if by_round:
        flow.append(_p(_t(ctx, "pdf.attendance.rounds_note"), styles.note))
    return flow


def _attendance_notes(ctx: _Context, person: Participant) -> list[str]:
    """What sets a participant apart from the "present" column, round by round, then withdrawal.

    Only departures are written, so the table stays light for the many who attended
    every round.  Nouns (« absence », « départ anticipé », « retrait ») rather than
    participles: the minutes name people, and a participle would have to agree with
    each one.
    """
    numbers = ctx.rounds
    usual = "present" if person.present else "absent"
    start = person.withdrawn_from
    notes = [
        _t(ctx, f"pdf.attendance.round.{status}", round=number)
        for number in numbers
        if start is None or number < start
        for status in [person.presence_in(number)]
        if status != usual
    ]
    if start is not None:
        if numbers and start > numbers[-1]:
            notes.append(_t(ctx, "pdf.attendance.withdrawn_after", round=numbers[-1]))
        else:
            notes.append(_t(ctx, "pdf.attendance.withdrawn_from", round=start))
    return notes


# -- objectives and method ------------------------------------------------------------------


def _quorum_sentence(ctx: _Context) -> str:
    """The quorum as a rule with its figure, never a bare « Quorum : 1 ».

    With a share of those present, the sentence gives the share, the count it makes
    for this panel and the session's minimum, and says which of the two applies.
    """
    rule = ctx.report.rule
    lang = ctx.lang
    if rule.quorum_share <= 0:
        return tn("pdf.method.quorum", rule.quorum, lang=lang)
    present = present_count(ctx.report)
    applied = rule.panel_quorum(present)
    share = math.ceil(rule.quorum_share * present / 100 - 1e-9)
    values = {
        "pct": format_number(rule.quorum_share, lang),
        "present": present,
        "minimum": rule.quorum,
        "share": share,
    }
    key = "pdf.method.quorum_share" if share >= rule.quorum else "pdf.method.quorum_minimum"
    return tn(key, applied, lang=lang, **values)


def _method(ctx: _Context, number: int) -> list[Flowable]:
    report, styles, lang = ctx.report, ctx.styles, ctx.lang
    base, slope = ipras_constants(report.scale)
    if report.percentile_method == PERCENTILE_METHOD:
        percentiles = _t(ctx, "pdf.method.percentiles", method=_t(ctx, "percentile.method"))
    else:  # a method we cannot describe in French: print it exactly as recorded
        percentiles = _t(ctx, "pdf.method.percentiles_other", method=report.percentile_method)
    # The scale's words get a column only when some criterion has its own, so the minutes
    # of a session on the generic words read as they always have.
    anchored = any(c.has_anchors for c in report.criteria)
    criteria_rows: list[list[Flowable]] = [
        [
            _p(_t(ctx, "col.label"), styles.header),
            _p(_t(ctx, "col.question"), styles.header),
            *([_p(_t(ctx, "criteria_set.col.anchors"), styles.header)] if anchored else []),
        ]
    ]
    for c in report.criteria:
        criteria_rows.append(
            [
                _p(c.label.get(lang) or c.code, styles.cell),
                _p(c.question.get(lang), styles.cell),
                *([_p(c.anchors_text(lang), styles.cell)] if anchored else []),
            ]
        )
    label_width = 40 * _MM
    anchors_width = 50 * _MM if anchored else 0
    criteria_widths = [label_width, ctx.width - label_width - anchors_width]
    if anchored:
        criteria_widths.append(anchors_width)
    # rule_details opens with the bare quorum (and its share); the minutes say it whole.
    skipped = 1 + (report.rule.quorum_share > 0)
    details = rule_details(report.rule, report.scale, lang, present=present_count(report))
    return [
        _heading(ctx, number, "pdf.h.method"),
        _p(
            _t(ctx, "pdf.method.objectives", framework=report.framework.title.get(lang)),
            styles.body,
        ),
        _p(_t(ctx, "pdf.method.intro"), styles.body),
        _p(_t(ctx, "pdf.method.scale", scale=scale_text(report.scale, lang)), styles.body),
        _lead(_p(_t(ctx, "pdf.method.criteria"), styles.body)),
        _lead(
            _p(
                _t(ctx, "criteria_set.method", name=criteria_set_name(report.criteria, lang)),
                styles.body,
            )
        ),
        _table(criteria_rows, widths=criteria_widths),
        _p(
            _t(ctx, "pdf.method.rule", rule=rule_text(report.rule, report.scale, lang)),
            styles.body,
        ),
        _p(_quorum_sentence(ctx), styles.body),
        *(_p(sentence, styles.body) for sentence in details[skipped:]),
        # The smallest group shown, and which groups it pooled: stated with the rule.
        *(_p(sentence, styles.body) for sentence in report.disclosure.notes(lang)),
        _p(_t(ctx, "pdf.method.combined"), styles.body),
        _p(percentiles, styles.body),
        _p(
            " ".join(
                filter(
                    None,
                    [
                        _t(
                            ctx,
                            "pdf.method.ipras",
                            centre=format_number(report.scale.centre, lang),
                            base=format_number(base, lang, digits=3),
                            slope=format_number(slope, lang, digits=3),
                        ),
                        ipras_adaptation(report.scale, lang),
                    ],
                )
            ),
            styles.body,
        ),
    ]


# -- summary --------------------------------------------------------------------------------

_SUMMARY_ALWAYS = ("retained", "reworded", "merger", "added", "deferred")
_SUMMARY_LEFT_ALWAYS = ("merged", "dropped")


def _summary(ctx: _Context, number: int) -> list[Flowable]:
    """What was validated, in counts, and who took part: the page a busy reader reads."""
    report, styles = ctx.report, ctx.styles
    statuses = final_statuses(report)
    count = Counter("reworded" if s.status == "to_reword" else s.status for s in statuses)
    kept = sum(1 for s in statuses if s.kept)
    left = len(statuses) - kept
    figure = styles.cell_right
    rows: list[list[Flowable]] = [
        [_p(_t(ctx, "pdf.summary.col.what"), styles.header), _p("", styles.header)],
        [
            _p(_t(ctx, "pdf.summary.draft"), styles.header),
            _p(str(len(ctx.history.original_codes())), styles.header_right),
        ],
        [_p(_t(ctx, "pdf.summary.validated"), styles.header), _p(str(kept), styles.header_right)],
    ]
    for status in (
        "retained",
        "reworded",
        "merger",
        "split_part",
        "added",
        "deferred",
        "undecided",
    ):
        if status in _SUMMARY_ALWAYS or count[status]:
            rows.append(
                [
                    _p(_t(ctx, f"pdf.summary.status.{status}"), styles.cell),
                    _p(str(count[status]), figure),
                ]
            )
    rows.append(
        [_p(_t(ctx, "pdf.summary.left"), styles.header), _p(str(left), styles.header_right)]
    )
    for status in ("merged", "split", "dropped"):
        if status in _SUMMARY_LEFT_ALWAYS or count[status]:
            rows.append(
                [
                    _p(_t(ctx, f"pdf.summary.status.{status}"), styles.cell),
                    _p(str(count[status]), figure),
                ]
            )
    decided = [s.decision for s in statuses if s.decision is not None]
    voted = sum(1 for d in decided if d.votes)
    rows.append(
        [
            _p(_t(ctx, "pdf.summary.decisions"), styles.header),
            _p(str(len(decided)), styles.header_right),
        ]
    )
    rows.append([_p(_t(ctx, "pdf.summary.voted"), styles.cell), _p(str(voted), figure)])
    indent = [
        ("LEFTPADDING", (0, i), (0, i), 14) for i, r in enumerate(rows) if r[0].style is styles.cell
    ]
    flow: list[Flowable] = [
        _heading(ctx, number, "pdf.h.summary"),
        _lead(_p(_t(ctx, "pdf.summary.intro"), styles.body)),
        _table(rows, widths=[95 * _MM, 22 * _MM], extra_style=indent),
    ]
    header = [
        _p(_t(ctx, k), styles.header if k == "col.round" else styles.header_right)
        for k in (
            "col.round",
            "col.invited",
            "col.n_present",
            "col.rating",
            "col.ballots",
            "col.indicators",
        )
    ]
    turnout: list[list[Flowable]] = [header]
    for summary in report.rounds:
        turnout.append(
            [
                _p(str(summary.round.number), styles.cell),
                *(
                    _p(str(v), figure)
                    for v in (
                        summary.n_invited,
                        summary.n_present,
                        summary.n_rating,
                        summary.n_ballots,
                        len(summary.round.indicators),
                    )
                ),
            ]
        )
    if report.rounds:
        flow.append(_lead(_p(_t(ctx, "pdf.summary.participation"), styles.h2)))
        flow.append(_table(turnout, widths=[20 * _MM, *([22 * _MM] * 5)]))
    return flow


# -- the validated framework ----------------------------------------------------------------


def _band_names(ctx: _Context) -> tuple[str, str, str]:
    mid = "band.mid9" if ctx.report.scale.high == 9 else "band.mid5"
    return _t(ctx, "band.low"), _t(ctx, mid), _t(ctx, "band.high")


def _validated(ctx: _Context, number: int) -> list[Flowable]:
    """The framework as validated, dimension by dimension and outcome by outcome.

    Each indicator says where it ended, in full: its final wording, how it changed,
    each round's verdict, the plenary's decision and the dissent that remained; the
    indicators that left the framework follow, each with why.
    """
    styles, lang = ctx.styles, ctx.lang
    statuses = {s.code: s for s in final_statuses(ctx.report)}
    low, mid, high = ctx.report.scale.bands
    names = _band_names(ctx)
    flow: list[Flowable] = [
        _heading(ctx, number, "pdf.h.framework"),
        _lead(
            _p(
                _t(
                    ctx,
                    "pdf.fw.legend",
                    low=band_text(low),
                    mid=band_text(mid),
                    high=band_text(high),
                    low_name=names[0],
                    mid_name=names[1],
                    high_name=names[2],
                ),
                styles.body,
            ),
        ),
    ]
    current = ctx.history.current
    for dim in current.dimensions:
        dim_heading = _p(f"{dim.code} — {dim.title.get(lang)}", styles.h2)
        first = True
        for out in dim.outcomes:
            kept = [statuses[i.code] for i in out.indicators if i.code in statuses]
            kept = [s for s in kept if s.kept]
            if not kept:
                continue
            if first:
                flow.append(dim_heading)
                first = False
            flow.append(_p(f"{out.code} — {out.title.get(lang)}", styles.h3))
            flow.append(_blocks(ctx, kept))
    left = [s for s in statuses.values() if not s.kept]
    if left:
        flow.append(_p(_t(ctx, "pdf.h.left"), styles.h2))
        flow.append(_lead(_p(_t(ctx, "pdf.fw.left_intro"), styles.body)))
        flow.append(_blocks(ctx, left))
    return flow


def _blocks(ctx: _Context, statuses: list[FinalStatus]) -> Flowable:
    """One row per indicator: what happened to it on the left, its last ratings on the right."""
    from reportlab.lib import colors

    text_w = ctx.width - _CHART_WIDTH - 4 * _MM
    rows = [[_block_text(ctx, s), _chart(ctx, s.code)] for s in statuses]
    line = colors.HexColor(_RULE_COLOUR)
    return _table(
        rows,
        widths=[text_w, ctx.width - text_w],
        header=False,
        grid=False,
        together=1,
        extra_style=[
            ("LINEABOVE", (0, 0), (-1, 0), 0.5, line),
            ("LINEBELOW", (0, 0), (-1, -1), 0.5, line),
            ("TOPPADDING", (0, 0), (-1, -1), 4),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ("LEFTPADDING", (0, 0), (0, -1), 0),
        ],
    )


def _status_text(ctx: _Context, status: FinalStatus) -> str:
    values = {
        "version": ctx.history.version(status.code),
        "sources": ", ".join(status.related),
        "into": ", ".join(status.related),
    }
    key = status.status
    if key == "merged" and not status.related:
        key = "merged_nowhere"
    return _t(ctx, f"pdf.status.{key}", **values)


def _wording(ctx: _Context, code: str) -> Indicator | None:
    found: Indicator | None = ctx.history.wording(code)
    return found if found is not None else ctx.report.framework.indicator(code)


def _block_text(ctx: _Context, status: FinalStatus) -> list[Flowable]:
    styles = ctx.styles
    code = status.code
    flow: list[Flowable] = [
        _para(
            f"<b>{_markup(code)}</b>  ·  <b>{_markup(_status_text(ctx, status))}</b>", styles.note
        )
    ]
    wording = _wording(ctx, code)
    if wording is not None:
        flow.append(_p(wording.text.get(ctx.lang), styles.body))
    lines: list[str] = []
    lines += _lineage_lines(ctx, code)
    verdicts = _round_verdicts(ctx, code)
    if verdicts:
        lines.append(_t(ctx, "pdf.fw.rounds", verdicts=verdicts))
    lines_markup = [_markup(text) for text in lines]
    lines_markup += _decision_lines(ctx, status)
    lines_markup += [_markup(text) for text in _dissent_lines(ctx, status)]
    flow += [_para(m, styles.small) for m in lines_markup]
    return flow


def _lineage_lines(ctx: _Context, code: str) -> list[str]:
    """The revisions that made (or took out) this indicator, with when, why and what changed.

    The original wording is given when the statement changed, the merged wordings of a
    merger, the parent's of a split part, and any other field a rewording changed as
    « old → new »: the reader sees what was validated against what was drafted.
    """
    lines: list[str] = []
    history = ctx.history
    lang = ctx.lang
    version = 1 if code in history.original_codes() else 0
    original: str | None = None
    for revision, row in zip(history.revisions, ctx.lineage, strict=True):
        made = code in revision.new_codes
        if not made and code not in revision.retired:
            continue
        key = "pdf.fw.revision" if revision.after_round else "pdf.fw.revision0"
        line = _t(ctx, key, change=row.change, round=revision.after_round)
        if row.reason:
            line += f" — {row.reason}"
        lines.append(line[:1].upper() + line[1:])
        if made and revision.change == "merge":
            lines.append(_t(ctx, "pdf.fw.merged_from", text=row.before))
        elif made and revision.change == "split" and original is None:
            original = row.before
        elif made and revision.change == "reword":
            old = history.wording(code, max(version, 1))
            new = next(i for i in revision.indicators if i.code == code)
            if old is not None:
                if original is None and old.text.get(lang) != new.text.get(lang):
                    original = old.text.get(lang)
                lines += [
                    _t(ctx, "pdf.fw.field_change", field=_t(ctx, label), before=a, after=b)
                    for name, label in INDICATOR_FIELDS
                    if name != "text"
                    for a, b in [
                        (_field(getattr(old, name), lang), _field(getattr(new, name), lang))
                    ]
                    if a != b
                ]
        if made:
            version += 1
    if original and original != _final_text(ctx, code):
        lines.insert(0, _t(ctx, "pdf.fw.original", text=original))
    return lines


def _field(value: object, lang: str) -> str:
    """An indicator field as printed: a text in the language, a figure as written, else –."""
    if isinstance(value, Text):
        return value.get(lang) or "–"
    return "–" if value in (None, "") else str(value)


def _final_text(ctx: _Context, code: str) -> str:
    wording = _wording(ctx, code)
    return wording.text.get(ctx.lang) if wording is not None else ""


def _round_verdicts(ctx: _Context, code: str) -> str:
    """« tour 1 (version 1) : pas de consensus · tour 2 (version 2) : retenu »."""
    parts = []
    versions = {ctx.versions.get((n, code)) for n in ctx.rounds} - {None}
    for n in ctx.rounds:
        item = ctx.verdicts.get((n, code))
        if item is None:
            continue
        verdict = verdict_label(item.verdict, ctx.lang)
        version = ctx.versions.get((n, code))
        if len(versions) > 1 and version is not None:
            parts.append(
                _t(ctx, "pdf.fw.round_verdict_v", round=n, version=version, verdict=verdict)
            )
        else:
            parts.append(_t(ctx, "pdf.fw.round_verdict", round=n, verdict=verdict))
    return " · ".join(parts)


def _votes_text(votes: dict[str, int], lang: str) -> str:
    """``pour 21 · contre 4 · abstention 3``: the fixed counts in their order, then any other."""
    order = [k for k in VOTE_KEYS if k in votes] + [k for k in votes if k not in VOTE_KEYS]
    return " · ".join(f"{vote_label(k, lang)} {votes[k]}" for k in order)


def _decision_lines(ctx: _Context, status: FinalStatus) -> list[str]:
    """The decision with its counts, rationale, the computed verdict and any departure (markup)."""
    lang = ctx.lang
    d: Decision | None = status.decision
    if d is None:
        return [_markup(_t(ctx, "pdf.fw.no_decision"))]
    action = action_label(d.action, lang)
    if d.into:
        action += f", {_t(ctx, 'decision.into', codes=', '.join(d.into))}"
    if d.round is not None:
        line = _t(ctx, "pdf.fw.decision_after", round=d.round, action=action)
    else:
        line = _t(ctx, "pdf.fw.decision", action=action)
    votes = _votes_text(d.votes, lang)
    out = f"<b>{_markup(line)}</b>"
    if votes:
        out += f" — {_markup(votes)}"
    lines = [out]
    if d.rationale:
        lines.append(_markup(_t(ctx, "pdf.fw.rationale", text=d.rationale)))
    item = status.verdict
    computed = (
        _t(ctx, "decision.computed", round=item.round, verdict=verdict_label(item.verdict, lang))
        if item
        else _t(ctx, "decision.computed_none")
    )
    gap = decision_gap(d.action, item.verdict if item else "not rated")
    extra = f"<i>{_markup(computed)}</i>"
    if gap is not None:
        extra += f" — <b>{_markup(gap.render(lang))}</b>"
    lines.append(extra)
    return lines


def _dissent_lines(ctx: _Context, status: FinalStatus) -> list[str]:
    """The minority view that stays on record, from the last round that rated the indicator.

    Low ratings of a kept indicator (high ones of a dropped indicator), the groups
    whose own verdict went the other way, and the one group it was important to.
    """
    item = status.verdict
    if item is None or status.status in ("merged", "split"):
        return []
    n = item.round
    panel = ctx.panel.get((n, status.code), {})
    lang = ctx.lang
    lines: list[str] = []
    against_keep = status.status != "dropped"
    if status.status not in ("deferred", "undecided"):
        low, _, high = ctx.report.scale.bands
        shares = []
        for c in ctx.report.criteria:
            row = panel.get(c.code)
            if row is None or not row.stats.n:
                continue
            pct = row.stats.pct_low if against_keep else row.stats.pct_high
            if pct:
                shares.append(f"{c.label.get(lang) or c.code} {format_percent(pct, lang)}")
        band = band_text(low if against_keep else high)
        if shares:
            key = "pdf.fw.dissent_low" if against_keep else "pdf.fw.dissent_high"
            lines.append(_t(ctx, key, round=n, band=band, shares=", ".join(shares)))
        elif panel:
            key = "pdf.fw.dissent_low_none" if against_keep else "pdf.fw.dissent_high_none"
            lines.append(_t(ctx, key, round=n, band=band))
    opposite = DROP if against_keep else KEEP
    groups: dict[str, list[str]] = defaultdict(list)
    labels = {c.code: c.label.get(lang) or c.code for c in ctx.report.criteria}
    for row in ctx.by_group.get((n, status.code), []):
        if row.verdict == opposite:
            groups[row.group].append(labels.get(row.criterion, row.criterion))
    if groups:
        order = _group_order(ctx.report)
        named = [
            _t(
                ctx,
                "pdf.fw.group_verdict",
                group=group_label(g, lang),
                verdict=verdict_label(opposite, lang),
                criteria=", ".join(groups[g]),
            )
            for g in sorted(groups, key=lambda g: order.index(g) if g in order else len(order))
        ]
        lines.append(_t(ctx, "pdf.fw.dissent_groups", round=n, groups="; ".join(named)))
    if item.important_to:
        lines.append(_t(ctx, "pdf.fw.important", groups=groups_text(item.important_to, lang)))
    return lines


def _chart(ctx: _Context, code: str) -> Flowable:
    """The last round's ratings of one indicator as a tiny bar chart, or a word when not rated."""
    lang = ctx.lang
    last = next((n for n in reversed(ctx.rounds) if (n, code) in ctx.panel), None)
    if last is None:
        return _p(_t(ctx, "pdf.chart.not_rated"), ctx.styles.small)
    panel = ctx.panel[(last, code)]
    rows = []
    for c in ctx.report.criteria:
        row = panel.get(c.code)
        if row is None or not row.stats.n:
            continue
        s = row.stats
        shares = (s.pct_low or 0.0, s.pct_mid or 0.0, s.pct_high or 0.0)
        figures = " · ".join(format_percent(v, lang) for v in shares)
        label = _t(ctx, "pdf.chart.criterion", label=c.label.get(lang) or c.code, n=s.n)
        rows.append((label, *shares, figures))
    if not rows:
        return _p(_t(ctx, "pdf.chart.not_rated"), ctx.styles.small)
    return _classes()[2](_t(ctx, "pdf.chart.title", round=last), rows)


# -- results per round ----------------------------------------------------------------------


def _criterion_cell(row: ResultRow | None, ctx: _Context, width: float) -> Flowable:
    if row is None:
        return "–"
    lang = ctx.lang
    figures = (
        f"{format_number(row.stats.median, lang)} · {format_percent(row.stats.pct_high, lang)}"
    )
    return _fit(f"{figures}\n{verdict_label(row.verdict, lang)}", width, ctx.styles.cell)


def _results(ctx: _Context, number: int) -> list[Flowable]:
    from reportlab.lib import colors

    report, styles, lang = ctx.report, ctx.styles, ctx.lang
    _, _, high = report.scale.bands
    legend = _t(ctx, "pdf.results.legend", high=band_text(high))
    if any(i.important_to for i in report.indicator_results):
        legend += " " + _t(ctx, "pdf.results.important_legend", mark=_IMPORTANT_MARK)
    if any(c.total for c in report.counts):
        legend += " " + _t(ctx, "pdf.counts.legend", mark=COUNTED_MARK)
    flow: list[Flowable] = [
        _heading(ctx, number, "pdf.h.results"),
        _lead(_p(legend, styles.body)),
    ]
    ordered = rated_codes(report)
    n_crit = max(1, len(report.criteria))
    code_w, combined_w = 24 * _MM, 24 * _MM
    crit_w = min(25 * _MM, (ctx.width - code_w - combined_w - 42 * _MM) / n_crit)
    text_w = ctx.width - code_w - combined_w - n_crit * crit_w
    widths = [code_w, text_w, *([crit_w] * n_crit), combined_w]
    previous: int | None = None
    for summary in report.rounds:
        number_r = summary.round.number
        combined = {i.indicator: i.verdict for i in report.indicator_results if i.round == number_r}
        in_round = (
            set(summary.round.indicators)
            | {code for (n, code) in ctx.panel if n == number_r}
            | set(combined)
        )
        codes = [c for c in ordered if c in in_round]
        codes += [c for c in summary.round.indicators if c not in codes]
        # The heading, turnout, participation and stability stay with the table's first rows.
        flow.append(_lead(_p(_t(ctx, "pdf.round_heading", round=number_r), styles.h2)))
        flow.append(
            _lead(
                _p(
                    _t(
                        ctx,
                        "pdf.results.turnout",
                        round=number_r,
                        present=summary.n_present,
                        invited=summary.n_invited,
                        rating=summary.n_rating,
                        ballots=summary.n_ballots,
                        n=len(codes),
                    ),
                    styles.body,
                )
            )
        )
        flow.append(_lead(_p(channels_sentence(report, number_r), styles.body)))
        flow.extend(_lead(t) for t in _participation(ctx, number_r))
        if previous is not None:
            flow.append(_lead(_p(_stability_sentence(ctx, number_r, previous), styles.body)))
        previous = number_r
        header = [
            _p(_t(ctx, "col.code"), styles.header),
            _p(_t(ctx, "col.indicator"), styles.header),
        ]
        for c in report.criteria:
            header.append(
                _para(
                    f"{_markup(c.label.get(lang) or c.code)}<br/>"
                    f"<font size=7>{_markup(_t(ctx, 'col.median'))} · "
                    f"{_markup(_t(ctx, 'col.pct_high'))}</font>",
                    styles.header,
                )
            )
        header.append(_p(_t(ctx, "col.combined"), styles.header))
        rows: list[list[Flowable]] = [header]
        extra: list[tuple[Any, ...]] = []
        important = {
            i.indicator: i.important_to
            for i in report.indicator_results
            if i.round == number_r and i.important_to
        }
        counted: dict[str, list[Count]] = {}
        for count in counts_in(report, number_r):
            if count.total:
                counted.setdefault(count.indicator, []).append(count)
        for code in codes:
            by_criterion = ctx.panel.get((number_r, code), {})
            rated = ctx.versions.get((number_r, code))
            code_text = code
            wording = indicator_text(report, code, rated)
            text_cell: Flowable = _fit(wording, text_w, styles.cell)
            if code in important:
                code_text += f"{_NBSP}{_IMPORTANT_MARK}"
                flag = _t(
                    ctx,
                    "pdf.results.important_to",
                    mark=_IMPORTANT_MARK,
                    groups=groups_text(important[code], lang),
                )
                text_cell = _para(
                    f'{_markup(wording)}<br/><font size="7" color="#444444">{_markup(flag)}</font>',
                    styles.cell,
                )
            if code in counted:
                code_text += f"{_NBSP}{COUNTED_MARK}"
            if rated is not None and rated > 1:
                code_text += f"\n({_t(ctx, 'pdf.version', version=rated)})"
            verdict = combined.get(code, "not rated")
            rows.append(
                [
                    _fit(code_text, code_w, styles.cell),
                    text_cell,
                    *(
                        _criterion_cell(by_criterion.get(c.code), ctx, crit_w)
                        for c in report.criteria
                    ),
                    _fit(verdict_label(verdict, lang), combined_w, styles.header),
                ]
            )
            if verdict in _VERDICT_COLOURS:
                row_index = len(rows) - 1
                extra.append(
                    (
                        "BACKGROUND",
                        (-1, row_index),
                        (-1, row_index),
                        colors.HexColor(_VERDICT_COLOURS[verdict]),
                    )
                )
        extra.append(("FONT", (-1, 1), (-1, -1), FONT_BOLD, 8, 10))
        flow.append(_table(rows, widths=widths, extra_style=extra))
        if counted:
            flow.append(_p(_counted_note(ctx, counted, codes), styles.small))
    flow.extend(_lineage_table(ctx))
    return flow


def _counted_note(ctx: _Context, counted: dict[str, list[Count]], order: list[str]) -> str:
    """Below a round's table: which results rest partly on cards counted in plenary."""
    separator = _t(ctx, "channels.list_separator")
    items = separator.join(
        _t(ctx, "pdf.counts.item", indicator=code, detail=counted_detail(ctx.report, counted[code]))
        for code in [c for c in order if c in counted] + [c for c in counted if c not in order]
    )
    return _t(ctx, "pdf.counts.note", mark=COUNTED_MARK, items=items)


def _participation(ctx: _Context, number: int) -> list[Flowable]:
    """Invited, present and rating by group for one round, the whole panel last in bold.

    Why per group: a group that stopped rating changes what "consensus" means, and the
    reader must see it beside the results it affects.
    """
    from reportlab.lib import colors

    report, styles = ctx.report, ctx.styles
    rows_in = [a for a in report.attrition if a.round == number]
    if not rows_in:
        return []
    order = _group_order(report)

    def place(group: str) -> tuple[int, int, str]:
        if group == ALL_GROUPS:
            return (2, 0, group)
        return (0, order.index(group), group) if group in order else (1, 0, group)

    header = [_p(_t(ctx, "col.group_rating"), styles.header)]
    header += [
        _p(_t(ctx, key), styles.header_right)
        for key in ("col.invited", "col.n_present", "col.rating")
    ]
    rows: list[list[Flowable]] = [header]
    extra: list[tuple[Any, ...]] = []
    for a in sorted(rows_in, key=lambda a: place(a.group)):
        is_total = a.group == ALL_GROUPS
        style = styles.header if is_total else styles.cell
        figure = styles.header_right if is_total else styles.cell_right
        label = _t(ctx, "pdf.participation.total") if is_total else group_label(a.group, ctx.lang)
        rows.append(
            [_p(label, style), *(_p(str(v), figure) for v in (a.invited, a.present, a.rating))]
        )
        if is_total:
            last = len(rows) - 1
            extra.append(("LINEABOVE", (0, last), (-1, last), 0.9, colors.HexColor("#555555")))
    number_w = 22 * _MM
    table = _table(rows, widths=[56 * _MM, number_w, number_w, number_w], extra_style=extra)
    return [table]


def _stability_sentence(ctx: _Context, number: int, previous: int) -> str:
    """Share of whole-panel results that stayed stable since the previous round."""
    report, lang = ctx.report, ctx.lang
    rows = [
        s.stability
        for s in report.stability
        if s.round == number and s.group == ALL_GROUPS and s.stability.stable is not None
    ]
    previous_rounds = {s.previous_round for s in report.stability if s.round == number}
    if len(previous_rounds) == 1:
        previous = previous_rounds.pop()
    if not rows:
        return _t(ctx, "pdf.results.stability_none", previous=previous)
    stable = sum(1 for s in rows if s.stable)
    return _t(
        ctx,
        "pdf.results.stability",
        previous=previous,
        stable=stable,
        total=len(rows),
        pct=format_percent(100.0 * stable / len(rows), lang),
        threshold=format_number(report.rule.stability_pct, lang),
    )


def _lineage_table(ctx: _Context) -> list[Flowable]:
    """How the framework changed between rounds: original → revised wording, and who rated which.

    Why in the minutes: a reader of the validated framework must be able to tell which
    wording each figure is about, and why the room changed it.
    """
    styles = ctx.styles
    rows_data = ctx.lineage
    if not rows_data:
        return []
    flow: list[Flowable] = [
        _p(_t(ctx, "pdf.h.lineage"), styles.h2),
        _lead(_p(_t(ctx, "pdf.lineage.intro"), styles.body)),
    ]
    rows: list[list[Flowable]] = [
        [
            _p(_t(ctx, k), styles.header)
            for k in ("col.indicator", "col.change", "col.before", "col.after", "col.rationale")
        ]
    ]
    for row in rows_data:
        change = f"{_markup(row.change)}"
        if row.rated:
            change += f'<br/><font size="7">{_markup(row.rated)}</font>'
        rows.append(
            [
                _para(f"<b>{_markup(row.code)}</b>", styles.cell),
                _para(change, styles.cell),
                _para(_markup(row.before) or "–", styles.cell),
                _para(_markup(row.after) or "–", styles.cell),
                _p(row.reason or "–", styles.cell),
            ]
        )
    widths = [22 * _MM, 34 * _MM, 46 * _MM, 46 * _MM, 30 * _MM]
    scale = ctx.width / sum(widths)
    flow.append(_table(rows, widths=[w * scale for w in widths]))
    return flow


# -- comments -------------------------------------------------------------------------------


def _comments(ctx: _Context, number: int) -> list[Flowable]:
    """Comments by indicator and round, each block a table whose heading repeats on a new page."""
    report, styles, lang = ctx.report, ctx.styles, ctx.lang
    flow: list[Flowable] = [_heading(ctx, number, "pdf.h.comments")]
    if not report.comments:
        flow.append(_p(_t(ctx, "pdf.comments.none"), styles.body))
        return flow
    intro = "pdf.comments.intro_named" if report.show_names else "pdf.comments.intro"
    # Comments of small groups come under the pool, or under no group: say so here.
    pooled = report.disclosure.notes(lang)[1:] if report.disclosure.active else []
    flow.append(_lead(_p(" ".join([_t(ctx, intro), *pooled]), styles.body)))
    order = {code: i for i, code in enumerate(rated_codes(report))}
    groups = _group_order(report)

    def group_place(group: str) -> int:
        return groups.index(group) if group in groups else len(groups)

    colon = f"{_NBSP}:" if lang == "fr" else ":"
    blocks: dict[tuple[str, int], list[Any]] = defaultdict(list)
    for c in report.comments:
        blocks[(c.indicator, c.round)].append(c)

    def who(c: Any) -> str:
        label = group_label(c.group, lang)
        return f"{c.participant}, {label}{colon}" if report.show_names else f"{label}{colon}"

    # Who spoke in a narrow column of its own, the comment beside it: read as a transcript.
    from reportlab.pdfbase.pdfmetrics import stringWidth

    who_w = min(
        56 * _MM, max(stringWidth(_plain(who(c)), FONT_BOLD, 9) for c in report.comments) + 8
    )
    text_w = ctx.width - who_w
    keys = sorted(blocks, key=lambda k: (order.get(k[0], len(order)), k[0], k[1]))
    for code, round_no in keys:
        heading = _t(ctx, "pdf.comments.heading", indicator=code, round=round_no)
        text = indicator_text(report, code, ctx.versions.get((round_no, code)))
        if text:
            heading = f"{heading}{colon} {text}"
        rows: list[list[Flowable]] = [[_p(heading, styles.h3), ""]]
        for c in sorted(blocks[(code, round_no)], key=lambda c: group_place(c.group)):
            rows.append([_fit(who(c), who_w, styles.note_bold), _fit(c.text, text_w, styles.note)])
        flow.append(
            _table(
                rows,
                widths=[who_w, text_w],
                grid=False,
                extra_style=[
                    ("SPAN", (0, 0), (-1, 0)),
                    ("FONT", (0, 1), (0, -1), FONT_BOLD, 9, 12),
                    ("FONT", (1, 1), (1, -1), FONT, 9, 12),
                    ("LEFTPADDING", (0, 0), (0, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, 0), 6),
                    ("TOPPADDING", (0, 1), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ],
            )
        )
    return flow


# -- the secretariat's sections (Markdown) --------------------------------------------------


def _written(ctx: _Context, number: int, key: str, text: str | None) -> list[Flowable]:
    return [_heading(ctx, number, key), *_markdown(ctx, text or "")]


def _markdown(ctx: _Context, text: str) -> list[Flowable]:
    """The secretariat's Markdown as paragraphs, headings, lists, quotes and tables.

    Why markdown-it-py: a CommonMark parser gets right what a home-made subset gets
    wrong (nested lists, ``**`` inside words, escapes, numbered lists from 3); it is
    already installed with rich.  Raw HTML is off and shown as typed; images show
    their description (the minutes never open a path a text names); a link shows its
    address after its words, for the printed copy.
    """
    from markdown_it import MarkdownIt
    from reportlab.lib.colors import HexColor
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import HRFlowable

    styles = ctx.styles
    tokens = MarkdownIt("commonmark", {"html": False}).enable("table").parse(text)
    flow: list[Flowable] = []
    lists: list[int | None] = []
    bullet: str | None = None
    item_paragraphs = 0
    quote = 0
    heading: Any = None
    table: list[list[Flowable]] | None = None
    row: list[Flowable] = []
    in_header = False

    def list_style(depth: int, indent: int) -> Any:
        return ParagraphStyle(
            f"md-list-{depth}-{indent}",
            parent=styles.body,
            leftIndent=14 * depth + 12 * indent,
            bulletIndent=14 * (depth - 1) + 12 * indent + 2,
            bulletFontName=FONT,
            spaceAfter=2,
        )

    for token in tokens:
        kind = token.type
        if kind == "heading_open":
            heading = styles.h2 if token.tag in ("h1", "h2") else styles.h3
        elif kind == "heading_close":
            heading = None
        elif kind == "bullet_list_open":
            lists.append(None)
        elif kind == "ordered_list_open":
            lists.append(int(token.attrGet("start") or 1))
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "list_item_open":
            counter = lists[-1]
            if counter is None:
                bullet = "•"
            else:
                bullet = f"{counter}."
                lists[-1] = counter + 1
            item_paragraphs = 0
        elif kind == "blockquote_open":
            quote += 1
        elif kind == "blockquote_close":
            quote -= 1
        elif kind == "table_open":
            table = []
        elif kind == "thead_open":
            in_header = True
        elif kind == "thead_close":
            in_header = False
        elif kind == "tr_open":
            row = []
        elif kind == "tr_close" and table is not None:
            table.append(row)
        elif kind == "table_close" and table:
            flow.append(_markdown_table(ctx, table))
            table = None
        elif kind == "hr":
            flow.append(HRFlowable(width="100%", thickness=0.5, color=HexColor(_GRID_COLOUR)))
        elif kind in ("fence", "code_block"):
            flow.append(_p(token.content.rstrip("\n"), styles.code))
        elif kind == "inline":
            markup = _inline_markup(token.children or [])
            if table is not None:
                row.append(_para(markup, styles.header if in_header else styles.cell))
            elif heading is not None:
                flow.append(_para(markup, heading))
            elif lists:
                style = list_style(len(lists), quote)
                mark = bullet if item_paragraphs == 0 else None
                flow.append(_para_bullet(markup, style, mark))
                item_paragraphs += 1
            elif quote:
                flow.append(_para(markup, list_style(0, quote)))
            else:
                flow.append(_para(markup, styles.body))
    return flow


def _para_bullet(markup: str, style: Any, bullet: str | None) -> Flowable:
    from reportlab.platypus import Paragraph

    return Paragraph(markup, style, bulletText=bullet)


_INLINE_TAGS = {
    "hardbreak": "<br/>",
    "strong_open": "<b>",
    "strong_close": "</b>",
    "em_open": "<i>",
    "em_close": "</i>",
}
"""Markdown's inline tokens and the reportlab markup each becomes."""


def _inline_markup(children: list[Any]) -> str:
    """Inline Markdown tokens as reportlab markup; every piece of text is escaped."""
    out: list[str] = []
    links: list[str] = []
    for child in children:
        kind = child.type
        if kind == "text":
            out.append(_markup(child.content))
        elif kind == "softbreak":
            out.append(" ")
        elif kind in _INLINE_TAGS:
            out.append(_INLINE_TAGS[kind])
        elif kind == "code_inline":
            out.append(_markup(child.content))
        elif kind == "link_open":
            links.append(str(child.attrGet("href") or ""))
        elif kind == "link_close":
            href = links.pop() if links else ""
            if href and not href.startswith("#"):
                out.append(f" ({_markup(href)})")
        elif kind == "image":
            out.append(_markup(child.content or ""))
        else:
            out.append(_markup(child.content or ""))
    return "".join(out)


def _markdown_table(ctx: _Context, rows: list[list[Flowable]]) -> Flowable:
    """A Markdown table at the page's width, columns sized by the length of what they hold."""
    n = max(len(r) for r in rows)
    rows = [r + [_p("", ctx.styles.cell)] * (n - len(r)) for r in rows]
    lengths = [max(8, min(60, max(len(r[i].getPlainText()) for r in rows))) for i in range(n)]
    total = sum(lengths)
    return _table(rows, widths=[ctx.width * w / total for w in lengths])


# -- next steps, signatures -----------------------------------------------------------------


def _next_steps(ctx: _Context, number: int, text: str | None) -> list[Flowable]:
    styles = ctx.styles
    if text is not None:
        return _written(ctx, number, "pdf.h.next", text)
    header = [
        _p(_t(ctx, k), styles.header)
        for k in ("pdf.next.action", "pdf.next.responsible", "pdf.next.deadline")
    ]
    rows: list[list[Flowable]] = [header] + [["", "", ""] for _ in range(5)]
    table = _table(
        rows,
        widths=[ctx.width * 0.6, ctx.width * 0.25, ctx.width * 0.15],
        row_heights=[None, *([9 * _MM] * 5)],  # room to write by hand
    )
    return [
        _heading(ctx, number, "pdf.h.next"),
        _lead(_p(_t(ctx, "pdf.next.intro"), styles.body)),
        table,
    ]


def _signatures(ctx: _Context, number: int) -> list[Flowable]:
    """Rapporteur and chair side by side, their names printed when the details give them."""
    from reportlab.lib import colors
    from reportlab.platypus import KeepTogether, Table, TableStyle

    styles, details = ctx.styles, ctx.report.details
    column = (ctx.width - 10 * _MM) / 2
    line = colors.HexColor("#555555")

    def named(name: str) -> Flowable:
        label = _markup(_t(ctx, "pdf.sign.name"))
        return _para(f"{label} <b>{_markup(name)}</b>" if name else label, styles.body)

    def label(key: str) -> Flowable:
        return _p(_t(ctx, key), styles.body)

    rows = [
        [
            _p(_t(ctx, "pdf.sign.rapporteur"), styles.h2),
            "",
            _p(_t(ctx, "pdf.sign.chair"), styles.h2),
        ],
        [named(details.rapporteur), "", named(details.chair)],
        [label("pdf.sign.date"), "", label("pdf.sign.date")],
        [label("pdf.sign.signature"), "", label("pdf.sign.signature")],
        ["", "", ""],
    ]
    table = Table(
        rows,
        colWidths=[column, 10 * _MM, column],
        rowHeights=[None, None, 10 * _MM, None, 28 * _MM],
        hAlign="LEFT",
        style=TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("TOPPADDING", (0, 1), (-1, 1), 8),
                ("LINEBELOW", (0, 1), (0, 2), 0.5, line),
                ("LINEBELOW", (2, 1), (2, 2), 0.5, line),
                ("BOX", (0, 4), (0, 4), 0.8, line),
                ("BOX", (2, 4), (2, 4), 0.8, line),
            ]
        ),
    )
    return [KeepTogether([_heading(ctx, number, "pdf.h.signatures"), table])]


# -- annex ----------------------------------------------------------------------------------


def _annex(ctx: _Context) -> list[Flowable]:
    """Every whole-panel figure, one table per round: what a statistician checks the verdicts by.

    Why plain strings in most cells: a national session gives hundreds of rows, and a
    string cell costs a fraction of a paragraph; columns are measured so nothing is cut.
    """
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase.pdfmetrics import stringWidth

    report, styles, lang = ctx.report, ctx.styles, ctx.lang
    names = _band_names(ctx)
    flow: list[Flowable] = [
        _p(_t(ctx, "pdf.h.annex"), styles.h1),
        _p(_t(ctx, "pdf.annex.intro"), styles.body),
        _p(_t(ctx, "pdf.annex.legend"), styles.note),
    ]
    size = 7.0
    header_style = ParagraphStyle("annex-header", parent=styles.header, fontSize=size, leading=9)
    headers = [
        _t(ctx, "col.code"),
        _t(ctx, "col.criterion"),
        "n",
        _t(ctx, "pdf.annex.col.cannot_judge"),
        _t(ctx, "pdf.annex.col.median"),
        "Q1–Q3",
        "P30–P70",
        "IPR",
        "IPRAS",
        _t(ctx, "pdf.annex.col.disagreement"),
        *(f"%{_NBSP}{name}" for name in names),
        _t(ctx, "col.verdict"),
    ]
    order = rated_codes(report)
    labels = {c.code: c.label.get(lang) or c.code for c in report.criteria}
    criteria = [c.code for c in report.criteria]

    def n(value: float | None, digits: int = 1) -> str:
        return format_number(value, lang, digits=digits)

    for summary in report.rounds:
        number = summary.round.number
        body: list[list[str]] = []
        for code in order:
            panel = ctx.panel.get((number, code))
            if not panel:
                continue
            version = ctx.versions.get((number, code), 1)
            shown = f"{code} (v{version})" if version > 1 else code
            for criterion in [*criteria, *sorted(set(panel) - set(criteria))]:
                row = panel.get(criterion)
                if row is None:
                    continue
                s = row.stats
                body.append(
                    [
                        shown,
                        labels.get(criterion, criterion),
                        str(s.n),
                        str(s.n_cannot_judge),
                        n(s.median),
                        f"{n(s.q1)}–{n(s.q3)}",
                        f"{n(s.p30)}–{n(s.p70)}",
                        n(s.ipr, 2),
                        n(s.ipras, 2),
                        "–" if s.disagreement is None else yes_no(s.disagreement, lang),
                        n(s.pct_low, 0),
                        n(s.pct_mid, 0),
                        n(s.pct_high, 0),
                        verdict_label(row.verdict, lang),
                    ]
                )
        if not body:
            continue
        # Figures never wrap, so each column is as wide as its widest figure; headers are
        # paragraphs and wrap, down to their longest word.
        widths = [
            max(
                max(stringWidth(cell, FONT, size) for cell in column),
                max(stringWidth(word, FONT_BOLD, size) for word in heading.split(" ")),
            )
            + 7
            for column, heading in zip(zip(*body, strict=True), headers, strict=True)
        ]
        spare = ctx.width - sum(widths)
        if spare > 0:  # the table at the page's width, the room shared out evenly
            widths = [w + spare / len(widths) for w in widths]
        header_row = [_p(h, header_style) for h in headers]
        rows: list[list[Any]] = [header_row, *body]
        flow.append(_lead(_p(_t(ctx, "pdf.round_heading", round=number), styles.h2)))
        flow.append(
            _table(
                rows,
                widths=widths,
                extra_style=[
                    ("FONT", (0, 1), (-1, -1), FONT, size),
                    ("ALIGN", (2, 1), (-2, -1), "RIGHT"),
                    ("TOPPADDING", (0, 1), (-1, -1), 1),
                    ("BOTTOMPADDING", (0, 1), (-1, -1), 2),
                ],
            )
        )
    return flow


# -- pages ----------------------------------------------------------------------------------


def _numbered_canvas(ctx: _Context) -> Callable[..., Any]:
    """A canvas class that knows the page count before drawing footers ("page X / Y").

    Why: reportlab draws each page as it goes, so the total is only known at the end;
    pages are kept and their header and footer drawn on save (the usual two-pass
    recipe).  The cover has no running header.
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen.canvas import Canvas

    width = A4[0] - 40 * _MM
    header = _t(ctx, "pdf.header", title=_t(ctx, "pdf.title"), workshop=ctx.workshop_title)
    if stringWidth(header, FONT, 7.5) > width:  # a long title: the session names the workshop
        header = _t(ctx, "pdf.header", title=_t(ctx, "pdf.title"), workshop=ctx.report.session)

    def footer(page: int, pages: int) -> str:
        return _t(ctx, "pdf.footer", session=ctx.report.session, page=page, pages=pages)

    class NumberedCanvas(Canvas):  # type: ignore[misc]  # reportlab is untyped
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self.setFillColorRGB(0.3, 0.3, 0.3)
                self.setStrokeColorRGB(0.6, 0.6, 0.6)
                self.setLineWidth(0.4)
                if number > 1:
                    self.setFont(FONT, 7.5)
                    self.drawString(20 * _MM, A4[1] - 12 * _MM, header)
                    self.line(20 * _MM, A4[1] - 13.5 * _MM, A4[0] - 20 * _MM, A4[1] - 13.5 * _MM)
                self.setFont(FONT, 8)
                self.line(20 * _MM, 14 * _MM, A4[0] - 20 * _MM, 14 * _MM)
                self.drawCentredString(A4[0] / 2, 9 * _MM, footer(number, total))
                super().showPage()
            super().save()

    return NumberedCanvas
