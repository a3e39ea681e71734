"""Rating forms before the workshop: one protected workbook per participant, written with openpyxl.

Why openpyxl here, when :mod:`hsvalidate.spreadsheet` writes the other workbooks itself:
a form needs a drop-down list on each answer cell (data validation) and a sheet protected
except its answers, which that streaming writer does not write; a form is a few hundred
cells, so openpyxl's cost per cell (docs/spreadsheets-and-pdf.md) does not matter.

Why protection without a password: it keeps a participant from typing over an indicator
or moving a row by mistake, not from an attack.  A password printed in the manual protects
nothing, and one kept secret would stop a secretariat that must mend a form on the day.
The reader never trusts the protection: it checks the hidden identification and the
visible codes (:func:`hsvalidate.forms.read_form`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hsvalidate.fileio import atomic_path
from hsvalidate.forms import ID_SHEET, FormLayout
from hsvalidate.i18n import t
from hsvalidate.model import Participant
from hsvalidate.screens import figure_values
from hsvalidate.spreadsheet import clean_text, column_letter
from hsvalidate.tally import Feedback, Snapshot, feedback

__all__ = ["FormContent", "FormRow", "form_content", "write_form"]

_ANSWER_FILL = "FFF2CC"
"""Pale yellow: the cells to fill, the only ones unlocked."""
_HEADER_FILL = "DDE7F0"
_LINE_HEIGHT = 15.0
_WIDTHS = {"code": 11.0, "place": 22.0, "text": 42.0, "definition": 32.0, "feedback": 34.0}
_CRITERION_WIDTH = 13.0
_COMMENT_WIDTH = 34.0


@dataclass(frozen=True)
class FormRow:
    """One indicator as the form shows it."""

    code: str
    place: str
    """Its dimension and outcome, in words."""
    text: str
    definition: str
    feedback: str
    """The previous round's figures, one line a criterion (empty in round 1)."""


@dataclass(frozen=True)
class FormContent:
    """Everything one form says, in its language; the writer only lays it out."""

    session: str
    created: str
    round: int
    lang: str
    participant: str
    """Code, empty on a blank form."""
    participant_name: str
    title: str
    facts: tuple[tuple[str, str], ...]
    """(label, value) lines under the title: session, workshop, participant."""
    instructions: tuple[str, ...]
    criteria: tuple[tuple[str, str], ...]
    """(code, label) in the session's order."""
    criteria_lines: tuple[str, ...]
    """Each criterion's question and the words of its scale."""
    points: tuple[int, ...]
    cannot_judge: str
    rows: tuple[FormRow, ...]


def form_content(snap: Snapshot, participant: Participant | None, lang: str) -> FormContent:
    """What the form of ``participant`` (None: a blank form) says for the open round.

    Why the name on a personal form: the participant must recognise that the file is
    theirs before rating, and a form sent to the wrong person is worse than a name in
    their own answers; file names and documents carry the code alone.
    """
    rnd = snap.open_round()
    assert rnd is not None, "forms are written for the open round"
    settings = snap.settings
    scale = settings.scale
    nsp = t("form.cannot_judge", lang=lang)
    fed = feedback(snap, participant.code if participant is not None else "")
    facts = [(t("form.fact.session", lang=lang), snap.details.title or snap.name)]
    if snap.details.title:
        facts.append((t("form.fact.session_name", lang=lang), snap.name))
    if participant is not None:
        facts.append(
            (
                t("form.fact.participant", lang=lang),
                t("form.participant", lang=lang, code=participant.code, name=participant.name),
            )
        )
    instructions = [
        *([t("form.how.code", lang=lang)] if participant is None else []),
        t(
            "form.how.rate",
            lang=lang,
            low=scale.low,
            high=scale.high,
            low_word=t("ballot.low", lang=lang),
            high_word=t("ballot.high", lang=lang),
        ),
        t("form.how.cannot_judge", lang=lang, word=nsp),
        *([t("form.how.feedback", lang=lang)] if fed else []),
        t("form.how.comment", lang=lang),
        t("form.how.return", lang=lang),
    ]
    middle = (scale.low + scale.high) // 2
    criteria_lines = tuple(
        t(
            "form.criterion_line",
            lang=lang,
            label=c.label.get(lang) or c.code,
            question=c.question.get(lang),
            low=scale.low,
            middle=middle,
            high=scale.high,
            low_word=c.anchor("low", lang) or t("ballot.low", lang=lang),
            middle_word=c.anchor("middle", lang) or t("ballot.middle", lang=lang),
            high_word=c.anchor("high", lang) or t("ballot.high", lang=lang),
        )
        for c in settings.criteria
    )
    labels = {c.code: c.label.get(lang) or c.code for c in settings.criteria}
    rows = []
    for code in rnd.indicators:
        ind = snap.framework.indicator(code)
        if ind is None:
            continue
        parents = snap.framework.parents(code)
        place = (
            t(
                "form.place",
                lang=lang,
                dimension=parents[0].title.get(lang),
                outcome=parents[1].title.get(lang),
            )
            if parents
            else ""
        )
        rows.append(
            FormRow(
                code=code,
                place=place,
                text=ind.text.get(lang),
                definition=ind.definition.get(lang),
                feedback=_feedback_text(fed.get(code), labels, participant is not None, lang),
            )
        )
    return FormContent(
        session=snap.name,
        created=snap.created_at,
        round=rnd.number,
        lang=lang,
        participant=participant.code if participant is not None else "",
        participant_name=participant.name if participant is not None else "",
        title=t("form.title", lang=lang, round=rnd.number),
        facts=tuple(facts),
        instructions=tuple(instructions),
        criteria=tuple((c.code, labels[c.code]) for c in settings.criteria),
        criteria_lines=criteria_lines,
        points=tuple(range(scale.low, scale.high + 1)),
        cannot_judge=nsp,
        rows=tuple(rows),
    )


