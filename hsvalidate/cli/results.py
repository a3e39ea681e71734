"""``hsvalidate results`` (figures on screen or as tidy files) and ``hsvalidate export``.

The commands only parse and call: the tables live in ``cli/tables.py``, imported when a
command runs, so that ``--help`` stays fast.
"""

from __future__ import annotations

from pathlib import Path

import click

from hsvalidate.cli._common import (
    command,
    echo_wrapped,
    forced_language,
    open_workshop,
    option,
    session_options,
)
from hsvalidate.i18n import codes_with_prefix, t


@command(help="help.results")
@option(
    "--round",
    "round_no",
    type=click.IntRange(1),
    default=None,
    metavar="meta.number",
    help="help.opt.results_round",
)
@option("--by-group", is_flag=True, help="help.opt.by_group")
@option("--combined", "view", flag_value="combined", help="help.opt.combined")
@option("--stability", "view", flag_value="stability", help="help.opt.stability_view")
@option("--attrition", "view", flag_value="attrition", help="help.opt.attrition")
@option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="help.opt.results_format",
)
@option("--tidy", is_flag=True, help="help.opt.tidy")
@session_options
def results(
    round_no: int | None,
    by_group: bool,
    view: str | None,
    fmt: str,
    tidy: bool,
    session_name: str | None,
    sessions_dir: Path | None,
) -> None:
    """Figures on screen in the session's words, or unrounded rows for a spreadsheet or a tool."""
    from hsvalidate.cli.tables import show_results

    with open_workshop(session_name, sessions_dir, writable=False) as ws:
        show_results(ws, round_no=round_no, by_group=by_group, view=view, fmt=fmt, tidy=tidy)


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
@option("--keep-dropped", is_flag=True, help="export.help.keep_dropped")
@option("--tidy", is_flag=True, help="help.opt.tidy")
@option("--signatures", is_flag=True, help="export.help.signatures")
@session_options
def export(
    out_dir: Path | None,
    formats: tuple[str, ...],
    show_names: bool,
    keep_dropped: bool,
    tidy: bool,
    signatures: bool,
    session_name: str | None,
    sessions_dir: Path | None,
) -> None:
    """Write the documents the secretariat takes home, each format from the exporter registry."""
    from hsvalidate.exports import default_formats, write_exports

    with open_workshop(session_name, sessions_dir, writable=False) as ws:
        report = ws.build_report(lang=forced_language(), show_names=show_names)
        shown = report.disclosure
        if shown.impossible:  # pooling cannot hide anyone when the panel itself is that small
            echo_wrapped(
                t("cli.export.small_panel", panel=shown.panel, n=shown.threshold), err=True
            )
        target = out_dir if out_dir is not None else ws.exports_dir
        chosen = list(dict.fromkeys(formats)) or default_formats()
        written = []
        for exporter, path in write_exports(
            report, target, chosen, keep_dropped=keep_dropped, tidy=tidy, signatures=signatures
        ):
            click.echo(t("export.written", what=t(exporter.label_key), path=path))
            written.append(path)
        _log_export(ws.store.folder, written)


def _log_export(folder: Path | None, files: list[Path]) -> None:
    """Note the export in the session's log, when no other window is writing.

    Why best effort: the export reads the session without its lock, so that the ballot
    screen in another window keeps working; the documents are already written, and
    refusing them for want of a log line would help nobody.
    """
    from hsvalidate.errors import SessionLockedError
    from hsvalidate.workshop import Workshop

    if folder is None or not files:
        return
    try:
        with Workshop.open(
            root=folder.parent, name=folder.name, purpose="hsvalidate export", tables_only=True
        ) as ws:
            ws.log_export(files)
    except SessionLockedError:
        pass
