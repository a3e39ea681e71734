"""The PDF of cut-out slips: one per participant, with the QR code of their ballot's address.

Why a slip per participant, handed out in person: the token on it is what lets a phone vote
as that participant, so whoever holds the slip holds the vote.  The QR code opens the
ballot at once; the address is also typed out, with the code in groups of four
(``K7Q4-MX2P-9DHE``), for a phone whose camera cannot read it.

Why the name is printed beside the code: the secretariat hands out the slips at the
door, and a name is what prevents giving P03's slip to P04 (a code alone needs a list to
look up, and a mix-up would make one person vote as another).  A slip shows no rating,
so the rule that names never stand beside ratings holds; a slip lost is revoked and
reissued (``hsvalidate room token reissue``) without touching any ballot.

Eight slips per A4 page (two columns of four), separated by dashed cut lines: large
enough for a code a finger can aim a camera at (32 mm) and text read without glasses.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hsvalidate.fileio import atomic_path
from hsvalidate.i18n import t
from hsvalidate.room.net import ballot_url
from hsvalidate.room.tokens import grouped

MM = 72 / 25.4
"""Points in a millimetre (reportlab measures in points)."""

COLUMNS = 2
ROWS = 4
PER_PAGE = COLUMNS * ROWS
MARGIN = 12 * MM
PAD = 5 * MM
QR_SIZE = 32 * MM


@dataclass(frozen=True)
class Slip:
    """What one slip carries."""

    code: str
    """The participant's code (P03)."""
    name: str
    """The participant's name, so the slip is handed to the right person."""
    token: str
    """The token, canonical (no dashes)."""


