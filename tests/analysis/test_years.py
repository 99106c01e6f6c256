"""Years side by side (wfscore.analysis.years): departments followed through renames and mergers,
and the decomposition of each change into own and scheme parts, worked out by hand on
small years as tests/engine/test_pipeline.py does for one year."""

from __future__ import annotations

import numpy as np
import pytest

import wfscore
from helpers import SAMPLE
from twoyears import direct_year, tiny_as, write
from wfscore.analysis import years

# -- the decomposition, worked out by hand --------------------------------------------------------------

# 2020: c1 (60) = i1 40 + i2 20; c2 (40) = i3 40.
# 2021: c1 re-weighted and i2 dropped: c1 (50) = i1 50; c2 (50) = i3 30 + i4 20 (i4 added).
SCHEME_2020 = """year: 2020
title: 分解示例 2020
kinds: {gov: 政府机关}
sections:
  - id: A
    name: 指标考核
    points: 100
    categories:
      - {id: c1, name: 工作体系, points: 60, indicators: [{id: i1, name: 机制, weight: 40},
                                                           {id: i2, name: 制度, weight: 20}]}
      - {id: c2, name: 网站, points: 40, indicators: [{id: i3, name: 发布, weight: 40}]}
"""
SCHEME_2021 = """year: 2021
title: 分解示例 2021
kinds: {gov: 政府机关}
sections:
  - id: A
    name: 指标考核
    points: 100
    categories:
      - {id: c1, name: 工作体系, points: 50, indicators: [{id: i1, name: 机制, weight: 50}]}
      - {id: c2, name: 网站, points: 50, indicators: [{id: i3, name: 发布, weight: 30},
                                                       {id: i4, name: 微博, weight: 20}]}
"""


@pytest.fixture(scope="module")
def decomposed(tmp_path_factory):
    root = tmp_path_factory.mktemp("decomposition")
    depts = [["D1", "一号局", "gov"], ["D2", "二号局", "gov"]]
    write(
        root / "2020",
        SCHEME_2020,
        depts,
        [["D1", "i1", 10], ["D1", "i2", 5], ["D1", "i3", 8], ["D2", "i1", 5], ["D2", "i2", 10], ["D2", "i3", 4]],
    )
    write(
        root / "2021",
        SCHEME_2021,
        depts,
        [["D1", "i1", 8], ["D1", "i3", 8], ["D1", "i4", 2], ["D2", "i1", 10], ["D2", "i3", 2], ["D2", "i4", 4]],
    )
    return years.compare([wfscore.load_year(root / "2020"), wfscore.load_year(root / "2021")])


def test_the_decomposition_by_hand(decomposed):
    # Bases: 2020 i1 10, i2 10, i3 8; 2021 i1 10, i3 8, i4 4.
    # Published totals: 2020 D1 = 40·10/10 + 20·5/10 + 40·8/8 = 90;  D2 = 40·5/10 + 20·10/10 + 40·4/8 = 60.
    #                   2021 D1 = 50·8/10 + 30·8/8 + 20·2/4 = 80;     D2 = 50·10/10 + 30·2/8 + 20·4/4 = 77.5.
    # Common indicators: i1, i3. 2020's scheme on them: c1 keeps 60 (i1 60), c2 40 (i3 40);
    #                            2021's: c1 50 (i1 50), c2 50 (i3 50).
    # A (2020 data, 2020|C): D1 = 60·1 + 40·1 = 100;       D2 = 60·0.5 + 40·0.5 = 50.
    # B (2021 data, 2020|C): D1 = 60·0.8 + 40·1 = 88;      D2 = 60·1 + 40·0.25 = 70.
    # E (2021 data, 2021|C): D1 = 50·0.8 + 50·1 = 90;      D2 = 50·1 + 50·0.25 = 62.5.
    # D1: own = 88 − 100 = −12; reweighting = 90 − 88 = 2; indicator set = (80 − 90) + (100 − 90) = 0.
    # D2: own = 70 − 50 = 20; reweighting = 62.5 − 70 = −7.5; indicator set = (77.5 − 62.5) + (50 − 60) = 5.
    d = decomposed.decomposition.set_index("dept_id")
    expected = {"D1": (90, 80, -10, -12, 2, 0, 2, 100, 88, 90), "D2": (60, 77.5, 17.5, 20, -7.5, 5, -2.5, 50, 70, 62.5)}
    columns = [
        "previous_total",
        "total",
        "change",
        "own",
        "reweighting",
        "indicator_set",
        "scheme",
        "previous_restricted",
        "now_under_previous",
        "now_restricted",
    ]
    for dept, values in expected.items():
        assert d.loc[dept, columns].to_numpy(dtype=float) == pytest.approx(values, abs=1e-9), dept
    assert d["compared"].all()
    assert decomposed.common[2021] == ("i1", "i3")


def test_what_could_not_be_compared_is_reported(decomposed):
    got = decomposed.not_compared[["year", "item", "id", "name"]].values.tolist()
    assert got == [[2021, "indicator_dropped", "i2", "制度"], [2021, "indicator_added", "i4", "微博"]]


