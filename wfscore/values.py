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
