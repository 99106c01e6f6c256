"""The command line through the real console script and ``python -m wfscore``."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

import wfscore
from helpers import TINY, cli_env, run_cli


@pytest.mark.parametrize("command", [[], ["validate"], ["score"], ["explain"]])
def test_help_on_each_command(command):
    proc = run_cli(*command, "--help")
    assert proc.returncode == 0
    assert proc.stdout.startswith("usage: wfscore")


def test_version():
    proc = run_cli("--version")
    assert proc.stdout.strip() == f"wfscore {wfscore.__version__}"


def test_python_dash_m():
    proc = subprocess.run(
        [sys.executable, "-m", "wfscore", "validate", str(TINY)], capture_output=True, text=True, env=cli_env()
    )
    assert proc.returncode == 0
    assert proc.stdout.endswith(f"{TINY}: 0 errors, 4 warnings\n")


def test_validate_exit_codes(tiny):
    assert run_cli("validate", tiny).returncode == 0
    (tiny / "values.csv").write_text("dept_id,indicator,value\nD1,i2,x\n", encoding="utf-8")
    proc = run_cli("validate", tiny)
    assert proc.returncode == 1
    assert "error: values.csv line 2, column value: 'x' is not a number" in proc.stdout


def test_usage_error_exits_2():
    proc = run_cli("score", str(TINY))  # --out is required
    assert proc.returncode == 2 and "--out" in proc.stderr


def test_score_writes_results_and_detail(tmp_path):
    out, detail = tmp_path / "reports" / "results.csv", tmp_path / "reports" / "detail.csv"
    proc = run_cli("score", TINY, "--out", out, "--detail", detail)
    assert proc.returncode == 0, proc.stderr
    results = pd.read_csv(out, dtype={"dept_id": str})
    expected = wfscore.score(wfscore.load_year(TINY)).ranking
    assert list(results.columns) == list(expected.columns)
    assert results["dept_id"].tolist() == expected["dept_id"].tolist()
    assert results["total"].tolist() == pytest.approx(expected["total"].tolist(), abs=1e-9)
    assert out.read_text(encoding="utf-8").splitlines()[1].startswith("D1,一号局,gov,29.0,24.0,27.0,15.0,20.0,80.0")
    assert set(results["eligible"]) == {True, False}  # written as true / false
    assert "true" in out.read_text(encoding="utf-8")
    rows = pd.read_csv(detail)
    assert len(rows) == 7 * 8 and list(rows.columns)[-1] == "note"
    assert not list(tmp_path.glob("reports/.wfscore-tmp-*"))


def test_score_replaces_an_existing_file_whole(tmp_path):
    out = tmp_path / "results.csv"
    out.write_text("old", encoding="utf-8")
    assert run_cli("score", TINY, "--out", out).returncode == 0
    assert out.read_text(encoding="utf-8").startswith("\ufeffdept_id,")  # with a BOM, for Excel


def test_score_on_error_leaves_an_existing_file_alone(tiny, tmp_path):
    out = tmp_path / "results.csv"
    out.write_text("old", encoding="utf-8")
    (tiny / "departments.csv").unlink()
    assert run_cli("score", tiny, "--out", out).returncode == 1
    assert out.read_text(encoding="utf-8") == "old"


def test_explain(tmp_path):
    proc = run_cli("explain", TINY, "D2")
    assert proc.returncode == 0
    assert proc.stdout.startswith("二号局（D2，政府机关）\n总分 95.50 / 150  名次 2")
    proc = run_cli("explain", TINY, "D2", "--lang", "en")
    assert "Total 95.50 / 150  Rank 2 (of 7 departments)" in proc.stdout


def test_explain_unknown_department():
    proc = run_cli("explain", TINY, "D99")
    assert proc.returncode == 1
    assert "error: no department 'D99' in departments.csv (expected a dept_id such as D1, D2" in proc.stderr
