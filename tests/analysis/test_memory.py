"""The robustness analysis in bounded memory: the rank counts (one pass or two), scoring a
few samples at a time, and the refusal up front of a run that cannot fit.

Every statistic of the department table is checked against a plain reference made
from all the samples' ranks (kept with ``keep_samples``): numpy's ``inverted_cdf``
quantiles, min, max and counts, over the sample year and small random years with ties.
"""

from __future__ import annotations

import dataclasses
import re
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import wfscore
from helpers import SAMPLE, need, run_cli
from variants import OPTIONAL
from wfscore.analysis import sensitivity
from wfscore.analysis.rank_tally import RankTally, bins_for
from wfscore.analysis.sensitivity import analyse
from wfscore.analysis.uncertainty import Uncertainty
from yeargen import tiny_scheme_with, write_year, years


@pytest.fixture(scope="module")
def year_2011():
    return wfscore.load_year(SAMPLE)


def reference_table(rob) -> pd.DataFrame:
    """The department table the straightforward way, from every sample's ranks."""
    ranks = rob.ranks  # samples × departments, in the year's order
    frame = pd.DataFrame(
        {
            "median_rank": np.quantile(ranks, 0.5, axis=0, method="inverted_cdf").astype(np.int64),
            "rank_p05": np.quantile(ranks, 0.05, axis=0, method="inverted_cdf").astype(np.int64),
            "rank_p95": np.quantile(ranks, 0.95, axis=0, method="inverted_cdf").astype(np.int64),
            "best_rank": ranks.min(axis=0),
            "worst_rank": ranks.max(axis=0),
            f"p_top{rob.top}": (ranks <= rob.top).sum(axis=0) / rob.samples,
        }
    )
    if rob.excellent is not None:
        frame["p_excellent"] = rob.excellent.sum(axis=0) / rob.samples
    return frame


def assert_matches_reference(rob, data) -> None:
    table = rob.table.set_index("dept_id").loc[data.dept_ids].reset_index()
    expected = reference_table(rob)
    for column in expected:
        np.testing.assert_array_equal(table[column].to_numpy(), expected[column].to_numpy(), err_msg=column)
    shift = np.maximum(table["nominal_rank"] - expected["best_rank"], expected["worst_rank"] - table["nominal_rank"])
    np.testing.assert_array_equal(table["max_shift"], shift)


def two_passes(monkeypatch, rows: int = 7) -> None:
    """Binned counts and a second pass, ``rows`` samples scored at a time, whatever the size."""
    planned = sensitivity.plan_memory
    monkeypatch.setattr(sensitivity, "ONE_PASS", 0.0)
    monkeypatch.setattr(
        sensitivity, "plan_memory", lambda *args, **kwargs: dataclasses.replace(planned(*args, **kwargs), rows=rows)
    )


@pytest.mark.parametrize("passes", [1, 2])
def test_the_sample_year_matches_the_reference(year_2011, monkeypatch, passes):
    if passes == 2:
        two_passes(monkeypatch)
    rob = analyse(
        year_2011,
        uncertainty=Uncertainty(security_indicators=("18", "19", "20")),
        samples=1501,
        seed=2,
        chunk_size=300,
        keep_samples=True,
    )
    assert rob.settings["passes"] == passes
    assert rob.settings["rows"] == (300 if passes == 1 else 7)  # a chunk at once, or 7 samples at a time
    assert_matches_reference(rob, year_2011)


def test_two_passes_give_the_one_pass_result(year_2011, monkeypatch):
    one = analyse(year_2011, samples=2000, seed=9)
    two_passes(monkeypatch)
    two = analyse(year_2011, samples=2000, seed=9)
    assert (one.settings["passes"], two.settings["passes"]) == (1, 2)
    pd.testing.assert_frame_equal(two.table, one.table)
    pd.testing.assert_frame_equal(two.indices, one.indices)
    np.testing.assert_array_equal(two.shift, one.shift)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    years(min_departments=2, max_departments=30),
    st.sampled_from([None, *OPTIONAL[:3]]),
    st.booleans(),
    st.booleans(),
    st.integers(0, 2**16),
)
def test_random_years_match_the_reference(tables, without, binned, still, seed):
    """Random years (many ties: small whole values, missing values, exemptions), with and
    without optional rules, one pass or two; ``still``: no input varies, every sample ties."""
    rules = (
        {"excellence": None}
        if without == "excellence"
        else {"conversion": None}
        if without == "conversion"
        else {"website_evaluation": None}
        if without
        else {}
    )
    with tempfile.TemporaryDirectory() as tmp, pytest.MonkeyPatch.context() as mp:
        data = wfscore.load_year(write_year(Path(tmp) / "y", tables, tiny_scheme_with(**rules)))
        if binned:
            two_passes(mp)
        rob = analyse(
            data,
            uncertainty=Uncertainty.none() if still else Uncertainty(),
            samples=97,
            seed=seed,
            chunk_size=40,
            keep_samples=True,
            resamples=5,
            top=3,
        )
        assert rob.settings["passes"] == (2 if binned and len(tables["departments"]) > 3 else 1)
        assert_matches_reference(rob, data)


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 60), st.integers(1, 80), st.integers(1, 70), st.integers(0, 2**16), st.integers(1, 9))
def test_the_tally_gives_numpys_quantiles(departments, samples, bins, seed, block):
    """The counts alone, on rank matrices full of ties, counted a block of samples at a time
    and in pieces merged as Dask's chunks are."""
    rng = np.random.default_rng(seed)
    ranks = rng.integers(1, rng.integers(1, departments + 1) + 1, size=(samples, departments))
    whole = RankTally(departments, samples, bins, top=3)
    for s in range(0, samples, block):
        part = whole.fresh()
        part.add(ranks[s : s + block])
        whole.merge(part)
    whole.start_refine()
    for s in range(0, samples, block):
        whole.refine(ranks[s : s + block])
    for k, q in enumerate(whole.quantiles):
        np.testing.assert_array_equal(whole.quantile(k), np.quantile(ranks, q, axis=0, method="inverted_cdf"))
    np.testing.assert_array_equal(whole.best, ranks.min(axis=0))
    np.testing.assert_array_equal(whole.worst, ranks.max(axis=0))
    np.testing.assert_array_equal(whole.in_top, (ranks <= 3).sum(axis=0))


