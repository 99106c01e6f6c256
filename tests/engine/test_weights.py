"""Step 3: effective weights under category, section and no redistribution."""

import numpy as np
import pytest

from helpers import TINY
from wfscore.engine.weights import effective_weights
from wfscore.inputs.scheme_yaml import read_scheme

ARR = read_scheme(
    TINY / "scheme.yaml"
).arrays  # A: c1 (i1 30, i2 10), c2 (i3 20, i4 10), c3 (i5 30); B: s1 20; C: b1 20, b2 10
W = ARR.weight


def applicable(*exempt: str) -> np.ndarray:
    return np.array([[i not in exempt for i in ARR.indicator_ids]])


def test_nothing_exempt_is_exactly_nominal():
    for mode in ("category", "section", "none"):
        got = effective_weights(W, applicable(), ARR, mode)
        assert (got == W).all(), mode  # exact, not approximately


def test_category_mode_within_a_category():
    got = effective_weights(W, applicable("i3"), ARR, "category")[0]
    assert got.tolist() == [30, 10, 0, 30, 30, 20, 20, 10]


def test_category_mode_empty_category_goes_to_the_section():
    got = effective_weights(W, applicable("i3", "i4"), ARR, "category")[0]
    np.testing.assert_allclose(got, [300 / 7, 100 / 7, 0, 0, 300 / 7, 20, 20, 10])
    assert got[:5].sum() == pytest.approx(100)


def test_section_mode():
    got = effective_weights(W, applicable("i3"), ARR, "section")[0]
    np.testing.assert_allclose(got, [37.5, 12.5, 0, 12.5, 37.5, 20, 20, 10])


def test_none_mode_loses_the_points():
    got = effective_weights(W, applicable("i3", "i5"), ARR, "none")[0]
    assert got.tolist() == [30, 10, 0, 10, 0, 20, 20, 10]


@pytest.mark.parametrize("mode", ["category", "section", "none"])
def test_wholly_exempt_section_scores_nothing(mode):
    got = effective_weights(W, applicable("s1"), ARR, mode)[0]
    assert got[5] == 0 and got.sum() == pytest.approx(130)


def test_broadcasts_over_samples_of_weights():
    samples = np.stack([W, W * 2])
    got = effective_weights(samples, np.repeat(applicable("i3"), 3, axis=0), ARR, "category")
    assert got.shape == (2, 3, 8)
    np.testing.assert_allclose(got[1], got[0] * 2)


def test_unknown_mode():
    with pytest.raises(ValueError, match="unknown not_applicable mode"):
        effective_weights(W, applicable(), ARR, "half")
