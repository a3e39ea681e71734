"""The tables ``hsvalidate results`` shows, and the rows it writes for other tools.

Why apart from the command: laying tables out needs rich, the report model and the
statistics, which ``hsvalidate results --help`` must not pay for.  Long group names
wrap under themselves instead of being cut, and tables fit the terminal's width.  The
results and stability tables, thousands of lines in a national session, are laid out
here as plain text (``_grid``: rich took about 3 ms a line); the short combined and
attrition tables use rich.  Figures are rounded for reading only; ``--format
csv|json`` gives them unrounded.
"""

from __future__ import annotations

import io
import json
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING

import click

from hsvalidate.cli._common import (
    echo_wrapped,
    screen_width,
)
from hsvalidate.exports.channels import COUNTED_MARK
from hsvalidate.exports.tidy import TIDY, spreadsheet_style, write_csv
from hsvalidate.i18n import get_language, t
from hsvalidate.report import (
    ALL_GROUPS,
    ATTRITION_COLUMNS,
    RESULT_COLUMNS,
    STABILITY_COLUMNS,
    AttritionRow,
    Record,
    ResultRow,
    StabilityRow,
    attrition_record,
    result_record,
    stability_record,
)

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.table import Table

    from hsvalidate.workshop import Workshop

COMBINED_COLUMNS = ("round", "indicator", "verdict", "n_ballots", "important_to")
"""Tidy combined verdicts: one row per round × indicator (whole panel, criteria combined)."""

WIDE = 100
"""From this many columns the results table also shows Q1, Q3 and the mean."""

_VERDICT_STYLES = {
    "keep": "green",
    "drop": "red",
    "no consensus": "yellow",
    "below quorum": "dim",
}
"""Colours of the verdicts on a terminal that takes them (the words stay the same)."""

_TRAILING = re.compile(r"(?:[ \t]|\x1b\[[0-9;]*m)+$")
_STYLE = re.compile(r"\x1b\[[0-9;]*m")


@dataclass(frozen=True)
class Screen:
    """Where tables are shown: the language of their words and the columns available."""

    lang: str
    """``fr`` or ``en``."""
    width: int
    """Columns of the terminal."""
    criteria: Mapping[str, str]
    """Criterion code → label in ``lang``."""
    statuses: Mapping[int, str]
    """Round number → status code (``open``, ``closed``)."""


@dataclass(frozen=True)
class CombinedRow:
    """One indicator's verdict over its criteria in one round, for ``--combined``."""

    round: int
    indicator: str
    verdict: str
    """``consensus.combine_verdicts`` of the whole-panel verdicts of its criteria."""
    n_ballots: int
    """Ballots that count for this indicator in this round."""
    important_to: tuple[str, ...]
    """Groups that alone reach consensus to keep on some criterion."""


def combined_rows(
    rows: Sequence[ResultRow], ballots: Mapping[int, Counter[str]]
) -> list[CombinedRow]:
    """Whole-panel result rows folded into one verdict per round and indicator.

    ``ballots`` gives, per round, the number of ballots per indicator.
    """
    from hsvalidate.consensus import combine_verdicts

    grouped: dict[tuple[int, str], list[ResultRow]] = defaultdict(list)
    for row in rows:
        if row.group == ALL_GROUPS:
            grouped[(row.round, row.indicator)].append(row)
    return [
        CombinedRow(
            round=rnd,
            indicator=code,
            verdict=combine_verdicts([r.verdict for r in panel]),
            n_ballots=ballots.get(rnd, Counter())[code],
            important_to=tuple(dict.fromkeys(r.important_to for r in panel if r.important_to)),
        )
        for (rnd, code), panel in grouped.items()
    ]


def combined_record(row: CombinedRow) -> Record:
    """A combined verdict as a tidy row with exactly ``COMBINED_COLUMNS``."""
    return {
        "round": row.round,
        "indicator": row.indicator,
        "verdict": row.verdict,
        "n_ballots": row.n_ballots,
        "important_to": ", ".join(row.important_to),
    }


# -- the screen --------------------------------------------------------------------------


