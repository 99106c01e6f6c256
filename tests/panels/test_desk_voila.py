"""The adjustments desk as people who do not code use it: ``wfscore desk DIR`` serves
notebooks/adjustments.ipynb with Voilà on 127.0.0.1 (opened at the address it prints,
with its token), driven by a real browser through Playwright (started as
tests/panels/test_whatif_browser.py starts it).

On a scratch copy of the 2011 sample with one open dispute: type the reviewer's
name (the buttons come alive), confirm V07's request, then uphold the dispute with a
corrected value; the files the clicks wrote score as the library scores the folder
edited by hand.
"""

from __future__ import annotations

import shutil
from urllib.parse import urlsplit

import wfscore
from helpers import SAMPLE
from serving import served
from test_whatif_browser import PANEL_TIMEOUT, SHOTS, browser  # noqa: F401 - browser: a fixture
from wfscore.review import disputes
from wfscore.review.decisions import read_log


def test_the_desk_served_by_voila(browser, tmp_path):  # noqa: F811 - the fixture
    year_dir = tmp_path / "data" / "2011"
    shutil.copytree(SAMPLE, year_dir)
    disputes.open_dispute(
        year_dir, "C01", "value", indicator="13", claim="指标 13 填报有误，应为 1.60", evidence="附件 3"
    )
    # by hand: the request confirmed, then C01's value corrected
    hand = tmp_path / "by_hand"
    shutil.copytree(SAMPLE, hand)
    for name, old, new in (
        ("exemptions.csv", "V07,12,行政许可由省局系统统一办理,false", "V07,12,行政许可由省局系统统一办理,true"),
        ("values.csv", "C01,13,1.35", "C01,13,1.60"),
    ):
        text = (hand / name).read_text(encoding="utf-8")
        assert text.count(old) == 1
        (hand / name).write_text(text.replace(old, new), encoding="utf-8")
    expected = wfscore.score(wfscore.load_year(hand))
    before = wfscore.score(wfscore.load_year(year_dir))

    with served("desk", year_dir, tmp_path / "desk.log") as (_, url):
        page = browser.new_page(viewport={"width": 1400, "height": 1600})
        hosts = set()
        page.on("request", lambda request: hosts.add(urlsplit(request.url).hostname))
        page.goto(url, timeout=PANEL_TIMEOUT)
        page.locator(".wf-items").wait_for(timeout=PANEL_TIMEOUT)
        assert page.locator(".jp-InputArea, .jp-Cell-inputWrapper").count() == 0  # no code shown
        assert "待审核 13 项" in page.locator(".wf-summary").inner_text()
        assert "待处理复核申请 1 项" in page.locator(".wf-summary").inner_text()
        confirm = page.locator("button.wf-confirm")
        assert confirm.is_disabled() and "未填写审核人" in page.locator(".wf-reviewer-note").inner_text()
        page.locator(".wf-reviewer input").fill("测试员")
        page.locator(".wf-reviewer input").press("Tab")
        page.locator(".wf-items label", has_text="V07").filter(has_text="不适用申请").click()
        page.locator(".wf-item", has_text="V07").wait_for(timeout=30_000)
        page.wait_for_function("() => !document.querySelector('button.wf-confirm').disabled", timeout=30_000)
        confirm.click()
        page.locator(".wf-last", has_text="已保存第 1 项决定").wait_for(timeout=30_000)
        assert "是否确认 否 → 是" in page.locator(".wf-last").inner_text()
        page.locator(".wf-summary", has_text="待审核 12 项").wait_for(timeout=30_000)

        page.locator(".wf-tabs .lm-TabBar-tab", has_text="复核申请").click()
        page.locator(".wf-dispute", has_text="第 1 项复核").wait_for(timeout=30_000)
        page.locator(".wf-corrected input").fill("1.60")
        page.locator(".wf-corrected input").press("Enter")
        page.locator(".wf-dispute", has_text="如果支持").wait_for(timeout=30_000)
        d = before.position("C01")
        page.locator(".wf-reply textarea").fill("经核实，予以更正")
        page.locator(".wf-reply textarea").press("Tab")
        page.locator("button.wf-uphold").click()
        last = page.locator(".wf-last", has_text="已支持复核申请，保存为第 2 项决定")
        last.wait_for(timeout=30_000)
        assert "数值 1.35 → 1.60" in last.inner_text()
        assert page.locator(".wf-message .wf-error").count() == 0
        assert hosts <= {"127.0.0.1", None}, hosts  # no request leaves the machine
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "desk_voila.png"), full_page=True)
        page.close()

    saved = wfscore.score(wfscore.load_year(year_dir))
    for name in ("total", "rank", "effective_weight", "excellent"):
        assert (getattr(saved, name) == getattr(expected, name)).all(), name
    assert saved.total[d] != before.total[d]
    log = read_log(year_dir)
    assert log[["reviewer", "file", "new_value"]].values.tolist() == [
        ["测试员", "exemptions.csv", "true"],
        ["测试员", "values.csv", "1.60"],
    ]
    assert disputes.read_register(year_dir).iloc[0]["state"] == "upheld"
