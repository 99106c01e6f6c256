"""The report's tables and workbook (wfscore.publish.tables): content, escaping, Excel layout."""

from __future__ import annotations

import html
import re
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

import wfscore
from helpers import HOSTILE_NAMES, SAMPLE, TINY, HtmlParts
from wfscore.publish import charts, tables


@pytest.fixture(scope="module")
def tiny_result():
    return wfscore.score(wfscore.load_year(TINY))


@pytest.fixture(scope="module")
def sample_result():
    return wfscore.score(wfscore.load_year(SAMPLE))


SECTIONS = [tables.title, tables.headline, tables.ranking, tables.adjustments, tables.data_warnings, tables.excellence]


def all_html(result, lang="zh") -> str:
    parts = [f(result, lang).html for f in SECTIONS]
    parts.append(tables.provenance(result, {"data_dir": "x<y>", "year": 2011, "lang": lang}, lang).html)
    return "".join(parts)


# -- hostile text ---------------------------------------------------------------------------


@pytest.mark.parametrize("styled_rows", [tables.STYLED_ROWS, 0], ids=["styled", "plain"])
def test_hostile_text_shows_as_text_in_every_section(hostile, styled_rows, monkeypatch):
    monkeypatch.setattr(tables, "STYLED_ROWS", styled_rows)  # 0: the ranking as a large year's, a plain table
    result = wfscore.score(wfscore.load_year(hostile))
    # the ranking's own search-and-sort script is the only script, and holds no input text
    ours = tables.ranking(result).parts[-1]
    assert ours.startswith("<script>") and ours.count("<script") == 1
    assert not any(name in ours for name in result.data.departments["name"])
    page = all_html(result).replace(ours, "")
    parsed = HtmlParts(page)
    names = {tag for tag, _ in parsed.tags}
    assert "script" not in names and "img" not in names and "i" not in names
    assert not any(k.startswith("on") for _, attrs in parsed.tags for k in attrs)
    # b is not among the tags either: <b>粗</b> and <b>=1+1</b> are text
    assert "b" not in names
    text = "".join(parsed.text)
    for name in HOSTILE_NAMES.values():
        assert name in text, name
    assert "<img src=x onerror=alert(2)>" in text  # the exemption reason, as text
    assert "<b>=1+1</b>" in text  # the incident description
    assert "<i>手算</i>示例 <script>alert(3)</script>" in text  # the scheme title
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_section_titles_and_chart_alt_text_are_escaped():
    from matplotlib.figure import Figure

    section = tables.Section('<script>"x"</script>', [charts.embed(Figure(figsize=(1, 1)), '<b onclick="y">')])
    parsed = HtmlParts(section.html)
    assert [t for t, _ in parsed.tags] == ["section", "h2", "figure", "img"]
    assert "".join(parsed.text) == '<script>"x"</script>'
    img = parsed.tags[-1][1]
    assert img["alt"] == '<b onclick="y">'
    assert img["src"].startswith("data:image/png;base64,")


# -- content ------------------------------------------------------------------------------------


def test_ranking_shows_the_biggest_sections_categories_the_sections_and_the_flags(tiny_result):
    frame, points = tables.ranking_frame(tiny_result, "zh")
    assert list(frame.columns) == [
        "名次",
        "部门",
        "类别",
        "工作体系",
        "网站",
        "安全",
        "指标考核",
        "自查考核",
        "奖励考核",
        "总分",
        "折算得分",
        "具备评优资格",
        "优秀",
    ]
    assert points == {
        "工作体系": 40,
        "网站": 30,
        "安全": 30,
        "指标考核": 100,
        "自查考核": 20,
        "奖励考核": 30,
        "总分": 150,
    }
    ranking = tiny_result.ranking
    assert list(frame["部门"]) == list(ranking["name"])
    assert list(frame["名次"]) == list(ranking["rank"])
    np.testing.assert_allclose(frame["总分"], ranking["total"])
    # the converted score (SPEC 5.10): the total × conversion.points (10) ÷ the scheme's 150 points
    np.testing.assert_allclose(frame["折算得分"], ranking["total"] * 10 / 150)
    assert frame.loc[frame["部门"] == "二号局", "具备评优资格"].item() == "否"  # major incident
    assert frame.loc[frame["部门"] == "五号会", "类别"].item() == "人民团体"


