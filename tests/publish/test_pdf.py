"""``report.pdf`` and the report page printed and shown by chromium.

The sample year's report is built once for the module; the PDF is read back with
poppler. The page is opened in chromium with a fontconfig that sees no CJK font
(only DejaVu), as on an office PC without Chinese fonts.
"""

from __future__ import annotations

import csv
import re
import shutil
import zipfile
from pathlib import Path

import pytest
import yaml

import wfscore
from helpers import ROOT, SAMPLE, TINY, need, run_cli
from pdftools import flat, fonts, image_pages, need_poppler, overlapping_words, pages, text, words
from wfscore.publish import report, tables
from wfscore.publish.report_text import report_words

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def need_tools() -> None:
    need(Path(CHROMIUM).is_file(), "chromium")
    need_poppler()


@pytest.fixture(scope="module")
def sample_report(tmp_path_factory):
    need_tools()
    tmp = tmp_path_factory.mktemp("pdf")
    out = tmp / "reports" / "2011"
    report.build(SAMPLE, out)
    done = run_cli("score", SAMPLE, "--out", tmp / "results.csv")
    assert done.returncode == 0, done.stderr
    with open(tmp / "results.csv", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    return out, rows, tmp


def test_report_pdf_is_a4_with_page_numbers(sample_report):
    import subprocess

    out, _, _ = sample_report
    pdf = out / "report.pdf"
    n = pages(pdf)
    assert n > 3
    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", str(n), str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    sizes = set(re.findall(r"size:\s+([\d.]+ x [\d.]+) pts", info))
    assert sizes <= {"595.92 x 842.88", "841.92 x 594.96", "594.96 x 841.92", "842.88 x 595.92"}, sizes
    for page in range(1, n + 1):
        assert flat(f"第 {page} 页，共 {n} 页") in flat(text(pdf, page)), page


def test_every_ranking_column_and_every_total_is_in_the_pdf(sample_report):
    out, rows, _ = sample_report
    body = flat(text(out / "report.pdf", raw=True))
    result = wfscore.score(wfscore.load_year(SAMPLE))
    frame, _ = tables.ranking_frame(result, "zh")
    for column in list(frame.columns) + ["部门编号"]:
        assert flat(column) in body, column
    for row in rows:
        assert f"{float(row['total']):.2f}" in body, (row["dept_id"], row["total"])
        assert flat(row["name"]) in body, row["name"]


def test_the_ranking_pages_repeat_the_header(sample_report):
    out, _, _ = sample_report
    pdf = out / "report.pdf"
    ids = re.compile(r"\b[A-Z]\d\d\b")
    ranking_pages = [p for p in range(1, pages(pdf) + 1) if len(ids.findall(text(pdf, p))) > 10]
    assert len(ranking_pages) >= 3  # 129 rows cannot fit on fewer pages
    for p in ranking_pages:
        page = flat(text(pdf, p, raw=True))
        assert "部门编号" in page and "总分" in page and "折算得分" in page and "具备评优资格" in page, p


def test_no_text_is_printed_over_other_text(sample_report):
    out, _, _ = sample_report
    for name in report.PDFS:
        assert overlapping_words(out / name) == [], name


def test_the_checker_finds_text_printed_over_text(tmp_path):
    """The overlap check itself: a page with a word drawn over another is caught."""
    need_tools()
    from wfscore.publish.pdf import print_pdf

    page = (
        '<html><body style="font: 12pt sans-serif"><p>separate words here</p>'
        '<div style="position: relative"><span>850.97</span>'
        '<span style="position: absolute; left: 8px; top: 0">overlapping</span></div></body></html>'
    )
    print_pdf(page, tmp_path / "x.pdf")
    clashes = overlapping_words(tmp_path / "x.pdf")
    assert [(p, a, b) for p, a, b in clashes] == [(1, "850.97", "overlapping")]


def test_no_number_is_broken_and_every_total_and_converted_score_is_one_word(sample_report):
    out, rows, _ = sample_report
    broken = re.compile(r"^\d+\.$|^\.\d+$")
    for name in report.PDFS:
        for number, page in enumerate(words(out / name), start=1):
            assert not [w for *_, w in page if broken.match(w)], (name, number)
    shown = {w for page in words(out / "report.pdf") for *_, w in page}
    result = wfscore.score(wfscore.load_year(SAMPLE))
    for total, converted in zip(result.ranking["total"], result.ranking["converted"]):
        assert f"{total:.2f}" in shown and f"{converted:.2f}" in shown, (total, converted)


def test_the_main_report_is_short_and_small_and_the_long_parts_are_in_the_appendix(sample_report):
    out, _, _ = sample_report
    main, appendix = (out / name for name in report.PDFS)
    assert pages(main) <= 12
    assert main.stat().st_size <= 1.5e6, main.stat().st_size
    body, back = flat(text(main)), flat(text(appendix))
    assert flat("附录.pdf") in body  # the report says where the rest is
    hashes = re.compile(r"[0-9a-f]{64}")
    assert not hashes.search(body) and hashes.search(back)  # provenance hashes only in the appendix
    for heading in ("调整记录", "数据警告", "指标体系统计检验", "数据来源与参数"):
        assert heading in back, heading
    assert "按网站绩效评估计分" not in body and "按网站绩效评估计分" in back  # the adjustment log's rows
    assert "排名" in body and "排名稳健性" in body


def test_the_sample_reports_pdfs_print_every_row(sample_report):
    """129 departments, 165 adjustments: below the length whose print is cut short."""
    out, rows, _ = sample_report
    main, appendix = (out / name for name in report.PDFS)
    assert flat("打印版只列出") not in flat(text(main)) + flat(text(appendix))
    printed = set(text(main, raw=True).split())
    assert {r["dept_id"] for r in rows} <= printed


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_long_ranking_and_log_print_their_first_rows_and_say_where_the_rest_is(tmp_path, monkeypatch, lang):
    """Above the length (made small here: 100 rows, 20 printed) report.pdf lists the
    first departments and says that report.html and results.xlsx hold them all; the
    appendix does the same for the adjustments; the page keeps every row."""
    need_tools()
    monkeypatch.setenv(tables.PRINT_ROWS_VAR, "100,20")  # the report's kernel inherits it
    out = tmp_path / "reports" / "2011"
    report.build(SAMPLE, out, lang=lang)
    result = wfscore.score(wfscore.load_year(SAMPLE))
    ids = list(result.ranking["dept_id"])
    main, appendix = (out / name for name in report.PDFS)
    printed = set(text(main, raw=True).split())
    assert set(ids[:20]) <= printed
    assert not set(ids[20:]) & printed
    t = report_words(lang)
    said = t["ranking_printed"].format(shown="20", total="129")
    assert flat(said) in flat(text(main))
    assert flat(t["adjustments_printed"].format(shown="20", total="165")) in flat(text(appendix))
    page = (out / "report.html").read_text(encoding="utf-8")
    ranking = page[page.index('id="T_ranking"') :]
    ranking = ranking[: ranking.index("</table>")]
    assert all(f">{i}</td>" in ranking for i in ids)  # the page keeps the whole ranking
    assert tables.esc(said) in page


def test_short_columns_are_never_wrapped_a_character_a_line(sample_report):
    out, _, _ = sample_report
    found = [w for page in words(out / "附录.pdf") for *_, w in page]
    assert found.count("警告") >= 4  # the warnings' level, whole on every row (the sample has 4 warnings)
    assert "警" not in found and "告" not in found and "自查报" not in found
    assert "权重调整" in found and "调" not in found  # the adjustments' kind


def test_no_page_holds_only_a_heading(sample_report):
    out, _, _ = sample_report
    pdf = out / "report.pdf"
    pictures = image_pages(pdf)
    for page in range(1, pages(pdf) + 1):
        lines = [line for line in text(pdf, page).splitlines() if line.strip() and "页，共" not in line]
        assert page in pictures or len(lines) > 3, (page, lines)


def test_every_font_of_the_report_pdf_is_embedded_as_truetype(sample_report):
    out, _, _ = sample_report
    for name in report.PDFS:
        found = fonts(out / name)
        assert found and all(f["emb"] == "yes" for f in found), found
        assert all(f["type"] == "CID TrueType" for f in found), found  # no Type 3 glyphs


def test_no_machine_path_in_any_published_file(sample_report):
    out, _, tmp = sample_report
    machine = [str(ROOT), str(tmp), str(Path.home()), "/tmp/", ".wfscore-tmp"]
    texts = {name: (out / name).read_text(encoding="utf-8") for name in ("report.html", "report.ipynb")}
    with zipfile.ZipFile(out / "results.xlsx") as z:
        texts["results.xlsx"] = "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    texts["report.pdf"] = text(out / "report.pdf")
    for name, body in texts.items():
        for path in machine:
            assert path not in body, (name, path)
    assert "data/2011" in texts["report.html"]  # the folder, relative to the project


def _open_without_cjk_fonts(tmp: Path, html: Path, strip_font: bool = False):
    """Open ``html`` in chromium seeing only DejaVu; return (fonts status, h1 screenshot)."""
    from playwright.sync_api import sync_playwright

    conf = tmp / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        "<dir>/usr/share/fonts/truetype/dejavu</dir>"
        f"<cachedir>{tmp / 'fc-cache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    page_file = html
    if strip_font:
        page_file = tmp / "stripped.html"
        page_file.write_text(
            re.sub(r"<!-- wf-webfont --><style[^<]*</style>", "", html.read_text(encoding="utf-8")), encoding="utf-8"
        )
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM, args=ARGS, env={"FONTCONFIG_FILE": str(conf), "HOME": str(tmp)}
        )
        try:
            page = browser.new_page(viewport={"width": 1024, "height": 800})
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
            page.goto(page_file.as_uri())
            page.evaluate("document.fonts.ready.then(() => true)")
            status = page.evaluate("Array.from(document.fonts).map(f => [f.family.replace(/\"/g, ''), f.status])")
            check = page.evaluate("document.fonts.check('16px WFNotoSansCJKSC', '排名总分部门')")
            shot = page.locator("h1").first.screenshot()
            total_box = page.locator("#T_ranking th", has_text="总分").first.bounding_box()
        finally:
            browser.close()
    return status, check, shot, total_box


