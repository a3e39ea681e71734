"""Documents built from one read-only ``Report``: the consensus workbook and the PDF minutes.

Why the shared helpers live here: the workbook and the minutes must describe the scale,
the rule and the workshop dates in the same words, so both take them from one place.
Nothing here imports openpyxl or reportlab; ``xlsx`` and ``pdf`` import them lazily.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from hsvalidate.consensus import Rule, Scale, band_text, ipras_constants
from hsvalidate.errors import HsValidateError
from hsvalidate.framework import Text
from hsvalidate.i18n import Message
from hsvalidate.i18n.documents import doc_text, format_date_range, format_number, group_label
from hsvalidate.report import ALL_GROUPS, Report, ResultRow

if TYPE_CHECKING:
    from hsvalidate.revisions import History, Revision


def scale_text(scale: Scale, lang: str) -> str:
    """The scale with its three bands, as printed in both documents."""
    low, mid, high = scale.bands
    mid_key = "band.mid9" if scale.high == 9 else "band.mid5"
    bands = ", ".join(
        f"{doc_text(key, lang)} {band_text(band)}"
        for key, band in (("band.low", low), (mid_key, mid), ("band.high", high))
    )
    return doc_text("scale", lang, low=scale.low, high=scale.high, bands=bands)


def rule_text(rule: Rule, scale: Scale, lang: str) -> str:
    """The consensus rule in words, with its thresholds, as decided before round 1."""
    spec = rule.spec
    values = {
        name: format_number(value, lang, digits=2) if isinstance(value, float) else value
        for name, value in spec.text_values(rule, scale).items()
    }
    return doc_text(spec.text_key, lang, **values)


def rule_details(rule: Rule, scale: Scale, lang: str, *, present: int | None = None) -> list[str]:
    """Sentences completing ``rule_text``: quorum, group variant, stability, IPRAS on 1–5.

    Why a list shared by both documents: a reader who checks the minutes against the
    workbook must find the same settings in the same words.
    """
    sentences = [doc_text("rule.quorum", lang, quorum=rule.quorum)]
    if rule.quorum_share > 0:
        share = format_number(rule.quorum_share, lang)
        if present is None:
            sentences.append(doc_text("rule.quorum_share", lang, pct=share))
        else:
            sentences.append(
                doc_text(
                    "rule.quorum_share_panel",
                    lang,
                    pct=share,
                    present=present,
                    quorum=rule.panel_quorum(present),
                )
            )
    if rule.group_quorum > 0:
        sentences.append(doc_text("rule.group_quorum", lang, n=rule.group_quorum))
    else:
        sentences.append(doc_text("rule.no_group_quorum", lang))
    sentences.append(doc_text("rule.per_group" if rule.per_group else "rule.whole_panel", lang))
    sentences.append(doc_text("rule.important", lang))
    sentences.append(doc_text("rule.stability", lang, pct=format_number(rule.stability_pct, lang)))
    return sentences


def present_count(report: Report) -> int:
    """Participants present: what a share-of-the-panel quorum is counted on."""
    return sum(1 for p in report.participants if p.present)


def ipras_adaptation(scale: Scale, lang: str) -> str:
    """The sentence explaining IPRAS on a 1–5 scale; empty on 1–9, where the manual applies."""
    if scale.high == 9:
        return ""
    base, slope = ipras_constants(scale)
    return doc_text(
        "rule.ipras5",
        lang,
        base=format_number(base, lang, digits=3),
        slope=format_number(slope, lang, digits=3),
    )


def groups_text(groups: str, lang: str) -> str:
    """Translated group names from a comma-joined list (``IndicatorResult.important_to``)."""
    return ", ".join(group_label(g, lang) for g in groups.split(", ") if g)


def session_dates(report: Report) -> str:
    """The workshop's dates: from the first round opened to the last closed.

    Falls back to the session's creation and the report's computation when no round
    carries timestamps, so the documents never print an empty date.
    """
    opened = sorted(r.round.opened_at for r in report.rounds if r.round.opened_at)
    closed = sorted(r.round.closed_at for r in report.rounds if r.round.closed_at)
    first = opened[0] if opened else report.created_at
    last = closed[-1] if closed else (opened[-1] if opened else report.generated_at)
    return format_date_range(first, last, report.lang)


# Indicator fields in the order of a Performance Indicator Reference Sheet, with their header keys.
INDICATOR_FIELDS: tuple[tuple[str, str], ...] = (
    ("text", "col.text"),
    ("definition", "col.definition"),
    ("unit", "col.unit"),
    ("calculation", "col.calculation"),
    ("disaggregation", "col.disaggregation"),
    ("baseline", "col.baseline"),
    ("baseline_year", "col.baseline_year"),
    ("target", "col.target"),
    ("target_year", "col.target_year"),
    ("source", "col.data_source"),
    ("method", "col.method"),
    ("frequency", "col.frequency"),
    ("responsible", "col.responsible"),
    ("assumptions", "col.assumptions"),
    ("notes", "col.notes"),
)


def indicator_text(report: Report, code: str, version: int | None = None) -> str:
    """An indicator's wording in the report's language: at ``version``, else as it stands now.

    Why the version: round 1's figures of a reworded indicator are about the wording
    round 1 rated, and must be printed beside that wording.  Empty for an unknown code.
    """
    indicator = report.lineage.wording(code, version)
    if indicator is None:
        indicator = report.framework.indicator(code)
    return indicator.text.get(report.lang) if indicator else ""


def rated_version(report: Report, code: str, round_no: int) -> int | None:
    """The version of ``code`` that round ``round_no`` rated (None when it rated none)."""
    versions = [r.version for r in report.results if r.indicator == code and r.round == round_no]
    return max(versions) if versions else None


@dataclass(frozen=True)
class LineageRow:
    """One revision of the framework as the documents print it."""

    code: str
    change: str
    """The change in words (« reformulé, version 2 »)."""
    before: str
    """The wording(s) it replaced; empty for an addition."""
    after: str
    """The wording(s) it made; empty for a drop."""
    rated: str
    """Which round rated which version of the indicators it made (« tour 1 : v1 ; tour 2 : v2 »)."""
    reason: str
    after_round: int
    recorded_at: str


def lineage_rows(report: Report) -> list[LineageRow]:
    """Every revision, oldest first: original → revised wording, and which round rated which."""
    lang = report.lang
    history = report.lineage
    rows: list[LineageRow] = []
    seen_version: dict[str, int] = {code: 1 for code in history.original_codes()}
    for revision in history.revisions:
        made = revision.new_codes
        versions = []
        for code in made:
            seen_version[code] = seen_version.get(code, 0) + 1
            versions.append(seen_version[code])
        if revision.change == "merge":
            befores = revision.sources
        elif revision.change == "add":
            befores = ()
        else:
            befores = (revision.code,)
        changed = _changed_fields(history, revision, lang) if revision.change == "reword" else []
        before = "\n".join(
            doc_text(
                "lineage.coded",
                lang,
                code=code,
                text=indicator_text(report, code, _version_before(history, code, revision)),
            )
            if len(befores) > 1
            else indicator_text(report, code, _version_before(history, code, revision))
            for code in befores
        )
        after = "\n".join(
            doc_text("lineage.coded", lang, code=ind.code, text=ind.text.get(lang))
            if len(made) > 1
            else ind.text.get(lang)
            for ind in revision.indicators
        )
        if changed:
            before = "\n".join([before, *(old for _, old, _ in changed)]).strip()
            after = "\n".join([after, *(new for _, _, new in changed)]).strip()
        codes = made or befores
        rated = " · ".join(
            doc_text("lineage.coded", lang, code=code, text=rounds) if len(codes) > 1 else rounds
            for code in codes
            if (
                rounds := ", ".join(
                    doc_text("lineage.rated", lang, round=r.round, version=r.version)
                    for r in _rated_rounds(report, code)
                )
            )
        )
        rows.append(
            LineageRow(
                code=revision.code,
                change=doc_text(
                    f"lineage.change.{revision.change}",
                    lang,
                    version=versions[0] if versions else "",
                    codes=", ".join(made),
                    sources=", ".join(revision.sources),
                    outcome=revision.outcome,
                ),
                before=before,
                after=after,
                rated=rated,
                reason=revision.reason,
                after_round=revision.after_round,
                recorded_at=revision.recorded_at,
            )
        )
    return rows


def _changed_fields(history: History, revision: Revision, lang: str) -> list[tuple[str, str, str]]:
    """Each field besides the statement that a rewording changed: (field, old, new), labelled.

    Why: a rewording may change only the source or the target; the lineage must show
    that change, not two identical statements.
    """
    new = revision.indicators[0]
    old = history.wording(revision.code, _version_before(history, revision.code, revision))
    if old is None:
        return []
    out = []
    for name, key in INDICATOR_FIELDS:
        before, after = getattr(old, name), getattr(new, name)
        if name == "text" or before == after:
            continue
        label = doc_text(key, lang)
        out.append(
            (
                name,
                doc_text("lineage.coded", lang, code=label, text=_field_text(before, lang)),
                doc_text("lineage.coded", lang, code=label, text=_field_text(after, lang)),
            )
        )
    return out


def _field_text(value: object, lang: str) -> str:
    """A field's value as printed: a text in the language, a year or value as written, else –."""
    if isinstance(value, Text):
        return value.get(lang) or "–"
    return "–" if value in (None, "") else str(value)


