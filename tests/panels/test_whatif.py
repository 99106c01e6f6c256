"""The what-if panel driven from Python, as a person would through its controls.

Each test sets slider and dropdown values and checks the panel's outputs against
what the library computes for the same scheme, built here by hand (a deep copy
of the official scheme with the change made directly, not through the panel's
own edit functions).
"""

from __future__ import annotations

import base64
import builtins
import io
import math
import re

import ipywidgets as widgets
import numpy as np
import pandas as pd
import pytest

import wfscore
from helpers import SAMPLE, TINY
from wfscore.inputs.output import OutputError
from wfscore.inputs.scheme import IndexBase, SecurityIncident
from wfscore.panels import whatif
from wfscore.panels.whatif import WhatIf


@pytest.fixture(scope="module")
def year():
    return wfscore.load_year(SAMPLE)


@pytest.fixture
def panel(year):
    return WhatIf(year)


def by_hand(year, **weights):
    """The official scheme with some indicator weights set, sums made to match."""
    scheme = year.scheme.model_copy(deep=True)
    for ind_id, weight in weights.items():
        scheme.indicator(ind_id.lstrip("_")).weight = weight
    for section in scheme.sections:
        for category in section.categories:
            category.points = sum(i.weight for i in category.indicators)
        section.points = sum(c.points for c in section.categories)
    return scheme


def assert_same_result(panel, scheme) -> None:
    expected = wfscore.score(panel.year, scheme)
    np.testing.assert_array_equal(panel.result.total, expected.total)
    np.testing.assert_array_equal(panel.result.rank, expected.rank)
    np.testing.assert_array_equal(panel.result.category, expected.category)
    official = wfscore.score(panel.year)
    move = dict(zip(panel.year.dept_ids, official.rank - expected.rank))
    assert dict(zip(panel.changes["dept_id"], panel.changes["move"])) == move


def table_rows(panel) -> list[list[str]]:
    """The rank-change table as a person reads it: one list of cell texts per row."""
    rows = re.findall(r"<tr>(.*?)</tr>", panel.changes_html.value.split("<tbody>")[1])
    return [[re.sub("<[^>]+>", "", cell) for cell in re.findall(r"<td>(.*?)</td>", row)] for row in rows]


def test_opens_on_the_official_scheme(panel, year):
    official = wfscore.score(year)
    np.testing.assert_array_equal(panel.result.total, official.total)
    assert panel.summary_text.startswith("与官方方案相比，没有部门名次变化")
    assert "▲" not in panel.changes_html.value and "▼" not in panel.changes_html.value
    assert panel.weight_sliders["1"].value == 70 and panel.points_sliders["system"].value == 160
    assert bytes(panel.slope_image.value).startswith(b"\x89PNG")
    assert bytes(panel.distribution_image.value).startswith(b"\x89PNG")
    assert "合成的示例数据" in panel.children[1].value  # the sample year is synthetic, and says so


def test_weight_slider(panel, year):
    panel.weight_sliders["12"].value = 2
    assert_same_result(panel, by_hand(year, **{"12": 2}))
    assert panel.points_sliders["egov"].value == 240 - 30 + 2
    official = wfscore.score(year)
    move = official.rank - panel.result.rank
    moved = np.count_nonzero(move)
    assert moved > 0
    assert panel.summary_text.startswith(f"{moved} 个部门名次变化")
    assert f"最大变动 {np.abs(move).max()} 位" in panel.summary_text
    rows = table_rows(panel)
    assert len(rows) == min(moved, whatif.TABLE_ROWS)
    sizes = [int(r[3][1:]) for r in rows]
    assert sizes == sorted(sizes, reverse=True) and sizes[0] == np.abs(move).max()
    d = {dept: n for n, dept in enumerate(year.dept_ids)}
    for row in rows:
        n = d[row[0].split()[0]]
        arrow = "▲" if move[n] > 0 else "▼"
        assert row[1:4] == [str(official.rank[n]), str(panel.result.rank[n]), f"{arrow}{abs(move[n])}"]


def test_keep_section_rescales_and_recomputes_once(panel, year, monkeypatch):
    calls = []
    real = whatif.score
    monkeypatch.setattr(whatif, "score", lambda *a, **k: calls.append(1) or real(*a, **k))
    panel.keep_section.value = True
    panel.weight_sliders["1"].value = 150
    assert len(calls) == 1  # one change, one recomputation, though 22 sliders moved
    factor = (800 - 150) / (800 - 70)
    others = {i.id: i.weight * factor for c in year.scheme.sections[0].categories for i in c.indicators if i.id != "1"}
    assert_same_result(panel, by_hand(year, **{"1": 150}, **others))
    assert panel.scheme.section("indicators").points == 800
    assert math.isclose(panel.weight_sliders["2"].value, 20 * factor)
    assert math.isclose(panel.points_sliders["egov"].value, 240 * factor)


