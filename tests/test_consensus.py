"""Consensus statistics and classification: hand-computed tables, the docs/method.md worked example,
and properties checked against an independent computation on random panels."""

from __future__ import annotations

import math
import random
import statistics

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hsvalidate.consensus import (
    APPROPRIATE,
    BELOW_QUORUM,
    CONSENSUS_IN,
    CONSENSUS_OUT,
    DROP,
    INAPPROPRIATE,
    KEEP,
    NO_CONSENSUS,
    UNCERTAIN,
    Rule,
    Scale,
    Stats,
    classify,
    combine_verdicts,
    compute_stability,
    compute_stats,
    decide,
    likert_class,
    percent_class,
    percentile,
    ram_class,
)

NINE, FIVE = Scale(1, 9), Scale(1, 5)
WORKED_EXAMPLE = [4, 5, 6] + [7] * 5 + [8] * 5 + [9] * 2
FIGURES = (
    "median",
    "mean",
    "sd",
    "cv",
    "q1",
    "q3",
    "iqr",
    "p30",
    "p70",
    "ipr",
    "iprcp",
    "ai",
    "ipras",
)


def test_worked_example_of_the_rand_ucla_manual() -> None:
    """BMJ Open 2012;2:e001431, Table 1, as quoted in docs/method.md."""
    s = compute_stats(WORKED_EXAMPLE)
    assert (s.n, s.median, s.p30, s.p70) == (15, 7, 7, 8)
    assert (s.ipr, s.iprcp, s.ai) == (1, 7.5, 2.5)
    assert s.ipras == pytest.approx(6.1)
    assert s.disagreement is False
    assert ram_class(s) == APPROPRIATE
    assert classify(s) == KEEP


# Hand-computed panels: (scores, scale, figures). Percentiles by type 7: h = (n - 1) p / 100.
PANELS = [
    pytest.param(
        [7],
        NINE,
        dict(
            n=1,
            median=7,
            mean=7,
            sd=None,
            cv=None,
            q1=7,
            q3=7,
            iqr=0,
            p30=7,
            p70=7,
            ipr=0,
            iprcp=7,
            ai=2,
            ipras=5.35,
            disagreement=False,
            n_low=0,
            n_mid=0,
            n_high=1,
        ),
        id="n=1",
    ),
    pytest.param(
        [3, 8],
        NINE,
        dict(
            n=2,
            median=5.5,
            mean=5.5,
            sd=math.sqrt(12.5),
            cv=math.sqrt(12.5) / 5.5,
            q1=4.25,
            q3=6.75,
            iqr=2.5,
            p30=4.5,
            p70=6.5,
            ipr=2,
            iprcp=5.5,
            ai=0.5,
            ipras=3.1,
            disagreement=False,
            n_low=1,
            n_mid=0,
            n_high=1,
        ),
        id="n=2",
    ),
    pytest.param(
        [9, 1, 5],
        NINE,
        dict(
            n=3,
            median=5,
            mean=5,
            sd=4,
            cv=0.8,
            q1=3,
            q3=7,
            iqr=4,
            p30=3.4,
            p70=6.6,
            ipr=3.2,
            iprcp=5,
            ai=0,
            ipras=2.35,
            disagreement=True,
            n_low=1,
            n_mid=1,
            n_high=1,
        ),
        id="n=3",
    ),
    pytest.param(
        [4, 4, 4, 4],
        NINE,
        dict(
            n=4,
            median=4,
            mean=4,
            sd=0,
            cv=0,
            q1=4,
            q3=4,
            iqr=0,
            p30=4,
            p70=4,
            ipr=0,
            iprcp=4,
            ai=1,
            ipras=3.85,
            disagreement=False,
            n_low=0,
            n_mid=4,
            n_high=0,
        ),
        id="all-equal",
    ),
    pytest.param(
        [1, 9, 1, 9, 1, 9],
        NINE,
        dict(
            n=6,
            median=5,
            mean=5,
            q1=1,
            q3=9,
            iqr=8,
            p30=1,
            p70=9,
            ipr=8,
            iprcp=5,
            ai=0,
            ipras=2.35,
            disagreement=True,
            n_low=3,
            n_mid=0,
            n_high=3,
        ),
        id="perfectly-split",
    ),
    pytest.param(
        [4, 4, 5, 5, 5],
        FIVE,
        dict(
            n=5,
            median=5,
            mean=4.6,
            q1=4,
            q3=5,
            iqr=1,
            p30=4.2,
            p70=5,
            ipr=0.8,
            iprcp=4.6,
            ai=1.6,
            ipras=1.175 + 1.5 * 1.6,
            disagreement=False,
            n_low=0,
            n_mid=0,
            n_high=5,
        ),
        id="five-point",
    ),
    pytest.param(
        [1, 2, 3, 4, 5],
        FIVE,
        dict(
            n=5,
            median=3,
            mean=3,
            q1=2,
            q3=4,
            iqr=2,
            p30=2.2,
            p70=3.8,
            ipr=1.6,
            iprcp=3,
            ai=0,
            ipras=1.175,
            disagreement=True,
            n_low=2,
            n_mid=1,
            n_high=2,
        ),
        id="five-point-spread",
    ),
]


