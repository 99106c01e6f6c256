"""The statistical audit of the scheme: plain statistics against hand-worked numbers,
the main-effect estimator against known first-order indices, and the audit of real
and random years."""

from __future__ import annotations

import math
import shutil
import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import wfscore
from helpers import ROOT, SAMPLE, TINY
from wfscore.analysis import coherence
from wfscore.analysis.scenario import with_weight
from yeargen import tiny_scheme_with, write_year, years

# -- plain statistics, by hand ------------------------------------------------------------


def _hand_r(x, y):
    n = len(x)
    mx, my = sum(x) / n, sum(y) / n
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y))
    sxx = sum((a - mx) ** 2 for a in x)
    syy = sum((b - my) ** 2 for b in y)
    return sxy / math.sqrt(sxx * syy)


def test_pearson_against_a_hand_worked_example():
    # x = 1..4, y = 2, 4, 5, 9: means 2.5 and 5; Sxy = 11, Sxx = 5, Syy = 26
    x, y = [1, 2, 3, 4], [2, 4, 5, 9]
    assert coherence.pearson(x, y) == pytest.approx(11 / math.sqrt(5 * 26))
    assert coherence.pearson(x, y) == pytest.approx(_hand_r(x, y))
    assert coherence.pearson(x, [-v for v in y]) == pytest.approx(-11 / math.sqrt(5 * 26))
    assert math.isnan(coherence.pearson(x, [3, 3, 3, 3]))  # no spread: no correlation


def test_pairwise_correlations_use_the_rows_where_both_apply():
    scores = np.array([[1, 2, 7], [2, 4, 1], [3, 5, 8], [4, 9, 2], [50, -7, 3.0]])
    applies = np.ones(scores.shape, bool)
    applies[4, 0] = False  # the outlier row of column 0 does not count
    m = coherence.correlation_matrix(scores, applies)
    assert m[0, 1] == pytest.approx(_hand_r([1, 2, 3, 4], [2, 4, 5, 9]))
    assert m[1, 2] == pytest.approx(_hand_r([2, 4, 5, 9, -7], [7, 1, 8, 2, 3]))
    assert np.allclose(np.diag(m), 1) and np.allclose(m, m.T)


def test_cronbach_alpha_against_a_hand_worked_example():
    items = [[2, 3, 3], [4, 4, 5], [3, 5, 4], [5, 5, 6]]
    k = 3

    def var(v):
        m = sum(v) / len(v)
        return sum((a - m) ** 2 for a in v) / (len(v) - 1)

    columns = [[row[j] for row in items] for j in range(k)]
    totals = [sum(row) for row in items]  # 8, 13, 12, 16
    hand = k / (k - 1) * (1 - sum(var(c) for c in columns) / var(totals))
    assert coherence.cronbach_alpha(np.array(items)) == pytest.approx(hand)
    # the same by the numbers: variances 5/3, 11/12, 5/3; totals' variance 131/12
    assert hand == pytest.approx(1.5 * (1 - (51 / 12) / (131 / 12)))
    assert math.isnan(coherence.cronbach_alpha(np.array([[1.0], [2.0], [3.0]])))  # one item


def test_first_component_share_of_two_items():
    # two standardised items correlated r: eigenvalues 1 ± r, so the first carries (1 + |r|) / 2
    x = np.array([1, 2, 3, 4.0])
    y = np.array([2, 4, 5, 9.0])
    r = _hand_r(list(x), list(y))
    assert coherence.pc1_share(np.column_stack([x, y])) == pytest.approx((1 + r) / 2)
    assert coherence.pc1_share(np.column_stack([x, -y])) == pytest.approx((1 + r) / 2)
    assert math.isnan(coherence.pc1_share(np.column_stack([x, np.ones(4)])))  # one varying item