def _version_before(history: History, code: str, revision: Revision) -> int:
    """The version ``code`` was at just before ``revision``."""
    count = 1 if code in history.original_codes() else 0
    for earlier in history.revisions:
        if earlier is revision:
            break
        count += earlier.new_codes.count(code)
    return max(count, 1)


def _rated_rounds(report: Report, code: str) -> list[ResultRow]:
    """One whole-panel result row per round that rated ``code``, in round order."""
    rows: dict[int, ResultRow] = {}
    for row in report.results:
        if row.indicator == code and row.group == ALL_GROUPS and row.stats.n:
            rows.setdefault(row.round, row)
    return [rows[k] for k in sorted(rows)]


def rated_codes(report: Report) -> list[str]:
    """Codes of every rated indicator, framework order first, then any unknown to the framework.

    Why: a result must never vanish from a document because its indicator was renamed
    or removed from the framework after it was rated.
    """
    rated = {r.indicator for r in report.results} | {r.indicator for r in report.indicator_results}
    ordered = [code for code in report.lineage.order() if code in rated]
    return ordered + sorted(rated - set(ordered))


# -- the registry of export formats -------------------------------------------------------


@dataclass(frozen=True)
class Exporter:
    """One kind of file the secretariat can take home, declared once.

    The CLI offers the formats of ``EXPORTERS`` and calls ``write``; nothing else
    branches on a format's name.  Adding a format is one entry here, a module with its
    writer, and its words (``export.format.<name>``) in the catalogue.
    """

    name: str
    """Format name on the command line (``--format xlsx``)."""
    suffix: str
    """End of the file name, after the session and language (``-consensus.xlsx``)."""
    target: str
    """``module:function`` writing ``(report, path)``; imported only when used, so that
    ``--help`` never loads openpyxl or reportlab."""
    default: bool = True
    """Written by a plain ``hsvalidate export``."""
    options: tuple[str, ...] = ()
    """Keyword options the writer takes (``keep_dropped``); the others are not passed."""

    @property
    def label_key(self) -> str:
        """Catalogue key of what the file is (« Classeur de consensus »)."""
        return f"export.format.{self.name}"

    def write(self, report: Report, path: Path, **options: object) -> None:
        """Write the report in this format to ``path``, with the options it takes."""
        module, function = self.target.split(":")
        mine = {name: value for name, value in options.items() if name in self.options}
        getattr(importlib.import_module(module), function)(report, path, **mine)


