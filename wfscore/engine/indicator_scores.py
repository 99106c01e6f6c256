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

from wfscore.inputs.scheme import SchemeArrays


def index_base(
    values: np.ndarray, counted: np.ndarray | None, arrays: SchemeArrays, percentile: float | None = None
) -> np.ndarray:
    """M_i (higher is better) or m_i (lower is better) per indicator, NaN if nobody counts.

    ``counted`` marks the pairs that take part: applicable, not overridden, not
    missing; ``None`` means every non-NaN value takes part. With ``percentile``
    (say 95) the base is that percentile of the counted values instead of the
    maximum (the 100 − p percentile when lower is better).
    """
    if counted is not None:
        values = np.where(counted, values, np.nan)
    lower = np.flatnonzero(arrays.lower_is_better)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # an indicator nobody has
        if percentile is None:
            base = np.fmax.reduce(values, axis=-2)  # NaN is skipped; all-NaN stays NaN
            if lower.size:
                base[..., lower] = np.fmin.reduce(values[..., lower], axis=-2)
        else:
            base = np.nanpercentile(values, percentile, axis=-2)
            if lower.size:
                base[..., lower] = np.nanpercentile(values[..., lower], 100 - percentile, axis=-2)
    return base


def indicator_scores(
    values: np.ndarray,
    effective_weight: np.ndarray,
    weight: np.ndarray,
    base: np.ndarray,
    arrays: SchemeArrays,
    capped: bool = False,
) -> np.ndarray:
    """score[d,i] before the website and security rules (SPEC §5.4).

    ``values`` holds NaN for a missing value, which scores 0; for ``binary``
    indicators it holds the count of confirmed achievements. ``effective_weight``
    is (..., D, I), or (..., I) when every department has the same weights. With
    ``capped`` a share above the base (possible with a percentile base) counts as 1.
    """
    higher = arrays.is_index & ~arrays.lower_is_better
    weight = np.asarray(weight, dtype=float)
    effective_weight = np.asarray(effective_weight, dtype=float)
    per_column = effective_weight.ndim == weight.ndim  # the same weights for every department
    lower = np.flatnonzero(arrays.lower_is_better)
    binary = np.flatnonzero(arrays.is_binary)
    # over: an inf of W / M is not used (the share is computed first then), and the
    # lower-is-better columns' first pass is overwritten below
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        # One pass for every column: value / M_i (higher is better; a base of 0 or
        # none scores 0) or value / w_i (direct). Lower-is-better and binary columns
        # are redone below.
        denominator = np.where(higher, np.where(base > 0, base, np.inf), np.where(arrays.is_direct, weight, 1.0))
        # W / M first is one product per pair instead of two, but overflows for a tiny
        # base (W = 20, M = 1e-307): then the share value / M comes first, which is at
        # most 1 for the maximum base and cannot overflow.
        ratio = effective_weight / denominator if per_column and not capped else None
        fast = ratio is not None and bool(np.isfinite(ratio).all())
        if fast:
            scores = values * ratio[..., None, :]
        else:
            scores = values / denominator[..., None, :]
        if lower.size:  # m_i / value, and the full weight for a value of 0
            v = values[..., lower]
            scores[..., lower] = np.where(v > 0, base[..., None, lower] / v, np.where(v == 0, 1.0, np.nan))
        if binary.size:
            scores[..., binary] = values[..., binary] >= 1
        np.fmax(scores, 0.0, out=scores)  # a missing value (NaN) scores 0; nothing is negative
        if capped:  # only the composite index can exceed its base
            index = np.flatnonzero(arrays.is_index)
            scores[..., index] = np.minimum(scores[..., index], 1.0)
        if fast:
            if lower.size or binary.size:
                redo = np.concatenate([lower, binary])
                scores[..., redo] *= effective_weight[..., None, redo]
            return scores
        return scores * (effective_weight[..., None, :] if per_column else effective_weight)
