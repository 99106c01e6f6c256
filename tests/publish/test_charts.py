"""The report's charts (wfscore.publish.charts): Chinese renders with no missing glyph, English
labels from the scheme, hostile names drawn as text."""

from __future__ import annotations

import io
import warnings
from pathlib import Path

import matplotlib
import pytest
from matplotlib import font_manager
from matplotlib.figure import Figure

import wfscore
from helpers import HOSTILE_NAMES, SAMPLE
from wfscore.publish import charts
from wfscore.publish.fonts import FONT_FILE, use_cjk_font

FIGURES = [charts.figure_distributions, charts.figure_composition, charts.figure_by_kind]
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def sample_result():
    return wfscore.score(wfscore.load_year(SAMPLE))


def glyph_warnings(draw) -> list[str]:
    """Every missing-glyph warning matplotlib gives while ``draw()`` renders."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        draw()
    return [str(w.message) for w in caught if "missing from" in str(w.message) or "Glyph" in str(w.message)]


def texts(fig) -> list[str]:
    return [t.get_text() for t in fig.findobj(matplotlib.text.Text) if t.get_text()]


def test_the_check_catches_a_missing_glyph():
    """Without the CJK font, drawing Chinese does warn: the tests below can fail."""

    def draw():
        with matplotlib.rc_context({"font.family": "sans-serif", "font.sans-serif": ["DejaVu Sans"]}):
            fig = Figure(figsize=(2, 1))
            fig.text(0.1, 0.5, "信息化工作体系")
            fig.savefig(io.BytesIO(), format="png")

    assert glyph_warnings(draw)


@pytest.mark.parametrize("figure", FIGURES, ids=lambda f: f.__name__)
def test_chinese_charts_render_without_missing_glyphs(sample_result, figure):
    pngs = []
    found = glyph_warnings(lambda: pngs.append(charts.png(figure(sample_result, "zh"))))
    assert found == []
    assert pngs[0].startswith(PNG) and len(pngs[0]) > 10_000


def test_the_cjk_font_comes_from_mplfonts():
    name = use_cjk_font()
    path = font_manager.findfont(font_manager.FontProperties(family=[name]), fallback_to_default=False)
    assert Path(path).name == FONT_FILE


def test_chart_labels_are_chinese_by_default_and_english_under_en(sample_result):
    zh = texts(charts.figure_distributions(sample_result, "zh"))
    en = texts(charts.figure_distributions(sample_result, "en"))
    assert any("信息化工作体系" in t for t in zh) and any("满分 160 分" in t for t in zh)
    assert any("Informatization work system" in t for t in en) and any("out of 160" in t for t in en)
    assert not any("信息化" in t for t in en)
    kinds = texts(charts.figure_by_kind(sample_result, "en"))
    assert any(t.startswith("Government departments") for t in kinds)
    legend = texts(charts.figure_composition(sample_result, "en"))
    assert "Department website" in legend


def test_composition_lists_every_department_best_first(sample_result):
    fig = charts.figure_composition(sample_result, "zh")
    labels = sorted(fig.axes[0].texts, key=lambda t: t.get_position()[1])  # top to bottom
    assert [t.get_text() for t in labels] == list(sample_result.ranking["name"])


def test_hostile_names_are_drawn_as_written(hostile):
    result = wfscore.score(wfscore.load_year(hostile))
    fig = charts.figure_composition(result, "zh")
    found = glyph_warnings(lambda: charts.png(fig))  # "$\\alpha$" would be maths, or an error
    assert found == []
    labels = {t.get_text() for t in fig.axes[0].texts}
    assert set(HOSTILE_NAMES.values()) == labels
    assert all(not t.get_parse_math() for t in fig.axes[0].texts)


def test_sections_embed_the_picture(sample_result):
    section = charts.by_kind(sample_result, "zh")
    assert section.title == "按部门类别的总分"
    assert '<img alt="按部门类别的总分" src="data:image/png;base64,' in section.html