def test_shares_are_of_each_years_points(decomposed):
    s = decomposed.shares.set_index(["year", "dept_id", "category"])
    # 2020 D2: c1 (20 + 20)/60, c2 20/40; 2021 D2: c1 50/50, c2 (7.5 + 20)/50
    assert s.loc[(2020, "D2", "c1"), "share"] == pytest.approx(40 / 60)
    assert s.loc[(2021, "D2", "c2"), "share"] == pytest.approx(0.55)
    assert s.loc[(2021, "D2", "c2"), "points"] == 50
    assert s.loc[(2021, "D2", "c1"), "share_change"] == pytest.approx(1 - 40 / 60)
    assert s.loc[(2021, "D2", "c2"), "previous_share"] == pytest.approx(0.5)


# -- renames and mergers, worked out by hand -------------------------------------------------------------

# DIRECT scheme: total = d1 + d2 (c1 out of 60, c2 out of 40).
Y2020 = [
    ("D1", "一号局", 50, 30),
    ("D2", "二号局", 40, 30),
    ("D3", "三号局", 30, 20),
    ("D4", "四号局", 55, 35),
    ("D5", "五号局", 20, 10),
]
# totals 80, 70, 50, 90, 30 → ranks D4 1, D1 2, D2 3, D3 4, D5 5
Y2021 = [
    ("D1", "一号局", 40, 20),
    ("D2", "二号局（更名）", 55, 35),
    ("X3", "三号局", 45, 30, "D3"),
    ("M45", "四五局", 50, 30, "D4;D5"),
    ("N6", "六号局", 30, 20),
]
# totals 60, 90, 75, 80, 50 → ranks D2 1, M45 2, X3 3, D1 4, N6 5
Y2022 = [
    ("D1", "一号局", 40, 20),
    ("D2", "二号局（更名）", 55, 35),
    ("X3", "三号局", 45, 30),
    ("G9", "卫计委", 20, 10, "M45"),
    ("N6", "六号局", 30, 20),
]
# totals 60, 90, 75, 30, 50 → ranks D2 1, X3 2, D1 3, N6 4, G9 5


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    root = tmp_path_factory.mktemp("lineage")
    loaded = [
        wfscore.load_year(direct_year(root / str(y), y, rows))
        for y, rows in ((2020, Y2020), (2021, Y2021), (2022, Y2022))
    ]
    return years.compare(loaded)


def test_renames_and_mergers_are_followed(run):
    t = run.year(2021).set_index("dept_id")
    assert t["status"].to_dict() == {"D2": "renamed", "M45": "merged", "X3": "renamed", "D1": "same", "N6": "new"}
    assert t["previous_ids"].to_dict() == {"D2": "D2", "M45": "D4;D5", "X3": "D3", "D1": "D1", "N6": ""}
    assert t["rank"].to_dict() == {"D2": 1, "M45": 2, "X3": 3, "D1": 4, "N6": 5}
    # D1 2 → 4; D2 3 → 1; X3 (was D3) 4 → 3; M45: the mean of 90 and 30 is 60, which 2020's
    # 90, 80 and 70 beat: rank 4 → 2; N6 is new.
    assert t["previous_rank"].to_dict() == pytest.approx(
        {"D2": 3, "M45": 4, "X3": 4, "D1": 2, "N6": np.nan}, nan_ok=True
    )
    assert t["rank_change"].to_dict() == pytest.approx(
        {"D2": 2, "M45": 2, "X3": 1, "D1": -2, "N6": np.nan}, nan_ok=True
    )
    assert t["previous_total"].to_dict() == pytest.approx(
        {"D2": 70, "M45": 60, "X3": 50, "D1": 80, "N6": np.nan}, nan_ok=True
    )
    assert t.loc["M45", "total_change"] == pytest.approx(20)


def test_a_merged_departments_shares_are_its_predecessors_mean(run):
    s = run.shares.set_index(["year", "dept_id", "category"])
    # M45 2021: c1 50/60; before: D4 55/60 and D5 20/60, mean 37.5/60
    assert s.loc[(2021, "M45", "c1"), "share"] == pytest.approx(50 / 60)
    assert s.loc[(2021, "M45", "c1"), "previous_share"] == pytest.approx(37.5 / 60)
    assert np.isnan(s.loc[(2021, "N6", "c2"), "previous_share"])


def test_the_same_scheme_puts_every_change_on_the_department(run):
    d = run.decomposition[run.decomposition["compared"]]
    np.testing.assert_allclose(d["own"], d["change"], atol=1e-9)
    np.testing.assert_allclose(d["scheme"], 0, atol=1e-9)
    assert list(run.decomposition[~run.decomposition["compared"]]["dept_id"]) == ["N6"]


