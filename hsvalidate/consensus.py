"""Consensus statistics and classification: pure functions, no I/O.

Percentiles use linear interpolation between order statistics (Hyndman & Fan type 7,
numpy's default).  The method changes results on small panels, so it is fixed here,
named in ``PERCENTILE_METHOD`` and printed in the minutes.
"""

from __future__ import annotations

import bisect
import math
import statistics
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

PERCENTILE_METHOD = "linear interpolation between order statistics (Hyndman & Fan type 7)"

KEEP = "keep"
DROP = "drop"
NO_CONSENSUS = "no consensus"
BELOW_QUORUM = "below quorum"
VERDICTS = (KEEP, DROP, NO_CONSENSUS, BELOW_QUORUM)
"""Every classification a result can get, whatever the rule."""

APPROPRIATE = "appropriate"
UNCERTAIN = "uncertain"
INAPPROPRIATE = "inappropriate"
"""RAND/UCLA classes (``ram_class``)."""

CONSENSUS_IN = "consensus in"
CONSENSUS_OUT = "consensus out"
"""Percent-agreement classes (``percent_class``), with ``NO_CONSENSUS``."""

_TO_VERDICT = {
    APPROPRIATE: KEEP,
    INAPPROPRIATE: DROP,
    UNCERTAIN: NO_CONSENSUS,
    CONSENSUS_IN: KEEP,
    CONSENSUS_OUT: DROP,
    NO_CONSENSUS: NO_CONSENSUS,
    BELOW_QUORUM: BELOW_QUORUM,
}


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


DEFAULT_QUORUM_SHARE = 50.0
"""The quorum share (%) a new session starts from: half of those present must rate a
result for it to be classified.  ``Rule`` itself defaults to 0 so that sessions stored
before the share existed keep the quorum they were run with."""


@dataclass(frozen=True)
class Rule:
    """How a result is classified; a session setting chosen before round 1."""

    kind: str = "ram"
    """``ram`` (RAND/UCLA), ``percent`` (percent agreement) or ``likert`` (1–5 scales)."""
    agree_pct: float = 70.0
    """X: the share (%) in a band needed for consensus (percent and likert rules)."""
    veto_pct: float = 15.0
    """Y: the share (%) in the opposite band that blocks consensus (percent rule)."""
    quorum: int = 1
    """Minimum raters for the whole panel's result to be classified."""
    quorum_share: float = 0.0
    """Minimum share (%) of the participants present who must rate a result for it to be
    classified; the quorum applied is the larger of this and ``quorum``."""
    group_quorum: int = 0
    """Minimum raters in every stakeholder group; 0 means no per-group quorum."""
    per_group: bool = False
    """Require the rule to be met within every stakeholder group, not only overall."""
    likert_iqr: float = 1.0
    """Likert rule: the largest interquartile range that still counts as agreement."""
    stability_pct: float = 15.0
    """Between rounds: a result is stable when fewer than this share (%) changed band."""

    def __post_init__(self) -> None:
        if self.kind not in RULES:
            raise ValueError(f"unknown rule {self.kind!r}")

    @property
    def spec(self) -> RuleKind:
        """The registered kind of this rule: how it classifies, on which scales, in what words."""
        return RULES[self.kind]

    def for_panel(self, present: int) -> Rule:
        """The rule with its quorum as it applies to a panel of ``present`` participants."""
        return replace(self, quorum=self.panel_quorum(present))

    def panel_quorum(self, present: int) -> int:
        """Raters needed for a whole-panel result: ``quorum``, or the share of those present."""
        return max(self.quorum, math.ceil(self.quorum_share * present / 100 - 1e-9))

    def for_groups(self) -> Rule:
        """The rule applied to one stakeholder group: its quorum is the per-group quorum."""
        return replace(self, quorum=max(1, self.group_quorum), per_group=False)


