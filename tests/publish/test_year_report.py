"""The year-on-year sections of the annual report and the trends report (wfscore.publish.year_report,
wfscore.publish.year_charts): skipped with one note when there is no previous year, Chinese by
default and English under lang="en", no missing glyph, and the notebooks call them."""

from __future__ import annotations

import ast
import shutil

import nbformat
import pytest

import wfscore
from helpers import ROOT, SAMPLE
from test_charts import glyph_warnings, texts
from twoyears import direct_year
from wfscore.analysis import years
from wfscore.inputs.params import ParameterError as ReportError
from wfscore.publish import year_charts, year_report
from wfscore.publish.charts import png

DATA = SAMPLE.parent


@pytest.fixture(scope="module")
def run():
    return years.compare([wfscore.load_year(DATA / str(y)) for y in (2011, 2012, 2013)])


@pytest.fixture(scope="module")
def yoy_2013():
    return year_report.previous_year(wfscore.score(wfscore.load_year(DATA / "2013")), "zh")


# -- the annual report's comparison ------------------------------------------------------------------------


def test_no_previous_year_is_one_note_and_nothing_else(tiny):
    yoy = year_report.previous_year(wfscore.score(wfscore.load_year(tiny)), "zh")
    assert yoy.comparison is None
    section = year_report.heading(yoy)
    assert section.title == "与上一年度比较"
    # named by the folder alone: a published page shows no path of the machine that built it
    assert section.parts == ['<p class="wf-note">没有上一年度（2010）的数据目录 2010，跳过年度比较。</p>']
    assert yoy._repr_html_() == section.html
    for show in (year_report.slope, year_report.movers, year_report.shares_moving, year_report.decomposition):
        assert show(yoy, "zh") is None  # the cell shows nothing


def test_a_broken_previous_year_skips_the_comparison_and_says_why(tmp_path):
    direct_year(tmp_path / "2020", 2020, [("D1", "一号局", 1, 1)])
    (tmp_path / "2020" / "values.csv").write_text("dept_id,indicator,value\nD1,d1,abc\n", encoding="utf-8")
    now = direct_year(tmp_path / "2021", 2021, [("D1", "一号局", 2, 2)])
    yoy = year_report.previous_year(wfscore.score(wfscore.load_year(now)), "en")
    assert yoy.comparison is None
    assert yoy.skipped == (
        "The year before (2020) has errors, so the comparison is skipped: values.csv line 2, "
        "column value: 'abc' is not a number (expected a non-negative number)"
    )


def test_a_previous_folder_holding_another_year_is_skipped_too(tmp_path):
    direct_year(tmp_path / "2020", 2019, [("D1", "一号局", 1, 1)])  # folder 2020, scheme of 2019
    now = direct_year(tmp_path / "2021", 2021, [("D1", "一号局", 2, 2)])
    yoy = year_report.previous_year(wfscore.score(wfscore.load_year(now)), "zh")
    assert yoy.comparison is None
    assert yoy.skipped.startswith(
        "上一年度（2020）的数据有错误，跳过年度比较：years 2019, 2021 are not a run of consecutive years"
    )


def test_the_heading_names_renames_mergers_and_new_departments(yoy_2013):
    html = year_report.heading(yoy_2013).html
    assert "与上一年度比较（2012 → 2013）" in html
    assert "市卫生和计划生育委员会（由 市卫生局、市人口和计划生育委员会 合并）" in html
    assert "市投资促进局（原 市经济合作局）" in html and "潍坊报业集团（原 潍坊日报社）" in html


def test_movers_list_the_biggest_rise_first(yoy_2013):
    section = year_report.movers(yoy_2013, "zh")
    risers, fallers = yoy_2013.comparison.movers(2013, 10)
    assert len(risers) == len(fallers) == 10
    assert risers["rank_change"].is_monotonic_decreasing and fallers["rank_change"].is_monotonic_increasing
    html = section.html
    assert html.index(risers["name"].iloc[0]) < html.index(risers["name"].iloc[1])
    assert f"▲{int(risers['rank_change'].iloc[0])}" in html and "自身变化" in html


def test_shares_table_has_every_category_of_both_years(yoy_2013):
    frame = year_report.shares_frame(yoy_2013.comparison, 2013, "zh")
    assert list(frame["类别指标"]) == [c.name for c in yoy_2013.result.scheme.categories]
    row = frame.set_index("类别指标").loc["标准化与信息安全保障"]
    assert (row["上年满分"], row["本年满分"]) == (100, 120)


def test_decomposition_section_lists_what_was_not_compared(yoy_2013):
    section = year_report.decomposition(yoy_2013, "zh")
    assert "限于两年共有的 26 项指标" in section.html
    skipped = year_report.not_compared_frame(yoy_2013.comparison, 2013, "zh")
    assert skipped.values.tolist() == [["本年取消指标", "9 门户网站责任栏目保障"], ["本年新增指标", "28 移动政务应用"]]


def test_english_sections(run):
    res = run.results[2013]
    yoy = year_report.YearOnYear(res, years.compare([run.results[2012], res]), None, "en")
    assert year_report.heading(yoy).title == "Compared with the year before (2012 → 2013)"
    assert year_report.movers(yoy, "en").title == "Biggest risers and fallers"
    frame = year_report.shares_frame(yoy.comparison, 2013, "en")
    assert "Standards and information security" in list(frame["Category"])


