"""``hsvalidate round``: open and close rating rounds."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import click

from hsvalidate.cli._common import open_workshop, session_options


@click.group("round")
def round_() -> None:
    """Open and close rating rounds (round 2 and later re-rate indicators without consensus).

    Example: hsvalidate round open
    """


@round_.command("open")
@click.option(
    "--indicators",
    default=None,
    metavar="CODES",
    help="Comma-separated indicator codes to rate (default: all in round 1, "
    "then those without consensus).",
)
@session_options
def open_(indicators: str | None, session_name: str | None, sessions_dir: Path | None) -> None:
    """Open the next rating round.

    Example: hsvalidate round open --indicators D1.O1.I1,D3.O1.I2
    """
    with open_workshop(session_name, sessions_dir, purpose="hsvalidate round open") as ws:
        codes = indicators.split(",") if indicators else None
        rnd = ws.start_round(codes)
        click.echo(f"Round {rnd.number} is open: {len(rnd.indicators)} indicator(s) to rate.")
        click.echo("Collect ballots with 'hsvalidate ballot' or 'hsvalidate ballots import FILE'.")


@round_.command("close")
@session_options
def close(session_name: str | None, sessions_dir: Path | None) -> None:
    """Close the open round; its results become final.

    Example: hsvalidate round close
    """
    with open_workshop(session_name, sessions_dir, purpose="hsvalidate round close") as ws:
        rnd = ws.close_round()
        verdicts = ws.indicator_verdicts(rnd.number)
        counts = Counter(verdicts.values())
        n = len({b.participant for b in ws.ballots(rnd.number)})
        click.echo(f"Round {rnd.number} is closed: {n} participant(s) rated.")
        click.echo("  " + ", ".join(f"{v}: {c}" for v, c in sorted(counts.items())))
        click.echo("See the figures with 'hsvalidate results'.")


@round_.command("status")
@session_options
def status(session_name: str | None, sessions_dir: Path | None) -> None:
    """Show the open round and how many ballots each indicator has received.

    Example: hsvalidate round status
    """
    with open_workshop(session_name, sessions_dir, writable=False) as ws:
        rnd = ws.open_round()
        if rnd is None:
            done = ws.rounds()
            click.echo(
                f"No round is open ({len(done)} closed). Open one with 'hsvalidate round open'."
            )
            return
        counts = Counter(b.indicator for b in ws.ballots(rnd.number))
        expected = sum(1 for p in ws.participants() if p.present)
        click.echo(f"Round {rnd.number} is open since {rnd.opened_at}.")
        for code in rnd.indicators:
            click.echo(f"  {code:<14} {counts.get(code, 0):>3} / {expected} ballots")
