"""The consensus workbook: every figure of a session, laid out as sheets from one ``Report``.

Why no spreadsheet code here: ``spreadsheet.write_workbook`` stores user text as text
(never a formula), strips control characters, sets up every page for printing and
writes atomically; this module only decides what goes in which sheet, in which words.

What a reader meets first is the validated framework, then the settings, then the
plenary's decisions; raw data (results, ballots) comes later.  Headers and our own
values (criteria, groups, verdicts, classes, channels) are in the report's language;
the technical names tools expect stay in ``hsvalidate results --format csv|json``, and
the Colonnes sheet maps one to the other.

Confidentiality rule: the workbook carries participant codes beside ratings, so names
and organisations appear only when ``report.show_names`` is set; and beside a code only
the group as shown (small groups pooled, ``report.Disclosure``) and the sex where each
sex of that group is as large as the smallest group shown, so that no group and sex
single out a person the minutes' attendance list names.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import date, datetime
from pathlib import Path

from hsvalidate.consensus import (
    APPROPRIATE,
    BELOW_QUORUM,
    CONSENSUS_IN,
    CONSENSUS_OUT,
    DROP,
    INAPPROPRIATE,
    KEEP,
    NO_CONSENSUS,
    PERCENTILE_METHOD,
    UNCERTAIN,
    VERDICTS,
    ipras_constants,
)
from hsvalidate.exports import (
    INDICATOR_FIELDS,
    groups_text,
    indicator_text,
    ipras_adaptation,
    lineage_rows,
    present_count,
    rated_codes,
    rule_text,
    scale_text,
    session_dates,
)
from hsvalidate.framework import Indicator, Text
from hsvalidate.i18n import has
from hsvalidate.i18n.documents import (
    action_label,
    class_label,
    doc_text,
    format_number,
    group_label,
    rule_name,
    status_label,
    verdict_label,
    vote_label,
    yes_no,
)
from hsvalidate.model import (
    SOURCES,
    VOTE_KEYS,
    Decision,
    Participant,
    criteria_set_name,
    current_decisions,
    decision_gap,
)
from hsvalidate.report import (
    ALL_GROUPS,
    ATTRITION_COLUMNS,
    RESULT_COLUMNS,
    STABILITY_COLUMNS,
    Report,
)
from hsvalidate.spreadsheet import CellValue, SheetSpec, write_workbook

__all__ = ["RESULT_COLUMNS", "STABILITY_COLUMNS", "build_sheets", "write_consensus_workbook"]

_STAT_COLUMNS = RESULT_COLUMNS[5:-3]
"""The columns read straight from ``Stats`` (attributes of the same name)."""

_FIGURES = frozenset(
    {"median", "mean", "sd", "cv", "q1", "q3", "iqr", "p30", "p70", "ipr", "iprcp", "ai", "ipras"}
)
_FIGURE_FORMAT = "0.00"
_PERCENT_FORMAT = "0.0"
_COUNT_FORMAT = "0"
_DATE_FORMATS = {
    "fr": ("dd/mm/yyyy hh:mm", "dd/mm/yyyy"),
    "en": ("d mmm yyyy hh:mm", "d mmm yyyy"),
}
"""Date cells as each language's readers write dates; the cell itself holds a date."""

_INDICATOR_FIELDS = INDICATOR_FIELDS
assert {name for name, _ in _INDICATOR_FIELDS} | {"code", "extra"} == {
    f.name for f in fields(Indicator)
}, "a new Indicator field must get a column in the framework sheet"

# What the validated framework's colours mean; each has its words in the legend
# (``wb.legend.<kind>``) and every coloured row says its status in words too.
_STATUS_FILLS = {
    "kept": "D9EAD3",
    "rework": "FFF2CC",
    "out": "F4CCCC",
    "unsettled": "E7E6E6",
}


def write_consensus_workbook(report: Report, path: Path) -> None:
    """Write the consensus workbook in ``report.lang``; the old file survives any failure."""
    write_workbook(
        Path(path),
        build_sheets(report),
        title=f"{doc_text('wb.title', report.lang)} — {report.session}",
    )


def build_sheets(report: Report) -> list[SheetSpec]:
    """Every sheet of the workbook, in reading order; separate from writing, for the tests."""
    return [
        _validated_sheet(report),
        _settings_sheet(report),
        _decisions_sheet(report),
        _lineage_sheet(report),
        _results_sheet(report),
        _stability_sheet(report),
        _attrition_sheet(report),
        _comments_sheet(report),
        _framework_sheet(report),
        _rounds_sheet(report),
        _participants_sheet(report),
        _ballots_sheet(report),
        _sources_sheet(report),
        _counts_sheet(report),
        _columns_sheet(report),
    ]


