"""The monitoring in what is published: the report's section (only with monitoring), each
card's figures with their basis, and the what-if panel's view, in both languages."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "inputs"))

from monitoring_year import monitoring_year  # noqa: E402
from wfscore.engine.pipeline import score  # noqa: E402
from wfscore.inputs.loading import load_year  # noqa: E402
from wfscore.panels.monitoring_view import monitoring_html  # noqa: E402
from wfscore.publish import monitoring_report  # noqa: E402
from wfscore.publish.cards import maker_for, render  # noqa: E402


@pytest.fixture
def monitored(sample):
    expected = monitoring_year(sample, threshold=90)
    return sample, expected


def test_a_year_without_monitoring_has_no_section_card_part_or_view(sample):
    result = score(load_year(sample))
    assert monitoring_report.section(result, "zh") is None
    assert "wf-monitoring" not in render(maker_for(result, "zh"))[0][2]
    assert monitoring_html(result.data, "zh") == ""


@pytest.mark.parametrize(
    "lang, below, not_gov",
    [
        ("zh", "可用率低于 90% 的部门", "未使用 .gov.cn 域名的网站"),
        ("en", "Departments below 90% availability", "Websites not on .gov.cn"),
    ],
)
def test_the_section_lists_the_departments_below_the_threshold_and_off_gov_cn(monitored, lang, below, not_gov):
    folder, e = monitored
    result = score(load_year(folder))
    html = monitoring_report.section(result, lang).html
    ids = result.data.dept_ids
    low = ids[100 * e["ok"] / 365 < 90]
    high = ids[100 * e["ok"] / 365 >= 90]
    part_below = html[html.index(below) : html.index(not_gov)]
    assert low.size and all(f">{d} " in part_below for d in low)
    assert not any(f">{d} " in part_below for d in high)
    part_gov = html[html.index(not_gov) :]
    part_gov = part_gov[: part_gov.index("</table>")]
    assert all(f">{d} " in part_gov for d in ids[~e["gov"]]) and not any(f">{d} " in part_gov for d in ids[e["gov"]])


def test_hostile_text_in_the_section_is_inert(monitored):
    folder, _ = monitored
    probes = folder / "monitoring" / "probes.csv"
    with open(probes, "a", encoding="utf-8") as f:
        f.write('P01,2011-12-31T09:00:00+08:00,"http://x/<script>alert(1)</script>",500,1,,no,no,\n')
    html = monitoring_report.section(score(load_year(folder)), "zh").html
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_each_card_names_its_monitoring_figures_and_their_basis(monitored):
    folder, e = monitored
    result = score(load_year(folder))
    cards = {dept_id: html for dept_id, _, html in render(maker_for(result, "zh"))}
    d = list(result.data.dept_ids).index("P01")  # a party organ: its website indicators are its own
    ok = int(e["ok"][d])
    assert f"5 网站信息发布与运维机制：可用率 {100 * ok / 365:.1f}%：一年 365 次检查中 {ok} 次正常" in cards["P01"]
    english = {dept_id: html for dept_id, _, html in render(maker_for(result, "en"))}
    assert f"availability {100 * ok / 365:.1f}%: {ok} of 365 checks ok in the year" in english["P01"]
    g = next(x for x in result.data.departments.itertuples() if x.kind == "government").dept_id
    assert "可用率" not in cards[g].split("<h2>日常监测</h2>")[-1].split("</section>")[0]  # the evaluation decides


def test_the_what_if_view_shows_the_monitoring_as_a_source(monitored):
    folder, _ = monitored
    data = load_year(folder)
    html = monitoring_html(data, "zh", [0])
    assert "取自日常监测的指标（一年，2011-01-01 至 2011-12-31）" in html
    assert "<td>5 网站信息发布与运维机制</td><td>可用率</td><td>129</td>" in html
    assert "P01 市委办公室：可用率" in html
    median = np.median(data.monitoring.value["availability"])
    assert f"{median:.1f}%" in html
    assert "Indicators taken from the monitoring" in monitoring_html(data, "en")


def test_the_what_if_panel_carries_the_view(monitored):
    from wfscore.panels.whatif import WhatIf

    folder, _ = monitored
    panel = WhatIf(load_year(folder), picked=("P01",))
    assert "P01 市委办公室：可用率" in panel.monitoring_html.value
    assert panel.monitoring_html in panel.outputs.children


def test_the_annual_report_carries_the_monitoring_section(monitored, tmp_path):
    import importlib.util

    from helpers import need
    from wfscore.publish import report

    need(importlib.util.find_spec("ipykernel") is not None, "ipykernel (a Jupyter kernel for papermill)")
    folder, _ = monitored
    out = tmp_path / "report"
    report.build(folder, out, lang="en", pdf=False)
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "<h2>Monitoring</h2>" in html and "Departments below 90% availability" in html
