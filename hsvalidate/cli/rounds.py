"""``hsvalidate round``: open and close rating rounds."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from hsvalidate.cli._common import (
    confirm,
    echo_wrapped,
    group,
    open_workshop,
    option,
    session_options,
)
from hsvalidate.i18n import get_language, t, tn

if TYPE_CHECKING:
    from hsvalidate.model import Round
    from hsvalidate.workshop import CloseCheck, Workshop


@group("round", help="help.round")
def round_() -> None:
    """Open and close rating rounds; round 2 and later re-rate what has no consensus."""


@round_.command("open", help="help.round.open")
@option("--indicators", default=None, metavar="meta.codes", help="help.opt.round_indicators")
@session_options
def open_(indicators: str | None, session_name: str | None, sessions_dir: Path | None) -> None:
    """Open the next round and say which indicators it carries forward, and why."""
    from hsvalidate.i18n.documents import doc_text, verdict_label

    items = [c.strip() for c in indicators.split(",") if c.strip()] if indicators else []
    add = [c[1:].strip() for c in items if c.startswith("+")]
    remove = [c[1:].strip() for c in items if c.startswith("-")]
    named = [c for c in items if not c.startswith(("+", "-"))]
    with open_workshop(session_name, sessions_dir, purpose="hsvalidate round open") as ws:
        rnd = ws.start_round(named or None, add=add, remove=remove)
        click.echo(tn("cli.round.opened", len(rnd.indicators), round=rnd.number))
        if rnd.number > 1 and not named:
            previous = rnd.number - 1
            verdicts = ws.indicator_verdicts(previous)
            lang = get_language()
            carried = [c for c in rnd.indicators if c not in add]
            if carried:
                click.echo(t("cli.round.carried", round=previous))
                for code in carried:
                    why = verdict_label(verdicts.get(code, "below quorum"), lang)
                    revision = ws.history.last_change(code)
                    if revision is not None and revision.after_round >= previous:
                        # A new wording: that is why it is rated again (or for the first time).
                        change = doc_text(
                            f"lineage.change.{revision.change}",
                            lang,
                            version=ws.history.version(code),
                            codes=", ".join(revision.new_codes),
                            sources=", ".join(revision.sources),
                            outcome=revision.outcome,
                        )
                        why = change if code not in verdicts else f"{change} — {why}"
                    echo_wrapped(f"{code:<14} {why}", indent="  ")
        if add:
            echo_wrapped(t("cli.round.added", codes=", ".join(add)))
        if remove:
            echo_wrapped(t("cli.round.removed", codes=", ".join(remove)))
        echo_wrapped(t("cli.round.collect"))


@round_.command("close", help="help.round.close")
@option("--yes", "confirmed", is_flag=True, help="help.opt.round_close_yes")
@session_options
def close(confirmed: bool, session_name: str | None, sessions_dir: Path | None) -> None:
    """Close the open round; when voters are missing, show the figures and ask first."""
    from hsvalidate.consensus import VERDICTS
    from hsvalidate.i18n.documents import verdict_label
    from hsvalidate.workshop import ConfirmationRequired

    with open_workshop(session_name, sessions_dir, purpose="hsvalidate round close") as ws:
        if confirmed:  # closed knowingly: the figures still go on record in the terminal
            check = ws.close_check()
            if check.needs_confirmation:
                _show_check(check)
        try:
            rnd = ws.close_round(confirmed=confirmed)
        except ConfirmationRequired as needed:
            _show_check(needed.check)
            from hsvalidate import prompts

            if not prompts.stdin_is_terminal():
                raise
            if not confirm(t("cli.round.confirm_close", round=needed.check.round)):
                echo_wrapped(t("cli.round.left_open", round=needed.check.round))
                return
            rnd = ws.close_round(confirmed=True)
        counts = Counter(ws.indicator_verdicts(rnd.number).values())
        raters = len({b.participant for b in ws.ballots(rnd.number)})
        lang = get_language()
        click.echo(tn("cli.round.closed", raters, round=rnd.number))
        # Verdicts in their fixed order (keep, drop, no consensus, below quorum), so the
        # line reads the same way after every round.
        tally = [
            t("cli.round.verdict_count", verdict=verdict_label(v, lang), n=counts[v])
            for v in [*VERDICTS, *sorted(set(counts) - set(VERDICTS))]
            if counts[v]
        ]
        if tally:
            echo_wrapped(", ".join(tally), indent="  ")
        echo_wrapped(t("cli.round.see_results"))


def _show_check(check: CloseCheck) -> None:
    """The figures that make closing now a decision to take knowingly."""
    echo_wrapped(tn("cli.round.check_voted", check.voted, present=check.present))
    if check.not_voted:
        echo_wrapped(t("cli.round.check_not_voted", codes=_codes(check.not_voted)), indent="  ")
    if check.below_quorum:
        echo_wrapped(
            tn(
                "cli.round.check_below_quorum",
                len(check.below_quorum),
                total=check.indicators,
                quorum=check.quorum,
                codes=_codes(check.below_quorum),
            )
        )


def _codes(codes: Sequence[str], most: int = 12) -> str:
    """A list of codes for one line; a long one is cut with its remaining count."""
    shown = ", ".join(codes[:most])
    return (
        shown if len(codes) <= most else t("cli.round.codes_more", codes=shown, n=len(codes) - most)
    )


@round_.command("reopen", help="help.round.reopen")
@option("--reason", default=None, help="help.opt.reopen_reason")
@session_options
def reopen(reason: str | None, session_name: str | None, sessions_dir: Path | None) -> None:
    """Reopen the last round, keeping its ballots; the reason is recorded with it."""
    with open_workshop(session_name, sessions_dir, purpose="hsvalidate round reopen") as ws:
        rnd = ws.reopen_round(reason or "")
        n = len({b.participant for b in ws.ballots(rnd.number)})
        echo_wrapped(tn("cli.round.reopened", n, round=rnd.number))


@round_.command("status", help="help.round.status")
@option("--watch", "-w", is_flag=True, help="help.opt.watch")
@option(
    "--every",
    type=click.FloatRange(0.5, 600),
    default=2.0,
    metavar="meta.seconds",
    help="help.opt.every",
)
@session_options
def status(watch: bool, every: float, session_name: str | None, sessions_dir: Path | None) -> None:
    """Show the open round and each indicator's ballots against the participants present.

    ``--watch`` redraws it every few seconds until Ctrl-C, for the facilitator's window
    while the ballot screen and paper entry run in others: it reads without the lock,
    and each refresh reads only the ballots recorded since the last one.
    """
    from hsvalidate.i18n.documents import format_datetime

    with open_workshop(session_name, sessions_dir, writable=False) as ws:
        rnd = ws.open_round()
        if rnd is None:
            echo_wrapped(tn("cli.round.none_open", len(ws.rounds())))
            return
        if watch:
            _watch(ws, rnd.number, every)
            return
        counts = Counter(b.indicator for b in ws.ballots(rnd.number))
        expected = len(ws.present_in(rnd.number))  # absent and withdrawn are not expected
        when = format_datetime(rnd.opened_at, get_language())
        click.echo(t("cli.round.open_since", round=rnd.number, when=when))
        for code in rnd.indicators:
            got = tn("cli.round.ballots_of", expected, got=counts.get(code, 0))
            click.echo(f"  {code:<14} {got}")


def _watch(ws: Workshop, number: int, every: float) -> None:
    """Redraw the round's progress until Ctrl-C or until another window closes the round."""
    import time

    try:
        while True:
            rnd = ws.open_round()
            if rnd is None or rnd.number != number:
                echo_wrapped(t("cli.round.watch_closed", round=number))
                return
            lines = _progress_lines(ws, rnd, every)
            click.clear()
            click.echo("\n".join(lines))
            time.sleep(every)
    except KeyboardInterrupt:
        click.echo()


