"""QR codes for the room: the module matrix, and an SVG drawing of it.

Why reportlab's encoder: reportlab is already a dependency (the PDF minutes), it encodes QR
codes in pure Python, and nothing else has to be installed on the laptop.  The matrix is
shared: the projector draws it as SVG (:func:`qr_svg`), the slips as PDF, the terminal as
text.
"""

from __future__ import annotations

QUIET = 4
"""Light modules around the code: phone cameras need this margin to find it."""


def qr_matrix(text: str) -> list[list[bool]]:
    """The QR code of ``text`` as rows of modules (True is dark), without the quiet zone.

    Why level M: it survives a smudged slip or a projector's glare (15 % of the code) while
    keeping a room's address in a small, easily scanned code.  The text is encoded as UTF-8
    bytes when it is not pure digits or upper-case alphanumerics.
    """
    from reportlab.graphics.barcode import qrencoder

    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(text)
    code.make()
    size = code.getModuleCount()
    return [[bool(code.isDark(row, col)) for col in range(size)] for row in range(size)]


def qr_svg(text: str, *, title: str = "") -> str:
    """The QR code of ``text`` as an inline SVG element, with its quiet zone.

    Why one path of unit squares rather than an image: it stays sharp at any size (a
    projector at 1080p, a phone) and needs no ``data:`` URL.  ``title`` is the accessible
    name (escaped here, since the result is inserted as markup).
    """
    from html import escape

    matrix = qr_matrix(text)
    size = len(matrix) + 2 * QUIET
    cells = "".join(
        f"M{col + QUIET} {row + QUIET}h1v1h-1z"
        for row, line in enumerate(matrix)
        for col, dark in enumerate(line)
        if dark
    )
    label = f"<title>{escape(title)}</title>" if title else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
        f'shape-rendering="crispEdges" role="img">{label}'
        f'<rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path d="{cells}" fill="#000"/></svg>'
    )