def _render(items: Sequence[RenderableType], width: int) -> list[str]:
    """Lines as rich lays them out at ``width``, styles kept (click drops them off a terminal)."""
    from rich.console import Console

    console = Console(
        file=io.StringIO(),
        width=width,
        force_terminal=True,
        color_system="standard",
        legacy_windows=False,
        highlight=False,
        emoji=False,
        markup=False,
    )
    for item in items:
        console.print(item)
    text = console.file.getvalue()  # type: ignore[attr-defined]
    return [_strip_end(line) for line in str(text).splitlines()]


def _strip_end(line: str) -> str:
    """The line without its trailing padding, its closing style codes kept."""
    end = _TRAILING.search(line)
    if end is None:
        return line
    return line[: end.start()] + "".join(_STYLE.findall(end.group()))


def _table(label_headers: Sequence[str]) -> Table:
    """A table with one space between columns and a rule under the headings."""
    from rich import box
    from rich.table import Table

    table = Table(
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        padding=0,
        header_style="bold",
    )
    for header in label_headers:
        table.add_column(header, no_wrap=False)
    return table


def _number_column(table: Table, key: str) -> None:
    """A right-aligned figure column; a heading of two words stands on two lines."""
    table.add_column(t(key).replace(" ", "\n"), justify="right", no_wrap=True)


def _indented(text: str, depth: int) -> RenderableType:
    """Text indented by ``depth`` steps, wrapped lines included.

    One more space on its right keeps a wrapped name from touching the first figure.
    """
    from rich.padding import Padding
    from rich.text import Text

    return Padding(Text(text), (0, 1, 0, 2 * depth))


def _verdict(verdict: str, lang: str, *, flagged: bool = False) -> RenderableType:
    from rich.text import Text

    from hsvalidate.i18n.documents import verdict_label

    label = verdict_label(verdict, lang) + (" *" if flagged else "")
    return Text(label, style=_VERDICT_STYLES.get(verdict, ""))


def _heading(text: str) -> RenderableType:
    from rich.text import Text

    return Text(text, style="bold")


def _round_heading(number: int, screen: Screen) -> RenderableType:
    from hsvalidate.i18n.documents import status_label

    status = screen.statuses.get(number)
    if status is None:
        return _heading(t("cli.results.round_plain", round=number))
    return _heading(t("cli.results.round", round=number, status=status_label(status, screen.lang)))


def _wrapped(text: str) -> RenderableType:
    from rich.text import Text

    return Text(text)


@dataclass(frozen=True)
class _Column:
    """One column of a plain-text table."""

    header: str
    """Heading; words on separate lines when it has several (figures stay narrow)."""
    right: bool = False
    """Right-aligned (figures)."""
    wrap: bool = False
    """Wraps to fit the screen (names of criteria and groups, verdicts)."""
    min_width: int = 0
    gap: int = 0
    """Spaces kept free on its right, so a wrapped name never touches the next figure."""


@dataclass(frozen=True)
class _Cell:
    """A cell's text, how far it is indented (wrapped lines too), and its style on a terminal."""

    text: str
    indent: int = 0
    style: tuple[tuple[str, object], ...] = ()
    """``click.style`` keywords (``(("fg", "green"),)``); the words stay the same without them."""


