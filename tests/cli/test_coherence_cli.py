"""``wfscore coherence DIR --out FILE`` through the real console script."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import wfscore
from conftest import SAMPLE, TINY, run_cli
from wfscore.analysis import coherence

REQUIRED = ["indicator", "name", "weight_share", "corr_total", "main_effect", "main_effect_low",
            "main_effect_high"]


def test_help():
    proc = run_cli("coherence", "--help")
    assert proc.returncode == 0 and proc.stdout.startswith("usage: wfscore coherence")


def test_the_sample_year_in_chinese(tmp_path):
    out = tmp_path / "audit" / "coherence.csv"
    proc = run_cli("coherence", SAMPLE, "--out", out, "--bootstrap", "200", "--seed", "3")
    assert proc.returncode == 0, proc.stderr
    frame = pd.read_csv(out, dtype={"indicator": str})
    assert list(frame.columns[:2]) == ["indicator", "name"] and set(REQUIRED) <= set(frame.columns)
    result = wfscore.score(wfscore.load_year(SAMPLE))
    assert list(frame["indicator"]) == [i.id for i in result.scheme.indicators]
    assert frame["weight_share"].to_numpy() == pytest.approx(result.arrays.weight / result.arrays.weight.sum())
    rows = ~result.exempt[:, 0]
    assert frame.loc[0, "corr_total"] == pytest.approx(np.corrcoef(result.score[rows, 0], result.total[rows])[0, 1])
    same = coherence.audit(result, resamples=200, seed=3).indicators
    assert frame["main_effect_low"].to_numpy() == pytest.approx(same["main_effect_low"].to_numpy())
    assert "合成的示例数据" in proc.stdout  # synthetic data says so
    for text in ("Cronbach α", "第一主成分方差占比", "高度相关的指标对", "信息化工作体系", "表彰奖励"):
        assert text in proc.stdout


def test_english_and_no_bootstrap(tmp_path):
    out = tmp_path / "c.csv"
    proc = run_cli("coherence", TINY, "--out", out, "--lang", "en", "--bootstrap", "0")
    assert proc.returncode == 0, proc.stderr
    assert "Internal consistency of each category" in proc.stdout
    frame = pd.read_csv(out)
    assert frame["main_effect_low"].isna().all()  # no resamples, no interval
    assert frame["status_text"].notna().all()  # every row says what it is


@pytest.mark.parametrize("args, message", [
    (["--bootstrap", "-1"], "--bootstrap is -1"),
    (["--redundancy", "1.5"], "--redundancy is 1.5"),
])
def test_bad_options_exit_2_and_write_nothing(tmp_path, args, message):
    out = tmp_path / "c.csv"
    proc = run_cli("coherence", TINY, "--out", out, *args)
    assert proc.returncode == 2 and message in proc.stderr and "Traceback" not in proc.stderr
    assert not out.exists()


def test_bad_inputs_exit_1_and_leave_the_old_file(tiny, tmp_path):
    out = tmp_path / "c.csv"
    out.write_text("old", encoding="utf-8")
    (tiny / "departments.csv").unlink()
    proc = run_cli("coherence", tiny, "--out", out)
    assert proc.returncode == 1 and "nothing was written" in proc.stderr
    assert out.read_text(encoding="utf-8") == "old"


def test_never_writes_over_an_input(tiny):
    target = tiny / "values.csv"
    before = target.read_bytes()
    proc = run_cli("coherence", tiny, "--out", target)
    assert proc.returncode == 2 and "input files" in proc.stderr
    assert target.read_bytes() == before


def test_control_characters_do_not_reach_the_terminal(tiny, tmp_path):
    scheme = tiny / "scheme.yaml"
    scheme.write_text(scheme.read_text(encoding="utf-8").replace("name: 领导机制", 'name: "领导\\e[31m机制"'),
                      encoding="utf-8")
    proc = run_cli("coherence", tiny, "--out", tmp_path / "c.csv", "--bootstrap", "0")
    assert proc.returncode == 0, proc.stderr
    assert "\x1b" not in proc.stdout and "领导\ufffd[31m机制" in proc.stdout
