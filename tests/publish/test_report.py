"""The annual report end to end (wfscore.publish.report): papermill runs of the report notebook,
the HTML page, the workbook, parameter checks, and failures that leave the previous
report as it was."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import nbformat
import openpyxl
import pytest

import wfscore
from helpers import HOSTILE_NAMES, ROOT, TINY, HtmlParts, need, run_cli, run_on_a_terminal
from wfscore.inputs.manifest import MANIFEST
from wfscore.publish import report
from wfscore.publish.report import ReportError, check_out, check_parameters, check_year


def need_kernel() -> None:
    need(importlib.util.find_spec("ipykernel") is not None, "ipykernel (a Jupyter kernel for papermill)")


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def previous_report(folder: Path) -> dict[str, bytes]:
    from wfscore.inputs.manifest import write_manifest

    folder.mkdir(parents=True)
    for name in report.OUTPUTS:
        (folder / name).write_text(f"previous {name}\n", encoding="utf-8")
    write_manifest(folder, "report", {"cards": "cards"})
    return snapshot(folder)


# -- parameters are checked before use ----------------------------------------------------------


@pytest.mark.parametrize("year", [2011, "2011", " 2011 "])
def test_a_year_is_a_plausible_whole_number(year):
    assert check_year(year) == 2011


@pytest.mark.parametrize(
    "year", ["../../etc", "2011/../x", "2011; rm -rf /", "２０１１", 20110, 1800, True, 2011.0, None, "<script>"]
)
def test_anything_else_is_not_a_year(year):
    with pytest.raises(ValueError, match=r"is not a year \(expected a whole number from 1949 to 2100"):
        check_year(year)


def test_parameters_are_checked_together(tmp_path):
    afile = tmp_path / "file.txt"
    afile.write_text("x")
    with pytest.raises(ReportError) as exc:
        check_parameters(tmp_path / "missing", "../x", afile, "fr")
    message = str(exc.value)
    assert "year '../x' is not a year" in message
    assert "lang 'fr' is not a report language (expected one of zh, en)" in message
    assert f"data_dir {str(tmp_path / 'missing')!r} does not exist" in message
    assert f"out_dir {str(afile)!r} is a file" in message


@pytest.mark.parametrize("bad", ["", "   ", "a\x00b", "a\nb", 42, None])
def test_paths_must_be_usable_text(tmp_path, bad):
    with pytest.raises(ReportError, match="data_dir"):
        check_parameters(bad, 2011, tmp_path / "out", "zh")
    with pytest.raises(ReportError, match="out_dir"):
        check_parameters(TINY, 2011, bad, "zh")


def test_the_report_is_never_written_into_the_data(tiny):
    with pytest.raises(ReportError, match="is inside data_dir"):
        check_parameters(tiny, 2011, tiny / "reports", "zh")
    with pytest.raises(ReportError, match="overlaps the data folder"):
        check_out(tiny / "reports", tiny)
    with pytest.raises(ReportError, match=r"holds other files \(tiny\)"):
        check_out(tiny.parent, tiny)  # replacing it would remove the data


def test_a_bad_out_folder_is_a_usage_error(tmp_path):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.docx").write_text("precious")
    run = run_cli("report", TINY, "--out", tmp_path / "mine")
    assert run.returncode == 2
    assert "holds other files (notes.docx)" in run.stderr and "no report was written" in run.stderr
    assert (tmp_path / "mine" / "notes.docx").read_text() == "precious"


def test_a_folder_holding_other_files_is_not_replaced(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.docx").write_text("precious")
    with pytest.raises(ReportError, match=r"holds other files \(notes.docx\)"):
        check_out(folder, TINY)
    previous_report(tmp_path / "old")
    assert check_out(tmp_path / "old", TINY) == tmp_path / "old"
    assert check_out(tmp_path / "new", TINY) == tmp_path / "new"


def test_open_year_checks_the_year_against_the_scheme(tmp_path):
    with pytest.raises(ReportError, match=r"year 2012 was asked for, but .*scheme.yaml is the scheme of 2011"):
        report.open_year(TINY, 2012, tmp_path / "out", "zh")
    assert not (tmp_path / "out").exists()
    result = report.open_year(str(TINY), "2011", str(tmp_path / "out"), "zh")
    assert isinstance(result, wfscore.Result) and (tmp_path / "out").is_dir()


def test_the_notebook_is_parameters_then_calls_into_wfscore():
    nb = nbformat.read(ROOT / "notebooks" / "annual_report.ipynb", as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code[0].metadata.tags == ["parameters"]
    lines = [line for line in code[0].source.splitlines() if not line.startswith("#")]
    assert lines == [
        'data_dir = ""',
        "year = None  # None：取 scheme.yaml 中的年份",
        'out_dir = ""  # 留空：data/<年份> 旁的 reports/<年份>，否则当前文件夹中的 reports/<年份>',
        'lang = "zh"',
    ]
    for cell in code:
        assert cell.outputs == [] and cell.execution_count is None  # committed without outputs
        assert "def " not in cell.source and "class " not in cell.source
    calls = [c.source for c in code[1:]]
    # the report, then its appendix (the cells that print into 附录.pdf)
    order = [
        "open_year",
        "headline",
        "ranking",
        "distributions",
        "composition",
        "by_kind",
        "excellence",
        "report_section",
        "adjustments",
        "data_warnings",
        "write_workbook",
        "provenance",
    ]
    positions = [next(n for n, src in enumerate(calls) if f".{name}(" in src) for name in order]
    assert positions == sorted(positions)


# -- a papermill run on the tiny year ---------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    need_kernel()
    out = tmp_path_factory.mktemp("report") / "reports" / "2011"
    result = report.build(TINY, out)
    return result, out


def test_the_report_writes_its_three_files(built):
    result, out = built
    assert result.folder == out and result.year == 2011
    assert sorted(p.name for p in out.iterdir()) == sorted(report.OUTPUTS + (MANIFEST,))
    assert not any(p.name.startswith(".wfscore-tmp-") for p in out.parent.iterdir())


def test_every_department_is_in_the_html(built):
    _, out = built
    page = HtmlParts((out / "report.html").read_text(encoding="utf-8"))
    text = "".join(page.text)
    names = wfscore.load_year(TINY).departments["name"]
    assert len(names) == 7
    for name in names:
        assert name in text
    for heading in (
        "总体情况",
        "排名",
        "各类指标得分分布",
        "各部门总分构成",
        "按部门类别的总分",
        "调整记录",
        "数据警告",
        "优秀名单",
        "排名稳健性",
        "名次最不稳定的 10 个部门",
        "指标体系统计检验",
        "数据来源与参数",
    ):
        assert heading in text


def test_the_html_is_self_contained_with_code_hidden(built):
    _, out = built
    raw = (out / "report.html").read_text(encoding="utf-8")
    page = HtmlParts(raw)
    for tag, attrs in page.tags:
        for key in ("src", "href"):
            assert not attrs.get(key, "").startswith(("http:", "https:", "//")), (tag, attrs)
    images = [attrs["src"] for tag, attrs in page.tags if tag == "img"]
    assert len(images) == 7 and all(src.startswith("data:image/png;base64,") for src in images)
    assert "from wfscore import" not in raw and "open_year(" not in raw  # code hidden
    assert "runs this notebook with papermill" not in raw  # the report-hide cell
    assert "<title>手算示例 年度报告</title>" in raw
    assert '<html lang="zh">' in raw


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def test_the_page_opens_offline_in_a_browser(built):
    """Debian's chromium shows the page with every request outside the file refused:
    all three pictures decode, every department is there, no code is."""
    need(CHROMIUM.exists(), f"Debian's chromium ({CHROMIUM})")
    need(importlib.util.find_spec("playwright") is not None, "the playwright package")
    from playwright.sync_api import sync_playwright

    _, out = built
    asked: list[str] = []
    local = ("file:", "data:")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.on("request", lambda request: asked.append(request.url))
            page.route(
                "**/*", lambda route: route.continue_() if route.request.url.startswith(local) else route.abort()
            )
            page.goto((out / "report.html").as_uri())
            widths = page.eval_on_selector_all("img", "imgs => imgs.map(i => i.complete ? i.naturalWidth : 0)")
            text = page.inner_text("body")
        finally:
            browser.close()
    assert [url for url in asked if not url.startswith(local)] == []
    assert len(widths) == 7 and min(widths) > 300
    for name in wfscore.load_year(TINY).departments["name"]:
        assert name in text
    assert "open_year" not in text and "import" not in text


def test_the_excel_ranking_matches_the_library(built):
    _, out = built
    expected = wfscore.score(wfscore.load_year(TINY))
    book = openpyxl.load_workbook(out / "results.xlsx")
    assert book.sheetnames[:4] == ["排名", "指标明细", "调整记录", "数据警告"]
    rows = list(book["排名"].iter_rows(values_only=True))
    header, rows = rows[0], rows[1:]
    assert len(rows) == len(expected.total) == 7
    got = {r[header.index("部门编号")]: r[header.index("总分")] for r in rows}
    for dept, total in zip(expected.data.dept_ids, expected.total):
        assert got[dept] == pytest.approx(total, abs=1e-9)


def test_the_executed_notebook_has_no_errors(built):
    _, out = built
    nb = nbformat.read(out / "report.ipynb", as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count is not None for c in code)
    assert not [o for c in code for o in c.outputs if o.output_type == "error"]
    assert not [o for c in code for o in c.outputs if o.get("name") == "stderr"]
    assert nb.metadata.papermill.parameters["year"] == 2011
    assert nb.metadata.papermill.parameters["lang"] == "zh"


# -- the command, hostile text, synthetic data, English -----------------------------------------------


def test_report_command_with_hostile_text_in_english(hostile, tmp_path):
    need_kernel()
    work = tmp_path / "work"
    work.mkdir()
    run = run_cli("report", hostile, "--lang", "en", cwd=work)
    assert run.returncode == 0, run.stderr
    out = work / "reports" / "2011"  # the default folder, reports/<year>
    assert f"wrote the 2011 report: {Path('reports/2011/report.html')}" in run.stderr
    assert "Executing" not in run.stderr  # no progress bar when stderr is not a terminal
    assert "Kernel is running over TCP" not in run.stderr  # the kernel's log stays quiet
    raw = (out / "report.html").read_text(encoding="utf-8")
    # the page's own scripts (the ranking's search and sort) hold no input text; a hostile
    # name never becomes a script, a tag or an attribute
    scripts = re.findall(r"<script\b.*?</script>", raw, flags=re.S)
    assert len(scripts) <= 1
    assert not [s for s in scripts for name in HOSTILE_NAMES.values() if name in s or "alert(" in s]
    page = HtmlParts(re.sub(r"<script\b.*?</script>", "", raw, flags=re.S))
    tags = {tag for tag, _ in page.tags}
    assert not {"script", "b", "i"} & tags
    assert not [k for _, attrs in page.tags for k in attrs if k.startswith("on")]
    text = "".join(page.text)
    for name in HOSTILE_NAMES.values():
        assert name in text
    assert "this report is built from synthetic sample data" in text
    assert "Headline figures" in text and '<html lang="en">' in raw
    book = openpyxl.load_workbook(out / "results.xlsx")
    assert book.sheetnames[:4] == ["ranking", "detail", "adjustments", "warnings"]
    assert not [c for s in book.worksheets for row in s.iter_rows() for c in row if c.data_type == "f"]
    names = [c.value for c in book["ranking"]["C"][1:]]
    assert set(names) == set(HOSTILE_NAMES.values())


def test_a_progress_bar_on_a_terminal(tmp_path):
    need_kernel()
    status, screen = run_on_a_terminal("report", TINY, "--out", tmp_path / "2011", timeout=120)
    assert status == 0
    screen = screen.replace("\r", "\n")
    # one bar of its own, in the messages' language: every cell, the page, the PDF, the notice and its PDF
    assert re.search(r"reports: 100%\|.*\| (\d+)/\1 ", screen), screen[-500:]
    assert "Executing" not in screen  # not papermill's bar beside it
    assert "converting 通报.docx to 通报.pdf with LibreOffice" in screen  # the step shown beside the bar
    assert not re.search(r"^running the report notebook", screen, re.M)  # no plain lines on a terminal


def test_not_on_a_terminal_each_step_on_a_line(tmp_path):
    """A log (stderr to a file or pipe) says what was done, step by step, in the messages' language."""
    need_kernel()
    run = run_cli("report", TINY, "--out", tmp_path / "2011", "--no-pdf", lang="zh")
    assert run.returncode == 0, run.stderr
    lines = run.stderr.splitlines()
    cells = sum(c["cell_type"] == "code" for c in json.loads(report.notebook_path().read_text("utf-8"))["cells"]) + 1
    assert lines.index(f"正在运行报告 notebook（{cells} 个单元格）") < lines.index("正在写出 report.html")
    assert "正在写出通报.docx" in lines and "正在打印 report.pdf" not in lines
    assert not any("%|" in line or "\r" in line for line in lines)  # no bar


