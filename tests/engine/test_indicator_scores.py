"""Step 4: composite index (higher and lower), direct and binary scores."""

import numpy as np
import pytest

from helpers import TINY
from wfscore.engine.indicator_scores import index_base, indicator_scores
from wfscore.inputs.scheme_yaml import read_scheme

ARR = read_scheme(TINY / "scheme.yaml").arrays  # i1 higher, i2 lower, s1 direct (20), b1 binary (20)
nan = np.nan
I1, I2, S1, B1 = (ARR.position[i] for i in ("i1", "i2", "s1", "b1"))


def run(columns: dict[int, list], counted=None):
    values = np.full((len(next(iter(columns.values()))), len(ARR.indicator_ids)), nan)
    for i, col in columns.items():
        values[:, i] = col
    counted = ~np.isnan(values) & ARR.is_index if counted is None else counted
    base = index_base(values, counted, ARR)
    weights = np.broadcast_to(ARR.weight, values.shape)
    return indicator_scores(values, weights, ARR.weight, base, ARR), base


def test_higher_is_better_divides_by_the_best():
    scores, base = run({I1: [80, 100, 50, nan]})
    assert base[I1] == 100
    assert scores[:, I1].tolist() == [24, 30, 15, 0]  # a missing value scores 0


def test_lower_is_better_divides_the_best_by_the_value():
    scores, base = run({I2: [2, 4, 1, nan]})
    assert base[I2] == 1
    assert scores[:, I2].tolist() == [5, 2.5, 10, 0]


def test_lower_is_better_zero_value_scores_full_weight():
    scores, base = run({I2: [0, 4]})
    assert base[I2] == 0
    assert scores[:, I2].tolist() == [10, 0]


def test_all_zero_or_no_values_score_nothing():
    scores, base = run({I1: [0, 0]})
    assert scores[:, I1].tolist() == [0, 0]
    scores, base = run({I1: [nan, nan]})
    assert np.isnan(base[I1]) and scores[:, I1].tolist() == [0, 0]


def test_departments_not_counted_take_no_part_in_the_base():
    values = {I1: [50, 200]}
    counted = np.zeros((2, len(ARR.indicator_ids)), bool)
    counted[0, I1] = True  # the 200 is, say, an overridden department's
    _, base = run(values, counted)
    assert base[I1] == 50


def test_direct_and_binary():
    scores, _ = run({S1: [15, 20, nan], B1: [0, 1, 3]})
    assert scores[:, S1].tolist() == [15, 20, 0]
    assert scores[:, B1].tolist() == [0, 20, 20]


def test_direct_scales_with_the_effective_weight():
    values = np.full((1, len(ARR.indicator_ids)), nan)
    values[0, S1] = 15
    effective = np.broadcast_to(ARR.weight, values.shape).copy()
    effective[0, S1] = 30  # say, redistributed
    scores = indicator_scores(values, effective, ARR.weight, np.full(len(ARR.weight), nan), ARR)
    assert scores[0, S1] == pytest.approx(15 * 30 / 20)


def test_percentile_base_caps_at_the_weight():
    values = np.full((5, len(ARR.indicator_ids)), nan)
    values[:, I1] = [10, 20, 30, 40, 1000]
    counted = ~np.isnan(values) & ARR.is_index
    base = index_base(values, counted, ARR, percentile=50)
    assert base[I1] == 30
    scores = indicator_scores(values, np.broadcast_to(ARR.weight, values.shape), ARR.weight, base, ARR, capped=True)
    assert scores[:, I1].tolist() == [10, 20, 30, 30, 30]


def test_capping_touches_only_the_composite_index():
    values = np.full((2, len(ARR.indicator_ids)), nan)
    values[:, S1] = [15, 20]
    values[:, I1] = [50, 100]
    base = np.full(len(ARR.indicator_ids), nan)
    base[I1] = 40
    ones = np.ones(values.shape)
    # weight 1 for s1: a direct value then comes back as itself, never capped at 1
    scores = indicator_scores(values, ones, np.ones(len(ARR.weight)), base, ARR, capped=True)
    assert scores[:, S1].tolist() == [15, 20] and scores[:, I1].tolist() == [1, 1]


@pytest.mark.parametrize("small", [1e-307, 5e-324, 2.2250738585072014e-308])
def test_tiny_values_score_finite_with_the_same_weights_for_everyone(small):
    # the same weights for every department (no exemption): W / M alone would overflow
    values = np.full((2, len(ARR.indicator_ids)), nan)
    values[:, I1] = [small, small]  # W / M = 30 / 1e-307 is inf, and inf × 1e-307 too
    base = index_base(values, None, ARR)
    scores = indicator_scores(values, ARR.weight, ARR.weight, base, ARR)
    assert np.isfinite(scores).all()
    assert scores[:, I1].tolist() == [ARR.weight[I1]] * 2  # both are the best: the full weight


def test_the_largest_double_scores_finite():
    values = np.full((2, len(ARR.indicator_ids)), nan)
    values[:, I1] = [np.finfo(float).max, 1e-300]
    values[:, I2] = [np.finfo(float).max, 1e-300]
    base = index_base(values, None, ARR)
    scores = indicator_scores(values, ARR.weight, ARR.weight, base, ARR)
    assert np.isfinite(scores).all()
    assert scores[0, I1] == pytest.approx(ARR.weight[I1]) and scores[1, I2] == pytest.approx(ARR.weight[I2])
