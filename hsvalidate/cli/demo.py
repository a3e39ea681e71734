"""``hsvalidate demo``: a whole simulated workshop on the shipped draft framework."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("hsvalidate-demo"),
    show_default=True,
    help="Folder for the demo session, workbook and minutes.",
)
@click.option(
    "--participants",
    "size",
    type=click.IntRange(4, 500),
    default=40,
    show_default=True,
    help="Size of the synthetic panel.",
)
@click.option(
    "--seed",
    type=int,
    default=2016,
    show_default=True,
    help="Random seed: the same seed gives the same ratings.",
)
@click.option(
    "--lang",
    type=click.Choice(["fr", "en"]),
    default="fr",
    show_default=True,
    help="Language of the documents.",
)
def demo(out_dir: Path, size: int, seed: int, lang: str) -> None:
    """Run a complete simulated validation workshop and write its workbook and minutes.

    Uses the shipped illustrative Mali framework and a reproducible synthetic panel in
    four stakeholder groups: two rating rounds, plenary decisions, exports.

    Example: hsvalidate demo --out atelier-test --lang en
    """
    from hsvalidate.demo import run_demo
    from hsvalidate.framework_io import load_framework
    from hsvalidate.resources import DEMO_FRAMEWORK, template_path

    framework = load_framework(template_path(DEMO_FRAMEWORK))
    result = run_demo(out_dir, framework=framework, size=size, seed=seed, lang=lang)
    click.echo(f"Demo workshop on: {framework.title.get(lang)}")
    click.echo(
        f"  {result.participants} participants: "
        + ", ".join(f"{g} {n}" for g, n in result.groups.items())
    )
    for number, rated, counts in result.rounds:
        click.echo(
            f"  Round {number}: {rated} indicators rated — "
            + ", ".join(f"{v} {c}" for v, c in sorted(counts.items()))
        )
    click.echo(f"  Plenary decisions recorded: {result.decisions}")
    click.echo(f"Session:  {result.session_dir}")
    click.echo(f"Workbook: {result.workbook}")
    click.echo(f"Minutes:  {result.minutes}")