EXPORTERS: dict[str, Exporter] = {
    e.name: e
    for e in (
        Exporter("xlsx", "-consensus.xlsx", "hsvalidate.exports.xlsx:write_consensus_workbook"),
        Exporter(
            "pdf", "-minutes.pdf", "hsvalidate.exports.pdf:write_minutes", options=("signatures",)
        ),
        Exporter(
            "csv",
            "-results.csv",
            "hsvalidate.exports.tidy:write_results_csv",
            default=False,
            options=("tidy",),
        ),
        Exporter(
            "json", "-results.json", "hsvalidate.exports.tidy:write_results_json", default=False
        ),
        *(
            Exporter(
                f"framework-{kind}",
                f"-framework.{kind}",
                f"hsvalidate.exports.framework:write_framework_{kind}",
                default=False,
                options=("keep_dropped",),
            )
            for kind in ("xlsx", "yaml", "csv")
        ),
    )
}
"""Every export format, in the order files are listed."""


def default_formats() -> list[str]:
    """The formats a plain ``export`` writes: the workbook and the minutes."""
    return [name for name, exporter in EXPORTERS.items() if exporter.default]


def export_path(report: Report, exporter: Exporter, out_dir: Path) -> Path:
    """Where a format is written: ``<session>-<lang>[-names]<suffix>`` in ``out_dir``.

    The language and the names flag are in the name so that the French and English
    files, and a named copy, never overwrite each other.
    """
    names = "-names" if report.show_names else ""
    return Path(out_dir) / f"{report.session}-{report.lang}{names}{exporter.suffix}"