def test_the_page_shows_chinese_without_chinese_system_fonts(sample_report, tmp_path):
    out, _, _ = sample_report
    status, check, shot, total_box = _open_without_cjk_fonts(tmp_path, out / "report.html")
    assert ["WFNotoSansCJKSC", "loaded"] in status
    assert check
    # without the embedded font the same heading is drawn differently (boxes): the glyphs come from it
    _, _, bare, _ = _open_without_cjk_fonts(tmp_path, out / "report.html", strip_font=True)
    assert shot != bare
    # the total column is on screen at 1024 px
    assert total_box is not None and total_box["x"] + total_box["width"] <= 1024


def test_the_ranking_searches_and_sorts_in_a_browser(sample_report):
    from playwright.sync_api import sync_playwright

    out, rows, _ = sample_report
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1024, "height": 800})
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
            page.goto((out / "report.html").as_uri())
            page.fill(".wf-rank-tools input", rows[5]["name"])
            visible = page.eval_on_selector_all("#T_ranking tbody tr", "rs => rs.filter(r => !r.hidden).length")
            assert visible >= 1 and visible < len(rows)
            page.fill(".wf-rank-tools input", "")
            page.locator("#T_ranking thead th", has_text="总分").first.click()  # ascending: the lowest first
            first = page.locator("#T_ranking tbody tr").first.inner_text()
            lowest = min(rows, key=lambda r: float(r["total"]))
            assert lowest["name"] in first
        finally:
            browser.close()