# -- charts ---------------------------------------------------------------------------------------------------

PAIR = [year_charts.figure_slope, year_charts.figure_shares, year_charts.figure_decomposition]
RUN = [year_charts.figure_trajectories, year_charts.figure_share_heatmap, year_charts.figure_share_distributions]


@pytest.mark.parametrize("figure", PAIR + RUN, ids=lambda f: f.__name__)
def test_charts_render_without_missing_glyphs(run, figure):
    draw = (lambda: figure(run, 2013, "zh")) if figure in PAIR else (lambda: figure(run, "zh"))
    pngs = []
    assert glyph_warnings(lambda: pngs.append(png(draw()))) == []
    assert pngs[0].startswith(b"\x89PNG") and len(pngs[0]) > 10_000


def test_slope_chart_names_the_movers(run):
    labels = texts(year_charts.figure_slope(run, 2013, "zh", highlight=3))
    risers, fallers = run.movers(2013, 3)
    for name in list(risers["name"]) + list(fallers["name"]):
        assert any(t.startswith(name) for t in labels), name
    assert "2012" in labels and "2013" in labels


def test_heatmap_shows_each_years_points_and_english_labels(run):
    means, points = year_charts.share_means(run)
    assert points.loc["training"].tolist() == [100, 100, 80] and points.loc["security"].tolist() == [100, 100, 120]
    labels = texts(year_charts.figure_share_heatmap(run, "en"))
    assert "Standards and information security" in labels
    assert f"{means.loc['training', 2013]:.0%}\n(80 pts)" in labels


def test_rank_table_lists_a_merged_departments_predecessors(run):
    frame = year_report.rank_table_frame(run, "zh").set_index("部门")
    paths = run.rank_paths().set_index("dept_id")
    g24, g25 = paths.loc["G89", 2011]
    assert frame.loc["市卫生和计划生育委员会", "2011"] == f"{g24}、{g25}"
    assert frame.index[0] == run.year(2013)["name"].iloc[0]  # last year's rank order


def test_trends_title_says_the_data_is_synthetic(run):
    html = year_report.trends_title(run, "zh").html
    assert "合成的示例数据" in html and "2011–2013 年度趋势" in html
    assert "市政府应急管理办公室" in html  # 2012's new department, in 2012's line


# -- the notebooks --------------------------------------------------------------------------------------------


def test_the_annual_report_calls_the_comparison_after_the_charts():
    nb = nbformat.read(ROOT / "notebooks" / "annual_report.ipynb", as_version=4)
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    order = [
        "charts.by_kind(",
        "year_report.previous_year(",
        "year_report.slope(",
        "year_report.movers(",
        "year_report.shares_moving(",
        "year_report.decomposition(",
        "tables.adjustments(",
    ]
    positions = [next(n for n, src in enumerate(code) if name in src) for name in order]
    assert positions == sorted(positions) and len(set(positions)) == len(positions)


def test_the_trends_notebook_is_parameters_then_calls_into_wfscore():
    nb = nbformat.read(ROOT / "notebooks" / "trends.ipynb", as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code[0].metadata.tags == ["parameters"]
    tree = ast.parse(code[0].source)
    assert [t.id for node in tree.body for t in node.targets] == ["data_root", "years", "lang"]
    assert all(isinstance(ast.literal_eval(node.value), (str, list)) for node in tree.body)
    for cell in code:
        assert cell.outputs == [] and cell.execution_count is None
        assert "def " not in cell.source and "class " not in cell.source
    calls = "".join(c.source for c in code[1:])
    for name in ("open_run", "trends_title", "trajectories", "share_heatmap", "share_distributions", "rank_table"):
        assert f"year_report.{name}(" in calls


def test_the_trends_notebook_checks_its_parameters(tmp_path):
    with pytest.raises(ReportError) as exc:
        year_report.open_run(tmp_path / "none", [2011, 2013], "fr")
    message = str(exc.value)
    assert "lang 'fr' is not a report language" in message
    assert "is not a folder" in message and "years [2011, 2013] are not consecutive" in message
    with pytest.raises(ReportError, match=r"years \[2011\] is not a list of two or more years"):
        year_report.open_run(DATA, [2011])
    shutil.copytree(DATA / "2011", tmp_path / "2011")
    with pytest.raises(ReportError, match=r"has no folder 2012"):
        year_report.open_run(tmp_path, [2011, 2012])


def test_two_years_that_compare_fully_say_so(tmp_path):
    from twoyears import tiny_as

    tiny_as(tmp_path / "2011", 2011)
    now = wfscore.score(wfscore.load_year(tiny_as(tmp_path / "2012", 2012)))
    yoy = year_report.previous_year(now, "zh")
    assert yoy.comparison is not None
    section = year_report.decomposition(yoy, "zh")
    assert "两年的指标和部门都可以比较。" in section.html
    assert year_report.movers(yoy, "en").html.count('<p class="wf-note">none</p>') == 2  # no riser, no faller
