"""The validated framework: the draft after the plenary's decisions, in the draft's formats.

Why the status is an ``extra`` column: it reads back as one more column of the matrix
(or one ``extra`` pair in YAML), so loading the file gives the framework it describes,
and the secretariat can hand it to the next cycle as a draft.  The status words are in
the framework's working language (``Framework.lang``), whatever the documents' language,
since the file belongs with the draft.

What each decision does (the latest decision per indicator stands):

- ``adopt``: kept; ``reword``: kept with its latest wording (``hsvalidate indicator
  reword`` makes it), marked "to be reworded"; ``defer``: kept, marked deferred;
- ``drop``: left out, unless ``keep_dropped`` (then kept and marked);
- ``merge``: left out (kept and marked with ``keep_dropped``); each indicator it went
  into says so in its notes;
- revisions made between the rounds are already in the report's framework (reworded
  texts, merges, splits, additions); what they took out is left out, or with
  ``keep_dropped`` kept under its original outcome and marked;
- no decision: kept, marked with what the vote said, so nothing silently disappears
  and the plenary keeps the last word.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from hsvalidate.consensus import DROP, KEEP, NO_CONSENSUS
from hsvalidate.framework import Framework, Indicator, Text
from hsvalidate.i18n.documents import doc_text
from hsvalidate.model import Decision, current_decisions
from hsvalidate.report import Report

_LANGS = ("fr", "en")
_LEFT_OUT = ("drop", "merge")
"""Decisions whose indicator leaves the framework unless it is asked to be kept."""


def status_header(lang: str) -> str:
    """The header of the status column, in the framework's working language."""
    return doc_text("validation.col.status", lang)


def _status(decision: Decision | None, verdict: str | None, lang: str) -> str:
    if decision is not None:
        if decision.action == "merge":
            if decision.into:
                return doc_text("validation.status.merge", lang, into=", ".join(decision.into))
            return doc_text("validation.status.merge_nowhere", lang)
        return doc_text(f"validation.status.{decision.action}", lang)
    if verdict == KEEP:
        return doc_text("validation.status.vote_keep", lang)
    if verdict == DROP:
        return doc_text("validation.status.vote_drop", lang)
    if verdict == NO_CONSENSUS:
        return doc_text("validation.status.vote_no_consensus", lang)
    return doc_text("validation.status.vote_unsettled", lang)


def _with_status(ind: Indicator, status: str, lang: str) -> Indicator:
    """``ind`` with its status column; a status from an earlier export is replaced."""
    headers = {status_header(each) for each in _LANGS}
    extra = tuple(pair for pair in ind.extra if pair[0] not in headers)
    return replace(ind, extra=(*extra, (status_header(lang), status)))


def _noted(notes: Text, sources: list[str], lang: str) -> Text:
    """``notes`` with the indicators merged into this one named, in each language it has."""
    codes = ", ".join(sources)
    values: dict[str, str] = {}
    for each in _LANGS:
        current = getattr(notes, each)
        if each != lang and not current:
            values[each] = current
            continue
        note = doc_text("validation.note.merged", each, codes=codes)
        values[each] = f"{current} — {note}" if current else note
    return Text(**values)


def validated_framework(report: Report, *, keep_dropped: bool = False) -> Framework:
    """The report's framework after the plenary's decisions, each indicator with its status."""
    fw = report.framework
    lang = fw.lang
    decisions = {d.indicator: d for d in current_decisions(report.decisions)}
    verdicts = {code: result.verdict for code, result in report.latest_verdicts().items()}
    merged_into: dict[str, list[str]] = {}
    for decision in decisions.values():
        if decision.action == "merge":
            for target in decision.into:
                merged_into.setdefault(target, []).append(decision.indicator)

    def settle(ind: Indicator) -> Indicator | None:
        decision = decisions.get(ind.code)
        if decision is not None and decision.action in _LEFT_OUT and not keep_dropped:
            return None
        out = _with_status(ind, _status(decision, verdicts.get(ind.code), lang), lang)
        if ind.code in merged_into:
            out = replace(out, notes=_noted(out.notes, merged_into[ind.code], lang))
        return out

    # Indicators the room took out between the rounds (dropped, merged away, split) are
    # kept only on request, marked, under the outcome they came from.
    retired: dict[str, list[Indicator]] = {}
    if keep_dropped:
        history = report.lineage
        for code, gone in history.retired.items():
            last = history.wording(code)
            parents = history.original.parents(code)
            outcome = parents[1].code if parents else gone.revision.outcome
            if last is None or not outcome:
                continue
            status = doc_text(
                f"validation.status.revision.{gone.change}", lang, into=", ".join(gone.into)
            )
            retired.setdefault(outcome, []).append(_with_status(last, status, lang))

    return replace(
        fw,
        dimensions=tuple(
            replace(
                dim,
                outcomes=tuple(
                    replace(
                        out,
                        indicators=tuple(
                            kept for ind in out.indicators if (kept := settle(ind)) is not None
                        )
                        + tuple(retired.get(out.code, ())),
                    )
                    for out in dim.outcomes
                ),
            )
            for dim in fw.dimensions
        ),
    )


def write_framework_xlsx(report: Report, path: Path, *, keep_dropped: bool = False) -> None:
    """The validated framework as the indicator matrix (one sheet, merged cells)."""
    from hsvalidate.framework_io import save_framework_xlsx

    save_framework_xlsx(validated_framework(report, keep_dropped=keep_dropped), path)


def write_framework_yaml(report: Report, path: Path, *, keep_dropped: bool = False) -> None:
    """The validated framework as the tool's own YAML."""
    from hsvalidate.framework_io import save_framework_yaml

    save_framework_yaml(validated_framework(report, keep_dropped=keep_dropped), path)


def write_framework_csv(report: Report, path: Path, *, keep_dropped: bool = False) -> None:
    """The validated framework as the matrix in a CSV file French Excel opens (``;``, BOM)."""
    from hsvalidate.framework_io import save_framework_csv

    save_framework_csv(validated_framework(report, keep_dropped=keep_dropped), path)
