"""``wfscore coherence DIR --out FILE`` through the real console script."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import wfscore
from helpers import SAMPLE, TINY, run_cli
from wfscore.analysis import coherence

REQUIRED = ["indicator", "name", "weight_share", "corr_total", "main_effect", "main_effect_low", "main_effect_high"]


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


@pytest.mark.parametrize(
    "args, message",
    [
        (["--bootstrap", "-1"], "--bootstrap is -1"),
        (["--redundancy", "1.5"], "--redundancy is 1.5"),
    ],
)
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
    scheme.write_text(
        scheme.read_text(encoding="utf-8").replace("name: 领导机制", 'name: "领导\\e[31m机制"'), encoding="utf-8"
    )
    proc = run_cli("coherence", tiny, "--out", tmp_path / "c.csv", "--bootstrap", "0")
    # loading refuses the control character; its error quotes the value escaped, never raw
    assert proc.returncode == 1, proc.stderr
    assert "\x1b" not in proc.stdout + proc.stderr
    assert "scheme.yaml line" in proc.stderr and "\\x1b[31m" in proc.stderr
    assert not (tmp_path / "c.csv").exists()


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_findings_come_first_as_advice_and_the_pairs_beyond_ten_go_to_the_file(tmp_path, lang):
    out = tmp_path / "c.csv"
    proc = run_cli("coherence", SAMPLE, "--out", out, "--bootstrap", "0", "--lang", lang)
    assert proc.returncode == 0, proc.stderr
    lines = _lines(proc.stdout)
    title = {"zh": "需要留意的地方：", "en": "What to look at:"}[lang]
    table_head = {"zh": "指标", "en": "Indicator"}[lang]
    start = lines.index(title)
    first_table = next(n for n, line in enumerate(lines) if line.startswith(table_head))
    advice = lines[start + 1 : first_table]
    assert 1 <= len(advice) <= 8 and all(re_numbered(line) for line in advice)
    # the sample's own findings, in plain words: pairs that move together, the weak awards
    assert any(("几乎同步" if lang == "zh" else "move almost together") in line for line in advice)
    assert any(("表彰奖励" if lang == "zh" else "Awards") in line for line in advice)
    # the technical terms stay in the tables, not in the advice's first line
    result = wfscore.score(wfscore.load_year(SAMPLE))
    a = coherence.audit(result, resamples=0)
    pairs = pd.read_csv(tmp_path / "c_pairs.csv", dtype={"indicator_a": str, "indicator_b": str})
    assert len(pairs) == len(a.pairs) > 10
    assert list(pairs["indicator_a"]) == list(a.pairs["indicator_a"])
    shown = [
        line
        for line in lines
        if any(line.startswith(f"{r.indicator_a} ") and f" {r.indicator_b} " in line for r in a.pairs.itertuples())
    ]
    assert len(shown) == 10
    more = {
        "zh": f"另有 {len(a.pairs) - 10} 对见 {tmp_path / 'c_pairs.csv'}。",
        "en": f"{len(a.pairs) - 10} more pairs are in {tmp_path / 'c_pairs.csv'}.",
    }[lang]
    assert more in lines


def re_numbered(line: str) -> bool:
    import re

    return re.match(r"\d+\. \S", line) is not None


def test_no_status_contradicts_a_finding():
    """Where a sentence of the audit flags an indicator or a category, its status in the
    table does not say ok: the sample's awards category (alpha 0.21) and the indicators
    whose effect is far from their weight."""
    result = wfscore.score(wfscore.load_year(SAMPLE))
    for lang, ok in (("zh", "正常"), ("en", "ok")):
        a = coherence.audit(result, resamples=0, lang=lang)
        sentences = a.sentences(lang)
        names = a.settings["names"][lang]
        flagged = [
            r
            for r in a.indicators.itertuples()
            if any(f"“{names[r.indicator]}”" in s and ("权重" in s or "weight" in s) for s in sentences)
        ]
        assert flagged  # the sample has such indicators
        assert all(r.status_text != ok for r in flagged)
        low = a.categories[a.categories["alpha"] < coherence.LOW_ALPHA]
        assert list(low["category"]) == ["awards"] and (low["status"] != ok).all()
        others = a.indicators[~a.indicators["indicator"].isin([r.indicator for r in flagged])]
        assert (others["status_text"] == ok).all()  # and the rest say ok


def test_pairs_option_names_the_file_and_refuses_the_same_file_as_out(tmp_path):
    out, pairs = tmp_path / "c.csv", tmp_path / "p.csv"
    proc = run_cli("coherence", TINY, "--out", out, "--pairs", pairs, "--bootstrap", "0")
    assert proc.returncode == 0 and pairs.is_file() and not (tmp_path / "c_pairs.csv").exists()
    assert list(pd.read_csv(pairs).columns) == ["indicator_a", "name_a", "indicator_b", "name_b", "corr"]
    proc = run_cli("coherence", TINY, "--out", out, "--pairs", out, "--bootstrap", "0")
    assert proc.returncode == 2 and "--pairs and --out name the same file" in proc.stderr
