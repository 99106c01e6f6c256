"""Feedback cards (``wfscore cards``): one HTML and one A4 PDF per department.

The PDFs are read back with poppler (``pdftotext``, ``pdffonts``, ``pdfinfo``) and
compared with ``results.csv`` as ``wfscore score`` writes it, not with the code that
made the cards.
"""

from __future__ import annotations

import csv
import html
import re
import shutil
import urllib.parse
import zipfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings

from helpers import HOSTILE_NAMES, ROOT, SAMPLE, TINY, HtmlParts, need, run_cli
from pdftools import flat, fonts, need_poppler, pages, text
from wfscore.inputs.output import formula_leading
from wfscore.publish import cards
from yeargen import write_year, years


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
    return [{k: v[1:] if v.startswith("'") and formula_leading(v[1:]) else v for k, v in r.items()} for r in rows]


def rounded(total: str, precision: int = 2) -> str:
    return str(Decimal(total).quantize(Decimal(1).scaleb(-precision), rounding=ROUND_HALF_UP))


def card_links(folder: Path) -> dict[str, str]:
    """dept_id → its card's file name without the extension, as index.html links it."""
    page = (folder / "index.html").read_text(encoding="utf-8")
    found = {}
    rows = re.findall(r'<tr><td class="n">.*?</tr>', page)
    for row in rows:
        dept_id = html.unescape(re.findall(r"<td[^>]*>(.*?)</td>", row)[1])
        href = re.search(r'href="([^"]+)\.html"', row).group(1)
        found[dept_id] = urllib.parse.unquote(html.unescape(href))
    assert len(found) == len(rows)  # one row per department
    return found


def card(folder: Path, dept_id: str, ext: str = "pdf") -> Path:
    """A department's card file, found through index.html."""
    return folder / f"{card_links(folder)[dept_id]}.{ext}"


def check_pdf_against_csv(folder: Path, rows: list[dict], lang: str = "zh") -> None:
    links = card_links(folder)
    assert set(links) == {row["dept_id"] for row in rows}
    assert len(set(links.values())) == len(rows)  # each department its own card
    for row in rows:
        pdf = folder / f"{links[row['dept_id']]}.pdf"
        assert pdf.is_file(), pdf
        raw = text(pdf)
        body = flat(raw)
        assert flat(row["name"]) in body, row["name"]
        assert flat(rounded(row["total"])) in body, (row["dept_id"], row["total"])  # as published
        # no ten-decimal figures: looked for word by word (with the spaces stripped, the
        # figures of neighbouring cells would run together)
        long = [w for w in raw.split() if re.search(r"\d\.\d{5,}", w)]
        assert not long, (row["dept_id"], long)
        rank = f"第{row['rank']}名" if lang == "zh" else f"{row['rank']}of{len(rows)}departments"
        assert rank in body, (row["dept_id"], row["rank"])
        assert 1 <= pages(pdf) <= 2, pdf


@pytest.fixture(scope="module")
def sample_cards(tmp_path_factory):
    need_tools()
    tmp = tmp_path_factory.mktemp("cards")
    made = cards.build(
        SAMPLE, tmp / "cards", contact="市信息化工作领导小组办公室 0536-1234567", deadline="2012年3月31日"
    )
    return made, tmp / "cards", results_csv(SAMPLE, tmp)


def test_a_card_for_every_department_of_the_sample(sample_cards):
    made, folder, rows = sample_cards
    assert made.count == len(rows) == 129
    names = {row["dept_id"]: f"{row['dept_id']}_{row['name']}" for row in rows}  # the sample's names are plain
    assert card_links(folder) == names
    stems = set(names.values())
    assert {p.stem for p in folder.glob("*.pdf")} == stems | {"cards"}
    assert {p.stem for p in folder.glob("*.html")} == stems | {"index"}
    with zipfile.ZipFile(folder / "cards.zip") as z:
        assert sorted(z.namelist()) == sorted(f"{i}.pdf" for i in stems)
        assert z.testzip() is None
    index = HtmlParts((folder / "index.html").read_text(encoding="utf-8"))
    links = {urllib.parse.unquote(a["href"]) for tag, a in index.tags if tag == "a"}
    assert links == {f"{i}.html" for i in stems} | {f"{i}.pdf" for i in stems} | {"cards.zip", "cards.pdf"}