def _grid(columns: Sequence[_Column], rows: Sequence[Sequence[_Cell]], width: int) -> list[str]:
    """Lines of a table laid out for ``width`` columns, as rich laid them out, much faster.

    Why not rich here: a national session's results are thousands of lines, and rich
    measures and renders every cell as an object (about 3 ms a line); this is plain
    string work.  A row with fewer cells than columns (an indicator's heading) writes
    them from the left.  Styles are ANSI codes that click removes off a terminal.
    """
    heads = [c.header.split("\n") for c in columns]
    widths = [max((len(line) for line in head), default=0) for head in heads]
    for row in rows:
        if len(row) < 2:
            continue  # a heading row does not widen its column
        for i, cell in enumerate(row):
            if not columns[i].wrap:
                widths[i] = max(widths[i], cell.indent + len(cell.text))
    # Columns that wrap: on a narrow screen the later ones (verdicts) give way first, down
    # to their longest word, then the first (names) down to its minimum; words are broken
    # only in a window too narrow for anything else.
    wrapping = [i for i, c in enumerate(columns) if c.wrap]
    floors: dict[int, int] = {}
    for i in wrapping:
        in_column = [r[i] for r in rows if len(r) > i]
        widths[i] = columns[i].gap + max([widths[i], *(c.indent + len(c.text) for c in in_column)])
        longest_word = max((len(w) for c in in_column for w in c.text.split()), default=1)
        floors[i] = (
            min(widths[i], max(columns[i].min_width, 4))
            if i == wrapping[0]
            else columns[i].gap + longest_word
        )
    room = width - 1 - sum(w for i, w in enumerate(widths) if i not in wrapping) - len(widths) + 1
    deficit = sum(widths[i] for i in wrapping) - room
    for i in [*wrapping[1:], *wrapping[:1]]:
        cut = min(max(deficit, 0), max(0, widths[i] - floors[i]))
        widths[i] -= cut
        deficit -= cut
    for i in [*wrapping[:1], *wrapping[1:]]:  # a very narrow window: names give way too
        cut = min(max(deficit, 0), max(0, widths[i] - columns[i].gap - 4))
        widths[i] -= cut
        deficit -= cut
    textwrap = _textwrap_module()

    def place(i: int, text: str, styled: str) -> str:
        pad = " " * max(0, widths[i] - len(text))
        return pad + styled if columns[i].right else styled + pad

    lines: list[str] = []
    depth = max(len(h) for h in heads)
    for k in range(depth):
        cells = []
        for i, head in enumerate(heads):
            text = ([""] * (depth - len(head)) + head)[k]  # headings sit on the bottom line
            cells.append(place(i, text, click.style(text, bold=True) if text else ""))
        lines.append(_strip_end(" ".join(cells)))
    lines.append("─" * (sum(widths) + len(widths) - 1))
    for row in rows:
        if len(row) < 2:
            cell = row[0]
            lines.append(" " * cell.indent + _styled(cell.text, cell.style))
            continue
        parts: list[list[str]] = []
        for i, cell in enumerate(row):
            if columns[i].wrap:
                wrapped = textwrap.wrap(
                    cell.text,
                    width=max(1, widths[i] - columns[i].gap - cell.indent),
                    break_on_hyphens=False,
                ) or [""]
                parts.append([" " * cell.indent + line for line in wrapped])
            else:
                parts.append([" " * cell.indent + cell.text])
        for k in range(max(len(p) for p in parts)):
            cells = []
            for i, (cell, texts) in enumerate(zip(row, parts, strict=True)):
                text = texts[k] if k < len(texts) else ""
                styled = _styled(text, cell.style) if text else text
                cells.append(place(i, text, styled))
            # Styles wrap the text only, so what trails is plain padding.
            lines.append(" ".join(cells).rstrip(" "))
    return lines


def _styled(text: str, style: tuple[tuple[str, object], ...]) -> str:
    """``text`` with its terminal style (none: as it is)."""
    if not style:
        return text
    return click.style(text, **dict(style))  # type: ignore[arg-type]


def _textwrap_module() -> ModuleType:
    """textwrap, imported when a table is drawn (not for ``--help``)."""
    import textwrap

    return textwrap


def _click_style(rich_style: str) -> tuple[tuple[str, object], ...]:
    """The ``_VERDICT_STYLES`` colour as ``click.style`` keywords, so both tables agree."""
    if not rich_style:
        return ()
    return (("dim", True),) if rich_style == "dim" else (("fg", rich_style),)


def _verdict_cell(verdict: str, lang: str, *, flagged: bool = False) -> _Cell:
    from hsvalidate.i18n.documents import verdict_label

    label = verdict_label(verdict, lang) + (" *" if flagged else "")
    return _Cell(label, style=_click_style(_VERDICT_STYLES.get(verdict, "")))


def _heading_line(text: str) -> str:
    return click.style(text, bold=True)


