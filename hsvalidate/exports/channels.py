"""Where the votes came from, in words both documents share: channels, computers, card counts.

Why one module for both documents: the workbook's Sources sheet and the minutes say the
same sentence per round (« Tour 1 : 412 votes — 300 à l'ordinateur, 100 sur papier ; 2
indicateurs complétés par un comptage de cartons en plénière »), so it is written once.
A channel this version does not know (one a later version or another laptop added) is
shown as its code, never an error.
"""

from __future__ import annotations

from collections import Counter

from hsvalidate.i18n import has
from hsvalidate.i18n.documents import doc_text
from hsvalidate.model import Count
from hsvalidate.report import Report

COUNTED_MARK = "‡"
"""Beside an indicator code in the minutes: some of its figures come from counted cards."""


def source_label(source: str, lang: str) -> str:
    """A channel in words (``paper`` → papier); a channel we do not know is shown as recorded."""
    key = f"source.{source}"
    return doc_text(key, lang) if has(key) else source


def channel_phrase(source: str, n: int, lang: str) -> str:
    """``300 à l'ordinateur``, ``12 par formulaire``; ``5 par « web »`` for an unknown channel."""
    key = f"channels.by.{source}"
    if has(key):
        return doc_text(key, lang, n=n)
    return doc_text("channels.by.other", lang, n=n, channel=source_label(source, lang))


def counts_in(report: Report, round_no: int) -> list[Count]:
    """The counts of cards that stand in a round."""
    return [c for c in report.counts if c.round == round_no]


def channels_sentence(report: Report, round_no: int) -> str:
    """One sentence: a round's ballots by channel, and the indicators completed by counts."""
    lang = report.lang
    by_source: Counter[str] = Counter()
    for row in report.channels:
        if row.round == round_no:
            by_source[row.source] += row.ballots
    total = sum(by_source.values())
    counted = len({c.indicator for c in counts_in(report, round_no) if c.total})
    phrases = ", ".join(
        channel_phrase(source, n, lang)
        for source, n in sorted(by_source.items(), key=lambda item: (-item[1], item[0]))
    )
    if counted:
        from hsvalidate.i18n import tn

        completed = tn("channels.counted", counted, lang=lang)
        if not total:
            return doc_text("channels.round_none_counted", lang, round=round_no, counted=completed)
        return doc_text(
            "channels.round_counted",
            lang,
            round=round_no,
            ballots=_ballots(total, lang),
            channels=phrases,
            counted=completed,
        )
    if not total:
        return doc_text("channels.round_none", lang, round=round_no)
    return doc_text(
        "channels.round", lang, round=round_no, ballots=_ballots(total, lang), channels=phrases
    )


def _ballots(n: int, lang: str) -> str:
    from hsvalidate.i18n import tn

    return tn("channels.ballots", n, lang=lang)


def counted_detail(report: Report, counts: list[Count]) -> str:
    """``Pertinence : 22 cartons ; Clarté : 20 cartons`` for one indicator's counts."""
    from hsvalidate.i18n import tn

    names = {c.code: c.label.get(report.lang) or c.code for c in report.criteria}
    return doc_text("channels.list_separator", report.lang).join(
        tn(
            "channels.criterion_cards",
            c.total,
            lang=report.lang,
            criterion=names.get(c.criterion, c.criterion),
        )
        for c in counts
    )
