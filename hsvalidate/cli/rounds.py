"""``hsvalidate round``: open and close rating rounds."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import click

from hsvalidate.cli._common import echo_wrapped, group, open_workshop, option, session_options
from hsvalidate.i18n import get_language, t, tn


@group("round", help="help.round")
def round_() -> None:
    """Open and close rating rounds; round 2 and later re-rate what has no consensus."""


@round_.command("open", help="help.round.open")
@option("--indicators", default=None, metavar="meta.codes", help="help.opt.round_indicators")
@session_options
def open_(indicators: str | None, session_name: str | None, sessions_dir: Path | None) -> None:
    """Open the next round; the service chooses the indicators unless they are named."""
    with open_workshop(session_name, sessions_dir, purpose="hsvalidate round open") as ws:
        codes = [c.strip() for c in indicators.split(",") if c.strip()] if indicators else None
        rnd = ws.start_round(codes)
        click.echo(tn("cli.round.opened", len(rnd.indicators), round=rnd.number))
        echo_wrapped(t("cli.round.collect"))


@round_.command("close", help="help.round.close")
@session_options
def close(session_name: str | None, sessions_dir: Path | None) -> None:
    """Close the open round and say, in the session's words, what it decided."""
    from hsvalidate.consensus import VERDICTS
    from hsvalidate.i18n.documents import verdict_label

    with open_workshop(session_name, sessions_dir, purpose="hsvalidate round close") as ws:
        rnd = ws.close_round()
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


@round_.command("status", help="help.round.status")
@session_options
def status(session_name: str | None, sessions_dir: Path | None) -> None:
    """Show the open round and each indicator's ballots against the participants present."""
    from hsvalidate.i18n.documents import format_datetime

    with open_workshop(session_name, sessions_dir, writable=False) as ws:
        rnd = ws.open_round()
        if rnd is None:
            echo_wrapped(tn("cli.round.none_open", len(ws.rounds())))
            return
        counts = Counter(b.indicator for b in ws.ballots(rnd.number))
        expected = sum(1 for p in ws.participants() if p.present)
        when = format_datetime(rnd.opened_at, get_language())
        click.echo(t("cli.round.open_since", round=rnd.number, when=when))
        for code in rnd.indicators:
            got = tn("cli.round.ballots_of", expected, got=counts.get(code, 0))
            click.echo(f"  {code:<14} {got}")
