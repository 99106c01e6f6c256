"""Steps 8–10: half-up rounding, shared ranks, excellence with ties, conversion."""

import numpy as np
import pytest

from wfscore.engine.ranking import converted, excellence_count, excellent, rank, rounded, ticks


def test_half_up_rounding_as_written():
    assert rounded(np.array([2.675, 2.665, 1.005, 0.125, 99.994999]), 2).tolist() == [2.68, 2.67, 1.01, 0.13, 99.99]
    assert rounded(np.array([84.5, 85.5]), 0).tolist() == [85, 86]  # not banker's rounding
    assert ticks(np.array([845.125]), 2).tolist() == [84513]


def test_equal_rounded_totals_share_the_best_rank():
    published = ticks(np.array([90.0, 80.001, 80.004, 70.0, 95.0]), 2)
    assert rank(published).tolist() == [2, 3, 3, 5, 1]


def test_rank_broadcasts_over_samples():
    published = np.array([[3, 1, 2], [1, 1, 5]])
    assert rank(published).tolist() == [[1, 3, 2], [2, 2, 1]]


def test_excellence_count_is_exact():
    assert excellence_count(0.2, 129) == 26  # 25.8 → 26
    assert excellence_count(0.7, 10) == 7  # 0.7 × 10 is 7.000000000000001 in floats
    assert excellence_count(0.1, 130) == 13
    assert excellence_count(0.5, 7) == 4


def test_excellent_skips_ineligible_and_keeps_ties():
    published = np.array([100, 90, 80, 80, 70, 60])
    eligible = np.array([True, False, True, True, True, True])
    # n = ceil(0.5 × 6) = 3 eligible in rank order: 100, 80, 80 (90 is not eligible)
    assert excellent(published, eligible, 0.5).tolist() == [True, False, True, True, False, False]
    # n = ceil(0.34 × 6) = 3: same; n = 2 → 100 and 80, and the other 80 ties with the 2nd
    assert excellent(published, eligible, 0.3).tolist() == [True, False, True, True, False, False]
    assert excellent(published, eligible, 0.1).tolist() == [True, False, False, False, False, False]


def test_excellent_with_too_few_eligible():
    published = np.array([3, 2, 1])
    assert excellent(published, np.array([False, True, False]), 1.0).tolist() == [False, True, False]
    assert not excellent(published, np.zeros(3, bool), 0.5).any()


def test_conversion():
    assert converted(np.array([850.0]), 100, 1000).tolist() == pytest.approx([85.0])
