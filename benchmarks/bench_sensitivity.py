"""Robustness analysis on the 2011 sample: batched chunks vs one scoring call per sample.

    python benchmarks/run.py sensitivity

Targets (issue 5): 10,000 samples in under 1 s, and at least 100× faster than the
COINr-style per-sample loop (rebuild the sample's scheme, call ``wfscore.score``).
The loop is timed on the first LOOP_SAMPLES of the very same 10,000 samples and
extrapolated per sample; its results are checked against the batched ones.
"""

from __future__ import annotations

import time

import numpy as np
from common import ROOT, fmt, measure, median, table

import wfscore
from wfscore.analysis.sensitivity import analyse
from wfscore.analysis.uncertainty import Uncertainty

SAMPLES = 10_000
LOOP_SAMPLES = 500
TARGET_SECONDS = 1.0
TARGET_RATIO = 100.0


def main() -> bool:
    year = wfscore.load_year(ROOT / "data" / "2011")
    # every uncertain input on, including 2011's disputed security scope (18–20 only)
    uncertainty = Uncertainty(security_indicators=("18", "19", "20"))

    def run(samples: int, **kwargs):
        return analyse(year, uncertainty=uncertainty, samples=samples, seed=0, progress=False, **kwargs)

    batched = median(measure(lambda: run(SAMPLES), repeat=7, warmup=1))
    quick = median(measure(lambda: run(1000), repeat=7, warmup=1))
    per_weight = median(measure(lambda: run(SAMPLES, per_weight=True), repeat=5, warmup=1))
    large = median(measure(lambda: run(100_000), repeat=2, warmup=0))

    kept = run(SAMPLES, keep_samples=True)
    start = time.perf_counter()
    looped = [wfscore.score(year, kept.scheme_of(row)) for row in range(LOOP_SAMPLES)]
    loop_per_sample = (time.perf_counter() - start) / LOOP_SAMPLES
    same = np.array_equal(np.array([r.rank for r in looped]), kept.ranks[:LOOP_SAMPLES]) and np.allclose(
        np.array([r.total for r in looped]), kept.totals[:LOOP_SAMPLES], rtol=0, atol=1e-9
    )
    loop_total = loop_per_sample * SAMPLES
    ratio = loop_total / batched

    k = len(kept.space.factors)
    table(
        f"Robustness analysis, 2011 sample (129 departments × 27 indicators, {k} uncertain inputs, "
        "full analysis incl. indices and 1,000 bootstrap resamples)",
        ["run", "samples", "time", "per sample", "vs per-sample loop"],
        [
            [
                "batched chunks (wfscore.analysis.sensitivity)",
                f"{SAMPLES:,}",
                fmt(batched),
                fmt(batched / SAMPLES),
                f"{ratio:.0f}× faster",
            ],
            [
                f"per-sample loop: scheme + wfscore.score (timed on {LOOP_SAMPLES} of the same samples, "
                f"extrapolated; results {'identical' if same else 'DIFFERENT'})",
                f"{SAMPLES:,}",
                fmt(loop_total),
                fmt(loop_per_sample),
                "1×",
            ],
            ["batched, what-if quick run", "1,000", fmt(quick), fmt(quick / 1000), ""],
            [
                "batched, one index per weight and category",
                f"{SAMPLES:,}",
                fmt(per_weight),
                fmt(per_weight / SAMPLES),
                "",
            ],
            ["batched, large run", "100,000", fmt(large), fmt(large / 100_000), ""],
        ],
    )
    targets = [
        (f"10,000 samples < {TARGET_SECONDS:g} s", batched < TARGET_SECONDS, fmt(batched)),
        (f"≥ {TARGET_RATIO:g}× faster than the per-sample loop", ratio >= TARGET_RATIO, f"{ratio:.0f}×"),
        ("batched = per-sample loop on the timed samples", same, "checked"),
    ]
    table("Targets", ["target", "met", "measured"], [[t, "yes" if ok else "NO", m] for t, ok, m in targets])
    return all(ok for _, ok, _ in targets)


if __name__ == "__main__":
    raise SystemExit(0 if main() else 1)