def test_the_b_spline_basis_sums_to_one():
    x = np.linspace(0, 1, 101)
    basis = coherence.bspline_basis(x, 10)
    assert basis.shape == (101, 13)
    assert np.allclose(basis.sum(axis=1), 1) and (basis >= -1e-12).all()
    assert ((basis > 1e-12).sum(axis=1) <= 4).all()  # cubic: at most 4 non-zero per row


# -- the main-effect estimator --------------------------------------------------------------


def test_level_means_are_pearsons_correlation_ratio_adjusted():
    # x on 3 levels: E[Y | x] is each level's mean; S = 1 − [RSS/(n − 3)] / [TSS/(n − 1)]
    x = np.array([0, 0, 0, 1, 1, 2, 2, 2, 2.0])
    y = np.array([1, 2, 3, 4, 6, 9, 8, 7, 10.0])
    means = {0: 2.0, 1: 5.0, 2: 8.5}
    rss = sum((b - means[a]) ** 2 for a, b in zip(x, y))  # 2 + 2 + 5 = 9
    tss = sum((b - y.mean()) ** 2 for b in y)
    hand = 1 - (rss / (9 - 3)) / (tss / (9 - 1))
    found = coherence.main_effects(x[:, None], y, resamples=0)
    assert found.method[0] == "levels" and found.status[0] == "ok"
    assert found.estimate[0] == pytest.approx(hand)
    assert found.df[0] == pytest.approx(3)
    assert np.isnan(found.low[0]) and np.isnan(found.high[0])  # no bootstrap asked for


def test_a_linear_model_is_recovered_within_the_interval():
    # Y = X1 + 2 X2 + 3 X3 with independent uniform inputs: S_i = a_i² / Σ a_j² = 1/14, 4/14, 9/14
    rng = np.random.default_rng(7)
    x = rng.uniform(0, 1, (400, 3))
    y = x @ np.array([1.0, 2.0, 3.0])
    found = coherence.main_effects(x, y, resamples=500, seed=1)
    truth = np.array([1, 4, 9]) / 14
    assert (found.method == "spline").all()
    assert ((found.low <= truth) & (truth <= found.high)).all(), (found.low, found.estimate, found.high)
    assert np.abs(found.estimate - truth).max() < 0.05


def test_the_ishigami_function_is_recovered_within_the_interval():
    # a = 7, b = 0.1 on U(−π, π)³: S1 ≈ 0.3139, S2 ≈ 0.4424, S3 = 0 (analytic values)
    a, b = 7.0, 0.1
    v = a**2 / 8 + b * np.pi**4 / 5 + b**2 * np.pi**8 / 18 + 0.5
    truth = np.array([0.5 * (1 + b * np.pi**4 / 5) ** 2 / v, a**2 / 8 / v, 0.0])
    assert truth[0] == pytest.approx(0.3139, abs=1e-4) and truth[1] == pytest.approx(0.4424, abs=1e-4)
    rng = np.random.default_rng(11)
    x = rng.uniform(-np.pi, np.pi, (2000, 3))
    y = np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])
    found = coherence.main_effects(x, y, resamples=400, seed=3)
    assert ((found.low <= truth) & (truth <= found.high)).all(), (found.low, found.estimate, found.high)
    assert found.low[2] == 0.0  # no main effect: the interval reaches 0


def test_a_column_that_does_not_vary_or_never_applies_is_said_so():
    rng = np.random.default_rng(0)
    x = np.column_stack([rng.uniform(size=30), np.full(30, 5.0), rng.uniform(size=30)])
    y = x[:, 0] + rng.uniform(size=30)
    applies = np.ones(x.shape, bool)
    applies[:, 2] = False
    found = coherence.main_effects(x, y, applies, resamples=50)
    assert list(found.status) == ["ok", "no_variance", "exempt_everywhere"]
    assert np.isfinite(found.estimate[0]) and np.isnan(found.estimate[1:]).all()
    assert list(found.method) == ["spline", "", ""]


