"""Our own words (verdicts, rules, groups, channels…) and figures and dates, as each language writes them.

Why here: the documents, the command line and the ballot screen must say ``retenu``,
``7,5`` and ``27 novembre 2026`` the same way.  The sentences themselves live in the
catalogue (``hsvalidate/locale/<lang>/LC_MESSAGES/documents.po`` for the workbook and
the minutes), which a translator corrects without touching the layout.
"""

from __future__ import annotations

import functools
from datetime import datetime

from hsvalidate.i18n import has, t

_MONTHS_FR = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip
_MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def doc_text(key: str, lang: str, **values: object) -> str:
    """A document string in ``lang``, with French spacing that never breaks a line badly.

    Why: in French a space precedes « : ; ? ! » and follows « ; a line break there
    leaves a lone colon or guillemet at the start of a line in the signed minutes.
    Only the template is changed, never the values a user typed.
    """
    return t(key, lang=lang, **values)


@functools.lru_cache(maxsize=4096)
def _label(prefix: str, value: str, lang: str) -> str:
    """Our own vocabulary translated; anything a user typed is shown as typed.

    Cached: a national session's tables ask for the same few words thousands of times,
    and the catalogue does not change while the program runs.
    """
    key = f"{prefix}.{value}"
    return doc_text(key, lang) if has(key) else value


def verdict_label(verdict: str, lang: str) -> str:
    """``keep`` → ``retenu``: readers of the minutes never see the internal codes."""
    return _label("verdict", verdict, lang)


def class_label(value: str, lang: str) -> str:
    """A RAND/UCLA or percent-agreement class in words (``consensus in`` → ``consensus pour``)."""
    return _label("class", value, lang)


def rule_name(kind: str, lang: str) -> str:
    """The name of a consensus rule kind (``percent`` → ``pourcentage d'accord``)."""
    return _label("rule.name", kind, lang)


def action_label(action: str, lang: str) -> str:
    """A decision's action in words (``reword`` → ``reformuler``)."""
    return _label("action", action, lang)


def group_label(group: str, lang: str) -> str:
    """A stakeholder group: the default groups are translated, configured ones kept as typed."""
    if not group:
        return doc_text("group.none", lang)
    return _label("group", group, lang)


def vote_label(choice: str, lang: str) -> str:
    """A vote choice (``for`` → ``pour``); other choices are kept as recorded."""
    return _label("vote", choice, lang)


def status_label(status: str, lang: str) -> str:
    """A round status (``closed`` → ``clos``)."""
    return _label("status", status, lang)


@functools.lru_cache(maxsize=8)
def yes_no(flag: bool, lang: str) -> str:
    """A boolean a reader understands, rather than TRUE/FALSE."""
    return doc_text("yes" if flag else "no", lang)


def format_date(iso: str, lang: str) -> str:
    """An ISO timestamp as a signed document writes it (``27 novembre 2026``).

    Unparseable text is returned as is rather than failing the whole export.
    """
    when = _moment(iso)
    if when is None:
        return iso
    months = _MONTHS_FR if lang == "fr" else _MONTHS_EN
    day = "1er" if lang == "fr" and when.day == 1 else str(when.day)
    return f"{day} {months[when.month - 1]} {when.year}"


def _moment(iso: str) -> datetime | None:
    """An ISO timestamp read, or None (empty or unreadable text is shown as it is)."""
    try:
        return datetime.fromisoformat(iso) if iso else None
    except ValueError:
        return None


def format_datetime(iso: str, lang: str) -> str:
    """An ISO timestamp as people say it: ``27 novembre 2026 à 15:57``, ``27 November 2026, 15:57``."""
    when = _moment(iso)
    if when is None:
        return iso
    return t("date.at", lang=lang, date=format_date(iso, lang), time=f"{when:%H:%M}")


def format_date_range(first: str, last: str, lang: str) -> str:
    """Workshop dates: one date when it fitted in a day, otherwise first – last."""
    start, end = format_date(first, lang), format_date(last, lang)
    if not start or not end or start == end:
        return start or end
    return f"{start} – {end}"


def format_number(value: float | None, lang: str, *, digits: int = 1) -> str:
    """A figure for reading (not for computing): ``7`` or ``7,5`` in French; a dash when absent."""
    if value is None:
        return "–"
    text = f"{value:.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text == "-0":
        text = "0"
    return text.replace(".", ",") if lang == "fr" else text


def format_percent(value: float | None, lang: str) -> str:
    """A share as ``83 %`` (French, non-breaking space) or ``83%``."""
    if value is None:
        return "–"
    number = format_number(value, lang, digits=0)
    return f"{number}\u00a0%" if lang == "fr" else f"{number}%"
