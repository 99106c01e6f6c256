"""Step 1: ratings aggregation and the value matrix."""

import numpy as np
import pytest

from wfscore.engine.values import aggregate_ratings, observed_values

nan = np.nan


@pytest.mark.parametrize(
    "ratings, trimmed, mean, median",
    [
        ([90, 80, 70, 100, 40], 80, 76, 80),  # drop 100 and 40
        ([100, 100, 100], 100, 100, 100),
        ([50, 70], 60, 60, 60),  # fewer than 3: plain mean
        ([40], 40, 40, 40),
        ([10, 20, 90, nan, nan], 20, 40, 20),  # NaN pads the expert axis
        ([80, 80, 80, 80], 80, 80, 80),
    ],
)
def test_aggregates_by_hand(ratings, trimmed, mean, median):
    r = np.array([[ratings]], dtype=float)
    assert aggregate_ratings(r, "trimmed_mean")[0, 0] == pytest.approx(trimmed)
    assert aggregate_ratings(r, "mean")[0, 0] == pytest.approx(mean)
    assert aggregate_ratings(r, "median")[0, 0] == pytest.approx(median)


def test_trimmed_mean_drops_only_one_of_equal_extremes():
    r = np.array([[[60, 60, 90, 90]]], dtype=float)
    assert aggregate_ratings(r, "trimmed_mean")[0, 0] == 75


def test_no_ratings_is_nan():
    r = np.full((2, 3, 4), np.nan)
    for method in ("trimmed_mean", "mean", "median"):
        assert np.isnan(aggregate_ratings(r, method)).all()
    assert aggregate_ratings(np.zeros((2, 3, 0)), "mean").shape == (2, 3)


def test_unknown_method():
    with pytest.raises(ValueError, match="unknown ratings aggregation"):
        aggregate_ratings(np.zeros((1, 1, 1)), "mode")


def test_values_file_wins_and_ratings_fill_in():
    values = np.array([[1.0, nan, nan]])
    rated = np.array([[9.0, 7.0, nan]])
    np.testing.assert_array_equal(observed_values(values, rated), [[1.0, 7.0, nan]])
