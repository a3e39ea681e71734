"""What a participant's screen says about an indicator: shared by the kiosk and the phone.

Why a module of its own: the laptop's ballot screen (``cli/kiosk.py``) and the phone's page
(``room/ballot.py``) must tell a participant the same things in the same words, and nothing
may import the command line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from hsvalidate.i18n import t

if TYPE_CHECKING:  # types only: ``--help`` of the commands that use this loads no model
    from hsvalidate.consensus import Stats
    from hsvalidate.framework import Indicator
    from hsvalidate.revisions import History


def indicator_details(ind: Indicator, lang: str, *, joined: bool = True) -> tuple[str, ...]:
    """Source of verification, frequency, baseline and target: the ones the framework gives.

    Why on the ballot screen: whether an indicator is feasible depends on where its
    figures come from and how often, and whether its target is realistic.  ``joined``
    puts baseline and target on one line (the kiosk's 80 columns); a phone gives each
    its own line.
    """
    lines: list[str] = []
    if ind.source:
        lines.append(t("kiosk.field.source", lang=lang, value=ind.source.get(lang)))
    if ind.frequency:
        lines.append(t("kiosk.field.frequency", lang=lang, value=ind.frequency.get(lang)))
    values = [
        t(f"kiosk.field.{name}", lang=lang, value=_with_year(value, year, lang))
        for name, value, year in (
            ("baseline", ind.baseline, ind.baseline_year),
            ("target", ind.target, ind.target_year),
        )
        if value or year
    ]
    if values:
        lines += [" · ".join(values)] if joined else values
    return tuple(lines)


def _with_year(value: str, year: int | None, lang: str) -> str:
    if year is None:
        return value
    if not value:
        return str(year)
    return t("kiosk.field.value_year", lang=lang, value=value, year=year)


def changed_note(history: History, code: str, lang: str) -> str:
    """What a participant must know when the wording is not the one an earlier round rated."""
    revision = history.last_change(code)
    if revision is None or revision.after_round < 1:
        return ""  # changed before round 1: nobody rated the earlier wording
    version = history.version(code)
    if revision.change in ("reword", "merge"):
        old = history.wording(code, version - 1)
        return t(
            "ballot.changed.reword",
            lang=lang,
            round=revision.after_round,
            version=version,
            old=old.text.get(lang) if old is not None else "",
        )
    return t(
        f"ballot.changed.{revision.change}",
        lang=lang,
        round=revision.after_round,
        source=revision.code,
    )


def figure_values(stats: Stats, lang: str) -> dict[str, object]:
    """Last round's figures as every participant-facing sentence names them.

    ``median``, ``low``/``mid``/``high`` (whole percentages) and ``n``, written the
    language's way (« 6,5 » in French): the kiosk, the phone, the paper form and the
    rating form all say them, each in its own sentence.
    """
    from hsvalidate.i18n.documents import format_number

    return {
        "median": format_number(stats.median, lang),
        "low": format_number(stats.pct_low or 0, lang, digits=0),
        "mid": format_number(stats.pct_mid or 0, lang, digits=0),
        "high": format_number(stats.pct_high or 0, lang, digits=0),
        "n": stats.n,
    }