def test_ranking_html_has_bars_and_two_decimals(tiny_result):
    page = tables.ranking(tiny_result).html
    assert "linear-gradient" in page  # the in-cell bars
    for total in tiny_result.total:
        assert f"{total:.2f}" in page


class Cells(HtmlParts):
    """A table's rows of cell texts (header first) and each cell's attributes."""

    def __init__(self, text: str):
        self.rows: list[list[str]] = []
        self.attrs: list[list[dict]] = []
        self.cell: list[str] | None = None
        super().__init__(text)

    def handle_starttag(self, tag, attrs):
        super().handle_starttag(tag, attrs)
        if tag == "tr":
            self.rows.append([])
            self.attrs.append([])
        elif tag in ("td", "th"):
            self.cell = []
            self.attrs[-1].append(dict(attrs))

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self.rows[-1].append("".join(self.cell).strip())
            self.cell = None

    def handle_data(self, data):
        super().handle_data(data)
        if self.cell is not None:
            self.cell.append(data)


def test_a_large_ranking_is_a_plain_table_with_the_styled_ones_cells_and_bars(sample_result, monkeypatch):
    """Above STYLED_ROWS departments the ranking is written without pandas' Styler: the same
    cells in the same order, the same table id (the search and sort script finds it), each
    bar its cell's share of the column's points, no id or rule per cell."""
    styled = tables.ranking(sample_result).html
    monkeypatch.setattr(tables, "STYLED_ROWS", len(sample_result.total) - 1)
    plain = tables.ranking(sample_result).html
    assert "T_ranking_row" in styled and "T_ranking_row" not in plain
    assert 'id="T_ranking"' in plain and "<script>" in plain
    assert len(plain) < len(styled) / 2
    ours, theirs = Cells(plain), Cells(styled)
    assert ours.rows == theirs.rows
    header, rows = ours.rows[0], ours.rows[1:]
    _, points = tables.ranking_frame(sample_result)
    bars = {header.index(column): full for column, full in points.items()}
    assert len(bars) == 9  # five categories, three sections, the total
    rules = styled[: styled.index("</style>")].split("}")
    barred = {
        int(col)
        for rule in rules
        if "linear-gradient" in rule
        for col in re.findall(r"#T_ranking_row\d+_col(\d+)", rule)
    }
    assert barred == set(bars)  # the styled table's bars are in the same columns
    for cells, attrs in zip(rows, ours.attrs[1:]):
        for j, (text, attr) in enumerate(zip(cells, attrs)):
            if j in bars:  # the share of the unrounded score: within 0.05 % and the text's rounding
                share = float(re.fullmatch(r"--p:([0-9.]+)%", attr["style"]).group(1))
                assert abs(share - min(100.0, float(text) / bars[j] * 100)) <= 0.05 + 0.5 / bars[j], (j, text)
            else:
                assert "style" not in attr
    # the bars are drawn by one rule, and the name, id and kind columns are to the left
    assert "linear-gradient(90deg, #9ecae1 var(--p), transparent var(--p))" in plain
    texts = [header.index(c) for c in ("部门编号", "部门", "类别")]
    assert texts == [1, 2, 5]  # after the rank; the kind after the total and the converted score
    assert (
        "#T_ranking td:nth-child(2), #T_ranking th:nth-child(2), #T_ranking td:nth-child(3), "
        "#T_ranking th:nth-child(3), #T_ranking td:nth-child(6), #T_ranking th:nth-child(6) { text-align: left; }"
        in plain
    )
    # the name and the kind may wrap when printed (the id never does)
    assert (
        "#T_ranking td:nth-child(3), #T_ranking td:nth-child(6) { white-space: var(--wf-text-wrap, nowrap); }" in plain
    )


