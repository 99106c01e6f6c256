"""Core speed: load+validate and score the 2011 sample; score 10k and 100k departments;
against a naive pandas composite index on the same data.

Targets (issue 2): scoring 129 departments after loading < 2 ms; 100k departments < 1 s;
never slower than the naive pandas version.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from common import ROOT, fmt, measure, median, table

import wfscore


def plain_year(folder: Path, n: int, seed: int) -> Path:
    """A year that is nothing but the composite index: every indicator ``index`` with
    a value for every department, no exemptions, overrides or incidents."""
    scheme = yaml.safe_load((ROOT / "data" / "2011" / "scheme.yaml").read_text(encoding="utf-8"))
    for section in scheme["sections"]:
        for category in section["categories"]:
            for ind in category["indicators"]:
                ind["method"] = "index"
                ind.pop("direction", None)
    scheme["rules"] = {"not_applicable": "none", "ratings": "mean", "rank_precision": 2}
    ids = [str(i["id"]) for s in scheme["sections"] for c in s["categories"] for i in c["indicators"]]
    rng = np.random.default_rng(seed)
    values = rng.gamma(4.0, 20.0, size=(n, len(ids)))
    depts = [f"D{k:06d}" for k in range(n)]
    folder.mkdir(parents=True)
    (folder / "scheme.yaml").write_text(yaml.safe_dump(scheme, allow_unicode=True), encoding="utf-8")
    pd.DataFrame({"dept_id": depts, "name": depts, "kind": "government"}).to_csv(
        folder / "departments.csv", index=False
    )
    long = pd.DataFrame({"dept_id": np.repeat(depts, len(ids)), "indicator": np.tile(ids, n), "value": values.ravel()})
    long.to_csv(folder / "values.csv", index=False, float_format="%.17g")
    return folder


def naive_pandas(wide: pd.DataFrame, weights: pd.Series) -> pd.Series:
    """The textbook composite index: df / df.max() * weights, summed."""
    return (wide / wide.max() * weights).sum(axis=1)


def realistic_year(folder: Path, n: int) -> Path:
    import generate  # data/generate.py

    scheme = yaml.safe_load((ROOT / "data" / "2011" / "scheme.yaml").read_text(encoding="utf-8"))
    generate.write(generate.generate(scheme, seed=n, n=n, values_only=True), folder)
    (folder / "scheme.yaml").write_bytes((ROOT / "data" / "2011" / "scheme.yaml").read_bytes())
    return folder


def main() -> bool:
    ok = True
    rows = []
    sample = ROOT / "data" / "2011"
    load = measure(lambda: wfscore.load_year(sample), repeat=10, warmup=1)
    year = wfscore.load_year(sample)
    scored = measure(lambda: wfscore.score(year), repeat=300, warmup=20)
    full = measure(lambda: (lambda r: (r.ranking, r.detail(), r.adjustments()))(wfscore.score(year)), repeat=20)
    met = median(scored) < 2e-3
    ok &= met
    rows.append(["2011 sample: load + validate", "129", fmt(median(load)), "", ""])
    rows.append(["2011 sample: score", "129", fmt(median(scored)), "< 2 ms", "yes" if met else "NO"])
    rows.append(["2011 sample: score + all tables", "129", fmt(median(full)), "", ""])

    with tempfile.TemporaryDirectory() as tmp:
        for n in (10_000, 100_000):
            folder = realistic_year(Path(tmp) / f"real{n}", n)
            big = wfscore.load_year(folder)
            t = measure(lambda: wfscore.score(big), repeat=5 if n > 10_000 else 10, warmup=1)
            target = "< 1 s" if n == 100_000 else ""
            met = median(t) < 1.0 or n != 100_000
            ok &= met
            rows.append(
                ["synthetic year: score", f"{n:,}", fmt(median(t)), target, ("yes" if met else "NO") if target else ""]
            )
    table("core: load and score (median wall time)", ["case", "departments", "time", "target", "met"], rows)

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in (129, 10_000, 100_000):
            data = wfscore.load_year(plain_year(Path(tmp) / f"plain{n}", n, seed=n))
            ids = list(data.scheme.arrays.indicator_ids)
            wide = pd.DataFrame(data.values, columns=ids)
            weights = pd.Series(data.scheme.arrays.weight, index=ids)
            ours = wfscore.score(data).total
            theirs = naive_pandas(wide, weights).to_numpy()
            np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-9)  # equal numbers
            repeat = 50 if n < 100_000 else 7
            t_ours = median(measure(lambda: wfscore.score(data), repeat=repeat))
            t_naive = median(measure(lambda: naive_pandas(wide, weights), repeat=repeat))
            met = t_ours <= t_naive
            ok &= met
            rows.append([f"{n:,}", fmt(t_ours), fmt(t_naive), f"{t_naive / t_ours:.1f}×", "yes" if met else "NO"])
    table(
        "core vs naive pandas composite index (same data, totals equal to 1e-9)",
        ["departments", "wfscore score (all rules)", "pandas df/df.max()*w", "pandas ÷ wfscore", "not slower"],
        rows,
    )
    return ok


if __name__ == "__main__":
    raise SystemExit(0 if main() else 1)
