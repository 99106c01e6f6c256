"""The portal in a real browser (Debian's chromium through Playwright), served by
``wfscore portal serve`` on 127.0.0.1 and stopped by the test: a department signs in with its
one-time password, chooses its own, fills in a value (the page's script saves the draft and
shows the check beside the field), saves and submits; the office signs in and sees it
submitted on the board. All in the Chinese pages. Under CI=true a missing Playwright or
chromium fails the test."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from conftest import TINY, need, run_cli
from served import NEW_PASSWORD, accounts, serving

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
# the tiny scheme with a unit on every index indicator: the departments report them
SCHEME = (TINY / "scheme.yaml").read_text(encoding="utf-8")
TIMEOUT = 30_000  # ms
SHOTS = Path(os.environ["WFSCORE_PORTAL_SHOTS"]) if os.environ.get("WFSCORE_PORTAL_SHOTS") else None


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium through Playwright (WFSCORE_PORTAL_SHOTS: a folder for the screenshots)."""
    need(Path(CHROMIUM).exists(), f"Debian's chromium ({CHROMIUM})")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        need(False, "the playwright Python package")
    with sync_playwright() as pw:
        try:
            chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, env=dict(os.environ))
        except Exception as exc:  # noqa: BLE001 - any failure to start is "no browser"
            need(False, f"a chromium that starts ({exc})")
        yield chromium
        chromium.close()


def sign_in(page, base: str, account: str, password: str) -> None:
    """Sign in with the one-time password and choose a new one (the portal asks first)."""
    page.goto(base + "/login/")
    assert page.locator("h1").inner_text() == "登录"
    page.fill("input[name=username]", account)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/password/")
    assert "一次性密码" in page.content()
    page.fill("input[name=old_password]", password)
    page.fill("input[name=new_password1]", NEW_PASSWORD)
    page.fill("input[name=new_password2]", NEW_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/password/" not in url)
    assert "密码已修改" in page.content()


def test_a_department_fills_in_and_submits_and_the_office_sees_it(browser, tmp_path):
    year = tmp_path / "year"
    shutil.copytree(TINY, year)
    (year / "scheme.yaml").write_text(re.sub(r"(\{id: i\d, name: [^,]+, weight: \d+)", r"\1, unit: 项", SCHEME),
                                      encoding="utf-8")
    site = tmp_path / "site"
    r = run_cli("portal", "init", year, "--site", site)
    assert r.returncode == 0, r.stderr
    passwords = accounts(site)
    with serving(site) as base:
        dept = browser.new_context(locale="zh-CN")
        page = dept.new_page()
        page.set_default_timeout(TIMEOUT)
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        sign_in(page, base, "D1", passwords["D1"])
        page.wait_for_url("**/returns/D1/")
        assert "自查表" in page.locator("h1").inner_text()
        field = page.locator("input[name=v_i2]")
        # a wrong value: the check beside the field says so, in Chinese, as it is typed
        field.fill("abc")
        page.locator("#msg-i2.bad").wait_for()
        assert "不是数字" in page.locator("#msg-i2").inner_text()
        field.fill("5")
        page.locator("#msg-i2.ok").wait_for()
        page.click("#values button[type=submit]")
        page.wait_for_load_state()
        assert "已保存" in page.locator(".messages").inner_text()
        assert page.locator("input[name=v_i2]").input_value() == "5"   # the draft, read back from the server
        page.click("#submit button[type=submit]")
        page.wait_for_load_state()
        assert "已提交" in page.locator(".messages").inner_text()
        assert page.locator("#state").inner_text() == "已提交"
        assert page.locator("input[name=v_i2]").get_attribute("readonly") is not None
        page.screenshot(path=str(SHOTS / "department.png") if SHOTS else str(tmp_path / "department.png"), full_page=True)
        assert errors == []
        dept.close()

        office = browser.new_context(locale="zh-CN")
        page = office.new_page()
        page.set_default_timeout(TIMEOUT)
        sign_in(page, base, "office", passwords["office"])
        page.wait_for_url("**/office/")
        row = page.locator("#board tr", has=page.locator("a", has_text="D1"))
        assert "已提交" in row.inner_text() and "D1" in row.inner_text()
        assert row.get_attribute("class") == "submitted"
        others = page.locator("#board tbody tr.not_started")
        assert others.count() == 6
        page.goto(base + "/returns/D1/")
        assert page.locator("input[name=v_i2]").input_value() == "5"
        page.screenshot(path=str(SHOTS / "office.png") if SHOTS else str(tmp_path / "office.png"), full_page=True)
        office.close()
    run = run_cli("portal", "status", site, lang="zh")
    assert "已提交 1" in run.stdout
