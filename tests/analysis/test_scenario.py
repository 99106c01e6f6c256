"""wfscore.analysis.scenario: scheme edits that keep the scheme valid, and comparisons."""

from __future__ import annotations

import io
import math

import numpy as np
import pandas as pd
import pytest

import wfscore
from helpers import SAMPLE, TINY
from wfscore.analysis.scenario import (
    MIN_WEIGHT,
    rank_changes,
    results_csv,
    summary,
    with_points,
    with_rules,
    with_weight,
)
from wfscore.inputs.scheme import IndexBase
from wfscore.inputs.scheme_yaml import parse_scheme


@pytest.fixture(scope="module")
def year():
    return wfscore.load_year(SAMPLE)


@pytest.fixture(scope="module")
def tiny_year():
    return wfscore.load_year(TINY)


def weights(scheme) -> dict[str, float]:
    return {i.id: i.weight for i in scheme.indicators}


def assert_valid(scheme) -> None:
    """The scheme passes the loader's own checks after a round trip through YAML."""
    loaded, problems = parse_scheme(scheme.to_yaml())
    assert loaded is not None, [str(p) for p in problems]
    assert not [p for p in problems if p.is_error]


def test_weight_without_keeping_the_section(year):
    official = year.scheme
    new, applied = with_weight(official, "1", 100)
    assert applied == 100
    assert new.indicator("1").weight == 100
    assert new.category("system").points == 100 + 20 + 30 + 40
    assert new.section("indicators").points == 800 + 30
    assert new.total_points == 1030
    changed = {k for k, v in weights(new).items() if v != weights(official)[k]}
    assert changed == {"1"}
    assert official.indicator("1").weight == 70  # the official scheme is untouched
    assert_valid(new)


def test_weight_keeping_the_section_rescales_the_others(year):
    official = year.scheme
    new, applied = with_weight(official, "1", 100, keep_section=True)
    assert applied == 100
    assert new.section("indicators").points == 800
    assert math.isclose(sum(c.points for c in new.section("indicators").categories), 800)
    # the other 21 indicators of the section share the remaining 700 in their old proportions
    factor = (800 - 100) / (800 - 70)
    for ind in official.section("indicators").categories[0].indicators[1:] + official.category("egov").indicators:
        assert math.isclose(new.indicator(ind.id).weight, ind.weight * factor)
    # other sections are untouched
    assert new.indicator("S1").weight == 100 and new.indicator("23").weight == 40
    assert_valid(new)


def test_weight_is_bounded(year):
    new, applied = with_weight(year.scheme, "2", 0)
    assert applied == MIN_WEIGHT and new.indicator("2").weight == MIN_WEIGHT
    new, applied = with_weight(year.scheme, "1", 5000, keep_section=True)
    assert applied < 800
    assert min(i.weight for c in new.section("indicators").categories for i in c.indicators) >= MIN_WEIGHT - 1e-9
    assert_valid(new)
    # a section with one indicator cannot keep its total and change it
    new, applied = with_weight(year.scheme, "S1", 50, keep_section=True)
    assert applied == 100 and new.indicator("S1").weight == 100


def test_points_scale_the_category(year):
    official = year.scheme
    new, applied = with_points(official, "website", 100)
    assert applied == 100
    assert [i.weight for i in new.category("website").indicators] == [30, 15, 15, 20, 20]
    assert new.section("indicators").points == 700
    assert_valid(new)

    new, _ = with_points(official, "website", 100, keep_section=True)
    assert new.section("indicators").points == 800
    for cid, before in (("system", 160), ("egov", 240), ("security", 100), ("training", 100)):
        assert math.isclose(new.category(cid).points, before * 700 / 600)
    assert_valid(new)


def test_rules(year):
    official = year.scheme
    new = with_rules(
        official,
        official,
        not_applicable="section",
        security_category="training",
        website_evaluation=False,
        ratings="median",
        index_base=95,
    )
    r = new.rules
    assert r.not_applicable == "section"
    assert r.security_incident.category == "training" and r.security_incident.indicators is None
    assert r.website_evaluation is None
    assert r.ratings == "median"
    assert r.index_base == IndexBase(percentile=95)
    assert official.rules.ratings == "trimmed_mean"  # untouched
    assert_valid(new)
    back = with_rules(new, official, security_category="security", website_evaluation=True, index_base="max")
    assert back.rules.security_incident == official.rules.security_incident
    assert back.rules.website_evaluation == official.rules.website_evaluation
    assert back.rules.index_base == "max"
    assert back.rules.ratings == "median"  # not named: kept
    assert with_rules(official, official, security_category=None).rules.security_incident is None
    with pytest.raises(KeyError):
        with_rules(official, official, security_category="nonesuch")