def _t(report: Report, key: str, **values: object) -> str:
    return doc_text(key, report.lang, **values)


def _text(report: Report, value: Text) -> str:
    return value.get(report.lang)


def _sheet(report: Report, **spec: object) -> SheetSpec:
    """A sheet with what every sheet of the workbook shares: the footer and date formats.

    Why: whichever page of whichever sheet is picked off the printer says which session
    it belongs to and where it falls.
    """
    moment, day = _DATE_FORMATS.get(report.lang, _DATE_FORMATS["en"])
    return SheetSpec(
        footer=report.session,
        page_footer=_t(report, "wb.footer.page", page="{page}", pages="{pages}"),
        datetime_format=moment,
        date_format=day,
        wrap_preface=True,
        **spec,  # type: ignore[arg-type]
    )


def _moment(iso: str) -> datetime | str | None:
    """An ISO timestamp as a date cell (wall-clock time as recorded); odd text kept as is."""
    if not iso:
        return None
    try:
        return datetime.fromisoformat(iso).replace(tzinfo=None)
    except ValueError:
        return iso


def _day(iso: str) -> date | str:
    """An ISO day (``2026-11-27``) as a date cell; odd text kept as is."""
    try:
        return date.fromisoformat(iso)
    except ValueError:
        return iso


def _criterion_name(report: Report) -> Callable[[str], str]:
    """A criterion's name in the report's language, from its code (``relevance`` → Pertinence)."""
    names = {c.code: c.label.get(report.lang) or c.code for c in report.criteria}
    return lambda code: names.get(code, code)


def _source_label(source: str, lang: str) -> str:
    """A channel in words (``paper`` → papier); a channel we do not know is shown as recorded."""
    key = f"source.{source}"
    return doc_text(key, lang) if has(key) else source


# -- the validated framework ------------------------------------------------------------------


@dataclass(frozen=True)
class _Standing:
    """Where an indicator stands at the end of the day, in words and as a colour."""

    words: str
    kind: str
    """A key of ``_STATUS_FILLS``."""


def _standing(decision: Decision | None, verdict: str, lang: str) -> _Standing:
    """The plenary's decision when there is one, else what the last vote said."""
    if decision is not None:
        action = decision.action
        if action == "merge":
            words = (
                doc_text("validation.status.merge", lang, into=", ".join(decision.into))
                if decision.into
                else doc_text("validation.status.merge_nowhere", lang)
            )
            return _Standing(words, "out")
        kind = {"adopt": "kept", "drop": "out"}.get(action, "rework")
        return _Standing(doc_text(f"validation.status.{action}", lang), kind)
    if verdict == KEEP:
        return _Standing(doc_text("validation.status.vote_keep", lang), "kept")
    if verdict == DROP:
        return _Standing(doc_text("validation.status.vote_drop", lang), "out")
    if verdict == NO_CONSENSUS:
        return _Standing(doc_text("validation.status.vote_no_consensus", lang), "rework")
    return _Standing(doc_text("validation.status.vote_unsettled", lang), "unsettled")


def _details_facts(report: Report) -> list[tuple[str, list[CellValue]]]:
    """The meeting itself (``session details``): what a partner reads before any figure."""
    details = report.details
    facts: list[tuple[str, list[CellValue]]] = []
    if details.title:
        facts.append((_t(report, "wb.fact.workshop"), [details.title]))
    if details.place:
        facts.append((_t(report, "wb.fact.place"), [details.place]))
    days: list[CellValue] = [_day(d) for d in details.dates]
    facts.append((_t(report, "wb.fact.dates"), days or [session_dates(report)]))
    if details.organisers:
        facts.append((_t(report, "wb.fact.organisers"), ["; ".join(details.organisers)]))
    if details.chair:
        facts.append((_t(report, "wb.fact.chair"), [details.chair]))
    if details.rapporteur:
        facts.append((_t(report, "wb.fact.rapporteur"), [details.rapporteur]))
    facts.append((_t(report, "wb.fact.session"), [report.session]))
    facts.append((_t(report, "wb.fact.generated"), [_moment(report.generated_at)]))
    facts.append((_t(report, "wb.fact.reading"), [_t(report, "wb.legend.intro")]))
    return facts