@pytest.mark.parametrize(("scores", "scale", "expected"), PANELS)
def test_hand_computed_panels(scores: list[int], scale: Scale, expected: dict[str, object]) -> None:
    s = compute_stats(scores, scale=scale)
    for name, value in expected.items():
        got = getattr(s, name)
        if value is None or isinstance(value, bool):
            assert got is value, name
        else:
            assert got == pytest.approx(value, abs=1e-12), name


def test_all_cannot_judge_gives_no_figures_and_no_class() -> None:
    s = compute_stats([None, None, None], expected=5)
    assert (s.n, s.n_cannot_judge, s.n_missing) == (0, 3, 2)
    assert all(getattr(s, name) is None for name in FIGURES)
    assert s.disagreement is None and s.pct_high is None
    assert ram_class(s) == percent_class(s) == likert_class(s) == BELOW_QUORUM
    assert classify(s) == BELOW_QUORUM


def test_empty_panel_is_not_an_error() -> None:
    s = compute_stats([])
    assert s.n == 0 and s.median is None and s.n_missing == 0


def test_cannot_judge_and_missing_are_counted_apart_and_left_out() -> None:
    s = compute_stats([9, 9, None, 1], expected=6)
    assert (s.n, s.n_cannot_judge, s.n_missing) == (3, 1, 2)
    assert (s.n_low, s.n_mid, s.n_high) == (1, 0, 2)
    assert s.median == 9


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        ([8, 8, 8, 7, 9], APPROPRIATE),
        ([1, 2, 2, 3, 1], INAPPROPRIATE),
        ([5, 5, 6, 4, 5], UNCERTAIN),
        ([1, 1, 1, 1, 9, 9, 9, 9, 9], UNCERTAIN),  # median 9 but disagreement
    ],
)
def test_ram_classes(scores: list[int], expected: str) -> None:
    assert ram_class(compute_stats(scores)) == expected


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        ([8] * 7 + [5] * 3, CONSENSUS_IN),  # 70 % high, 0 % low
        ([8] * 8 + [2] * 2, NO_CONSENSUS),  # 80 % high but 20 % low: vetoed
        ([8] * 6 + [5] * 4, NO_CONSENSUS),  # 60 % high only
        ([2] * 7 + [5] * 3, CONSENSUS_OUT),
        ([2] * 7 + [8] * 2 + [5], NO_CONSENSUS),  # 70 % low but 20 % high
    ],
)
def test_percent_classes_with_default_thresholds(scores: list[int], expected: str) -> None:
    assert percent_class(compute_stats(scores)) == expected


def test_percent_thresholds_are_settings() -> None:
    s = compute_stats([8] * 6 + [5] * 4)
    assert percent_class(s, agree_pct=60) == CONSENSUS_IN
    assert classify(s, rule=Rule(kind="percent", agree_pct=60)) == KEEP


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        ([4, 4, 5, 5, 5, 4, 4, 3], CONSENSUS_IN),  # 87.5 % high, IQR 1
        ([1, 2, 4, 4, 4, 5, 5, 5], NO_CONSENSUS),  # 75 % high but IQR 1.5
        ([4, 4, 5, 3, 3, 3, 4, 5], NO_CONSENSUS),  # 62.5 % high
        ([1, 1, 2, 2, 1, 3], CONSENSUS_OUT),
    ],
)
def test_likert_classes_on_five_points(scores: list[int], expected: str) -> None:
    assert likert_class(compute_stats(scores, scale=FIVE)) == expected


def test_quorum_blocks_every_class() -> None:
    s = compute_stats([9, 9])
    assert classify(s, rule=Rule(quorum=3)) == BELOW_QUORUM
    assert ram_class(s, quorum=3) == percent_class(s, quorum=3) == BELOW_QUORUM


def _groups(**panels: list[int]) -> dict[str, Stats]:
    return {g: compute_stats(v) for g, v in panels.items()}


def test_one_group_alone_reaching_consensus_is_flagged() -> None:
    groups = _groups(gouvernement=[8, 8, 9], societe=[5, 6, 5], onu=[6, 5, 7])
    overall = compute_stats([8, 8, 9, 5, 6, 5, 6, 5, 7])
    result = decide(overall, groups, rule=Rule(kind="percent"))
    assert result.important_to == "gouvernement"
    assert result.verdict == NO_CONSENSUS


def test_per_group_rule_needs_every_group() -> None:
    groups = _groups(a=[8, 8, 9, 8], b=[8, 9, 5, 5])  # b: only 50 % high
    overall = compute_stats([8, 8, 9, 8, 8, 9, 5, 5])  # 75 % high overall
    assert decide(overall, groups, rule=Rule(kind="percent")).verdict == KEEP
    assert (
        decide(overall, groups, rule=Rule(kind="percent", per_group=True)).verdict == NO_CONSENSUS
    )
    both = _groups(a=[8, 8, 9, 8], b=[8, 9, 9, 8])
    assert decide(overall, both, rule=Rule(kind="percent", per_group=True)).verdict == KEEP