def test_the_bins_are_every_rank_when_the_square_fits():
    assert bins_for(100, 100 * 100 * 4) == 100
    assert bins_for(100_000, 1e9) == 548  # √(3 × 100,000): the two passes' counts smallest


def test_a_run_that_cannot_fit_is_refused_before_it_starts(year_2011, monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("scored although refused")

    monkeypatch.setattr(sensitivity, "run_chunk", never)
    monkeypatch.setattr(sensitivity.BatchModel, "of", never)
    with pytest.raises(ValueError) as err:
        analyse(year_2011, samples=1000, memory=50e6)
    text = str(err.value)
    assert text.startswith("the robustness analysis of 129 departments needs about 0.")
    assert "more than the 0.05 GB allowed" in text and "--memory" in text
    with pytest.raises(ValueError) as err:
        analyse(year_2011, samples=600_000, keep_samples=True)
    text = str(err.value)
    assert text.startswith("keeping all 600000 samples of 129 departments needs about 1.")
    fit = int(re.search(r"more than the 1\.00 GB allowed \(expected at most (\d+) samples kept", text).group(1))
    assert 300_000 < fit < 400_000
    with pytest.raises(ValueError, match=r"memory is -1 \(expected a positive number of bytes"):
        analyse(year_2011, samples=100, memory=-1)


def test_100k_departments_plan_within_the_default_memory():
    """The plan of the issue's size: 100,000 departments × 10,000 samples (the run itself
    is measured by benchmarks/bench_memory.py), and a size that is refused."""
    plan = sensitivity.plan_memory(100_000, 27, 12, 32, 10_000, 2000, sensitivity.MEMORY)
    assert plan.passes == 2 and plan.needed <= sensitivity.MEMORY and plan.rows >= 1
    with pytest.raises(ValueError, match="the robustness analysis of 2000000 departments needs about"):
        sensitivity.plan_memory(2_000_000, 27, 12, 32, 10_000, 2000, sensitivity.MEMORY)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_command_line_refuses_naming_the_memory(tmp_path, lang):
    out = tmp_path / "robustness.csv"
    done = run_cli(
        "sensitivity", SAMPLE, "--samples", "500", "--memory", "0.01", "--out", out, "--lang", lang, lang=lang
    )
    assert done.returncode == 2 and not out.exists()
    assert (
        ("稳健性分析约需" in done.stderr and "超过允许的 0.01 GB" in done.stderr)
        if lang == "zh"
        else ("needs about" in done.stderr and "more than the 0.01 GB allowed" in done.stderr)
    )
    assert "Traceback" not in done.stderr
    done = run_cli("sensitivity", SAMPLE, "--samples", "500", "--memory", "-2", lang=lang)
    assert done.returncode == 2 and ("--memory 为 -2" if lang == "zh" else "--memory is -2") in done.stderr
    done = run_cli("sensitivity", SAMPLE, "--samples", "500", "--memory", "2", "--out", out, lang=lang)
    assert done.returncode == 0 and out.exists()


def test_a_dask_cluster_counts_both_passes_as_a_local_run(year_2011, monkeypatch):
    try:
        from dask import distributed
    except ImportError:
        distributed = None
    need(distributed is not None, "dask.distributed")
    settings = dict(
        uncertainty=Uncertainty(security_indicators=("18", "19", "20")), samples=1200, seed=8, chunk_size=200
    )
    local = analyse(year_2011, **settings)
    monkeypatch.setattr(sensitivity, "ONE_PASS", 0.0)  # the plan is made here; the workers follow it
    cluster = distributed.LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, host="127.0.0.1", dashboard_address=None
    )
    try:
        with distributed.Client(cluster) as client:
            remote = analyse(year_2011, client=client, **settings)
    finally:
        cluster.close()
    assert (local.settings["passes"], remote.settings["passes"]) == (1, 2)
    pd.testing.assert_frame_equal(remote.table, local.table)
    pd.testing.assert_frame_equal(remote.indices, local.indices)
    np.testing.assert_array_equal(remote.shift, local.shift)
