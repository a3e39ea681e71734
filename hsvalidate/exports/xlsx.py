"""The consensus workbook: every figure of a session, laid out as sheets from one ``Report``.

Why no openpyxl here: ``spreadsheet.write_workbook`` already stores user text as text
(never a formula), strips control characters and writes atomically; this module only
decides what goes in which sheet.  Confidentiality rule: the workbook carries
participant codes beside ratings, so names and organisations appear only when
``report.show_names`` is set.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import fields
from pathlib import Path

from hsvalidate.consensus import PERCENTILE_METHOD, ipras_constants
from hsvalidate.exports import (
    INDICATOR_FIELDS,
    groups_text,
    indicator_text,
    ipras_adaptation,
    lineage_rows,
    present_count,
    rated_codes,
    rule_details,
    rule_text,
    scale_text,
    session_dates,
)
from hsvalidate.framework import Indicator, Text
from hsvalidate.i18n.documents import (
    action_label,
    class_label,
    doc_text,
    format_date,
    format_number,
    group_label,
    rule_name,
    status_label,
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
from hsvalidate.report import RESULT_COLUMNS, STABILITY_COLUMNS, Report
from hsvalidate.spreadsheet import CellValue, SheetSpec, write_workbook

_STAT_COLUMNS = RESULT_COLUMNS[5:-3]
"""The columns read straight from ``Stats`` (attributes of the same name)."""

_FIGURES = frozenset(
    {"median", "mean", "sd", "cv", "q1", "q3", "iqr", "p30", "p70", "ipr", "iprcp", "ai", "ipras"}
)
_FIGURE_FORMAT = "0.00"
_PERCENT_FORMAT = "0.0"
_COUNT_FORMAT = "0"

_INDICATOR_FIELDS = INDICATOR_FIELDS
assert {name for name, _ in _INDICATOR_FIELDS} | {"code", "extra"} == {
    f.name for f in fields(Indicator)
}, "a new Indicator field must get a column in the framework sheet"


def write_consensus_workbook(report: Report, path: Path) -> None:
    """Write the consensus workbook in ``report.lang``; the old file survives any failure."""
    write_workbook(
        Path(path),
        build_sheets(report),
        title=f"{doc_text('wb.title', report.lang)} — {report.session}",
    )


def build_sheets(report: Report) -> list[SheetSpec]:
    """Every sheet of the workbook; separate from writing so it can be tested without a file."""
    return [
        _summary_sheet(report),
        _framework_sheet(report),
        _results_sheet(report),
        _stability_sheet(report),
        _comments_sheet(report),
        _ballots_sheet(report),
        _participants_sheet(report),
        _rounds_sheet(report),
        _attrition_sheet(report),
        _lineage_sheet(report),
        _decisions_sheet(report),
    ]


def _t(report: Report, key: str, **values: object) -> str:
    return doc_text(key, report.lang, **values)


def _text(report: Report, value: Text) -> str:
    return value.get(report.lang)


def _summary_sheet(report: Report) -> SheetSpec:
    lang = report.lang
    base, slope = ipras_constants(report.scale)
    latest = report.latest_verdicts()
    decided = {d.indicator: d for d in report.decisions}
    verdict_counts = Counter(verdict_label(item.verdict, lang) for item in latest.values())
    preface = [
        f"{_t(report, 'wb.title')} — {_text(report, report.framework.title)}",
        _t(report, "wb.session", session=report.session),
        _t(report, "wb.dates", dates=session_dates(report)),
        _t(report, "wb.generated", when=format_date(report.generated_at, lang)),
        _t(report, "wb.scale", scale=scale_text(report.scale, lang)),
        *_criteria_lines(report),
        *_rule_lines(report),
        _t(
            report,
            "wb.ipras",
            base=format_number(base, lang, digits=3),
            slope=format_number(slope, lang, digits=3),
            centre=format_number(report.scale.centre, lang),
        ),
        *([adaptation] if (adaptation := ipras_adaptation(report.scale, lang)) else []),
        _t(
            report,
            "wb.percentiles",
            method=_t(report, "percentile.method")
            if report.percentile_method == PERCENTILE_METHOD
            else report.percentile_method,
        ),
        _t(
            report,
            "wb.counts",
            invited=len(report.participants),
            present=sum(1 for p in report.participants if p.present),
            rounds=len(report.rounds),
            rated=len(rated_codes(report)),
            ballots=sum(r.n_ballots for r in report.rounds),
            comments=len(report.comments),
            decisions=len(report.decisions),
        ),
        _t(
            report,
            "wb.verdict_counts",
            counts=", ".join(f"{label} {n}" for label, n in sorted(verdict_counts.items())),
        ),
        _t(report, "wb.names_shown" if report.show_names else "wb.anonymous"),
    ]
    codes = [ind.code for ind in report.framework.indicators()]
    codes += [c for c in rated_codes(report) if c not in codes]
    rows: list[list[CellValue]] = []
    for code in codes:
        item = latest.get(code)
        decision = decided.get(code)
        rows.append(
            [
                code,
                indicator_text(report, code),
                item.round if item else None,
                verdict_label(item.verdict if item else "not rated", lang),
                groups_text(item.important_to, lang) if item else "",
                item.n_ballots if item else None,
                action_label(decision.action, lang) if decision else "",
            ]
        )
    header = [
        _t(report, key)
        for key in (
            "col.code",
            "col.indicator",
            "col.latest_round",
            "col.verdict",
            "col.important_to",
            "col.ballots",
            "col.decision",
        )
    ]
    return SheetSpec(
        title=_t(report, "sheet.summary"),
        preface=preface,
        header=header,
        rows=rows,
        widths={0: 12, 1: 70, 4: 24},
        wrap=frozenset({1, 4}),
    )


def _criteria_lines(report: Report) -> list[str]:
    """The set's name and each criterion with its question and, when it has some, its words.

    Why in the summary: whoever reopens the workbook learns what the scores answered.
    """
    lang = report.lang
    names = ", ".join(c.label.get(lang) or c.code for c in report.criteria)
    lines = [
        _t(
            report,
            "criteria_set.line",
            name=criteria_set_name(report.criteria, lang),
            criteria=names,
        )
    ]
    for c in report.criteria:
        label, question = c.label.get(lang) or c.code, c.question.get(lang)
        if c.has_anchors:
            lines.append(
                _t(
                    report,
                    "criteria_set.criterion_line_anchored",
                    label=label,
                    question=question,
                    anchors=c.anchors_text(lang),
                )
            )
        else:
            lines.append(_t(report, "criteria_set.criterion_line", label=label, question=question))
    return lines


def _rule_lines(report: Report) -> list[str]:
    """Every setting of the rule, one per line, then the rule in words.

    Why both: an analyst re-running the figures needs the raw settings; a reader needs
    the sentences the minutes print.
    """
    lang, rule = report.lang, report.rule
    group_quorum = (
        str(rule.group_quorum) if rule.group_quorum > 0 else _t(report, "wb.rule.no_group_quorum")
    )
    return [
        _t(report, "wb.rule.kind", kind=rule.kind, name=rule_name(rule.kind, lang)),
        _t(
            report,
            "wb.rule.shares",
            agree=format_number(rule.agree_pct, lang),
            veto=format_number(rule.veto_pct, lang),
        ),
        _t(report, "wb.rule.quorum", quorum=rule.quorum, group_quorum=group_quorum),
        _t(report, "wb.rule.per_group", flag=yes_no(rule.per_group, lang)),
        _t(report, "wb.rule.likert_iqr", iqr=format_number(rule.likert_iqr, lang, digits=2)),
        _t(report, "wb.rule.stability", pct=format_number(rule.stability_pct, lang)),
        _t(report, "wb.rule", rule=rule_text(rule, report.scale, lang)),
        *rule_details(rule, report.scale, lang, present=present_count(report)),
    ]


def _framework_sheet(report: Report) -> SheetSpec:
    extra_headers: list[str] = []
    for ind in report.framework.indicators():
        for name, _ in ind.extra:
            if name not in extra_headers:
                extra_headers.append(name)
    latest = report.latest_verdicts()
    header = [
        _t(report, "col.dimension"),
        _t(report, "col.dimension_title"),
        _t(report, "col.outcome"),
        _t(report, "col.outcome_title"),
        _t(report, "col.code"),
        *(_t(report, key) for _, key in _INDICATOR_FIELDS),
        *extra_headers,
        _t(report, "col.verdict"),
    ]
    rows: list[list[CellValue]] = []
    for dimension in report.framework.dimensions:
        for outcome in dimension.outcomes:
            for ind in outcome.indicators:
                values: list[CellValue] = [
                    dimension.code,
                    _text(report, dimension.title),
                    outcome.code,
                    _text(report, outcome.title),
                    ind.code,
                ]
                for name, _ in _INDICATOR_FIELDS:
                    value = getattr(ind, name)
                    values.append(_text(report, value) if isinstance(value, Text) else value)
                extras = dict(ind.extra)
                values.extend(extras.get(name, "") for name in extra_headers)
                item = latest.get(ind.code)
                values.append(verdict_label(item.verdict if item else "not rated", report.lang))
                rows.append(values)
    wrap = frozenset({1, 3, *range(5, 5 + len(_INDICATOR_FIELDS))})
    widths = {1: 28.0, 3: 36.0, 5: 50.0, 6: 40.0}
    widths.update({i: 24.0 for i in range(7, 5 + len(_INDICATOR_FIELDS)) if i not in widths})
    return SheetSpec(
        title=_t(report, "sheet.framework"),
        preface=[_text(report, report.framework.title), _text(report, report.framework.notes)],
        header=header,
        rows=rows,
        wrap=wrap,
        widths=widths,
    )


def _results_sheet(report: Report) -> SheetSpec:
    """Unrounded figures: the display format rounds, the stored value does not."""
    lang = report.lang
    rows: list[list[CellValue]] = []
    for row in report.results:
        stats: list[CellValue] = [getattr(row.stats, name) for name in _STAT_COLUMNS]
        rows.append(
            [
                row.round,
                row.indicator,
                row.version,
                row.criterion,
                group_label(row.group, lang),
                *stats,
                class_label(row.ram_class, lang),
                class_label(row.percent_class, lang),
                verdict_label(row.verdict, lang),
            ]
        )
    return SheetSpec(
        title=_t(report, "sheet.results"),
        header=RESULT_COLUMNS,
        rows=rows,
        number_formats=_formats(RESULT_COLUMNS),
    )


def _formats(columns: tuple[str, ...]) -> dict[int, str]:
    """Display formats by column name: shares to 0.1, figures to 0.01, counts whole."""
    formats: dict[int, str] = {}
    for i, name in enumerate(columns):
        if name.startswith("pct_"):
            formats[i] = _PERCENT_FORMAT
        elif name in _FIGURES:
            formats[i] = _FIGURE_FORMAT
        elif name.startswith("n") or name in ("round", "version", "previous_round"):
            formats[i] = _COUNT_FORMAT
    return formats


def _stability_sheet(report: Report) -> SheetSpec:
    """Band changes between rounds; no significance test, as the preface says."""
    lang = report.lang
    rows: list[list[CellValue]] = []
    for row in report.stability:
        st = row.stability
        rows.append(
            [
                row.round,
                row.previous_round,
                row.indicator,
                row.criterion,
                group_label(row.group, lang),
                st.n_pairs,
                st.n_moved,
                st.pct_moved,
                yes_no(st.stable, lang) if st.stable is not None else None,
            ]
        )
    pct = format_number(report.rule.stability_pct, lang)
    return SheetSpec(
        title=_t(report, "sheet.stability"),
        preface=[
            _t(report, "wb.stability.intro"),
            _t(report, "wb.stability.stable", pct=pct),
            _t(report, "wb.stability.no_test"),
        ],
        header=STABILITY_COLUMNS,
        rows=rows,
        number_formats=_formats(STABILITY_COLUMNS),
    )


def _comments_sheet(report: Report) -> SheetSpec:
    rows: list[list[CellValue]] = [
        [c.round, c.indicator, c.participant, group_label(c.group, report.lang), c.text]
        for c in report.comments
    ]
    header = [
        _t(report, key)
        for key in ("col.round", "col.indicator", "col.participant", "col.group", "col.comment")
    ]
    return SheetSpec(
        title=_t(report, "sheet.comments"),
        header=header,
        rows=rows,
        widths={4: 80},
        wrap=frozenset({4}),
    )


def _ballots_sheet(report: Report) -> SheetSpec:
    cannot_judge = _t(report, "cannot_judge")
    rows: list[list[CellValue]] = [
        [
            b.round,
            b.indicator,
            b.version,
            b.participant,
            group_label(b.group, report.lang),
            b.criterion,
            b.score if b.score is not None else cannot_judge,
            b.source,
            b.recorded_at,
        ]
        for b in report.ballots
    ]
    header = [
        _t(report, key)
        for key in (
            "col.round",
            "col.indicator",
            "col.version",
            "col.participant",
            "col.group",
            "col.criterion",
            "col.score",
            "col.source",
            "col.recorded_at",
        )
    ]
    return SheetSpec(title=_t(report, "sheet.ballots"), header=header, rows=rows)


def _participants_sheet(report: Report) -> SheetSpec:
    """Codes, groups and sex only: a name beside a code would reveal every rating.

    Then each round's presence in words and the round a withdrawal starts from, so a
    turnout figure can be traced to the people behind it.
    """
    numbers = sorted(r.round.number for r in report.rounds)
    header = [_t(report, key) for key in ("col.code", "col.group", "col.sex", "col.present")]
    header += [_t(report, "col.presence_in_round", round=number) for number in numbers]
    header.append(_t(report, "col.withdrawn_from"))
    if report.show_names:
        header[1:1] = [_t(report, "col.name"), _t(report, "col.organisation")]
    rows: list[list[CellValue]] = []
    for p in report.participants:
        row: list[CellValue] = [p.code, group_label(p.group, report.lang), p.sex]
        row.append(yes_no(p.present, report.lang))
        row += [_presence_word(report, p, number) for number in numbers]
        row.append(p.withdrawn_from)
        if report.show_names:
            row[1:1] = [p.name, p.organisation]
        rows.append(row)
    return SheetSpec(
        title=_t(report, "sheet.participants"),
        preface=[_t(report, "wb.names_shown" if report.show_names else "wb.anonymous")],
        header=header,
        rows=rows,
    )


def _presence_word(report: Report, person: Participant, round_no: int) -> str:
    """How they attended a round, in the words the facilitator typed; withdrawn once gone."""
    if person.withdrawn_from is not None and round_no >= person.withdrawn_from:
        return _t(report, "wb.presence.withdrawn")
    return _t(report, f"presence.status.{person.presence_in(round_no)}")


def _rounds_sheet(report: Report) -> SheetSpec:
    rows: list[list[CellValue]] = [
        [
            r.round.number,
            status_label(r.round.status, report.lang),
            r.round.opened_at,
            r.round.closed_at,
            ", ".join(r.round.indicators),
            r.n_invited,
            r.n_present,
            r.n_rating,
            r.n_ballots,
        ]
        for r in report.rounds
    ]
    header = [
        _t(report, key)
        for key in (
            "col.round",
            "col.status",
            "col.opened_at",
            "col.closed_at",
            "col.indicators",
            "col.invited",
            "col.n_present",
            "col.rating",
            "col.ballots",
        )
    ]
    return SheetSpec(
        title=_t(report, "sheet.rounds"),
        header=header,
        rows=rows,
        widths={4: 50},
        wrap=frozenset({4}),
    )


def _attrition_sheet(report: Report) -> SheetSpec:
    """Invited, present and rating per round and group: who the figures speak for."""
    rows: list[list[CellValue]] = [
        [a.round, group_label(a.group, report.lang), a.invited, a.present, a.rating]
        for a in report.attrition
    ]
    header = [
        _t(report, key)
        for key in ("col.round", "col.group", "col.invited", "col.n_present", "col.rating")
    ]
    return SheetSpec(
        title=_t(report, "sheet.attrition"),
        preface=[_t(report, "wb.attrition.intro")],
        header=header,
        rows=rows,
        widths={1: 30},
    )


def _lineage_sheet(report: Report) -> SheetSpec:
    """Every revision of the framework: original and revised wording, which round rated which.

    Why a sheet even when nothing changed: the workbook's sheets are the same for every
    session, so a partner's formulas and macros find them.
    """
    rows: list[list[CellValue]] = [
        [
            row.code,
            row.change,
            row.before,
            row.after,
            row.rated,
            row.after_round or None,
            row.reason,
            row.recorded_at,
        ]
        for row in lineage_rows(report)
    ]
    header = [
        _t(report, key)
        for key in (
            "col.indicator",
            "col.change",
            "col.before",
            "col.after",
            "col.rated",
            "col.after_round",
            "col.rationale",
            "col.recorded_at",
        )
    ]
    return SheetSpec(
        title=_t(report, "sheet.lineage"),
        header=header,
        rows=rows,
        widths={1: 28, 2: 50, 3: 50, 4: 30, 6: 40, 7: 22},
        wrap=frozenset({1, 2, 3, 4, 6}),
    )


def _decisions_sheet(report: Report) -> SheetSpec:
    """The decision standing for each indicator, beside the computed verdict it may depart from.

    Why both: the verdict is computed from the ratings and the decision taken by the
    room; a reader sees where the plenary went its own way without comparing two sheets.
    Earlier decisions replaced by a later one stay in the session, not in the documents.
    """
    lang = report.lang
    latest = report.latest_verdicts()
    rows: list[list[CellValue]] = []
    for d in current_decisions(report.decisions):
        item = latest.get(d.indicator)
        verdict = item.verdict if item else "not rated"
        gap = decision_gap(d.action, verdict)
        others = "; ".join(
            f"{vote_label(k, lang)} {v}" for k, v in d.votes.items() if k not in VOTE_KEYS
        )
        rows.append(
            [
                d.indicator,
                indicator_text(report, d.indicator),
                action_label(d.action, lang),
                d.round,
                d.rationale,
                *(d.votes.get(k) for k in VOTE_KEYS),
                others,
                ", ".join(d.into),
                verdict_label(verdict, lang),
                gap.render(lang) if gap else "",
                d.recorded_at,
            ]
        )
    header = [
        _t(report, "col.indicator"),
        _t(report, "col.text"),
        _t(report, "col.action"),
        _t(report, "col.round"),
        _t(report, "col.rationale"),
        *(vote_label(k, lang) for k in VOTE_KEYS),
        _t(report, "col.other_votes"),
        _t(report, "decision.col.into"),
        _t(report, "decision.col.verdict"),
        _t(report, "decision.col.differs"),
        _t(report, "col.recorded_at"),
    ]
    return SheetSpec(
        title=_t(report, "sheet.decisions"),
        header=header,
        rows=rows,
        widths={1: 50, 4: 60, 10: 22, 11: 45},
        wrap=frozenset({1, 4, 11}),
    )