@dataclass(frozen=True)
class Stats:
    """Figures for one indicator × criterion (× group) in one round.

    Every figure is ``None`` when there are too few ratings to compute it (no rating at
    all; fewer than two for the standard deviation), never an error.
    """

    n: int
    """Ratings on the scale."""
    n_cannot_judge: int
    """Answers of "cannot judge" (excluded from the figures below)."""
    n_missing: int
    """Expected raters who gave no answer at all."""
    median: float | None
    mean: float | None
    sd: float | None
    """Sample standard deviation (n − 1 in the denominator); None below two ratings."""
    cv: float | None
    """Coefficient of variation sd / mean."""
    q1: float | None
    q3: float | None
    iqr: float | None
    """Interquartile range Q3 − Q1."""
    p30: float | None
    p70: float | None
    ipr: float | None
    """Inter-percentile range P70 − P30."""
    iprcp: float | None
    """Central point of the IPR, (P30 + P70) / 2."""
    ai: float | None
    """Asymmetry index |centre − IPRCP| (centre 5 on 1–9, 3 on 1–5)."""
    ipras: float | None
    """IPR adjusted for symmetry: 2.35 + 1.5 × AI on 1–9 (see ``ipras_constants``)."""
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
    """Type-7 percentile of already sorted values, ``p`` in [0, 100]; None when empty.

    h = (n − 1) · p / 100; the result lies h − ⌊h⌋ of the way from the ⌊h⌋-th to the
    next order statistic (0-based).  This is numpy's and R's default.
    """
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


