"""The room: participants vote from their phones over the laptop's Wi-Fi; the projector shows it.

Why a web server on the facilitator's laptop: most participants carry a smartphone, and the
laptop can open its own hotspot, so a room without internet still gets live voting.  The
command line stays the facilitator's tool; this is one more channel (``web``) and a better
screen for the room.

Layout:

- ``tokens.py``   the personal token each participant's slip carries (pure);
- ``app.py``      the Flask application: one Workshop behind a lock, the security every
                  page shares (request size, rate, CSRF, the facilitator's guard);
- ``ballot.py``   the participant's pages (blueprint ``ballot``);
- ``projector.py`` the projector's pages and the facilitator's controls (blueprint
                  ``projector``);
- ``serve.py``    waitress on the addresses the facilitator chose, stopped by Ctrl-C;
- ``slips.py``    the PDF of cut-out slips with a QR code each;
- ``templates/``, ``static/``  Jinja2 templates (escaped by default) and local assets only.

Flask and waitress are imported only here, so the rest of hsvalidate starts without them.
"""