def write_exports(
    report: Report, out_dir: Path, formats: Sequence[str], **options: object
) -> list[tuple[Exporter, Path]]:
    """Write the report in each format asked for; returns what was written where.

    ``options`` (``keep_dropped=True``) go to the formats that take them.
    """
    unknown = [f for f in formats if f not in EXPORTERS]
    if unknown:
        raise HsValidateError(
            Message("export.unknown_format", name=unknown[0], known=", ".join(EXPORTERS))
        )
    written: list[tuple[Exporter, Path]] = []
    for name in formats:
        exporter = EXPORTERS[name]
        path = export_path(report, exporter, out_dir)
        exporter.write(report, path, **options)
        written.append((exporter, path))
    return written


# -- where each indicator ended: the validated framework in one list ------------------------

KEPT_STATUSES = (
    "retained",
    "reworded",
    "to_reword",
    "merger",
    "split_part",
    "added",
    "deferred",
    "undecided",
)
"""Final statuses of an indicator that stays in the validated framework."""

LEFT_STATUSES = ("merged", "split", "dropped")
"""Final statuses of an indicator that left the framework (between rounds or in plenary)."""

if TYPE_CHECKING:
    from hsvalidate.model import Decision
    from hsvalidate.report import IndicatorResult


@dataclass(frozen=True)
class FinalStatus:
    """Where one indicator ended after every round, revision and plenary decision.

    Why one list shared by the documents: the minutes' summary counts, the validated
    framework they print and the framework export must agree on what was validated.
    The rules mirror ``exports.framework.validated_framework``: a decision to drop or
    merge takes an indicator out; any other decision, or none, keeps it.
    """

    code: str
    status: str
    """One of ``KEPT_STATUSES`` or ``LEFT_STATUSES``."""
    decision: Decision | None = None
    """The plenary's decision that stands, if any."""
    verdict: IndicatorResult | None = None
    """The verdict of the last round that rated it, if any."""
    related: tuple[str, ...] = ()
    """Indicators it came from (merger, split part) or went into (merged, split)."""

    @property
    def kept(self) -> bool:
        """Whether it is in the validated framework."""
        return self.status in KEPT_STATUSES


def final_statuses(report: Report) -> list[FinalStatus]:
    """Every indicator the session has known, in framework order, with where it ended.

    Precedence, first match wins: a plenary decision to drop, merge or defer; no
    decision and a last verdict other than "keep" (undecided); how the indicator came
    to be (added in the room, a part of a split, the result of a merge); reworded
    (a newer version, or a decision to reword); otherwise retained as drafted.
    Indicators taken out between the rounds keep the change that took them out.
    """
    from hsvalidate.consensus import KEEP
    from hsvalidate.model import current_decisions

    history = report.lineage
    decisions = {d.indicator: d for d in current_decisions(report.decisions)}
    latest = report.latest_verdicts()
    original = history.original_codes()
    current = [i.code for i in history.current.indicators()]
    out: list[FinalStatus] = []
    for code in current:
        decision = decisions.get(code)
        verdict = latest.get(code)
        action = decision.action if decision else ""
        made = [r for r in history.revisions if code in r.new_codes]
        first = made[0] if made else None
        related: tuple[str, ...] = ()
        if action == "drop":
            status = "dropped"
        elif action == "merge":
            status, related = "merged", decision.into if decision else ()
        elif action == "defer":
            status = "deferred"
        elif decision is None and (verdict is None or verdict.verdict != KEEP):
            status = "undecided"
        elif code not in original and first is not None and first.change == "split":
            status, related = "split_part", (first.code,)
        elif code not in original:
            status = "added"
        elif merge := next((r for r in made if r.change == "merge"), None):
            status, related = "merger", merge.sources
        elif history.version(code) > 1:
            status = "reworded"
        elif action == "reword":
            status = "to_reword"
        else:
            status = "retained"
        out.append(FinalStatus(code, status, decision, verdict, related))
    for code, gone in history.retired.items():
        if code in current:
            continue
        status = {"merge": "merged", "split": "split"}.get(gone.change, "dropped")
        out.append(FinalStatus(code, status, decisions.get(code), latest.get(code), gone.into))
    known = {s.code for s in out}
    for code, decision in decisions.items():
        if code not in known:  # decided on a code the framework no longer knows: still shown
            status = {"merge": "merged", "drop": "dropped", "defer": "deferred"}.get(
                decision.action, "retained"
            )
            out.append(FinalStatus(code, status, decision, latest.get(code), decision.into))
    return out