def test_cards_are_small_with_truetype_fonts_and_one_pdf_holds_them_all_in_rank_order(sample_cards):
    _, folder, rows = sample_cards
    for row in rows:
        pdf = card(folder, row["dept_id"])
        assert pdf.stat().st_size <= 150_000, (pdf.name, pdf.stat().st_size)
        assert all(f["type"] == "CID TrueType" for f in fonts(pdf)), pdf.name  # no Type 3 glyphs
    whole = folder / cards.ALL_NAME
    assert whole.stat().st_size <= 5_000_000
    assert all(f["type"] == "CID TrueType" for f in fonts(whole))
    assert len(fonts(whole)) == 1  # one font for all the cards
    assert pages(whole) == sum(pages(card(folder, row["dept_id"])) for row in rows)
    body = flat(text(whole))
    places = [body.index(flat(f"第{row['rank']}名，共129个部门")) for row in sorted(rows, key=lambda r: int(r["rank"]))]
    assert places == sorted(places)  # in rank order
    assert (folder / cards.ZIP_NAME).stat().st_size <= 20_000_000
    with zipfile.ZipFile(folder / cards.ZIP_NAME) as z:
        assert all(i.compress_type == zipfile.ZIP_DEFLATED for i in z.infolist())


def test_the_hashes_are_in_one_small_foot_line_with_the_results(sample_cards):
    import wfscore

    _, folder, rows = sample_cards
    result = wfscore.score(wfscore.load_year(SAMPLE))
    digest = cards.result_hash(result)
    body = text(card(folder, rows[0]["dept_id"]))
    assert not re.search(r"[0-9a-f]{20}", body)  # no whole SHA-256 in the body
    foot = [line for line in body.splitlines() if line.startswith("核对：")]
    assert foot and f"结果 {digest[:16]}" in foot[0]
    assert "values.csv " + result.provenance["inputs_sha256"]["values.csv"][:8] in flat(body).replace(
        "values.csv", "values.csv "
    )
    page = card(folder, rows[0]["dept_id"], "html").read_text(encoding="utf-8")
    assert f'<meta name="wfscore-result" content="{digest}">' in page
    assert f'<meta name="wfscore-result" content="{digest}">' in (folder / "index.html").read_text(encoding="utf-8")


def test_each_card_pdf_holds_name_total_and_rank_as_results_csv(sample_cards):
    _, folder, rows = sample_cards
    check_pdf_against_csv(folder, rows)


def test_every_font_of_every_card_is_embedded(sample_cards):
    _, folder, rows = sample_cards
    for row in rows:
        found = fonts(card(folder, row["dept_id"]))
        assert found, row["dept_id"]
        assert all(f["emb"] == "yes" for f in found), (row["dept_id"], found)


def test_cards_are_a4_portrait_and_state_the_review_and_the_synthetic_data(sample_cards):
    import subprocess

    _, folder, rows = sample_cards
    pdf = card(folder, rows[0]["dept_id"])
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
    page = card(folder, rows[0]["dept_id"], "html").read_text(encoding="utf-8")
    assert "@font-face" in page and "data:font/woff2;base64," in page
    parts = HtmlParts(page)
    for tag, attrs in parts.tags:
        for key in ("src", "href"):
            assert not str(attrs.get(key, "")).startswith(("http:", "https:", "//")), (tag, attrs)
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert str(ROOT) not in page and "/tmp/" not in page


def test_a_direct_indicator_is_explained_as_given_outright():
    import wfscore

    result = wfscore.score(wfscore.load_year(SAMPLE))
    maker = cards.maker_for(result, robustness=False, previous=False)
    direct = {i.id for i, is_direct in zip(result.scheme.indicators, result.arrays.is_direct) if is_direct}
    seen = 0
    for d in range(len(result.total)):
        for row in maker.card(d)["lost"]:
            if row["id"] in direct and not result.missing[d, result.arrays.indicator_ids.index(row["id"])]:
                seen += 1
                assert row["base"] == "直接评分", row
                assert row["why"].startswith("由考核办公室按评分标准直接评定（满分 100）"), row
                assert "基数" not in row["why"]
    assert seen > 50  # S1 is among the points lost of most departments