def _validated_sheet(report: Report) -> SheetSpec:
    """The framework as the day leaves it: each indicator's final wording, verdict and decision.

    Dimension and outcome rows head their indicators, as the framework reads; a row's
    colour repeats its status, which is always written out in the row.  Indicators the
    room took out between the rounds stay, greyed or coloured as dropped, under the
    outcome they came from: nothing leaves the record silently.
    """
    lang = report.lang
    latest = report.latest_verdicts()
    decided = {d.indicator: d for d in current_decisions(report.decisions)}
    header = [
        _t(report, "col.code"),
        _t(report, "col.final_text"),
        _t(report, "col.latest_round"),
        _t(report, "col.latest_verdict"),
        _t(report, "col.important_to"),
        _t(report, "col.decision"),
        *(vote_label(k, lang) for k in VOTE_KEYS),
        _t(report, "validation.col.status"),
    ]
    rows: list[list[CellValue]] = []
    fills: dict[int, str] = {}
    sections: dict[int, int] = {}

    def indicator_row(code: str, wording: str, standing: _Standing | None = None) -> None:
        item = latest.get(code)
        verdict = item.verdict if item else "not rated"
        decision = decided.get(code)
        standing = standing or _standing(decision, verdict, lang)
        fills[len(rows)] = _STATUS_FILLS[standing.kind]
        rows.append(
            [
                code,
                wording,
                item.round if item else None,
                verdict_label(verdict, lang),
                groups_text(item.important_to, lang) if item else "",
                action_label(decision.action, lang) if decision else "",
                *((decision.votes.get(k) if decision else None) for k in VOTE_KEYS),
                standing.words,
            ]
        )

    retired = _retired_by_outcome(report)
    shown: set[str] = set()
    for dimension in report.framework.dimensions:
        sections[len(rows)] = 1
        rows.append([_coded(report, dimension.code, dimension.title)])
        for outcome in dimension.outcomes:
            sections[len(rows)] = 2
            rows.append([_coded(report, outcome.code, outcome.title)])
            for ind in outcome.indicators:
                indicator_row(ind.code, _text(report, ind.text))
                shown.add(ind.code)
            for code, wording, standing in retired.pop(outcome.code, []):
                indicator_row(code, wording, standing)
                shown.add(code)
    others = [c for c in rated_codes(report) if c not in shown]
    others += [code for items in retired.values() for code, _, _ in items if code not in others]
    if others:
        sections[len(rows)] = 1
        rows.append([_t(report, "wb.section.outside")])
        leftover = {code: (w, s) for items in retired.values() for code, w, s in items}
        for code in others:
            if code in leftover:
                indicator_row(code, *leftover[code])
            else:
                indicator_row(code, indicator_text(report, code))
    return _sheet(
        report,
        title=_t(report, "sheet.validated"),
        preface=[f"{_t(report, 'wb.title')} — {_text(report, report.framework.title)}"],
        facts=_details_facts(report),
        legend=[(_STATUS_FILLS[kind], _t(report, f"wb.legend.{kind}")) for kind in _STATUS_FILLS],
        header=header,
        rows=rows,
        row_fills=fills,
        sections=sections,
        widths={0: 16, 1: 60, 2: 9, 3: 16, 4: 16, 5: 13, 6: 8, 7: 8, 8: 11, 9: 30},
        wrap=frozenset({1, 3, 4, 9}),
        freeze_header=False,
        autofilter=False,
    )


def _coded(report: Report, code: str, title: Text) -> str:
    """``D1 : Sécurité communautaire``; the code alone when there is no title."""
    text = _text(report, title)
    return _t(report, "lineage.coded", code=code, text=text) if text else code


def _retired_by_outcome(report: Report) -> dict[str, list[tuple[str, str, _Standing]]]:
    """Indicators dropped, merged away or split between the rounds, under their first outcome."""
    history = report.lineage
    out: dict[str, list[tuple[str, str, _Standing]]] = {}
    for code, gone in history.retired.items():
        last = history.wording(code)
        parents = history.original.parents(code)
        outcome = parents[1].code if parents else gone.revision.outcome
        words = _t(report, f"validation.status.revision.{gone.change}", into=", ".join(gone.into))
        wording = last.text.get(report.lang) if last else indicator_text(report, code)
        out.setdefault(outcome or "", []).append((code, wording, _Standing(words, "out")))
    return out


# -- settings -----------------------------------------------------------------------------


