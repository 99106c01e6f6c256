"""The pages as the office sees them while they load, in a real browser (started as
tests/panels/test_whatif_browser.py starts it): ``wfscore app DIR`` speaks the page's
language from the first frame (no Voilà "Running …" / "Executing 1 of 2" in a Chinese
page), its tab is titled in that language, and no widget carries ``title="null"``;
under ``--lang en`` the page is English throughout.

Every text the page shows before the panel is drawn is recorded by a MutationObserver
installed before the page's first byte arrives (``add_init_script``).
"""

from __future__ import annotations

import re
import shutil

import pytest

from helpers import SAMPLE
from serving import served
from test_whatif_browser import PANEL_TIMEOUT, browser  # noqa: F401 - browser: a fixture

# Each distinct text of the body (and the tab's title) as painted, frame by frame (the
# next animation frame after a change), until the page's panel exists.
RECORD_LOADING = """(() => {
    const texts = window.__wfLoading = [];
    let pending = false;
    const note = () => {
        pending = false;
        if (!document.body || document.querySelector('.wf-whatif, .wf-items')) return;
        const text = document.title + '\\n' + document.body.innerText;
        if (texts[texts.length - 1] !== text) texts.push(text);
    };
    new MutationObserver(() => {
        if (!pending) { pending = true; requestAnimationFrame(note); }
    }).observe(document, {subtree: true, childList: true, characterData: true});
})();"""

VOILA_ENGLISH = ("Running", "Executing", "Loading", "Starting", "Kernel", "of 2", "...")
NULL_TITLES = "() => document.querySelectorAll('[title=\"null\"]').length"
LABELS = "() => document.querySelectorAll('.widget-label').length"
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
CJK = re.compile(r"[\u4e00-\u9fff]")


def open_recording(browser, url: str):  # noqa: F811 - the fixture
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.add_init_script(RECORD_LOADING)
    page.goto(url, wait_until="commit")
    page.locator(".wf-changes").wait_for(timeout=PANEL_TIMEOUT)
    page.wait_for_load_state("networkidle")
    return page, page.evaluate("() => window.__wfLoading")


def test_the_chinese_page_speaks_chinese_while_it_loads(browser, tmp_path):  # noqa: F811 - the fixture
    with served("app", SAMPLE, tmp_path / "app.log") as (_, url):
        page, loading = open_recording(browser, url)
        body = page.inner_text("body")
        title = page.title()
        nulls, labels = page.evaluate(NULL_TITLES), page.evaluate(LABELS)
        page.close()
    assert loading, "nothing was recorded before the panel was drawn"
    assert any("正在打开页面" in text for text in loading), loading
    for text in loading:
        assert not any(word in text for word in VOILA_ENGLISH), text
        assert LATIN_WORD.findall(text) == [], text  # not one English word while it loads
    assert title == "假设分析"
    assert "名次变化" in body and not any(word in body for word in ("Running", "Executing"))
    assert labels > 10 and nulls == 0  # the widgets' labels are there, none titled "null"


def test_the_page_in_english_under_lang_en(browser, tmp_path):  # noqa: F811 - the fixture
    with served("app", SAMPLE, tmp_path / "app.log", "--lang", "en") as (_, url):
        page, loading = open_recording(browser, url)
        body = page.inner_text("body")
        title = page.title()
        nulls = page.evaluate(NULL_TITLES)
        page.close()
    assert any("Opening the page" in text for text in loading), loading
    for text in loading:
        assert not any(word in text for word in ("Running", "Executing")), text  # our words, not Voilà's
        assert CJK.findall(text) == [], text
    assert title == "What if"
    assert "Points and weights" in body and "Rank changes against the official scheme" in body
    assert "名次变化" not in body and "权重" not in body
    assert nulls == 0


@pytest.mark.parametrize("lang, words", [("zh", "调整审核台"), ("en", "Adjustments desk")])
def test_the_desk_in_the_pages_language(browser, tmp_path, lang, words):  # noqa: F811 - the fixture
    year_dir = tmp_path / "2011"
    shutil.copytree(SAMPLE, year_dir)  # the desk writes only when clicked; a scratch copy all the same
    with served("desk", year_dir, tmp_path / "desk.log", "--lang", lang) as (_, url):
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        page.add_init_script(RECORD_LOADING)
        page.goto(url, wait_until="commit")
        page.locator(".wf-items").wait_for(timeout=PANEL_TIMEOUT)
        loading = page.evaluate("() => window.__wfLoading")
        title, body, nulls = page.title(), page.inner_text("body"), page.evaluate(NULL_TITLES)
        page.close()
    assert title == words
    assert nulls == 0
    for text in loading:
        assert (LATIN_WORD.findall(text) if lang == "zh" else CJK.findall(text)) == [], text
    assert ("待审核" in body) == (lang == "zh")
