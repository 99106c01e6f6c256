"""The results notice (通报.docx, 通报.pdf): layout per GB/T 9704-2012, its table and its
narrative checked against results.csv (computed here, from the file), LibreOffice's PDF
read back, over the sample year, schemes without each optional rule, random years and
in English."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
import yaml
from docx import Document
from docx.oxml.ns import qn
from hypothesis import HealthCheck, given, settings

from helpers import HOSTILE_NAMES, SAMPLE, need, run_cli
from variants import OPTIONAL, variant
from wfscore.engine.pipeline import score
from wfscore.inputs.loading import load_year
from wfscore.publish import notice, office
from wfscore.publish.pdf import PdfError
from yeargen import write_year, years

EMU_PER_MM = 36000


def results_csv(folder: Path, tmp: Path) -> list[dict]:
    out = tmp / f"results-{folder.name}.csv"
    run = run_cli("score", folder, "--out", out)
    assert run.returncode == 0, run.stderr
    with open(out, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def half_up(text: str, places: int = 2) -> str:
    return str(Decimal(text).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def write(folder: Path, tmp: Path, lang: str = "zh", **params) -> tuple[Document, Path]:
    result = score(load_year(folder))
    path = notice.write(
        result, tmp / f"{folder.name}-{lang}.docx", lang, notice.NoticeParams(**params), notice.previous(result)
    )
    return Document(str(path)), path


def body_text(doc: Document) -> str:
    return "\n".join(p.text for p in doc.paragraphs)


def east_asia(run) -> str | None:
    fonts = run._element.rPr.find(qn("w:rFonts"))
    return None if fonts is None else fonts.get(qn("w:eastAsia"))


@pytest.fixture(scope="module")
def sample_notice(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("notice")
    doc, path = write(SAMPLE, tmp)
    return doc, path, results_csv(SAMPLE, tmp), tmp


def test_the_page_is_a4_with_the_standards_margins_and_grid(sample_notice):
    doc, *_ = sample_notice
    section = doc.sections[0]
    mm = {
        k: getattr(section, k) / EMU_PER_MM
        for k in ("page_width", "page_height", "top_margin", "bottom_margin", "left_margin", "right_margin")
    }
    assert mm == pytest.approx(
        {
            "page_width": 210,
            "page_height": 297,
            "top_margin": 37,
            "bottom_margin": 35,
            "left_margin": 28,
            "right_margin": 26,
        },
        abs=0.05,
    )
    grid = section._sectPr.find(qn("w:docGrid"))
    # 22 lines on the 225 mm type area; 28 characters of 16 pt on its 156 mm
    assert int(grid.get(qn("w:linePitch"))) == int(225 / 25.4 * 1440 / 22)
    assert int(grid.get(qn("w:charSpace"))) == round((156 / 25.4 * 72 / 28 - 16) * 4096)
    normal = doc.styles["Normal"]
    assert normal.font.size.pt == 16 and normal.paragraph_format.line_spacing.pt == pytest.approx(28.95, abs=0.05)


def test_the_fonts_are_an_office_pcs_with_their_fallbacks(sample_notice):
    doc, path, *_ = sample_notice
    assert east_asia(doc.styles["Normal"]) == "仿宋_GB2312"
    by_text = {p.text: p for p in doc.paragraphs}
    assert east_asia(by_text["一、总体情况"].runs[0]) == "黑体"
    assert east_asia(by_text["（一）得分情况"].runs[0]) == "楷体_GB2312"
    heading = by_text["××市信息化工作领导小组办公室文件"].runs[0]
    assert str(heading.font.color.rgb) == "FF0000"
    assert heading.font.size.pt == 26
    title = next(p for p in doc.paragraphs if p.text.startswith("关于2011年度"))
    assert title.runs[0].font.size.pt == 22  # 二号
    body = next(p for p in doc.paragraphs if p.text.startswith("根据《"))
    assert body.runs[0].font.size.pt == 16 and east_asia(body.runs[0]) == "仿宋_GB2312"
    import zipfile

    table = zipfile.ZipFile(path).read("word/fontTable.xml").decode("utf-8")
    assert re.search(r'w:name="仿宋_GB2312">\s*<w:altName w:val="仿宋"', table)
    assert re.search(r'w:name="楷体_GB2312">\s*<w:altName w:val="楷体"', table)


def test_page_numbers_are_dashes_around_the_page_field_odd_right_even_left(sample_notice):
    doc, *_ = sample_notice
    section = doc.sections[0]
    assert doc.settings.odd_and_even_pages_header_footer
    for footer, align in ((section.footer, 2), (section.even_page_footer, 0)):  # RIGHT, LEFT
        p = footer.paragraphs[0]
        assert p.text.replace("1", "") == "—  —" and int(p.alignment) == align
        assert " PAGE " in "".join(t.text for t in p._p.iter(qn("w:instrText")))
        assert {east_asia(r) for r in p.runs} == {"宋体"} and {r.font.size.pt for r in p.runs} == {14}


def test_the_attachment_table_matches_results_csv(sample_notice):
    doc, _, rows, _ = sample_notice
    scheme = yaml.safe_load((SAMPLE / "scheme.yaml").read_text(encoding="utf-8"))
    sections = [s["id"] for s in scheme["sections"]]
    total_points = sum(Decimal(str(s["points"])) for s in scheme["sections"])
    points = Decimal(str(scheme["rules"]["conversion"]["points"]))
    (table,) = doc.tables
    header = [c.text for c in table.rows[0].cells]
    assert header == ["名次", "部门（单位）", "类别"] + [s["name"] for s in scheme["sections"]] + ["总分", "折算得分"]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # repeated on every page
    body = [[c.text for c in r.cells] for r in table.rows[1:]]
    assert len(body) == len(rows) == 129
    kinds = {k: v["name"] if isinstance(v, dict) else v for k, v in scheme["kinds"].items()}
    for cells, row in zip(body, rows):  # both in rank order
        assert cells[0] == row["rank"]
        assert cells[1].rstrip("★△") == row["name"]
        assert cells[1].endswith("★") == (row["excellent"] == "true")
        assert cells[1].endswith("△") == (row["eligible"] == "false")
        assert cells[2] == kinds[row["kind"]]
        assert cells[3 : 3 + len(sections)] == [half_up(row[s]) for s in sections]
        assert cells[-2] == half_up(row["total"])
        assert cells[-1] == half_up(str(Decimal(row["total"]) * points / total_points))
        # the sections add up to the total, to the rounding of each
        assert abs(sum(Decimal(c) for c in cells[3 : 3 + len(sections)]) - Decimal(cells[-2])) <= Decimal("0.015")


def test_the_narrative_states_the_numbers_of_results_csv(sample_notice):
    doc, _, rows, _ = sample_notice
    text = body_text(doc)
    totals = [Decimal(r["total"]) for r in rows]
    mean = half_up(str(sum(totals) / len(totals)))
    assert f"{len(rows)}个部门（单位）平均得分{mean}分" in text
    assert f"最高{half_up(str(max(totals)))}分（{rows[0]['name']}）" in text
    assert f"最低{half_up(str(min(totals)))}分" in text
    assert f"相差{half_up(str(max(totals) - min(totals)))}分" in text
    excellent = [r["name"] for r in rows if r["excellent"] == "true"]
    assert f"{len(excellent)}个部门（单位）考核结果为优秀" in text
    assert "、".join(excellent) + f"（按名次排列，共{len(excellent)}个）" in text
    lost = [r["name"] for r in rows if r["eligible"] == "false"]
    assert lost and f"{len(lost)}个部门（单位）因发生重大网络与信息安全事故，取消评优资格" in text
    for name in lost:
        assert re.search(re.escape(name) + r"（\d{4}-\d\d-\d\d发生重大网络与信息安全事故）", text)
    assert "（注意：本通报所用数据为合成的示例数据，并非真实考核结果。）" in text  # data/2011 is SYNTHETIC
    assert "与2010年度" not in text  # no year before 2011
    assert "附件：2011年度市直部门信息化工作绩效考核结果" in text
    assert "×信办〔2012〕×号" in text and "2012年×月×日" in text
    for technical in ("sha", "SHA", "p =", "wfscore", ".csv", "α"):
        assert technical not in text


def test_the_office_number_and_date_are_parameters(tmp_path):
    doc, _ = write(
        SAMPLE, tmp_path, office="潍坊市信息化工作领导小组办公室", number="潍信办〔2012〕3号", date="2012年3月1日"
    )
    text = body_text(doc)
    assert "潍坊市信息化工作领导小组办公室文件" in text and "潍信办〔2012〕3号" in text
    assert "潍坊市信息化工作领导小组办公室\n2012年3月1日\n" in text  # the signature
    assert "××" not in text


def test_a_year_with_the_year_before_says_what_changed(tmp_path):
    data = tmp_path / "data"
    for year in ("2011", "2012"):
        shutil.copytree(SAMPLE.parent / year, data / year)
    doc, _ = write(data / "2012", tmp_path)
    text = body_text(doc)
    assert "（二）与2011年度比较" in text
    assert re.search(
        r"与2011年度（129个部门（单位）参加考核）相比，平均得分由\d+\.\d\d分(提高|降低)至\d+\.\d\d分", text
    )
    assert re.search(r"名次上升较多的有：[^。]+（由第\d+名升至第\d+名）", text)


@pytest.mark.parametrize("without", [None, *OPTIONAL])
def test_every_scheme_variant(tmp_path, without):
    folder = variant(tmp_path / "tiny", without)
    doc, _ = write(folder, tmp_path)
    rows = results_csv(folder, tmp_path)
    (table,) = doc.tables
    header = [c.text for c in table.rows[0].cells]
    assert ("折算得分" in header) == (without != "conversion")
    assert len(table.rows) == len(rows) + 1
    assert [r.cells[-2 if without != "conversion" else -1].text for r in table.rows[1:]] == [
        half_up(r["total"]) for r in rows
    ]
    text = body_text(doc)
    assert ("本年度考核不设优秀等次" in text) == (without == "excellence")
    assert bool(re.search(r"考核结果按\d+(\.\d+)?分折算", text)) == (without != "conversion")
    assert "注意：本通报所用数据为合成的示例数据" not in text  # the tiny year is not marked synthetic


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tables=years())
def test_random_years(tmp_path_factory, tables):
    tmp = tmp_path_factory.mktemp("random")
    folder = write_year(tmp / "2011", tables)
    result = score(load_year(folder))
    doc = Document(str(notice.write(result, tmp / "n.docx")))
    (table,) = doc.tables
    names = [r.cells[1].text.rstrip("★△") for r in table.rows[1:]]
    assert sorted(names) == sorted(result.data.departments["name"])
    assert f"{len(names)}个部门（单位）平均得分" in body_text(doc)


def test_in_english(tmp_path):
    doc, _ = write(SAMPLE, tmp_path, lang="en")
    text = body_text(doc)
    assert "Notice on the Results of the 2011 Informatization Performance Assessment" in text
    assert "The 129 departments scored" in text and "Attachment" in text
    assert [c.text for c in doc.tables[0].rows[0].cells][-2:] == ["Total", "Converted"]
    run = next(p for p in doc.paragraphs if p.text.startswith("Under the scheme")).runs[0]
    assert run._element.rPr.find(qn("w:rFonts")).get(qn("w:ascii")) == "Times New Roman"
    assert "Government departments (incl. affiliated units)" in {r.cells[2].text for r in doc.tables[0].rows}


def test_hostile_names_stay_plain_text(hostile, tmp_path):
    doc, _ = write(hostile, tmp_path)
    names = {r.cells[1].text.rstrip("★△") for r in doc.tables[0].rows[1:]}
    assert names == set(HOSTILE_NAMES.values())
    assert notice.clean("部\x1b[2J门\x00\u202e\ufffe") == "部\\x1b[2J门\\x00\\u202e\\ufffe"
    assert notice.clean("第一行\n第二行") == "第一行\\x0a第二行"


# -- LibreOffice --------------------------------------------------------------------------------------


def pdf_tools() -> None:
    need(office.find_soffice() is not None, "LibreOffice (soffice)")
    need(shutil.which("pdftotext") is not None and shutil.which("pdffonts") is not None, "poppler's pdftotext")


def test_libreoffice_stopped_at_its_time_leaves_no_process_behind(sample_notice, tmp_path):
    """soffice is a launcher: the converting soffice.bin is its child. Stopped at the time
    limit, the whole family goes, not the launcher alone (an orphan kept a core busy)."""
    import psutil

    pdf_tools()
    _, path, _, _ = sample_notice
    before = {p.pid for p in psutil.process_iter()}
    with pytest.raises(PdfError, match=r"LibreOffice did not convert 通报.docx within 0 s"):
        office.to_pdf(path, tmp_path / "n.pdf", timeout=0.3)
    left = []
    for p in psutil.process_iter(["pid", "cmdline"]):
        if p.info["pid"] not in before and any("wfscore-soffice-" in part for part in p.info["cmdline"] or []):
            left.append(p)
    assert left == [], [p.info for p in left]
    assert not (tmp_path / "n.pdf").exists()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_libreoffice_makes_the_pdf_with_free_faces_embedded(sample_notice, lang):
    pdf_tools()
    _, path, rows, tmp = sample_notice
    if lang == "en":
        _, path = write(SAMPLE, tmp, lang="en")
    pdf = tmp / f"notice-{lang}.pdf"
    office.to_pdf(path, pdf)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    flat = re.sub(r"\s+", "", text)
    title = (
        "关于2011年度市直部门信息化工作绩效考核结果的通报"
        if lang == "zh"
        else "NoticeontheResultsofthe2011InformatizationPerformanceAssessment"
    )
    assert title in flat
    assert rows[0]["name"] in flat and rows[-1]["name"] in flat
    assert re.search(r"^\s*—\s*1\s*—\s*$", text, re.M) and re.search(r"^\s*—\s*2\s*—\s*$", text, re.M)
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout.splitlines()[2:]
    assert fonts and all(" yes " in line for line in fonts), fonts  # every font embedded
    assert not any("Type 3" in line for line in fonts), fonts
    faces = " ".join(fonts)
    assert "NotoSerifCJK" in faces and ("NotoSansCJK" in faces or lang == "en")
    assert "SimHei" not in faces  # mplfonts ships it, it is not free: never embedded
    if lang == "zh":
        assert "UKai" in faces  # the 楷体 heading (the CI installs fonts-arphic-ukai)
        pages = [p for p in text.split("\f") if p.strip()]
        assert 6 <= len(pages) <= 14  # three pages of notice, the table of 129 departments


def test_without_libreoffice_a_clear_message(monkeypatch, tmp_path):
    monkeypatch.setattr(office, "well_known_paths", lambda *a, **k: [str(tmp_path / "no" / "soffice")])
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    monkeypatch.delenv(office.ENV_VAR, raising=False)
    docx = tmp_path / "n.docx"
    docx.write_bytes(b"")
    with pytest.raises(PdfError, match="no 通报.pdf was made: it needs LibreOffice.*通报.docx was written"):
        office.to_pdf(docx, tmp_path / "n.pdf")
    assert not (tmp_path / "n.pdf").exists()
    # the report's step: the .docx written, the note kept for the command to show
    from wfscore.publish.progress import Progress
    from wfscore.publish.report import _notice

    files, notes = _notice(load_year(SAMPLE), tmp_path, "zh", None, True, Progress(3, "reports"))
    assert files == ("通报.docx",) and (tmp_path / "通报.docx").is_file() and not (tmp_path / "通报.pdf").exists()
    assert len(notes) == 1 and "LibreOffice" in str(notes[0])


def test_soffice_is_looked_for_where_windows_and_macos_install_it():
    win = office.well_known_paths("win32", {"PROGRAMFILES": r"D:\Apps"})
    assert win[0] == r"D:\Apps\LibreOffice\program\soffice.exe"
    assert office.well_known_paths("darwin", {"HOME": "/Users/a"}) == [
        "/Applications/LibreOffice.app/Contents/MacOS/soffice",
        "/Users/a/Applications/LibreOffice.app/Contents/MacOS/soffice",
    ]


def test_fontconfig_maps_the_office_fonts_to_free_faces(tmp_path):
    conf = office.fontconfig(tmp_path)
    for name in ("仿宋_GB2312", "黑体", "楷体_GB2312", "宋体", "Times New Roman"):
        assert f"<alias><family>{name}</family><accept>" in conf
    assert "<glob>*/SimHei.ttf</glob>" in conf
