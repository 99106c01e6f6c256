"""The experts' agreement (wfscore.review.agreement) against figures worked out by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

import wfscore
from wfscore.review import agreement

# 3 experts × 4 departments, with one tie (E2 gives D1 and D2 85).
TABLE = {
    "E1": {"D1": 90, "D2": 80, "D3": 70, "D4": 60},
    "E2": {"D1": 85, "D2": 85, "D3": 60, "D4": 70},
    "E3": {"D1": 70, "D2": 90, "D3": 80, "D4": 50},
}


def hand_worked_w() -> float:
    """Kendall's W with the tie correction, step by step on paper.

    Ranks (1 = lowest rating) per expert:
      E1: D1 4, D2 3, D3 2, D4 1
      E2: D1 3.5, D2 3.5, D3 1, D4 2     (D1, D2 tied: one group of t = 2, T = 2³ − 2 = 6)
      E3: D1 2, D2 4, D3 3, D4 1
    Rank sums R: D1 9.5, D2 10.5, D3 6, D4 4 (total 30 = m n (n + 1) / 2); mean 7.5.
    S = 2² + 3² + 1.5² + 3.5² = 4 + 9 + 2.25 + 12.25 = 27.5.
    W = 12 S / (m² (n³ − n) − m ΣT) = 330 / (9 × 60 − 3 × 6) = 330 / 522 = 55 / 87.
    """
    return 55 / 87


def test_kendall_w_by_hand():
    table = np.array([[TABLE[e][d] for d in ("D1", "D2", "D3", "D4")] for e in ("E1", "E2", "E3")])
    w, chi2, p = agreement.kendall_w(table)
    assert w == pytest.approx(hand_worked_w(), abs=1e-12)
    assert chi2 == pytest.approx(3 * 3 * 55 / 87, abs=1e-12)  # m (n − 1) W
    # p of χ² with 3 degrees of freedom: 1 − CDF; for 3 df the CDF has a closed form
    x = chi2
    cdf = math.erf(math.sqrt(x / 2)) - math.sqrt(2 * x / math.pi) * math.exp(-x / 2)
    assert p == pytest.approx(1 - cdf, abs=1e-12)


def test_ranks_and_p_as_scipy_stats():
    """The ranks (ties at their mean) and the p value are scipy.stats' own, on tables full of ties."""
    from scipy import stats

    rng = np.random.default_rng(7)
    for _ in range(300):
        m, n = int(rng.integers(2, 7)), int(rng.integers(2, 30))
        table = rng.integers(0, 6, size=(m, n)) * 12.5 + 20
        ranks = np.apply_along_axis(agreement._mean_ranks, 1, table)
        assert np.array_equal(ranks, stats.rankdata(table, axis=1))
        w, chi2, p = agreement.kendall_w(table)
        if not math.isnan(w):
            assert p == float(stats.chi2.sf(chi2, n - 1))


def test_perfect_and_reversed_agreement():
    same = np.array([[1, 2, 3, 4, 5]] * 4)
    assert agreement.kendall_w(same)[0] == pytest.approx(1.0)
    # two experts in exactly opposite order: rank sums all equal, S = 0
    assert agreement.kendall_w(np.array([[1, 2, 3], [3, 2, 1]]))[0] == pytest.approx(0.0)
    assert math.isnan(agreement.kendall_w(np.array([[70, 80]]))[0])  # one expert: no agreement to measure
    assert math.isnan(agreement.kendall_w(np.array([[70, 70], [60, 60]]))[0])  # nothing to order