def render_results(rows: Sequence[ResultRow], screen: Screen, *, by_group: bool) -> list[str]:
    """Per round, one line per indicator and criterion (and per group, indented beneath).

    Why rounds as headings and the verdict in words: at 80 columns a round column and
    internal codes would push every line past the edge of the screen.
    """
    from hsvalidate.i18n.documents import format_number, group_label, yes_no

    lang = screen.lang
    wide = screen.width >= WIDE
    lines: list[str] = []
    by_round: dict[int, list[ResultRow]] = defaultdict(list)
    for row in rows:
        by_round[row.round].append(row)
    keys = ["cli.col.n", "cli.col.cj", "cli.col.median"]
    keys += ["cli.col.q1", "cli.col.q3", "cli.col.mean"] if wide else []
    # Disagreement beside the IQR (both say how spread the ratings are), and not
    # beside the verdict, where "no" would read as part of "no consensus".
    keys += ["cli.col.iqr", "cli.col.disagreement", "cli.col.low", "cli.col.mid", "cli.col.high"]
    figures_columns = [_Column(t(key).replace(" ", "\n"), right=True) for key in keys]
    if by_group:
        columns = [_Column(t("cli.col.criterion_group"), wrap=True, min_width=18, gap=1)]
    else:
        columns = [_Column(t("cli.col.indicator")), _Column(t("cli.col.criterion"), wrap=True)]
    columns += [*figures_columns, _Column(t("cli.col.verdict"), wrap=True)]
    for number in sorted(by_round):
        # (indicator, group) → criteria on which that group alone would keep it
        flagged: dict[tuple[str, str], list[str]] = defaultdict(list)
        shown_indicator = ""
        table: list[list[_Cell]] = []
        counted = False
        for row in _panel_first(by_round[number]):
            s = row.stats
            figures = [str(s.n), str(s.n_cannot_judge), format_number(s.median, lang)]
            if row.n_counted:  # cards counted in plenary among the answers: marked, told below
                figures[0] += COUNTED_MARK
                counted = True
            if wide:
                figures += [
                    format_number(s.q1, lang, digits=2),
                    format_number(s.q3, lang, digits=2),
                    format_number(s.mean, lang),
                ]
            figures += [
                format_number(s.iqr, lang, digits=2),
                "–" if s.disagreement is None else yes_no(s.disagreement, lang),
                format_number(s.pct_low, lang, digits=0),
                format_number(s.pct_mid, lang, digits=0),
                format_number(s.pct_high, lang, digits=0),
            ]
            criterion = screen.criteria.get(row.criterion, row.criterion)
            verdict = _verdict_cell(row.verdict, lang, flagged=bool(row.important_to))
            if row.important_to:
                flagged[(row.indicator, group_label(row.important_to, lang))].append(criterion)
            cells = [_Cell(f) for f in figures]
            if by_group:
                if row.indicator != shown_indicator:
                    table.append([_Cell(row.indicator, style=(("bold", True),))])
                    shown_indicator = row.indicator
                if row.group == ALL_GROUPS:
                    label = _Cell(criterion, indent=2)
                else:
                    label = _Cell(group_label(row.group, lang), indent=4)
                table.append([label, *cells, verdict])
            else:
                code = row.indicator if row.indicator != shown_indicator else ""
                shown_indicator = row.indicator
                table.append([_Cell(code), _Cell(criterion), *cells, verdict])
        lines.append(_heading_line(_round_heading_text(number, screen)))
        lines += _grid(columns, table, screen.width)
        if flagged:
            listed = t("cli.results.separator").join(
                t(
                    "cli.results.important_item",
                    indicator=code,
                    criteria=", ".join(criteria),
                    group=group,
                )
                for (code, group), criteria in flagged.items()
            )
            lines += _textwrap_module().wrap(
                t("cli.results.important", items=listed),
                width=screen.width,
                break_long_words=False,
                break_on_hyphens=False,
            )
        if counted:
            lines += _textwrap_module().wrap(
                t("counts.results_note", mark=COUNTED_MARK),
                width=screen.width,
                break_long_words=False,
                break_on_hyphens=False,
            )
        lines.append("")
    return lines


def _round_heading_text(number: int, screen: Screen) -> str:
    from hsvalidate.i18n.documents import status_label

    status = screen.statuses.get(number)
    if status is None:
        return t("cli.results.round_plain", round=number)
    return t("cli.results.round", round=number, status=status_label(status, screen.lang))


def _panel_first(rows: Sequence[ResultRow]) -> list[ResultRow]:
    """Each indicator × criterion: the whole panel's row, then its groups in their order."""
    order: dict[tuple[str, str], list[ResultRow]] = defaultdict(list)
    for row in rows:
        order[(row.indicator, row.criterion)].append(row)
    return [
        row
        for block in order.values()
        for row in sorted(block, key=lambda r: r.group != ALL_GROUPS)
    ]


