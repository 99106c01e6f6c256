"""The robustness analysis: statistics, reproducibility, Dask, and the command line."""

from __future__ import annotations

import csv

import numpy as np
import pandas as pd
import pytest

import wfscore
from helpers import SAMPLE, TINY, need, run_cli
from wfscore.analysis.sensitivity import analyse, plan_chunks
from wfscore.analysis.uncertainty import Uncertainty

SCOPE_2011 = ("18", "19", "20")


@pytest.fixture(scope="module")
def year_2011():
    return wfscore.load_year(SAMPLE)


@pytest.fixture(scope="module")
def kept(year_2011):
    return analyse(
        year_2011,
        uncertainty=Uncertainty(security_indicators=SCOPE_2011),
        samples=3001,
        seed=11,
        chunk_size=500,
        keep_samples=True,
    )


def test_the_department_table_summarises_the_sample_ranks(kept, year_2011):
    table = kept.table.set_index("dept_id").loc[year_2011.dept_ids]
    ranks, nominal = kept.ranks, wfscore.score(year_2011)
    assert kept.ranks.shape == (3001, 129)
    np.testing.assert_array_equal(table["nominal_rank"], nominal.rank)
    for column, q in (("median_rank", 0.5), ("rank_p05", 0.05), ("rank_p95", 0.95)):
        np.testing.assert_array_equal(table[column], np.quantile(ranks, q, axis=0, method="inverted_cdf"))
    np.testing.assert_array_equal(table["best_rank"], ranks.min(axis=0))
    np.testing.assert_array_equal(table["worst_rank"], ranks.max(axis=0))
    np.testing.assert_array_equal(table["max_shift"], np.abs(ranks - nominal.rank).max(axis=0))
    np.testing.assert_allclose(table["p_top10"], (ranks <= 10).mean(axis=0))
    np.testing.assert_allclose(table["p_excellent"], kept.excellent.mean(axis=0))
    np.testing.assert_allclose(kept.shift, np.abs(ranks - nominal.rank).mean(axis=1))
    # in nominal rank order, with the columns the report and the CLI use
    assert list(kept.table["nominal_rank"]) == sorted(nominal.rank)
    assert list(kept.table.columns) == [
        "dept_id",
        "name",
        "kind",
        "nominal_total",
        "nominal_rank",
        "median_rank",
        "rank_p05",
        "rank_p95",
        "best_rank",
        "worst_rank",
        "max_shift",
        "p_top10",
        "nominal_excellent",
        "p_excellent",
    ]


def test_samples_not_divisible_by_the_design_are_topped_up_with_plain_rows():
    plans, base, _ = plan_chunks(3001, 6, 500, seed=0)
    assert base == 375  # 3001 // 8
    assert sum(p.samples(6) for p in plans) == 3001
    assert [p.kind for p in plans][-1] == "plain" and plans[-1].rows == 1
    assert max(p.samples(6) for p in plans) <= 500


def test_the_saltelli_rows_are_laid_out_as_documented(kept):
    # in each Saltelli chunk, A_B^g equals A except in g's columns, where it equals B
    rows = kept.uniform[: 8 * 62]  # the first chunk: 500 // 8 = 62 base rows
    a, b = rows[:62], rows[62:124]
    for g, factor in enumerate(kept.space.factors):
        ab = rows[(2 + g) * 62 : (3 + g) * 62]
        cols = list(factor.columns)
        others = [c for c in range(kept.space.dims) if c not in cols]
        np.testing.assert_array_equal(ab[:, cols], b[:, cols])
        np.testing.assert_array_equal(ab[:, others], a[:, others])


def test_identical_seeds_give_identical_output(year_2011):
    runs = [analyse(year_2011, samples=2000, seed=5, chunk_size=300) for _ in range(2)]
    pd.testing.assert_frame_equal(runs[0].table, runs[1].table)
    pd.testing.assert_frame_equal(runs[0].indices, runs[1].indices)
    np.testing.assert_array_equal(runs[0].shift, runs[1].shift)
    other = analyse(year_2011, samples=2000, seed=6, chunk_size=300)
    assert not np.array_equal(other.shift, runs[0].shift)


