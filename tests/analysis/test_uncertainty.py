"""Drawing the uncertain inputs: valid schemes, the spreads asked for, every switch."""

from __future__ import annotations

import numpy as np
import pytest

import wfscore
from helpers import SAMPLE, TINY
from wfscore.analysis.uncertainty import InputSpace, Uncertainty
from wfscore.inputs.scheme_yaml import parse_scheme


@pytest.fixture(scope="module")
def scheme_2011():
    return wfscore.load_year(SAMPLE).scheme


def uniform(space, n=2000, seed=0):
    return np.random.default_rng(seed).random((n, space.dims))


def test_drawn_schemes_keep_section_totals_and_category_sums(scheme_2011):
    space = InputSpace.of(scheme_2011, Uncertainty())
    draws = space.draw(uniform(space))
    arr = space.arrays
    sections = draws.weight @ arr.in_section
    np.testing.assert_allclose(
        sections, np.broadcast_to([s.points for s in scheme_2011.sections], sections.shape), rtol=1e-12
    )
    assert (draws.weight > 0).all()
    # every drawn row is a valid scheme.yaml: the loader's own checks pass
    for row in (0, 1, 1999):
        scheme, problems = parse_scheme(space.scheme_of(draws, row).to_yaml())
        assert scheme is not None and not [p for p in problems if p.is_error]


def test_weights_within_a_category_move_by_at_most_the_spread(scheme_2011):
    spread = 0.25
    space = InputSpace.of(scheme_2011, Uncertainty(weight_spread=spread, points_spread=0.0))
    draws = space.draw(uniform(space))
    arr = space.arrays
    # category points are fixed, so rescaling is within a category: the ratio of two
    # weights of one category moves by at most (1 ± p) / (1 ∓ p)
    category_points = draws.weight @ arr.in_category
    np.testing.assert_allclose(
        category_points, np.broadcast_to(arr.weight @ arr.in_category, category_points.shape), rtol=1e-12
    )
    system = np.flatnonzero(arr.category_of == arr.category_ids.index("system"))
    ratio = (draws.weight[:, system[0]] / draws.weight[:, system[1]]) / (arr.weight[system[0]] / arr.weight[system[1]])
    assert ratio.min() >= (1 - spread) / (1 + spread) - 1e-12
    assert ratio.max() <= (1 + spread) / (1 - spread) + 1e-12
    assert ratio.min() < 0.7 and ratio.max() > 1.4  # and they do use the range


def test_points_move_with_weights_fixed_in_proportion(scheme_2011):
    space = InputSpace.of(scheme_2011, Uncertainty(weight_spread=0.0, points_spread=0.25))
    draws = space.draw(uniform(space))
    arr = space.arrays
    share = draws.weight / (draws.weight @ arr.in_category)[:, arr.category_of]
    nominal = arr.weight / (arr.weight @ arr.in_category)[arr.category_of]
    np.testing.assert_allclose(share, np.broadcast_to(nominal, share.shape), rtol=1e-12)
    points = draws.weight @ arr.in_category
    system = arr.category_ids.index("system")
    assert points[:, system].std() > 5  # 160 points ± 25%, rescaled to the section's 800


def test_zero_spread_and_fixed_choices_give_the_nominal_scheme_exactly(scheme_2011):
    space = InputSpace.of(scheme_2011, Uncertainty.none())
    assert space.dims == 0 and space.factors == ()
    draws = space.draw(np.empty((5, 0)))
    np.testing.assert_array_equal(draws.weight, np.broadcast_to(space.arrays.weight, (5, 27)))
    scheme = space.scheme_of(draws, 3)
    assert scheme.model_dump() == scheme_2011.model_dump()


def test_every_choice_is_drawn(scheme_2011):
    space = InputSpace.of(scheme_2011, Uncertainty(security_indicators=("18", "19", "20")))
    assert space.options["not_applicable"] == ("category", "section", "none")
    assert space.options["ratings"] == ("trimmed_mean", "mean", "median")
    assert space.options["index_base"] == (None, 95.0)
    assert space.options["security_scope"] == (None, ["18", "19", "20"])
    draws = space.draw(uniform(space))
    for key, options in space.options.items():
        counts = np.bincount(draws.choice[key], minlength=len(options))
        assert (counts > 2000 / len(options) * 0.8).all(), (key, counts)
    rules = [space.scheme_of(draws, row).rules for row in range(40)]
    assert {r.not_applicable for r in rules} == {"category", "section", "none"}
    assert {r.ratings for r in rules} == {"trimmed_mean", "mean", "median"}
    assert {r.index_base if r.index_base == "max" else r.index_base.percentile for r in rules} == {"max", 95.0}
    assert {tuple(r.security_incident.indicators or ()) for r in rules} == {(), ("18", "19", "20")}


def test_the_security_alternative_is_checked(scheme_2011):
    with pytest.raises(ValueError) as err:
        InputSpace.of(scheme_2011, Uncertainty(security_indicators=("18", "21")))
    assert str(err.value) == (
        "security_indicators names 21, not indicators of the security-incident "
        "category security (expected some of 17, 18, 19, 20)"
    )
    tiny = wfscore.load_year(TINY).scheme.model_copy(deep=True)
    tiny.rules.security_incident = None
    with pytest.raises(ValueError, match="the scheme has no security_incident rule"):
        InputSpace.of(tiny, Uncertainty(security_indicators=("i5",)))


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"weight_spread": 1.0}, "weight_spread is 1.0 (expected a fraction from 0 up to, not including, 1"),
        ({"points_spread": -0.1}, "points_spread is -0.1 (expected a fraction"),
        ({"base_percentile": 100}, "base_percentile is 100 (expected a percentile between 0 and 100"),
        ({"security_indicators": ()}, "security_indicators is empty"),
    ],
)
def test_bad_settings_say_what_is_expected(kwargs, message):
    with pytest.raises(ValueError) as err:
        Uncertainty(**kwargs)
    assert str(err.value).startswith(message)


def test_per_weight_factors_leave_out_what_cannot_move(scheme_2011):
    space = InputSpace.of(scheme_2011, Uncertainty(ratings=False), per_weight=True)
    keys = [f.key for f in space.factors]
    # S1 and 26 are alone in their categories; self_report alone in its section
    assert "weight:S1" not in keys and "weight:26" not in keys and "points:self_report" not in keys
    assert "weight:1" in keys and "points:system" in keys and "points:funding" in keys
    assert keys[-2:] == ["not_applicable", "index_base"]
    assert len(keys) == 25 + 7 + 2
    assert space.factors[0].name == "权重 1 领导与管理推进机制"