def test_sample_ranking_has_five_categories_and_three_sections(sample_result):
    frame, _ = tables.ranking_frame(sample_result, "zh")
    scheme = sample_result.scheme
    expected = [c.name for c in scheme.sections[0].categories] + [s.name for s in scheme.sections]
    assert len(scheme.sections[0].categories) == 5 and len(scheme.sections) == 3
    assert list(frame.columns[3:11]) == expected


def test_english_labels_come_from_name_en(sample_result):
    frame, _ = tables.ranking_frame(sample_result, "en")
    assert "Informatization work system" in frame.columns
    assert "Indicator assessment" in frame.columns
    assert list(frame.columns[:3]) == ["Rank", "Department", "Kind"]
    assert set(frame["Kind"]) <= {k.name_en for k in sample_result.scheme.kinds.values()}
    assert "Headline figures" in tables.headline(sample_result, "en").html


def test_headline_figures(tiny_result):
    page = tables.headline(tiny_result).html
    total = tiny_result.total
    for figure in (f"{total.mean():.2f}", f"{np.median(total):.2f}", f"{total.min():.2f} – {total.max():.2f}"):
        assert figure in page
    assert ">7<" in page  # departments
    assert f">{int(tiny_result.excellent.sum())}<" in page


def test_synthetic_data_is_stated_plainly(sample_result, tiny_result):
    assert (SAMPLE / "SYNTHETIC").is_file() and not (TINY / "SYNTHETIC").exists()
    assert "合成的示例数据" in tables.title(sample_result).html
    assert "synthetic sample data" in tables.title(sample_result, "en").html
    assert "合成" not in tables.title(tiny_result).html


def test_adjustment_log_lists_every_kind_and_merges_website_rows(tiny_result):
    page = tables.adjustments(tiny_result).html
    for kind in ("缺少数据计 0 分", "经确认不适用", "权重调整", "按网站绩效评估计分", "安全事故清零", "取消评优资格"):
        assert kind in page
    # D1's two website indicators (i3, i4) are one row: 80/100 × (20 + 10)
    assert "80/100 × 30.00 = 24.00" in page
    assert "i3、i4" in page


def test_excellence_list(tiny_result):
    page = tables.excellence(tiny_result).html
    parsed = "".join(HtmlParts(page).text)
    excellent = tiny_result.ranking[tiny_result.ranking["excellent"]]["name"]
    for name in excellent:
        assert name in parsed
    assert "取消评优资格的部门" in parsed and "二号局" in parsed


def test_provenance_lists_hashes_version_and_parameters(tiny_result):
    page = tables.provenance(tiny_result, {"data_dir": "tests/data/tiny", "year": 2011, "lang": "zh"}).html
    for name, digest in tiny_result.provenance["inputs_sha256"].items():
        assert name in page and digest in page
    assert wfscore.__version__ in page and "手算示例" in page
    assert "year = 2011" in page and "lang = &#x27;zh&#x27;" in page


@pytest.mark.parametrize("lang, heading", [("zh", "运行时的软件版本"), ("en", "Versions it ran with")])
def test_provenance_lists_the_versions_it_ran_with(tiny_result, lang, heading):
    import platform
    from importlib.metadata import version

    page = tables.provenance(tiny_result, {}, lang).html
    assert heading in page
    table = page[page.index(heading) :]
    assert f"<td><code>python</code></td><td><code>{platform.python_version()}</code></td>" in table
    for name in ("wfscore", "numpy", "pandas", "matplotlib", "nbconvert", "jinja2", "openpyxl", "playwright"):
        assert f"<td><code>{name}</code></td><td><code>{version(name)}</code></td>" in table, name


# -- the workbook ----------------------------------------------------------------------------


def write(result, tmp_path: Path, lang="zh") -> Path:
    tables.write_workbook(result, tmp_path, lang)
    return tmp_path / "results.xlsx"


