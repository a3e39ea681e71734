"""The printable paper ballots of the open round (``hsvalidate ballots print``), with reportlab.

One form per participant, then blank forms, each starting on a new page, A4 portrait.
Why the layout is as it is:

- **The code on every page** (top right, large) and "P03 — page 2/5" at the foot: forms
  are stapled, unstapled, photocopied and dropped; a loose page must find its form.  A
  blank form has a code box on every page for the same reason.
- **The name only on a strip to cut off.**  The form is handed to its participant by
  name, so the name is printed — but above a dashed line on the first page, with the
  instruction to cut it off before handing the form back.  What comes back, lies on the
  secretariat's table and is typed in carries the code alone, never a name beside
  ratings (the rule every document of the tool keeps).
- **Indicators in the order the typing screen walks** (``paper.printed_order``), each in
  one block that never breaks across pages, with one row of boxes per criterion: every
  point of the scale numbered beside its box, then "NSP" (cannot judge), so a tick reads
  unambiguously and the typist types the digit beside it.
- **In later rounds, the previous round's figures under each criterion**, with the
  participant's own rating: the Delphi feedback the ballot screen shows.
- Text is drawn, not parsed as markup: a wording with ``<`` or ``&`` prints as written,
  and drawing twelve thousand blocks stays fast.  DejaVu Sans carries ɛ ɔ ɲ ŋ.
- The file is written beside its target and moved over it only when complete
  (``fileio.atomic_path``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hsvalidate.exports.pdf import FONT, FONT_BOLD, FONT_ITALIC, _register_fonts, break_lines
from hsvalidate.fileio import atomic_path
from hsvalidate.i18n.documents import doc_text
from hsvalidate.paper import PrintedBallots, PrintedForm, PrintedIndicator

_MM = 72 / 25.4
_MARGIN = 15 * _MM
_TOP = 24 * _MM
"""Room above the frame for the running header (workshop, round, code)."""
_BOTTOM = 16 * _MM
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_GREY = (0.35, 0.35, 0.35)
_BOX = 4.2 * _MM
_ROW = 6.4 * _MM
_FEEDBACK_ROW = 3.6 * _MM
_LABEL_WIDTH = 40 * _MM
_CODE_WIDTH = 24 * _MM
_COMMENT_HEIGHT = 11 * _MM


def write_paper_ballots(ballots: PrintedBallots, path: Path) -> int:
    """Write the forms to ``path`` (A4 PDF); returns the number of pages.

    On any failure the previous file is left as it was.
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

    _register_fonts()
    width = A4[0] - 2 * _MARGIN
    story = _story(ballots, width)
    pages: list[int] = []
    with atomic_path(Path(path)) as tmp:
        doc = BaseDocTemplate(
            str(tmp),
            pagesize=A4,
            leftMargin=_MARGIN,
            rightMargin=_MARGIN,
            topMargin=_TOP,
            bottomMargin=_BOTTOM,
            title=_t(ballots, "paper.form.title", round=ballots.round),
            subject=ballots.title,
            creator="hsvalidate",
            lang=ballots.lang,
            initialFontName=FONT,
        )
        frame = Frame(_MARGIN, _BOTTOM, width, A4[1] - _TOP - _BOTTOM, id="body")
        doc.addPageTemplates([PageTemplate(id="form", frames=[frame])])
        doc.build(story, canvasmaker=_form_canvas(ballots, pages))
    return pages[0] if pages else 0


def _t(ballots: PrintedBallots, key: str, **values: object) -> str:
    return doc_text(key, ballots.lang, **values)


def _clean(text: str) -> str:
    """User text for drawing: one line per paragraph, no control characters."""
    return _CONTROL.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n"))


def _lines(text: str, font: str, size: float, width: float) -> list[str]:
    """User text broken at ordinary spaces to fit ``width``; a word wider than the line is cut."""
    return break_lines(_clean(text), width, font, size, cut_long_words=True) or []


def _story(ballots: PrintedBallots, width: float) -> list[Any]:
    from reportlab.platypus import PageBreak

    story: list[Any] = []
    for number, form in enumerate(ballots.forms):
        if number:
            story.append(PageBreak())
        story.append(_FormStart(number))
        story.append(_Intro(ballots, form, width))
        for indicator in ballots.indicators:
            story.append(_Block(ballots, form, indicator, width))
    return story


