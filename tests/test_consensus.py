"""The statistics seam: the worked example of METHOD.md and the classification rules."""

from __future__ import annotations

import pytest

from hsvalidate.consensus import (
    BELOW_QUORUM,
    DROP,
    KEEP,
    NO_CONSENSUS,
    Rule,
    Scale,
    classify,
    combine_verdicts,
    compute_stats,
    percentile,
)

WORKED_EXAMPLE = [4, 5, 6] + [7] * 5 + [8] * 5 + [9] * 2


def test_worked_example_of_the_rand_ucla_manual() -> None:
    s = compute_stats(WORKED_EXAMPLE)
    assert (s.n, s.median, s.p30, s.p70) == (15, 7, 7, 8)
    assert s.ipr == 1
    assert s.iprcp == 7.5
    assert s.ai == 2.5
    assert s.ipras == pytest.approx(6.1)
    assert s.disagreement is False
    assert classify(s) == KEEP


@pytest.mark.parametrize(
    ("values", "p", "expected"),
    [
        ([1, 2, 3, 4], 30, 1.9),  # numpy.percentile([1,2,3,4], 30) == 1.9 (type 7)
        ([1, 2, 3, 4], 70, 3.1),
        ([5], 30, 5),
        ([1, 9], 50, 5),
    ],
)
def test_percentiles_interpolate_linearly_between_order_statistics(
    values: list[int], p: float, expected: float
) -> None:
    assert percentile(sorted(values), p) == pytest.approx(expected)


def test_cannot_judge_and_missing_are_counted_apart_and_left_out() -> None:
    s = compute_stats([9, 9, None, 1], expected=6)
    assert (s.n, s.n_cannot_judge, s.n_missing) == (3, 1, 2)
    assert (s.n_low, s.n_mid, s.n_high) == (1, 0, 2)
    assert s.median == 9


def test_no_ratings_gives_no_figures_and_below_quorum_not_an_error() -> None:
    s = compute_stats([None, None])
    assert s.n == 0 and s.median is None and s.pct_high is None
    assert classify(s) == BELOW_QUORUM


def test_a_polarised_panel_is_disagreement_not_consensus() -> None:
    s = compute_stats([1, 1, 1, 1, 9, 9, 9, 9, 9])
    assert s.disagreement is True
    assert classify(s) == NO_CONSENSUS


def test_percent_rule_uses_both_thresholds() -> None:
    rule = Rule(kind="percent", agree_pct=70, veto_pct=15)
    assert classify(compute_stats([8] * 8 + [5] * 2), rule=rule) == KEEP
    # 80 % high, but 20 % low: vetoed.
    assert classify(compute_stats([8] * 8 + [2] * 2), rule=rule) == NO_CONSENSUS
    assert classify(compute_stats([2] * 8 + [5] * 2), rule=rule) == DROP


def test_quorum_blocks_classification() -> None:
    assert classify(compute_stats([9, 9]), rule=Rule(quorum=3)) == BELOW_QUORUM


def test_five_point_scale_bands() -> None:
    scale = Scale(1, 5)
    s = compute_stats([1, 2, 3, 4, 5], scale=scale)
    assert (s.n_low, s.n_mid, s.n_high) == (2, 1, 2)
    assert classify(compute_stats([4, 5, 5, 4, 5], scale=scale), scale=scale) == KEEP


def test_unsupported_scale_is_refused() -> None:
    with pytest.raises(ValueError):
        Scale(0, 10)


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