def write_slips(
    path: Path,
    slips: Sequence[Slip],
    *,
    base: str,
    lang: str,
    session: str,
    wifi: str = "",
) -> int:
    """Write the slips to ``path`` (atomically); returns the number of pages.

    ``base`` is the room's address (``http://192.168.137.1:8000``); ``wifi`` the name of
    the hotspot, printed in the instructions when given.
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    from hsvalidate.exports.pdf import _register_fonts

    _register_fonts()
    pages = max(1, -(-len(slips) // PER_PAGE))
    with atomic_path(Path(path)) as tmp:
        canvas = Canvas(str(tmp), pagesize=A4, pageCompression=1)
        canvas.setTitle(t("slips.pdf.title", session=session, lang=lang))
        canvas.setCreator("hsvalidate")
        canvas.setSubject(t("slips.pdf.subject", lang=lang))
        for page in range(pages):
            chunk = slips[page * PER_PAGE : (page + 1) * PER_PAGE]
            _page_frame(canvas, A4, lang=lang, session=session, page=page + 1, pages=pages)
            for i, slip in enumerate(chunk):
                col, row = i % COLUMNS, i // COLUMNS
                width = (A4[0] - 2 * MARGIN) / COLUMNS
                height = (A4[1] - 2 * MARGIN) / ROWS
                x = MARGIN + col * width
                y = A4[1] - MARGIN - (row + 1) * height
                _slip(canvas, slip, x, y, width, height, base=base, lang=lang, wifi=wifi)
            canvas.showPage()
        canvas.save()
    return pages


def _page_frame(
    canvas: Any, size: tuple[float, float], *, lang: str, session: str, page: int, pages: int
) -> None:
    """The dashed cut lines of the grid and one line saying what the page is."""
    from hsvalidate.exports.pdf import FONT

    width, height = size
    canvas.setFont(FONT, 7.5)
    canvas.setFillGray(0.35)
    canvas.drawString(
        MARGIN,
        height - MARGIN + 3 * MM,
        t("slips.pdf.header", session=session, page=page, pages=pages, lang=lang),
    )
    canvas.setStrokeGray(0.55)
    canvas.setLineWidth(0.5)
    canvas.setDash(3, 3)
    for col in range(COLUMNS + 1):
        x = MARGIN + col * (width - 2 * MARGIN) / COLUMNS
        canvas.line(x, MARGIN, x, height - MARGIN)
    for row in range(ROWS + 1):
        y = MARGIN + row * (height - 2 * MARGIN) / ROWS
        canvas.line(MARGIN, y, width - MARGIN, y)
    canvas.setDash()
    canvas.setFillGray(0)


def _slip(
    canvas: Any,
    slip: Slip,
    x: float,
    y: float,
    width: float,
    height: float,
    *,
    base: str,
    lang: str,
    wifi: str,
) -> None:
    """One slip in the box whose lower-left corner is (x, y)."""
    from reportlab.graphics import renderPDF
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from hsvalidate.exports.pdf import FONT, FONT_BOLD, break_lines

    url = ballot_url(base, slip.token)
    typed = ballot_url(base, grouped(slip.token))
    top = y + height - PAD
    left = x + PAD
    inner = width - 2 * PAD

    # the QR code, top right, with its own quiet zone (4 modules)
    widget = QrCodeWidget(url, barLevel="M", barBorder=4)
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(
        QR_SIZE, QR_SIZE, transform=[QR_SIZE / (x1 - x0), 0, 0, QR_SIZE / (y1 - y0), 0, 0]
    )
    drawing.add(widget)
    renderPDF.draw(drawing, canvas, x + width - PAD - QR_SIZE + 2 * MM, top - QR_SIZE + 2 * MM)
    text_width = inner - QR_SIZE

    # who: the code, large, and the name under it (shrunk to fit, never cut)
    canvas.setFont(FONT_BOLD, 18)
    canvas.drawString(left, top - 16, slip.code)
    name_size = _fit(slip.name, FONT, 11, text_width, stringWidth)
    canvas.setFont(FONT, name_size)
    canvas.drawString(left, top - 31, slip.name)

    # the code to type, in groups of four
    canvas.setFont(FONT, 7.5)
    canvas.setFillGray(0.35)
    canvas.drawString(left, top - 48, t("slips.pdf.code_label", lang=lang))
    canvas.setFillGray(0)
    code_size = _fit(grouped(slip.token), FONT_BOLD, 13, text_width, stringWidth)
    canvas.setFont(FONT_BOLD, code_size)
    canvas.drawString(left, top - 63, grouped(slip.token))

    # the address typed out, the whole width
    line = top - QR_SIZE - 8
    canvas.setFont(FONT, 7.5)
    canvas.setFillGray(0.35)
    canvas.drawString(left, line, t("slips.pdf.address_label", lang=lang))
    canvas.setFillGray(0)
    address_size = _fit(typed, FONT_BOLD, 10, inner, stringWidth)
    canvas.setFont(FONT_BOLD, address_size)
    canvas.drawString(left, line - 12, typed)

    # two lines of instructions, in the session's language
    steps = [
        t("slips.pdf.step_wifi_named", wifi=wifi, lang=lang)
        if wifi
        else t("slips.pdf.step_wifi", lang=lang),
        t("slips.pdf.step_open", lang=lang),
    ]
    canvas.setFont(FONT, 7.5)
    cursor = line - 25
    for step in steps:
        for piece in break_lines(step, inner, FONT, 7.5, cut_long_words=True) or []:
            canvas.drawString(left, cursor, piece)
            cursor -= 9
    # the warning sits on the slip's last line, whatever the instructions took
    canvas.setFont(FONT, 6.5)
    canvas.setFillGray(0.35)
    canvas.drawString(left, min(cursor - 2, y + PAD), t("slips.pdf.personal", lang=lang))
    canvas.setFillGray(0)


def _fit(text: str, font: str, size: float, width: float, measure: Any) -> float:
    """The largest size up to ``size`` at which ``text`` fits ``width`` (not below 6 pt)."""
    while size > 6 and measure(text, font, size) > width:
        size -= 0.5
    return size
