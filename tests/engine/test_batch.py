"""The batched engine against the plain one: every drawn sample, scored both ways."""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest
import yaml
from hypothesis import given, settings, strategies as st
from hypothesis.extra.numpy import arrays

import wfscore
from helpers import SAMPLE, TINY
from wfscore.analysis.sensitivity import analyse
from wfscore.analysis.uncertainty import Uncertainty
from wfscore.engine.ranking import rank, rank_by_argsort


@pytest.fixture(scope="module")
def year_2011():
    return wfscore.load_year(SAMPLE)


@pytest.fixture(scope="module")
def year_tiny():
    return wfscore.load_year(TINY)


@pytest.fixture(scope="module")
def year_shared_direct(tmp_path_factory):
    """tiny, with the direct indicator s1 moved into category c3 beside i5, so that its
    weight is drawn too and v × W / w is exercised with W ≠ w."""
    folder = tmp_path_factory.mktemp("shared") / "tiny"
    shutil.copytree(TINY, folder)
    scheme = yaml.safe_load((folder / "scheme.yaml").read_text(encoding="utf-8"))
    a, b = scheme["sections"][0], scheme["sections"][1]
    s1 = b["categories"][0]["indicators"][0]
    c3 = a["categories"][2]
    c3["indicators"].append(s1)
    c3["points"] += s1["weight"]
    a["points"] += s1["weight"]
    del scheme["sections"][1]
    (folder / "scheme.yaml").write_text(yaml.safe_dump(scheme, allow_unicode=True), encoding="utf-8")
    return wfscore.load_year(folder)


def loop_outcome(year, rob):
    """The COINr-style reference: one call of the scoring engine per drawn sample."""
    results = [wfscore.score(year, rob.scheme_of(row)) for row in range(rob.samples)]
    totals = np.array([r.total for r in results])
    ranks = np.array([r.rank for r in results])
    best = np.array([r.excellent for r in results]) if results[0].excellent is not None else None
    return totals, ranks, best


@pytest.mark.parametrize(
    "which, security",
    [
        ("year_2011", ("18", "19", "20")),
        ("year_tiny", ("i5",)),
        ("year_shared_direct", ("s1",)),
    ],
)
def test_every_sample_equals_the_scoring_engine_on_that_samples_scheme(which, security, request):
    year = request.getfixturevalue(which)
    rob = analyse(
        year,
        uncertainty=Uncertainty(security_indicators=security),
        samples=480,
        seed=7,
        chunk_size=100,
        keep_samples=True,
    )
    totals, ranks, best = loop_outcome(year, rob)
    np.testing.assert_allclose(rob.totals, totals, rtol=0, atol=1e-9)
    np.testing.assert_array_equal(rob.ranks, ranks)
    np.testing.assert_array_equal(rob.excellent, best)
    # the samples did exercise every path: each mode, aggregation, base and scope
    for key, options in rob.space.options.items():
        assert set(rob.draws.choice[key]) == set(range(len(options))), key
    assert rob.totals.std(axis=0).max() > 1  # and the weights did move the totals
    assert (ranks != rob.table.set_index("dept_id").loc[year.dept_ids, "nominal_rank"].to_numpy()).any()


def test_a_direct_pair_with_a_redistributed_weight_is_covered(year_shared_direct):
    # D5 has exemptions in section A, where s1 now is: under the section mode its s1
    # gets an effective weight W different from the drawn weight w, so v × W / w is
    # really exercised (the test above compares all samples; this one shows the case occurs).
    rob = analyse(year_shared_direct, samples=60, keep_samples=True)
    s1 = rob.space.arrays.indicator_ids.index("s1")
    d5 = list(year_shared_direct.dept_ids).index("D5")
    row = int(np.flatnonzero(rob.draws.choice["not_applicable"] == 1)[0])  # "section"
    result = wfscore.score(year_shared_direct, rob.scheme_of(row))
    assert result.scheme.rules.not_applicable == "section"
    assert abs(result.effective_weight[d5, s1] - rob.draws.weight[row, s1]) > 0.5
    assert result.score[d5, s1] > 0
    assert rob.totals[row, d5] == pytest.approx(result.total[d5], abs=1e-9)


def test_zero_perturbation_gives_the_nominal_result_in_every_sample(year_2011):
    rob = analyse(year_2011, uncertainty=Uncertainty.none(), samples=300, chunk_size=128, keep_samples=True)
    nominal = wfscore.score(year_2011)
    assert rob.totals.shape == (300, 129)
    np.testing.assert_allclose(rob.totals, np.broadcast_to(nominal.total, rob.totals.shape), rtol=0, atol=1e-9)
    np.testing.assert_array_equal(rob.ranks, np.broadcast_to(nominal.rank, rob.ranks.shape))
    np.testing.assert_array_equal(rob.excellent, np.broadcast_to(nominal.excellent, rob.excellent.shape))
    table = rob.table
    assert (table["median_rank"] == table["nominal_rank"]).all()
    assert (table["rank_p05"] == table["nominal_rank"]).all() and (table["rank_p95"] == table["nominal_rank"]).all()
    assert (table["max_shift"] == 0).all()
    assert set(table["p_top10"]) == {0.0, 1.0}
    assert (table["p_excellent"] == table["nominal_excellent"].astype(float)).all()
    assert (rob.shift == 0).all() and rob.indices.empty


def test_zero_spreads_with_choices_fixed_also_through_the_saltelli_rows(year_tiny):
    # only the ratings vary; tiny's ratings for i1 change with the aggregation, so
    # samples differ, but the weights of every sample are the nominal ones exactly
    rob = analyse(
        year_tiny,
        uncertainty=Uncertainty(weight_spread=0, points_spread=0, not_applicable=False, index_base=False),
        samples=60,
        keep_samples=True,
    )
    np.testing.assert_array_equal(rob.draws.weight, np.broadcast_to(year_tiny.scheme.arrays.weight, (60, 8)))
    assert list(rob.indices["input"]) == ["ratings"]


@settings(max_examples=200, deadline=None)
@given(
    arrays(
        np.int64,
        st.tuples(st.integers(1, 6), st.integers(1, 40)),
        elements=st.integers(-(10**9), 10**9) | st.integers(0, 3),
    )
)
def test_packed_key_ranks_equal_argsort_ranks(published):
    np.testing.assert_array_equal(rank(published), rank_by_argsort(published))


def test_rank_with_ties_and_huge_values():
    published = np.array([[5, 7, 7, 1, 7], [0, 0, 0, 0, 0]])
    np.testing.assert_array_equal(rank(published), [[4, 1, 1, 5, 1], [1, 1, 1, 1, 1]])
    huge = np.array([[2**61, -(2**61), 3]])  # cannot be packed: falls back to the argsort
    np.testing.assert_array_equal(rank(huge), [[1, 3, 2]])


def test_blocks_of_the_effective_weight_step_do_not_change_the_result(year_2011, monkeypatch):
    settings = dict(
        uncertainty=Uncertainty(security_indicators=("18", "19", "20")), samples=700, seed=4, keep_samples=True
    )
    whole = analyse(year_2011, **settings)
    monkeypatch.setattr("wfscore.engine.batch.BLOCK", 6 * 27 * 7)  # 7 samples per block
    blocked = analyse(year_2011, **settings)
    np.testing.assert_allclose(blocked.totals, whole.totals, rtol=0, atol=1e-9)  # summation order only
    np.testing.assert_array_equal(blocked.ranks, whole.ranks)
    pd.testing.assert_frame_equal(blocked.table, whole.table)
