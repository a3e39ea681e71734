"""``hsvalidate decision``: record the plenary's decisions, with flags or by questions, and list them."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from hsvalidate.cli._common import (
    LocalGroup,
    TermChoice,
    argument,
    catalogue_word,
    echo_wrapped,
    open_workshop,
    option,
    session_options,
)
from hsvalidate.i18n import Message, codes_with_prefix, get_language, t, tn

if TYPE_CHECKING:
    from hsvalidate.workshop import DecisionRow, RecordedDecision, Workshop


class _ActionChoice(TermChoice):
    """A decision typed as its code or its word in either language (``reformuler``, ``reword``).

    Why an unknown word passes through: the service refuses it in one sentence naming
    the choices, with exit status 1, as it refuses an unknown indicator or a negative
    count; click would answer with a usage error instead.
    """

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        """The code when the word is known; otherwise the text as typed, for the service."""
        code = self._code(str(value))
        return code if code is not None else str(value)


ACTION_CHOICE = _ActionChoice(
    {code: catalogue_word(f"action.{code}") for code in codes_with_prefix("action")}
)
"""``--action``: every decision the catalogue names (``model.DECISION_ACTIONS``, kept in step
by a test), read from the catalogue so ``--help`` stays fast."""


class _DecisionGroup(LocalGroup):
    """``decision CODE …`` records a decision and ``decision list`` lists them.

    Why: the facilitator types the indicator straight after the command, as in the
    plenary ("decision on D1.O2.I1"); anything that is not a subcommand is taken as
    the arguments of ``record``.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Send ``decision D1.O2.I1 …`` to ``record``; ``decision`` alone shows the help.

        Options may come before the subcommand (``decision --session X list``), as they
        may before the indicator: the subcommand named first among the words that are not
        options or their values is moved to the front, so ``list`` is never an indicator.
        """
        if not args or args[0] in self.commands or args[0] in ctx.help_option_names:
            return super().parse_args(ctx, args)
        at = self._first_word(args)
        if at is not None and args[at] in self.commands:
            args = [args[at], *args[:at], *args[at + 1 :]]
        else:
            args = ["record", *args]
        return super().parse_args(ctx, args)

    def _first_word(self, args: list[str]) -> int | None:
        """Where the first word that is neither an option nor an option's value stands."""
        valued = {
            name
            for command in self.commands.values()
            for param in command.params
            if isinstance(param, click.Option) and not (param.is_flag or param.count)
            for name in (*param.opts, *param.secondary_opts)
        }
        skip = False
        for i, arg in enumerate(args):
            if skip:
                skip = False
            elif arg == "--":
                return i + 1 if i + 1 < len(args) else None
            elif not arg.startswith("-") or arg == "-":
                return i
            else:
                skip = arg in valued  # ``--session X``; ``--session=X`` is one word
        return None


@click.group("decision", cls=_DecisionGroup, help="help.decision")
def decision() -> None:
    """Record the plenary's decisions and list them; the computed verdict stays apart."""


@decision.command("record", help="help.decision.record")
@argument("indicator", metavar="meta.code")
@option("--action", type=ACTION_CHOICE, default=None, help="help.decision.opt.action")
@option("--rationale", default="", metavar="meta.text", help="help.decision.opt.rationale")
@option(
    "--for",
    "votes_for",
    type=int,
    default=None,
    metavar="meta.number",
    help="help.decision.opt.for",
)
@option(
    "--against",
    "votes_against",
    type=int,
    default=None,
    metavar="meta.number",
    help="help.decision.opt.against",
)
@option(
    "--abstain",
    "votes_abstain",
    type=int,
    default=None,
    metavar="meta.number",
    help="help.decision.opt.abstain",
)
@option("--into", multiple=True, metavar="meta.code", help="help.decision.opt.into")
@session_options
def record(
    indicator: str,
    action: str | None,
    rationale: str,
    votes_for: int | None,
    votes_against: int | None,
    votes_abstain: int | None,
    into: tuple[str, ...],
    session_name: str | None,
    sessions_dir: Path | None,
) -> None:
    """Record one decision; without --action the questions are asked at the laptop."""
    with open_workshop(session_name, sessions_dir, purpose="hsvalidate decision") as ws:
        lang = get_language()
        votes = {
            key: count
            for key, count in (
                ("for", votes_for),
                ("against", votes_against),
                ("abstain", votes_abstain),
            )
            if count is not None
        }
        codes = tuple(c.strip() for text in into for c in text.split(",") if c.strip())
        if action is None:
            from hsvalidate import prompts

            prompts.require_terminal(Message("cli.decision.no_terminal"))
            indicator = ws.decision_indicator(indicator).code  # refused before any question
            _show_before_asking(ws, indicator, lang)
            from hsvalidate.model import DECISION_ACTIONS

            answer = prompts.ask_decision(
                indicator=indicator,
                actions=[(code, t(f"action.{code}", lang=lang)) for code in DECISION_ACTIONS],
                merge=next(a.code for a in DECISION_ACTIONS.values() if a.takes_into),
                known=[i.code for i in ws.framework.indicators()],
                lang=lang,
            )
            action, codes = answer.action, answer.into
            rationale = rationale or answer.rationale
            votes = votes or answer.votes
        recorded = ws.record_decision(
            indicator=indicator, action=action, rationale=rationale, votes=votes, into=codes
        )
        echo_wrapped(_recorded_line(recorded, lang))


