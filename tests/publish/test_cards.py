"""Feedback cards (``wfscore cards``): one HTML and one A4 PDF per department.

The PDFs are read back with poppler (``pdftotext``, ``pdffonts``, ``pdfinfo``) and
compared with ``results.csv`` as ``wfscore score`` writes it, not with the code that
made the cards.
"""

from __future__ import annotations

import csv
import re
import shutil
import zipfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings

from conftest import HOSTILE_NAMES, ROOT, SAMPLE, TINY, HtmlParts, need, run_cli
from pdftools import flat, fonts, need_poppler, pages, text
from yeargen import write_year, years

from wfscore.publish import cards


def need_tools() -> None:
    need(Path("/usr/bin/chromium").is_file() or shutil.which("chromium") is not None, "chromium")
    need_poppler()


def results_csv(data: Path, tmp: Path) -> list[dict]:
    out = tmp / f"results-{data.name}.csv"
    done = run_cli("score", data, "--out", out)
    assert done.returncode == 0, done.stderr
    with open(out, encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    # results.csv quotes text that a spreadsheet would take for a formula with a leading
    # apostrophe (README, "Writing files safely"); the cards show the name itself
    starts = tuple("=+-@\t\r＝＋－＠")
    return [{k: v[1:] if v.startswith("'") and v[1:].startswith(starts) else v for k, v in r.items()}
            for r in rows]


def rounded(total: str, precision: int = 2) -> str:
    return str(Decimal(total).quantize(Decimal(1).scaleb(-precision), rounding=ROUND_HALF_UP))


def check_pdf_against_csv(folder: Path, rows: list[dict], lang: str = "zh") -> None:
    for row in rows:
        pdf = folder / f"{row['dept_id']}.pdf"
        assert pdf.is_file(), pdf
        body = flat(text(pdf))
        assert flat(row["name"]) in body, row["name"]
        assert flat(row["total"]) in body, (row["dept_id"], row["total"])  # exactly as results.csv has it
        assert flat(rounded(row["total"])) in body, (row["dept_id"], row["total"])  # as published
        rank = f"第{row['rank']}名" if lang == "zh" else f"{row['rank']}of{len(rows)}departments"
        assert rank in body, (row["dept_id"], row["rank"])
        assert 1 <= pages(pdf) <= 2, pdf


@pytest.fixture(scope="module")
def sample_cards(tmp_path_factory):
    need_tools()
    tmp = tmp_path_factory.mktemp("cards")
    made = cards.build(SAMPLE, tmp / "cards", contact="市信息化工作领导小组办公室 0536-1234567",
                       deadline="2012年3月31日")
    return made, tmp / "cards", results_csv(SAMPLE, tmp)


def test_a_card_for_every_department_of_the_sample(sample_cards):
    made, folder, rows = sample_cards
    assert made.count == len(rows) == 129
    ids = {row["dept_id"] for row in rows}
    assert {p.stem for p in folder.glob("*.pdf")} == ids
    assert {p.stem for p in folder.glob("*.html")} == ids | {"index"}
    with zipfile.ZipFile(folder / "cards.zip") as z:
        assert sorted(z.namelist()) == sorted(f"{i}.pdf" for i in ids)
        assert z.testzip() is None
    index = HtmlParts((folder / "index.html").read_text(encoding="utf-8"))
    links = {a["href"] for tag, a in index.tags if tag == "a"}
    assert links == {f"{i}.html" for i in ids} | {f"{i}.pdf" for i in ids} | {"cards.zip"}


def test_each_card_pdf_holds_name_total_and_rank_as_results_csv(sample_cards):
    _, folder, rows = sample_cards
    check_pdf_against_csv(folder, rows)


def test_every_font_of_every_card_is_embedded(sample_cards):
    _, folder, rows = sample_cards
    for row in rows:
        found = fonts(folder / f"{row['dept_id']}.pdf")
        assert found, row["dept_id"]
        assert all(f["emb"] == "yes" for f in found), (row["dept_id"], found)


def test_cards_are_a4_portrait_and_state_the_review_and_the_synthetic_data(sample_cards):
    import subprocess

    _, folder, rows = sample_cards
    pdf = folder / f"{rows[0]['dept_id']}.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts \(A4\)", info).groups())
    assert width < height  # portrait
    body = flat(text(pdf))
    assert flat("市信息化工作领导小组办公室 0536-1234567") in body and flat("2012年3月31日") in body
    assert flat("合成的示例数据") in body
    assert flat("第 1 页，共") in body  # page numbers
    # the footer names every input file with its hash
    for name in ("departments.csv", "scheme.yaml", "values.csv"):
        assert name in body


def test_card_html_embeds_its_font_and_fetches_nothing(sample_cards):
    _, folder, rows = sample_cards
    page = (folder / f"{rows[0]['dept_id']}.html").read_text(encoding="utf-8")
    assert "@font-face" in page and "data:font/woff2;base64," in page
    parts = HtmlParts(page)
    for tag, attrs in parts.tags:
        for key in ("src", "href"):
            assert not str(attrs.get(key, "")).startswith(("http:", "https:", "//")), (tag, attrs)
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert str(ROOT) not in page and "/tmp/" not in page