def test_report_help_names_the_options():
    run = run_cli("report", "--help")
    assert run.returncode == 0
    assert "--out DIR" in run.stdout and "--lang {zh,en}" in run.stdout


# -- failures leave the previous report untouched ---------------------------------------------------


def test_a_broken_year_gives_a_clear_error_and_keeps_the_previous_report(tiny, tmp_path):
    out = tmp_path / "reports" / "2011"
    before = previous_report(out)
    values = tiny / "values.csv"
    values.write_text(values.read_text(encoding="utf-8").replace("D2,i2,4", "D2,i2,abc"), encoding="utf-8")
    run = run_cli("report", tiny, "--out", out)
    assert run.returncode == 1
    assert "values.csv line 3, column value: 'abc' is not a number" in run.stderr
    assert "no report was written" in run.stderr
    assert snapshot(out) == before
    assert sorted(p.name for p in out.parent.iterdir()) == ["2011"]  # no temporary folder left


def test_a_failed_cell_is_named_and_the_previous_report_kept(tmp_path):
    need_kernel()
    out = tmp_path / "reports" / "2011"
    before = previous_report(out)
    broken = tmp_path / "broken.ipynb"
    nb = nbformat.v4.new_notebook(
        metadata={"kernelspec": {"name": "python3", "language": "python", "display_name": "Python 3"}}
    )
    nb.cells = [
        nbformat.v4.new_code_cell(
            'data_dir = ""\nyear = 0\nout_dir = ""\nlang = "zh"', metadata={"tags": ["parameters"]}
        ),
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_code_cell('raise RuntimeError("the chart could not be drawn")'),
    ]
    nbformat.write(nb, broken)
    with pytest.raises(ReportError) as exc:
        report.build(TINY, out, notebook=broken)
    message = str(exc.value)
    assert message.startswith("the report notebook failed in cell In [4]")
    assert "RuntimeError: the chart could not be drawn" in message
    assert snapshot(out) == before
    assert sorted(p.name for p in out.parent.iterdir()) == ["2011"]