def _show_before_asking(ws: Workshop, indicator: str, lang: str) -> None:
    """The indicator, its computed verdict and any standing decision: what the room starts from."""
    from hsvalidate.i18n.documents import action_label, verdict_label
    from hsvalidate.model import current_decisions

    found = ws.decision_indicator(indicator)
    echo_wrapped(f"{found.code} — {found.text.get(lang)}")  # wrapped at words, as projected
    latest = ws.computed_verdicts().get(found.code)
    sentence = (
        t("decision.computed", round=latest[0], verdict=verdict_label(latest[1], lang))
        if latest
        else t("decision.computed_none")
    )
    echo_wrapped(sentence[:1].upper() + sentence[1:])
    standing = [d for d in current_decisions(ws.decisions()) if d.indicator == found.code]
    if standing:
        before = standing[0]
        echo_wrapped(
            t(
                "cli.decision.current",
                when=_when(before.recorded_at, "", lang),
                action=action_label(before.action, lang),
            )
        )


_RECORDED = {
    (False, False): "cli.decision.recorded",
    (True, False): "cli.decision.recorded_votes",
    (False, True): "cli.decision.recorded_replacing",
    (True, True): "cli.decision.recorded_votes_replacing",
}
"""The sentence after recording, by (counts given, an earlier decision replaced)."""


def _recorded_line(recorded: RecordedDecision, lang: str) -> str:
    """One line in the session's language: what was recorded and what it replaces."""
    from hsvalidate.i18n.documents import action_label, vote_label

    d = recorded.decision
    votes = ", ".join(f"{vote_label(k, lang)} {v}" for k, v in d.votes.items())
    replaced = recorded.replaced
    return t(
        _RECORDED[(bool(votes), replaced is not None)],
        indicator=d.indicator,
        action=action_label(d.action, lang),
        votes=votes,
        when=_when(replaced.recorded_at, d.recorded_at, lang) if replaced else "",
    )


def _when(iso: str, now: str, lang: str) -> str:
    """``à 10:42`` the same day as ``now``, ``le 26 novembre 2026 à 10:42`` another day."""
    from datetime import datetime

    from hsvalidate.i18n.documents import format_date

    try:
        then = datetime.fromisoformat(iso)
        today = datetime.fromisoformat(now).date() if now else datetime.now().date()
    except ValueError:
        return iso
    if then.date() == today:
        return t("cli.decision.when_today", time=f"{then:%H:%M}")
    return t("cli.decision.when_day", date=format_date(iso, lang), time=f"{then:%H:%M}")


@decision.command("list", help="help.decision.list")
@session_options
def list_(session_name: str | None, sessions_dir: Path | None) -> None:
    """Every standing decision at 80 columns: code, action, counts, computed verdict, a mark."""
    with open_workshop(session_name, sessions_dir, writable=False) as ws:
        rows, replaced = ws.decision_rows()
        if not rows:
            echo_wrapped(t("cli.decision.none"))
            return
        for line in _table(rows, get_language()):
            click.echo(line.rstrip())
        if any(row.gap is not None for row in rows):
            echo_wrapped(t("cli.decision.legend"))
        if replaced:
            echo_wrapped(tn("cli.decision.replaced", replaced))


def _table(rows: list[DecisionRow], lang: str) -> list[str]:
    """Aligned lines: text columns to the left, counts and rounds to the right."""
    from hsvalidate.i18n.documents import action_label, verdict_label

    header = [
        t(f"cli.decision.col.{key}")
        for key in ("code", "action", "for", "against", "abstain", "round", "verdict")
    ]
    cells = [
        [
            row.decision.indicator,
            action_label(row.decision.action, lang),
            *(_count(row.decision.votes.get(k)) for k in ("for", "against", "abstain")),
            str(row.verdict_round) if row.verdict_round is not None else "–",
            verdict_label(row.verdict, lang),
            "≠" if row.gap is not None else "",
        ]
        for row in rows
    ]
    widths = [max(len(c) for c in column) for column in zip([*header, ""], *cells, strict=True)]
    right = {2, 3, 4, 5}

    def line(values: list[str]) -> str:
        return "  ".join(
            v.rjust(w) if i in right else v.ljust(w)
            for i, (v, w) in enumerate(zip(values, widths, strict=True))
        )

    return [line([*header, ""]), *(line(c) for c in cells)]


def _count(value: int | None) -> str:
    return "–" if value is None else str(value)