def test_a_chain_of_renames_and_a_merger_is_followed_back(run):
    assert run.ancestors(2022, "G9", 2020) == ["D4", "D5"]
    assert run.ancestors(2022, "X3", 2020) == ["D3"]
    assert run.ancestors(2022, "N6", 2020) == []
    paths = run.rank_paths().set_index("dept_id")
    assert paths.loc["G9", 2020] == [1, 5] and paths.loc["G9", 2021] == [2] and paths.loc["G9", 2022] == [5]
    assert paths.loc["G9", "net_change"] == pytest.approx(3 - 5)  # mean of 1 and 5, to 5
    assert paths.loc["X3", 2020] == [4] and paths.loc["X3", "net_change"] == pytest.approx(4 - 2)
    assert np.isnan(paths.loc["N6", "net_change"])
    assert set(paths.index) == {"D1", "D2", "X3", "G9", "N6"}  # nothing ended in this run


def test_movers_are_the_largest_rises_and_falls(run):
    risers, fallers = run.movers(2021, 5)
    assert list(risers["dept_id"]) == ["D2", "M45", "X3"]  # +2 (rank 1), +2 (rank 2), +1
    assert list(fallers["dept_id"]) == ["D1"]


def test_a_department_without_successor_is_reported(tmp_path):
    loaded = [
        wfscore.load_year(direct_year(tmp_path / "2020", 2020, Y2020[:3])),
        wfscore.load_year(direct_year(tmp_path / "2021", 2021, [("D1", "一号局", 1, 1)])),
    ]
    comp = years.compare(loaded)
    ended = comp.not_compared[comp.not_compared["item"] == "department_ended"]
    assert list(ended["id"]) == ["D2", "D3"] and list(ended["name"]) == ["二号局", "三号局"]
    assert set(comp.rank_paths()["dept_id"]) == {"D1", "D2", "D3"}


# -- what compare refuses ---------------------------------------------------------------------------------


def test_years_must_be_consecutive(tmp_path):
    a = wfscore.load_year(direct_year(tmp_path / "2020", 2020, Y2020))
    c = wfscore.load_year(direct_year(tmp_path / "2022", 2022, Y2020))
    with pytest.raises(ValueError, match=r"years 2020, 2022 are not a run of consecutive years"):
        years.compare([a, c])
    with pytest.raises(ValueError, match="no years to compare"):
        years.compare([])


def test_an_unknown_previous_id_stops_the_comparison_even_outside_sibling_folders(tmp_path):
    # folders not named by the year: loading cannot find the previous year; the comparison can
    a = wfscore.load_year(direct_year(tmp_path / "first", 2020, Y2020))
    b = wfscore.load_year(direct_year(tmp_path / "second", 2021, [("X3", "三号局", 1, 1, "D3;D9")]))
    with pytest.raises(wfscore.InputError) as exc:
        years.compare([a, b])
    assert [str(p) for p in exc.value.errors] == [
        "departments.csv line 2, column previous_ids: 'D9' is not a department of the previous year "
        "(expected a dept_id of first/departments.csv)"
    ]


def test_a_year_compared_with_its_own_copy_moves_nothing(tmp_path):
    comp = years.compare(
        [wfscore.load_year(tiny_as(tmp_path / "2011", 2011)), wfscore.load_year(tiny_as(tmp_path / "2012", 2012))]
    )
    rows = comp.year(2012)
    assert (rows["status"] == "same").all() and (rows["rank_change"] == 0).all()
    d = comp.decomposition
    np.testing.assert_allclose(d[["change", "own", "reweighting", "indicator_set"]].to_numpy(dtype=float), 0, atol=1e-9)
    assert comp.not_compared.empty


# -- the sample years ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_run():
    return years.compare([wfscore.load_year(SAMPLE.parent / str(y)) for y in (2011, 2012, 2013)])


def test_the_sample_years_rename_merge_and_add_departments(sample_run):
    t = sample_run.table
    counts = t[t["year"] > 2011].groupby(["year", "status"]).size().to_dict()
    assert counts[(2012, "renamed")] == 2 and counts[(2012, "new")] == 1
    assert counts[(2013, "renamed")] == 2 and counts[(2013, "merged")] == 1
    merged = t[(t["year"] == 2013) & (t["status"] == "merged")].iloc[0]
    assert merged["name"] == "市卫生和计划生育委员会" and merged["previous_ids"] == "G24;G25"


def test_the_sample_ranks_correlate_with_real_movers(sample_run):
    for year in (2012, 2013):
        rows = sample_run.year(year).dropna(subset=["previous_rank"])
        rho = np.corrcoef(rows["rank"], rows["previous_rank"])[0, 1]  # correlation of the ranks
        assert 0.75 < rho < 0.99, (year, rho)
        assert (rows["rank_change"].abs() >= 20).sum() >= 3, year


def test_the_sample_schemes_drift_and_say_what_was_compared(sample_run):
    items = sample_run.not_compared.groupby(["year", "item"])["id"].apply(list).to_dict()
    assert items[(2012, "indicator_dropped")] == ["13"] and items[(2012, "indicator_added")] == ["27"]
    assert items[(2013, "indicator_dropped")] == ["9"] and items[(2013, "indicator_added")] == ["28"]
    d = sample_run.decomposition[sample_run.decomposition["compared"]]
    np.testing.assert_allclose(d["own"] + d["scheme"], d["change"], atol=1e-9)
    assert (d["reweighting"].abs() > 0.5).any()  # the re-weighted categories move someone
