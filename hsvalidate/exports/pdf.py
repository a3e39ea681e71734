"""The PDF minutes (procès-verbal) of a validation session, ready to sign; the only reportlab user.

Why these choices:
- reportlab is imported inside functions, so ``hsvalidate --help`` does not pay ~150 ms.
- DejaVu Sans is embedded because the standard PDF fonts print ɛ ɔ ɲ ŋ as black boxes.
- Every piece of user text goes through ``_markup`` (control characters removed, then
  ``xml.sax.saxutils.escape``): reportlab's Paragraph parses markup, and an unescaped
  ``a < b`` aborts the whole export while ``AT&T`` prints wrongly.
- The minutes name the participants (attendance list) but never print their codes
  unless ``report.show_names``: codes sit beside every rating in the workbook, so a
  name beside a code here would de-anonymise the ratings.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
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
    groups_text,
    indicator_text,
    ipras_adaptation,
    lineage_rows,
    present_count,
    rated_codes,
    rated_version,
    rule_details,
    rule_text,
    scale_text,
    session_dates,
)
from hsvalidate.fileio import atomic_path
from hsvalidate.i18n.documents import (
    action_label,
    doc_text,
    format_date,
    format_number,
    format_percent,
    group_label,
    verdict_label,
    vote_label,
    yes_no,
)
from hsvalidate.model import (
    VOTE_KEYS,
    Participant,
    criteria_set_name,
    current_decisions,
    decision_gap,
)
from hsvalidate.report import ALL_GROUPS, Report, ResultRow
from hsvalidate.resources import template_path

Flowable = Any
"""A reportlab flowable (reportlab ships no type hints)."""

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SHORT_TEXT = 160
_MM = 72 / 25.4

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


def write_minutes(report: Report, path: Path) -> None:
    """Write the minutes in ``report.lang``; on any failure the previous file is left as it was."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate

    _register_fonts()
    styles = _make_styles()
    margin = 20 * _MM
    width = A4[0] - 2 * margin
    story = _story(report, styles, width)
    with atomic_path(Path(path)) as tmp:
        doc = SimpleDocTemplate(
            str(tmp),
            pagesize=A4,
            leftMargin=margin,
            rightMargin=margin,
            topMargin=18 * _MM,
            bottomMargin=20 * _MM,
            title=f"{doc_text('pdf.title', report.lang)} — {report.session}",
            author="hsvalidate",
            subject=report.framework.title.get(report.lang),
            lang=report.lang,
            initialFontName=FONT,
        )
        doc.build(story, canvasmaker=_numbered_canvas(report))


def _register_fonts() -> None:
    """Register DejaVu Sans once per process, with its bold face as a family for ``<b>``."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    pdfmetrics.registerFont(TTFont(FONT, str(template_path("fonts/DejaVuSans.ttf"))))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(template_path("fonts/DejaVuSans-Bold.ttf"))))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD
    )


@dataclass(frozen=True)
class _Styles:
    """Paragraph styles of the minutes (reportlab ``ParagraphStyle`` objects)."""

    title: Any
    subtitle: Any
    h1: Any
    h2: Any
    h3: Any
    body: Any
    note: Any
    cell: Any
    header: Any
    footer_size: float = 8


def _make_styles() -> _Styles:
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.styles import ParagraphStyle

    body = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=12.5, spaceAfter=4)
    return _Styles(
        title=ParagraphStyle(
            "title", parent=body, fontName=FONT_BOLD, fontSize=17, leading=21,
            alignment=TA_CENTER, spaceAfter=6,
        ),
        subtitle=ParagraphStyle(
            "subtitle", parent=body, fontName=FONT_BOLD, fontSize=13, leading=17,
            alignment=TA_CENTER, spaceAfter=10,
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
        cell=ParagraphStyle("cell", parent=body, fontSize=8, leading=10, spaceAfter=0),
        header=ParagraphStyle(
            "header", parent=body, fontName=FONT_BOLD, fontSize=8, leading=10, spaceAfter=0
        ),
    )  # fmt: skip


def _markup(text: str) -> str:
    """User text made safe for a Paragraph: no control characters, markup escaped, lines kept."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return escape(_CONTROL.sub("", text)).replace("\n", "<br/>")


