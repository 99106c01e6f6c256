"""Scoring a year under another year's scheme (wfscore.analysis.rescore): restricted schemes keep
their points, a view re-orders and rescales the arrays, and nothing restricted away
changes a score that did not depend on it."""

from __future__ import annotations

import numpy as np
import pytest

import wfscore
from helpers import SAMPLE, TINY
from wfscore.analysis.rescore import common_indicators, restrict, view


@pytest.fixture(scope="module")
def tiny_year():
    return wfscore.load_year(TINY)


@pytest.mark.parametrize("folder", [TINY, SAMPLE], ids=["tiny", "2011"])
def test_restricting_to_every_indicator_changes_nothing(folder):
    year = wfscore.load_year(folder)
    same, dropped = restrict(year.scheme, [i.id for i in year.scheme.indicators])
    assert dropped == []
    res = wfscore.score(view(year, same))
    official = wfscore.score(year)
    np.testing.assert_allclose(res.total, official.total, rtol=0, atol=1e-9)
    assert (res.rank == official.rank).all()


def test_a_category_keeps_its_points_when_an_indicator_goes(tiny_year):
    scheme, dropped = restrict(tiny_year.scheme, {"i1", "i3", "i4", "i5", "s1", "b1", "b2"})
    assert dropped == []
    assert scheme.category("c1").points == 40
    assert scheme.indicator("i1").weight == pytest.approx(40)  # 30 of 40, scaled to the whole 40
    assert tiny_year.scheme.indicator("i1").weight == 30  # the scheme given is not changed


def test_an_emptied_category_spreads_its_points_over_its_section(tiny_year):
    scheme, dropped = restrict(tiny_year.scheme, {"i1", "i2", "i5", "s1", "b1", "b2"})
    assert dropped == ["c2"]
    # section A (100) keeps its points: c1 40 → 40 × 100/70, c3 30 → 30 × 100/70
    assert scheme.section("A").points == 100
    assert scheme.category("c1").points == pytest.approx(400 / 7)
    assert scheme.indicator("i1").weight == pytest.approx(300 / 7)
    assert scheme.indicator("i2").weight == pytest.approx(100 / 7)
    assert scheme.category("c3").points == pytest.approx(300 / 7)
    assert scheme.rules.website_evaluation is None  # its category is gone
    assert scheme.rules.security_incident is not None
    assert scheme.rules.excellence is None and scheme.rules.conversion is None


def test_an_emptied_section_is_dropped(tiny_year):
    scheme, dropped = restrict(tiny_year.scheme, {"i1", "s1"})
    assert dropped == ["c2", "c3", "c5", "C"]
    assert [s.id for s in scheme.sections] == ["A", "B"]
    assert scheme.total_points == 120


def test_a_view_rescales_direct_values_to_the_target_weight(tiny_year):
    target, _ = restrict(tiny_year.scheme, [i.id for i in tiny_year.scheme.indicators])
    target.indicator("s1").weight = 10  # s1 on a 10-point scale instead of 20
    target.category("c4").points = 10
    target.section("B").points = 10
    seen = view(tiny_year, target)
    s1 = tiny_year.scheme.arrays.position["s1"]
    np.testing.assert_allclose(seen.values[:, s1], tiny_year.values[:, s1] / 2)
    assert not seen.values.flags.writeable
    # the direct indicator's score keeps its share of the weight: value / weight × effective weight
    before = wfscore.score(tiny_year).score[:, s1]
    np.testing.assert_allclose(wfscore.score(seen).score[:, s1], before / 2)


def test_a_view_follows_the_target_order(tiny_year):
    target, _ = restrict(tiny_year.scheme, {"i5", "i1"})
    seen = view(tiny_year, target)
    assert seen.scheme.arrays.indicator_ids == ("i1", "i5")
    pos = tiny_year.scheme.arrays.position
    np.testing.assert_array_equal(seen.exempt, tiny_year.exempt[:, [pos["i1"], pos["i5"]]])
    assert seen.values.shape == (7, 2) and seen.ratings.shape[:2] == (7, 2)


def test_common_indicators_need_the_same_method_and_direction(tiny_year):
    other = tiny_year.scheme.model_copy(deep=True)
    other.indicator("i2").direction = "higher"
    other.category("c5").indicators = [i for i in other.category("c5").indicators if i.id != "b2"]
    common, left_out = common_indicators(tiny_year.scheme, other)
    assert common == ["i1", "i3", "i4", "i5", "s1", "b1"]
    assert left_out == {"i2": "method", "b2": "only_first"}
    assert common_indicators(other, tiny_year.scheme)[1] == {"i2": "method", "b2": "only_second"}
