"""The laptop's addresses, the one phones should use, and a QR code a terminal can show.

Why only the standard library: this runs before the server, on Windows, macOS and Linux
laptops, and must not fail for want of a package that lists network interfaces.  Python
cannot list interfaces portably, so the addresses come from three places that together
find the hotspot's: the names the computer's own name resolves to, the address the
system would use to reach the outside (a UDP socket "connected" sends nothing), and
the loopback address, which always works for the laptop itself.

Why a suggestion: a facilitator should not have to know that Windows' mobile hotspot is
``192.168.137.1``; the address that looks like a hotspot (or else a private network) is
offered first.  ``0.0.0.0`` (every interface, including a venue's public network) is never
offered: the facilitator must ask for it by name.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
from dataclasses import dataclass

LOOPBACK = "127.0.0.1"
"""The laptop itself: always listed, never reachable from a phone."""

ANYWHERE = "0.0.0.0"
"""Every interface at once: only when the facilitator types it."""

HOTSPOTS = ("192.168.137.1", "10.42.0.1", "192.168.2.1", "192.168.43.1", "172.20.10.1")
"""Addresses a laptop takes when it shares its own Wi-Fi: Windows' mobile hotspot,
NetworkManager (Linux), macOS Internet Sharing, Android-style tethering, iPhone tethering."""

DEFAULT_PORT = 8000
"""The port ``hsvalidate room open`` listens on unless told otherwise."""


@dataclass(frozen=True)
class Address:
    """One IPv4 address of the laptop and what it looks like."""

    host: str
    kind: str
    """``hotspot``, ``lan`` (a private network), ``loopback`` or ``other`` (public, link-local)."""


def is_address(host: str) -> bool:
    """Whether ``host`` is an IP address (a name could resolve to anything, or nothing)."""
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def kind_of(host: str) -> str:
    """What an address looks like, for choosing and for saying so to the facilitator."""
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return "other"
    if ip.is_loopback:
        return "loopback"
    if host in HOTSPOTS:
        return "hotspot"
    if ip.is_link_local or ip.is_unspecified:  # 169.254.x.x: no network really joined
        return "other"
    if ip.is_private:
        return "lan"
    return "other"


_ORDER = {"hotspot": 0, "lan": 1, "other": 2, "loopback": 3}


def addresses() -> list[Address]:
    """The laptop's IPv4 addresses, the most likely for phones first, 127.0.0.1 last.

    Never ``0.0.0.0``; never fails (an unreachable network just yields fewer addresses).
    """
    found: list[str] = []
    with contextlib.suppress(OSError, UnicodeError):
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            found.append(str(info[4][0]))
    found.extend(_routed_addresses())
    found.append(LOOPBACK)
    unique = [h for h in dict.fromkeys(found) if h != ANYWHERE]
    listed = [Address(h, kind_of(h)) for h in unique]
    return sorted(listed, key=lambda a: (_ORDER[a.kind], _numeric(a.host)))


def _routed_addresses() -> list[str]:
    """Addresses the system would send from: a UDP socket's ``connect`` sends no packet.

    Why two targets: with no internet (a hotspot in a room), there is no default route,
    but a private network's route may still say which interface is the room's.
    """
    result: list[str] = []
    for target in ("192.0.2.1", "10.255.255.255", "192.168.255.255"):
        with (
            contextlib.suppress(OSError),
            socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe,
        ):
            probe.connect((target, 9))
            result.append(str(probe.getsockname()[0]))
    return result


def _numeric(host: str) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in host.split("."))
    except ValueError:
        return (999,)


def suggested(listed: list[Address]) -> str:
    """The address to offer first: a hotspot's, else a private network's, else 127.0.0.1."""
    for kind in ("hotspot", "lan"):
        for address in listed:
            if address.kind == kind:
                return address.host
    return LOOPBACK


def base_url(address: str, port: int = DEFAULT_PORT) -> str:
    """``http://host:port`` from what a facilitator typed (``host``, ``host:port`` or a URL).

    Why forgiving: ``--address`` is copied from the screen of ``room open``, with or
    without ``http://`` and a final slash; a bare host gets the room's default port.
    """
    text = address.strip()
    for scheme in ("http://", "https://"):
        if text.lower().startswith(scheme):
            text = text[len(scheme) :]
    text = text.split("/", 1)[0]
    if text.startswith("["):  # IPv6 in brackets, with or without a port
        host, _, rest = text[1:].partition("]")
        port_text = rest[1:] if rest.startswith(":") else ""
        return f"http://[{host}]:{port_text or port}"
    host, _, port_text = text.partition(":")
    if not host:
        return ""
    if port_text and not port_text.isdigit():
        return ""
    return f"http://{host}:{port_text or port}"


def ballot_url(base: str, token: str) -> str:
    """The address a slip's QR code opens: ``http://host:port/v/TOKEN``."""
    return f"{base.rstrip('/')}/v/{token}"


# -- a QR code for the terminal ----------------------------------------------------------


QUIET = 2
"""Light modules around a terminal's code: the standard asks 4, but the terminal's own
background is usually light there too when printed in black on white, and 80 columns
are few."""

_BLOCKS = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}


def terminal_qr(text: str, *, quiet: int = QUIET) -> list[str]:
    """Lines of half blocks (``▀▄█`` and spaces) drawing the QR code of ``text``.

    Each character is one module wide and two modules tall, so a short address fits in
    80 columns and about 20 lines.  A block is a dark module: print the lines dark on
    light (``click.style(fg="black", bg="white")``) so the code reads on any terminal.
    """
    from hsvalidate.room.qr import qr_matrix

    matrix = qr_matrix(text)
    size = len(matrix) + 2 * quiet
    light = [False] * size
    rows = [light] * quiet + [[False] * quiet + row + [False] * quiet for row in matrix]
    rows += [light] * quiet
    if len(rows) % 2:
        rows.append(light)
    return [
        "".join(_BLOCKS[(top[c], bottom[c])] for c in range(size))
        for top, bottom in zip(rows[0::2], rows[1::2], strict=True)
    ]


# -- binding -----------------------------------------------------------------------------


def port_in_use(exc: OSError) -> bool:
    """Whether a failure to listen means another program holds the port (any system)."""
    import errno

    codes = {errno.EADDRINUSE, 10048}  # 10048: WSAEADDRINUSE (Windows)
    return exc.errno in codes or getattr(exc, "winerror", None) in codes


def not_this_computer(exc: OSError) -> bool:
    """Whether a failure to listen means the address is not one of this laptop's."""
    import errno

    codes = {errno.EADDRNOTAVAIL, 10049}  # 10049: WSAEADDRNOTAVAIL (Windows)
    return exc.errno in codes or getattr(exc, "winerror", None) in codes
