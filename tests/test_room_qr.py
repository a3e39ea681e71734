"""The room's QR codes: a matrix phones can find, drawn as SVG the projector shows."""

from __future__ import annotations

from hsvalidate.room.qr import QUIET, qr_matrix, qr_svg

FINDER = [
    [True] * 7,
    [True, False, False, False, False, False, True],
    [True, False, True, True, True, False, True],
    [True, False, True, True, True, False, True],
    [True, False, True, True, True, False, True],
    [True, False, False, False, False, False, True],
    [True] * 7,
]


def test_the_matrix_has_the_three_finder_patterns_a_camera_looks_for() -> None:
    matrix = qr_matrix("http://192.168.137.1:8000/v/K7Q4MX2P9DHE")
    size = len(matrix)
    assert size >= 21 and (size - 17) % 4 == 0 and all(len(row) == size for row in matrix)
    for top, left in ((0, 0), (0, size - 7), (size - 7, 0)):
        assert [row[left : left + 7] for row in matrix[top : top + 7]] == FINDER


def test_a_longer_text_needs_a_larger_code_and_unicode_is_accepted() -> None:
    short = qr_matrix("http://10.0.0.1/")
    long = qr_matrix("http://10.0.0.1:8000/" + "x" * 100)
    assert len(long) > len(short)
    assert len(qr_matrix("Sɛkuba Kɔnɛ ŋ ɲ")) >= 21


def test_the_svg_keeps_the_quiet_zone_and_escapes_its_title() -> None:
    text = "http://192.168.137.1:8000/"
    svg = qr_svg(text, title='<script>"x"</script>')
    size = len(qr_matrix(text)) + 2 * QUIET
    assert svg.startswith("<svg ") and f'viewBox="0 0 {size} {size}"' in svg
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    dark = sum(cell for row in qr_matrix(text) for cell in row)
    assert svg.count("h1v1h-1z") == dark
    assert f"M{QUIET} {QUIET}h1v1h-1z" in svg  # the top-left finder starts after the margin
