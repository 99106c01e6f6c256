"""How far the experts agree: per expert-rated indicator, the panel's agreement and
each expert's distance from the others, and the ratings far from the rest.

- **Agreement** is Kendall's coefficient of concordance W with the correction for
  ties, on the departments every expert of the indicator rated (a department one of
  them skipped is left out of W, not of the scores). Each expert's ratings are ranked
  across those departments (ties share their mean rank, as :func:`scipy.stats.rankdata` ranks);
  with m experts, n departments, R_j the sum of department j's ranks, S = Σ (R_j − R̄)²
  and T_e = Σ (t³ − t) over expert e's groups of tied ratings:

      W = 12 S / (m² (n³ − n) − m Σ_e T_e)

  W is 1 when every expert orders the departments alike, 0 when their orders are
  unrelated. The test of W = 0 uses χ² = m (n − 1) W with n − 1 degrees of freedom
  (its survival function, :func:`scipy.special.chdtrc`, which :func:`scipy.stats.chi2` uses:
  importing ``scipy.stats`` costs the report seconds). Fewer than 2 experts or 2 departments: no W (NaN).
- **An expert's deviation**: for each department the expert rated, the rating minus
  the mean of the *other* experts' ratings of that department; ``bias`` is its mean
  (above 0: more lenient than the rest), ``spread`` the mean of its absolute value.
- **A rating far from the others** (flagged): it differs from the mean of the other
  experts' ratings of the same department and indicator by ``FAR`` points (20 on the
  0–100 scale) or more, with at least 2 other ratings to compare with. A flag is a
  prompt to look, not a correction: the analyst corrects a rating through an upheld
  dispute (:mod:`wfscore.review.disputes`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from wfscore.inputs.loading import YearData

FAR = 20.0  # points on the 0–100 rating scale


def kendall_w(table: np.ndarray) -> tuple[float, float, float]:
    """(W, χ², p) of an experts × departments table of ratings (no missing cell)."""
    table = np.asarray(table, dtype=float)
    m, n = table.shape
    if m < 2 or n < 2:
        return float("nan"), float("nan"), float("nan")
    ranks = np.apply_along_axis(_mean_ranks, 1, table)
    totals = ranks.sum(axis=0)
    s = float(((totals - totals.mean()) ** 2).sum())
    ties = 0.0
    for row in table:
        _, counts = np.unique(row, return_counts=True)
        ties += float((counts**3 - counts).sum())
    denominator = m * m * (n**3 - n) - m * ties
    if denominator <= 0:  # every expert gave every department the same rating
        return float("nan"), float("nan"), float("nan")
    w = 12.0 * s / denominator
    chi2 = m * (n - 1) * w
    from scipy.special import chdtrc

    return w, chi2, float(chdtrc(n - 1, chi2))


def _mean_ranks(row: np.ndarray) -> np.ndarray:
    """The ranks 1..n of ``row``, ties sharing their mean rank (scipy.stats.rankdata's
    ``average`` method, step by step)."""
    order = np.argsort(row, kind="mergesort")
    ordered = row[order]
    starts = np.r_[True, ordered[1:] != ordered[:-1]]
    dense = np.empty(len(row), dtype=np.intp)
    dense[order] = starts.cumsum()
    bounds = np.r_[np.nonzero(starts)[0], len(row)]
    return 0.5 * (bounds[dense] + bounds[dense - 1] + 1)


def _ratings(data: YearData) -> pd.DataFrame:
    frame = data.tables["ratings"]
    if frame is None or not len(frame):
        return pd.DataFrame(
            {
                "line": pd.Series([], dtype=int),
                "dept_id": pd.Series([], dtype=object),
                "indicator": pd.Series([], dtype=object),
                "expert": pd.Series([], dtype=object),
                **{c: pd.Series([], dtype=float) for c in ("rating", "others", "others_mean", "deviation")},
            }
        )
    out = pd.DataFrame(
        {
            "line": frame.index.to_numpy(dtype=int),
            "dept_id": frame["dept_id"].to_numpy(),
            "indicator": frame["indicator"].to_numpy(),
            "expert": frame["expert"].to_numpy(),
            "rating": pd.to_numeric(frame["rating"]).to_numpy(dtype=float),
        }
    )
    group = out.groupby(["dept_id", "indicator"])["rating"]
    total, count = group.transform("sum"), group.transform("count")
    others = count - 1
    out["others"] = others
    out["others_mean"] = np.where(others > 0, (total - out["rating"]) / others.where(others > 0, 1), np.nan)
    out["deviation"] = out["rating"] - out["others_mean"]
    return out


def _order(data: YearData, indicators) -> list[str]:
    known = [str(i) for i in data.scheme.arrays.indicator_ids]
    return sorted(
        set(pd.unique(pd.Series(indicators, dtype=object))),
        key=lambda i: (known.index(i) if i in known else len(known), i),
    )


def _matrix(part: pd.DataFrame) -> tuple[int, np.ndarray]:
    """(experts, experts × departments-rated-by-all table) of one indicator's ratings."""
    experts, e = np.unique(part["expert"].to_numpy(), return_inverse=True)
    depts, d = np.unique(part["dept_id"].to_numpy(), return_inverse=True)
    table = np.full((len(experts), len(depts)), np.nan)
    table[e, d] = part["rating"].to_numpy()
    return len(experts), table[:, ~np.isnan(table).any(axis=0)]


