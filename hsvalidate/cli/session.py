"""``hsvalidate session``: create, list and show workshop sessions."""

from __future__ import annotations

from pathlib import Path

import click

from hsvalidate.cli._common import (
    forced_language,
    open_workshop,
    session_options,
    sessions_dir_option,
)
from hsvalidate.i18n import default_language
from hsvalidate.consensus import Rule
from hsvalidate.model import DEFAULT_CRITERIA, Settings
from hsvalidate.sessions import (
    current_session_name,
    list_sessions,
    remember_session,
    resolve_session,
    sessions_root,
)
from hsvalidate.workshop import Workshop


@click.group()
def session() -> None:
    """Create and inspect workshop sessions (one folder each under the sessions folder).

    Example: hsvalidate session new bamako-2026 --framework cadre.xlsx
    """


@session.command("new")
@click.argument("name")
@click.option(
    "--framework",
    "framework_file",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Draft framework to validate (YAML, XLSX or CSV).",
)
@click.option(
    "--scale",
    type=click.Choice(["9", "5"]),
    default="9",
    show_default=True,
    help="Rating scale: 1–9 (RAND/UCLA) or 1–5 (Likert).",
)
@click.option(
    "--rule",
    type=click.Choice(["ram", "percent", "likert"]),
    default="ram",
    show_default=True,
    help="Consensus rule: RAND/UCLA median and disagreement, percent agreement, "
    "or Likert (1–5 scale: share high and IQR ≤ 1).",
)
@click.option(
    "--agree",
    type=click.FloatRange(0, 100),
    default=None,
    help="X: share (%) in a band needed for consensus [default: 70; 75 for likert].",
)
@click.option(
    "--veto",
    type=click.FloatRange(0, 100),
    default=15.0,
    show_default=True,
    help="Y (percent rule): share (%) in the opposite band that blocks consensus.",
)
@click.option(
    "--quorum",
    type=click.IntRange(1),
    default=1,
    show_default=True,
    help="Minimum raters for a result to be classified.",
)
@click.option(
    "--group-quorum",
    type=click.IntRange(0),
    default=0,
    show_default=True,
    help="Minimum raters within every stakeholder group (0: none).",
)
@click.option(
    "--per-group",
    is_flag=True,
    help="Require the rule within every stakeholder group, not only overall.",
)
@click.option(
    "--stability",
    type=click.FloatRange(0, 100),
    default=15.0,
    show_default=True,
    help="Between rounds: stable when fewer than this share (%) changed band.",
)
@click.option(
    "--criteria",
    default=",".join(c.code for c in DEFAULT_CRITERIA),
    show_default=True,
    help="Comma-separated criteria, chosen among relevance, feasibility, clarity.",
)
@sessions_dir_option
def new(
    name: str,
    framework_file: Path,
    scale: str,
    rule: str,
    agree: float | None,
    veto: float,
    quorum: int,
    group_quorum: int,
    per_group: bool,
    stability: float,
    criteria: str,
    sessions_dir: Path | None,
) -> None:
    """Create a session from a draft framework; it becomes the default for later commands.

    Settings (scale, rule, thresholds, criteria) are fixed now, before round 1, and are
    printed in the minutes.

    Example: hsvalidate session new "Atelier Bamako" --framework cadre.yaml --rule percent
    """
    from hsvalidate.framework_io import load_framework

    by_code = {c.code: c for c in DEFAULT_CRITERIA}
    chosen = [c.strip().lower() for c in criteria.split(",") if c.strip()]
    unknown = [c for c in chosen if c not in by_code]
    if unknown or not chosen:
        raise click.BadParameter(
            f"choose criteria among {', '.join(by_code)} (got {criteria!r})",
            param_hint="--criteria",
        )
    if rule == "likert" and scale != "5":
        raise click.BadParameter(
            "the Likert rule is defined on the 1–5 scale; add --scale 5 or choose --rule ram",
            param_hint="--rule",
        )
    fw = load_framework(framework_file)
    settings = Settings(
        scale_min=1,
        scale_max=int(scale),
        rule=rule,
        agree_pct=agree if agree is not None else (75.0 if rule == "likert" else 70.0),
        veto_pct=veto,
        quorum=quorum,
        group_quorum=group_quorum,
        per_group=per_group,
        stability_pct=stability,
        criteria=tuple(by_code[c] for c in dict.fromkeys(chosen)),
        lang=forced_language() or default_language(),
    )
    root = sessions_root(sessions_dir)
    workshop = Workshop.create(root=root, name=name, framework=fw, settings=settings)
    with workshop:
        click.echo(f"Created session '{workshop.name}' in {root / workshop.name}")
        click.echo(
            f"  {len(fw.indicators())} indicators, scale 1–{scale}, rule {rule}, "
            f"criteria: {', '.join(c.code for c in settings.criteria)}"
        )
        click.echo("Next: hsvalidate participants import FILE  (or participants add)")