def _flowable() -> type:
    from reportlab.platypus import Flowable

    return Flowable  # type: ignore[no-any-return]


def _form_label(ballots: PrintedBallots, form: PrintedForm) -> str:
    """How the foot of a page names its form: the code, or « Bulletin vierge 3 »."""
    if form.code:
        return form.code
    return _t(ballots, "paper.form.blank_label", number=form.number)


@dataclass
class _Drawn:
    """What one block draws: its height and a function drawing it at (x, y top)."""

    height: float
    draw: Callable[[Any, float, float], None]


def _FormStart(number: int) -> Any:  # a flowable class made on first use
    """A zero-size mark telling the canvas which form the page belongs to."""
    base = _flowable()

    class FormStart(base):  # type: ignore[misc,valid-type]
        def wrap(self, aw: float, ah: float) -> tuple[float, float]:
            return (0, 0)

        def draw(self) -> None:
            self.canv._hs_form = number

    return FormStart()


def _Intro(ballots: PrintedBallots, form: PrintedForm, width: float) -> Any:
    """The top of a form: the name strip to cut off, the title, the code, how to fill it in."""
    base = _flowable()
    drawn = _intro(ballots, form, width)

    class Intro(base):  # type: ignore[misc,valid-type]
        def wrap(self, aw: float, ah: float) -> tuple[float, float]:
            return (width, drawn.height)

        def draw(self) -> None:
            drawn.draw(self.canv, 0, drawn.height)

    return Intro()


def _Block(
    ballots: PrintedBallots, form: PrintedForm, indicator: PrintedIndicator, width: float
) -> Any:
    """One indicator: code, wording, definition, a row of boxes per criterion, the comment box."""
    base = _flowable()
    drawn = _block(ballots, form, indicator, width)

    class Block(base):  # type: ignore[misc,valid-type]
        def wrap(self, aw: float, ah: float) -> tuple[float, float]:
            return (width, drawn.height)

        def draw(self) -> None:
            drawn.draw(self.canv, 0, drawn.height)

    return Block()


def _intro(ballots: PrintedBallots, form: PrintedForm, width: float) -> _Drawn:
    title = _t(ballots, "paper.form.title", round=ballots.round)
    workshop = _lines(ballots.title, FONT, 9, width)
    howto = _lines(
        _t(ballots, "paper.form.howto", low=ballots.low, high=ballots.high), FONT, 8.5, width
    )
    legend = [
        (
            c.label,
            _lines(
                _t(
                    ballots,
                    "paper.form.legend",
                    question=c.question or c.label,
                    low=ballots.low,
                    low_words=c.low,
                    high=ballots.high,
                    high_words=c.high,
                ),
                FONT,
                8,
                width - _LABEL_WIDTH,
            ),
        )
        for c in ballots.criteria
    ]
    strip = 14 * _MM if form.code else 0.0
    code_row = 11 * _MM
    height = (
        strip
        + 8 * _MM
        + len(workshop) * 11
        + code_row
        + len(howto) * 10.5
        + sum(max(1, len(lines)) * 10 for _, lines in legend)
        + 6 * _MM
    )

    def draw(canv: Any, x: float, top: float) -> None:
        y = top
        if form.code:
            canv.setFont(FONT, 8)
            canv.setFillColorRGB(*_GREY)
            canv.drawString(x, y - 9, _t(ballots, "paper.form.strip", round=ballots.round))
            canv.setFillColorRGB(0, 0, 0)
            canv.setFont(FONT_BOLD, 11)
            canv.drawString(x, y - 22, f"{form.name}  ({form.code})")
            canv.setDash(3, 2)
            canv.setLineWidth(0.6)
            canv.line(x, y - strip + 3 * _MM, x + width, y - strip + 3 * _MM)
            canv.setDash()
            canv.setFont(FONT, 7)
            canv.setFillColorRGB(*_GREY)
            canv.drawRightString(
                x + width, y - strip + 4 * _MM, "✂ " + _t(ballots, "paper.form.cut_here")
            )
            canv.setFillColorRGB(0, 0, 0)
            y -= strip
        canv.setFont(FONT_BOLD, 15)
        canv.drawString(x, y - 16, title)
        y -= 8 * _MM
        canv.setFont(FONT, 9)
        for line in workshop:
            y -= 11
            canv.drawString(x, y + 2, line)
        y -= code_row
        canv.setFont(FONT_BOLD, 11)
        label = _t(ballots, "paper.form.code_label")
        canv.drawString(x, y + 3 * _MM, label)
        from reportlab.pdfbase.pdfmetrics import stringWidth

        box_x = x + stringWidth(label, FONT_BOLD, 11) + 3 * _MM
        canv.setLineWidth(1.2)
        canv.rect(box_x, y + 1 * _MM, 30 * _MM, 8 * _MM)
        if form.code:
            canv.setFont(FONT_BOLD, 14)
            canv.drawString(box_x + 3 * _MM, y + 2.8 * _MM, form.code)
        canv.setLineWidth(0.6)
        canv.setFont(FONT, 8.5)
        for line in howto:
            y -= 10.5
            canv.drawString(x, y + 2, line)
        y -= 2 * _MM
        for label_text, lines in legend:
            canv.setFont(FONT_BOLD, 8)
            canv.drawString(x, y - 8, label_text)
            canv.setFont(FONT, 8)
            for line in lines:
                y -= 10
                canv.drawString(x + _LABEL_WIDTH, y + 2, line)
        canv.setLineWidth(1)
        canv.line(x, y - 2 * _MM, x + width, y - 2 * _MM)

    return _Drawn(height, draw)