def test_per_group_quorum_makes_the_result_below_quorum() -> None:
    groups = _groups(a=[8, 8, 9, 8], b=[8, 9])
    overall = compute_stats([8, 8, 9, 8, 8, 9])
    assert decide(overall, groups, rule=Rule(group_quorum=2)).verdict == KEEP
    assert decide(overall, groups, rule=Rule(group_quorum=3)).verdict == BELOW_QUORUM


@pytest.mark.parametrize(
    ("pairs", "moved", "stable"),
    [
        ([(7, 8), (7, 3), (2, 2), (5, 6)], 1, False),  # 25 % changed band
        ([(7, 8)] * 10, 0, True),
        ([(7, 8)] * 7 + [(4, 7)], 1, True),  # 12.5 %
    ],
)
def test_stability_counts_band_changes(
    pairs: list[tuple[int, int]], moved: int, stable: bool
) -> None:
    s = compute_stability(pairs)
    assert (s.n_pairs, s.n_moved, s.stable) == (len(pairs), moved, stable)
    assert s.pct_moved == pytest.approx(100 * moved / len(pairs))


def test_stability_without_pairs_is_not_an_error() -> None:
    assert compute_stability([]).stable is None


@pytest.mark.parametrize(
    ("verdicts", "expected"),
    [
        ([KEEP, KEEP, KEEP], KEEP),
        ([KEEP, NO_CONSENSUS, KEEP], NO_CONSENSUS),
        ([KEEP, DROP, KEEP], DROP),
        ([KEEP, BELOW_QUORUM], BELOW_QUORUM),
        ([], BELOW_QUORUM),
    ],
)
def test_an_indicator_is_kept_only_when_every_criterion_says_keep(
    verdicts: list[str], expected: str
) -> None:
    assert combine_verdicts(verdicts) == expected


def test_unsupported_scale_and_rule_are_refused() -> None:
    with pytest.raises(ValueError):
        Scale(0, 10)
    with pytest.raises(ValueError):
        Rule(kind="majority")


@pytest.mark.parametrize(
    ("values", "p", "expected"), [([1, 2, 3, 4], 30, 1.9), ([1, 2, 3, 4], 70, 3.1), ([5], 30, 5)]
)
def test_percentiles_interpolate_linearly_between_order_statistics(
    values: list[int], p: float, expected: float
) -> None:
    assert percentile(sorted(values), p) == pytest.approx(expected)


# -- properties on random panels ---------------------------------------------------------

answers = st.lists(st.one_of(st.none(), st.integers(1, 9)), max_size=60)
ratings = st.lists(st.integers(1, 9), min_size=2, max_size=60)


@settings(max_examples=200, deadline=None)
@given(answers, st.randoms())
def test_figures_do_not_depend_on_the_order_of_ratings(
    scores: list[int | None], rnd: random.Random
) -> None:
    shuffled = list(scores)
    rnd.shuffle(shuffled)
    assert compute_stats(scores) == compute_stats(shuffled)


@settings(max_examples=200, deadline=None)
@given(answers, st.sampled_from([NINE, FIVE]))
def test_bands_sum_to_n_and_median_lies_between_quartiles(
    scores: list[int | None], scale: Scale
) -> None:
    scores = [None if s is None else min(s, scale.high) for s in scores]
    s = compute_stats(scores, scale=scale)
    assert s.n_low + s.n_mid + s.n_high == s.n == sum(1 for v in scores if v is not None)
    assert s.n + s.n_cannot_judge == len(scores)
    if s.n:
        assert s.q1 is not None and s.q3 is not None and s.median is not None
        assert s.q1 <= s.median <= s.q3
        assert (s.pct_low or 0) + (s.pct_mid or 0) + (s.pct_high or 0) == pytest.approx(100)


@settings(max_examples=300, deadline=None)
@given(ratings)
def test_percentiles_agree_with_an_independent_type7_computation(scores: list[int]) -> None:
    """statistics.quantiles(method="inclusive") is R's type 7, computed by other code."""
    s = compute_stats(scores)
    deciles = statistics.quantiles(scores, n=10, method="inclusive")
    quartiles = statistics.quantiles(scores, n=4, method="inclusive")
    assert s.p30 == pytest.approx(deciles[2])
    assert s.p70 == pytest.approx(deciles[6])
    assert s.q1 == pytest.approx(quartiles[0])
    assert s.q3 == pytest.approx(quartiles[2])
    assert s.median == pytest.approx(quartiles[1])
    assert s.sd == pytest.approx(statistics.stdev(scores))
    assert s.mean == pytest.approx(statistics.mean(scores))


@pytest.mark.parametrize(
    ("quorum", "share", "present", "expected"),
    [(1, 0.0, 40, 1), (1, 50.0, 40, 20), (1, 50.0, 7, 4), (25, 50.0, 40, 25), (3, 50.0, 2, 3)],
)
def test_the_quorum_is_the_larger_of_the_count_and_the_share_of_those_present(
    quorum: int, share: float, present: int, expected: int
) -> None:
    rule = Rule(quorum=quorum, quorum_share=share)
    assert rule.panel_quorum(present) == expected
    assert rule.for_panel(present).quorum == expected