def test_the_notebook_checks_its_own_parameters(tmp_path):
    """Run by hand or by papermill with a bad year, the notebook stops at its first cell."""
    need_kernel()
    with pytest.raises(ReportError) as exc:
        report.execute(
            ROOT / "notebooks" / "annual_report.ipynb",
            tmp_path / "out.ipynb",
            {"data_dir": str(TINY), "year": "../../etc", "out_dir": str(tmp_path / "x"), "lang": "zh"},
        )
    message = str(exc.value)
    assert re.search(
        r"failed in cell In \[3\] \(from wfscore.publish import charts, report, sensitivity_charts, tables", message
    )
    assert "ReportError: year '../../etc' is not a year" in message
    assert not (tmp_path / "x").exists()
    saved = json.loads((tmp_path / "out.ipynb").read_text(encoding="utf-8"))
    assert saved["metadata"]["papermill"]["exception"] is True


def test_make_report_target_runs_the_command():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    target = re.search(r"^report: venv\n\t(.+)$", makefile, re.M)
    assert target and target.group(1) == "$(BIN)/wfscore report data/$(YEAR)"


# -- the report folder holds only what the report wrote ------------------------------------------------


def test_a_folder_of_a_persons_files_named_like_the_reports_is_refused_and_kept(tmp_path):
    """Reproduces a person's report.pdf and results.xlsx deleted with their folder (the names
    were the report's own); and thesis.pdf, notes.html, invoice-2011.pdf beside them."""
    mine = tmp_path / "mine"
    mine.mkdir()
    files = {"report.pdf": b"%PDF my own report", "results.xlsx": b"PK my sums"}
    for name, body in files.items():
        (mine / name).write_bytes(body)
    with pytest.raises(
        ReportError,
        match=r"holds other files \(report.pdf, results.xlsx\), which the report did "
        r"not write; .*\(choose an empty or new folder",
    ):
        check_out(mine, TINY)
    for name in ("thesis.pdf", "notes.html", "invoice-2011.pdf"):
        files[name] = name.encode()
        (mine / name).write_bytes(files[name])
    run = run_cli("report", TINY, "--out", mine)
    assert run.returncode == 2, run.stderr
    assert (
        f"--out '{mine}' holds other files (invoice-2011.pdf, notes.html, report.pdf, results.xlsx, "
        "thesis.pdf)" in run.stderr
    )
    assert "no report was written" in run.stderr and "Traceback" not in run.stderr
    assert {p.name: p.read_bytes() for p in mine.iterdir()} == files


