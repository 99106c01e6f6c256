"""Variance-based sensitivity indices: the Saltelli design and Jansen's estimators.

Pure maths, no checks (Saltelli et al. 2010, "Variance based sensitivity analysis
of model output", Table 2; the OECD/JRC handbook on composite indicators, §7).
Two independent matrices A and B of N sample rows are drawn. For each factor g
(a set of columns) A_B^g is A with the columns of g taken from B. With the model
output y of those rows:

* first order  S_g  = (V − ½·mean((y_B − y_ABg)²)) / V      (Jansen 1999)
* total order  ST_g = ½·mean((y_A − y_ABg)²) / V             (Jansen 1999)

where V is the variance of y over A and B together. Confidence intervals come from
a bootstrap over the N rows (percentile intervals).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np


def saltelli_rows(a: np.ndarray, b: np.ndarray, groups: Sequence[Sequence[int]]) -> np.ndarray:
    """The rows [A; B; A_B^1; …; A_B^k] to evaluate, (N·(k + 2), columns)."""
    blocks = [a, b]
    for columns in groups:
        ab = a.copy()
        ab[:, list(columns)] = b[:, list(columns)]
        blocks.append(ab)
    return np.concatenate(blocks, axis=0)


def split_outputs(y: np.ndarray, n: int, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """y of :func:`saltelli_rows` back into y_A (N,), y_B (N,) and y_AB (k, N)."""
    y = np.asarray(y, dtype=float)
    return y[:n], y[n : 2 * n], y[2 * n : (k + 2) * n].reshape(k, n)


def jansen(y_a: np.ndarray, y_b: np.ndarray, y_ab: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First- and total-order indices, (k,) each; NaN when the output does not vary.

    Leading axes broadcast: y_a and y_b (..., N), y_ab (..., k, N), so that many
    bootstrap resamples are estimated at once.
    """
    variance = np.var(np.concatenate([y_a, y_b], axis=-1), axis=-1)[..., None]
    first_gap = 0.5 * np.mean((y_b[..., None, :] - y_ab) ** 2, axis=-1)
    total_gap = 0.5 * np.mean((y_a[..., None, :] - y_ab) ** 2, axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        first = np.where(variance > 0, (variance - first_gap) / variance, np.nan)
        total = np.where(variance > 0, total_gap / variance, np.nan)
    return first, total


def indices(
    y_a: np.ndarray,
    y_b: np.ndarray,
    y_ab: np.ndarray,
    rng: np.random.Generator,
    resamples: int = 1000,
    level: float = 0.95,
    block: int = 2_000_000,
) -> dict[str, np.ndarray]:
    """Jansen indices with bootstrap percentile intervals at ``level``.

    Returns arrays of shape (k,): ``first``, ``first_low``, ``first_high``, ``total``,
    ``total_low``, ``total_high``. A bootstrap resample of the N rows is a vector of
    counts (how often each row was drawn), so every mean in Jansen's estimators is
    one matrix product: counts (resamples × N) @ per-row terms (N × (2k + 4)).
    Resamples are taken ``block`` counts at a time, so memory stays bounded.
    """
    y_a, y_b = np.asarray(y_a, dtype=float), np.asarray(y_b, dtype=float)
    y_ab = np.asarray(y_ab, dtype=float)
    k, n = y_ab.shape
    first, total = jansen(y_a, y_b, y_ab)
    out = {"first": first, "total": total}
    if n < 2 or resamples < 1 or k == 0:
        for name in ("first", "total"):
            out[f"{name}_low"] = out[f"{name}_high"] = np.full(k, np.nan)
        return out
    # per row: ½(y_B − y_ABg)², ½(y_A − y_ABg)², and y and y² of A and B for the variance
    terms = np.concatenate(
        [0.5 * (y_b - y_ab) ** 2, 0.5 * (y_a - y_ab) ** 2, [y_a + y_b, y_a**2 + y_b**2]]
    ).T  # (N, 2k + 2)
    per_block = max(1, block // n)
    boot_first, boot_total = [], []
    for start in range(0, resamples, per_block):
        m = min(per_block, resamples - start)
        drawn = rng.integers(0, n, size=(m, n)) + (np.arange(m) * n)[:, None]
        counts = np.bincount(drawn.ravel(), minlength=m * n).reshape(m, n).astype(float)
        sums = counts @ terms / n  # (m, 2k + 2): means over the resample
        mean_y, mean_y2 = sums[:, -2:-1] / 2, sums[:, -1:] / 2
        variance = mean_y2 - mean_y**2
        with np.errstate(divide="ignore", invalid="ignore"):
            boot_first.append(np.where(variance > 0, (variance - sums[:, :k]) / variance, np.nan))
            boot_total.append(np.where(variance > 0, sums[:, k : 2 * k] / variance, np.nan))
    tails = [(1 - level) / 2, (1 + level) / 2]
    for name, boot in (("first", boot_first), ("total", boot_total)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # no variation: NaN, as the estimate
            low, high = np.nanquantile(np.concatenate(boot), tails, axis=0)
        out[f"{name}_low"], out[f"{name}_high"] = low, high
    return out