@session.command("list")
@sessions_dir_option
def list_(sessions_dir: Path | None) -> None:
    """List the sessions in the sessions folder; the default one is marked with *.

    Example: hsvalidate session list
    """
    root = sessions_root(sessions_dir)
    names = list_sessions(root)
    if not names:
        click.echo(f"No sessions in {root} yet; create one with 'hsvalidate session new'.")
        return
    current = current_session_name(root)
    for name in names:
        click.echo(f"{'*' if name == current else ' '} {name}")


@session.command("use")
@click.argument("name")
@sessions_dir_option
def use(name: str, sessions_dir: Path | None) -> None:
    """Make NAME the default session for later commands.

    Example: hsvalidate session use bamako-2026
    """
    root = sessions_root(sessions_dir)
    resolved, _ = resolve_session(root, name)
    remember_session(root, resolved)
    click.echo(f"Default session: {resolved}")


@session.command("show")
@session_options
def show(session_name: str | None, sessions_dir: Path | None) -> None:
    """Show a session's settings, participants and rounds.

    Example: hsvalidate session show --session bamako-2026
    """
    with open_workshop(session_name, sessions_dir, writable=False) as ws:
        s = ws.settings
        click.echo(f"Session:      {ws.name}  (created {ws.created_at})")
        click.echo(f"Framework:    {ws.framework.title.get(s.lang)}  [{ws.framework.source}]")
        click.echo(f"Indicators:   {len(ws.framework.indicators())}")
        click.echo(f"Scale:        {s.scale_min}–{s.scale_max}")
        click.echo(f"Rule:         {describe_rule(ws.rule)}")
        click.echo(f"Criteria:     {', '.join(c.code for c in s.criteria)}")
        click.echo(f"Participants: {len(ws.participants())}")
        for rnd in ws.rounds():
            n = len({b.participant for b in ws.ballots(rnd.number)})
            click.echo(
                f"Round {rnd.number}:      {rnd.status}, {len(rnd.indicators)} indicators, "
                f"{n} participant(s) rated"
            )


def describe_rule(rule: Rule) -> str:
    """The rule in one line, as the facilitator chose it."""
    if rule.kind == "ram":
        text = "RAND/UCLA (median band, no disagreement IPR > IPRAS)"
    elif rule.kind == "percent":
        text = (
            f"percent agreement (≥ {rule.agree_pct:g} % in a band, < {rule.veto_pct:g} % opposite)"
        )
    else:
        text = f"Likert (≥ {rule.agree_pct:g} % in a band and IQR ≤ {rule.likert_iqr:g})"
    text += f"; quorum {rule.quorum}"
    if rule.group_quorum:
        text += f", {rule.group_quorum} per group"
    if rule.per_group:
        text += "; required within every group"
    return text + f"; stable below {rule.stability_pct:g} % band changes"
