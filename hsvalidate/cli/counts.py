"""``hsvalidate tally``: the facilitator types how many coloured cards the room raised.

Why a command of its own and not a ballot: cards raised in plenary have no participant
behind them; they are anonymous ratings of the whole panel (``Workshop.record_count``),
typed in one line (``7=12 8=5 9=3 nsp=2``) or answered question by question.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from hsvalidate.cli._common import (
    argument,
    command,
    echo_wrapped,
    open_workshop,
    option,
    session_options,
)
from hsvalidate.i18n import Message, fold, get_language, t, tn, words_for

if TYPE_CHECKING:
    from hsvalidate.model import Count
    from hsvalidate.workshop import RecordedCount, Workshop


@command("tally", help="help.tally")
@argument("indicator", metavar="meta.code")
@argument("values", nargs=-1, metavar="meta.counts")
@option("--criterion", default=None, metavar="meta.criterion", help="help.tally.opt.criterion")
@session_options
def tally(
    indicator: str,
    values: tuple[str, ...],
    criterion: str | None,
    session_name: str | None,
    sessions_dir: Path | None,
) -> None:
    """Record one count of cards; without counts the questions are asked at the laptop."""
    from hsvalidate.errors import BallotError

    with open_workshop(session_name, sessions_dir, purpose="hsvalidate tally") as ws:
        lang = get_language()
        code = ws.count_indicator(indicator)  # refused before any question
        criteria = ws.settings.criteria
        if criterion is None and len(criteria) == 1:
            criterion = criteria[0].code
        if values:
            counts, cannot_judge = parse_counts(values, cannot_judge_words())
            if criterion is None:
                from hsvalidate import prompts

                if not prompts.stdin_is_terminal():
                    raise BallotError(
                        Message("counts.criterion_needed", criteria=ws.criteria_words())
                    )
                criterion = prompts.ask_count_criterion(
                    [(c.code, c.label.get(lang) or c.code) for c in criteria], lang=lang
                )
        else:
            from hsvalidate import prompts

            prompts.require_terminal(Message("counts.no_terminal"))
            if criterion is not None and ws.settings.criterion_code(criterion) is None:
                raise BallotError(
                    Message(
                        "counts.unknown_criterion",
                        criterion=criterion,
                        criteria=ws.criteria_words(),
                    )
                )
            room = ws.count_room(code)
            echo_wrapped(t("counts.ask.room", indicator=code, present=room[0], typed=room[1]))
            answer = prompts.ask_counts(
                criteria=[(c.code, c.label.get(lang) or c.code) for c in criteria],
                criterion=ws.settings.criterion_code(criterion) if criterion else None,
                scale_min=ws.scale.low,
                scale_max=ws.scale.high,
                lang=lang,
            )
            if answer is None:
                echo_wrapped(t("counts.not_recorded"))
                return
            criterion, counts, cannot_judge = answer.criterion, answer.counts, answer.cannot_judge
        recorded = ws.record_count(
            indicator=code, criterion=criterion, counts=counts, cannot_judge=cannot_judge
        )
        for line in recorded_lines(ws, recorded, lang):
            echo_wrapped(line)


def cannot_judge_words() -> set[str]:
    """What a facilitator may type for "cannot judge", in either language, folded."""
    return {
        fold(word)
        for text in words_for("counts.cannot_judge_words")
        for word in text.split(",")
        if word.strip()
    }


def parse_counts(values: Sequence[str], cannot_judge: set[str]) -> tuple[dict[int, int], int]:
    """``7=12 8=5 nsp=2`` → ({7: 12, 8: 5}, 2); each mistake is one sentence naming the value.

    The scale and the sign of each number are the service's to check, so that a count
    typed here and one recorded by a script are refused in the same words.
    """
    from hsvalidate.errors import BallotError

    counts: dict[int, int] = {}
    judged: int | None = None
    for value in values:
        left, sep, right = value.replace(":", "=").partition("=")
        try:
            n = int(right.strip())
        except ValueError:
            raise BallotError(Message("counts.bad_value", value=value)) from None
        if not sep:
            raise BallotError(Message("counts.bad_value", value=value))
        key = left.strip()
        if fold(key) in cannot_judge:
            if judged is not None:
                raise BallotError(Message("counts.duplicate", score=key))
            judged = n
            continue
        try:
            score = int(key)
        except ValueError:
            raise BallotError(Message("counts.bad_value", value=value)) from None
        if score in counts:
            raise BallotError(Message("counts.duplicate", score=score))
        counts[score] = n
    return counts, judged or 0


def count_text(count: Count, lang: str) -> str:
    """``7 : 12, 8 : 5, nsp : 2``: the count as typed, for the facilitator to check."""
    pairs = [t("counts.pair", lang=lang, score=s, n=n) for s, n in sorted(count.counts.items())]
    if count.cannot_judge:
        short = t("counts.cannot_judge_short", lang=lang)
        pairs.append(t("counts.pair", lang=lang, score=short, n=count.cannot_judge))
    return ", ".join(pairs)


def recorded_lines(ws: Workshop, recorded: RecordedCount, lang: str) -> list[str]:
    """What was recorded, what it replaces, and when group rules cannot see the cards."""
    count = recorded.count
    criterion = next(
        (c.label.get(lang) or c.code for c in ws.settings.criteria if c.code == count.criterion),
        count.criterion,
    )
    lines = [
        tn(
            "counts.recorded",
            count.total,
            indicator=count.indicator,
            criterion=criterion,
            round=count.round,
            detail=count_text(count, lang) or "–",
        )
    ]
    if recorded.replaced is not None:
        lines.append(
            tn(
                "counts.replaces",
                recorded.replaced.total,
                time=recorded.replaced.recorded_at[11:16],
            )
        )
    rule = ws.rule
    if rule.per_group or rule.group_quorum > 0:
        lines.append(t("counts.group_rule"))
    return lines
