"""French and English strings shown to people; French is the working language.

Each catalogue is a plain dict ``{key: {"fr": ..., "en": ...}}`` so a translator can
edit it without reading code.  A missing English string falls back to French.
"""

from __future__ import annotations

from collections.abc import Mapping

Catalogue = Mapping[str, Mapping[str, str]]


def translate(catalogue: Catalogue, key: str, lang: str, **values: object) -> str:
    """The string for ``key`` in ``lang`` (French fallback), with ``{placeholders}`` filled."""
    entry = catalogue[key]
    text = entry.get(lang) or entry["fr"]
    return text.format(**values) if values else text
