"""Chinese column headers, kinds written by their name and severities in Chinese read as
the SPEC's ids.

A year whose tables are headed in Chinese (部门编号, 指标, 分值…), whose departments'
kinds are written as 党的机关 and whose incidents are 一般 or 重大 must score exactly as
the same year written with the
SPEC's names; a column given under two names is an error; the desk's edit keeps the
Chinese header.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path

import openpyxl
import pytest

from helpers import ROOT, SAMPLE, TINY, run_cli
from wfscore.inputs.loading import load_year, validate

# The headers an office would write, chosen by hand for each table (one spelling each).
CHINESE = {
    "departments.csv": {"dept_id": "部门编号", "name": "部门名称", "kind": "类别"},
    "values.csv": {"dept_id": "部门编号", "indicator": "指标", "value": "分值"},
    "ratings.csv": {"dept_id": "部门代码", "indicator": "指标编号", "expert": "专家", "rating": "评分"},
    "website_eval.csv": {"dept_id": "单位编号", "score": "网站评估成绩"},
    "exemptions.csv": {"dept_id": "部门编号", "indicator": "指标", "reason": "不适用理由", "confirmed": "已确认"},
    "incidents.csv": {"dept_id": "部门编号", "date": "日期", "severity": "严重程度", "description": "事故描述"},
    "achievements.csv": {"dept_id": "部门编号", "indicator": "指标", "title": "成果名称", "confirmed": "是否确认"},
}
# 2011's kinds by the names a clerk types: the scheme's name, its name without the
# bracketed note, the English name.
KIND_NAMES = {
    "party": "党的机关",
    "government": "政府机关",
    "npc": "People's Congress",
    "court": "审判机关",
    "vertical": "Vertically managed bureaus",
}


SEVERITY_NAMES = {"ordinary": "一般", "major": "重大"}
WORDS = {"departments.csv": {"kind": KIND_NAMES}, "incidents.csv": {"severity": SEVERITY_NAMES}}


def _rewrite(folder: Path, file: str, header: dict[str, str], words: dict[str, dict[str, str]] | None = None) -> None:
    """``file`` headed by ``header``, and the cells of each column of ``words`` replaced by its words."""
    path = folder / file
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))
    for column, replace in (words or {}).items():
        at = rows[0].index(column)
        for row in rows[1:]:
            if row and row[at] in replace:
                row[at] = replace[row[at]]
    rows[0] = [header.get(c, c) for c in rows[0]]
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


@pytest.fixture
def chinese_2011(tmp_path: Path) -> Path:
    dest = tmp_path / "2011zh"
    shutil.copytree(SAMPLE, dest)
    for file, header in CHINESE.items():
        _rewrite(dest, file, header, WORDS.get(file))
    return dest


def test_a_year_headed_in_chinese_scores_as_the_sample(chinese_2011: Path, tmp_path: Path) -> None:
    assert "部门编号,部门名称,类别" in (chinese_2011 / "departments.csv").read_text(encoding="utf-8")
    assert ",党的机关\n" in (chinese_2011 / "departments.csv").read_text(encoding="utf-8")
    assert ",重大," in (chinese_2011 / "incidents.csv").read_text(encoding="utf-8")
    assert ",一般," in (chinese_2011 / "incidents.csv").read_text(encoding="utf-8")
    outs = {}
    for name, folder in (("zh", chinese_2011), ("spec", SAMPLE)):
        done = run_cli("score", folder, "--out", tmp_path / f"{name}.csv", "--detail", tmp_path / f"{name}-d.csv")
        assert done.returncode == 0, done.stderr
        outs[name] = ((tmp_path / f"{name}.csv").read_bytes(), (tmp_path / f"{name}-d.csv").read_bytes())
    assert outs["zh"] == outs["spec"]
    # the kinds come out as the scheme's ids, not as they were typed
    assert b",party," in outs["zh"][0] and "党的机关".encode() not in outs["zh"][0]


def test_a_workbook_headed_in_chinese_loads_as_the_csv_year(chinese_2011: Path, tmp_path: Path) -> None:
    book = tmp_path / "book"
    book.mkdir()
    shutil.copy(chinese_2011 / "scheme.yaml", book / "scheme.yaml")
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for file in CHINESE:
        sheet = wb.create_sheet(file.removesuffix(".csv"))
        for row in csv.reader(io.StringIO((chinese_2011 / file).read_text(encoding="utf-8"), newline="")):
            sheet.append(row)
    wb.save(book / "data.xlsx")
    from_book, from_csv = load_year(book), load_year(SAMPLE)
    assert list(from_book.tables) == list(from_csv.tables)
    for name in from_csv.tables:
        got, want = from_book.tables[name], from_csv.tables[name]
        assert list(got.columns) == list(want.columns), name
        assert got.astype(str).to_numpy().tolist() == want.astype(str).to_numpy().tolist(), name


def test_a_column_under_two_names_is_an_error(tmp_path: Path) -> None:
    dest = tmp_path / "twice"
    shutil.copytree(TINY, dest)
    text = (dest / "values.csv").read_text(encoding="utf-8")
    lines = text.splitlines()
    lines[0] += ",分值"
    lines[1:] = [line + ",9" for line in lines[1:]]
    (dest / "values.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = run_cli("validate", dest)
    assert done.returncode == 1
    assert (
        "error: values.csv line 1: '分值' names column 'value' a second time (expected each column "
        "once, under one name: value or a Chinese header for it)"
    ) in done.stdout


def test_a_header_that_is_no_alias_is_still_a_missing_column(tmp_path: Path) -> None:
    dest = tmp_path / "unknown"
    shutil.copytree(TINY, dest)
    _rewrite(dest, "values.csv", {"value": "得数"})
    problems = [str(p) for p in validate(dest) if p.is_error]
    assert "values.csv line 1: has no column 'value' (expected the columns dept_id, indicator, value)" in problems


@pytest.mark.parametrize(
    "written, ok",
    [
        ("政府机关", True),  # the tiny scheme's name for gov
        ("gov", True),
        ("政府 机关", True),  # a stray space inside
        ("ｇｏｖ", True),  # full-width letters, folded as headers are
        ("政府", False),
        ("Gov", False),  # ids are exact
    ],
)
def test_kinds_by_their_name(tmp_path: Path, written: str, ok: bool) -> None:
    dest = tmp_path / "kinds"
    shutil.copytree(TINY, dest)
    text = (dest / "departments.csv").read_text(encoding="utf-8")
    (dest / "departments.csv").write_text(text.replace("D1,一号局,gov", f"D1,一号局,{written}"), encoding="utf-8")
    errors = [p for p in validate(dest) if p.is_error]
    if ok:
        assert not errors, errors
        assert load_year(dest).tables["departments"].set_index("dept_id").loc["D1", "kind"] == "gov"
    else:
        assert [(p.source, p.line, p.column, p.value) for p in errors] == [("departments.csv", 2, "kind", written)]


def test_the_desk_edits_a_file_headed_in_chinese_under_its_own_header(tmp_path: Path) -> None:
    from wfscore.review.decisions import decide

    dest = tmp_path / "desk"
    shutil.copytree(TINY, dest)
    _rewrite(dest, "exemptions.csv", CHINESE["exemptions.csv"])
    before = (dest / "exemptions.csv").read_text(encoding="utf-8")
    assert load_year(dest).tables["exemptions"].set_index("dept_id").loc["D6", "confirmed"] == "false"
    decide(dest, "exemptions.csv", 5, "confirmed", "true", reviewer="王审核")
    after = (dest / "exemptions.csv").read_text(encoding="utf-8")
    assert after.splitlines()[0] == before.splitlines()[0] == "部门编号,指标,不适用理由,已确认"
    assert after.splitlines()[4] == "D6,i2,申请未获确认,true"
    assert after.splitlines()[1:4] == before.splitlines()[1:4]
    assert load_year(dest).tables["exemptions"].set_index("dept_id").loc["D6", "confirmed"] == "true"


def test_forms_read_kinds_by_their_name(tmp_path: Path) -> None:
    from wfscore.inputs.forms import read_roster

    dest = tmp_path / "roster"
    shutil.copytree(TINY, dest)
    _rewrite(dest, "departments.csv", CHINESE["departments.csv"], {"kind": {"gov": "政府机关", "party": "党的机关"}})
    scheme, departments, problems = read_roster(dest)
    assert not [p for p in problems if p.is_error]
    assert departments["kind"][:4] == ["gov", "gov", "party", "party"]


def test_the_docs_list_every_alias() -> None:
    from wfscore.inputs.aliases import ALIASES

    page = (ROOT / "docs" / "reference" / "data.md").read_text(encoding="utf-8")
    section = page[page.index("## Chinese column headers") :]
    section = section[: section.index("\n## ", 1)] if "\n## " in section else section
    for table, columns in ALIASES.items():
        row = next((line for line in section.splitlines() if line.startswith(f"| `{table}` ")), None)
        assert row is not None, table
        for column, aliases in columns.items():
            listed = re.search(rf"`{column}`: ([^;|]*)", row)
            assert listed, (table, column)
            assert [a.strip() for a in listed.group(1).split("、")] == list(aliases), (table, column)


@pytest.mark.parametrize(
    "written, read",
    [
        ("重大", "major"),
        ("一般", "ordinary"),
        ("　重大", "major"),
        ("严重", None),
        ("MAJOR", "MAJOR"),
        ("较大", None),
        ("重大的", None),
    ],
)
def test_severities_in_chinese(tmp_path: Path, written: str, read: str | None) -> None:
    dest = tmp_path / "severity"
    shutil.copytree(TINY, dest)
    path = dest / "incidents.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    at = rows[0].index("severity")
    rows[1][at] = written
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    errors = [p for p in validate(dest) if p.is_error]
    if read:
        assert errors == []
        assert load_year(dest).tables["incidents"]["severity"].iloc[0] == read
    else:
        assert [(p.source, p.line, p.column, p.value, p.message) for p in errors] == [
            ("incidents.csv", 2, "severity", written, "is not a severity (expected ordinary or major)")
        ]


def test_the_desk_and_disputes_take_a_severity_in_chinese() -> None:
    from wfscore.review.cell_edit import cell_text, check_text

    check_text("severity", "重大")
    check_text("severity", "一般")
    with pytest.raises(ValueError):
        check_text("severity", "严重")
    assert cell_text("severity", "major", like="一般") == "major"  # written in the SPEC's words
