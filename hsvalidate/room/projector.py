"""The projector's pages and the facilitator's controls (blueprint ``projector``).

A placeholder until the projector pages are written.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template

from hsvalidate.room.app import facilitator_allowed, room_of

bp = Blueprint("projector", __name__)


@bp.get("/projector")
def projector_page() -> str:
    """The round on the big screen: only the laptop itself, or with the facilitator's PIN."""
    if not facilitator_allowed(room_of(current_app)):
        abort(403)
    return render_template("base.html", message_key="room.web.welcome")
