"""The portal in a real browser (Debian's chromium through Playwright), served by
``wfscore portal serve`` on 127.0.0.1 and stopped by the test: a department signs in with its
one-time password, chooses its own, fills in a value (the page's script saves the draft and
shows the check beside the field), saves and submits; the office signs in and sees it
submitted on the board. Then the whole round: an exemption, an achievement with its evidence,
the self-check report (an HTML page named .pdf refused), submission; the office reads the report,
questions a value, the department answers, the office closes the question, reopens, the
department corrects and submits again, the office locks the year (a save forced through the
page refused) and exports the year from its board: the year folder holds the corrected value. Every page Chinese and
free of script and console errors; WFSCORE_PORTAL_SHOTS=DIR keeps the screenshots. Under
CI=true a missing Playwright or chromium fails the test."""

from __future__ import annotations

import csv
import os
import re
import shutil
from pathlib import Path

import pytest

from helpers import TINY, need, run_cli
from portaldb import db_args
from served import NEW_PASSWORD, accounts, serving

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# the tiny scheme with a unit on every index indicator: the departments report them
SCHEME = (TINY / "scheme.yaml").read_text(encoding="utf-8")
TIMEOUT = 10_000  # ms
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
    (year / "scheme.yaml").write_text(
        re.sub(r"(\{id: i\d, name: [^,]+, weight: \d+)", r"\1, unit: 项", SCHEME), encoding="utf-8"
    )
    site = tmp_path / "site"
    r = run_cli("portal", "init", year, "--site", site, *db_args())
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
        assert page.locator("input[name=v_i2]").input_value() == "5"  # the draft, read back from the server
        page.click("#submit button[type=submit]")
        page.wait_for_load_state()
        assert "已提交" in page.locator(".messages").inner_text()
        assert page.locator("#state").inner_text() == "已提交"
        assert page.locator("input[name=v_i2]").get_attribute("readonly") is not None
        page.screenshot(
            path=str(SHOTS / "department.png") if SHOTS else str(tmp_path / "department.png"), full_page=True
        )
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


# Latin words a Chinese page may keep: formats, ids and file names (checked apart)
KEEP = {"CSV", "PDF", "DOCX", "WPS", "Word", "JSON", "API", "Token", "office", "HTTPS", "Excel", "MB"}
WORD = re.compile(r"[A-Za-z][A-Za-z0-9'’._/-]{2,}")
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


class Watched:
    """A page in its own browser context, its script errors and console errors gathered."""

    def __init__(self, browser, base: str, shots: Path):
        self.context = browser.new_context(locale="zh-CN", accept_downloads=True)
        self.page = self.context.new_page()
        self.page.set_default_timeout(TIMEOUT)
        self.base, self.shots, self.errors, self.expected = base, shots, [], ()
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on(
            "console",
            lambda m: self.errors.append(f"{m.text} {m.location.get('url', '')}") if m.type == "error" else None,
        )

    def chinese(self, shot: str, keep=()) -> str:
        """The visible text holds no English word (ids and file names apart), no script erred;
        a screenshot is taken."""
        text = self.page.locator("body").inner_text()
        found = [w.rstrip(".") for w in WORD.findall(re.sub(r"[^\s（(]+\.(pdf|docx|wps)\b", " ", text))]
        english = [w for w in found if not re.search(r"[._/]", w) and w not in KEEP and w not in keep]
        assert english == [], (shot, english)
        assert [e for e in self.errors if not any(x in e for x in self.expected)] == [], (shot, self.errors)
        self.page.screenshot(path=str(self.shots / f"{shot}.png"), full_page=True)
        return text

    def post(self, form: str) -> None:
        self.page.click(f"{form} button[type=submit]")
        self.page.wait_for_load_state()