def _shorten(text: str, limit: int = _SHORT_TEXT) -> str:
    """Cut long statements at a word so a results row stays readable; the workbook has them whole."""
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"


def _story(report: Report, styles: _Styles, width: float) -> list[Flowable]:
    return [
        *_title_block(report, styles, width),
        *_attendance(report, styles, width),
        *_method(report, styles, width),
        *_results(report, styles, width),
        *_lineage(report, styles, width),
        *_decisions(report, styles, width),
        *_comments(report, styles),
        *_next_steps(report, styles, width),
        *_signatures(report, styles, width),
    ]


def _p(text: str, style: Any) -> Flowable:
    """A paragraph of plain text (escaped here); use ``_para`` for markup built from ``_markup``."""
    from reportlab.platypus import Paragraph

    return Paragraph(_markup(text), style)


def _para(markup: str, style: Any) -> Flowable:
    from reportlab.platypus import Paragraph

    return Paragraph(markup, style)


def _table(
    rows: Sequence[Sequence[Flowable]],
    *,
    widths: Sequence[float],
    extra_style: Sequence[tuple[Any, ...]] = (),
    header: bool = True,
    row_heights: Sequence[float | None] | None = None,
) -> Flowable:
    """A wrapped table whose header row repeats on every page it spans."""
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    style: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor(_GRID_COLOUR)),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(_HEADER_COLOUR)))
    style.extend(extra_style)
    return Table(
        [list(r) for r in rows],
        colWidths=list(widths),
        rowHeights=list(row_heights) if row_heights is not None else None,
        repeatRows=1 if header else 0,
        style=TableStyle(style),
        hAlign="LEFT",
        spaceBefore=2,
        spaceAfter=6,
    )


def _t(report: Report, key: str, **values: object) -> str:
    return doc_text(key, report.lang, **values)


