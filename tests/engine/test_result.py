"""A result's tables: ranking, detail, adjustment log, provenance."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

import wfscore
from helpers import TINY


@pytest.fixture(scope="module")
def result():
    return wfscore.score(wfscore.load_year(TINY))


def test_ranking_columns_follow_spec_order(result):
    assert list(result.ranking.columns) == [
        "dept_id",
        "name",
        "kind",
        "c1",
        "c2",
        "c3",
        "c4",
        "c5",
        "A",
        "B",
        "C",
        "total",
        "rank",
        "eligible",
        "excellent",
        "converted",
    ]
    assert result.ranking["rank"].is_monotonic_increasing


def test_ranking_without_optional_rules(tmp_path):
    import shutil

    from yeargen import tiny_scheme_with

    shutil.copytree(TINY, tmp_path / "y")
    text = tiny_scheme_with(excellence=None, conversion=None)
    (tmp_path / "y" / "scheme.yaml").write_text(text, encoding="utf-8")
    r = wfscore.score(wfscore.load_year(tmp_path / "y"))
    assert list(r.ranking.columns)[-3:] == ["total", "rank", "eligible"]
    assert r.excellent is None and r.converted is None


def test_detail_has_a_row_per_department_and_indicator(result):
    detail = result.detail()
    assert list(detail.columns) == [
        "dept_id",
        "indicator",
        "value",
        "base",
        "weight",
        "effective_weight",
        "score",
        "note",
    ]
    assert len(detail) == 7 * 8
    row = detail.set_index(["dept_id", "indicator"]).loc[("D4", "i4")]
    assert (row["value"], row["base"], row["weight"], row["effective_weight"], row["score"]) == (3, 6, 10, 30, 15)
    assert "10 → 30.00" in row["note"]
    sums = detail.groupby("dept_id")["score"].sum()
    for dept, total in zip(result.data.dept_ids, result.total):
        assert sums[dept] == pytest.approx(total)


def test_detail_notes_explain_every_adjustment(result):
    notes = result.detail().set_index(["dept_id", "indicator"])["note"]
    assert notes[("D3", "i2")] == "缺少数据，计 0 分"
    assert notes[("D4", "i3")] == "经确认不适用（无独立网站栏目），权重 20 → 0"
    assert notes[("D1", "i3")] == "按全市政务网站绩效评估成绩计入：80/100 × 20.00 = 16.00"
    assert notes[("D6", "i5")].startswith("发生信息安全事故（2011/3/5 一般 网页被篡改），本项不得分（原得 21.00 分）")
    assert notes[("D4", "b1")] == "确认成果 2 项"
    english = result.detail("en").set_index(["dept_id", "indicator"])["note"]
    assert english[("D3", "i2")] == "no value: scored 0"


def test_adjustment_log(result):
    log = result.adjustments()
    kinds = log.groupby("kind").size().to_dict()
    assert kinds == {
        "missing_value": 2,  # D3 and D7, i2
        "exemption": 3,  # D4 i3; D5 i3, i4 (D6's request is not confirmed)
        "redistribution": 4,  # D4 i4; D5 i1, i2, i5
        "website_evaluation": 4,  # D1 and D2, i3 and i4
        "security_incident": 2,  # D2 and D6, i5
        "disqualification": 1,  # D2
    }
    assert set(log["step"]) == {1, 3, 5, 6, 9}
    d2 = log[(log["dept_id"] == "D2") & (log["kind"] == "disqualification")].iloc[0]
    assert d2["reason"] == "发生重大网络与信息安全事故（2011-08-11 重大 数据泄露），取消评优资格"
    assert d2["indicator"] == ""


def test_provenance_hashes_every_input(result):
    prov = result.provenance
    assert prov["year"] == 2011 and prov["scheme_title"] == "手算示例"
    assert prov["wfscore_version"] == wfscore.__version__ != "0+unknown"
    for name, digest in prov["inputs_sha256"].items():
        assert hashlib.sha256((TINY / name).read_bytes()).hexdigest() == digest
    assert len(prov["inputs_sha256"]) == 8


def test_position_of_an_unknown_department(result):
    with pytest.raises(KeyError, match="no department 'D99'"):
        result.position("D99")


def test_scoring_does_not_change_the_loaded_year():
    year = wfscore.load_year(TINY)
    before = {k: v.copy() for k, v in vars(year).items() if isinstance(v, np.ndarray)}
    wfscore.score(year).detail()
    for k, v in before.items():
        np.testing.assert_array_equal(getattr(year, k), v)
