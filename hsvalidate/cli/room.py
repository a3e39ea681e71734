"""``hsvalidate room``: participants vote from their phones; the projector shows the round.

``room open`` serves the open round on an address the facilitator chooses; ``room slips``
prints each participant's slip (QR code and typed address); ``room token`` replaces a lost
slip, cancels one, or lists who has one.
"""

from __future__ import annotations

import errno
from collections.abc import Sequence
from pathlib import Path

import click

from hsvalidate.cli._common import (
    argument,
    echo_wrapped,
    group,
    open_workshop,
    option,
    screen_width,
    session_options,
)
from hsvalidate.errors import HsValidateError, RoundError
from hsvalidate.i18n import Message, get_language, t, tn


@group("room", help="help.room")
def room() -> None:
    """The room's web server, its slips and its tokens."""


# -- room open ---------------------------------------------------------------------------


@room.command("open", help="help.room.open_listen")
@option("--host", "hosts", multiple=True, metavar="meta.address", help="help.opt.room_host_choose")
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
    from hsvalidate.room import net
    from hsvalidate.room.serve import serve

    try:
        with open_workshop(session_name, sessions_dir, writable=False) as ws:
            name = ws.name
            lang = get_language()
            if ws.open_round() is None:
                # Why refuse: phones would only see "no round open"; opening the round is
                # one command, and the facilitator would otherwise learn it from the room.
                raise RoundError(Message("slips.open.no_round"))
        from hsvalidate.sessions import sessions_root

        root = sessions_root(sessions_dir)
        for host in hosts:
            if not net.is_address(host):  # a name, a typo: say which addresses there are
                raise _listen_error(OSError(errno.EADDRNOTAVAIL, host), hosts, port)
        try:
            chosen = list(hosts) or [_choose_host(net.addresses(), lang=lang)]
        except KeyboardInterrupt:  # the address question left: no room was opened
            return
        if net.ANYWHERE in chosen:
            echo_wrapped(t("slips.open.anywhere"), err=True)
        elif net.LOOPBACK not in chosen:
            # The laptop's own browser reaches the projector by the loopback address, the
            # only one the facilitator's pages trust without a PIN; it is unreachable from
            # any phone, so listening on it opens nothing more.
            chosen.append(net.LOOPBACK)

        def ready(addresses: list[str]) -> None:
            _announce(addresses, port=port, pin=pin)

        try:
            serve(root, name, hosts=chosen, port=port, pin=pin, on_ready=ready)
        except OSError as exc:
            raise _listen_error(exc, hosts or chosen[:1], port) from exc
    except KeyboardInterrupt:
        pass
    echo_wrapped(t("slips.open.closed"))


def _choose_host(listed: Sequence[object], *, lang: str) -> str:
    """The address to listen on: asked at a terminal, 127.0.0.1 (and how to choose) without.

    Why 127.0.0.1 without a terminal: listening on a network must be the facilitator's
    choice; a script or a service gets the laptop alone and a sentence saying how.
    """
    from hsvalidate import prompts
    from hsvalidate.room import net

    addresses = [a for a in listed if isinstance(a, net.Address)]
    best = net.suggested(addresses)
    if not prompts.stdin_is_terminal():
        others = [a.host for a in addresses if a.kind != "loopback"] or [net.LOOPBACK]
        echo_wrapped(t("slips.open.no_terminal", addresses=", ".join(others)), err=True)
        return net.LOOPBACK
    choices = [
        (
            a.host,
            t(
                "slips.open.choice_suggested" if a.host == best else "slips.open.choice",
                host=a.host,
                kind=t(f"slips.kind.{a.kind}"),
            ),
        )
        for a in sorted(addresses, key=lambda a: a.host != best)
    ]
    return prompts.choose_one(t("slips.open.choose"), choices, lang=lang)