def _settings_sheet(report: Report) -> SheetSpec:
    """The settings that made the figures, only those the session's rule uses.

    Why a sheet of its own: above the table they froze half the screen; and a setting
    the rule ignores (the veto share under RAND/UCLA) only makes a reader wonder.
    """
    lang, rule, scale = report.lang, report.rule, report.scale
    facts: list[tuple[str, list[CellValue]]] = [
        (_t(report, "wb.fact.session"), [report.session]),
        (_t(report, "wb.set.round_dates"), [session_dates(report)]),
        (_t(report, "wb.fact.generated"), [_moment(report.generated_at)]),
        (_t(report, "wb.set.scale"), [scale_text(scale, lang)]),
        (_t(report, "wb.set.criteria"), [criteria_set_name(report.criteria, lang)]),
    ]
    for c in report.criteria:
        question = c.question.get(lang)
        value = (
            _t(report, "wb.set.criterion_anchored", question=question, anchors=c.anchors_text(lang))
            if c.has_anchors
            else question
        )
        facts.append((c.label.get(lang) or c.code, [value]))
    facts += [
        (_t(report, "wb.set.rule"), [rule_name(rule.kind, lang)]),
        (_t(report, "wb.set.rule_text"), [rule_text(rule, scale, lang)]),
    ]
    if rule.kind in ("percent", "likert"):
        facts.append((_t(report, "wb.set.agree"), [rule.agree_pct]))
    if rule.kind == "percent":
        facts.append((_t(report, "wb.set.veto"), [rule.veto_pct]))
    if rule.kind == "likert":
        facts.append((_t(report, "wb.set.likert_iqr"), [rule.likert_iqr]))
    if rule.kind == "ram":
        base, slope = ipras_constants(scale)
        ipras = _t(
            report,
            "wb.ipras",
            base=format_number(base, lang, digits=3),
            slope=format_number(slope, lang, digits=3),
            centre=format_number(scale.centre, lang),
        )
        adaptation = ipras_adaptation(scale, lang)
        facts.append(
            (_t(report, "wb.set.ipras"), [f"{ipras}. {adaptation}" if adaptation else ipras])
        )
    facts.append((_t(report, "wb.set.quorum"), [doc_text("rule.quorum", lang, quorum=rule.quorum)]))
    if rule.quorum_share > 0:
        present = present_count(report)
        share = doc_text(
            "rule.quorum_share_panel",
            lang,
            pct=format_number(rule.quorum_share, lang),
            present=present,
            quorum=rule.panel_quorum(present),
        )
        facts.append((_t(report, "wb.set.quorum_share"), [share]))
    group_quorum = (
        doc_text("rule.group_quorum", lang, n=rule.group_quorum)
        if rule.group_quorum > 0
        else doc_text("rule.no_group_quorum", lang)
    )
    facts += [
        (_t(report, "wb.set.group_quorum"), [group_quorum]),
        (
            _t(report, "wb.set.per_group"),
            [doc_text("rule.per_group" if rule.per_group else "rule.whole_panel", lang)],
        ),
        (_t(report, "col.important_to"), [doc_text("rule.important", lang)]),
        (
            _t(report, "wb.set.stability"),
            [doc_text("rule.stability", lang, pct=format_number(rule.stability_pct, lang))],
        ),
        (_t(report, "wb.set.percentiles"), [_percentile_method(report)]),
        (_t(report, "wb.set.min_group"), [" ".join(report.disclosure.notes(lang))]),
    ]
    latest = report.latest_verdicts()
    verdicts = Counter(verdict_label(item.verdict, lang) for item in latest.values())
    facts += [
        (_t(report, "wb.set.invited"), [len(report.participants)]),
        (_t(report, "wb.set.present"), [present_count(report)]),
        (_t(report, "wb.set.rounds"), [len(report.rounds)]),
        (_t(report, "wb.set.rated"), [len(rated_codes(report))]),
        (_t(report, "wb.set.ballots"), [sum(r.n_ballots for r in report.rounds)]),
        (_t(report, "wb.set.comments"), [len(report.comments)]),
        (_t(report, "wb.set.decisions"), [len(current_decisions(report.decisions))]),
        (
            _t(report, "wb.set.verdicts"),
            [", ".join(f"{label} {n}" for label, n in sorted(verdicts.items()))],
        ),
        (
            _t(report, "wb.set.confidentiality"),
            [_t(report, "wb.names_shown" if report.show_names else "wb.anonymous")],
        ),
    ]
    return _sheet(
        report,
        title=_t(report, "sheet.settings"),
        preface=[_t(report, "wb.set.title")],
        facts=facts,
        header=(),
        rows=(),
        widths={0: 30, 1: 75},
        landscape=False,
    )


