"""Step 1 of SPEC §5: each department's value on each indicator.

Pure array functions, no checks: a value from ``values.csv``, else the aggregate of
the expert ratings. Ratings arrive as a (departments × indicators × experts) array
padded with NaN, so every aggregate is one vectorised reduction.
"""

from __future__ import annotations

import warnings

import numpy as np

RATINGS_METHODS = ("trimmed_mean", "mean", "median")


def aggregate_ratings(ratings: np.ndarray, method: str) -> np.ndarray:
    """Aggregate the last axis of ``ratings``; NaN where a pair has no rating.

    ``trimmed_mean`` drops one highest and one lowest rating when there are three
    or more, then averages; with one or two it is the mean.
    """
    if ratings.shape[-1] == 0:
        return np.full(ratings.shape[:-1], np.nan)
    count = np.sum(~np.isnan(ratings), axis=-1)
    with warnings.catch_warnings(), np.errstate(invalid="ignore", divide="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN pairs stay NaN
        if method == "median":
            return np.nanmedian(ratings, axis=-1)
        total = np.nansum(ratings, axis=-1)
        if method == "mean":
            return np.where(count > 0, total / count, np.nan)
        if method == "trimmed_mean":
            trimmed = (total - np.nanmax(ratings, axis=-1) - np.nanmin(ratings, axis=-1)) / (count - 2)
            return np.where(count >= 3, trimmed, np.where(count > 0, total / count, np.nan))
    raise ValueError(f"unknown ratings aggregation {method!r} (expected one of {RATINGS_METHODS})")


def observed_values(values: np.ndarray, rated: np.ndarray) -> np.ndarray:
    """v[d,i]: the ``values.csv`` value, else the ratings' aggregate, else NaN."""
    return np.where(np.isnan(values), rated, values)


def observed(data, ratings_method: str | None = None) -> np.ndarray:
    """v[d,i] of SPEC §5.1 for ``data`` (a :class:`~wfscore.inputs.loading.YearData`)
    under the given ratings aggregation (default: the scheme's); cached on the year."""
    method = ratings_method or data.scheme.rules.ratings
    return data.cached(
        ("observed", method), lambda: observed_values(data.values, aggregate_ratings(data.ratings, method))
    )


def scored_values(data, ratings_method: str, binary: np.ndarray) -> np.ndarray:
    """Step 1's v[d,i] with the achievement counts in the ``binary`` columns (cached).

    Column-major: the scoring maths works down columns (one indicator, all departments)."""
    return data.cached(
        ("scored", ratings_method, binary.tobytes()),
        lambda: np.asfortranarray(np.where(binary, data.achievements, observed(data, ratings_method))),
    )
