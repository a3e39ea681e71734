"""``hsvalidate demo``: a whole simulated workshop on the shipped draft framework."""

from __future__ import annotations

from pathlib import Path

import click

from hsvalidate.cli._common import (
    command,
    echo_fields,
    echo_wrapped,
    follow_session_language,
    option,
)
from hsvalidate.i18n import LANGS, t, tn


@command(help="help.demo")
@option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("hsvalidate-demo"),
    show_default=True,
    metavar="meta.folder",
    help="help.opt.demo_out",
)
@option(
    "--participants",
    "size",
    type=click.IntRange(4, 500),
    default=40,
    show_default=True,
    metavar="meta.number",
    help="help.opt.demo_size",
)
@option(
    "--seed",
    type=int,
    default=2016,
    show_default=True,
    metavar="meta.number",
    help="help.opt.demo_seed",
)
@option(
    "--lang",
    type=click.Choice(LANGS),
    default="fr",
    show_default=True,
    help="help.opt.demo_lang",
)
def demo(out_dir: Path, size: int, seed: int, lang: str) -> None:
    """Run a whole simulated workshop, so a facilitator can see every document before the day."""
    from hsvalidate.consensus import VERDICTS
    from hsvalidate.demo import DEMO_SESSION, run_demo
    from hsvalidate.framework_io import load_framework
    from hsvalidate.i18n.documents import verdict_label
    from hsvalidate.resources import DEMO_FRAMEWORK, template_path

    # The demo session speaks French, the working language, unless --lang says otherwise;
    # its summary here speaks like its documents.
    follow_session_language(lang)
    framework = load_framework(template_path(DEMO_FRAMEWORK))
    result = run_demo(out_dir, framework=framework, size=size, seed=seed, lang=lang)
    echo_wrapped(t("cli.demo.title", title=framework.title.get(lang)))
    groups = ", ".join(f"{g}\u00a0{n}" for g, n in result.groups.items())
    echo_wrapped(tn("cli.demo.panel", result.participants, groups=groups), indent="  ")
    for number, rated, counts in result.rounds:
        # Verdicts in their fixed order, so two runs read alike.
        order = [*VERDICTS, *sorted(set(counts) - set(VERDICTS))]
        verdicts = ", ".join(
            t("cli.round.verdict_count", verdict=verdict_label(v, lang), n=counts[v])
            for v in order
            if counts.get(v)
        )
        echo_wrapped(tn("cli.demo.round", rated, round=number, verdicts=verdicts), indent="  ")
        if number == 1 and result.revisions:
            echo_wrapped(t("cli.demo.revisions"), indent="  ")
            for line in result.revisions:
                echo_wrapped(line, indent="    ")
    click.echo("  " + tn("cli.demo.decisions", result.decisions))
    echo_wrapped(t("cli.demo.undone", action=result.undone), indent="  ")
    echo_fields(
        [
            (t("cli.show.session"), str(result.session_dir)),
            (t("cli.demo.workbook"), str(result.workbook)),
            (t("cli.demo.minutes"), str(result.minutes)),
            (t("cli.demo.validated"), str(result.validated)),
        ]
    )
    click.echo(t("cli.demo.log"))
    # On a line of its own and never wrapped: it is meant to be copied as it is.
    click.echo(
        f'  hsvalidate log --sessions-dir "{result.session_dir.parent}" --session {DEMO_SESSION}'
    )
