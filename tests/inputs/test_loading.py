"""Loading builds the arrays the maths needs, in scheme and file order, read-only."""

import numpy as np
import pytest

import wfscore
from helpers import TINY
from wfscore.engine.values import observed

nan = np.nan


@pytest.fixture(scope="module")
def year():
    return wfscore.load_year(TINY)


def at(year, dept, ind):
    return year.dept_ids.tolist().index(dept), year.scheme.arrays.position[ind]


def test_departments_in_file_order(year):
    assert year.dept_ids.tolist() == ["D1", "D2", "D3", "D4", "D5", "D6", "D7"]
    assert year.departments["line"].tolist() == [2, 3, 4, 5, 6, 7, 8]


def test_value_and_ratings_arrays(year):
    assert year.values[at(year, "D4", "i2")] == 1
    assert year.values[at(year, "D5", "s1")] == 12.5
    assert np.isnan(year.values[at(year, "D3", "i2")])
    d, i = at(year, "D1", "i1")
    assert year.ratings.shape == (7, 8, 5)
    assert year.ratings[d, i].tolist() == [90, 80, 70, 100, 40]
    d, i = at(year, "D3", "i1")
    assert year.ratings[d, i, :2].tolist() == [50, 70] and np.isnan(year.ratings[d, i, 2:]).all()
    assert observed(year)[d, i] == 60  # trimmed mean of two = their mean
    assert observed(year, "median")[at(year, "D6", "i1")] == 50


def test_exemptions_achievements_incidents_evaluation(year):
    assert {tuple(x) for x in np.argwhere(year.exempt)} == {
        at(year, "D4", "i3"),
        at(year, "D5", "i3"),
        at(year, "D5", "i4"),
    }  # D6's is unconfirmed
    assert year.achievements[at(year, "D4", "b1")] == 2 and year.achievements[at(year, "D3", "b1")] == 0
    assert year.incidents.tolist() == [0, 1, 0, 0, 0, 1, 0]
    assert year.major.tolist() == [False, True, False, False, False, False, False]
    assert year.website_eval[:3].tolist() == [80, 50, 70] and np.isnan(year.website_eval[3:]).all()
    assert year.takes_website_eval().tolist() == [True, True, False, False, False, False, False]
    assert not year.synthetic


def test_arrays_are_read_only(year):
    for name in ("values", "ratings", "exempt", "achievements", "website_eval", "incidents", "major"):
        with pytest.raises(ValueError):
            getattr(year, name)[0] = 0
    with pytest.raises(ValueError):
        observed(year)[0, 0] = 1
