"""The robustness charts: what they draw, in Chinese and English, with no missing glyphs."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import wfscore
from helpers import SAMPLE
from wfscore.analysis.sensitivity import analyse
from wfscore.analysis.uncertainty import Uncertainty
from wfscore.publish.sensitivity_charts import rank_interval_chart, sensitivity_chart


@pytest.fixture(scope="module")
def robustness():
    year = wfscore.load_year(SAMPLE)
    return analyse(year, uncertainty=Uncertainty(security_indicators=("18", "19", "20")), samples=1000)


def render(fig, path):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing CJK glyph is a UserWarning from matplotlib
        fig.savefig(path, dpi=60)
    assert path.stat().st_size > 5000


def test_rank_interval_chart_in_chinese(robustness, tmp_path):
    fig = rank_interval_chart(robustness.table)
    render(fig, tmp_path / "ranks.png")
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == list(robustness.table.sort_values("nominal_rank", kind="stable")["name"])
    assert labels[0] == "市经济和信息化委员会"  # rank 1 at the top
    assert ax.get_ylim()[0] > ax.get_ylim()[1]
    assert ax.get_title().startswith("名次的稳健性")
    bars, nominal, median = ax.collections
    segments = bars.get_segments()
    table = robustness.table
    assert [s[0][0] for s in segments] == list(table["rank_p05"])
    assert [s[1][0] for s in segments] == list(table["rank_p95"])
    np.testing.assert_array_equal(median.get_offsets()[:, 0], table["median_rank"])
    np.testing.assert_array_equal(nominal.get_offsets()[:, 0], table["nominal_rank"])
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == ["5–95% 区间", "名义名次", "中位数"]


def test_rank_interval_chart_in_english_limited(robustness, tmp_path):
    fig = rank_interval_chart(robustness.table, lang="en", limit=20)
    render(fig, tmp_path / "ranks_en.png")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == list(robustness.table["dept_id"][:20])
    assert ax.get_xlabel() == "Rank"


def test_sensitivity_chart_both_languages(robustness, tmp_path):
    for lang, name in (("zh", "name"), ("en", "name_en")):
        fig = sensitivity_chart(robustness.indices, lang=lang)
        render(fig, tmp_path / f"indices_{lang}.png")
        ax = fig.axes[0]
        ordered = robustness.indices.sort_values("total", kind="stable")
        assert [t.get_text() for t in ax.get_yticklabels()] == list(ordered[name])
        bars = [p.get_width() for p in ax.patches]
        np.testing.assert_allclose(bars, list(ordered["first"]) + list(ordered["total"]))
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["First order", "Total order"]


def test_sensitivity_chart_without_inputs(tmp_path):
    year = wfscore.load_year(SAMPLE)
    fig = sensitivity_chart(analyse(year, uncertainty=Uncertainty.none(), samples=10).indices)
    render(fig, tmp_path / "none.png")
    assert fig.axes[0].texts[0].get_text() == "没有不确定输入"


def test_an_unknown_language_is_an_error(robustness):
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        rank_interval_chart(robustness.table, lang="fr")


@pytest.mark.parametrize(
    "lang, title, movers",
    [
        ("zh", "排名稳健性", "名次最不稳定的 10 个部门"),
        ("en", "Robustness of the ranking", "The 10 departments whose rank moves most"),
    ],
)
def test_the_report_section(lang, title, movers):
    from helpers import TINY
    from wfscore.publish.sensitivity_charts import report_section

    result = wfscore.score(wfscore.load_year(TINY))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        section = report_section(result, lang, samples=700)
    page = section.html
    assert section.title == title and movers in page
    assert page.count('src="data:image/png;base64,') == 2  # the interval chart and the indices
    assert "700" in page
    for name in result.data.departments["name"]:
        assert name in page or lang == "en"