def render_combined(rows: Sequence[CombinedRow], screen: Screen) -> list[str]:
    """Per round, one line per indicator: its verdict over every criterion, ballots, flag."""
    from rich.padding import Padding

    from hsvalidate.i18n.documents import group_label

    lang = screen.lang
    items: list[RenderableType] = []
    for number in sorted({r.round for r in rows}):
        table = _table([t("cli.col.indicator")])
        table.columns[0].no_wrap = True
        _number_column(table, "cli.col.ballots")
        table.add_column(t("cli.col.combined"), no_wrap=True)
        table.add_column(t("cli.col.important_to"))
        for row in rows:
            if row.round != number:
                continue
            groups = ", ".join(group_label(g, lang) for g in row.important_to)
            # A space more after the verdict, so it never reads as one phrase with the group.
            verdict = Padding(_verdict(row.verdict, lang), (0, 1, 0, 0))
            table.add_row(row.indicator, str(row.n_ballots), verdict, groups)
        items += [_round_heading(number, screen), table, ""]
    return _render(items, screen.width)


def render_stability(rows: Sequence[StabilityRow], screen: Screen, *, by_group: bool) -> list[str]:
    """Per pair of rounds, how many of the same participants changed band, and whether stable."""
    from hsvalidate.i18n.documents import format_number, group_label, yes_no

    lang = screen.lang
    lines: list[str] = []
    columns = [
        _Column(t("cli.col.indicator")),
        _Column(t("cli.col.criterion_group" if by_group else "cli.col.criterion"), wrap=True),
        *(
            _Column(t(key).replace(" ", "\n"), right=True)
            for key in ("cli.col.pairs", "cli.col.moved", "cli.col.pct_moved")
        ),
        _Column(t("cli.col.stable")),
    ]
    for number, previous in sorted({(r.round, r.previous_round) for r in rows}):
        table: list[list[_Cell]] = []
        shown = ""
        for row in rows:
            if (row.round, row.previous_round) != (number, previous):
                continue
            s = row.stability
            criterion = screen.criteria.get(row.criterion, row.criterion)
            if row.group == ALL_GROUPS:
                label = _Cell(criterion)
            else:
                label = _Cell(group_label(row.group, lang), indent=2)
            code = row.indicator if row.indicator != shown else ""
            shown = row.indicator
            table.append(
                [
                    _Cell(code),
                    label,
                    _Cell(str(s.n_pairs)),
                    _Cell(str(s.n_moved)),
                    _Cell(format_number(s.pct_moved, lang, digits=0)),
                    _Cell("–" if s.stable is None else yes_no(s.stable, lang)),
                ]
            )
        heading = t("cli.results.stability_round", round=number, previous=previous)
        lines += [_heading_line(heading), *_grid(columns, table, screen.width), ""]
    return lines


def render_attrition(rows: Sequence[AttritionRow], screen: Screen) -> list[str]:
    """One line per round (the whole panel), its groups indented beneath."""
    from hsvalidate.i18n.documents import group_label

    table = _table([t("cli.col.round_group")])
    table.columns[0].min_width = 18
    for key in ("cli.col.invited", "cli.col.present", "cli.col.rating"):
        _number_column(table, key)
    for row in sorted(rows, key=lambda r: (r.round, r.group != ALL_GROUPS)):
        if row.group == ALL_GROUPS:
            label = _round_heading(row.round, screen)
        else:
            label = _indented(group_label(row.group, screen.lang), 1)
        table.add_row(label, str(row.invited), str(row.present), str(row.rating))
    return _render([table], screen.width)


def _footer(ws: Workshop, screen: Screen, view: str | None) -> list[str]:
    """The legend of the abbreviations, the rule and the percentile method, in words."""
    from hsvalidate.consensus import band_text
    from hsvalidate.exports import rule_text
    from hsvalidate.i18n.documents import format_number

    lines: list[str] = []
    if view is None:
        low, mid, high = ws.scale.bands
        lines.append(
            t("cli.results.legend", low=band_text(low), mid=band_text(mid), high=band_text(high))
        )
    elif view == "stability":
        lines.append(
            t("cli.results.stability_legend", pct=format_number(ws.rule.stability_pct, screen.lang))
        )
    if view in (None, "combined"):
        lines.append(t("cli.results.rule", rule=rule_text(ws.rule, ws.scale, screen.lang)))
    if view is None:
        lines.append(t("cli.results.percentiles", method=t("percentile.method")))
    return _render([_wrapped(line) for line in lines], screen.width)