def _announce(addresses: list[str], *, port: int, pin: str) -> None:
    """What the facilitator needs once the room listens: addresses, a QR code, the projector."""
    from hsvalidate.room import net

    shown: list[str] = []
    for address in addresses:
        host = address.split("//", 1)[1].rsplit(":", 1)[0]
        if host == net.ANYWHERE:  # every interface: say the addresses phones can use
            shown += [f"http://{a.host}:{port}/" for a in net.addresses()]
        else:
            shown.append(address)
    shown = list(dict.fromkeys(shown))
    reachable = [a for a in shown if net.kind_of(_host(a)) != "loopback"]
    main = reachable[0] if reachable else shown[0]
    lines = net.terminal_qr(main)
    if max(len(line) for line in lines) < screen_width():
        click.echo(t("slips.open.scan"))
        for line in lines:
            click.echo(click.style(line, fg="black", bg="white"))
    # after the code, so that on a 24-line screen the address stays in view with it
    for address in shown:
        if _host(address) != net.LOOPBACK or len(shown) == 1:
            echo_wrapped(t("room.cli.listening", address=address))
    local = next((a for a in shown if _host(a) == net.LOOPBACK), main)
    echo_wrapped(t("slips.open.projector", address=f"{local}projector"))
    echo_wrapped(t("slips.open.pin_set" if pin else "slips.open.pin_none"))
    if reachable:
        echo_wrapped(t("slips.open.slips_hint", address=main.split("//", 1)[1].rstrip("/")))
    else:
        echo_wrapped(t("slips.open.loopback_only"))
    echo_wrapped(t("room.cli.stop"))


def _host(address: str) -> str:
    """``http://10.0.0.1:8000/`` → ``10.0.0.1``."""
    return address.split("//", 1)[-1].rstrip("/").rsplit(":", 1)[0].strip("[]")


def _listen_error(exc: OSError, hosts: Sequence[str], port: int) -> HsValidateError:
    """One sentence for a room that cannot listen: the port taken, an address not ours."""
    import socket

    from hsvalidate.room import net

    if net.port_in_use(exc):
        return HsValidateError(
            Message("slips.open.port_in_use", port=port, other=port + 1 if port < 65535 else 8001)
        )
    if net.not_this_computer(exc) or isinstance(exc, socket.gaierror):
        ours = ", ".join(a.host for a in net.addresses())
        return HsValidateError(
            Message("slips.open.not_here", host=", ".join(hosts), addresses=ours)
        )
    return HsValidateError(
        Message(
            "slips.open.cannot_listen",
            host=", ".join(hosts),
            port=port,
            reason=exc.strerror or exc.__class__.__name__,
        )
    )


# -- room slips --------------------------------------------------------------------------


@room.command("slips", help="help.room.slips")
@option(
    "--participant",
    "participants",
    multiple=True,
    metavar="meta.code",
    help="help.opt.slips_participant",
)
@option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    metavar="meta.file",
    help="help.opt.slips_output",
)
@option("--address", default=None, metavar="meta.address", help="help.opt.slips_address")
@option("--wifi", default="", metavar="meta.wifi", help="help.opt.slips_wifi")
@session_options
def slips(
    participants: tuple[str, ...],
    output: Path | None,
    address: str | None,
    wifi: str,
    session_name: str | None,
    sessions_dir: Path | None,
) -> None:
    """Give tokens to those without one and write the PDF of slips to cut out."""
    from hsvalidate.errors import BallotError
    from hsvalidate.room import net
    from hsvalidate.room.slips import Slip, write_slips

    codes = [c for item in participants for c in item.replace(",", " ").split()]
    guessed_kind = ""
    if address:
        base = net.base_url(address)
        if not base:
            raise HsValidateError(Message("slips.bad_address", address=address))
    else:
        listed = net.addresses()
        host = net.suggested(listed)
        if host == net.LOOPBACK:
            raise HsValidateError(Message("slips.no_network"))
        guessed_kind = next(a.kind for a in listed if a.host == host)
        base = net.base_url(host)
    with open_workshop(session_name, sessions_dir, purpose="hsvalidate room slips") as ws:
        lang = get_language()
        people = [p for p in ws.participants() if p.withdrawn_from is None]
        if not people:
            raise BallotError(Message("slips.no_participants"))
        given = ws.issue_tokens(codes or None)
        valid = ws.room_tokens()
        wanted = [ws.participant(c).code for c in codes] if codes else [p.code for p in people]
        names = {p.code: p.name for p in people}
        chosen = [
            Slip(code=code, name=names[code], token=valid[code])
            for code in dict.fromkeys(wanted)
            if code in valid
        ]
        target = output or ws.exports_dir / t("slips.file_name", session=ws.name)
        session = ws.name
    write_slips(target, chosen, base=base, lang=lang, session=session, wifi=wifi)
    if given:
        echo_wrapped(tn("slips.issued", len(given)))
    echo_wrapped(tn("slips.written", len(chosen), file=target))
    host, _, port = base.split("//", 1)[1].rpartition(":")
    echo_wrapped(t("slips.address_used", address=base, host=host.strip("[]"), port=port))
    if guessed_kind:
        echo_wrapped(t("slips.address_guessed", kind=t(f"slips.kind.{guessed_kind}")))