def _progress_lines(ws: Workshop, rnd: Round, every: float) -> list[str]:
    """One screen (80 columns): who has voted, by which channel, and each indicator's count.

    Indicators are laid out in columns so that a round of 33 fits a 24-line terminal.
    """
    import datetime as dt
    import shutil

    from hsvalidate.i18n import has

    ballots = ws.ballots(rnd.number)
    present = ws.present_in(rnd.number)
    codes = [p.code for p in present]
    counts = Counter(b.indicator for b in ballots)
    by_person = Counter(b.participant for b in ballots)
    sources = Counter(b.source for b in ballots)
    wanted = len(rnd.indicators)
    voted = sum(1 for code in codes if by_person.get(code))
    started = [c for c in codes if 0 < by_person.get(c, 0) < wanted]
    idle = [c for c in codes if not by_person.get(c)]
    width = shutil.get_terminal_size((80, 24)).columns
    channels = ", ".join(
        f"{t(f'source.{code}') if has(f'source.{code}') else code} {n}"
        for code, n in sources.most_common()
    )
    lines = [
        t(
            "cli.round.watch_header",
            round=rnd.number,
            time=dt.datetime.now().strftime("%H:%M:%S"),
        ),
        t("cli.round.watch_voters", voted=voted, present=len(codes)),
        t("cli.round.watch_ballots", ballots=len(ballots), channels=channels or "–"),
        "",
    ]
    cell = max(len(code) for code in rnd.indicators) + len(f" {len(codes)}/{len(codes)}") + 3
    columns = max(1, width // cell)
    cells = [f"{code} {counts.get(code, 0)}/{len(codes)}".ljust(cell) for code in rnd.indicators]
    rows = -(-len(cells) // columns)
    for row in range(rows):
        lines.append(
            "".join(
                cells[row + rows * col] for col in range(columns) if row + rows * col < len(cells)
            ).rstrip()
        )
    notes = [""]
    if started:
        progress = _few([f"{c} {by_person[c]}/{wanted}" for c in started])
        notes.append(t("cli.round.watch_started", codes=progress))
    if idle:
        notes.append(tn("cli.round.watch_idle", len(idle), codes=_few(idle)))
    for note in notes:
        lines += click.wrap_text(note, width - 1, subsequent_indent="  ").splitlines() or [""]
    lines += ["", t("cli.round.watch_quit", seconds=f"{every:g}")]
    return lines


def _few(codes: list[str], shown: int = 12) -> str:
    """A list of codes short enough for one screen: the first few, then how many more."""
    if len(codes) <= shown:
        return ", ".join(codes)
    return ", ".join(codes[:shown]) + f"… (+{len(codes) - shown})"