def panel(data: YearData) -> pd.DataFrame:
    """Per expert-rated indicator (scheme order): indicator, experts, departments (rated
    by all of them: W's n), w, chi2, p, flagged (ratings far from the others)."""
    ratings = _ratings(data)
    far = flagged_mask(ratings)
    rows = []
    groups = dict(tuple(ratings.groupby("indicator", sort=False))) if len(ratings) else {}
    for indicator in _order(data, ratings["indicator"]):
        part = groups[indicator]
        m, complete = _matrix(part)
        w, chi2, p = kendall_w(complete)
        rows.append(
            {
                "indicator": indicator,
                "experts": m,
                "departments": int(complete.shape[1]),
                "w": w,
                "chi2": chi2,
                "p": p,
                "flagged": int(far[part.index].sum()),
            }
        )
    return pd.DataFrame(rows, columns=["indicator", "experts", "departments", "w", "chi2", "p", "flagged"])


def experts(data: YearData) -> pd.DataFrame:
    """Per indicator and expert: ratings (how many), bias, spread (see the module), flagged."""
    ratings = _ratings(data)
    ratings = ratings[ratings["others"] > 0].assign(
        far=lambda f: flagged_mask(f), distance=lambda f: f["deviation"].abs()
    )
    columns = ["indicator", "expert", "ratings", "bias", "spread", "flagged"]
    if ratings.empty:
        return pd.DataFrame(columns=columns)
    out = (
        ratings.groupby(["indicator", "expert"], sort=False)
        .agg(
            ratings=("rating", "size"), bias=("deviation", "mean"), spread=("distance", "mean"), flagged=("far", "sum")
        )
        .reset_index()
    )
    order = {k: n for n, k in enumerate(_order(data, out["indicator"]))}
    out = out.assign(_o=out["indicator"].map(order)).sort_values(["_o", "expert"], kind="stable")
    out["flagged"] = out["flagged"].astype(int)
    return out[columns].reset_index(drop=True)


def flagged_mask(part: pd.DataFrame) -> pd.Series:
    return (part["others"] >= 2) & (part["deviation"].abs() >= FAR)


def far_ratings(data: YearData) -> pd.DataFrame:
    """The ratings far from the others: line (of ratings.csv), dept_id, indicator,
    expert, rating, others_mean, deviation; largest distance first."""
    ratings = _ratings(data)
    far = ratings[flagged_mask(ratings)] if len(ratings) else ratings
    far = far.reindex(far["deviation"].abs().sort_values(ascending=False, kind="stable").index)
    return far[["line", "dept_id", "indicator", "expert", "rating", "others_mean", "deviation"]].reset_index(drop=True)