def test_points_slider(panel, year):
    panel.points_sliders["website"].value = 100
    assert_same_result(panel, by_hand(year, **{"5": 30, "6": 15, "7": 15, "8": 20, "9": 20}))
    assert panel.weight_sliders["5"].value == 30


@pytest.mark.parametrize(
    "control, value, rule, expected",
    [
        ("not_applicable", "section", "not_applicable", "section"),
        ("not_applicable", "none", "not_applicable", "none"),
        ("security", "training", "security_incident", SecurityIncident(category="training")),
        ("security", "", "security_incident", None),
        ("website", False, "website_evaluation", None),
        ("ratings", "median", "ratings", "median"),
        ("ratings", "mean", "ratings", "mean"),
        ("index_base", 95.0, "index_base", IndexBase(percentile=95)),
    ],
)
def test_rule_dropdowns(panel, year, control, value, rule, expected):
    getattr(panel, control).value = value
    scheme = year.scheme.model_copy(deep=True)
    setattr(scheme.rules, rule, expected)
    assert_same_result(panel, scheme)
    assert panel.scheme.rules == scheme.rules
    # each of these rules changes some totals in the sample year
    assert not np.array_equal(panel.result.total, wfscore.score(year).total)


def test_website_off_says_why_scores_drop(panel):
    panel.website.value = False
    official_missing = int(wfscore.score(panel.year).missing.sum())
    assert (
        f"{int(panel.result.missing.sum())} 个部门-指标缺少数据，按 0 分计（官方方案 {official_missing} 个）"
        in panel.summary_text
    )


def test_combined_then_reset_restores_everything(panel, year):
    official = wfscore.score(year)
    panel.keep_section.value = True
    panel.weight_sliders["13"].value = 80
    panel.points_sliders["awards"].value = 50
    panel.not_applicable.value = "section"
    panel.ratings.value = "median"
    panel.index_base.value = 90.0
    panel.website.value = False
    panel.security.value = ""
    assert panel.summary["moved"] > 0
    panel.reset_button.click()
    np.testing.assert_array_equal(panel.result.rank, official.rank)
    np.testing.assert_array_equal(panel.result.total, official.total)
    assert panel.scheme == year.scheme
    assert panel.scheme.to_yaml() == year.scheme.to_yaml()
    assert {k: s.value for k, s in panel.weight_sliders.items()} == {i.id: i.weight for i in year.scheme.indicators}
    assert {k: s.value for k, s in panel.points_sliders.items()} == {c.id: c.points for c in year.scheme.categories}
    assert (
        panel.not_applicable.value,
        panel.ratings.value,
        panel.index_base.value,
        panel.website.value,
        panel.security.value,
        panel.keep_section.value,
    ) == ("category", "trimmed_mean", "max", True, "security", False)
    assert panel.summary["moved"] == 0 and "▲" not in panel.changes_html.value


def test_picker_highlights_and_breaks_down(panel, year):
    plain = bytes(panel.slope_image.value)
    assert "G03" not in panel.breakdown_html.value
    panel.weight_sliders["12"].value = 2
    panel.picker.value = ("G03", "P01")
    assert "G03" in panel.breakdown_html.value and "P01" in panel.breakdown_html.value
    assert bytes(panel.slope_image.value) != plain
    d = int(np.flatnonzero(year.dept_ids == "G03")[0])
    assert f"{panel.result.total[d]:.2f}" in panel.breakdown_html.value


def test_sliders_update_on_release_only(panel):
    sliders = list(panel.weight_sliders.values()) + list(panel.points_sliders.values())
    assert len(sliders) == 27 + 8
    assert all(s.continuous_update is False for s in sliders)


