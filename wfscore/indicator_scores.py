"""Step 4 of SPEC §5: each department's points on each indicator.

Pure array maths with no checks. The composite index (综合指数法): for an ``index``
indicator the base is the best value among the departments that take part, and a
department scores value / base × W (or base / value × W when lower is better).
``direct`` values are points on the weight scale; ``binary`` indicators give the
full weight for at least one confirmed achievement.
"""

from __future__ import annotations

import warnings

import numpy as np

from .scheme import SchemeArrays


def index_base(values: np.ndarray, counted: np.ndarray, arrays: SchemeArrays,
               percentile: float | None = None) -> np.ndarray:
    """M_i (higher is better) or m_i (lower is better) per indicator, NaN if nobody counts.

    ``counted`` marks the pairs that take part: applicable, not overridden, not
    missing. With ``percentile`` (say 95) the base is that percentile of the
    counted values instead of the maximum (the 100 − p percentile when lower is
    better), and scores above the weight are capped at it.
    """
    if percentile is None:
        highest = np.where(counted, values, -np.inf).max(axis=-2)
        lowest = np.where(counted, values, np.inf).min(axis=-2)
    else:
        masked = np.where(counted, values, np.nan)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            highest = np.nanpercentile(masked, percentile, axis=-2)
            lowest = np.nanpercentile(masked, 100 - percentile, axis=-2)
    base = np.where(arrays.lower_is_better, lowest, highest)
    return np.where(np.isfinite(base), base, np.nan)


def indicator_scores(values: np.ndarray, effective_weight: np.ndarray, weight: np.ndarray,
                     base: np.ndarray, arrays: SchemeArrays, capped: bool = False) -> np.ndarray:
    """score[d,i] before the website and security rules (SPEC §5.4).

    ``values`` holds NaN for a missing value, which scores 0; for ``binary``
    indicators it holds the count of confirmed achievements.
    """
    has = ~np.isnan(values)
    with np.errstate(divide="ignore", invalid="ignore"):
        higher = np.where(has & (base > 0), values / base, 0.0)
        lower = np.where(has, np.where(values > 0, base / values, 1.0), 0.0)
        share = np.where(arrays.lower_is_better, lower, higher)
        share = np.where(np.isnan(share), 0.0, share)
        if capped:
            share = np.minimum(share, 1.0)
        index = effective_weight * share
        direct = np.where(has, values * effective_weight / weight[..., None, :], 0.0)
    binary = np.where(has & (values >= 1), effective_weight, 0.0)
    return np.where(arrays.is_index, index, np.where(arrays.is_direct, direct, binary))