@pytest.fixture
def panel_year(tiny):
    """The tiny year with i1 rated by the 3 experts of TABLE on D1–D4, plus E3 on D5 alone."""
    rows = ["dept_id,indicator,expert,rating"]
    rows += [f"{d},i1,{e},{r}" for e, ratings in TABLE.items() for d, r in ratings.items()]
    rows += ["D5,i1,E3,100"]
    (tiny / "ratings.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return wfscore.load_year(tiny)


def test_the_panel_of_an_indicator(panel_year):
    panel = agreement.panel(panel_year)
    assert panel["indicator"].tolist() == ["i1"]
    row = panel.iloc[0]
    assert (row["experts"], row["departments"]) == (3, 4)  # D5, rated by one expert, is left out of W
    assert row["w"] == pytest.approx(hand_worked_w())


def test_each_experts_deviation_and_the_far_ratings(panel_year):
    experts = agreement.experts(panel_year).set_index("expert")
    # E1 minus the mean of the other two, department by department:
    #   D1 90 − (85 + 70)/2 = 12.5; D2 80 − (85 + 90)/2 = −7.5; D3 70 − (60 + 80)/2 = 0; D4 60 − (70 + 50)/2 = 0
    assert experts.loc["E1", "bias"] == pytest.approx((12.5 - 7.5 + 0 + 0) / 4)
    assert experts.loc["E1", "spread"] == pytest.approx((12.5 + 7.5 + 0 + 0) / 4)
    # E3: D1 70 − 87.5 = −17.5; D2 90 − 82.5 = 7.5; D3 80 − 65 = 15; D4 50 − 65 = −15 (D5: nobody to compare)
    assert experts.loc["E3", "ratings"] == 4
    assert experts.loc["E3", "bias"] == pytest.approx((-17.5 + 7.5 + 15 - 15) / 4)
    # far: 20 points or more from the others' mean; none here, so raise one rating
    assert agreement.far_ratings(panel_year).empty


def test_a_rating_far_from_the_others_is_flagged(tiny):
    rows = [
        "dept_id,indicator,expert,rating",
        "D1,i1,E1,90",
        "D1,i1,E2,88",
        "D1,i1,E3,60",  # 60 − 89 = −29
        "D2,i1,E1,70",
        "D2,i1,E2,72",
        "D2,i1,E3,52",  # 52 − 71 = −19: not far
        "D3,i1,E1,80",
        "D3,i1,E2,60",
    ]  # only one other rating: never flagged
    (tiny / "ratings.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    year = wfscore.load_year(tiny)
    far = agreement.far_ratings(year)
    assert far[["line", "dept_id", "expert", "rating"]].values.tolist() == [[4, "D1", "E3", 60.0]]
    assert far.iloc[0]["deviation"] == pytest.approx(-29)
    assert agreement.panel(year).iloc[0]["flagged"] == 1


# -- random years (tests/yeargen.py) --------------------------------------------------------

import itertools  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

from hypothesis import (  # noqa: E402
    HealthCheck,
    given,
    settings,
    strategies as st,  # noqa: E402
)

from yeargen import write_year, years  # noqa: E402


def w_by_pairs(table: np.ndarray) -> float:
    """W without ties from the mean Spearman correlation over expert pairs: W = ((m − 1) ρ̄ + 1) / m,
    an identity independent of the rank-sum formula (valid when no expert ties)."""
    m = len(table)
    ranks = [np.argsort(np.argsort(row)) for row in table]
    rhos = [np.corrcoef(a, b)[0, 1] for a, b in itertools.combinations(ranks, 2)]
    return ((m - 1) * float(np.mean(rhos)) + 1) / m


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 6), st.integers(3, 9), st.randoms(use_true_random=False))
def test_kendall_w_agrees_with_the_spearman_identity(m, n, rnd):
    table = np.array([rnd.sample(range(100), n) for _ in range(m)], dtype=float)  # no ties within a row
    assert agreement.kendall_w(table)[0] == pytest.approx(w_by_pairs(table), abs=1e-9)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(years())
def test_every_random_year_has_a_sound_panel(tables):
    with tempfile.TemporaryDirectory() as tmp:
        year = wfscore.load_year(write_year(Path(tmp) / "y", tables))
        panel = agreement.panel(year)
        experts = agreement.experts(year)
        far = agreement.far_ratings(year)
    w = panel["w"].dropna()
    assert ((w >= -1e-12) & (w <= 1 + 1e-12)).all()
    assert set(panel["indicator"]) == set(year.tables["ratings"]["indicator"])
    assert int(panel["flagged"].sum()) == len(far) == int(experts["flagged"].sum())
    assert (far["deviation"].abs() >= agreement.FAR).all()