def _percentile_method(report: Report) -> str:
    """The method in words; one we do not know the words of is shown as recorded."""
    if report.percentile_method == PERCENTILE_METHOD:
        return _t(report, "percentile.method")
    return report.percentile_method


# -- decisions and revisions ------------------------------------------------------------------


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
                _moment(d.recorded_at),
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
    return _sheet(
        report,
        title=_t(report, "sheet.decisions"),
        header=header,
        rows=rows,
        widths={
            0: 12,
            1: 45,
            2: 12,
            3: 6,
            4: 40,
            5: 7,
            6: 7,
            7: 11,
            8: 10,
            9: 10,
            10: 16,
            11: 36,
            12: 17,
        },
        wrap=frozenset({1, 4, 8, 9, 10, 11}),
        freeze_columns=1,
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
            _moment(row.recorded_at),
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
    return _sheet(
        report,
        title=_t(report, "sheet.lineage"),
        header=header,
        rows=rows,
        widths={0: 12, 1: 24, 2: 45, 3: 45, 4: 22, 5: 9, 6: 34, 7: 17},
        wrap=frozenset({1, 2, 3, 4, 6}),
        freeze_columns=1,
    )


# -- figures ------------------------------------------------------------------------------------


def _result_header(report: Report, name: str) -> str:
    """A tidy column in words: the same words as the spreadsheet CSV of ``results``."""
    key = f"tidy.col.{name}"
    return _t(report, key) if has(key) else name


def _results_sheet(report: Report) -> SheetSpec:
    """Unrounded figures: the display format rounds, the stored value does not."""
    lang = report.lang
    criterion = _criterion_name(report)
    labels: dict[tuple[str, str], str] = {}

    def label(kind: Callable[[str, str], str], value: str) -> str:
        key = (kind.__name__, value)
        if key not in labels:
            labels[key] = kind(value, lang)
        return labels[key]

    rows: list[list[CellValue]] = []
    for row in report.results:
        # Cards counted: empty unless some were, so the column reads as a mark, not noise.
        stats: list[CellValue] = [
            (row.n_counted or None) if name == "n_counted" else getattr(row.stats, name)
            for name in _STAT_COLUMNS
        ]
        disagreement = _STAT_COLUMNS.index("disagreement")
        if isinstance(stats[disagreement], bool):
            stats[disagreement] = yes_no(bool(stats[disagreement]), lang)
        rows.append(
            [
                row.round,
                row.indicator,
                row.version,
                criterion(row.criterion),
                label(group_label, row.group),
                *stats,
                label(class_label, row.ram_class),
                label(class_label, row.percent_class),
                label(verdict_label, row.verdict),
            ]
        )
    return _sheet(
        report,
        title=_t(report, "sheet.results"),
        header=[_result_header(report, name) for name in RESULT_COLUMNS],
        rows=rows,
        number_formats=_formats(RESULT_COLUMNS),
        widths={1: 11, 3: 12, 8: 14, 29: 14, 30: 14, 31: 15},
        freeze_columns=2,
        # Figures to look up rather than read through: one page across, small print.
        pages_wide=1,
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
    criterion = _criterion_name(report)
    rows: list[list[CellValue]] = []
    for row in report.stability:
        st = row.stability
        rows.append(
            [
                row.round,
                row.previous_round,
                row.indicator,
                criterion(row.criterion),
                group_label(row.group, lang),
                st.n_pairs,
                st.n_moved,
                st.pct_moved,
                yes_no(st.stable, lang) if st.stable is not None else None,
            ]
        )
    pct = format_number(report.rule.stability_pct, lang)
    return _sheet(
        report,
        title=_t(report, "sheet.stability"),
        preface=[
            _t(report, "wb.stability.intro"),
            _t(report, "wb.stability.stable_words", pct=pct),
            _t(report, "wb.stability.no_test"),
        ],
        header=[_result_header(report, name) for name in STABILITY_COLUMNS],
        rows=rows,
        number_formats=_formats(STABILITY_COLUMNS),
        landscape=False,
    )


def _attrition_sheet(report: Report) -> SheetSpec:
    """Invited, present and rating per round and group: who the figures speak for."""
    rows: list[list[CellValue]] = [
        [a.round, group_label(a.group, report.lang), a.invited, a.present, a.rating]
        for a in report.attrition
    ]
    header = [_attrition_header(report, name) for name in ATTRITION_COLUMNS]
    return _sheet(
        report,
        title=_t(report, "sheet.attrition"),
        preface=[_t(report, "wb.attrition.intro")],
        header=header,
        rows=rows,
        widths={1: 30},
        landscape=False,
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
    return _sheet(
        report,
        title=_t(report, "sheet.comments"),
        header=header,
        rows=rows,
        widths={0: 6, 1: 12, 2: 12, 4: 80},
        wrap=frozenset({4}),
    )


# -- the framework in full --------------------------------------------------------------------


def _framework_sheet(report: Report) -> SheetSpec:
    """Every field of every indicator, code first and kept on screen; empty fields left out.

    Why leave columns out: a typical matrix fills a handful of the reference sheet's
    fields, and twenty empty columns push the ones it has off the page.
    """
    indicators = [
        (dimension, outcome, ind)
        for dimension in report.framework.dimensions
        for outcome in dimension.outcomes
        for ind in outcome.indicators
    ]

    def shown(value: object) -> CellValue:
        return _text(report, value) if isinstance(value, Text) else value  # type: ignore[return-value]

    used = [
        (name, key)
        for name, key in _INDICATOR_FIELDS
        if name == "text"
        or any(shown(getattr(ind, name)) not in (None, "") for *_, ind in indicators)
    ]
    extra_headers: list[str] = []
    for *_, ind in indicators:
        for name, value in ind.extra:
            if name not in extra_headers and value not in (None, ""):
                extra_headers.append(name)
    latest = report.latest_verdicts()
    header = [
        _t(report, "col.code"),
        *(_t(report, key) for _, key in used),
        _t(report, "col.dimension"),
        _t(report, "col.outcome"),
        *extra_headers,
        _t(report, "col.verdict"),
    ]
    rows: list[list[CellValue]] = []
    for dimension, outcome, ind in indicators:
        extras = dict(ind.extra)
        item = latest.get(ind.code)
        rows.append(
            [
                ind.code,
                *(shown(getattr(ind, name)) for name, _ in used),
                _coded(report, dimension.code, dimension.title),
                _coded(report, outcome.code, outcome.title),
                *(extras.get(name, "") for name in extra_headers),
                verdict_label(item.verdict if item else "not rated", report.lang),
            ]
        )
    count = len(header)
    widths: dict[int, float] = {0: 12, 1: 50}
    widths.update({i: 28.0 for i in range(2, count - 1)})
    widths[count - 1] = 16
    return _sheet(
        report,
        title=_t(report, "sheet.framework"),
        preface=[_text(report, report.framework.title), _text(report, report.framework.notes)],
        header=header,
        rows=rows,
        wrap=frozenset(range(1, count)),
        widths=widths,
        freeze_columns=1,
    )


# -- the day's record -------------------------------------------------------------------------


def _rounds_sheet(report: Report) -> SheetSpec:
    rows: list[list[CellValue]] = [
        [
            r.round.number,
            status_label(r.round.status, report.lang),
            _moment(r.round.opened_at),
            _moment(r.round.closed_at),
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
    return _sheet(
        report,
        title=_t(report, "sheet.rounds"),
        header=header,
        rows=rows,
        widths={0: 6, 2: 17, 3: 17, 4: 60},
        wrap=frozenset({4}),
    )


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
    shown = report.disclosure
    for p in report.participants:
        row: list[CellValue] = [p.code, group_label(shown.group_of(p.group), report.lang)]
        row.append(shown.sex_of(p))
        row.append(yes_no(p.present, report.lang))
        row += [_presence_word(report, p, number) for number in numbers]
        row.append(p.withdrawn_from)
        if report.show_names:
            row[1:1] = [p.name, p.organisation]
        rows.append(row)
    return _sheet(
        report,
        title=_t(report, "sheet.participants"),
        # One line, so the table starts where it always did; the groups as shown said too.
        preface=[
            " ".join(
                [
                    _t(report, "wb.names_shown" if report.show_names else "wb.anonymous"),
                    *_group_notes(report),
                    *filter(None, [shown.sex_note(report.lang)]),
                ]
            )
        ],
        header=header,
        rows=rows,
        landscape=len(header) > 8,
    )


def _group_notes(report: Report) -> list[str]:
    """Which groups are pooled or not shown, and why; nothing when every group is shown.

    Why only then: a workbook whose groups are all large enough reads as it always did.
    The Paramètres sheet always states the threshold (``wb.set.min_group``).
    """
    shown = report.disclosure
    return shown.notes(report.lang) if shown.pooled or shown.withheld else []


def _presence_word(report: Report, person: Participant, round_no: int) -> str:
    """How they attended a round, in the words the facilitator typed; withdrawn once gone."""
    if person.withdrawn_from is not None and round_no >= person.withdrawn_from:
        return _t(report, "wb.presence.withdrawn")
    return _t(report, f"presence.status.{person.presence_in(round_no)}")


def _ballots_sheet(report: Report) -> SheetSpec:
    """One row per ballot paper: a participant's scores on every criterion for one indicator.

    Why not one row per score: the paper had one line per indicator, and a national
    session's 200,000 scores as rows cost three times the cells, the time and the pages.
    """
    lang = report.lang
    codes = [c.code for c in report.criteria]
    codes += sorted({b.criterion for b in report.ballots} - set(codes))
    position = {code: 5 + i for i, code in enumerate(codes)}
    criterion = _criterion_name(report)
    cannot_judge = _t(report, "cannot_judge")
    groups: dict[str, str] = {}
    sources: dict[str, str] = {}
    moments: dict[str, datetime | str | None] = {}
    papers: dict[tuple[int, str, int, str], list[CellValue]] = {}
    width = 5 + len(codes) + 3
    for b in report.ballots:
        key = (b.round, b.indicator, b.version, b.participant)
        row = papers.get(key)
        if row is None:
            if b.group not in groups:
                groups[b.group] = group_label(b.group, lang)
            if b.source not in sources:
                sources[b.source] = _source_label(b.source, lang)
            if b.recorded_at not in moments:
                moments[b.recorded_at] = _moment(b.recorded_at)
            row = [None] * width
            row[:5] = [b.round, b.indicator, b.version, b.participant, groups[b.group]]
            row[-3] = sources[b.source]
            row[-2] = b.station
            row[-1] = moments[b.recorded_at]
            papers[key] = row
        row[position[b.criterion]] = b.score if b.score is not None else cannot_judge
    header = [
        _t(report, key)
        for key in ("col.round", "col.indicator", "col.version", "col.participant", "col.group")
    ]
    header += [criterion(code) for code in codes]
    header += [_t(report, "col.source"), _t(report, "col.station"), _t(report, "col.recorded_at")]
    return _sheet(
        report,
        title=_t(report, "sheet.ballots"),
        header=header,
        rows=list(papers.values()),
        widths={0: 6, 1: 11, 2: 8, 3: 11, width - 2: 16, width - 1: 17},
        landscape=False,
    )


def _sources_sheet(report: Report) -> SheetSpec:
    """Per round, the ballots by channel and computer, and the cards counted in plenary.

    Why: a session fed by laptops, paper, forms and counts at once must say what each
    result rests on; the sentence above the table is the one the minutes print.
    """
    from hsvalidate.exports.channels import channels_sentence

    lang = report.lang
    rows: list[list[CellValue]] = []
    for summary in report.rounds:
        number = summary.round.number
        # The busiest channel first, as the sentence above the table says them.
        here = sorted(
            (c for c in report.channels if c.round == number),
            key=lambda c: (-c.ballots, c.source, c.station),
        )
        rows += [[number, _source_label(c.source, lang), c.station, c.ballots, None] for c in here]
        cards: dict[tuple[str, str], int] = {}
        for count in report.counts:
            if count.round == number:
                key = (count.source, count.station)
                cards[key] = cards.get(key, 0) + count.total
        rows += [
            [number, _source_label(source, lang), station, None, n]
            for (source, station), n in sorted(cards.items())
        ]
    header = [
        _t(report, key)
        for key in ("col.round", "col.source", "col.station", "col.ballots", "col.cards")
    ]
    return _sheet(
        report,
        title=_t(report, "sheet.sources"),
        preface=[
            _t(report, "sheet.sources"),
            _t(report, "wb.sources.intro"),
            *(channels_sentence(report, r.round.number) for r in report.rounds),
        ],
        header=header,
        rows=rows,
        number_formats={0: _COUNT_FORMAT, 3: _COUNT_FORMAT, 4: _COUNT_FORMAT},
        widths={0: 6, 1: 16, 2: 24, 3: 10, 4: 16},
        landscape=False,
    )


def _counts_sheet(report: Report) -> SheetSpec:
    """Every count of cards that stands: the cards at each point of the scale, as typed.

    Why a row per count and not per card: it is what the facilitator typed and can
    check against the flip chart; the Results sheet says how many of each result's
    ratings are cards (its last column).
    """
    lang = report.lang
    scale = report.scale
    points = list(range(scale.low, scale.high + 1))
    criterion = _criterion_name(report)
    rows: list[list[CellValue]] = [
        [
            c.round,
            c.indicator,
            c.version,
            criterion(c.criterion),
            *(c.counts.get(p) or None for p in points),
            c.cannot_judge or None,
            c.total,
            _source_label(c.source, lang),
            c.station,
            _moment(c.recorded_at),
        ]
        for c in report.counts
    ]
    header = [
        _t(report, key) for key in ("col.round", "col.indicator", "col.version", "col.criterion")
    ]
    header += [str(p) for p in points]
    header += [
        _t(report, "cannot_judge"),
        _t(report, "col.total_cards"),
        _t(report, "col.source"),
        _t(report, "col.station"),
        _t(report, "col.recorded_at"),
    ]
    last = len(header) - 1
    widths: dict[int, float] = {0: 6, 1: 12, 2: 8, 3: 14, last - 1: 16, last: 17}
    widths.update({4 + i: 5 for i in range(len(points))})  # one narrow column per score
    widths[4 + len(points)] = 11
    return _sheet(
        report,
        title=_t(report, "sheet.counts"),
        preface=[_t(report, "sheet.counts"), _t(report, "wb.counts.intro")],
        header=header,
        rows=rows,
        widths=widths,
        landscape=True,
    )


# -- names for tools --------------------------------------------------------------------------


def _columns_sheet(report: Report) -> SheetSpec:
    """Each header and each of our words, beside the name ``results --format csv|json`` uses.

    Why: the sheets speak the session's language for their readers, while scripts and
    statistical packages read the tidy files, whose names and codes never change.
    """
    lang = report.lang
    results, stability, attrition = (
        _t(report, "sheet.results"),
        _t(report, "sheet.stability"),
        _t(report, "sheet.attrition"),
    )
    rows: list[list[CellValue]] = []
    rows += [[results, _result_header(report, name), name] for name in RESULT_COLUMNS]
    rows += [[stability, _result_header(report, name), name] for name in STABILITY_COLUMNS]
    rows += [[attrition, _attrition_header(report, name), name] for name in ATTRITION_COLUMNS]
    criteria = _t(report, "col.criterion")
    rows += [[criteria, c.label.get(lang) or c.code, c.code] for c in report.criteria]
    group = _t(report, "col.group")
    seen = {r.group for r in report.results} | {p.group for p in report.participants}
    seen |= {report.disclosure.group_of(p.group) for p in report.participants}  # as shown
    codes = [ALL_GROUPS, *sorted(seen - {ALL_GROUPS})]
    rows += [[group, group_label(code, lang), code] for code in codes if code]
    verdict = _t(report, "col.verdict")
    rows += [[verdict, verdict_label(v, lang), v] for v in VERDICTS]
    for column in ("ram_class", "percent_class"):
        classes = _result_header(report, column)
        rows += [[classes, class_label(v, lang), v] for v in _CLASSES[column]]
    yes_no_columns = f"{_result_header(report, 'disagreement')}, {_result_header(report, 'stable')}"
    rows += [[yes_no_columns, yes_no(flag, lang), str(flag).lower()] for flag in (True, False)]
    channel = _t(report, "col.source")
    rows += [[channel, _source_label(code, lang), code] for code in SOURCES]
    return _sheet(
        report,
        title=_t(report, "sheet.columns"),
        preface=[_t(report, "wb.columns.intro")],
        header=[
            _t(report, "col.where"),
            _t(report, "col.in_workbook"),
            _t(report, "col.tidy_name"),
        ],
        rows=rows,
        widths={0: 30, 1: 34, 2: 26},
        wrap=frozenset({0, 1}),
        landscape=False,
    )


_CLASSES = {
    "ram_class": (APPROPRIATE, UNCERTAIN, INAPPROPRIATE, BELOW_QUORUM),
    "percent_class": (CONSENSUS_IN, CONSENSUS_OUT, NO_CONSENSUS, BELOW_QUORUM),
}


_ATTRITION_HEADERS = {
    "round": "col.round",
    "group": "col.group",
    "invited": "col.invited",
    "present": "col.n_present",
    "rating": "col.rating",
}


def _attrition_header(report: Report, name: str) -> str:
    """Turnout columns in the words the Tours sheet and the sheet's own note use."""
    return _t(report, _ATTRITION_HEADERS[name])
