"""Serving the room with waitress on the addresses the facilitator chose, until Ctrl-C.

Why waitress: a production WSGI server in pure Python that runs on Windows; its threads
hand requests to the application, whose one lock serialises the session's writes.  It
listens only on the addresses given (never ``0.0.0.0`` unless the facilitator asks), limits
request bodies, and is stopped by Ctrl-C with every acknowledged ballot already on disk.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from pathlib import Path

from hsvalidate.room.app import MAX_BODY, Room, create_app

THREADS = 16
"""Worker threads: requests waiting on the session's lock must not block page loads."""


def serve(
    root: Path,
    name: str,
    *,
    hosts: Sequence[str],
    port: int,
    pin: str = "",
    on_ready: Callable[[list[str]], None] | None = None,
) -> None:
    """Open the session, serve it on each ``host:port`` until Ctrl-C, then close it.

    ``on_ready`` receives the addresses actually listened on (``http://host:port/``),
    once the sockets are bound, so the command prints only addresses that work.
    """
    from waitress import create_server  # type: ignore[import-untyped]

    room = Room(root, name, pin=pin)
    try:
        app = create_app(room)
        listen = " ".join(f"[{h}]:{port}" if ":" in h else f"{h}:{port}" for h in hosts)
        server = create_server(
            app,
            listen=listen,
            threads=THREADS,
            max_request_body_size=MAX_BODY,
            max_request_header_size=16 * 1024,
            channel_timeout=30,
            connection_limit=500,
            clear_untrusted_proxy_headers=True,
            ident="hsvalidate",
        )
        addresses = [address_of(server_address) for server_address in _addresses(server)]
        app.extensions["hsvalidate_room_addresses"] = addresses  # the projector shows them
        if on_ready is not None:
            on_ready(addresses)
        _ctrl_break_is_ctrl_c()
        with contextlib.suppress(KeyboardInterrupt):
            server.run()  # returns on Ctrl-C, having closed its sockets
    finally:
        room.close()


def _ctrl_break_is_ctrl_c() -> None:
    """On Windows, stop on Ctrl-Break as on Ctrl-C (a console or a script may send either).

    Why: Python turns only Ctrl-C into ``KeyboardInterrupt``; Ctrl-Break would end the
    process at once, without closing the session.  Nothing is lost either way (every
    acknowledged ballot is on disk), but the room should close the same way.
    """
    import signal

    sigbreak = getattr(signal, "SIGBREAK", None)
    if sigbreak is not None:  # pragma: no cover - Windows only
        signal.signal(sigbreak, signal.default_int_handler)


def _addresses(server: object) -> list[tuple[str, int]]:
    """The (host, port) pairs a waitress server is bound to (one server or several)."""
    effective = getattr(server, "effective_listen", None)
    if effective:
        return [(str(h), int(p)) for h, p in effective]
    return [(str(server.effective_host), int(server.effective_port))]  # type: ignore[attr-defined]


def address_of(pair: tuple[str, int]) -> str:
    """``http://10.0.0.1:8000/`` (IPv6 in brackets)."""
    host, port = pair
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"