def test_resamples_in_chunks_give_the_same_interval():
    rng = np.random.default_rng(2)
    x = rng.uniform(size=(60, 2))
    y = x[:, 0] ** 2 + 0.3 * x[:, 1]
    one = coherence.main_effects(x, y, resamples=200, seed=5)
    chunked = coherence.main_effects(x, y, resamples=200, seed=5, chunk=64)
    # the same draws in a different grouping: identical resamples, identical intervals
    assert np.allclose(one.low, chunked.low) and np.allclose(one.high, chunked.high)


# -- the audit of a scored year ---------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_result():
    return wfscore.score(wfscore.load_year(SAMPLE))


@pytest.fixture(scope="module")
def sample_audit(sample_result):
    return coherence.audit(sample_result, resamples=200, seed=0)


def test_the_audit_of_the_sample_year(sample_result, sample_audit):
    ind = sample_audit.indicators
    r = sample_result
    assert list(ind["indicator"]) == [i.id for i in r.scheme.indicators]
    assert ind["weight_share"].sum() == pytest.approx(1.0)
    assert ind.loc[0, "weight_share"] == pytest.approx(r.scheme.indicators[0].weight / r.arrays.weight.sum())
    # correlation with the total over the departments the indicator applies to
    for i in (0, 4, 23):
        rows = ~r.exempt[:, i]
        assert ind.loc[i, "corr_total"] == pytest.approx(np.corrcoef(r.score[rows, i], r.total[rows])[0, 1])
        c = r.arrays.category_of[i]
        assert ind.loc[i, "corr_category"] == pytest.approx(np.corrcoef(r.score[rows, i], r.category[rows, c])[0, 1])
    ok = ind["status"] == "ok"
    assert (
        (ind["main_effect_low"] <= ind["main_effect"] + 1e-12) & (ind["main_effect"] <= ind["main_effect_high"] + 1e-12)
    )[ok].all()
    assert ind.loc[ok, "main_effect_share"].sum() == pytest.approx(1.0)
    assert set(sample_audit.categories.columns) >= {"category", "alpha", "pc1_share"}
    single = sample_audit.categories["indicators"] == 1
    assert sample_audit.categories.loc[single, "alpha"].isna().all()
    assert (sample_audit.categories.loc[single, "status"].str.len() > 0).all()
    pairs = sample_audit.pairs
    assert (pairs["corr"].abs() >= 0.9).all()
    m = sample_audit.correlation
    assert len(pairs) == int((np.abs(np.triu(m.to_numpy(), 1)) >= 0.9).sum())


def test_an_indicator_with_no_variance_is_reported_in_words(tiny):
    # no department has an achievement for b1: every score of b1 is 0
    import csv

    path = tiny / "achievements.csv"
    rows = list(csv.reader(open(path, encoding="utf-8")))
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([rows[0]] + [r for r in rows[1:] if r[1] != "b1"])
    result = wfscore.score(wfscore.load_year(tiny))
    assert (result.score[:, result.arrays.position["b1"]] == 0).all()
    a = coherence.audit(result, resamples=20)
    row = a.indicators.set_index("indicator").loc["b1"]
    assert row["status"] == "no_variance" and "得分相同" in row["status_text"]
    assert math.isnan(row["main_effect"]) and math.isnan(row["corr_total"])
    assert any("省级奖励" in s and "得分相同" in s for s in a.sentences())
    assert any("same score" in s for s in a.sentences("en"))


def test_a_wrong_direction_shows_as_a_negative_correlation_with_the_category(sample_result):
    # indicator 2 scored as if lower were better: it now runs against the rest of its category
    scheme = sample_result.scheme.model_copy(deep=True)
    scheme.indicator("2").direction = "lower"
    a = coherence.audit(wfscore.score(sample_result.data, scheme), resamples=0)
    assert list(a.negative["indicator"]) == ["2"]
    assert a.negative.loc[0, "corr_category"] < 0
    assert any("信息化规章制度" in s and "负相关" in s for s in a.sentences())
    official = coherence.audit(sample_result, resamples=0)
    assert official.negative.empty