# -- the command -------------------------------------------------------------------------


def show_results(
    ws: Workshop,
    *,
    round_no: int | None,
    by_group: bool,
    view: str | None,
    fmt: str,
    tidy: bool = False,
) -> None:
    """Figures on screen in the session's words, or unrounded rows for a spreadsheet or a tool.

    CSV is for the spreadsheet of the language in use (French Excel's ``;`` and ``7,5``,
    a BOM, words) unless ``tidy``; JSON always carries codes.
    """
    rows: list[ResultRow] = []
    stability: list[StabilityRow] = []
    attrition: list[AttritionRow] = []
    combined: list[CombinedRow] = []
    columns: Sequence[str]
    # One reading of the session for the whole view: its figures describe one moment,
    # and a national session's journals are read once, not once per table.
    from hsvalidate import tally

    snap = ws.snapshot()
    if round_no is not None:
        ws.check_round(round_no)
    shown = tally.disclose(snap)
    if view == "stability":
        columns = STABILITY_COLUMNS
        stability = [
            r
            for r in tally.stability(snap, disclosure=shown)
            if (round_no is None or r.round == round_no) and (by_group or r.group == ALL_GROUPS)
        ]
        records = [stability_record(r) for r in stability]
    elif view == "attrition":
        columns = ATTRITION_COLUMNS
        attrition = [
            r
            for r in tally.attrition(snap)
            if (round_no is None or r.round == round_no) and (by_group or r.group == ALL_GROUPS)
        ]
        records = [attrition_record(r) for r in attrition]
    elif view == "combined":
        columns = COMBINED_COLUMNS
        panel = tally.results(snap, round_no, by_group=False, disclosure=shown)
        counts = {
            number: Counter(b.indicator for b in snap.round_ballots(number))
            for number in sorted({r.round for r in panel})
        }
        combined = combined_rows(panel, counts)
        records = [combined_record(r) for r in combined]
    else:
        columns = RESULT_COLUMNS
        rows = tally.results(snap, round_no, by_group=by_group, disclosure=shown)
        records = [result_record(r) for r in rows]
    # Groups as shown: a reader of grouped figures learns which groups are pooled, and why.
    grouped = (by_group and view != "attrition") or view == "combined"
    notes = shown.notes(get_language()) if grouped and (shown.pooled or shown.withheld) else []
    if fmt == "csv":
        buffer = io.StringIO()
        lang = get_language()
        write_csv(
            columns,
            records,
            buffer,
            style=TIDY if tidy else spreadsheet_style(lang),
            criteria={c.code: c.label.get(lang) or c.code for c in ws.settings.criteria},
        )
        click.echo(buffer.getvalue(), nl=False)
        _echo_notes(notes, err=True)  # the file stays rows only
        return
    if fmt == "json":
        click.echo(json.dumps(records, ensure_ascii=False, indent=1))
        _echo_notes(notes, err=True)
        return
    if not records:
        echo_wrapped(
            t("cli.results.no_stability" if view == "stability" else "cli.results.nothing")
        )
        return
    lang = get_language()
    screen = Screen(
        lang=lang,
        width=screen_width(),
        criteria={c.code: c.label.get(lang) or c.code for c in ws.settings.criteria},
        statuses={r.number: r.status for r in snap.rounds},
    )
    if view == "stability":
        lines = render_stability(stability, screen, by_group=by_group)
    elif view == "attrition":
        lines = render_attrition(attrition, screen)
    elif view == "combined":
        lines = render_combined(combined, screen)
    else:
        lines = render_results(rows, screen, by_group=by_group)
    for line in [*lines, *_footer(ws, screen, view)]:
        click.echo(line)
    _echo_notes(notes)


def _echo_notes(notes: Sequence[str], *, err: bool = False) -> None:
    """The notes on groups, wrapped for the screen; on stderr beside a CSV or JSON file."""
    for note in notes:
        echo_wrapped(note, err=err)