def test_card_numbers_are_the_library_result(sample_cards):
    import wfscore

    _, folder, _ = sample_cards
    result = wfscore.score(wfscore.load_year(SAMPLE))
    d = int(result.order[-1])  # the last department
    dept_id = result.data.dept_ids[d]
    body = flat(text(folder / f"{dept_id}.pdf"))
    for n in range(len(result.scheme.categories)):
        assert f"{result.category[d, n]:.2f}" in body


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tables=years(min_departments=2, max_departments=6))
def test_a_card_for_every_department_of_a_random_small_year(tmp_path_factory, tables):
    need_tools()
    tmp = tmp_path_factory.mktemp("random")
    folder = write_year(tmp / "2011", tables)
    made = cards.build(folder, tmp / "cards")
    rows = results_csv(folder, tmp)
    assert made.count == len(rows) == len(tables["departments"])
    check_pdf_against_csv(tmp / "cards", rows)


def test_hostile_names_stay_inert_in_cards_and_pdfs(hostile, tmp_path):
    need_tools()
    out = tmp_path / "cards"
    cards.build(hostile, out)
    rows = results_csv(hostile, tmp_path)
    for row in rows:
        page = (out / f"{row['dept_id']}.html").read_text(encoding="utf-8")
        parts = HtmlParts(page)
        assert not [t for t, _ in parts.tags if t in {"script", "img", "b", "i", "iframe"}], row["dept_id"]
        assert all(not k.startswith("on") for _, a in parts.tags for k in a)
        assert HOSTILE_NAMES[row["dept_id"]] in "".join(parts.text)
    index = HtmlParts((out / "index.html").read_text(encoding="utf-8"))
    assert not [t for t, _ in index.tags if t in {"script", "img"}]
    check_pdf_against_csv(out, rows)


RULES = ("excellence", "conversion", "website_evaluation", "security_incident")


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("without", [None, *RULES])
def test_cards_build_with_and_without_each_optional_rule(tmp_path, without, lang):
    need_tools()
    data = tmp_path / "2011"
    shutil.copytree(TINY, data)
    if without:
        scheme = yaml.safe_load((data / "scheme.yaml").read_text(encoding="utf-8"))
        scheme["rules"].pop(without)
        (data / "scheme.yaml").write_text(yaml.safe_dump(scheme, allow_unicode=True, sort_keys=False),
                                          encoding="utf-8")
    cards.build(data, tmp_path / "cards", lang=lang)
    rows = results_csv(data, tmp_path)
    check_pdf_against_csv(tmp_path / "cards", rows, lang)
    body = flat(text(tmp_path / "cards" / f"{rows[0]['dept_id']}.pdf"))
    excellent, converted = ("评为优秀", "折算得分") if lang == "zh" else ("Ratedexcellent", "Convertedscore")
    assert (excellent in body) == (without != "excellence")
    assert (converted in body) == (without != "conversion")
    if lang == "en":
        assert "Rank" in body and "名次" not in body


def test_the_year_before_is_compared_when_present(tmp_path):
    """data/2012 has data/2011 beside it: the cards say last year's rank (HTML only here)."""
    import wfscore
    from wfscore.analysis.years import with_previous

    result = wfscore.score(wfscore.load_year(ROOT / "data" / "2012"))
    maker = cards.maker_for(result, robustness=False)
    rendered = {dept_id: html for dept_id, _, html in cards.render(maker)}
    comp = with_previous(result).year(2012)
    row = comp.dropna(subset=["previous_rank"]).iloc[0]
    page = "".join(HtmlParts(rendered[row["dept_id"]]).text)
    assert "与上一年度比较" in page
    assert f"2011年总分 {row['previous_total']:.2f}，第 {row['previous_rank']:g} 名" in page


def test_cards_command_writes_and_refuses_bad_options(tmp_path):
    need_tools()
    data = tmp_path / "2011"
    shutil.copytree(TINY, data)
    out = tmp_path / "reports" / "cards"
    done = run_cli("cards", data, "--out", out, "--contact", "考核办 0536-1", "--deadline", "2012-03-31",
                   "--lang", "en")
    assert done.returncode == 0, done.stderr
    assert "wrote 7 feedback cards of 2011" in done.stderr
    assert len(list(out.glob("*.pdf"))) == 7
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    for args in (["--out", str(data / "cards")], ["--out", str(out), "--contact", "a\x1bb"]):
        bad = run_cli("cards", data, *args)
        assert bad.returncode == 2, bad.stderr
        assert "error:" in bad.stderr and "Traceback" not in bad.stderr
    assert not (data / "cards").exists()
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.docx").write_text("precious")
    bad = run_cli("cards", data, "--out", mine)
    assert bad.returncode == 2 and "holds other files" in bad.stderr
    assert (mine / "notes.docx").read_text() == "precious"


def test_a_report_folder_may_hold_the_cards(tmp_path):
    from wfscore.publish.report import check_out

    out = tmp_path / "2011"
    (out / "cards").mkdir(parents=True)
    (out / "report.html").write_text("previous")
    assert check_out(out, TINY) == out
