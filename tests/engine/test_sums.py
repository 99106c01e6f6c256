"""Step 7: group sums over contiguous column runs."""

import numpy as np

from helpers import TINY
from wfscore.engine.sums import group_sums
from wfscore.inputs.scheme_yaml import read_scheme


def test_group_sums_equal_the_one_hot_products():
    arr = read_scheme(TINY / "scheme.yaml").arrays
    x = np.random.default_rng(3).random((4, 5, len(arr.indicator_ids)))
    np.testing.assert_allclose(group_sums(x, arr.category_bounds), x @ arr.in_category)
    sections = group_sums(group_sums(x, arr.category_bounds), arr.section_bounds)
    np.testing.assert_allclose(sections, x @ arr.in_section)
    assert list(arr.category_bounds) == [0, 2, 4, 5, 6, 8] and list(arr.section_bounds) == [0, 3, 4, 5]


def test_group_sums_keep_column_major_layout():
    x = np.asfortranarray(np.arange(12.0).reshape(3, 4))
    out = group_sums(x, np.array([0, 1, 4]))
    assert out.flags.f_contiguous and out.tolist() == [[0, 6], [4, 18], [8, 30]]