def test_every_shown_sum_adds_up_or_says_why():
    from decimal import Decimal

    import wfscore

    result = wfscore.score(wfscore.load_year(SAMPLE))
    maker = cards.maker_for(result, robustness=False, previous=False)
    notes = 0
    for d in range(len(result.total)):
        card_ = maker.card(d)
        shown = sum(Decimal(row["score"]) for row in card_["categories"])
        if shown != Decimal(card_["total"]):
            notes += 1
            assert card_["sum_note"] and f"相加为 {shown}" in card_["sum_note"] and card_["total"] in card_["sum_note"]
        else:
            assert card_["sum_note"] is None
    assert notes > 10  # the sample has such cards (48 of 129 when it was first counted)
    g29 = maker.card(list(result.data.dept_ids).index("G29"))
    assert "917.35" in g29["sum_note"] and "917.34" in g29["sum_note"]


def test_a_best_above_the_category_points_is_explained():
    import wfscore

    result = wfscore.score(wfscore.load_year(SAMPLE))
    maker = cards.maker_for(result, robustness=False, previous=False)
    card_ = maker.card(list(result.data.dept_ids).index("G29"))
    over = [
        (row, c)
        for row, c in zip(card_["categories"], result.scheme.categories)
        if float(row["best"].rstrip("*")) > c.points
    ]
    assert over and all(row["best"].endswith("*") for row, _ in over)
    assert all(
        not row["best"].endswith("*")
        for row, c in zip(card_["categories"], result.scheme.categories)
        if float(row["best"].rstrip("*")) <= c.points
    )
    for row, c in over:
        assert f"{row['name']}实际分值最高" in card_["best_note"] and f"分值 {c.points:g}" in card_["best_note"]


def test_the_rank_interval_says_what_it_means_or_is_left_off(tmp_path):
    need_tools()
    data = tmp_path / "2011"
    shutil.copytree(TINY, data)
    done = run_cli("cards", data, "--out", tmp_path / "with", "--no-pdf")
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "with" / "D1_一号局.html").read_text(encoding="utf-8")
    assert "名次的稳健性" in page and "不改变正式名次" in page
    done = run_cli("cards", data, "--out", tmp_path / "without", "--no-pdf", "--no-rank-interval")
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "without" / "D1_一号局.html").read_text(encoding="utf-8")
    assert "名次的稳健性" not in page and "模拟" not in page


def test_check_says_which_cards_are_not_of_the_current_result(tmp_path):
    data = tmp_path / "2011"
    shutil.copytree(TINY, data)
    out = tmp_path / "cards"
    cards.build(data, out, pdf=False)
    done = run_cli("cards", data, "--check", out, lang="zh")
    assert done.returncode == 0, done.stderr
    assert "张反馈卡都属于" in done.stdout
    values = (data / "values.csv").read_text(encoding="utf-8-sig").splitlines()
    values[values.index("D5,i2,5")] = "D5,i2,4.5"  # not the base of i2, no rank moves: only D5's card changes
    (data / "values.csv").write_text("\n".join(values) + "\n", encoding="utf-8")
    (out / "D2_二号局.html").unlink()
    done = run_cli("cards", data, "--check", out, lang="zh")
    assert done.returncode == 1, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("6 张反馈卡属于另一考核结果")
    assert lines[1] == "  其中这些部门自己的数字已经改变：D5（五号会）", lines
    assert "没有反馈卡的部门：D2（二号局）" in lines
    done = run_cli("cards", data, "--check", out)
    assert done.returncode == 1 and "of these, the departments whose own figures changed: D5" in done.stdout
    bad = run_cli("cards", data, "--check", tmp_path / "nowhere")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_card_numbers_are_the_library_result(sample_cards):
    import wfscore

    _, folder, _ = sample_cards
    result = wfscore.score(wfscore.load_year(SAMPLE))
    d = int(result.order[-1])  # the last department
    dept_id = result.data.dept_ids[d]
    body = flat(text(card(folder, dept_id)))
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
        page = card(out, row["dept_id"], "html").read_text(encoding="utf-8")
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
        (data / "scheme.yaml").write_text(yaml.safe_dump(scheme, allow_unicode=True, sort_keys=False), encoding="utf-8")
    cards.build(data, tmp_path / "cards", lang=lang)
    rows = results_csv(data, tmp_path)
    check_pdf_against_csv(tmp_path / "cards", rows, lang)
    body = flat(text(card(tmp_path / "cards", rows[0]["dept_id"])))
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
    done = run_cli(
        "cards", data, "--out", out, "--contact", "考核办 0536-1", "--deadline", "2012-03-31", "--lang", "en"
    )
    assert done.returncode == 0, done.stderr
    assert "wrote 7 feedback cards of 2011" in done.stderr
    assert sorted(p.name for p in out.glob("*.pdf") if p.name != cards.ALL_NAME) == sorted(
        p.with_suffix(".pdf").name for p in out.glob("*.html") if p.name != cards.INDEX_NAME
    )  # a PDF per card
    assert len(list(out.glob("*.pdf"))) == 7 + 1  # and the one of all the cards
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
    from wfscore.inputs.manifest import write_manifest
    from wfscore.publish.report import ReportError, check_out

    out = tmp_path / "2011"
    (out / "cards").mkdir(parents=True)
    (out / "report.html").write_text("previous")
    (out / "cards" / "D1_一号局.pdf").write_text("a card")
    write_manifest(out / "cards", "cards")
    write_manifest(out, "report", {"cards": "cards"})
    assert check_out(out, TINY) == out
    (out / "cards" / "thesis.pdf").write_text("mine")  # the cards folder is checked against its own manifest
    with pytest.raises(ReportError, match=r"holds other files \(cards/thesis.pdf\)"):
        check_out(out, TINY)


