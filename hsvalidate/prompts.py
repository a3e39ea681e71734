"""Interactive questions; the only module that imports questionary.

Why at the edge: every prompt has a flag or file that gives the same result with no
terminal, so tests and scripts never need one, and a missing terminal is a clear
error naming that flag instead of a hang (questionary hangs on an open pipe; see
docs/spreadsheets-and-pdf.md, "Prompts without a terminal").
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass

from hsvalidate.errors import InteractiveError
from hsvalidate.i18n import Text, t, tn


def stdin_is_terminal() -> bool:
    """Whether a person can answer questions here (tests replace this)."""
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def require_terminal(message: Text) -> None:
    """Fail with ``message``, a whole sentence naming the non-interactive way, instead of hanging.

    Why the caller gives the whole sentence: "no terminal" and the way out read as
    one sentence in each language, which fragments joined here could not guarantee.
    """
    if not stdin_is_terminal():
        raise InteractiveError(message)


def _t(key: str, lang: str, **values: object) -> str:
    return t(f"ballot.{key}", lang=lang, **values)


def ask_participant(*, groups: Sequence[str], lang: str) -> tuple[str, str, str, str]:
    """Ask name, organisation, group and sex for one new participant."""
    import questionary

    name = questionary.text(
        _t("name", lang), validate=lambda v: bool(v.strip()) or _t("name_required", lang)
    ).unsafe_ask()
    organisation = questionary.text(_t("organisation", lang)).unsafe_ask()
    group = questionary.autocomplete(_t("group", lang), choices=list(groups)).unsafe_ask()
    sex = questionary.select(
        _t("sex", lang),
        choices=[
            questionary.Choice(_t("sex_f", lang), "F"),
            questionary.Choice(_t("sex_m", lang), "M"),
            questionary.Choice(_t("sex_none", lang), ""),
        ],
        instruction=_t("arrows", lang),
    ).unsafe_ask()
    return name, organisation or "", group or "", sex or ""


@dataclass(frozen=True)
class DecisionAnswer:
    """The plenary's decision on one indicator, as the facilitator answered the questions."""

    action: str
    """Action code (``adopt``…)."""
    into: tuple[str, ...]
    """For a merge: the indicators it goes into."""
    rationale: str
    votes: dict[str, int]
    """Counts under ``for``, ``against``, ``abstain``; empty when the room did not vote."""


def ask_decision(
    *,
    indicator: str,
    actions: Sequence[tuple[str, str]],
    merge: str,
    known: Sequence[str],
    lang: str,
) -> DecisionAnswer:
    """Ask the action, the indicators a merge goes into, the rationale, then the counts.

    ``actions`` are (code, word) in the registry's order; ``merge`` is the code whose
    decision names indicators; ``known`` the framework's codes, so a mistyped code is
    caught while the facilitator can still retype it.  Each question has its flag
    (``hsvalidate decision --help``), so nothing here is needed without a terminal.
    """
    import questionary

    def d(key: str, **values: object) -> str:
        return t(f"decision.{key}", lang=lang, **values)

    action = questionary.select(
        d("ask.action", indicator=indicator),
        choices=[questionary.Choice(title=word, value=code) for code, word in actions],
        instruction=t("ballot.arrows", lang=lang),
    ).unsafe_ask()
    into: tuple[str, ...] = ()
    if action == merge:
        by_upper = {code.upper(): code for code in known}

        def codes(text: str) -> list[str]:
            return [c.strip() for c in text.split(",") if c.strip()]

        def check_codes(text: str) -> bool | str:
            unknown = [c for c in codes(text) if c.upper() not in by_upper]
            return not unknown or d("ask.unknown_codes", codes=", ".join(unknown))

        typed = questionary.text(d("ask.into"), validate=check_codes).unsafe_ask()
        into = tuple(by_upper[c.upper()] for c in codes(typed or ""))
    rationale = questionary.text(d("ask.rationale")).unsafe_ask()

    def whole(text: str, *, empty_ok: bool) -> bool | str:
        if (empty_ok and not text.strip()) or text.strip().isdigit():
            return True
        return d("ask.whole_number")

    votes: dict[str, int] = {}
    first = questionary.text(
        d("ask.count.for"), validate=lambda v: whole(v, empty_ok=True)
    ).unsafe_ask()
    if (first or "").strip():
        votes["for"] = int(first)
        for key in ("against", "abstain"):
            typed = questionary.text(
                d(f"ask.count.{key}"), default="0", validate=lambda v: whole(v, empty_ok=False)
            ).unsafe_ask()
            votes[key] = int(typed)
    return DecisionAnswer(
        action=str(action), into=into, rationale=(rationale or "").strip(), votes=votes
    )


def choose_one(question: str, choices: Sequence[tuple[str, str]], *, lang: str) -> str:
    """Pick one of a few answers, given as (value, title); returns the value chosen.

    Why one generic question: a merge asks, for each conflict, which of two ballots
    counts; the titles carry everything needed to choose, the values stay codes.
    """
    import questionary

    answer = questionary.select(
        question,
        choices=[questionary.Choice(title=title, value=value) for value, title in choices],
        instruction=_t("arrows", lang),
    ).unsafe_ask()
    return str(answer)


@dataclass(frozen=True)
class CountAnswer:
    """A count of cards as the facilitator answered the questions."""

    criterion: str
    """Criterion code."""
    counts: dict[int, int]
    """Score → cards raised."""
    cannot_judge: int


def ask_count_criterion(criteria: Sequence[tuple[str, str]], *, lang: str) -> str:
    """Which criterion the room was asked about: (code, name) in the session's order."""
    import questionary

    answer = questionary.select(
        t("counts.ask.criterion", lang=lang),
        choices=[questionary.Choice(title=name, value=code) for code, name in criteria],
        instruction=t("ballot.arrows", lang=lang),
    ).unsafe_ask()
    return str(answer)


def ask_counts(
    *,
    criteria: Sequence[tuple[str, str]],
    criterion: str | None,
    scale_min: int,
    scale_max: int,
    lang: str,
) -> CountAnswer | None:
    """Ask the criterion (unless given), the cards at each point of the scale, then confirm.

    Each question has its argument (``hsvalidate tally CODE 7=12 nsp=2``), so nothing
    here is needed without a terminal.  None when the facilitator does not confirm.
    """
    import questionary

    chosen = criterion or ask_count_criterion(criteria, lang=lang)

    def whole(text: str) -> bool | str:
        return text.strip().isdigit() or t("counts.ask.whole_number", lang=lang)

    counts: dict[int, int] = {}
    for score in range(scale_min, scale_max + 1):
        typed = questionary.text(
            t("counts.ask.score", lang=lang, score=score), default="0", validate=whole
        ).unsafe_ask()
        if int(typed):
            counts[score] = int(typed)
    judged = int(
        questionary.text(
            t("counts.ask.cannot_judge", lang=lang), default="0", validate=whole
        ).unsafe_ask()
    )
    total = sum(counts.values()) + judged
    answer = questionary.select(
        tn("counts.ask.confirm", total, lang=lang),
        choices=[
            questionary.Choice(title=t("counts.ask.record", lang=lang), value=True),
            questionary.Choice(title=t("counts.ask.cancel", lang=lang), value=False),
        ],
        instruction=t("ballot.arrows", lang=lang),
    ).unsafe_ask()
    if not answer:
        return None
    return CountAnswer(criterion=chosen, counts=counts, cannot_judge=judged)
