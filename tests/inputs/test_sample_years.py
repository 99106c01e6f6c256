"""The synthetic sample years 2012 and 2013: schemes that drift from the year before, a
roster that renames, merges and adds departments, and a generator that reproduces them."""

from __future__ import annotations

import subprocess
import sys

import pytest

import wfscore
from helpers import ROOT
from wfscore.inputs import lineage

DATA = ROOT / "data"
LATER = (2012, 2013)


@pytest.fixture(scope="module")
def loaded():
    return {y: wfscore.load_year(DATA / str(y)) for y in (2011, 2012, 2013)}


@pytest.mark.parametrize("year", LATER)
def test_the_scheme_drifts_from_the_year_before(loaded, year):
    now, before = loaded[year].scheme, loaded[year - 1].scheme
    assert now.year == year and str(year) in now.title
    points_now = {c.id: c.points for c in now.categories}
    points_before = {c.id: c.points for c in before.categories}
    assert any(points_now[c] != points_before[c] for c in points_now), "a category re-weighted"
    ids_now, ids_before = {i.id for i in now.indicators}, {i.id for i in before.indicators}
    assert ids_now - ids_before and ids_before - ids_now, "an indicator added and one dropped"
    assert now.total_points == 1000
    for ind in now.indicators:
        assert ind.name and ind.name_en and ind.text, ind.id
    text = (DATA / str(year) / "scheme.yaml").read_text(encoding="utf-8")
    assert f"# What changed from {year - 1}:" in text and "SYNTHETIC" in text


def test_the_roster_renames_merges_and_adds(loaded):
    events = {}
    for year in LATER:
        depts = loaded[year].departments
        prev = loaded[year - 1]
        preds = lineage.predecessors(depts, prev.dept_ids)
        names = dict(zip(prev.dept_ids, prev.departments["name"]))
        events[year] = {
            "new": [n for n, p in zip(depts["name"], preds) if not p],
            "merged": [n for n, p in zip(depts["name"], preds) if len(p) > 1],
            "renamed": [n for n, p in zip(depts["name"], preds) if len(p) == 1 and names[p[0]] != n],
        }
    assert events[2012] == {
        "new": ["市政府应急管理办公室"],
        "merged": [],
        "renamed": ["市城乡规划局", "市政府机关事务管理局"],
    }
    assert events[2013] == {
        "new": [],
        "merged": ["市卫生和计划生育委员会"],
        "renamed": ["潍坊报业集团", "市投资促进局"],
    }
    assert [len(loaded[y].departments) for y in (2011, 2012, 2013)] == [129, 130, 129]
    assert "previous_ids" not in loaded[2011].departments  # 2011's file is as it was


@pytest.mark.parametrize("year", LATER)
def test_each_year_looks_like_an_office(loaded, year):
    data = loaded[year]
    res = wfscore.score(data)
    assert data.synthetic
    assert 650 <= float(res.ranking["total"].median()) <= 850
    assert res.excellent.sum() == 26 and 1 <= (~res.eligible).sum() <= 2
    assert 1 <= len(data.tables["incidents"]) <= 6 and (data.tables["exemptions"]["confirmed"] == "false").any()
    assert 1 <= len([p for p in data.warnings if "has no value" in p.message]) <= 8
    assert data.tables["ratings"]["expert"].nunique() == 5
    gov = set(data.departments.query("kind == 'government'")["dept_id"])
    assert gov == set(data.tables["website_eval"]["dept_id"])


def test_the_generator_reproduces_the_later_years(tmp_path):
    for year in LATER:
        out = tmp_path / str(year)
        subprocess.run(
            [sys.executable, str(ROOT / "data" / "generate.py"), str(year), "--out", str(out)],
            check=True,
            capture_output=True,
        )
        folder = DATA / str(year)
        for csv in folder.glob("*.csv"):
            assert (out / csv.name).read_bytes() == csv.read_bytes(), (year, csv.name)
        assert sorted(p.name for p in out.glob("*.csv")) == sorted(p.name for p in folder.glob("*.csv"))
        assert (out / "SYNTHETIC").read_text(encoding="utf-8") == (folder / "SYNTHETIC").read_text(encoding="utf-8")