def test_the_whole_round_in_the_browser_questions_reopening_locking_and_export(browser, tmp_path):
    """A department asks an exemption, claims an achievement with its evidence, uploads its report
    (an HTML page named .pdf refused), submits; the office reads the report, raises a question,
    the department answers, the office closes it and reopens the return, the department corrects
    and submits again, the office locks the year (nothing can change then) and its export button
    writes the year folder the site was made from, which then holds the department's value."""
    year = tmp_path / "year"
    shutil.copytree(TINY, year)
    (year / "scheme.yaml").write_text(
        re.sub(r"(\{id: i\d, name: [^,]+, weight: \d+)", r"\1, unit: 项", SCHEME), encoding="utf-8"
    )
    site = tmp_path / "site"
    assert run_cli("portal", "init", year, "--site", site, *db_args()).returncode == 0
    passwords = accounts(site)
    shots = SHOTS or tmp_path / "shots"
    shots.mkdir(parents=True, exist_ok=True)
    files = tmp_path / "files"
    files.mkdir()
    (files / "自查报告.pdf").write_bytes(PDF)
    (files / "表彰文件.pdf").write_bytes(PDF)
    (files / "假报告.pdf").write_text("<html><body><script>alert(1)</script></body></html>", encoding="utf-8")
    ids = ("D1", "i1", "i2", "i3", "i4", "i5", "s1", "b1", "b2")
    with serving(site) as base:
        d = Watched(browser, base, shots)
        page = d.page
        sign_in(page, base, "D1", passwords["D1"])
        page.wait_for_url("**/returns/D1/")
        page.fill("input[name=v_i2]", "7")
        page.locator("#msg-i2.ok").wait_for()
        d.post("#values")
        # an exemption with its reason
        page.select_option("#exemption select[name=indicator]", "i1")
        page.fill("#exemption input[name=reason]", "本部门无此项工作：未设领导小组")
        d.post("#exemption")
        assert "本部门无此项工作：未设领导小组" in page.locator("#row-i1").inner_text()
        # an achievement with its evidence
        page.select_option("#achievement select[name=indicator]", "b1")
        page.fill("#achievement input[name=title]", "省级信息化先进单位")
        page.fill("#achievement input[name=document]", "鲁政字〔2011〕12号")
        page.set_input_files("#achievement input[name=file]", str(files / "表彰文件.pdf"))
        d.post("#achievement")
        assert "省级信息化先进单位" in page.content() and page.locator("a", has_text="表彰文件.pdf").count() == 1
        # the report: an HTML page named .pdf is refused in Chinese, nothing kept; a real PDF is kept
        page.set_input_files("#report input[name=file]", str(files / "假报告.pdf"))
        d.post("#report")
        refusal = page.locator(".messages").inner_text()
        assert "不是 PDF、DOCX 或 WPS 文件" in refusal and "未保存" in refusal, refusal
        assert "尚未上传自查报告" in page.content() and page.locator("a", has_text="假报告.pdf").count() == 0
        assert len([p for p in (site / "uploads").rglob("*") if p.is_file()]) == 1  # the evidence only
        d.chinese("department-refused-upload", ids)
        page.set_input_files("#report input[name=file]", str(files / "自查报告.pdf"))
        d.post("#report")
        assert "自查报告已上传" in page.locator(".messages").inner_text()
        assert page.locator("a", has_text="自查报告.pdf").count() == 1
        d.chinese("department-filled", ids)
        d.post("#submit")
        assert page.locator("#state").inner_text() == "已提交"
        d.chinese("department-submitted", ids)

        o = Watched(browser, base, shots)
        office = o.page
        sign_in(office, base, "office", passwords["office"])
        office.wait_for_url("**/office/")
        office.click("#board a:text-is('D1')")
        office.wait_for_url("**/returns/D1/")
        # the report the department uploaded: the download answers with the file itself
        href = office.locator("a", has_text="自查报告.pdf").get_attribute("href")
        got = office.request.get(base + href)
        assert got.status == 200 and got.body() == PDF and got.headers["content-type"] == "application/pdf"
        office.select_option("#question select[name=indicator]", "i2")
        office.fill("#question input[name=text]", "此项数值明显高于上年，请核实")
        o.post("#question")
        assert "待答复" in office.locator(".question").inner_text()
        o.chinese("office-question", ids)

        page.reload()
        q = page.locator(".question")
        assert "此项数值明显高于上年，请核实" in q.inner_text() and "待答复" in q.inner_text()
        q.locator("input[name=text]").fill("上年统计口径不同，本年为7项")
        page.click(".question button[type=submit]")
        page.wait_for_load_state()
        assert "已答复" in page.locator(".question").inner_text()
        d.chinese("department-answered", ids)

        office.reload()
        assert "上年统计口径不同" in office.locator(".question").inner_text()
        office.click(".question form button[type=submit]")  # close
        office.wait_for_load_state()
        assert "已关闭" in office.locator(".question").inner_text()
        o.post("#reopen")
        assert office.locator("#state").inner_text() == "已退回修改"
        o.chinese("office-reopened", ids)

        # the department corrects the value and submits again
        page.reload()
        assert page.locator("input[name=v_i2]").get_attribute("readonly") is None
        page.fill("input[name=v_i2]", "6")
        page.locator("#msg-i2.ok").wait_for()
        d.post("#values")
        d.post("#submit")
        assert page.locator("#state").inner_text() == "已提交"

        # the office locks the year
        office.goto(base + "/office/")
        office.click("button.danger")
        office.wait_for_load_state()
        assert office.locator("form[action$='lock'] button").inner_text() != ""
        o.chinese("office-locked", ids)

        # locked: the fields are read-only, and a save forced through the page is refused
        page.reload()
        assert page.locator("input[name=v_i2]").get_attribute("readonly") is not None
        assert page.locator("#values button[type=submit], #exemption, #achievement, #report, #submit").count() == 0
        d.chinese("department-locked", ids)
        d.expected = ("status of 403 (Forbidden) " + base + "/returns/D1/value",)  # the refusal's own status
        with page.expect_navigation():
            page.evaluate("""() => { const i = document.querySelector('input[name=v_i2]');
                                     i.removeAttribute('readonly'); i.value = '9';
                                     document.getElementById('values').submit(); }""")
        assert "本年度已锁定" in page.locator("p.error").inner_text() and page.locator("h1").inner_text() == "无权访问"
        d.chinese("department-refused-save", ids)
        page.goto(base + "/returns/D1/")
        assert page.locator("input[name=v_i2]").input_value() == "6"
        d.chinese("department-after-refusal", ids)

        # the office exports the year from its board into the year folder the site was made from
        office.goto(base + "/office/")
        o.post("#export")
        assert office.locator("h1").inner_text() == "导出年度数据"
        assert "已写入" in office.locator("#export-done").inner_text()
        assert "values.csv" in office.locator("#written").inner_text()
        # the year's own check's warnings name the tables' columns and quote the values, as the
        # command line prints them
        o.chinese("office-exported", (*ids, "value", "score", *(f"D{n}'" for n in range(1, 10))))
        assert o.errors == []
        d.context.close()
        o.context.close()
    with open(year / "values.csv", encoding="utf-8-sig", newline="") as f:
        values = {(v["dept_id"], v["indicator"]): v["value"] for v in csv.DictReader(f)}
    assert values[("D1", "i2")] == "6"