def _block(
    ballots: PrintedBallots, form: PrintedForm, indicator: PrintedIndicator, width: float
) -> _Drawn:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    text_width = width - _CODE_WIDTH
    wording = _lines(indicator.text, FONT_BOLD, 9.5, text_width)
    definition = (
        _lines(indicator.definition, FONT_ITALIC, 7.5, text_width) if (indicator.definition) else []
    )
    feedback = form.feedback.get(indicator.code, {})
    points = list(range(ballots.low, ballots.high + 1))
    cells = len(points) + 1  # and "cannot judge"
    cell = min(14 * _MM, (width - _LABEL_WIDTH) / cells)
    nsp = _t(ballots, "paper.form.cannot_judge_short")
    labels = {c.code: _lines(c.label, FONT, 8.5, _LABEL_WIDTH - 2 * _MM) for c in ballots.criteria}
    rows = [
        (c, max(_ROW, len(labels[c.code]) * 10 + 2 * _MM), feedback.get(c.code, ""))
        for c in ballots.criteria
    ]
    height = (
        3 * _MM
        + len(wording) * 12
        + len(definition) * 9
        + 1.5 * _MM
        + sum(h + (_FEEDBACK_ROW if f else 0) for _, h, f in rows)
        + 2 * _MM
        + _COMMENT_HEIGHT
        + 3 * _MM
    )

    def draw(canv: Any, x: float, top: float) -> None:
        y = top - 3 * _MM
        canv.setFillColorRGB(0, 0, 0)
        canv.setFont(FONT_BOLD, 9.5)
        canv.drawString(x, y - 9, indicator.code)
        for line in wording:
            y -= 12
            canv.drawString(x + _CODE_WIDTH, y + 3, line)
        canv.setFont(FONT_ITALIC, 7.5)
        canv.setFillColorRGB(*_GREY)
        for line in definition:
            y -= 9
            canv.drawString(x + _CODE_WIDTH, y + 2, line)
        canv.setFillColorRGB(0, 0, 0)
        y -= 1.5 * _MM
        canv.setLineWidth(0.7)
        for criterion, row_height, line in rows:
            label_lines = labels[criterion.code]
            canv.setFont(FONT, 8.5)
            middle = y - row_height / 2
            first = middle + (len(label_lines) - 1) * 5 - 3
            for number, label_line in enumerate(label_lines):
                canv.drawString(x + 2 * _MM, first - number * 10, label_line)
            for index, point in enumerate([*points, None]):
                left = x + _LABEL_WIDTH + index * cell
                mark = str(point) if point is not None else nsp
                font, size = (FONT, 8.5) if point is not None else (FONT, 7)
                canv.setFont(font, size)
                mark_width = stringWidth(mark, font, size)
                box_left = left + mark_width + 1.5 * _MM
                canv.drawString(left, middle - 3, mark)
                canv.rect(box_left, middle - _BOX / 2, _BOX, _BOX)
            y -= row_height
            if line:
                canv.setFont(FONT_ITALIC, 7)
                canv.setFillColorRGB(*_GREY)
                canv.drawString(x + 2 * _MM, y - 6, _fit(line, FONT_ITALIC, 7, width - 2 * _MM))
                canv.setFillColorRGB(0, 0, 0)
                y -= _FEEDBACK_ROW
            canv.setStrokeColorRGB(0.8, 0.8, 0.8)
            canv.line(x, y, x + width, y)
            canv.setStrokeColorRGB(0, 0, 0)
        y -= 2 * _MM
        canv.setLineWidth(0.5)
        canv.rect(x, y - _COMMENT_HEIGHT, width, _COMMENT_HEIGHT)
        canv.setFont(FONT, 7)
        canv.setFillColorRGB(*_GREY)
        canv.drawString(x + 1.5 * _MM, y - 3 * _MM, _t(ballots, "paper.form.comment"))
        canv.setFillColorRGB(0, 0, 0)

    return _Drawn(height, draw)


