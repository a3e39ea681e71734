"""``hsvalidate doctor``: check a session, salvage a damaged one, restore a snapshot."""

from __future__ import annotations

from pathlib import Path

import click

from hsvalidate.cli._common import command, echo_wrapped, option, session_options
from hsvalidate.i18n import t, tn


@command(help="help.doctor")
@option("--salvage", is_flag=True, help="help.opt.doctor_salvage")
@option("--restore", "backup", default=None, metavar="meta.name", help="help.opt.doctor_restore")
@session_options
def doctor(
    salvage: bool, backup: str | None, session_name: str | None, sessions_dir: Path | None
) -> None:
    """Say what is intact; make a repaired or restored copy on request, never touching the original."""
    from hsvalidate.sessions import remember_session, resolve_session, sessions_root
    from hsvalidate.store import check_session, restore_copy, salvage_copy

    root = sessions_root(sessions_dir)
    name, _ = resolve_session(root, session_name)
    folder = root / name
    found = check_session(folder)
    echo_wrapped(t("cli.doctor.tables_ok" if found.tables_ok else "cli.doctor.tables_bad",
                   problem=found.tables_problem))  # fmt: skip
    for journal in found.journals:
        if journal.damaged:
            echo_wrapped(
                tn(
                    "cli.doctor.journal_damaged",
                    len(journal.damaged),
                    round=journal.round,
                    ballots=journal.ballots,
                ),
                indent="  ",
            )
        elif journal.torn_tail:
            echo_wrapped(
                t("cli.doctor.journal_torn", round=journal.round, ballots=journal.ballots),
                indent="  ",
            )
        else:
            echo_wrapped(
                t("cli.doctor.journal_ok", round=journal.round, ballots=journal.ballots),
                indent="  ",
            )
    if found.backups:
        echo_wrapped(t("cli.doctor.backups", backups=", ".join(found.backups)))
    else:
        echo_wrapped(t("cli.doctor.no_backups"))
    if backup is not None:
        target = _free_name(root, t("cli.doctor.restored_name", name=name))
        restore_copy(folder, backup, root / target)
        remember_session(root, target)
        echo_wrapped(t("cli.doctor.restored", backup=backup, target=target))
    elif salvage:
        target = _free_name(root, t("cli.doctor.repaired_name", name=name))
        before = salvage_copy(folder, root / target)
        lost = sum(len(j.damaged) for j in before.journals)
        kept = sum(j.ballots for j in before.journals)
        remember_session(root, target)
        echo_wrapped(tn("cli.doctor.salvaged", lost, kept=kept, target=target))
    elif found.healthy:
        echo_wrapped(t("cli.doctor.healthy"))
    else:
        echo_wrapped(t("cli.doctor.advice", name=name))
        raise click.exceptions.Exit(1)


def _free_name(root: Path, wanted: str) -> str:
    """``wanted``, or ``wanted 2``, ``wanted 3``… : a copy never overwrites a session."""
    name, n = wanted, 1
    while (root / name).exists():
        n += 1
        name = f"{wanted} {n}"
    return name
