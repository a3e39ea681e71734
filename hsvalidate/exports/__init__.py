"""Documents built from one read-only ``Report``: the consensus workbook and the PDF minutes.

Why the shared helpers live here: the workbook and the minutes must describe the scale,
the rule and the workshop dates in the same words, so both take them from one place.
Nothing here imports openpyxl or reportlab; ``xlsx`` and ``pdf`` import them lazily.
"""

from __future__ import annotations

from hsvalidate.consensus import Rule, Scale, ipras_constants
from hsvalidate.i18n.documents import doc_text, format_date_range, format_number, group_label
from hsvalidate.report import Report


def band_text(band: tuple[int, int]) -> str:
    """``1–3`` for a band, ``3`` when it is a single score."""
    low, high = band
    return str(low) if low == high else f"{low}–{high}"


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
    low, _, high = scale.bands
    if rule.kind == "percent":
        return doc_text(
            "rule.percent",
            lang,
            agree=format_number(rule.agree_pct, lang),
            veto=format_number(rule.veto_pct, lang),
            low=band_text(low),
            high=band_text(high),
        )
    if rule.kind == "likert":
        return doc_text(
            "rule.likert",
            lang,
            agree=format_number(rule.agree_pct, lang),
            iqr=format_number(rule.likert_iqr, lang, digits=2),
            low=band_text(low),
            high=band_text(high),
        )
    return doc_text("rule.ram", lang, low=band_text(low), high=band_text(high))


def rule_details(rule: Rule, scale: Scale, lang: str) -> list[str]:
    """Sentences completing ``rule_text``: quorum, group variant, stability, IPRAS on 1–5.

    Why a list shared by both documents: a reader who checks the minutes against the
    workbook must find the same settings in the same words.
    """
    sentences = [doc_text("rule.quorum", lang, quorum=rule.quorum)]
    if rule.group_quorum > 0:
        sentences.append(doc_text("rule.group_quorum", lang, n=rule.group_quorum))
    else:
        sentences.append(doc_text("rule.no_group_quorum", lang))
    sentences.append(doc_text("rule.per_group" if rule.per_group else "rule.whole_panel", lang))
    sentences.append(doc_text("rule.important", lang))
    sentences.append(doc_text("rule.stability", lang, pct=format_number(rule.stability_pct, lang)))
    return sentences


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


def indicator_text(report: Report, code: str) -> str:
    """An indicator's current wording in the report's language; empty for an unknown code."""
    indicator = report.framework.indicator(code)
    return indicator.text.get(report.lang) if indicator else ""


def rated_codes(report: Report) -> list[str]:
    """Codes of every rated indicator, framework order first, then any unknown to the framework.

    Why: a result must never vanish from a document because its indicator was renamed
    or removed from the framework after it was rated.
    """
    rated = {r.indicator for r in report.results} | {r.indicator for r in report.indicator_results}
    ordered = [ind.code for ind in report.framework.indicators() if ind.code in rated]
    return ordered + sorted(rated - set(ordered))