# -- card file names: unique and safe on every system -------------------------------------------------

LONG = "市信息化工作领导小组办公室下属" * 4  # 180 bytes of UTF-8: ids that share it differ only after
HOSTILE_IDS = {  # a tiny department → the departments made of it: (dept_id, name)
    "D1": [("a/b", "一号局"), ("dept-612f62", "一号局")],  # the old names: both dept-612f62
    "D2": [("a_b", "一号局")],  # a/b and a_b, one name: the same file but for the hash
    "D3": [("..", "<script>alert(1)</script>")],
    "D4": [("CON", "四号部"), ("con", "四号部")],  # one file on Windows and macOS
    "D5": [("nul.txt", "五号部")],  # NUL, whatever the extension, is a device on Windows
    "D6": [(LONG + "甲", "六号部"), (LONG + "乙", "六号部")],
    "D7": [("D7", '七号 #1 100% "引号" a:b*c?<d>|e\\f.')],  # control characters: the loader refuses them
}


def hostile_ids_year(folder: Path) -> Path:
    """The tiny year with each department copied under the ids and names of HOSTILE_IDS."""
    folder.mkdir(parents=True)
    shutil.copy(TINY / "scheme.yaml", folder / "scheme.yaml")
    (folder / "SYNTHETIC").write_text("synthetic\n", encoding="utf-8")
    for source in TINY.glob("*.csv"):
        with open(source, encoding="utf-8-sig", newline="") as f:
            rows = list(csv.reader(f))
        with open(folder / source.name, "w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(rows[0])
            for row in rows[1:]:
                for dept_id, name in HOSTILE_IDS[row[0]]:
                    writer.writerow(
                        [dept_id, name, *row[2:]] if source.name == "departments.csv" else [dept_id, *row[1:]]
                    )
    return folder


WINDOWS_RESERVED = re.compile(r"(?i)^(CON|PRN|AUX|NUL|COM[1-9¹²³]|LPT[1-9¹²³])(\..*)?$")


def assert_safe_everywhere(name: str) -> None:
    assert not set(name) & set('/\\:*?"<>|'), name
    assert not any(ord(ch) < 32 for ch in name), name
    assert not name.startswith(".") and not name.rstrip(".pdfhtml").endswith((" ",)), name
    stem = name.rsplit(".", 1)[0]
    assert not stem.endswith((".", " ")), name
    assert len(stem.encode("utf-8")) <= cards.NAME_BYTES, name
    assert not WINDOWS_RESERVED.match(name.split(".")[0].rstrip(" ") + ".x"), name


@pytest.mark.parametrize(
    "text", ["CON", "con", "Con.pdf", "nul.txt", "NUL .txt", "COM1", "com9.tar.gz", "LPT¹", "aux", "PRN.x.y", "CONIN$"]
)
def test_windows_device_names_are_never_card_names(text):
    name = cards.safe_name(text)
    assert name == "_" + text.replace(" .", ".") or name.startswith("_"), name
    assert not WINDOWS_RESERVED.match(name.split(".")[0] + ".x")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("a/b", "a_b"),
        ("..", "_"),
        ("..x", "_.x"),
        (".hidden", "_hidden"),
        ('a\\b:c*d?e"f<g>h|i', "a_b_c_d_e_f_g_h_i"),
        ("end. ", "end"),
        ("tab\there", "tab_here"),
        ("", "_"),
        ("rtl\u202eexe.pdf", "rtl_exe.pdf"),
        ("CONSOLE", "CONSOLE"),
        ("COM10", "COM10"),
        ("一号局", "一号局"),
    ],
)
def test_safe_name(text, expected):
    assert cards.safe_name(text) == expected