def test_an_input_that_changes_nothing_gets_a_total_index_of_zero():
    # tiny's security category holds only i5: "i5 only" is the same scope as the whole
    year = wfscore.load_year(TINY)
    rob = analyse(year, uncertainty=Uncertainty(security_indicators=("i5",)), samples=4000, seed=2)
    row = rob.indices.set_index("input").loc["security_scope"]
    assert row["total"] == 0 and row["total_low"] == 0 and row["total_high"] == 0
    assert row["first_low"] <= 0 <= row["first_high"]
    # while the not-applicable mode does move tiny's ranks (D5's whole website category is exempt)
    assert rob.indices.set_index("input").loc["not_applicable", "total_low"] > 0


def test_the_sensitivity_indices_name_the_inputs(kept):
    idx = kept.indices
    assert list(idx["input"]) == ["weights", "points", "not_applicable", "ratings", "index_base", "security_scope"]
    assert idx.loc[idx["input"] == "security_scope", "name"].item() == "安全事故扣分范围"
    assert (idx["first_low"] <= idx["first_high"]).all() and (idx["total_low"] <= idx["total_high"]).all()
    assert ((idx["total"] >= 0) & (idx["total"] <= 1.5)).all()


def test_a_scenario_scheme_is_the_nominal(year_2011):
    scenario = year_2011.scheme.model_copy(deep=True)
    scenario.rules.not_applicable = "none"
    rob = analyse(year_2011, scheme=scenario, uncertainty=Uncertainty(ratings=False), samples=300)
    nominal = wfscore.score(year_2011, scenario)
    table = rob.table.set_index("dept_id").loc[year_2011.dept_ids]
    np.testing.assert_array_equal(table["nominal_rank"], nominal.rank)
    np.testing.assert_allclose(table["nominal_total"], nominal.total)


def test_too_few_samples_is_a_clear_error(year_2011):
    with pytest.raises(ValueError) as err:
        analyse(year_2011, samples=10)
    assert str(err.value).startswith("samples is 10, too few for 5 uncertain inputs (expected at least 14")


def test_a_long_run_shows_a_progress_bar(year_2011, capsys, monkeypatch):
    monkeypatch.setenv("WFSCORE_LANG", "en")
    analyse(year_2011, samples=500, progress=True)
    assert "robustness: 100%" in capsys.readouterr().err
    monkeypatch.setenv("WFSCORE_LANG", "zh")  # the bar speaks the messages' language
    analyse(year_2011, samples=500, progress=True)
    err = capsys.readouterr().err
    assert "稳健性分析: 100%" in err and "个样本/s" in err
    analyse(year_2011, samples=500)
    assert capsys.readouterr().err == ""


def test_a_dask_cluster_gives_the_local_result(year_2011, tmp_path):
    try:
        from dask import distributed
    except ImportError:
        distributed = None
    need(distributed is not None, "dask.distributed")
    settings = dict(uncertainty=Uncertainty(security_indicators=SCOPE_2011), samples=4000, seed=3, chunk_size=400)
    local = analyse(year_2011, **settings)
    cluster = distributed.LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, host="127.0.0.1", dashboard_address=None
    )
    try:
        with distributed.Client(cluster) as client:
            remote = analyse(year_2011, client=client, **settings)
            assert len(client.scheduler_info()["workers"]) == 2
        pd.testing.assert_frame_equal(remote.table, local.table)
        pd.testing.assert_frame_equal(remote.indices, local.indices)
        np.testing.assert_array_equal(remote.shift, local.shift)
        # the command line's --dask reaches the same cluster and writes the same table
        out_local, out_dask = tmp_path / "local.csv", tmp_path / "dask.csv"
        args = ["sensitivity", SAMPLE, "--samples", "2000", "--seed", "4"]
        assert run_cli(*args, "--out", out_local).returncode == 0
        done = run_cli(*args, "--out", out_dask, "--dask", cluster.scheduler_address)
        assert done.returncode == 0, done.stderr
        assert out_dask.read_text(encoding="utf-8") == out_local.read_text(encoding="utf-8")
    finally:
        cluster.close()