RULES = ("excellence", "conversion", "website_evaluation", "security_incident")


@pytest.mark.parametrize("without, lang", [(rule, "zh") for rule in RULES] + [(None, "en")])
def test_the_report_pdf_builds_with_and_without_each_optional_rule(tmp_path, without, lang):
    need_tools()
    data = tmp_path / "2011"
    shutil.copytree(TINY, data)
    if without:
        scheme = yaml.safe_load((data / "scheme.yaml").read_text(encoding="utf-8"))
        scheme["rules"].pop(without)
        (data / "scheme.yaml").write_text(yaml.safe_dump(scheme, allow_unicode=True, sort_keys=False), encoding="utf-8")
    out = tmp_path / "reports" / "2011"
    from wfscore.publish import cards

    cards.build(data, out / "cards", lang=lang, pdf=False)
    kept = {p.name: p.read_bytes() for p in (out / "cards").iterdir()}
    report.build(data, out, lang=lang)
    assert {p.name: p.read_bytes() for p in (out / "cards").iterdir()} == kept  # cards of this result survive
    for name in report.PDFS:
        assert overlapping_words(out / name) == [], name
        assert all(f["type"] == "CID TrueType" for f in fonts(out / name))
    body = flat(text(out / "report.pdf", raw=True))
    result = wfscore.score(wfscore.load_year(data))
    frame, _ = tables.ranking_frame(result, lang)
    for column in frame.columns:
        assert flat(column) in body, column
    for total in result.total:
        assert f"{total:.2f}" in body
    assert (flat("折算得分" if lang == "zh" else "Converted") in body) == (without != "conversion")
    assert all(f["emb"] == "yes" for f in fonts(out / "report.pdf"))


