"""``hsvalidate framework``: check a draft framework before the workshop."""

from __future__ import annotations

from pathlib import Path

import click


@click.group()
def framework() -> None:
    """Check draft frameworks (YAML, XLSX or CSV indicator matrices).

    Example: hsvalidate framework check cadre-suivi.xlsx
    """


@framework.command("check")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def check(file: Path) -> None:
    """Validate a draft framework and count what it holds, or list every problem with its place.

    Exit status 0 when the framework can be used, 1 otherwise.

    Example: hsvalidate framework check templates/mali-human-security.xlsx
    """
    from hsvalidate.framework_io import check_framework

    summary = check_framework(file)
    click.echo(f"{file}: valid framework")
    click.echo(f"  Title:       {summary.title.get('fr')}")
    if summary.title.en:
        click.echo(f"               {summary.title.en}")
    click.echo(f"  Dimensions:  {summary.dimensions}")
    click.echo(f"  Outcomes:    {summary.outcomes}")
    click.echo(f"  Indicators:  {summary.indicators}")
    if summary.indicators_missing_english:
        click.echo(f"  Without English text: {summary.indicators_missing_english} indicator(s)")
    if summary.extra_columns:
        click.echo(f"  Extra columns kept as notes: {summary.extra_columns}")
