"""``hsvalidate framework``: check a draft framework before the workshop."""

from __future__ import annotations

from pathlib import Path

import click

from hsvalidate.cli._common import (
    TermChoice,
    argument,
    catalogue_word,
    echo_columns,
    echo_fields,
    group,
    lang_option,
    option,
)
from hsvalidate.i18n import LANGS, get_language, t, tn

LANG_CHOICE = TermChoice({lang: catalogue_word(f"cli.lang.{lang}") for lang in LANGS})
"""A language typed as ``fr``/``en`` or as its name (``français``, ``English``)."""

_MISSING = {"en": "cli.framework.missing_en", "fr": "cli.framework.missing_fr"}
"""The sentence counting indicators without text in a language."""


@group(help="help.framework")
def framework() -> None:
    """Check draft frameworks before the workshop, so problems are fixed by their authors."""


@framework.command("check", help="help.framework.check")
@argument("file", type=click.Path(dir_okay=False, path_type=Path), metavar="meta.file")
@option(
    "--working-lang",
    "working_lang",
    type=LANG_CHOICE,
    default=None,
    help="help.opt.working_lang",
)
@lang_option
def check(file: Path, working_lang: str | None) -> None:
    """Count what a framework holds, or list every problem with its place (exit status 1)."""
    from hsvalidate.framework_io import check_framework

    summary = check_framework(file, working_lang=working_lang)
    lang = get_language()
    # Which text a partner would miss: the other language than the framework's own.
    working = summary.lang
    other = next(code for code in LANGS if code != working)
    title = summary.title.get(lang)
    other_title = summary.title.get(other if lang == working else working)
    rows = [
        (t("cli.framework.title"), title),
        *([("", other_title)] if other_title and other_title != title else []),
        (t("cli.framework.working_lang"), t(f"cli.lang.{working}")),
        (t("cli.framework.dimensions"), str(summary.dimensions)),
        (t("cli.framework.outcomes"), str(summary.outcomes)),
        (t("cli.show.indicators"), str(summary.indicators)),
    ]
    click.echo(t("cli.framework.valid", file=file))
    echo_fields(rows, indent="  ")
    if summary.indicators_missing_other_language:
        click.echo("  " + tn(_MISSING[other], summary.indicators_missing_other_language))
    if summary.extra_columns:
        click.echo("  " + tn("cli.framework.extra_columns", summary.extra_columns))
    if summary.unrecognised_columns:
        echo_columns((), summary.unrecognised_columns, heading="cli.framework.unrecognised")