# -- room token --------------------------------------------------------------------------


@room.group("token", help="help.room.token")
def token() -> None:
    """A participant's token: replaced, cancelled, listed."""


@token.command("reissue", help="help.room.token.reissue")
@argument("code", metavar="meta.code")
@session_options
def reissue(code: str, session_name: str | None, sessions_dir: Path | None) -> None:
    """A lost slip: a new token, the old one refused from now on; ballots untouched."""
    from hsvalidate.room.tokens import grouped

    with open_workshop(session_name, sessions_dir, purpose="hsvalidate room token") as ws:
        person = ws.participant(code)
        new = ws.reissue_token(person.code)
    echo_wrapped(t("slips.token.reissued", code=person.code, token=grouped(new)))
    echo_wrapped(t("slips.token.print_hint", code=person.code))


@token.command("revoke", help="help.room.token.revoke")
@argument("code", metavar="meta.code")
@session_options
def revoke(code: str, session_name: str | None, sessions_dir: Path | None) -> None:
    """A slip in the wrong hands: it stops voting; ballots untouched."""
    with open_workshop(session_name, sessions_dir, purpose="hsvalidate room token") as ws:
        person = ws.participant(code)
        ws.revoke_token(person.code)
    echo_wrapped(t("slips.token.revoked", code=person.code))


@token.command("list", help="help.room.token.list")
@option("--show", is_flag=True, default=False, help="help.opt.token_show")
@session_options
def list_(show: bool, session_name: str | None, sessions_dir: Path | None) -> None:
    """Who has a slip that votes; the tokens themselves only when asked (not on a projector)."""
    from hsvalidate.room.tokens import grouped

    with open_workshop(session_name, sessions_dir, writable=False) as ws:
        people = ws.participants()
        records = ws.room_token_records()
        valid = ws.room_tokens()
    if not people:
        echo_wrapped(t("slips.list.empty"))
        return
    click.echo(t("slips.list.heading"))
    for person in people:
        mine = [r for r in records if r["participant"] == person.code]
        if person.withdrawn_from is not None:
            echo_wrapped(t("slips.list.withdrawn", code=person.code), indent="  ")
            continue
        current = next((r for r in reversed(mine) if r["token"] == valid.get(person.code)), None)
        if current is None:
            echo_wrapped(t("slips.list.none", code=person.code), indent="  ")
        elif show:
            echo_wrapped(
                t(
                    "slips.list.valid_shown",
                    code=person.code,
                    token=grouped(current["token"]),
                    issued=_when(current["issued_at"]),
                ),
                indent="  ",
            )
        else:
            echo_wrapped(
                t("slips.list.valid", code=person.code, issued=_when(current["issued_at"])),
                indent="  ",
            )
        revoked = sorted(r["revoked_at"] for r in mine if r["revoked_at"])
        if revoked:
            echo_wrapped(
                tn(
                    "slips.list.revoked", len(revoked), code=person.code, revoked=_when(revoked[-1])
                ),
                indent="    ",
            )
    if len(valid) < sum(1 for p in people if p.withdrawn_from is None):
        echo_wrapped(t("slips.list.hint"))


def _when(iso: str) -> str:
    """``2026-11-27T09:14:05+00:00`` → ``2026-11-27 09:14``: what a facilitator reads."""
    return iso[:16].replace("T", " ")
