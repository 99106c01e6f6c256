"""Invariants of the method, on random years drawn by hypothesis (tests/yeargen.py)."""

from __future__ import annotations

import copy
import tempfile
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings, strategies as st

import wfscore
from yeargen import BINARY, tiny_scheme_with, write_year, years

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MODES = st.sampled_from(["category", "section", "none"])


def score(tables, **rules):
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_year(Path(tmp) / "y", tables, tiny_scheme_with(**rules) if rules else None)
        return wfscore.score(wfscore.load_year(folder))


def per_dept(result, array):
    return dict(zip(result.data.dept_ids, array))


@SETTINGS
@given(years(), MODES)
def test_each_score_lies_within_its_effective_weight(tables, mode):
    r = score(tables, not_applicable=mode)
    assert (r.score >= 0).all()
    assert (r.score <= r.effective_weight + 1e-9).all()


@SETTINGS
@given(years(), MODES)
def test_the_best_department_gets_the_full_effective_weight(tables, mode):
    r = score(tables, not_applicable=mode)
    arr = r.arrays
    for i in np.flatnonzero(arr.is_index):
        counted = ~np.isnan(r.value[:, i])
        if not counted.any() or not r.base[i] > 0 and not arr.lower_is_better[i]:
            continue
        best = counted & (r.value[:, i] == r.base[i]) & ~r.zeroed[:, i]
        np.testing.assert_allclose(r.score[best, i], r.effective_weight[best, i], rtol=1e-12)


@SETTINGS
@given(years(min_departments=3), st.randoms(use_true_random=False))
def test_permuting_departments_changes_nothing(tables, rnd):
    shuffled = copy.deepcopy(tables)
    for rows in shuffled.values():
        rnd.shuffle(rows)
    a, b = score(tables), score(shuffled)
    for name in ("total", "rank", "eligible", "excellent"):
        left, right = per_dept(a, getattr(a, name)), per_dept(b, getattr(b, name))
        assert left.keys() == right.keys()
        for dept in left:
            assert np.isclose(left[dept], right[dept], rtol=0, atol=1e-9), (name, dept)


@SETTINGS
@given(years(), st.sampled_from(["i2", "i3", "i4", "i5"]), st.sampled_from([0.001, 0.37, 12.5, 1000.0]))
def test_rescaling_an_indicators_units_changes_nothing(tables, indicator, factor):
    tables = copy.deepcopy(tables)
    tables["ratings"] = [row for row in tables["ratings"] if row[1] != indicator]  # values only
    scaled = copy.deepcopy(tables)
    scaled["values"] = [[d, i, v * factor if i == indicator else v] for d, i, v in scaled["values"]]
    a, b = score(tables), score(scaled)
    np.testing.assert_allclose(a.score, b.score, rtol=1e-9, atol=1e-9)


@SETTINGS
@given(years(), st.sampled_from(["category", "section"]))
def test_with_redistribution_every_department_can_still_reach_each_section(tables, mode):
    r = score(tables, not_applicable=mode)
    reachable = r.effective_weight @ r.arrays.in_section
    points = r.arrays.weight @ r.arrays.in_section
    wholly_exempt = ((~r.exempt).astype(float) @ r.arrays.in_section) == 0
    np.testing.assert_allclose(reachable, np.where(wholly_exempt, 0, points), rtol=1e-12)


@SETTINGS
@given(years(), st.data())
def test_an_incident_never_raises_a_score(tables, data):
    depts = [row[0] for row in tables["departments"]]
    dept = data.draw(st.sampled_from(depts))
    severity = data.draw(st.sampled_from(["ordinary", "major"]))
    more = copy.deepcopy(tables)
    more["incidents"].append([dept, "2011-06-01", severity, "新增事故"])
    a, b = score(tables), score(more)
    assert (b.score <= a.score + 1e-12).all()
    assert (b.total <= a.total + 1e-12).all()
    assert not (b.eligible & ~a.eligible).any()


@SETTINGS
@given(years(), st.data())
def test_another_confirmed_achievement_never_lowers_a_total(tables, data):
    depts = [row[0] for row in tables["departments"]]
    dept = data.draw(st.sampled_from(depts))
    indicator = data.draw(st.sampled_from(BINARY))
    more = copy.deepcopy(tables)
    more["achievements"].append([dept, indicator, "新增成果", "true"])
    a, b = score(tables), score(more)
    totals_a, totals_b = per_dept(a, a.total), per_dept(b, b.total)
    assert totals_b[dept] >= totals_a[dept] - 1e-12
    for other in depts:
        if other != dept:
            assert totals_b[other] == totals_a[other]
