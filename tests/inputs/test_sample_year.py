"""The synthetic 2011 sample year: what the issue asks of it, and that it regenerates."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

import wfscore
from helpers import ROOT, SAMPLE


@pytest.fixture(scope="module")
def year():
    return wfscore.load_year(SAMPLE)


@pytest.fixture(scope="module")
def result(year):
    return wfscore.score(year)


def test_129_departments_of_every_kind_government_largest(year):
    kinds = year.departments["kind"].value_counts()
    assert len(year.departments) == 129
    assert set(kinds.index) == set(year.scheme.kinds)
    assert kinds.idxmax() == "government"
    names = set(year.departments["name"])
    assert {"市委办公室", "市发展和改革委员会", "市中级人民法院", "市总工会"} <= names


def test_five_expert_panel_and_measured_indicators(year):
    ratings = year.tables["ratings"]
    assert ratings["expert"].nunique() == 5
    measured = set(year.tables["values"]["indicator"])
    assert {"12", "13"} <= measured
    rate = pd.to_numeric(year.tables["values"].query("indicator == '12'")["value"])
    per_head = pd.to_numeric(year.tables["values"].query("indicator == '13'")["value"])
    assert rate.between(0, 100).all() and per_head.between(0.2, 3).all()
    assert not set(ratings["indicator"]) & {"12", "13", "S1"}


def test_exemptions_incidents_achievements_and_website(year):
    ex = year.tables["exemptions"]
    assert (ex["reason"] != "").all()
    confirmed = ex[ex["confirmed"] == "true"]
    unconfirmed = ex[ex["confirmed"] == "false"]
    assert len(unconfirmed) >= 1
    website = [i.id for i in year.scheme.category("website").indicators]
    whole = confirmed.groupby("dept_id")["indicator"].apply(set)
    assert any(set(website) <= got for got in whole), "one department has a whole category exempt"
    incidents = year.tables["incidents"]
    assert 3 <= len(incidents) <= 6 and 1 <= (incidents["severity"] == "major").sum() <= 2
    achievements = year.tables["achievements"]
    assert set(achievements["indicator"]) == {"23", "24", "25", "26"}
    assert (achievements["confirmed"] == "false").any()
    gov = set(year.departments.query("kind == 'government'")["dept_id"])
    assert gov == set(year.tables["website_eval"]["dept_id"])
    assert year.synthetic


def test_a_few_missing_values_warn(year):
    missing = [p for p in year.warnings if "has no value" in p.message]
    assert 1 <= len(missing) <= 8


def test_distribution_looks_like_an_office(result):
    totals = result.ranking["total"]
    assert 650 <= totals.median() <= 850  # most departments mid to high
    assert totals.min() < totals.quantile(0.1) - 50  # a long tail below
    assert (totals > 880).sum() >= 2  # a few stars
    assert result.excellent.sum() == 26  # ceil(0.2 × 129)
    assert (~result.eligible).sum() == 2


def test_generator_reproduces_the_committed_csvs(tmp_path):
    out = tmp_path / "2011"
    subprocess.run(
        [sys.executable, str(ROOT / "data" / "generate.py"), "2011", "--out", str(out)], check=True, capture_output=True
    )
    for csv in SAMPLE.glob("*.csv"):
        assert (out / csv.name).read_bytes() == csv.read_bytes(), csv.name
    assert (out / "SYNTHETIC").read_text(encoding="utf-8") == (SAMPLE / "SYNTHETIC").read_text(encoding="utf-8")