def test_workbook_sheets_layout_and_formats(tiny_result, tmp_path):
    book = openpyxl.load_workbook(write(tiny_result, tmp_path))
    assert book.sheetnames == ["排名", "指标明细", "调整记录", "数据警告", "说明"]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        assert all(cell.font.b for cell in sheet[1]), sheet.title
    ranking = book["排名"]
    header = [c.value for c in ranking[1]]
    assert header[:4] == ["名次", "部门编号", "部门", "类别"] and "总分" in header
    rows = list(ranking.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 7
    total = header.index("总分")
    totals = [r[total] for r in rows]
    assert totals == sorted(totals, reverse=True)
    assert [r[0] for r in rows] == sorted(r[0] for r in rows)
    assert ranking.cell(2, total + 1).number_format == "0.00"
    assert ranking.cell(2, 1).number_format == "0"
    # widths fit the widest text: 部门 holds CJK names, counted double
    name_width = ranking.column_dimensions["C"].width
    assert name_width >= 2 * max(len(r[2]) for r in rows)
    detail = book["指标明细"]
    assert detail.max_row - 1 == 7 * len(tiny_result.scheme.indicators)
    assert book["数据警告"].max_row - 1 == len(tiny_result.warnings)
    assert book["调整记录"].max_row - 1 == len(tiny_result.adjustments())


def test_workbook_totals_equal_the_librarys(sample_result, tmp_path):
    book = openpyxl.load_workbook(write(sample_result, tmp_path), read_only=True)
    rows = list(book["排名"].iter_rows(values_only=True))
    header, rows = rows[0], rows[1:]
    got = {r[header.index("部门编号")]: r[header.index("总分")] for r in rows}
    assert len(rows) == len(sample_result.total) == len(got)
    want = dict(zip(sample_result.data.dept_ids, sample_result.total))
    assert got.keys() == want.keys()
    for dept, total in want.items():
        assert got[dept] == pytest.approx(total, abs=1e-9)


def test_english_sheet_names(tiny_result, tmp_path):
    book = openpyxl.load_workbook(write(tiny_result, tmp_path, "en"))
    assert book.sheetnames == ["ranking", "detail", "adjustments", "warnings", "about"]
    assert [c.value for c in book["ranking"][1]][:3] == ["Rank", "Dept id", "Department"]


def test_formula_like_text_is_stored_as_text(hostile, tmp_path):
    result = wfscore.score(wfscore.load_year(hostile))
    path = write(result, tmp_path)
    book = openpyxl.load_workbook(path)
    formulas = [c.coordinate for s in book.worksheets for row in s.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []
    names = {c.value: c for c in book["排名"]["C"][1:]}
    for dangerous in (HOSTILE_NAMES["D2"], HOSTILE_NAMES["D3"], HOSTILE_NAMES["D4"], HOSTILE_NAMES["D5"]):
        cell = names[dangerous]
        assert cell.data_type == "s"
        assert cell.quotePrefix  # Excel keeps it text even when the cell is edited
    # and in the file itself: no formula element anywhere
    with zipfile.ZipFile(path) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/")]
        assert sheets and not any(b"<f>" in z.read(n) or b"<f " in z.read(n) for n in sheets)


def test_display_width_counts_cjk_twice():
    assert tables.display_width("abc") == 3
    assert tables.display_width("市委办公室") == 10
    assert tables.display_width("A（1）") == 6


def test_section_text_output_is_short(tiny_result):
    section = tables.ranking(tiny_result)
    assert repr(section) == "<Section '排名'>"
    assert section._repr_html_() == section.html
    assert html.escape("排名") in section.html


def test_a_scheme_without_excellence_or_conversion(tiny, tmp_path):
    scheme = tiny / "scheme.yaml"
    text = scheme.read_text(encoding="utf-8")
    assert "  excellence: {share: 0.5}\n" in text and "  conversion: {points: 10}\n" in text
    scheme.write_text(
        text.replace("  excellence: {share: 0.5}\n", "").replace("  conversion: {points: 10}\n", ""), encoding="utf-8"
    )
    result = wfscore.score(wfscore.load_year(tiny))
    assert result.excellent is None and result.converted is None
    frame, _ = tables.ranking_frame(result)
    assert "优秀" not in frame.columns
    assert "本年度方案未规定优秀比例" in tables.excellence(result).html
    assert "优秀部门" not in tables.headline(result).html
    book = openpyxl.load_workbook(write(result, tmp_path))
    header = [c.value for c in book["排名"][1]]
    assert "优秀" not in header and "折算得分" not in header and "总分" in header


def test_the_adjustment_section_lists_the_years_decisions(tiny):
    from wfscore.publish import tables
    from wfscore.review.decisions import decide

    section = tables.adjustments(wfscore.score(wfscore.load_year(tiny)), "zh").html
    assert "本年度审核决定" in section and "没有经审核台记录的决定" in section
    decide(tiny, "exemptions.csv", 5, "confirmed", "true", reviewer="<b>张三</b>", comment="补充材料已核实")
    section = tables.adjustments(wfscore.score(wfscore.load_year(tiny)), "zh").html
    assert "没有经审核台记录的决定" not in section
    assert "&lt;b&gt;张三&lt;/b&gt;" in section and "<b>张三</b>" not in section  # escaped
    assert "补充材料已核实" in section and "六号部" in section  # D6's request, now confirmed
    english = tables.adjustments(wfscore.score(wfscore.load_year(tiny)), "en").html
    assert "Review decisions of the year" in english


def test_full_width_formula_text_is_quoted_in_the_workbook(tmp_path):
    sheets = {"s": pd.DataFrame({"name": ["＝1+1", "＋1", "－1", "＠SUM(1)", "\t=1", "plain"]})}
    tables.write_excel(sheets, tmp_path / "x.xlsx")
    cells = {c.value: c for c in openpyxl.load_workbook(tmp_path / "x.xlsx")["s"]["A"][1:]}
    assert all(cells[v].quotePrefix for v in ("＝1+1", "＋1", "－1", "＠SUM(1)", "\t=1"))
    assert not cells["plain"].quotePrefix


def test_print_cut_marks_the_body_rows_after_the_first_ones():
    table = tables.frame_html(pd.DataFrame({"a": range(5)}), print_rows=2)
    kept, cut = table.split(tables.PRINT_CUT)
    assert kept.count("<tr") == 3 and cut.count("<tr") == 3  # the header row and two; three cut
    assert cut.index(tables.PRINT_CUT_END) > cut.rindex("</tr>") and "</tbody>" in cut
    assert tables.frame_html(pd.DataFrame({"a": range(2)}), print_rows=2) == tables.frame_html(
        pd.DataFrame({"a": range(2)})
    )


def test_the_printed_page_leaves_the_cut_rows_out():
    from wfscore.publish import report

    table = tables.frame_html(pd.DataFrame({"a": ["kept1", "kept2", "gone1", "gone2"]}), print_rows=2)
    page = report.printed(f"<html><body>{table}</body></html>", "main")
    assert "kept2" in page and "gone1" not in page and "gone2" not in page and page.count("</tbody>") == 1


def test_the_print_rows_come_from_the_environment(monkeypatch):
    monkeypatch.delenv(tables.PRINT_ROWS_VAR, raising=False)
    assert tables.print_rows() == (tables.PRINT_ALL_ROWS, tables.PRINT_ROWS)
    monkeypatch.setenv(tables.PRINT_ROWS_VAR, "100,20")
    assert tables.print_rows() == (100, 20)
    monkeypatch.setenv(tables.PRINT_ROWS_VAR, "lots")
    assert tables.print_rows() == (tables.PRINT_ALL_ROWS, tables.PRINT_ROWS)


def test_a_long_excellence_list_prints_its_first_rows_and_says_where_the_rest_is(sample_result, monkeypatch):
    from wfscore.publish.report_text import report_words

    html_of = lambda: "".join(tables.excellence(sample_result).parts)  # noqa: E731
    assert tables.PRINT_CUT not in html_of() and "打印版只列出" not in html_of()
    monkeypatch.setenv(tables.PRINT_ROWS_VAR, "10,5")
    page = html_of()
    n = int(sample_result.excellent.sum())
    assert tables.esc(report_words("zh")["list_printed"].format(shown="5", total=f"{n:,}")) in page
    kept, cut = page.split(tables.PRINT_CUT, 1)
    assert kept.split("<tbody>")[-1].count("<tr") == 5
