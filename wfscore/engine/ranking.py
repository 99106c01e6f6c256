"""Steps 8–10 of SPEC §5: rank, excellence and conversion.

Pure array maths with no checks. Totals are compared as integers of the smallest
published unit ("ticks": hundredths for ``rank_precision: 2``), rounded half up,
so equal published totals share a rank exactly. Every function works along the
last axis and broadcasts over leading ones.
"""

from __future__ import annotations

import math

import numpy as np


def ticks(total: np.ndarray, precision: int) -> np.ndarray:
    """Totals rounded half up to ``precision`` decimals, as integers of 10^-precision.

    The product is first rounded to 6 decimals, so that a total such as 2.675,
    stored as 2.67499999…, rounds up as it is written.
    """
    scaled = np.round(np.asarray(total, dtype=float) * 10.0**precision, 6)
    return np.floor(scaled + 0.5).astype(np.int64)


def rounded(total: np.ndarray, precision: int) -> np.ndarray:
    """Totals rounded half up to ``precision`` decimals, as published."""
    return ticks(total, precision) / 10.0**precision


def rank(published: np.ndarray) -> np.ndarray:
    """Competition ranks, highest first; equal values share the best rank (1, 2, 2, 4).

    Each value and its column are packed into one int64 key (value shifted left,
    column in the low bits), so one plain sort orders every row highest first
    without an argsort; values too large to pack fall back to :func:`rank_by_argsort`.
    """
    published = np.asarray(published, dtype=np.int64)
    d = published.shape[-1] if published.ndim else 0
    bits = max(1, (d - 1).bit_length())
    if published.size == 0 or np.abs(published).max() >= 2 ** (62 - bits):
        return rank_by_argsort(published)
    key = np.sort(((-published) << bits) | np.arange(d), axis=-1)
    order = key & ((1 << bits) - 1)
    return _ranks_in_order(key >> bits, order)


def rank_by_argsort(published: np.ndarray) -> np.ndarray:
    """:func:`rank` for any integers, by an argsort."""
    published = np.asarray(published)
    order = np.argsort(-published, axis=-1)  # ties get one rank whatever their order
    return _ranks_in_order(np.take_along_axis(published, order, axis=-1), order)


def _ranks_in_order(in_order: np.ndarray, order: np.ndarray) -> np.ndarray:
    position = np.broadcast_to(np.arange(in_order.shape[-1]), in_order.shape)
    starts = np.ones(in_order.shape, dtype=bool)
    np.not_equal(in_order[..., 1:], in_order[..., :-1], out=starts[..., 1:])
    first = np.maximum.accumulate(np.where(starts, position, 0), axis=-1)
    ranks = np.empty(in_order.shape, dtype=np.int64)
    np.put_along_axis(ranks, order, first + 1, axis=-1)
    return ranks


def excellence_count(share: float, departments: int) -> int:
    """n = ceil(share × departments), computed so that 0.7 × 10 is 7, not 8."""
    return math.ceil(round(share * departments, 9))


def excellent(published: np.ndarray, eligible: np.ndarray, share: float) -> np.ndarray:
    """The first n eligible departments in rank order, plus eligible ties with the n-th."""
    n = excellence_count(share, published.shape[-1])
    if n == 0:
        return np.zeros(published.shape, dtype=bool)
    if published.ndim == 1:  # one ranking: the n-th largest eligible total, without a full sort
        candidates = published[eligible]
        if candidates.size == 0:
            return np.zeros(published.shape, dtype=bool)
        k = max(candidates.size - n, 0)
        return eligible & (published >= np.partition(candidates, k)[k])
    floor_value = np.iinfo(np.int64).min
    candidates = np.sort(np.where(eligible, published, floor_value), axis=-1)[..., ::-1]
    n_eligible = eligible.sum(axis=-1)
    last = np.clip(np.minimum(n, n_eligible) - 1, 0, None)
    threshold = np.take_along_axis(candidates, np.asarray(last)[..., None], axis=-1)
    return eligible & (published >= threshold) & (n_eligible > 0)[..., None]


def converted(total: np.ndarray, points: float, total_points: float) -> np.ndarray:
    """The total on the comprehensive assessment's scale (纳入综合考核)."""
    return total * points / total_points