def test_the_audit_over_a_what_if_scenario(sample_result):
    scheme, applied = with_weight(sample_result.scheme, "1", 300)
    changed = wfscore.score(sample_result.data, scheme)
    frame = coherence.scenario(sample_result, changed)
    row = frame.set_index("indicator").loc["1"]
    assert row["weight_share"] == pytest.approx(applied / (sample_result.arrays.weight.sum() - 70 + applied))
    assert row["weight_share"] > row["official_weight_share"]
    assert row["main_effect"] > row["official_main_effect"]  # more weight, more effect on the total
    assert row["change"] == pytest.approx(row["main_effect"] - row["official_main_effect"])


def test_the_audit_over_years():
    results = [wfscore.score(wfscore.load_year(ROOT / "data" / str(y))) for y in (2011, 2012, 2013)]
    frame = coherence.over_years(results, resamples=50)
    assert sorted(set(frame["year"])) == [2011, 2012, 2013]
    shared = set.intersection(*({i.id for i in r.scheme.indicators} for r in results))
    assert set(frame["indicator"]) <= shared
    assert len(frame) == 3 * frame["indicator"].nunique()


@pytest.mark.parametrize(
    "rules",
    [
        {},
        {"excellence": None},
        {"conversion": None},
        {"website_evaluation": None},
        {"security_incident": None, "major_incident": "none"},
        {"ratings": "mean"},
    ],
    ids=["all", "no-excellence", "no-conversion", "no-website", "no-incidents", "ratings-mean"],
)
def test_the_audit_for_every_kind_of_scheme(tmp_path, rules):
    folder = tmp_path / "y"
    shutil.copytree(TINY, folder)
    (folder / "scheme.yaml").write_text(tiny_scheme_with(**rules), encoding="utf-8")
    a = coherence.audit(wfscore.score(wfscore.load_year(folder)), resamples=30, lang="en")
    ind = a.indicators
    assert set(ind["status"]) <= set(coherence.STATUSES)
    assert ind.loc[ind["status"] == "ok", "main_effect"].notna().all()
    assert (ind["status_text"].str.len() > 0).all()
    assert a.sentences()


RULES = [
    {},
    {"excellence": None, "conversion": None},
    {"website_evaluation": None},
    {"security_incident": None, "major_incident": "none"},
    {"ratings": "median", "not_applicable": "section"},
]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(years(), st.sampled_from(RULES))
def test_random_years_never_give_an_unexplained_nan(tables, rules):
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_year(Path(tmp) / "y", tables, tiny_scheme_with(**rules))
        a = coherence.audit(wfscore.score(wfscore.load_year(folder)), resamples=20)
    ind = a.indicators
    assert set(ind["status"]) <= set(coherence.STATUSES)
    ok = ind["status"].isin(coherence.ASSESSED)
    assert ind.loc[ok, "main_effect"].notna().all()
    assert ind.loc[ok, "main_effect"].between(0, 1).all()
    assert ind.loc[~ok, "main_effect"].isna().all()
    assert ind.loc[~ok, ["main_effect_low", "main_effect_high"]].isna().all().all()
    with_interval = ind["status"] == "ok"
    assert ind.loc[with_interval, ["main_effect_low", "main_effect_high"]].notna().all().all()
    assert a.sentences()


def test_a_singular_system_falls_back_to_the_least_squares_solution():
    """A stack of normal equations where one system is singular (all zeros: an indicator
    constant in a resample) is still solved: the others exactly, that one by pinv."""
    import numpy as np

    from wfscore.analysis.pspline import _solve

    a = np.stack([np.array([[2.0, 0.0], [0.0, 4.0]]), np.zeros((2, 2))])
    b = np.array([[[2.0], [8.0]], [[1.0], [1.0]]])
    x = _solve(a, b)
    assert np.allclose(x[0, :, 0], [1.0, 2.0])  # 2·1 = 2, 4·2 = 8
    assert np.allclose(x[1], 0.0)  # pinv of the zero matrix is zero
