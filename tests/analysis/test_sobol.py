"""The Saltelli design and Jansen estimators against models whose indices are known."""

from __future__ import annotations

import numpy as np
import pytest

from wfscore.analysis.sobol import indices, jansen, saltelli_rows, split_outputs


def ishigami_truth(a: float = 7.0, b: float = 0.1) -> tuple[np.ndarray, np.ndarray]:
    """First- and total-order indices of the Ishigami function, from its variance
    decomposition (Ishigami & Homma 1990; Saltelli et al. 2008, §4.8)."""
    pi = np.pi
    variance = a**2 / 8 + b * pi**4 / 5 + b**2 * pi**8 / 18 + 0.5
    v1 = 0.5 * (1 + b * pi**4 / 5) ** 2
    v2 = a**2 / 8
    v13 = 8 * b**2 * pi**8 / 225
    return np.array([v1, v2, 0.0]) / variance, np.array([v1 + v13, v2, v13]) / variance


def ishigami(x: np.ndarray, a: float = 7.0, b: float = 0.1) -> np.ndarray:
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


def estimate(model, groups, n, seed, columns, level=0.95, resamples=1000):
    rng = np.random.default_rng(seed)
    a, b = rng.random((n, columns)), rng.random((n, columns))
    y = model(saltelli_rows(a, b, groups))
    return indices(*split_outputs(y, n, len(groups)), rng, resamples=resamples, level=level)


def test_the_published_ishigami_indices():
    first, total = ishigami_truth()
    # the values every sensitivity text quotes
    np.testing.assert_allclose(first, [0.3139, 0.4424, 0.0], atol=1e-4)
    np.testing.assert_allclose(total, [0.5576, 0.4424, 0.2437], atol=1e-4)


def test_ishigami_indices_lie_within_their_intervals():
    first, total = ishigami_truth()
    found = estimate(lambda u: ishigami(-np.pi + 2 * np.pi * u), [[0], [1], [2]], 20_000, seed=0, columns=3, level=0.99)
    for kind, truth in (("first", first), ("total", total)):
        assert np.all(found[f"{kind}_low"] <= truth), (kind, found[f"{kind}_low"], truth)
        assert np.all(truth <= found[f"{kind}_high"]), (kind, found[f"{kind}_high"], truth)
        np.testing.assert_allclose(found[kind], truth, atol=0.03)
        assert np.all(found[f"{kind}_high"] - found[f"{kind}_low"] < 0.06)  # and they are narrow


def test_the_intervals_cover_the_truth_about_as_often_as_they_claim():
    first, total = ishigami_truth()
    hits = []
    for seed in range(20):
        found = estimate(
            lambda u: ishigami(-np.pi + 2 * np.pi * u), [[0], [1], [2]], 4000, seed=seed, columns=3, resamples=400
        )
        for kind, truth in (("first", first), ("total", total)):
            hits += list((found[f"{kind}_low"] <= truth) & (truth <= found[f"{kind}_high"]))
    assert np.mean(hits) >= 0.85, np.mean(hits)  # nominal 95%; 120 intervals


def test_grouped_inputs_of_a_linear_model():
    # y = x0 + 2 x1 + 3 x2 + 0 x3 with uniform x: V_i ∝ a_i², additive so S = ST.
    coefficients = np.array([1.0, 2.0, 3.0, 0.0])
    groups = [[0, 1], [2], [3]]
    truth = np.array([1 + 4, 9, 0]) / 14
    found = estimate(lambda u: u @ coefficients, groups, 20_000, seed=1, columns=4, level=0.99)
    for kind in ("first", "total"):
        assert np.all(found[f"{kind}_low"] <= truth + 1e-12) and np.all(truth - 1e-12 <= found[f"{kind}_high"])
        np.testing.assert_allclose(found[kind], truth, atol=0.02)
    # an input that does nothing has a total index of exactly 0: y(A) = y(A_B^g) row by row
    assert found["total"][2] == 0 and found["total_low"][2] == 0 and found["total_high"][2] == 0


def test_the_design_swaps_exactly_the_group_columns():
    a = np.arange(12.0).reshape(3, 4)
    b = -a
    rows = saltelli_rows(a, b, [[1, 3], [0]])
    assert rows.shape == (12, 4)
    np.testing.assert_array_equal(rows[:3], a)
    np.testing.assert_array_equal(rows[3:6], b)
    np.testing.assert_array_equal(rows[6:9], [[0, -1, 2, -3], [4, -5, 6, -7], [8, -9, 10, -11]])
    np.testing.assert_array_equal(rows[9:], [[0, 1, 2, 3], [-4, 5, 6, 7], [-8, 9, 10, 11]])
    y_a, y_b, y_ab = split_outputs(rows.sum(axis=1), 3, 2)
    assert y_ab.shape == (2, 3)
    np.testing.assert_array_equal(y_a, a.sum(axis=1))
    np.testing.assert_array_equal(y_b, b.sum(axis=1))
    np.testing.assert_array_equal(y_ab[1], rows[9:].sum(axis=1))


def test_jansen_by_hand():
    y_a = np.array([1.0, 3.0])
    y_b = np.array([2.0, 4.0])
    y_ab = np.array([[2.0, 4.0]])  # the single factor takes every column from B
    first, total = jansen(y_a, y_b, y_ab)
    # V = var(1, 3, 2, 4) = 1.25; first: (1.25 − 0) / 1.25; total: ½·mean(1, 1) / 1.25
    assert first[0] == pytest.approx(1.0)
    assert total[0] == pytest.approx(0.4)


def test_no_variation_gives_nan_not_an_error():
    found = indices(np.ones(50), np.ones(50), np.ones((2, 50)), np.random.default_rng(0), resamples=20)
    for value in found.values():
        assert np.all(np.isnan(value))