def test_no_file_is_read_or_written_on_a_change(panel, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError(f"file I/O during a what-if change: {args[:1]}")

    monkeypatch.setattr(builtins, "open", refuse)
    monkeypatch.setattr(io, "open", refuse)
    monkeypatch.setattr(wfscore.inputs.loading, "read_folder", refuse)
    panel.weight_sliders["3"].value = 60
    panel.ratings.value = "mean"
    panel.picker.value = ("G10",)
    panel.reset()
    assert panel.summary["moved"] == 0


def test_export(panel, year, sample, tmp_path):
    panel.keep_section.value = True
    panel.weight_sliders["21"].value = 80
    panel.index_base.value = 95.0
    panel.export_button.click()
    links = dict(
        re.findall(r'download="([^"]+)" href="data:[^;]+;charset=utf-8;base64,([^"]+)"', panel.export_html.value)
    )
    assert set(links) == {"scheme.yaml", "whatif_2011_results.csv"}
    assert base64.b64decode(links["scheme.yaml"]).decode("utf-8") == panel.scheme_yaml()
    csv_text = base64.b64decode(links["whatif_2011_results.csv"]).decode("utf-8")
    assert csv_text == "\ufeff" + panel.results_csv()

    # the exported scheme is next year's scheme: it loads and scores to the same numbers
    panel.save_scheme(sample / "scheme.yaml")
    again = wfscore.score(wfscore.load_year(sample))
    np.testing.assert_array_equal(again.total, panel.result.total)
    np.testing.assert_array_equal(again.rank, panel.result.rank)

    out = panel.save_results(tmp_path / "out" / "results.csv")
    frame = pd.read_csv(out, dtype={"dept_id": str})
    expected = panel.result.ranking
    assert list(frame["dept_id"]) == list(expected["dept_id"])
    np.testing.assert_allclose(frame["total"], expected["total"], atol=1e-9)
    assert (frame["rank_change"] != 0).any()

    panel.weight_sliders["21"].value = 60
    assert panel.export_html.value == ""  # a stale export is withdrawn on the next change


def test_english_and_a_year_that_is_not_synthetic():
    tiny = wfscore.load_year(TINY)
    panel = WhatIf(tiny, lang="en")
    assert panel.summary_text.startswith("No department moved")
    assert not any("synthetic" in getattr(c, "value", "") for c in panel.children)
    panel.weight_sliders["i1"].value = 1
    scheme = tiny.scheme.model_copy(deep=True)
    scheme.indicator("i1").weight = 1
    scheme.category("c1").points = 11
    scheme.section("A").points = 81
    assert_same_result(panel, scheme)
    assert re.match(r"\d+ departments moved \(\d+ up, \d+ down\)", panel.summary_text)
    assert panel.not_applicable.label == "redistribute within the category"


def test_robustness_button_analyses_the_current_scenario(panel, year):
    panel.weight_sliders["1"].value = 5  # a scenario, not the official scheme
    panel.robust_button.click()
    rob = panel.robustness_result
    assert rob.samples == 1000
    nominal = rob.table.set_index("dept_id")["nominal_rank"]
    scenario = dict(zip(year.dept_ids, panel.result.rank))
    assert all(nominal[d] == scenario[d] for d in year.dept_ids)  # the scenario, not the official ranks
    assert any(nominal[d] != r for d, r in zip(year.dept_ids, wfscore.score(year).rank))
    assert all(bytes(image.value).startswith(b"\x89PNG") for image in panel.robust_images)
    assert "1000" in panel.robust_html.value and rob.movers(1)["name"].iloc[0] in panel.robust_html.value


def test_exports_never_write_over_the_year(sample, tmp_path):
    panel = WhatIf(wfscore.load_year(sample))
    before = {p.name: p.read_bytes() for p in sample.iterdir() if p.is_file()}
    for save, name in ((panel.save_scheme, "scheme.yaml"), (panel.save_results, "values.csv")):
        with pytest.raises(OutputError, match="which this command reads"):
            save(sample / name)
    assert {p.name: p.read_bytes() for p in sample.iterdir() if p.is_file()} == before
    out = panel.save_results(tmp_path / "results.csv")
    assert out.read_bytes().startswith(b"\xef\xbb\xbfdept_id,")  # a BOM, as the download has


def header_rows(markup: str) -> list[bool]:
    """For each <table> in ``markup``: whether it has a header row of <th> cells in a <thead>."""
    tables = re.findall(r"<table\b.*?</table>", markup, flags=re.S)
    return [bool(re.search(r"<thead>\s*<tr>(\s*<th>[^<]+</th>)+\s*</tr>\s*</thead>", t)) for t in tables]


def test_every_table_has_a_header_row(panel, year):
    panel.weight_sliders["1"].value = 5
    panel.picker.value = ("G03", "P01")
    panel.robust_button.click()
    outputs = {
        "changes": panel.changes_html.value,
        "breakdown": panel.breakdown_html.value,
        "robustness": panel.robust_html.value,
    }
    for name, markup in outputs.items():
        found = header_rows(markup)
        assert found and all(found), name
    heads = re.findall(r"<th>([^<]+)</th>", panel.robust_html.value)
    assert heads == ["部门编号", "部门", "当前方案名次", "名次中位数", "名次 5%–95% 区间"]
    # the breakdown's category columns say their points (the chart's labels do not)
    system = year.scheme.category("system")
    assert f"<th>{system.name}（{panel.scheme.category('system').points:.4g}）</th>" in panel.breakdown_html.value


def test_robustness_charts_stay_hidden_until_drawn(panel):
    """An Image widget without a picture shows a broken-image icon: none is shown empty."""
    for image in panel.robust_images:
        assert bytes(image.value) == b"" and image.layout.display == "none"
    panel.robust_button.click()
    for image in panel.robust_images:
        png = bytes(image.value)
        assert png.startswith(b"\x89PNG") and image.layout.display is None
        width = int.from_bytes(png[16:20], "big")  # the IHDR chunk: shown at its own width
        assert image.layout.width == f"{width}px"


def test_charts_are_drawn_only_when_their_data_changed(panel, monkeypatch):
    """A picker change redraws the slope chart only; the distributions are not drawn again."""
    drawn = []
    for name, chart in (("slope", panel._slope), ("distributions", panel._distributions)):
        render = chart._render
        monkeypatch.setattr(chart, "_render", lambda render=render, name=name: drawn.append(name) or render())
    panel.weight_sliders["12"].value = 2
    assert drawn == ["slope", "distributions"]
    slope, distributions = bytes(panel.slope_image.value), bytes(panel.distribution_image.value)
    panel.picker.value = ("G03",)
    assert drawn[2:] == ["slope"] and bytes(panel.slope_image.value) != slope
    assert bytes(panel.distribution_image.value) == distributions
    panel.picker.value = ()
    assert drawn[3:] == ["slope"] and bytes(panel.slope_image.value) == slope
    ranks = panel.result.rank.copy()
    panel.ratings.value = "median"  # scores move (the distributions with them); ranks may too
    moved = not np.array_equal(ranks, panel.result.rank)
    assert drawn[4:] == (["slope"] if moved else []) + ["distributions"]
    assert bytes(panel.distribution_image.value) != distributions


def test_english_robustness_headers():
    panel = WhatIf(wfscore.load_year(TINY), lang="en")
    panel.robustness(samples=64)
    assert re.findall(r"<th>([^<]+)</th>", panel.robust_html.value) == [
        "Department id",
        "Department",
        "Scenario rank",
        "Median rank",
        "5–95% rank interval",
    ]


def shown_texts(widget) -> list[str]:
    """Every text a person reads in a widget tree: descriptions, tooltips, option labels,
    titles and the text of HTML outputs (tags and style sheets dropped)."""
    texts = [t for t in (getattr(widget, "description", None), getattr(widget, "tooltip", None)) if t]
    texts += [t for t in getattr(widget, "titles", ()) if t] + list(getattr(widget, "_options_labels", ()))
    if isinstance(widget, widgets.HTML):
        texts.append(re.sub(r"<[^>]+>", " ", re.sub(r"<style>.*?</style>", "", widget.value, flags=re.S)))
    for child in getattr(widget, "children", ()):
        texts += shown_texts(child)
    return texts


def test_every_word_shown_is_chinese(year):
    """Under zh no English word shows, but the file names offered for download."""
    panel = WhatIf(year, picked=("G03",))
    panel.weight_sliders["1"].value = 5
    panel.robustness(samples=64)
    panel.export()
    latin = {w for t in shown_texts(panel) for w in re.findall(r"[A-Za-z]{2,}", t)}
    assert latin == {"scheme", "yaml", "CSV"}  # 下载 scheme.yaml, 下载结果 CSV
    assert any("稳健性" in t for t in shown_texts(panel))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_scheme_that_no_longer_totals_the_official_points_says_so(year, lang):
    """A category's points raised without keeping the section: the section's title shows
    its points as they are now (with the official beside them) and a note says the total
    is no longer the official one; kept sections, or a reset, show no note."""
    panel = WhatIf(year, lang=lang)
    assert panel.total_note.value == ""
    titles = panel.sections.titles
    assert titles[0] == "指标考核（800）" if lang == "zh" else titles[0].endswith(" (800)")
    category = year.scheme.sections[0].categories[0]
    panel.points_sliders[category.id].value = category.points + 52.5
    first = panel.sections.titles[0]
    assert ("852.5，原 800" if lang == "zh" else "852.5, was 800") in first
    assert panel.sections.titles[1:] == titles[1:]
    note = panel.total_note.value
    assert ("1052.5 分，不再是 1000 分" if lang == "zh" else "add up to 1052.5 points, not 1000") in note
    total = sum(c.points for s in panel.scheme.sections for c in s.categories)
    assert total == pytest.approx(1052.5)  # the note says what the scheme holds
    panel.reset()
    assert panel.total_note.value == "" and panel.sections.titles == titles
    panel.keep_section.value = True
    panel.points_sliders[category.id].value = category.points + 52.5
    assert panel.total_note.value == "" and panel.sections.titles == titles  # kept: still 1000
