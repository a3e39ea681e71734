"""Consensus statistics and classification: pure functions, no I/O.

Percentiles use linear interpolation between order statistics (Hyndman & Fan type 7,
numpy's default).  The method changes results on small panels, so it is fixed here,
named in ``PERCENTILE_METHOD`` and printed in the minutes.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

PERCENTILE_METHOD = "linear interpolation between order statistics (Hyndman & Fan type 7)"

KEEP = "keep"
DROP = "drop"
NO_CONSENSUS = "no consensus"
BELOW_QUORUM = "below quorum"
VERDICTS = (KEEP, DROP, NO_CONSENSUS, BELOW_QUORUM)
"""Every classification a result can get, whatever the rule."""

RULES = ("ram", "percent")


@dataclass(frozen=True)
class Scale:
    """A rating scale and its three bands (low, middle, high)."""

    low: int = 1
    """Lowest score."""
    high: int = 9
    """Highest score."""

    def __post_init__(self) -> None:
        if (self.low, self.high) not in ((1, 9), (1, 5)):
            raise ValueError("only the 1-9 and 1-5 scales are supported")

    @property
    def bands(self) -> tuple[tuple[int, int], tuple[int, int], tuple[int, int]]:
        """(low, middle, high) inclusive ranges: 1–3/4–6/7–9, or 1–2/3/4–5."""
        if self.high == 9:
            return (1, 3), (4, 6), (7, 9)
        return (1, 2), (3, 3), (4, 5)

    @property
    def centre(self) -> float:
        """Centre of the scale (5 on 1–9, 3 on 1–5), used by the asymmetry index."""
        return (self.low + self.high) / 2

    def band(self, score: float) -> str:
        """``low``, ``mid`` or ``high`` for a score (a median may fall between bands: 3.5 is mid)."""
        (_, low_max), _, (high_min, _) = self.bands
        if score <= low_max:
            return "low"
        if score >= high_min:
            return "high"
        return "mid"

    def contains(self, score: int) -> bool:
        """Whether a score is on the scale."""
        return self.low <= score <= self.high


@dataclass(frozen=True)
class Rule:
    """How a result is classified; a session setting chosen before round 1."""

    kind: str = "ram"
    """``ram`` (RAND/UCLA median and disagreement) or ``percent`` (percent agreement)."""
    agree_pct: float = 70.0
    """Percent rule: X, the share in a band needed for consensus."""
    veto_pct: float = 15.0
    """Percent rule: Y, the share in the opposite band that blocks it."""
    quorum: int = 1
    """Minimum raters for a result to be classified at all."""


@dataclass(frozen=True)
class Stats:
    """Figures for one indicator × criterion (× group) in one round."""

    n: int
    """Ratings on the scale."""
    n_cannot_judge: int
    """Answers of "cannot judge" (excluded from the figures below)."""
    n_missing: int
    """Expected raters who gave no answer at all."""
    median: float | None
    mean: float | None
    q1: float | None
    q3: float | None
    p30: float | None
    p70: float | None
    ipr: float | None
    """Inter-percentile range P70 − P30."""
    iprcp: float | None
    """Central point of the IPR, (P30 + P70) / 2."""
    ai: float | None
    """Asymmetry index |centre − IPRCP|."""
    ipras: float | None
    """IPR adjusted for symmetry: 2.35 + 1.5 × AI (1–9 scale)."""
    disagreement: bool | None
    """IPR > IPRAS; None when there are no ratings."""
    n_low: int
    n_mid: int
    n_high: int

    @property
    def pct_low(self) -> float | None:
        """Share of ratings in the low band, in percent."""
        return 100.0 * self.n_low / self.n if self.n else None

    @property
    def pct_mid(self) -> float | None:
        """Share of ratings in the middle band, in percent."""
        return 100.0 * self.n_mid / self.n if self.n else None

    @property
    def pct_high(self) -> float | None:
        """Share of ratings in the high band, in percent."""
        return 100.0 * self.n_high / self.n if self.n else None


def percentile(sorted_values: Sequence[float], p: float) -> float | None:
    """Type-7 percentile of already sorted values, ``p`` in [0, 100]; None when empty."""
    if not sorted_values:
        return None
    h = (len(sorted_values) - 1) * p / 100.0
    lo = math.floor(h)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (h - lo) * (sorted_values[hi] - sorted_values[lo])


def ipras_constants(scale: Scale) -> tuple[float, float]:
    """(base, slope) of IPRAS: 2.35 and 1.5 on the 1–9 scale of the RAND/UCLA manual.

    The manual defines IPRAS on 1–9 only.  On 1–5 the asymmetry is centred on 3 and
    the scale is treated as 1–9 mapped linearly onto it (x' = 1 + (x − 1)/2): IPR and
    AI both halve, so the test IPR > IPRAS keeps its meaning with the base halved
    (1.175) and the slope unchanged (1.5).
    """
    if scale.high == 9:
        return 2.35, 1.5
    ratio = (scale.high - scale.low) / 8
    return 2.35 * ratio, 1.5


def compute_stats(
    scores: Iterable[int | None], *, scale: Scale = Scale(), expected: int | None = None
) -> Stats:
    """Figures for one set of answers; ``None`` answers are "cannot judge".

    ``expected`` is how many raters should have answered; the shortfall is ``n_missing``.
    """
    answers = list(scores)
    rated = sorted(float(s) for s in answers if s is not None)
    n = len(rated)
    n_cj = len(answers) - n
    missing = max(0, expected - len(answers)) if expected is not None else 0
    (_, low_max), _, (high_min, _) = scale.bands
    n_low = sum(1 for s in rated if s <= low_max)
    n_high = sum(1 for s in rated if s >= high_min)
    if not n:
        return Stats(
            n=0,
            n_cannot_judge=n_cj,
            n_missing=missing,
            median=None,
            mean=None,
            q1=None,
            q3=None,
            p30=None,
            p70=None,
            ipr=None,
            iprcp=None,
            ai=None,
            ipras=None,
            disagreement=None,
            n_low=0,
            n_mid=0,
            n_high=0,
        )
    p30, p70 = percentile(rated, 30), percentile(rated, 70)
    assert p30 is not None and p70 is not None
    ipr = p70 - p30
    iprcp = (p30 + p70) / 2
    ai = abs(scale.centre - iprcp)
    base, slope = ipras_constants(scale)
    ipras = base + slope * ai
    return Stats(
        n=n,
        n_cannot_judge=n_cj,
        n_missing=missing,
        median=float(statistics.median(rated)),
        mean=statistics.fmean(rated),
        q1=percentile(rated, 25),
        q3=percentile(rated, 75),
        p30=p30,
        p70=p70,
        ipr=ipr,
        iprcp=iprcp,
        ai=ai,
        ipras=ipras,
        disagreement=ipr > ipras,
        n_low=n_low,
        n_mid=n - n_low - n_high,
        n_high=n_high,
    )


def classify(stats: Stats, *, rule: Rule = Rule(), scale: Scale = Scale()) -> str:
    """One of ``VERDICTS`` for a result, by the session's rule."""
    if stats.n == 0 or stats.n < rule.quorum:
        return BELOW_QUORUM
    if rule.kind == "ram":
        assert stats.median is not None
        if stats.disagreement:
            return NO_CONSENSUS
        band = scale.band(stats.median)
        return {"high": KEEP, "low": DROP}.get(band, NO_CONSENSUS)
    if rule.kind == "percent":
        pct_low, pct_high = stats.pct_low or 0.0, stats.pct_high or 0.0
        if pct_high >= rule.agree_pct and pct_low < rule.veto_pct:
            return KEEP
        if pct_low >= rule.agree_pct and pct_high < rule.veto_pct:
            return DROP
        return NO_CONSENSUS
    raise ValueError(f"unknown rule {rule.kind!r}")


def combine_verdicts(verdicts: Sequence[str]) -> str:
    """An indicator's overall verdict from its criteria.

    Keep only when every criterion reaches consensus to keep; any criterion at
    consensus to drop proposes drop; any criterion below quorum leaves it below quorum;
    otherwise no consensus.  The facilitator's decision is recorded separately.
    """
    if not verdicts:
        return BELOW_QUORUM
    if DROP in verdicts:
        return DROP
    if all(v == KEEP for v in verdicts):
        return KEEP
    if BELOW_QUORUM in verdicts:
        return BELOW_QUORUM
    return NO_CONSENSUS