def test_rank_changes_and_summary(year):
    official = wfscore.score(year)
    scheme, _ = with_weight(year.scheme, "12", 1)
    scenario = wfscore.score(year, scheme)
    changes = rank_changes(official, scenario)
    assert sorted(changes["dept_id"]) == sorted(year.dept_ids)
    by_id = changes.set_index("dept_id")
    for d, dept in enumerate(year.dept_ids):
        assert by_id.loc[dept, "move"] == official.rank[d] - scenario.rank[d]
        assert by_id.loc[dept, "total"] == scenario.total[d]
    sizes = changes["move"].abs().to_numpy()
    assert (np.diff(sizes) <= 0).all()  # largest move first

    s = summary(official, scenario)
    moved = official.rank != scenario.rank
    assert s["moved"] == moved.sum() > 0
    assert s["largest"] == np.abs(official.rank - scenario.rank).max()
    before = set(year.dept_ids[official.excellent])
    after = set(year.dept_ids[scenario.excellent])
    assert {x.split("（")[1].rstrip("）") for x in s["excellent_added"]} == after - before
    assert {x.split("（")[1].rstrip("）") for x in s["excellent_removed"]} == before - after

    same = summary(official, wfscore.score(year, year.scheme.model_copy(deep=True)))
    assert same["moved"] == 0 and same["largest"] == 0 and not same["excellent_added"]


def test_results_csv(year):
    official = wfscore.score(year)
    scheme, _ = with_weight(year.scheme, "12", 1)
    scenario = wfscore.score(year, scheme)
    frame = pd.read_csv(io.StringIO(results_csv(official, scenario)), dtype={"dept_id": str})
    assert list(frame.columns[:3]) == ["dept_id", "name", "kind"]
    assert list(frame.columns[-3:]) == ["official_total", "official_rank", "rank_change"]
    assert len(frame) == len(year.dept_ids)
    assert (frame["rank"].to_numpy() == np.sort(scenario.rank)).all()  # in scenario rank order
    d = {dept: n for n, dept in enumerate(year.dept_ids)}
    for row in frame.itertuples():
        assert row.official_rank == official.rank[d[row.dept_id]]
        assert row.rank_change == official.rank[d[row.dept_id]] - scenario.rank[d[row.dept_id]]
        assert row.total == pytest.approx(scenario.total[d[row.dept_id]], abs=1e-9)


@pytest.mark.parametrize("edit", ["weight", "keep", "points", "rules"])
def test_exported_scheme_loads_and_scores_the_same(sample, year, edit):
    """A scenario written as scheme.yaml is a valid year's scheme with the same scores."""
    scheme = year.scheme
    if edit == "weight":
        scheme, _ = with_weight(scheme, "13", 55)
    elif edit == "keep":
        scheme, _ = with_weight(scheme, "13", 55, keep_section=True)
    elif edit == "points":
        scheme, _ = with_points(scheme, "awards", 33.3, keep_section=True)
    else:
        scheme = with_rules(
            scheme,
            scheme,
            not_applicable="none",
            website_evaluation=False,
            ratings="mean",
            index_base=90,
            security_category="egov",
        )
    expected = wfscore.score(year, scheme)
    (sample / "scheme.yaml").write_text(scheme.to_yaml(), encoding="utf-8")
    again = wfscore.score(wfscore.load_year(sample))
    np.testing.assert_array_equal(again.total, expected.total)
    np.testing.assert_array_equal(again.rank, expected.rank)
    np.testing.assert_array_equal(again.score, expected.score)
    assert again.scheme == scheme


def test_tiny_year(tiny_year):
    """The edits work on any scheme, not only 2011's."""
    scheme, applied = with_points(tiny_year.scheme, "c1", 60, keep_section=True)
    assert applied == 60
    assert [i.weight for i in scheme.category("c1").indicators] == [45, 15]
    assert scheme.category("c2").points + scheme.category("c3").points == pytest.approx(40)
    assert_valid(scheme)
