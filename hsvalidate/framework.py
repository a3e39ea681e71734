"""The M&E framework model (dimension → outcome → indicator) and its validation.

The model is pure data: frozen dataclasses that every other layer can share without
fear of one of them changing a framework under another's feet.  Reading and writing
files lives in ``framework_io``; this module knows no file format.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from typing import Any

LANGUAGES = ("fr", "en")
"""French is the working language; English is offered for partners."""


@dataclass(frozen=True)
class Text:
    """A piece of text in French with an optional English version."""

    fr: str = ""
    """French text (the working language; required where the text is required)."""
    en: str = ""
    """English text; empty when not translated."""

    def get(self, lang: str) -> str:
        """Return the text in ``lang``, falling back to French so nothing is ever blank."""
        if lang == "en" and self.en:
            return self.en
        return self.fr or self.en

    def __bool__(self) -> bool:
        return bool(self.fr or self.en)


@dataclass(frozen=True)
class Indicator:
    """One indicator, with the fields of a Performance Indicator Reference Sheet."""

    code: str
    """Stable code, e.g. ``D2.O1.I3``; ratings and decisions refer to it."""
    text: Text
    """The indicator statement participants rate."""
    definition: Text = Text()
    """What exactly is measured, in plain words."""
    unit: Text = Text()
    """Unit of measure."""
    calculation: Text = Text()
    """How the value is calculated (numerator / denominator)."""
    disaggregation: Text = Text()
    """Breakdowns reported (sex, age, region...)."""
    baseline: str = ""
    """Baseline value as written by the authors (kept as text: '12 %', 'n/d')."""
    baseline_year: int | None = None
    """Year of the baseline value."""
    target: str = ""
    """Target value as written by the authors."""
    target_year: int | None = None
    """Year by which the target should be met."""
    source: Text = Text()
    """Data source / means of verification."""
    method: Text = Text()
    """Collection method."""
    frequency: Text = Text()
    """How often the indicator is collected."""
    responsible: Text = Text()
    """Who collects and reports it."""
    assumptions: Text = Text()
    """Assumptions or risks."""
    notes: Text = Text()
    """Free notes."""
    extra: tuple[tuple[str, str], ...] = ()
    """Columns of the source file that the tool does not know, kept as (header, value)."""


@dataclass(frozen=True)
class Outcome:
    """An outcome (objective) under a dimension."""

    code: str
    """Stable code, e.g. ``D2.O1``."""
    title: Text
    """The outcome statement."""
    indicators: tuple[Indicator, ...] = ()
    """Indicators measuring this outcome, in the authors' order."""


@dataclass(frozen=True)
class Dimension:
    """A dimension or pillar of the strategy (e.g. one of the seven human security dimensions)."""

    code: str
    """Stable code, e.g. ``D2``."""
    title: Text
    """Name of the dimension."""
    outcomes: tuple[Outcome, ...] = ()
    """Outcomes under this dimension, in the authors' order."""


@dataclass(frozen=True)
class Framework:
    """A whole draft (or validated) framework."""

    title: Text
    """Title of the framework."""
    dimensions: tuple[Dimension, ...] = ()
    """Dimensions in the authors' order."""
    source: str = ""
    """Name of the file it was read from, for the minutes."""
    notes: Text = field(default_factory=Text)
    """A note shown with the framework (e.g. 'illustrative draft')."""

    def outcomes(self) -> Iterator[Outcome]:
        """Every outcome, dimension by dimension."""
        for dimension in self.dimensions:
            yield from dimension.outcomes

    def indicators(self) -> list[Indicator]:
        """Every indicator in framework order (the order a workshop goes through them)."""
        return [ind for outcome in self.outcomes() for ind in outcome.indicators]

    def indicator(self, code: str) -> Indicator | None:
        """The indicator with this code, or None."""
        for ind in self.indicators():
            if ind.code == code:
                return ind
        return None

    def parents(self, code: str) -> tuple[Dimension, Outcome] | None:
        """The dimension and outcome an indicator sits under, for context on screen."""
        for dimension in self.dimensions:
            for outcome in dimension.outcomes:
                if any(ind.code == code for ind in outcome.indicators):
                    return dimension, outcome
        return None


_TEXT_FIELDS = {f.name for f in fields(Indicator) if f.type in ("Text", Text)}


def _text_to_dict(text: Text) -> dict[str, str]:
    return {"fr": text.fr, "en": text.en}


def _text_from(value: Any) -> Text:
    if isinstance(value, Text):
        return value
    if isinstance(value, dict):
        return Text(fr=str(value.get("fr") or ""), en=str(value.get("en") or ""))
    if value is None:
        return Text()
    return Text(fr=str(value))


def indicator_to_dict(ind: Indicator) -> dict[str, Any]:
    """A JSON-ready dict, used by the session store and the YAML writer."""
    out: dict[str, Any] = {}
    for f in fields(Indicator):
        value = getattr(ind, f.name)
        if f.name in _TEXT_FIELDS:
            out[f.name] = _text_to_dict(value)
        elif f.name == "extra":
            out[f.name] = [list(pair) for pair in value]
        else:
            out[f.name] = value
    return out


def indicator_from_dict(data: dict[str, Any]) -> Indicator:
    """Inverse of :func:`indicator_to_dict`; trusted input (our own session files)."""
    kwargs: dict[str, Any] = {}
    for f in fields(Indicator):
        if f.name not in data:
            continue
        value = data[f.name]
        if f.name in _TEXT_FIELDS:
            kwargs[f.name] = _text_from(value)
        elif f.name == "extra":
            kwargs[f.name] = tuple((str(k), str(v)) for k, v in value)
        else:
            kwargs[f.name] = value
    return Indicator(**kwargs)


def framework_to_dict(fw: Framework) -> dict[str, Any]:
    """A JSON-ready dict of the whole framework, so a session keeps the exact draft it was given."""
    return {
        "title": _text_to_dict(fw.title),
        "source": fw.source,
        "notes": _text_to_dict(fw.notes),
        "dimensions": [
            {
                "code": d.code,
                "title": _text_to_dict(d.title),
                "outcomes": [
                    {
                        "code": o.code,
                        "title": _text_to_dict(o.title),
                        "indicators": [indicator_to_dict(i) for i in o.indicators],
                    }
                    for o in d.outcomes
                ],
            }
            for d in fw.dimensions
        ],
    }


def framework_from_dict(data: dict[str, Any]) -> Framework:
    """Inverse of :func:`framework_to_dict`."""
    return Framework(
        title=_text_from(data.get("title")),
        source=str(data.get("source") or ""),
        notes=_text_from(data.get("notes")),
        dimensions=tuple(
            Dimension(
                code=d["code"],
                title=_text_from(d.get("title")),
                outcomes=tuple(
                    Outcome(
                        code=o["code"],
                        title=_text_from(o.get("title")),
                        indicators=tuple(indicator_from_dict(i) for i in o.get("indicators", [])),
                    )
                    for o in d.get("outcomes", [])
                ),
            )
            for d in data.get("dimensions", [])
        ),
    )
