"""The participant's pages: the ballot on a phone (blueprint ``ballot``).

A placeholder until the ballot pages are written: the address a slip's QR code opens.
"""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

from hsvalidate.room.app import room_of

bp = Blueprint("ballot", __name__)


@bp.get("/v/<token>")
def ballot_page(token: str) -> str:
    """The ballot of the participant whose slip carries ``token``."""
    room = room_of(current_app)
    with room.workshop() as ws:
        person = ws.token_participant(token)
    if person is None:
        return render_template("base.html", message_key="room.web.bad_token"), 403  # type: ignore[return-value]
    return render_template("base.html", message_key="room.web.welcome")