def test_a_report_folder_changed_by_hand_is_refused(tmp_path):
    folder = tmp_path / "2011"
    previous_report(folder)
    assert check_out(folder, TINY) == folder
    (folder / "results.xlsx").write_text("my corrections", encoding="utf-8")
    with pytest.raises(ReportError, match=r"holds other files \(results.xlsx\)"):
        check_out(folder, TINY)
    previous_report(tmp_path / "b")
    (tmp_path / "b" / MANIFEST).write_text("{not json", encoding="utf-8")  # a broken manifest proves nothing
    with pytest.raises(ReportError, match=r"holds other files \(.wfscore-manifest.json, report.html"):
        check_out(tmp_path / "b", TINY)
    previous_report(tmp_path / "c")
    (tmp_path / "c" / "cards").mkdir()
    (tmp_path / "c" / "cards" / "G1.pdf").write_text("no manifest")
    with pytest.raises(ReportError, match=r"holds other files \(cards/G1.pdf\)"):
        check_out(tmp_path / "c", TINY)


def test_report_without_a_browser_writes_all_but_the_pdf_then_no_pdf_rewrites_it(tmp_path, monkeypatch, capsys):
    """No browser anywhere: the HTML, the workbook and the notebook, one line on the PDF,
    exit 0; then ``--no-pdf`` into the same folder (the report's own): no line."""
    need_kernel()
    from wfscore.cli import main
    from wfscore.publish import pdf

    monkeypatch.setenv("WFSCORE_CHROMIUM", str(tmp_path / "nowhere" / "chrome"))
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    monkeypatch.setattr(pdf, "well_known_paths", lambda *a, **k: [str(tmp_path / "no" / "chromium")])
    from wfscore.publish import office  # nor LibreOffice: 通报.docx without its PDF, and a note

    monkeypatch.setattr(office, "well_known_paths", lambda *a, **k: [str(tmp_path / "no" / "soffice")])
    monkeypatch.delenv(office.ENV_VAR, raising=False)
    out = tmp_path / "reports" / "2011"
    assert main(["report", str(TINY), "--out", str(out)]) == 0
    err = capsys.readouterr().err
    notes = [line for line in err.splitlines() if "PDF" in line]
    assert notes == [
        "注意：未生成 PDF：PDF 需要 Chrome、Edge 或 Chromium 浏览器，本机未找到（请安装其中之一，或将环境变量 "
        "WFSCORE_CHROMIUM 设为其可执行文件）"
    ], err
    assert (
        "注意：未生成通报.pdf：需要 LibreOffice，本机未找到（请安装 LibreOffice，或将环境变量 WFSCORE_SOFFICE 设为其 "
        "soffice）；"
        "已写出通报.docx" in err.splitlines()
    )
    written = sorted(p.name for p in out.iterdir())
    assert written == sorted(n for n in report.OUTPUTS + (MANIFEST,) if n not in (*report.PDFS, "通报.pdf"))
    assert "已写出 2011 年报告" in err and "report.pdf" not in err and "附录.pdf" not in err
    assert main(["report", str(TINY), "--out", str(out), "--no-pdf", "--lang", "en"]) == 0
    err = capsys.readouterr().err
    assert "PDF" not in err and "Chrome" not in err and "wrote the 2011 report" in err
    assert "LibreOffice" not in err  # --no-pdf: no PDF asked for, none missed
    assert sorted(p.name for p in out.iterdir()) == written