def _sample_sd(rated: Sequence[float]) -> float | None:
    """Sample standard deviation (n − 1), from sums of whole-number ratings.

    Why not ``statistics.stdev``: it computes with exact fractions, which took most of
    the time of a national session's results.  Ratings are whole numbers, so these
    float sums are exact and the result is within one rounding of the exact value.
    """
    n = len(rated)
    if n < 2:
        return None
    total = sum(rated)
    squares = sum(x * x for x in rated)
    return math.sqrt(max(0.0, (n * squares - total * total) / (n * (n - 1))))


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
    n_low = bisect.bisect_right(rated, low_max)  # rated is sorted
    n_high = n - bisect.bisect_left(rated, high_min)
    if not n:
        return Stats(
            n=0,
            n_cannot_judge=n_cj,
            n_missing=missing,
            median=None,
            mean=None,
            sd=None,
            cv=None,
            q1=None,
            q3=None,
            iqr=None,
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
    q1, q3 = percentile(rated, 25), percentile(rated, 75)
    p30, p70 = percentile(rated, 30), percentile(rated, 70)
    assert q1 is not None and q3 is not None and p30 is not None and p70 is not None
    mean = statistics.fmean(rated)
    sd = _sample_sd(rated)
    ipr = p70 - p30
    iprcp = (p30 + p70) / 2
    ai = abs(scale.centre - iprcp)
    base, slope = ipras_constants(scale)
    ipras = base + slope * ai
    return Stats(
        n=n,
        n_cannot_judge=n_cj,
        n_missing=missing,
        median=(rated[n // 2] if n % 2 else (rated[n // 2 - 1] + rated[n // 2]) / 2),
        mean=mean,
        sd=sd,
        cv=sd / mean if sd is not None and mean else None,
        q1=q1,
        q3=q3,
        iqr=q3 - q1,
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


def ram_class(stats: Stats, *, scale: Scale = Scale(), quorum: int = 1) -> str:
    """RAND/UCLA: median 7–9 without disagreement is appropriate, 1–3 inappropriate.

    Anything else (a middle median, or disagreement) is uncertain.  On 1–5 the bands
    are 4–5 and 1–2.
    """
    if stats.n == 0 or stats.n < quorum:
        return BELOW_QUORUM
    assert stats.median is not None
    if stats.disagreement:
        return UNCERTAIN
    band = scale.band(stats.median)
    return {"high": APPROPRIATE, "low": INAPPROPRIATE}.get(band, UNCERTAIN)


def percent_class(
    stats: Stats, *, agree_pct: float = 70.0, veto_pct: float = 15.0, quorum: int = 1
) -> str:
    """Percent agreement: in when ≥ X % rate high and < Y % low; out the other way round."""
    if stats.n == 0 or stats.n < quorum:
        return BELOW_QUORUM
    pct_low, pct_high = stats.pct_low or 0.0, stats.pct_high or 0.0
    if pct_high >= agree_pct and pct_low < veto_pct:
        return CONSENSUS_IN
    if pct_low >= agree_pct and pct_high < veto_pct:
        return CONSENSUS_OUT
    return NO_CONSENSUS


def likert_class(
    stats: Stats, *, agree_pct: float = 75.0, max_iqr: float = 1.0, quorum: int = 1
) -> str:
    """Likert: in when ≥ X % rate high and IQR ≤ 1; out when ≥ X % rate low and IQR ≤ 1."""
    if stats.n == 0 or stats.n < quorum:
        return BELOW_QUORUM
    assert stats.iqr is not None
    if stats.iqr <= max_iqr:
        if (stats.pct_high or 0.0) >= agree_pct:
            return CONSENSUS_IN
        if (stats.pct_low or 0.0) >= agree_pct:
            return CONSENSUS_OUT
    return NO_CONSENSUS


# -- the registry of rules ----------------------------------------------------------------


@dataclass(frozen=True)
class RuleKind:
    """One consensus rule a session can choose, declared once.

    Everything else takes a rule from here: the CLI's choices, the check of the scale,
    the classification, and the sentence that describes the rule in the minutes and
    the workbook (catalogue key ``text_key``, filled with ``text_values``; its name is
    ``rule.name.<code>``).  Adding a rule is one entry below and its words in the
    catalogue.
    """

    code: str
    """Stable code stored in sessions and typed on the command line (``ram``)."""
    classify: Callable[[Stats, Rule, Scale], str]
    """The class of a result (``appropriate``, ``consensus in``…, or below quorum)."""
    scales: tuple[int, ...]
    """Highest scores of the scales the rule is defined on (9 for 1–9, 5 for 1–5)."""
    default_agree_pct: float
    """X, the share in a band needed for consensus, when the facilitator gives none."""
    text_values: Callable[[Rule, Scale], dict[str, float | str]]
    """Values of the rule's sentence: thresholds (numbers) and bands (``7–9``)."""

    @property
    def text_key(self) -> str:
        """Catalogue key of the sentence stating the rule in full."""
        return f"rule.{self.code}"

    @property
    def name_key(self) -> str:
        """Catalogue key of the rule's short name."""
        return f"rule.name.{self.code}"

    def allows(self, scale: Scale) -> bool:
        """Whether the rule is defined on ``scale``."""
        return scale.high in self.scales


def band_text(band: tuple[int, int]) -> str:
    """``1–3`` for a band, ``3`` when it is a single score."""
    low, high = band
    return str(low) if low == high else f"{low}–{high}"


def _bands(scale: Scale) -> dict[str, float | str]:
    low, _, high = scale.bands
    return {"low": band_text(low), "high": band_text(high)}


RULES: dict[str, RuleKind] = {
    kind.code: kind
    for kind in (
        RuleKind(
            code="ram",
            classify=lambda st, rule, scale: ram_class(st, scale=scale, quorum=rule.quorum),
            scales=(9, 5),
            default_agree_pct=70.0,
            text_values=lambda rule, scale: _bands(scale),
        ),
        RuleKind(
            code="percent",
            classify=lambda st, rule, scale: percent_class(
                st, agree_pct=rule.agree_pct, veto_pct=rule.veto_pct, quorum=rule.quorum
            ),
            scales=(9, 5),
            default_agree_pct=70.0,
            text_values=lambda rule, scale: {
                "agree": rule.agree_pct,
                "veto": rule.veto_pct,
                **_bands(scale),
            },
        ),
        RuleKind(
            code="likert",
            classify=lambda st, rule, scale: likert_class(
                st, agree_pct=rule.agree_pct, max_iqr=rule.likert_iqr, quorum=rule.quorum
            ),
            scales=(5,),
            default_agree_pct=75.0,
            text_values=lambda rule, scale: {
                "agree": rule.agree_pct,
                "iqr": rule.likert_iqr,
                **_bands(scale),
            },
        ),
    )
}
"""Every rule a session can choose, by code; the first is the default."""


def classify(stats: Stats, *, rule: Rule = Rule(), scale: Scale = Scale()) -> str:
    """The verdict (one of ``VERDICTS``) for a result under the session's rule."""
    return _TO_VERDICT[rule.spec.classify(stats, rule, scale)]


@dataclass(frozen=True)
class PanelVerdict:
    """The whole panel's verdict for one result, after the group variants are applied."""

    verdict: str
    """One of ``VERDICTS``."""
    important_to: str = ""
    """The one stakeholder group that reaches consensus to keep, when exactly one does."""


def decide(
    overall: Stats,
    groups: Mapping[str, Stats],
    *,
    rule: Rule = Rule(),
    scale: Scale = Scale(),
) -> PanelVerdict:
    """Apply the rule overall, the per-group quorum and, when asked, the per-group rule.

    - A group below the per-group quorum makes the whole result below quorum.
    - With ``per_group``: keep only when every group keeps, drop only when every group
      drops, otherwise no consensus.
    - Whatever the rule, the one group that alone reaches consensus to keep is named
      ("important to one group").
    """
    verdict = classify(overall, rule=rule, scale=scale)
    group_rule = rule.for_groups()
    group_verdicts = {g: classify(s, rule=group_rule, scale=scale) for g, s in groups.items()}
    keepers = [g for g, v in group_verdicts.items() if v == KEEP]
    important = keepers[0] if len(keepers) == 1 and len(groups) > 1 else ""
    group_short = rule.group_quorum > 0 and any(s.n < rule.group_quorum for s in groups.values())
    if verdict != BELOW_QUORUM and group_short:
        verdict = BELOW_QUORUM
    if rule.per_group and verdict != BELOW_QUORUM and groups:
        values = set(group_verdicts.values())
        if BELOW_QUORUM in values:
            verdict = BELOW_QUORUM
        elif values == {KEEP} and verdict == KEEP:
            verdict = KEEP
        elif values == {DROP} and verdict == DROP:
            verdict = DROP
        else:
            verdict = NO_CONSENSUS
    return PanelVerdict(verdict=verdict, important_to=important)


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


@dataclass(frozen=True)
class Stability:
    """How much the same participants moved between two consecutive rounds."""

    n_pairs: int
    """Participants who rated in both rounds (cannot-judge answers excluded)."""
    n_moved: int
    """Of those, how many moved to another band."""
    pct_moved: float | None
    """Share that moved, in percent; None without pairs."""
    stable: bool | None
    """pct_moved below the threshold; None without pairs."""


def compute_stability(
    pairs: Iterable[tuple[int, int]], *, scale: Scale = Scale(), threshold_pct: float = 15.0
) -> Stability:
    """Band changes between rounds for paired ratings (earlier, later) of the same people.

    No significance test is computed: a Wilcoxon signed-rank test would need scipy,
    which hsvalidate does not depend on, and a hand-rolled one is not worth the risk.
    """
    pairs = list(pairs)
    moved = sum(1 for a, b in pairs if scale.band(a) != scale.band(b))
    if not pairs:
        return Stability(0, 0, None, None)
    pct = 100.0 * moved / len(pairs)
    return Stability(len(pairs), moved, pct, pct < threshold_pct)