# -- the command line, through the installed console script -----------------------


def test_cli_writes_the_table_and_prints_the_top_movers(tmp_path):
    out, idx = tmp_path / "robust" / "ranks.csv", tmp_path / "indices.csv"
    done = run_cli(
        "sensitivity",
        SAMPLE,
        "--samples",
        "2000",
        "--seed",
        "1",
        "--out",
        out,
        "--indices",
        idx,
        "--security-alternative",
        "18,19,20",
    )
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert len(rows) == 129 and rows[0]["nominal_rank"] == "1"
    assert rows[0]["nominal_excellent"] in {"true", "false"}
    assert [r["input"] for r in csv.DictReader(idx.open(encoding="utf-8-sig"))][-1] == "security_scope"
    text = done.stdout
    assert "注意：本年度数据为合成的示例数据" in text
    assert "2000 个样本（Saltelli 基样本 250 个，6 个不确定输入）" in text
    assert "名次变动最大的 10 个部门" in text and "安全事故扣分范围" in text
    movers = pd.read_csv(out).assign(width=lambda t: t.rank_p95 - t.rank_p05)
    widest = movers.sort_values(["width", "max_shift", "nominal_rank"], ascending=[False, False, True]).iloc[0]
    first_line = text.split("名次变动最大的 10 个部门")[1].splitlines()[2]
    assert first_line.split()[0] == widest["dept_id"]
    again = run_cli(
        "sensitivity",
        SAMPLE,
        "--samples",
        "2000",
        "--seed",
        "1",
        "--out",
        tmp_path / "again.csv",
        "--security-alternative",
        "18,19,20",
    )
    assert again.returncode == 0 and (tmp_path / "again.csv").read_bytes() == out.read_bytes()


def test_cli_in_english_with_inputs_fixed(tmp_path):
    done = run_cli(
        "sensitivity",
        TINY,
        "--samples",
        "500",
        "--fix",
        "ratings",
        "--fix",
        "points",
        "--weight-spread",
        "10",
        "--lang",
        "en",
        "--movers",
        "3",
    )
    assert done.returncode == 0, done.stderr
    assert "500 samples (Saltelli base 100, 3 uncertain inputs)" in done.stdout
    assert "The 3 departments whose rank moves most" in done.stdout
    assert "Aggregation of expert ratings" not in done.stdout and "Indicator weights" in done.stdout


def test_cli_errors(tmp_path, tiny):
    out = tmp_path / "x.csv"
    done = run_cli("sensitivity", SAMPLE, "--samples", "100", "--security-alternative", "18,99", "--out", out)
    assert done.returncode == 2 and "security_indicators names 99" in done.stderr and not out.exists()
    (tiny / "values.csv").write_text("dept_id,indicator,value\nD1,i2,abc\n", encoding="utf-8")
    done = run_cli("sensitivity", tiny, "--samples", "100", "--out", out)
    assert done.returncode == 1 and "'abc' is not a number" in done.stderr and not out.exists()
    done = run_cli("sensitivity", SAMPLE, "--out", out)
    assert done.returncode == 2 and "--samples" in done.stderr


def test_without_the_excellence_rule_there_is_no_excellence_column(year_2011):
    scenario = year_2011.scheme.model_copy(deep=True)
    scenario.rules.excellence = None
    rob = analyse(year_2011, scheme=scenario, samples=200, keep_samples=True)
    assert "p_excellent" not in rob.table and "nominal_excellent" not in rob.table
    assert rob.excellent is None
    assert rob.movers(3).shape[0] == 3
