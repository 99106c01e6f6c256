"""The statistical audit of the scheme on the 2011 sample: one batched bootstrap against
a COINr-like loop.

    python benchmarks/run.py coherence

- batched: ``wfscore.analysis.coherence.audit`` of the scored 2011 sample (129
  departments, 27 indicators) with 1,000 bootstrap resamples: correlations, main
  effects with their intervals, Cronbach's alpha, PC1 shares, redundant pairs.
  Target: under 1 s.
- baseline: the same audit as COINr's loops would do it: the audit without bootstrap,
  then one estimate per resample and indicator in Python (resample the departments,
  build the smoother's design for the resample, solve, compute the correlation
  ratio), on the very same resamples and smoothing parameters. Its intervals are
  checked against the batched ones.
"""

from __future__ import annotations

import time

import numpy as np
from common import ROOT, fmt, measure, median, table

import wfscore
from wfscore.analysis import coherence, pspline

RESAMPLES = 1000
TARGET_SECONDS = 1.0


def loop_intervals(result, resamples: int, seed: int = 0, level: float = 0.95):
    """One estimate per resample and indicator, in Python (the baseline)."""
    x = np.asarray(result.score, float)
    y = np.asarray(result.total, float)
    applicable = ~result.exempt
    n, k = x.shape
    fit = coherence.main_effects(x, y, applicable, resamples=0)
    picks = np.random.default_rng(seed).integers(0, n, size=(resamples, n))
    penalty = pspline._difference_penalty(coherence.SEGMENTS + 3)
    boot = np.full((k, resamples), np.nan)
    for i in np.flatnonzero(fit.status == "ok"):
        values = x[applicable[:, i], i]
        lo, hi = values.min(), values.max()
        levels = np.unique(values)
        for b in range(resamples):
            rows = picks[b][applicable[picks[b], i]]
            xi, yi = x[rows, i], y[rows]
            if fit.method[i] == "spline":
                design = coherence.bspline_basis((xi - lo) / (hi - lo), coherence.SEGMENTS)
                a = design.T @ design + fit.penalty[i] * penalty
                df = fit.df[i]
            else:
                design = (xi[:, None] == levels[None, :]).astype(float)
                design = design[:, design.sum(axis=0) > 0]  # the levels this resample has
                a = design.T @ design
                df = design.shape[1]
            beta = np.linalg.solve(a, design.T @ yi)
            rss = ((yi - design @ beta) ** 2).sum()
            tss = ((yi - yi.mean()) ** 2).sum()
            m = len(rows)
            if m - df >= coherence.MIN_RESIDUAL and tss > 0:
                boot[i, b] = min(1.0, max(0.0, 1 - (rss / (m - df)) / (tss / (m - 1))))
    tail = (1 - level) / 2 * 100
    low, high = np.full(k, np.nan), np.full(k, np.nan)
    ok = np.isfinite(boot).any(axis=1)
    low[ok], high[ok] = np.nanpercentile(boot[ok], [tail, 100 - tail], axis=1)
    return low, high


def main() -> bool:
    result = wfscore.score(wfscore.load_year(ROOT / "data" / "2011"))
    batched = median(measure(lambda: coherence.audit(result, resamples=RESAMPLES), repeat=7, warmup=1))
    without = median(measure(lambda: coherence.audit(result, resamples=0), repeat=7, warmup=1))
    start = time.perf_counter()
    coherence.audit(result, resamples=0)
    low, high = loop_intervals(result, RESAMPLES)
    looped = time.perf_counter() - start
    found = coherence.audit(result, resamples=RESAMPLES).indicators
    same = np.allclose(low, found["main_effect_low"], atol=1e-6, equal_nan=True) and np.allclose(
        high, found["main_effect_high"], atol=1e-6, equal_nan=True
    )
    ok = batched < TARGET_SECONDS and same
    table(
        f"coherence: audit of the 2011 sample (129 departments × 27 indicators), {RESAMPLES:,} resamples",
        ["method", "time", "ratio", "target"],
        [
            ["COINr-like loop (one estimate per resample and indicator)", fmt(looped), "1.0×", ""],
            ["audit without bootstrap (correlations, alpha, PCA, fits)", fmt(without), f"{looped / without:.0f}×", ""],
            [
                "batched audit (one matrix product, one batch of solves)",
                fmt(batched),
                f"{looped / batched:.0f}×",
                f"< {fmt(TARGET_SECONDS)} {'ok' if batched < TARGET_SECONDS else 'MISSED'}",
            ],
            ["same intervals as the loop", "yes" if same else "NO", "", ""],
        ],
    )
    return ok


if __name__ == "__main__":
    raise SystemExit(0 if main() else 1)