def _title_block(report: Report, styles: _Styles, width: float) -> list[Flowable]:
    from reportlab.lib import colors
    from reportlab.platypus import HRFlowable, Spacer

    lang = report.lang
    flow: list[Flowable] = [
        Spacer(1, 6 * _MM),
        _p(report.framework.title.get(lang), styles.title),
        _p(_t(report, "pdf.title"), styles.subtitle),
        _p(_t(report, "pdf.subject"), styles.body),
        _p(_t(report, "pdf.session", session=report.session), styles.body),
        _p(_t(report, "pdf.dates", dates=session_dates(report)), styles.body),
        _p(_t(report, "pdf.generated", when=format_date(report.generated_at, lang)), styles.body),
    ]
    if report.framework.notes:
        note = _p(
            _t(report, "pdf.illustrative", note=report.framework.notes.get(lang)), styles.note
        )
        flow.append(
            _table(
                [[note]],
                widths=[width],
                header=False,
                extra_style=[
                    ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#FFF6DA")),
                    ("GRID", (0, 0), (-1, -1), 0.6, colors.HexColor("#C9A227")),
                    ("TOPPADDING", (0, 0), (-1, -1), 5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                    ("LEFTPADDING", (0, 0), (-1, -1), 6),
                ],
            )
        )
    flow.append(HRFlowable(width="100%", thickness=0.8, color=colors.HexColor(_GRID_COLOUR)))
    return flow


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


def _attendance(report: Report, styles: _Styles, width: float) -> list[Flowable]:
    lang = report.lang
    order = _group_order(report)
    present = Counter(p.group for p in report.participants if p.present)
    by_group = ", ".join(f"{group_label(g, lang)} {present.get(g, 0)}" for g in order)
    flow: list[Flowable] = [
        _p(_t(report, "pdf.h.attendance"), styles.h1),
        _p(
            _t(
                report,
                "pdf.attendance.summary",
                present=sum(present.values()),
                invited=len(report.participants),
                by_group=by_group,
            ),
            styles.body,
        ),
    ]
    notes = {p.code: _attendance_notes(report, p) for p in report.participants}
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
    scale = width / sum(widths)
    rows: list[list[Flowable]] = [[_p(_t(report, k), styles.header) for k in keys]]
    people = sorted(report.participants, key=lambda p: (order.index(p.group), _name_key(p.name)))
    for p in people:
        cells = [p.name, p.organisation, group_label(p.group, lang), p.sex, yes_no(p.present, lang)]
        if by_round:
            cells.append("\n".join(notes[p.code]))
        if report.show_names:
            cells.insert(0, p.code)
        rows.append([_p(c, styles.cell) for c in cells])
    flow.append(_table(rows, widths=[w * scale for w in widths]))
    if any(not p.present for p in report.participants):
        flow.append(_p(_t(report, "pdf.attendance.absent"), styles.note))
    if by_round:
        flow.append(_p(_t(report, "pdf.attendance.rounds_note"), styles.note))
    return flow


def _attendance_notes(report: Report, person: Participant) -> list[str]:
    """What sets a participant apart from the "present" column, round by round, then withdrawal.

    Only departures are written, so the table stays light for the many who attended
    every round.  Nouns (« absence », « départ anticipé », « retrait ») rather than
    participles: the minutes name people, and a participle would have to agree with
    each one.
    """
    numbers = sorted(r.round.number for r in report.rounds)
    usual = "present" if person.present else "absent"
    start = person.withdrawn_from
    notes = [
        _t(report, f"pdf.attendance.round.{status}", round=number)
        for number in numbers
        if start is None or number < start
        for status in [person.presence_in(number)]
        if status != usual
    ]
    if start is not None:
        if numbers and start > numbers[-1]:
            notes.append(_t(report, "pdf.attendance.withdrawn_after", round=numbers[-1]))
        else:
            notes.append(_t(report, "pdf.attendance.withdrawn_from", round=start))
    return notes


def _method(report: Report, styles: _Styles, width: float) -> list[Flowable]:
    lang = report.lang
    base, slope = ipras_constants(report.scale)
    if report.percentile_method == PERCENTILE_METHOD:
        percentiles = _t(report, "pdf.method.percentiles", method=_t(report, "percentile.method"))
    else:  # a method we cannot describe in French: print it exactly as recorded
        percentiles = _t(report, "pdf.method.percentiles_other", method=report.percentile_method)
    # The scale's words get a column only when some criterion has its own, so the minutes
    # of a session on the generic words read as they always have.
    anchored = any(c.has_anchors for c in report.criteria)
    criteria_rows: list[list[Flowable]] = [
        [
            _p(_t(report, "col.criterion"), styles.header),
            _p(_t(report, "col.question"), styles.header),
            *([_p(_t(report, "criteria_set.col.anchors"), styles.header)] if anchored else []),
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
    criteria_widths = [label_width, width - label_width - anchors_width]
    if anchored:
        criteria_widths.append(anchors_width)
    return [
        _p(_t(report, "pdf.h.method"), styles.h1),
        _p(_t(report, "pdf.method.intro"), styles.body),
        _p(_t(report, "pdf.method.scale", scale=scale_text(report.scale, lang)), styles.body),
        _p(_t(report, "pdf.method.criteria"), styles.body),
        _p(
            _t(report, "criteria_set.method", name=criteria_set_name(report.criteria, lang)),
            styles.body,
        ),
        _table(criteria_rows, widths=criteria_widths),
        _p(
            _t(report, "pdf.method.rule", rule=rule_text(report.rule, report.scale, lang)),
            styles.body,
        ),
        *(
            _p(sentence, styles.body)
            for sentence in rule_details(
                report.rule, report.scale, lang, present=present_count(report)
            )
        ),
        _p(_t(report, "pdf.method.combined"), styles.body),
        _p(percentiles, styles.body),
        _p(
            " ".join(
                filter(
                    None,
                    [
                        _t(
                            report,
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


def _criterion_cell(row: ResultRow | None, report: Report, styles: _Styles) -> Flowable:
    if row is None:
        return _p("–", styles.cell)
    lang = report.lang
    figures = (
        f"{format_number(row.stats.median, lang)} · {format_percent(row.stats.pct_high, lang)}"
    )
    return _para(f"{_markup(figures)}<br/>{_markup(verdict_label(row.verdict, lang))}", styles.cell)


def _results(report: Report, styles: _Styles, width: float) -> list[Flowable]:
    from reportlab.lib import colors
    from reportlab.platypus import KeepTogether

    lang = report.lang
    _, _, high = report.scale.bands
    legend = _t(report, "pdf.results.legend", high=band_text(high))
    if any(i.important_to for i in report.indicator_results):
        legend += " " + _t(report, "pdf.results.important_legend", mark=_IMPORTANT_MARK)
    flow: list[Flowable] = [
        _p(_t(report, "pdf.h.results"), styles.h1),
        _p(legend, styles.body),
    ]
    ordered = rated_codes(report)
    n_crit = max(1, len(report.criteria))
    code_w, combined_w = 24 * _MM, 24 * _MM
    crit_w = min(25 * _MM, (width - code_w - combined_w - 42 * _MM) / n_crit)
    text_w = width - code_w - combined_w - n_crit * crit_w
    widths = [code_w, text_w, *([crit_w] * n_crit), combined_w]
    previous: int | None = None
    for summary in report.rounds:
        number = summary.round.number
        results = [r for r in report.results if r.round == number and r.group == ALL_GROUPS]
        combined = {i.indicator: i.verdict for i in report.indicator_results if i.round == number}
        in_round = set(summary.round.indicators) | {r.indicator for r in results} | set(combined)
        codes = [c for c in ordered if c in in_round]
        codes += [c for c in summary.round.indicators if c not in codes]
        # The heading, turnout and stability stay on one page with the participation table.
        opening: list[Flowable] = [_p(_t(report, "pdf.round_heading", round=number), styles.h2)]
        opening.append(
            _p(
                _t(
                    report,
                    "pdf.results.turnout",
                    round=number,
                    present=summary.n_present,
                    invited=summary.n_invited,
                    rating=summary.n_rating,
                    ballots=summary.n_ballots,
                    n=len(codes),
                ),
                styles.body,
            )
        )
        opening.extend(_participation(report, styles, number))
        if previous is not None:
            opening.append(_p(_stability_sentence(report, number, previous), styles.body))
        flow.append(KeepTogether(opening))
        previous = number
        header = [
            _p(_t(report, "col.code"), styles.header),
            _p(_t(report, "col.indicator"), styles.header),
        ]
        for c in report.criteria:
            header.append(
                _para(
                    f"{_markup(c.label.get(lang) or c.code)}<br/>"
                    f"<font size=7>{_markup(_t(report, 'col.median'))} · "
                    f"{_markup(_t(report, 'col.pct_high'))}</font>",
                    styles.header,
                )
            )
        header.append(_p(_t(report, "col.combined"), styles.header))
        rows: list[list[Flowable]] = [header]
        extra: list[tuple[Any, ...]] = []
        important = {
            i.indicator: i.important_to
            for i in report.indicator_results
            if i.round == number and i.important_to
        }
        for code in codes:
            by_criterion = {r.criterion: r for r in results if r.indicator == code}
            versions = sorted({r.version for r in by_criterion.values()})
            code_markup = _markup(code)
            rated = versions[-1] if versions else None
            text_markup = _markup(_shorten(indicator_text(report, code, rated)))
            if code in important:
                code_markup += f"\u00a0{_IMPORTANT_MARK}"
                flag = _t(
                    report,
                    "pdf.results.important_to",
                    mark=_IMPORTANT_MARK,
                    groups=groups_text(important[code], lang),
                )
                text_markup += f'<br/><font size="7" color="#444444">{_markup(flag)}</font>'
            if versions and versions[-1] > 1:
                code_markup += f"<br/>({_markup(_t(report, 'pdf.version', version=versions[-1]))})"
            verdict = combined.get(code, "not rated")
            rows.append(
                [
                    _para(code_markup, styles.cell),
                    _para(text_markup, styles.cell),
                    *(
                        _criterion_cell(by_criterion.get(c.code), report, styles)
                        for c in report.criteria
                    ),
                    _p(verdict_label(verdict, lang), styles.header),
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
        flow.append(_table(rows, widths=widths, extra_style=extra))
    return flow


def _participation(report: Report, styles: _Styles, number: int) -> list[Flowable]:
    """Invited, present and rating by group for one round, the whole panel last in bold.

    Why per group: a group that stopped rating changes what "consensus" means, and the
    reader must see it beside the results it affects.
    """
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    rows_in = [a for a in report.attrition if a.round == number]
    if not rows_in:
        return []
    order = _group_order(report)

    def place(group: str) -> tuple[int, int, str]:
        if group == ALL_GROUPS:
            return (2, 0, group)
        return (0, order.index(group), group) if group in order else (1, 0, group)

    figures = {
        style.name: ParagraphStyle(f"{style.name}-right", parent=style, alignment=TA_RIGHT)
        for style in (styles.header, styles.cell)
    }
    header = [_p(_t(report, "col.group_rating"), styles.header)]
    header += [
        _p(_t(report, key), figures[styles.header.name])
        for key in ("col.invited", "col.n_present", "col.rating")
    ]
    rows: list[list[Flowable]] = [header]
    extra: list[tuple[Any, ...]] = []
    for a in sorted(rows_in, key=lambda a: place(a.group)):
        is_total = a.group == ALL_GROUPS
        style = styles.header if is_total else styles.cell
        figure = figures[style.name]
        label = (
            _t(report, "pdf.participation.total") if is_total else group_label(a.group, report.lang)
        )
        rows.append(
            [_p(label, style), *(_p(str(v), figure) for v in (a.invited, a.present, a.rating))]
        )
        if is_total:
            last = len(rows) - 1
            extra.append(("LINEABOVE", (0, last), (-1, last), 0.9, colors.HexColor("#555555")))
    number_w = 22 * _MM
    return [_table(rows, widths=[56 * _MM, number_w, number_w, number_w], extra_style=extra)]


def _stability_sentence(report: Report, number: int, previous: int) -> str:
    """Share of whole-panel results that stayed stable since the previous round."""
    lang = report.lang
    rows = [
        s.stability
        for s in report.stability
        if s.round == number and s.group == ALL_GROUPS and s.stability.stable is not None
    ]
    previous_rounds = {s.previous_round for s in report.stability if s.round == number}
    if len(previous_rounds) == 1:
        previous = previous_rounds.pop()
    if not rows:
        return _t(report, "pdf.results.stability_none", previous=previous)
    stable = sum(1 for s in rows if s.stable)
    return _t(
        report,
        "pdf.results.stability",
        previous=previous,
        stable=stable,
        total=len(rows),
        pct=format_percent(100.0 * stable / len(rows), lang),
        threshold=format_number(report.rule.stability_pct, lang),
    )


def _lineage(report: Report, styles: _Styles, width: float) -> list[Flowable]:
    """How the framework changed between rounds: original → revised wording, and who rated which.

    Why in the minutes: a reader of the validated framework must be able to tell which
    wording each figure is about, and why the room changed it.
    """
    rows_data = lineage_rows(report)
    if not rows_data:
        return []
    flow: list[Flowable] = [
        _p(_t(report, "pdf.h.lineage"), styles.h2),
        _p(_t(report, "pdf.lineage.intro"), styles.body),
    ]
    rows: list[list[Flowable]] = [
        [
            _p(_t(report, k), styles.header)
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
                _para(_markup(row.before).replace("\n", "<br/>") or "–", styles.cell),
                _para(_markup(row.after).replace("\n", "<br/>") or "–", styles.cell),
                _p(row.reason or "–", styles.cell),
            ]
        )
    widths = [22 * _MM, 34 * _MM, 46 * _MM, 46 * _MM, 30 * _MM]
    scale = width / sum(widths)
    flow.append(_table(rows, widths=[w * scale for w in widths]))
    return flow


def _votes_text(votes: dict[str, int], lang: str) -> str:
    """``pour 21 · contre 4 · abstention 3``: the fixed counts in their order, then any other."""
    order = [k for k in VOTE_KEYS if k in votes] + [k for k in votes if k not in VOTE_KEYS]
    return " · ".join(f"{vote_label(k, lang)} {votes[k]}" for k in order)


def _decisions(report: Report, styles: _Styles, width: float) -> list[Flowable]:
    """The decision standing for each indicator, its counts, and where it departs from the verdict.

    The verdict is computed and the decision taken by the room; both are shown, and a
    departure is said in words (« adopté en plénière malgré l'absence de consensus »).
    """
    lang = report.lang
    flow: list[Flowable] = [_p(_t(report, "pdf.h.decisions"), styles.h1)]
    if not report.decisions:
        flow.append(_p(_t(report, "pdf.decisions.none"), styles.body))
        return flow
    rows: list[list[Flowable]] = [
        [
            _p(_t(report, k), styles.header)
            for k in ("col.indicator", "col.decision", "col.rationale", "col.votes")
        ]
    ]
    latest = report.latest_verdicts()
    for d in current_decisions(report.decisions):
        action = _markup(action_label(d.action, lang))
        if d.round is not None:
            action += f"<br/>{_markup(_t(report, 'pdf.decisions.after_round', round=d.round))}"
        if d.into:
            action += f"<br/>{_markup(_t(report, 'decision.into', codes=', '.join(d.into)))}"
        indicator = f"<b>{_markup(d.indicator)}</b>"
        text = indicator_text(report, d.indicator)
        if text:
            indicator += f"<br/>{_markup(_shorten(text, 100))}"
        item = latest.get(d.indicator)
        computed = (
            _t(
                report,
                "decision.computed",
                round=item.round,
                verdict=verdict_label(item.verdict, lang),
            )
            if item
            else _t(report, "decision.computed_none")
        )
        rationale = _markup(d.rationale)
        rationale += ("<br/>" if rationale else "") + f"<i>{_markup(computed)}</i>"
        gap = decision_gap(d.action, item.verdict if item else "not rated")
        if gap is not None:
            rationale += f"<br/><b>{_markup(gap.render(lang))}</b>"
        rows.append(
            [
                _para(indicator, styles.cell),
                _para(action, styles.cell),
                _para(rationale, styles.cell),
                _p(_votes_text(d.votes, lang) or "–", styles.cell),
            ]
        )
    widths = [46 * _MM, 26 * _MM, 68 * _MM, 30 * _MM]
    scale = width / sum(widths)
    flow.append(_table(rows, widths=[w * scale for w in widths]))
    return flow


def _comments(report: Report, styles: _Styles) -> list[Flowable]:
    lang = report.lang
    flow: list[Flowable] = [_p(_t(report, "pdf.h.comments"), styles.h1)]
    if not report.comments:
        flow.append(_p(_t(report, "pdf.comments.none"), styles.body))
        return flow
    intro = "pdf.comments.intro_named" if report.show_names else "pdf.comments.intro"
    flow.append(_p(_t(report, intro), styles.body))
    order = rated_codes(report)
    groups = _group_order(report)

    def place(code: str) -> int:
        return order.index(code) if code in order else len(order)

    def group_place(group: str) -> int:
        return groups.index(group) if group in groups else len(groups)

    colon = "\u00a0:" if lang == "fr" else ":"
    keys = sorted(
        {(c.indicator, c.round) for c in report.comments},
        key=lambda k: (place(k[0]), k[0], k[1]),
    )
    for code, number in keys:
        heading = _t(report, "pdf.comments.heading", indicator=code, round=number)
        text = indicator_text(report, code, rated_version(report, code, number))
        if text:
            heading = f"{heading}{colon} {_shorten(text, 90)}"
        flow.append(_p(heading, styles.h3))
        items = [c for c in report.comments if c.indicator == code and c.round == number]
        for c in sorted(items, key=lambda c: group_place(c.group)):
            who = group_label(c.group, lang)
            if report.show_names:
                who = f"{c.participant}, {who}"
            flow.append(_para(f"<b>{_markup(who)}</b>{colon} {_markup(c.text)}", styles.note))
    return flow


def _next_steps(report: Report, styles: _Styles, width: float) -> list[Flowable]:
    header = [
        _p(_t(report, k), styles.header)
        for k in ("pdf.next.action", "pdf.next.responsible", "pdf.next.deadline")
    ]
    rows: list[list[Flowable]] = [header] + [["", "", ""] for _ in range(5)]
    table = _table(
        rows,
        widths=[width * 0.6, width * 0.25, width * 0.15],
        row_heights=[None, *([9 * _MM] * 5)],  # room to write by hand
    )
    return [
        _p(_t(report, "pdf.h.next"), styles.h1),
        _p(_t(report, "pdf.next.intro"), styles.body),
        table,
    ]


def _signatures(report: Report, styles: _Styles, width: float) -> list[Flowable]:
    from reportlab.lib import colors
    from reportlab.platypus import KeepTogether, Table, TableStyle

    column = (width - 10 * _MM) / 2
    line = colors.HexColor("#555555")

    def label(key: str) -> Flowable:
        return _p(_t(report, key), styles.body)

    rows = [
        [
            _p(_t(report, "pdf.sign.rapporteur"), styles.h2),
            "",
            _p(_t(report, "pdf.sign.chair"), styles.h2),
        ],
        [label("pdf.sign.name"), "", label("pdf.sign.name")],
        [label("pdf.sign.date"), "", label("pdf.sign.date")],
        [label("pdf.sign.signature"), "", label("pdf.sign.signature")],
        ["", "", ""],
    ]
    table = Table(
        rows,
        colWidths=[column, 10 * _MM, column],
        rowHeights=[None, 10 * _MM, 10 * _MM, None, 28 * _MM],
        hAlign="LEFT",
        style=TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LINEBELOW", (0, 1), (0, 2), 0.5, line),
                ("LINEBELOW", (2, 1), (2, 2), 0.5, line),
                ("BOX", (0, 4), (0, 4), 0.8, line),
                ("BOX", (2, 4), (2, 4), 0.8, line),
            ]
        ),
    )
    return [KeepTogether([_p(_t(report, "pdf.h.signatures"), styles.h1), table])]


def _numbered_canvas(report: Report) -> Callable[..., Any]:
    """A canvas class that knows the page count before drawing footers ("page X / Y").

    Why: reportlab draws each page as it goes, so the total is only known at the end;
    pages are kept and their footers drawn on save (the usual two-pass recipe).
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    def footer(page: int, pages: int) -> str:
        return _t(report, "pdf.footer", session=report.session, page=page, pages=pages)

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
                self.setFont(FONT, 8)
                self.setFillColorRGB(0.3, 0.3, 0.3)
                self.setStrokeColorRGB(0.6, 0.6, 0.6)
                self.setLineWidth(0.4)
                self.line(20 * _MM, 14 * _MM, A4[0] - 20 * _MM, 14 * _MM)
                self.drawCentredString(A4[0] / 2, 9 * _MM, footer(number, total))
                super().showPage()
            super().save()

    return NumberedCanvas
