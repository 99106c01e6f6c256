"""The whole of SPEC §5 on the tiny year, worked out by hand, and on the 2011 sample
and random years against the plain reference implementation (tests/reference.py).

The tiny year (tests/data/tiny), scheme of 150 points:
  A 指标考核 100 = c1 (i1 30 ratings, i2 10 lower-is-better) + c2 website (i3 20, i4 10)
                   + c3 security (i5 30)
  B 自查考核 20 = c4 (s1 20, direct)
  C 奖励考核 30 = c5 (b1 20, b2 10, binary)
Rules: category redistribution, website evaluation for kind gov (category c2),
security incidents zero c3, major incidents disqualify, trimmed mean, 2 decimals,
excellence share 0.5, conversion to 10 points.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

import wfscore
from helpers import SAMPLE, TINY
from reference import reference
from yeargen import tiny_scheme_with, write_year, years


def by_dept(result):
    return result.ranking.set_index("dept_id")


@pytest.fixture(scope="module")
def tiny_result():
    return wfscore.score(wfscore.load_year(TINY))


# Effective weights by hand (step 3, category redistribution):
#   D4 has i3 exempt: c2's 30 points go to i4 alone: W_i4 = 10 × 30/10 = 30.
#   D5 has all of c2 exempt: section A's non-empty categories c1 (40) and c3 (30)
#   share its 100 points: P'_c1 = 40 × 100/70, P'_c3 = 30 × 100/70, so
#   W_i1 = 30 × (4000/70)/40 = 300/7, W_i2 = 100/7, W_i5 = 300/7.
HAND_W = {
    ("D4", "i3"): 0.0,
    ("D4", "i4"): 30.0,
    ("D4", "i1"): 30.0,
    ("D5", "i1"): 300 / 7,
    ("D5", "i2"): 100 / 7,
    ("D5", "i3"): 0.0,
    ("D5", "i4"): 0.0,
    ("D5", "i5"): 300 / 7,
    ("D1", "i1"): 30.0,
    ("D6", "i2"): 10.0,  # D6's exemption of i2 is not confirmed
}

# Indicator scores by hand. Bases: M_i1 = 100 (D2: 100,100,100 → trimmed 100);
# m_i2 = 1 (D4); M_i3 = 10 (D3; D1's value 40 is ignored: D1 is gov, overridden);
# M_i4 = 6 (D3, D7); M_i5 = 10 (D2, whose incident does not remove it from the base).
HAND_SCORES = {
    # D1 gov: i1 trimmed mean of 90,80,70,100,40 = (90+80+70)/3 = 80 → 30 × 80/100
    ("D1", "i1"): 24.0,
    ("D1", "i2"): 10 * 1 / 2,
    ("D1", "i3"): 80 / 100 * 20,
    ("D1", "i4"): 80 / 100 * 10,  # website evaluation 80
    ("D1", "i5"): 30 * 9 / 10,
    ("D1", "s1"): 15.0,
    ("D1", "b1"): 20.0,
    ("D1", "b2"): 0.0,
    # D2 gov, major incident: c3 zeroed; evaluation 50
    ("D2", "i1"): 30.0,
    ("D2", "i2"): 10 * 1 / 4,
    ("D2", "i3"): 10.0,
    ("D2", "i4"): 5.0,
    ("D2", "i5"): 0.0,
    ("D2", "s1"): 18.0,
    ("D2", "b1"): 20.0,
    ("D2", "b2"): 10.0,
    # D3 party: i1 mean of two ratings (50+70)/2 = 60; i2 missing → 0; b1 not confirmed
    ("D3", "i1"): 18.0,
    ("D3", "i2"): 0.0,
    ("D3", "i3"): 20.0,
    ("D3", "i4"): 10.0,
    ("D3", "i5"): 15.0,
    ("D3", "s1"): 20.0,
    ("D3", "b1"): 0.0,
    # D4 party: one rating 40; i2 = 1 is the minimum; i4 carries c2: 30 × 3/6
    ("D4", "i1"): 12.0,
    ("D4", "i2"): 10.0,
    ("D4", "i3"): 0.0,
    ("D4", "i4"): 15.0,
    ("D4", "i5"): 24.0,
    ("D4", "s1"): 10.0,
    ("D4", "b1"): 20.0,  # two achievements still 20
    # D5 org: i1 four ratings of 80 → trimmed 80
    ("D5", "i1"): 300 / 7 * 0.8,
    ("D5", "i2"): 100 / 7 / 5,
    ("D5", "i5"): 300 / 7 * 0.6,
    ("D5", "s1"): 12.5,
    ("D5", "b2"): 10.0,
    # D6 party, ordinary incident: c3 zeroed; i1 trimmed of 90,50,40 = 50
    ("D6", "i1"): 15.0,
    ("D6", "i2"): 5.0,
    ("D6", "i3"): 16.0,
    ("D6", "i4"): 10 * 4 / 6,
    ("D6", "i5"): 0.0,
    ("D6", "s1"): 16.0,
}

HAND_TOTALS = {
    "D1": 24 + 5 + 16 + 8 + 27 + 15 + 20,  # 115
    "D2": 30 + 2.5 + 10 + 5 + 0 + 18 + 20 + 10,  # 95.5
    "D3": 18 + 0 + 20 + 10 + 15 + 20,  # 83
    "D4": 12 + 10 + 15 + 24 + 10 + 20,  # 91
    "D5": 240 / 7 + 20 / 7 + 180 / 7 + 12.5 + 10,  # 85.357142…
    "D6": 15 + 5 + 16 + 20 / 3 + 16,  # 58.666…
    "D7": 18 + 0 + 20 + 10 + 15 + 20,  # same data as D3: 83
}


def test_tiny_effective_weights(tiny_result):
    r = tiny_result
    for (dept, ind), expected in HAND_W.items():
        got = r.effective_weight[r.position(dept), r.arrays.position[ind]]
        assert got == pytest.approx(expected, abs=1e-12), (dept, ind)


def test_tiny_indicator_scores(tiny_result):
    r = tiny_result
    for (dept, ind), expected in HAND_SCORES.items():
        got = r.score[r.position(dept), r.arrays.position[ind]]
        assert got == pytest.approx(expected, abs=1e-12), (dept, ind)


def test_tiny_totals_sections_and_categories(tiny_result):
    table = by_dept(tiny_result)
    for dept, total in HAND_TOTALS.items():
        assert table.loc[dept, "total"] == pytest.approx(total, abs=1e-12)
    assert table.loc["D5", "c1"] == pytest.approx(260 / 7)
    assert table.loc["D5", "c2"] == 0
    assert table.loc["D4", "A"] == pytest.approx(61)
    assert table.loc["D2", "C"] == pytest.approx(30)
    assert table.loc["D6", "c3"] == 0


def test_tiny_ranks_ties_eligibility_excellence_conversion(tiny_result):
    table = by_dept(tiny_result)
    assert table["rank"].to_dict() == {"D1": 1, "D2": 2, "D4": 3, "D5": 4, "D3": 5, "D7": 5, "D6": 7}
    assert list(table.index) == ["D1", "D2", "D4", "D5", "D3", "D7", "D6"]
    assert table["eligible"].to_dict() == {d: d != "D2" for d in table.index}
    # n = ceil(0.5 × 7) = 4 eligible in rank order: D1, D4, D5, D3; D7 ties with D3.
    assert set(table.index[table["excellent"]]) == {"D1", "D4", "D5", "D3", "D7"}
    assert table.loc["D1", "converted"] == pytest.approx(115 * 10 / 150)


def test_tiny_bases_and_values(tiny_result):
    r = tiny_result
    base = dict(zip(r.arrays.indicator_ids, r.base))
    assert base["i1"] == 100 and base["i2"] == 1 and base["i3"] == 10 and base["i4"] == 6 and base["i5"] == 10
    assert np.isnan(base["s1"]) and np.isnan(base["b1"])
    d1 = r.position("D1")
    assert r.value[d1, r.arrays.position["i1"]] == 80
    assert np.isnan(r.value[d1, r.arrays.position["i3"]])  # overridden: the value 40 is not used
    assert r.value[r.position("D4"), r.arrays.position["b1"]] == 2  # two confirmed achievements


def test_section_redistribution_by_hand(tmp_path):
    # D4 (i3 exempt): section A's live weights 30+10+10+30 = 80, so W = w × 100/80.
    folder = tmp_path / "y"
    import shutil

    shutil.copytree(TINY, folder)
    (folder / "scheme.yaml").write_text(tiny_scheme_with(not_applicable="section"), encoding="utf-8")
    table = by_dept(wfscore.score(wfscore.load_year(folder)))
    assert table.loc["D4", "total"] == pytest.approx(37.5 * 0.4 + 12.5 * 1 + 12.5 * 0.5 + 37.5 * 0.8 + 10 + 20)
    assert table.loc["D1", "total"] == pytest.approx(115)  # nothing exempt: unchanged


def test_no_redistribution_by_hand(tmp_path):
    folder = tmp_path / "y"
    import shutil

    shutil.copytree(TINY, folder)
    (folder / "scheme.yaml").write_text(tiny_scheme_with(not_applicable="none"), encoding="utf-8")
    table = by_dept(wfscore.score(wfscore.load_year(folder)))
    assert table.loc["D4", "total"] == pytest.approx(12 + 10 + 10 * 3 / 6 + 24 + 10 + 20)  # 81
    assert table.loc["D5", "total"] == pytest.approx(24 + 2 + 18 + 12.5 + 10)  # 66.5


@pytest.mark.parametrize(
    "method, d1_i1, d6_i1",
    [
        ("mean", 30 * 76 / 100, 30 * 60 / 100),  # (90+80+70+100+40)/5 = 76; (90+50+40)/3 = 60
        ("median", 30 * 80 / 100, 30 * 50 / 100),
        ("trimmed_mean", 30 * 80 / 100, 30 * 50 / 100),
    ],
)
def test_ratings_aggregation_by_hand(tmp_path, method, d1_i1, d6_i1):
    import shutil

    folder = tmp_path / "y"
    shutil.copytree(TINY, folder)
    (folder / "scheme.yaml").write_text(tiny_scheme_with(ratings=method), encoding="utf-8")
    r = wfscore.score(wfscore.load_year(folder))
    i1 = r.arrays.position["i1"]
    assert r.score[r.position("D1"), i1] == pytest.approx(d1_i1)
    assert r.score[r.position("D6"), i1] == pytest.approx(d6_i1)


def test_scenario_scheme_scores_like_a_loaded_one(tmp_path):
    year = wfscore.load_year(TINY)
    scenario = year.scheme.model_copy(deep=True)
    scenario.rules.not_applicable = "section"
    import shutil

    shutil.copytree(TINY, tmp_path / "y")
    (tmp_path / "y" / "scheme.yaml").write_text(scenario.to_yaml(), encoding="utf-8")
    from_file = wfscore.score(wfscore.load_year(tmp_path / "y"))
    assert np.array_equal(wfscore.score(year, scenario).total, from_file.total)


def test_a_scheme_with_other_indicators_is_refused():
    year = wfscore.load_year(TINY)
    other = year.scheme.model_copy(deep=True)
    other.sections[0].categories[0].indicators[0].id = "x1"
    with pytest.raises(ValueError, match="indicators differ"):
        wfscore.score(year, other)


# -- agreement with the reference implementation ------------------------------


def assert_matches_reference(result):
    expected = reference(result.data, result.scheme)
    ids = result.arrays.indicator_ids
    for d, dept in enumerate(result.data.dept_ids):
        exp = expected[dept]
        np.testing.assert_allclose(result.effective_weight[d], [exp["W"][i] for i in ids], atol=1e-9, rtol=0)
        np.testing.assert_allclose(result.score[d], [exp["score"][i] for i in ids], atol=1e-9, rtol=0)
        assert result.total[d] == pytest.approx(exp["total"], abs=1e-9)
        assert result.rank[d] == exp["rank"], dept
        assert result.eligible[d] == exp["eligible"], dept
        if result.excellent is not None:
            assert result.excellent[d] == exp["excellent"], dept
        if result.converted is not None:
            assert result.converted[d] == pytest.approx(exp["converted"], abs=1e-9)


def test_sample_year_matches_reference():
    assert_matches_reference(wfscore.score(wfscore.load_year(SAMPLE)))


@pytest.mark.parametrize("mode", ["section", "none"])
def test_sample_year_matches_reference_in_other_modes(mode):
    year = wfscore.load_year(SAMPLE)
    scheme = year.scheme.model_copy(deep=True)
    scheme.rules.not_applicable = mode
    scheme.rules.ratings = "median"
    assert_matches_reference(wfscore.score(year, scheme))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables=years(), mode=..., ratings=...)
def test_random_years_match_reference(tables, mode: bool, ratings: bool):
    rules = {"not_applicable": ["category", "section"][mode], "ratings": ["trimmed_mean", "median"][ratings]}
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_year(Path(tmp) / "y", tables, tiny_scheme_with(**rules))
        assert_matches_reference(wfscore.score(wfscore.load_year(folder)))


# -- incidents.csv's optional confirmed column --------------------------------


def test_only_confirmed_incidents_count(tiny):
    # D2's major incident is not confirmed: its c3 is not zeroed (i5 = 10 is the base:
    # 30 × 10/10) and it keeps its eligibility; D6's confirmed incident still zeroes c3.
    (tiny / "incidents.csv").write_text(
        "dept_id,date,severity,description,confirmed\n"
        "D2,2011-08-11,major,数据泄露,false\n"
        "D6,2011/3/5,ordinary,网页被篡改,是\n",
        encoding="utf-8",
    )
    result = wfscore.score(wfscore.load_year(tiny))
    table = by_dept(result)
    assert table.loc["D2", "c3"] == pytest.approx(30)
    assert table.loc["D2", "total"] == pytest.approx(95.5 + 30)
    assert table.loc["D2", "eligible"]
    assert table.loc["D6", "c3"] == 0 and table.loc["D6", "total"] == pytest.approx(HAND_TOTALS["D6"])
    log = result.adjustments(lang="en")
    assert set(log.loc[log["kind"] == "security_incident", "dept_id"]) == {"D6"}
    assert "disqualification" not in set(log["kind"])
    text = wfscore.explain(result, "D2")
    assert "2011-08-11 重大: 数据泄露 (未确认，不计)" in text
    assert "2011/3/5 一般: 网页被篡改" in wfscore.explain(result, "D6")
    assert_matches_reference(result)


def test_sample_year_with_unconfirmed_incidents_matches_reference(sample):
    path = sample / "incidents.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    flags = ["confirmed"] + ["false" if n % 2 else "true" for n in range(1, len(lines))]
    path.write_text("".join(f"{line},{flag}\n" for line, flag in zip(lines, flags)), encoding="utf-8")
    year = wfscore.load_year(sample)
    assert 0 < year.incidents.sum() < len(year.tables["incidents"])
    assert_matches_reference(wfscore.score(year))