def test_safe_name_bounds_the_bytes_between_characters():
    name = cards.safe_name("信" * 100)
    assert len(name.encode("utf-8")) <= cards.NAME_BYTES and name == "信" * (cards.NAME_BYTES // 3)


def test_file_names_are_unique_without_case_and_say_which_clashed():
    depts = [(i, n) for group in HOSTILE_IDS.values() for i, n in group]
    names, clashes = cards.file_names(depts)
    assert len(names) == len(depts)
    assert len({n.casefold() for n in names.values()}) == len(depts)  # one file each on Windows and macOS too
    for name in names.values():
        assert_safe_everywhere(name + ".pdf")
    assert sorted(map(sorted, clashes)) == sorted([["a/b", "a_b"], ["CON", "con"], [LONG + "乙", LONG + "甲"]])
    assert names["dept-612f62"] == "dept-612f62_一号局" and names["nul.txt"] == "_nul.txt_五号部"
    assert names["a/b"].startswith("a_b_一号局-") and names["a_b"].startswith("a_b_一号局-")
    # the same names whatever the order of the rows
    assert cards.file_names(list(reversed(depts)))[0] == names


def test_a_name_that_is_still_one_file_is_an_error_naming_both():
    import hashlib

    third = "x-" + hashlib.sha256(b"x").hexdigest()[:8]  # the name x gets to part it from X
    with pytest.raises(cards.CardsError, match=rf"the cards of 'x' and '{third}' would have the same file name"):
        cards.file_names([("x", ""), ("X", ""), (third, "")])
    with pytest.raises(cards.CardsError, match=r"the card of 'index' would be named 'index', as the index"):
        cards.file_names([("index", "")])


def test_hostile_ids_get_one_safe_card_each_in_the_folder_the_zip_and_the_index(tmp_path):
    """Reproduces 11 departments written as fewer files (a/b and dept-612f62; two long ids
    sharing their first bytes), duplicate zip members, CON and nul.txt in the zip."""
    need_tools()
    data = hostile_ids_year(tmp_path / "2011")
    out = tmp_path / "cards"
    done = run_cli("cards", data, "--out", out)
    assert done.returncode == 0, done.stderr
    n = sum(len(group) for group in HOSTILE_IDS.values())
    assert f"wrote {n} feedback cards of 2011" in done.stderr
    assert "note: the cards of a/b, a_b would have had one file name" in done.stderr
    links = card_links(out)
    assert set(links) == {i for group in HOSTILE_IDS.values() for i, _ in group}
    assert len({s.casefold() for s in links.values()}) == n
    assert len(list(out.glob("*.pdf"))) == n + 1 and len(list(out.glob("*.html"))) == n + 1  # and cards.pdf
    assert (out / cards.ALL_NAME).is_file()
    with zipfile.ZipFile(out / "cards.zip") as z:
        members = z.namelist()
    assert len(members) == len(set(m.casefold() for m in members)) == n
    for member in members:
        assert_safe_everywhere(member)
    for dept_id, stem in links.items():  # each department linked to its own card
        assert_safe_everywhere(stem + ".html")
        page = "".join(HtmlParts((out / f"{stem}.html").read_text(encoding="utf-8")).text)
        assert dept_id in page, dept_id
        assert flat(dept_id) in flat(text(out / f"{stem}.pdf")) or len(dept_id) > 60, dept_id
    index = HtmlParts((out / "index.html").read_text(encoding="utf-8"))
    assert not [t for t, _ in index.tags if t == "script"]
    assert "<script>alert(1)</script>" in "".join(index.text)


def test_cards_without_a_browser_write_the_html_and_say_how_to_get_one(tmp_path, monkeypatch, capsys):
    """No WFSCORE_CHROMIUM that exists, nothing on the PATH, none of the usual places: the
    cards are written as HTML, one line says why there is no PDF, exit 0."""
    from wfscore.cli import main
    from wfscore.publish import pdf

    data = hostile_ids_year(tmp_path / "2011")
    monkeypatch.setenv("WFSCORE_CHROMIUM", str(tmp_path / "nowhere" / "chrome"))
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    monkeypatch.setattr(pdf, "well_known_paths", lambda *a, **k: [str(tmp_path / "no" / "chromium")])
    assert pdf.find_browser() is None
    for lang, line in (
        (
            "en",
            "note: no PDF was made: it needs Chrome, Edge or Chromium, and none was found "
            "(install one of them, or set WFSCORE_CHROMIUM to its executable)",
        ),
        ("zh", "注意：未生成 PDF：PDF 需要 Chrome、Edge 或 Chromium 浏览器，本机未找到"),
    ):
        out = tmp_path / f"cards-{lang}"
        assert main(["cards", str(data), "--out", str(out), "--lang", lang]) == 0
        err = capsys.readouterr().err
        assert [ln for ln in err.splitlines() if "PDF" in ln and ("note" in ln or "注意" in ln)] == [
            next(ln for ln in err.splitlines() if ln.startswith(line))
        ]
        n = sum(len(group) for group in HOSTILE_IDS.values())
        assert len(list(out.glob("*.html"))) == n + 1 and not list(out.glob("*.pdf"))
        assert not (out / "cards.zip").exists()
        assert len(card_links(out)) == n
        index = HtmlParts((out / "index.html").read_text(encoding="utf-8"))
        assert not [a for t, a in index.tags if t == "a" and a["href"].endswith((".pdf", ".zip"))]
    # --no-pdf asks for it: the same files, and no word about a browser
    out = tmp_path / "cards-en"
    assert main(["cards", str(data), "--out", str(out), "--lang", "en", "--no-pdf"]) == 0
    err = capsys.readouterr().err
    assert "Chrome" not in err and f"wrote {n} feedback cards of 2011 (HTML, index.html)" in err
    assert not list(out.glob("*.pdf"))


def test_no_pdf_writes_no_pdf_even_with_a_browser(tmp_path, capsys):
    from wfscore.cli import main

    out = tmp_path / "cards"
    assert main(["cards", str(TINY), "--out", str(out), "--no-pdf", "--lang", "en"]) == 0
    assert "Chrome" not in capsys.readouterr().err
    assert not list(out.glob("*.pdf")) and len(list(out.glob("*.html"))) == 8


# -- the cards folder holds only what the cards wrote -------------------------------------------------


def test_a_folder_of_a_persons_files_is_refused_and_kept(tmp_path):
    """Reproduces thesis.pdf, notes.html and invoice-2011.pdf deleted with the folder they were in
    (their names look like cards')."""
    mine = tmp_path / "mine"
    mine.mkdir()
    files = {"thesis.pdf": b"%PDF my thesis", "notes.html": b"<p>notes</p>", "invoice-2011.pdf": b"%PDF 42"}
    for name, body in files.items():
        (mine / name).write_bytes(body)
    done = run_cli("cards", TINY, "--out", mine, "--no-pdf")
    assert done.returncode == 2, done.stderr
    assert f"--out '{mine}' holds other files (invoice-2011.pdf, notes.html, thesis.pdf)" in done.stderr
    assert "choose an empty or new folder" in done.stderr and "Traceback" not in done.stderr
    assert {p.name: p.read_bytes() for p in mine.iterdir()} == files
    zh = run_cli("cards", TINY, "--out", mine, "--no-pdf", lang="zh")
    assert (
        zh.returncode == 2 and "中有不是反馈卡写出的其他文件（invoice-2011.pdf, notes.html, thesis.pdf）" in zh.stderr
    )


def test_the_cards_rewrite_their_own_folder_and_refuse_it_once_a_person_adds_or_changes_a_file(tmp_path):
    out = tmp_path / "cards"
    assert cards.build(TINY, out, pdf=False).count == 7
    assert cards.check_out(out, TINY) == out
    again = cards.build(TINY, out, pdf=False)  # a folder the cards wrote is theirs to replace
    assert again.count == 7 and (out / ".wfscore-manifest.json").is_file()
    (out / "index.html").write_text("edited by hand", encoding="utf-8")
    with pytest.raises(cards.CardsError, match=r"holds other files \(index.html\)"):
        cards.build(TINY, out, pdf=False)
    assert (out / "index.html").read_text(encoding="utf-8") == "edited by hand"
    cards.build(TINY, tmp_path / "fresh", pdf=False)
    (tmp_path / "fresh" / "thesis.pdf").write_text("mine")
    (tmp_path / "fresh" / "sub").mkdir()
    (tmp_path / "fresh" / "sub" / "x.txt").write_text("mine")
    with pytest.raises(cards.CardsError, match=r"holds other files \(sub/x.txt, thesis.pdf\)"):
        cards.check_out(tmp_path / "fresh", TINY)