def _feedback_text(previous: Feedback | None, labels: dict[str, str], own: bool, lang: str) -> str:
    """The previous round's median and agreement per criterion, and the participant's own note."""
    if previous is None:
        return ""
    lines = []
    for code, label in labels.items():
        stats = previous.stats.get(code)
        if stats is None or stats.median is None:
            continue
        agreement = t("form.disagreement" if stats.disagreement else "form.agreement", lang=lang)
        line = t(
            "form.feedback",
            lang=lang,
            criterion=label,
            **figure_values(stats, lang),
            agreement=agreement,
        )
        if own:
            mine = previous.own.get(code)
            given = t("form.cannot_judge", lang=lang) if mine is None else str(mine)
            if code in previous.own:
                line = t("form.feedback_own", lang=lang, line=line, own=given)
        lines.append(line)
    return "\n".join(lines)


def _lines(text: str, width: float) -> int:
    """Lines ``text`` takes wrapped in a column ``width`` characters wide (erring tall)."""
    per_line = max(1.0, width * 1.05)
    return sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n")) if text else 1


def write_form(path: Path, content: FormContent) -> FormLayout:
    """Write the form to ``path`` (atomically) and return where it put what.

    Laid out to be printed too: A4 landscape, one page wide, the header row repeated
    on each page, rows tall enough for their wrapped text.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
    from openpyxl.worksheet.datavalidation import DataValidation

    lang = content.lang
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    sheet_title = clean_text(t("form.sheet", lang=lang, round=content.round))[:31]
    ws.title = sheet_title

    has_definition = any(r.definition for r in content.rows)
    has_feedback = any(r.feedback for r in content.rows)
    columns: list[tuple[str, str, float]] = [
        ("code", t("form.col.code", lang=lang), _WIDTHS["code"]),
        ("place", t("form.col.place", lang=lang), _WIDTHS["place"]),
        ("text", t("form.col.indicator", lang=lang), _WIDTHS["text"]),
    ]
    if has_definition:
        columns.append(("definition", t("form.col.definition", lang=lang), _WIDTHS["definition"]))
    if has_feedback:
        columns.append(("feedback", t("form.col.feedback", lang=lang), _WIDTHS["feedback"]))
    first_criterion = len(columns) + 1
    columns += [(f"criterion:{code}", label, _CRITERION_WIDTH) for code, label in content.criteria]
    columns.append(("comment", t("form.col.comment", lang=lang), _COMMENT_WIDTH))
    width_total = sum(w for _, _, w in columns)
    last = column_letter(len(columns))

    thin = Side(style="thin", color="808080")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    unlocked = Protection(locked=False)
    answer = PatternFill("solid", fgColor=_ANSWER_FILL)

    def put(row: int, col: int, value: str | int, **style: Any) -> Any:
        cell = ws.cell(row=row, column=col, value=_safe(value))
        if isinstance(value, str) and value.startswith("="):
            cell.data_type = "s"  # text that looks like a formula stays text
        for name, setting in style.items():
            setattr(cell, name, setting)
        return cell

    def block(row: int, text: str, *, bold: bool = False, size: int = 11) -> int:
        """A line of text across the table's width, wrapped; returns the next row."""
        put(row, 1, text, font=Font(bold=bold, size=size), alignment=wrap)
        ws.merge_cells(f"A{row}:{last}{row}")
        scale = 1.3 if size > 11 else 1.0
        ws.row_dimensions[row].height = _LINE_HEIGHT * scale * _lines(text, width_total / scale)
        return row + 1

    row = block(1, content.title, bold=True, size=14)

    def fact(row: int, label: str, value: str, **style: Any) -> None:
        """A label over the first two columns, its value from the third on."""
        put(row, 1, label, font=Font(bold=True))
        ws.merge_cells(f"A{row}:B{row}")
        put(row, 3, value, **style)

    for label, value in content.facts:
        fact(row, label, value)
        row += 1
    code_row = row
    if content.participant:
        fact(row, t("form.fact.code", lang=lang), content.participant, font=Font(bold=True))
    else:
        fact(
            row,
            t("form.fact.code_blank", lang=lang),
            "",
            fill=answer,
            border=box,
            protection=unlocked,
            font=Font(bold=True, size=12),
        )
        ws.row_dimensions[row].height = _LINE_HEIGHT * 1.5
    code_cell = f"C{code_row}"
    row += 1
    row = block(row, "")
    for line in content.instructions:
        row = block(row, line)
    row = block(row, t("form.criteria_heading", lang=lang), bold=True)
    for line in content.criteria_lines:
        row = block(row, line)
    row = block(row, "")

    header_row = row
    for index, (_, label, width) in enumerate(columns, start=1):
        put(
            row,
            index,
            label,
            font=Font(bold=True),
            alignment=Alignment(wrap_text=True, vertical="center", horizontal="center"),
            fill=PatternFill("solid", fgColor=_HEADER_FILL),
            border=box,
        )
        ws.column_dimensions[column_letter(index)].width = width
    ws.row_dimensions[row].height = _LINE_HEIGHT * max(
        _lines(label, width) for _, label, width in columns
    )
    row += 1

    first_row = row
    placed: list[tuple[str, int]] = []
    for item in content.rows:
        values = {
            "code": item.code,
            "place": item.place,
            "text": item.text,
            "definition": item.definition,
            "feedback": item.feedback,
        }
        height = 1
        for index, (kind, _, width) in enumerate(columns, start=1):
            if kind.startswith("criterion:") or kind == "comment":
                put(
                    row,
                    index,
                    "",
                    fill=answer,
                    border=box,
                    protection=unlocked,
                    alignment=Alignment(
                        wrap_text=kind == "comment",
                        vertical="top",
                        horizontal="left" if kind == "comment" else "center",
                    ),
                )
                continue
            text = values[kind]
            put(row, index, text, alignment=wrap, border=box, font=Font(bold=kind == "code"))
            height = max(height, _lines(text, width))
        ws.row_dimensions[row].height = _LINE_HEIGHT * max(height, 2)
        placed.append((item.code, row))
        row += 1
    last_row = row - 1

    criteria_columns = tuple(
        (code, column_letter(first_criterion + i)) for i, (code, _) in enumerate(content.criteria)
    )
    if content.rows and criteria_columns:
        points = ",".join([*(str(p) for p in content.points), content.cannot_judge])
        low, high = content.points[0], content.points[-1]
        validation = DataValidation(
            type="list",
            formula1=f'"{points}"',
            allow_blank=True,
            showErrorMessage=True,
            showInputMessage=True,
            errorStyle="stop",
            errorTitle=t("form.validation.title", lang=lang)[:32],
            error=t(
                "form.validation.error", lang=lang, low=low, high=high, word=content.cannot_judge
            )[:255],
            promptTitle=t("form.validation.title", lang=lang)[:32],
            prompt=t(
                "form.validation.prompt", lang=lang, low=low, high=high, word=content.cannot_judge
            )[:255],
        )
        ws.add_data_validation(validation)
        validation.add(f"{criteria_columns[0][1]}{first_row}:{criteria_columns[-1][1]}{last_row}")

    ws.freeze_panes = f"B{header_row + 1}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = False
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.oddFooter.left.text = _footer(content.session)
    ws.oddFooter.right.text = t("form.footer_page", lang=lang, page="&P", pages="&N")
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # widening a column or a row is harmless
    ws.protection.formatRows = False

    layout = FormLayout(
        session=content.session,
        created=content.created,
        round=content.round,
        participant=content.participant,
        lang=lang,
        sheet=sheet_title,
        code_cell=code_cell,
        header_row=header_row,
        criteria=criteria_columns,
        comment_column=column_letter(len(columns)),
        rows=tuple(placed),
    )
    hidden = wb.create_sheet(ID_SHEET)
    for fact_row in layout.to_rows():
        hidden.append([_safe(v) for v in fact_row])
        for cell in hidden[hidden.max_row]:
            cell.data_type = "s"  # a session named "=…" stays a name, never a formula
    hidden.sheet_state = "hidden"
    hidden.protection.sheet = True
    wb.security = _structure_locked()
    wb.active = 0
    wb.properties.title = content.title
    wb.properties.creator = "hsvalidate"
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return layout


def _structure_locked() -> Any:
    """Sheets cannot be shown, renamed or deleted by mistake (no password: see the module)."""
    from openpyxl.workbook.protection import WorkbookProtection

    return WorkbookProtection(lockStructure=True)


def _safe(value: str | int) -> str | int:
    return clean_text(value)[:32767] if isinstance(value, str) else value


def _footer(text: str) -> str:
    """Session name for a footer: a lone ``&`` would start a code there."""
    return clean_text(text).replace("&", "&&")
