"""``hsvalidate results`` (figures on screen or as tidy files) and ``hsvalidate export``."""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from pathlib import Path

import click

from hsvalidate.cli._common import (
    command,
    forced_language,
    open_workshop,
    option,
    session_options,
)
from hsvalidate.consensus import PERCENTILE_METHOD
from hsvalidate.exports.tidy import write_csv
from hsvalidate.i18n import codes_with_prefix, t
from hsvalidate.report import (
    ALL_GROUPS,
    ATTRITION_COLUMNS,
    RESULT_COLUMNS,
    STABILITY_COLUMNS,
    Record,
    ResultRow,
    attrition_record,
    result_record,
    stability_record,
)


def _fmt(value: float | None, pattern: str = "{:.0f}") -> str:
    return "–" if value is None else pattern.format(value)


def render_results(rows: list[ResultRow]) -> list[str]:
    """Plain-text table lines, readable when projected; figures rounded for display only."""
    header = (
        f"{'round':>5} {'indicator':<12} {'criterion':<12} {'group':<16} "
        f"{'n':>3} {'cj':>3} {'median':>6} {'IQR':>4} {'%low':>5} {'%mid':>5} {'%high':>5} "
        f"{'disagr.':>7}  verdict"
    )
    lines = [header, "-" * len(header)]
    for r in rows:
        s = r.stats
        disagreement = "–" if s.disagreement is None else ("yes" if s.disagreement else "no")
        flag = f"  (important to {r.important_to} only)" if r.important_to else ""
        lines.append(
            f"{r.round:>5} {r.indicator:<12} {r.criterion:<12} {r.group[:16]:<16} "
            f"{s.n:>3} {s.n_cannot_judge:>3} {_fmt(s.median, '{:g}'):>6} {_fmt(s.iqr, '{:g}'):>4} "
            f"{_fmt(s.pct_low):>5} {_fmt(s.pct_mid):>5} {_fmt(s.pct_high):>5} {disagreement:>7}  "
            f"{r.verdict}{flag}"
        )
    return lines


def _plain_table(columns: Sequence[str], records: list[Record]) -> list[str]:
    """A simple aligned table for the stability and attrition views."""

    def cell(value: object) -> str:
        if value is None:
            return "–"
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, float):
            return f"{value:.0f}"
        return str(value)

    cells = [[cell(r[c]) for c in columns] for r in records]
    widths = [max([len(c), *(len(row[i]) for row in cells)]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True))]
    lines.append("-" * len(lines[0]))
    lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)) for row in cells]
    return lines


@click.command()
@click.option(
    "--round",
    "round_no",
    type=click.IntRange(1),
    default=None,
    help="Only this round (default: every round).",
)
@click.option("--by-group", is_flag=True, help="Add one row per stakeholder group.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="table for the screen; csv or json (tidy, unrounded) for other tools.",
)
@click.option(
    "--stability",
    "view",
    flag_value="stability",
    help="Show band changes between consecutive rounds instead.",
)
@click.option(
    "--attrition",
    "view",
    flag_value="attrition",
    help="Show invited / present / rating participants per round and group instead.",
)
@session_options
def results(
    round_no: int | None,
    by_group: bool,
    fmt: str,
    view: str | None,
    session_name: str | None,
    sessions_dir: Path | None,
) -> None:
    """Show per indicator and criterion: n, median, IQR, band shares, disagreement, verdict.

    "cj" counts "cannot judge" answers, which are left out of every figure.  With
    --format csv or json, writes tidy rows with the columns listed in the README
    (group "all" is the whole panel), figures unrounded, ready to redirect to a file.

    Example: hsvalidate results --round 1 --by-group --format csv > resultats.csv
    """
    with open_workshop(session_name, sessions_dir, writable=False) as ws:
        rows: list[ResultRow] = []
        columns: Sequence[str]
        if view == "stability":
            columns = STABILITY_COLUMNS
            records = [
                stability_record(r)
                for r in ws.stability()
                if (round_no is None or r.round == round_no) and (by_group or r.group == ALL_GROUPS)
            ]
        elif view == "attrition":
            columns = ATTRITION_COLUMNS
            records = [
                attrition_record(r)
                for r in ws.attrition()
                if (round_no is None or r.round == round_no) and (by_group or r.group == ALL_GROUPS)
            ]
        else:
            columns = RESULT_COLUMNS
            rows = ws.results(round_no, by_group=by_group)
            records = [result_record(r) for r in rows]
        if fmt == "csv":
            buffer = io.StringIO()
            write_csv(columns, records, buffer)
            click.echo(buffer.getvalue(), nl=False)
            return
        if fmt == "json":
            click.echo(json.dumps(records, ensure_ascii=False, indent=1))
            return
        if not records:
            click.echo("Nothing to show yet: open a round and record ballots first.")
            return
        lines = render_results(rows) if view is None else _plain_table(columns, records)
        for line in lines:
            click.echo(line)
        from hsvalidate.exports import rule_text

        click.echo(f"Rule: {rule_text(ws.rule, ws.scale, 'en')}.")
        click.echo(f"Percentiles: {PERCENTILE_METHOD}.")


@command(help="export.help")
@option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    metavar="meta.folder",
    help="export.help.out",
)
@option(
    "--format",
    "formats",
    type=click.Choice(codes_with_prefix("export.format")),
    multiple=True,
    help="export.help.format",
)
@option("--show-names", is_flag=True, help="export.help.show_names")
@session_options
def export(
    out_dir: Path | None,
    formats: tuple[str, ...],
    show_names: bool,
    session_name: str | None,
    sessions_dir: Path | None,
) -> None:
    """Write the documents the secretariat takes home, each format from the exporter registry."""
    from hsvalidate.exports import default_formats, write_exports

    with open_workshop(session_name, sessions_dir, writable=False) as ws:
        report = ws.build_report(lang=forced_language(), show_names=show_names)
        target = out_dir if out_dir is not None else ws.exports_dir
        chosen = list(dict.fromkeys(formats)) or default_formats()
        for exporter, path in write_exports(report, target, chosen):
            click.echo(t("export.written", what=t(exporter.label_key), path=path))