def test_a_report_removes_the_cards_of_another_result(tmp_path, capsys):
    """Never stale: cards made before a value changed do not stay beside the new report."""
    need_tools()
    from wfscore.publish import cards

    data = tmp_path / "2011"
    shutil.copytree(TINY, data)
    out = tmp_path / "reports" / "2011"
    cards.build(data, out / "cards", pdf=False)
    values = (data / "values.csv").read_text(encoding="utf-8-sig").splitlines()
    head, first = values[0], values[1].split(",")
    first[2] = str(float(first[2]) / 2)  # an upheld dispute, say: one value changed
    (data / "values.csv").write_text("\n".join([head, ",".join(first), *values[2:]]) + "\n", encoding="utf-8")
    done = run_cli("report", data, "--out", out, "--no-pdf", lang="zh")
    assert done.returncode == 0, done.stderr
    assert not (out / "cards").exists()
    assert f"注意：{out / 'cards'} 中的反馈卡属于另一考核结果，已删除；请重新生成：wfscore cards" in done.stderr


# -- where the browser is looked for ---------------------------------------------------------------------

from wfscore.publish import pdf  # noqa: E402


def test_the_usual_places_of_each_system_in_order():
    win = pdf.well_known_paths(
        "win32",
        {
            "PROGRAMFILES": r"C:\Program Files",
            "PROGRAMFILES(X86)": r"C:\Program Files (x86)",
            "LOCALAPPDATA": r"C:\Users\li\AppData\Local",
        },
    )
    assert win == [
        r"C:\Program Files\Chromium\Application\chrome.exe",
        r"C:\Program Files (x86)\Chromium\Application\chrome.exe",
        r"C:\Users\li\AppData\Local\Chromium\Application\chrome.exe",
        r"C:\Program Files\Google\Chrome\Application\chrome.exe",
        r"C:\Program Files (x86)\Google\Chrome\Application\chrome.exe",
        r"C:\Users\li\AppData\Local\Google\Chrome\Application\chrome.exe",
        r"C:\Program Files\Microsoft\Edge\Application\msedge.exe",
        r"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe",
        r"C:\Users\li\AppData\Local\Microsoft\Edge\Application\msedge.exe",
    ]
    assert pdf.well_known_paths("win32", {})[2] == r"C:\Program Files\Google\Chrome\Application\chrome.exe"
    mac = pdf.well_known_paths("darwin", {"HOME": "/Users/li"})
    assert mac == [
        "/Applications/Chromium.app/Contents/MacOS/Chromium",
        "/Users/li/Applications/Chromium.app/Contents/MacOS/Chromium",
        "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
        "/Users/li/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
        "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
        "/Users/li/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
    ]
    linux = pdf.well_known_paths("linux", {})
    assert (
        linux.index("/usr/bin/chromium")
        < linux.index("/opt/google/chrome/chrome")
        < linux.index("/opt/microsoft/msedge/msedge")
    )


def _fake(path: Path) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n")
    path.chmod(0o755)
    return str(path)


@pytest.mark.parametrize("system", ["win32", "darwin", "linux"])
def test_the_browser_is_looked_for_in_order(tmp_path, monkeypatch, system):
    """Fake browsers where each system keeps them (under tmp_path): the variable first,
    then the usual places in their order, then the PATH; none of them: None."""
    real = pdf.well_known_paths
    places = [
        str(tmp_path / "root" / p.replace("\\", "/").replace(":", "").lstrip("/"))
        for p in real(system, {"HOME": "/Users/li", "LOCALAPPDATA": r"C:\Users\li\AppData\Local"})
    ]
    monkeypatch.setattr(pdf, "well_known_paths", lambda system=None, environ=None: places)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    env = {"PATH": str(bin_dir), "WFSCORE_CHROMIUM": str(tmp_path / "nowhere")}
    assert pdf.find_browser(system, env) is None
    on_path = _fake(bin_dir / "microsoft-edge")
    assert pdf.find_browser(system, env) == on_path
    _fake(bin_dir / "google-chrome")
    assert pdf.find_browser(system, env) == str(bin_dir / "google-chrome")  # PATH_NAMES' order
    for place in reversed(places):  # the usual places come before the PATH, in their order
        _fake(Path(place))
        assert pdf.find_browser(system, env) == place
    chosen = _fake(tmp_path / "my" / "browser")
    assert pdf.find_browser(system, {**env, "WFSCORE_CHROMIUM": chosen}) == chosen
    not_executable = tmp_path / "plain"
    not_executable.write_text("")
    assert pdf.find_browser(system, {**env, "WFSCORE_CHROMIUM": str(not_executable)}) == places[0]


def test_no_browser_is_an_error_saying_how_to_get_one(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf, "well_known_paths", lambda *a, **k: [])
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("WFSCORE_CHROMIUM", str(tmp_path / "nowhere"))
    with pytest.raises(pdf.PdfError, match=r"install one of them, or set WFSCORE_CHROMIUM"):
        pdf.chromium_path()