def test_a_pdf_the_browser_does_not_finish_in_time_is_named_and_the_rest_written(tmp_path, monkeypatch, capsys):
    """Chromium given no time at all (the time allowed scales with the page's size): one
    error line in Chinese naming report.pdf, its size and --no-pdf; no traceback; the HTML,
    the workbook and the notebook written; exit 1 (the PDF asked for was not made)."""
    need_kernel()
    from wfscore.cli import main
    from wfscore.publish import pdf

    need(pdf.find_browser() is not None, "Chrome, Edge or Chromium")
    monkeypatch.setattr(pdf, "BASE_SECONDS", 0.0)
    monkeypatch.setattr(pdf, "PER_MB_SECONDS", 0.0)
    out = tmp_path / "reports" / "2011"
    assert main(["report", str(TINY), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if "PDF" in line]
    assert len(lines) == 1 and re.fullmatch(
        r"错误：未生成 PDF：chromium 未能在 0 秒内打印完 report\.pdf（网页 [0-9.]+ MB），"
        r"已停止（加 --no-pdf 可跳过 PDF）",
        lines[0],
    ), err
    assert sorted(p.name for p in out.iterdir()) == sorted(
        n for n in report.OUTPUTS + (MANIFEST,) if n not in report.PDFS
    )
    assert "已写出 2011 年报告" in err and "report.pdf," not in err


def test_the_time_allowed_for_a_pdf_grows_with_its_page_up_to_a_ceiling():
    from wfscore.publish import pdf

    small, big = pdf.print_seconds("x" * 1000), pdf.print_seconds("x" * 7_000_000)
    assert small == pytest.approx(pdf.BASE_SECONDS, abs=0.1)
    assert big == pytest.approx(pdf.BASE_SECONDS + 7 * pdf.PER_MB_SECONDS)
    assert pdf.print_seconds("排" * 3_000_000) == pytest.approx(pdf.BASE_SECONDS + 9 * pdf.PER_MB_SECONDS)  # bytes
    assert pdf.print_seconds("x" * 200_000_000) == pdf.CEILING_SECONDS


def test_nbformat_is_imported_without_the_slow_iri_checker_which_stays_importable():
    """The report's driver imports nbformat (and so jsonschema) without rfc3987_syntax, whose
    import builds some forty parsers; the module can still be imported afterwards."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from wfscore.publish import report\n"
        "assert report.cells_of(report.notebook_path()) > 1\n"
        "assert 'jsonschema' in sys.modules and 'rfc3987_syntax' not in sys.modules, sorted(sys.modules)\n"
        "import rfc3987_syntax\n"
        "assert rfc3987_syntax.is_valid_syntax('iri', 'http://例子.测试/')\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