def _fit(text: str, font: str, size: float, width: float) -> str:
    """One line that fits: the feedback line is short by design; a long one loses its end."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def _form_canvas(ballots: PrintedBallots, pages: list[int]) -> Callable[..., Any]:
    """A canvas that knows each form's page count before drawing headers ("P03 — page 2/5").

    Why: reportlab draws a page as it goes, so a form's length is known only at the end;
    pages are kept and their header and foot drawn on save (the minutes' recipe), each
    page knowing its form from the ``_FormStart`` mark drawn on the form's first page.
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    forms = ballots.forms
    width = A4[0] - 2 * _MARGIN

    class FormCanvas(Canvas):  # type: ignore[misc]  # reportlab is untyped
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []
            self._hs_form = 0

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            totals: dict[int, int] = {}
            for state in self._pages:
                totals[state["_hs_form"]] = totals.get(state["_hs_form"], 0) + 1
            seen: dict[int, int] = {}
            for state in self._pages:
                self.__dict__.update(state)
                number = state["_hs_form"]
                seen[number] = seen.get(number, 0) + 1
                self._decorate(forms[number], seen[number], totals[number])
                super().showPage()
            pages.append(len(self._pages))
            super().save()

        def _decorate(self, form: PrintedForm, page: int, total: int) -> None:
            top = A4[1] - 10 * _MM
            self.setFillColorRGB(*_GREY)
            self.setStrokeColorRGB(0.6, 0.6, 0.6)
            self.setLineWidth(0.4)
            self.setFont(FONT, 7.5)
            header = _t(ballots, "paper.form.header", session=ballots.session, round=ballots.round)
            self.drawString(_MARGIN, top - 4, _fit(header, FONT, 7.5, width - 45 * _MM))
            self.setFillColorRGB(0, 0, 0)
            self.setStrokeColorRGB(0, 0, 0)
            if form.code:
                self.setFont(FONT_BOLD, 16)
                self.drawRightString(_MARGIN + width, top - 6, form.code)
            else:
                self.setFont(FONT, 7.5)
                label = _t(ballots, "paper.form.code_short")
                self.drawRightString(_MARGIN + width - 27 * _MM, top - 4, label)
                self.setLineWidth(0.9)
                self.rect(_MARGIN + width - 25 * _MM, top - 7, 25 * _MM, 7 * _MM)
            self.setStrokeColorRGB(0.6, 0.6, 0.6)
            self.setLineWidth(0.4)
            self.line(_MARGIN, top - 10, _MARGIN + width, top - 10)
            self.line(_MARGIN, 11 * _MM, _MARGIN + width, 11 * _MM)
            self.setFillColorRGB(*_GREY)
            self.setFont(FONT, 8)
            self.drawCentredString(
                A4[0] / 2,
                7 * _MM,
                _t(
                    ballots,
                    "paper.form.footer",
                    form=_form_label(ballots, form),
                    page=page,
                    pages=total,
                    session=ballots.session,
                    round=ballots.round,
                ),
            )
            self.setFillColorRGB(0, 0, 0)

    return FormCanvas
