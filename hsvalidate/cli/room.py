"""``hsvalidate room``: participants vote from their phones; the projector shows the round."""

from __future__ import annotations

from pathlib import Path

import click

from hsvalidate.cli._common import echo_wrapped, group, option, session_options
from hsvalidate.i18n import t


@group("room", help="help.room")
def room() -> None:
    """The room's web server, its slips and its tokens."""


@room.command("open", help="help.room.open")
@option("--host", "hosts", multiple=True, metavar="meta.address", help="help.opt.room_host")
@option("--port", type=click.IntRange(1, 65535), default=8000, help="help.opt.room_port")
@option("--pin", default="", metavar="meta.pin", help="help.opt.room_pin")
@session_options
def open_(
    hosts: tuple[str, ...],
    port: int,
    pin: str,
    session_name: str | None,
    sessions_dir: Path | None,
) -> None:
    """Serve the open round on the addresses chosen until Ctrl-C."""
    from hsvalidate.room.serve import serve
    from hsvalidate.sessions import resolve_session, sessions_root

    root = sessions_root(sessions_dir)
    name, implicit = resolve_session(root, session_name)
    if implicit:
        click.echo(t("cli.session.implicit", name=name), err=True)

    def ready(addresses: list[str]) -> None:
        for address in addresses:
            echo_wrapped(t("room.cli.listening", address=address))
        echo_wrapped(t("room.cli.stop"))

    serve(root, name, hosts=hosts or ("127.0.0.1",), port=port, pin=pin, on_ready=ready)
