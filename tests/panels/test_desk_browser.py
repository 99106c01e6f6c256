"""The adjustments desk in a real browser: notebooks/adjustments.ipynb in JupyterLab,
driven by Debian's chromium through Playwright, started the way the what-if panel's
browser tests start them (tests/panels/test_whatif_browser.py).

On a scratch copy of the 2011 sample: pick V07's unconfirmed exemption request,
read the preview, click the confirm button, and check that the before-and-after
line shows the change the library computes from the files the click wrote.
"""

from __future__ import annotations

import shutil

import nbformat

import wfscore
from helpers import ROOT, SAMPLE
from test_whatif_browser import (
    PANEL_TIMEOUT,
    SHOTS,
    browser,  # noqa: F401 - a fixture
    jupyterlab,  # noqa: F401 - browser's fixture
    open_and_run_all,
)
from wfscore.review import decisions

NOTEBOOK = ROOT / "notebooks" / "adjustments.ipynb"


def test_confirm_a_request_in_jupyterlab(browser, tmp_path):  # noqa: F811 - the fixture
    root = tmp_path / "root"
    (root / "notebooks").mkdir(parents=True)
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nb.cells[0].source = nb.cells[0].source.replace('reviewer = ""', 'reviewer = "测试员"')
    assert 'reviewer = "测试员"' in nb.cells[0].source
    nbformat.write(nb, root / "notebooks" / NOTEBOOK.name)
    year_dir = root / "data" / "2011"
    shutil.copytree(SAMPLE, year_dir)
    before = wfscore.score(wfscore.load_year(year_dir))
    d = before.position("V07")

    with jupyterlab(tmp_path, root) as (base, token):
        page = browser.new_page(viewport={"width": 1500, "height": 1400})
        open_and_run_all(page, f"{base}/lab/tree/notebooks/adjustments.ipynb?token={token}")
        items = page.locator(".wf-items")
        items.wait_for(timeout=PANEL_TIMEOUT)
        assert page.locator(".wf-synthetic").count() == 1  # the sample year is synthetic, and says so
        assert "待审核 13 项" in page.locator(".wf-summary").inner_text()
        label = page.locator(".wf-items label", has_text="V07").filter(has_text="不适用申请")
        assert "[未确认]" in label.inner_text()
        label.click()
        preview = page.locator(".wf-item", has_text="V07")
        preview.wait_for(timeout=30_000)
        assert f"{before.total[d]:.2f} → " in preview.inner_text()  # the effect, before deciding
        page.locator("button.wf-confirm").click()
        last = page.locator(".wf-last", has_text="已保存第 1 项决定")
        last.wait_for(timeout=30_000)

        after = wfscore.score(wfscore.load_year(year_dir))  # what the click wrote, scored by the library
        text = last.inner_text()
        assert "V07" in text and "是否确认 否 → 是" in text
        assert f"总分 {before.total[d]:.2f} → {after.total[d]:.2f}" in text
        assert f"名次 {before.rank[d]} → {after.rank[d]}" in text
        assert before.total[d] != after.total[d]
        page.locator(".wf-summary", has_text="待审核 12 项").wait_for(timeout=30_000)
        log = decisions.read_log(year_dir)
        assert log[["reviewer", "file", "row", "new_value"]].values.tolist() == [
            ["测试员", "exemptions.csv", "13", "true"]
        ]
        last.scroll_into_view_if_needed()
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "desk_jupyterlab.png"), full_page=True)
        page.close()
