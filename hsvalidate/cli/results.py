"""``hsvalidate results`` (figures on screen) and ``hsvalidate export`` (workbook and minutes)."""

from __future__ import annotations

from pathlib import Path

import click

from hsvalidate.cli._common import open_workshop, session_options
from hsvalidate.report import ResultRow


def _fmt(value: float | None, pattern: str = "{:.0f}") -> str:
    return "–" if value is None else pattern.format(value)


def render_results(rows: list[ResultRow]) -> list[str]:
    """Plain-text table lines, readable when projected; figures rounded for display only."""
    header = (
        f"{'round':>5} {'indicator':<12} {'criterion':<12} {'group':<16} "
        f"{'n':>3} {'cj':>3} {'median':>6} {'%low':>5} {'%mid':>5} {'%high':>5}  verdict"
    )
    lines = [header, "-" * len(header)]
    for r in rows:
        s = r.stats
        lines.append(
            f"{r.round:>5} {r.indicator:<12} {r.criterion:<12} {r.group[:16]:<16} "
            f"{s.n:>3} {s.n_cannot_judge:>3} {_fmt(s.median, '{:g}'):>6} "
            f"{_fmt(s.pct_low):>5} {_fmt(s.pct_mid):>5} {_fmt(s.pct_high):>5}  {r.verdict}"
        )
    return lines


@click.command()
@click.option(
    "--round",
    "round_no",
    type=click.IntRange(1),
    default=None,
    help="Only this round (default: every round).",
)
@click.option("--by-group", is_flag=True, help="Add one line per stakeholder group.")
@session_options
def results(
    round_no: int | None, by_group: bool, session_name: str | None, sessions_dir: Path | None
) -> None:
    """Show per indicator and criterion: n, median, low/middle/high shares and the verdict.

    "cj" counts "cannot judge" answers, which are left out of the figures.

    Example: hsvalidate results --round 1 --by-group
    """
    with open_workshop(session_name, sessions_dir, writable=False) as ws:
        rows = ws.results(round_no, by_group=by_group)
        if not rows:
            click.echo("No results yet: open a round and record ballots first.")
            return
        for line in render_results(rows):
            click.echo(line)
        rule = ws.rule
        click.echo(
            f"Rule: {'RAND/UCLA' if rule.kind == 'ram' else 'percent agreement'}; "
            f"scale {ws.scale.low}–{ws.scale.high}; quorum {rule.quorum}."
        )


@click.command()
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for the files (default: the session's exports/ folder).",
)
@click.option(
    "--lang",
    type=click.Choice(["fr", "en"]),
    default=None,
    help="Language of the documents (default: the session's).",
)
@click.option(
    "--show-names",
    is_flag=True,
    help="Let names appear beside participant codes (confidential; off by default).",
)
@session_options
def export(
    out_dir: Path | None,
    lang: str | None,
    show_names: bool,
    session_name: str | None,
    sessions_dir: Path | None,
) -> None:
    """Write the consensus workbook (xlsx) and the validation minutes (pdf).

    Can be run at any time; the files show the state of the session at that moment.
    Ratings appear with participant codes only, unless --show-names is given.

    Example: hsvalidate export --lang en --out "C:/Users/awa/Desktop/atelier"
    """
    with open_workshop(session_name, sessions_dir, writable=False) as ws:
        target = out_dir if out_dir is not None else ws.store.folder / "exports"  # type: ignore[operator]
        workbook, minutes = ws.export(target, lang=lang, show_names=show_names)
        click.echo(f"Workbook: {workbook}")
        click.echo(f"Minutes:  {minutes}")
