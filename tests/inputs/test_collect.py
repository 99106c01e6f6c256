"""Collecting a year's inputs from returned forms: the round trip of 2011, every problem
class with its message pinned, what people really type, summary sheets, the desk's
decisions kept, nothing written on error, LibreOffice as the client."""

from __future__ import annotations

import csv
import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from formfill import fill, rows
from formident import sync_properties
from helpers import SAMPLE, need
from wfscore.inputs import collect, forms
from wfscore.inputs.problems import InputError
from wfscore.review.collected import write_year

SMALL_IDS = ("P01", "P02", "G01", "G02", "G03", "V04")
EXPERTS = ["E1", "E2", "E3"]


def small_year(folder: Path) -> Path:
    """2011's scheme and six of its departments (two party organs, three government
    departments, one vertical bureau), with nothing collected yet."""
    folder.mkdir(parents=True)
    shutil.copy(SAMPLE / "scheme.yaml", folder)
    shutil.copy(SAMPLE / "SYNTHETIC", folder)
    with open(SAMPLE / "departments.csv", encoding="utf-8") as f:
        lines = f.read().splitlines()
    keep = [lines[0]] + [line for line in lines[1:] if line.split(",")[0] in SMALL_IDS]
    (folder / "departments.csv").write_text("\n".join(keep) + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def blank(tmp_path_factory) -> tuple[Path, Path]:
    """The small year and its blank forms, made once."""
    root = tmp_path_factory.mktemp("small")
    year = small_year(root / "2011")
    out = root / "blank"
    forms.write_forms(year, out, EXPERTS, deadline="2011-12-31", contact="考核办 8888")
    return year, out


@pytest.fixture
def case(blank, tmp_path) -> tuple[Path, Path]:
    """A scratch copy of the small year and of its forms filled with 2011's figures."""
    year, out = blank
    into = tmp_path / "2011"
    shutil.copytree(year, into)
    returns = tmp_path / "returns"
    shutil.copytree(out, returns)
    fill(returns, SAMPLE)
    return into, returns


def problems_of(returns: Path, into: Path) -> list[str]:
    return sorted(str(p) for p in collect.read_returns(returns, into).problems)


def edit(path: Path, sheet: str, cell: str, value, number_format: str | None = None) -> None:
    wb = load_workbook(path)
    wb[sheet][cell].value = value
    if isinstance(value, str):
        wb[sheet][cell].data_type = "s"  # typed text, as Excel keeps it: never a formula
    if number_format:
        wb[sheet][cell].number_format = number_format
    wb.save(path)


def row_of(path: Path, indicator: str) -> int:
    ws = load_workbook(path)["指标"]
    return next(c.row for c in ws["A"] if str(c.value) == indicator)


def col_of(path: Path, sheet: str, indicator: str) -> str:
    ws = load_workbook(path)[sheet]
    return next(c.column_letter for c in ws[1] if str(c.value).split(" ")[0] == indicator)


def digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def table(path: Path) -> list[dict]:
    return rows(path)


G03 = "自查表_G03_市经济和信息化委员会.xlsx"


# -- the round trip ------------------------------------------------------------------------


def confirm_as_2011(into: Path) -> None:
    """The desk confirms what 2011 confirmed, and rejects the rest, through the decisions log."""
    from wfscore.review.decisions import decide

    for file, field in (("exemptions.csv", "reason"), ("achievements.csv", "title")):
        confirmed = [(r["dept_id"], r["indicator"], r[field]) for r in table(SAMPLE / file) if r["confirmed"] == "true"]
        for line, r in enumerate(table(into / file), start=2):
            decide(
                into,
                file,
                line,
                "confirmed",
                "true" if (r["dept_id"], r["indicator"], r[field]) in confirmed else "false",
                reviewer="测试",
            )


def test_forms_filled_with_2011_collect_into_a_year_that_scores_exactly_like_2011(tmp_path):
    from wfscore.cli import main

    out = tmp_path / "forms"
    into = tmp_path / "2011"
    into.mkdir()
    for name in ("scheme.yaml", "departments.csv", "incidents.csv", "SYNTHETIC"):
        shutil.copy(SAMPLE / name, into)
    forms.write_forms(into, out, ["E1", "E2", "E3", "E4", "E5"])  # the key is made in the year's folder
    fill(out, SAMPLE)
    before = digest(out)
    col = collect.read_returns(out, into)
    assert col.errors == []
    outcome = write_year(col)
    assert sorted(outcome.written) == sorted(collect.OUTPUTS)
    assert digest(out) == before  # the returns are never written to
    # the requests arrive unconfirmed: pending at the desk until it decides
    assert {r["confirmed"] for r in table(into / "exemptions.csv")} == {"false"}
    assert len(table(into / "achievements.csv")) == len(table(SAMPLE / "achievements.csv"))
    confirm_as_2011(into)
    assert main(["score", str(into), "--out", str(tmp_path / "a.csv")]) == 0
    assert main(["score", str(SAMPLE), "--out", str(tmp_path / "b.csv")]) == 0
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    # collecting again keeps every decision, and changes nothing
    snapshot = digest(into)
    outcome = write_year(collect.read_returns(out, into), decided_of(into))
    assert outcome.written == [] and digest(into) == snapshot
    assert len(outcome.kept) == len(table(into / "exemptions.csv")) + len(table(into / "achievements.csv"))


def decided_of(folder: Path) -> set:
    from wfscore.review.decisions import decided_rows, history

    return set(decided_rows(history(folder)))


def test_the_small_round_trip_gives_2011s_own_figures(case):
    into, returns = case
    write_year(collect.read_returns(returns, into))
    got = {(r["dept_id"], r["indicator"]): float(r["value"]) for r in table(into / "values.csv")}
    want = {
        (r["dept_id"], r["indicator"]): float(r["value"])
        for r in table(SAMPLE / "values.csv")
        if r["dept_id"] in SMALL_IDS
    }
    assert got == want
    got = {(r["dept_id"], r["indicator"], r["expert"]): float(r["rating"]) for r in table(into / "ratings.csv")}
    want = {
        (r["dept_id"], r["indicator"], r["expert"]): float(r["rating"])
        for r in table(SAMPLE / "ratings.csv")
        if r["dept_id"] in SMALL_IDS and r["expert"] in EXPERTS
    }
    assert got == want
    assert {r["dept_id"]: float(r["score"]) for r in table(into / "website_eval.csv")} == {
        r["dept_id"]: float(r["score"]) for r in table(SAMPLE / "website_eval.csv") if r["dept_id"] in SMALL_IDS
    }
    # V04's five website exemption requests, in its own words, unconfirmed
    assert [(r["indicator"], r["reason"], r["confirmed"]) for r in table(into / "exemptions.csv")] == [
        (r["indicator"], r["reason"], "false") for r in table(SAMPLE / "exemptions.csv") if r["dept_id"] in SMALL_IDS
    ]


# -- every problem class, its message pinned ----------------------------------------------


def test_a_figure_that_is_not_a_number(case):
    into, returns = case
    row = row_of(returns / G03, "13")
    edit(returns / G03, "指标", f"D{row}", "abc")
    assert problems_of(returns, into) == sorted(
        [
            (
                f"自查表_G03_市经济和信息化委员会.xlsx, sheet 指标, cell D{row}: 'abc' is not a number (expected a "
                "non-negative number)"
            )
        ]
    )


def test_a_negative_figure_a_rating_over_100_and_a_direct_value_over_its_weight(case):
    into, returns = case
    row = row_of(returns / G03, "12")
    edit(returns / G03, "指标", f"D{row}", -3)
    c = col_of(returns / "专家评分表_E2.xlsx", "评分", "1")
    edit(returns / "专家评分表_E2.xlsx", "评分", f"{c}3", 101)
    s1 = col_of(returns / "考核办填报表.xlsx", "考核办指标", "S1")
    edit(returns / "考核办填报表.xlsx", "考核办指标", f"{s1}2", "100.5")
    edit(returns / "考核办填报表.xlsx", "网站评估", "D2", "一百")
    assert problems_of(returns, into) == sorted(
        [
            (
                f"自查表_G03_市经济和信息化委员会.xlsx, sheet 指标, cell D{row}: '-3' is out of range (expected a "
                "non-negative number)"
            ),
            "考核办填报表.xlsx, sheet 网站评估, cell D2: '一百' is not a number (expected a website evaluation "
            "score from 0 to 100)",
            f"考核办填报表.xlsx, sheet 考核办指标, cell {s1}2: '100.5' is out of range (expected a number from 0 "
            "to 100, the weight)",
            f"专家评分表_E2.xlsx, sheet 评分, cell {c}3: '101' is out of range (expected a rating from 0 to 100)",
        ]
    )


def test_what_people_really_type_is_accepted(case):
    into, returns = case
    r12, r13 = row_of(returns / G03, "12"), row_of(returns / G03, "13")
    edit(returns / G03, "指标", f"D{r12}", "８５.５％ ")  # full-width digits and percent sign
    edit(returns / G03, "指标", f"D{r13}", " 1.2 ")  # spaces around a number typed as text
    edit(returns / G03, "指标", f"F{r13}", " 是")
    edit(returns / G03, "指标", f"G{r13}", "本局电脑由市里统一配发，另行说明  ")
    g01 = "自查表_G01_市政府办公室.xlsx"
    edit(returns / g01, "指标", f"D{row_of(returns / g01, '12')}", 0.9, number_format="0%")  # typed 90% in Excel
    c = col_of(returns / "专家评分表_E1.xlsx", "评分", "1")
    edit(returns / "专家评分表_E1.xlsx", "评分", f"{c}2", "９０")
    col = collect.read_returns(returns, into)
    assert col.problems == []
    write_year(col)
    values = {(r["dept_id"], r["indicator"]): r["value"] for r in table(into / "values.csv")}
    assert values["G03", "12"] == "85.5" and values["G03", "13"] == "1.2" and values["G01", "12"] == "90"
    ratings = {(r["dept_id"], r["indicator"], r["expert"]): r["rating"] for r in table(into / "ratings.csv")}
    assert ratings["P01", "1", "E1"] == "90"
    assert ("G03", "13", "本局电脑由市里统一配发，另行说明", "false") in [
        tuple(r.values()) for r in table(into / "exemptions.csv")
    ]


def test_a_percentage_where_the_unit_is_not_one(case):
    into, returns = case
    row = row_of(returns / G03, "13")
    edit(returns / G03, "指标", f"D{row}", "85%")
    assert problems_of(returns, into) == sorted(
        [
            f"自查表_G03_市经济和信息化委员会.xlsx, sheet 指标, cell D{row}: '85%' is a percentage, but the "
            "indicator's unit is "
            "not (expected a non-negative number)"
        ]
    )


def test_an_exemption_request_without_a_reason_and_a_bad_yes_no(case):
    into, returns = case
    row = row_of(returns / G03, "16")
    edit(returns / G03, "指标", f"F{row}", "是")
    edit(returns / G03, "指标", f"F{row + 1}", "也许")
    assert problems_of(returns, into) == sorted(
        [
            f"自查表_G03_市经济和信息化委员会.xlsx, sheet 指标, cell G{row}: is empty, but F{row} asks that indicator "
            "16 be "
            "treated as not applicable (expected the reason for the request)",
            f"自查表_G03_市经济和信息化委员会.xlsx, sheet 指标, cell F{row + 1}: '也许' is neither 是 nor 否 (expected "
            "是, 否 or an "
            "empty cell)",
        ]
    )


def test_claims_without_title_or_with_an_unknown_indicator(case):
    into, returns = case
    edit(returns / G03, "奖励申报", "A20", "23 国家级表彰奖励、示范试点、现场会")
    edit(returns / G03, "奖励申报", "A21", "99 自创奖项")
    edit(returns / G03, "奖励申报", "B21", "某奖")
    edit(returns / G03, "奖励申报", "B22", "无指标的成果")
    assert problems_of(returns, into) == sorted(
        [
            "自查表_G03_市经济和信息化委员会.xlsx, sheet 奖励申报, cell A21: '99 自创奖项' is not a reward indicator "
            "of the "
            "scheme (expected one of 23, 24, 25, 26, from the drop-down)",
            "自查表_G03_市经济和信息化委员会.xlsx, sheet 奖励申报, cell A22: is empty, but B22:C22 hold a claim "
            "(expected the "
            "reward indicator from the drop-down)",
            "自查表_G03_市经济和信息化委员会.xlsx, sheet 奖励申报, cell B20: is empty, but A20 claims an achievement "
            "(expected "
            "its title)",
        ]
    )


def test_claims_become_unconfirmed_achievements_with_their_document_number(case):
    into, returns = case
    edit(returns / G03, "奖励申报", "A20", "25")
    edit(returns / G03, "奖励申报", "B20", "全市信息化工作先进集体 ")
    edit(returns / G03, "奖励申报", "C20", "潍政字〔2011〕5号")
    write_year(collect.read_returns(returns, into))
    assert {
        "dept_id": "G03",
        "indicator": "25",
        "title": "全市信息化工作先进集体（潍政字〔2011〕5号）",
        "confirmed": "false",
    } in table(into / "achievements.csv")


def set_identity(path: Path, key: str, value: str, signed_in: Path | None = None) -> None:
    """Edit a form's hidden identity, as an openpyxl user would; signed again with the key of
    the year ``signed_in`` (a form the office really made so), or left as edited."""
    from wfscore.inputs import signing

    wb = load_workbook(path)
    ws = wb[forms.IDENTITY]
    for row in ws.iter_rows():
        if row[0].value == key:
            row[1].value = value
    if signed_in is not None:
        fields = {str(r[0].value): str(r[1].value) for r in ws.iter_rows() if r[0].value != signing.SIGNATURE}
        for row in ws.iter_rows():
            if row[0].value == signing.SIGNATURE:
                row[1].value = signing.sign(signing.read_key(signed_in)[0], fields)
    sync_properties(wb)  # the same identity is kept in the document properties (read first)
    wb.save(path)


def test_a_form_of_another_year_or_scheme(case):
    into, returns = case
    set_identity(returns / G03, "year", "2010", into)
    set_identity(returns / "专家评分表_E1.xlsx", "scheme", "0123456789abcdef", into)
    code = forms.scheme_hash(collect.read_returns(returns, into).ctx.scheme)
    assert problems_of(returns, into) == sorted(
        [
            (
                "自查表_G03_市经济和信息化委员会.xlsx: is a form of year 2010 (expected 2011: use the forms made for "
                "2011 by wfscore forms)"
            ),
            f"专家评分表_E1.xlsx: was made from another scheme (check code 0123456789abcdef, expected {code}: the "
            "scheme "
            "changed after the forms went out; make them again with wfscore forms)",
        ]
    )


def test_the_scheme_check_code_follows_the_scheme(tmp_path):
    from wfscore.inputs.scheme_yaml import read_scheme

    scheme = read_scheme(SAMPLE / "scheme.yaml")
    changed = scheme.model_copy(deep=True)
    changed.indicators[0].weight = 69
    assert forms.scheme_hash(scheme) == forms.scheme_hash(read_scheme(SAMPLE / "scheme.yaml"))
    assert forms.scheme_hash(changed) != forms.scheme_hash(scheme)


def test_a_department_not_in_departments_csv(case):
    into, returns = case
    set_identity(returns / G03, "dept_id", "X99", into)
    assert problems_of(returns, into) == sorted(
        [
            "自查表_G03_市经济和信息化委员会.xlsx: is the form of department 'X99', which is not in departments.csv "
            "(expected one of "
            "its departments)"
        ]
    )


def test_two_returns_for_the_same_department_or_expert_name_each_other(case):
    into, returns = case
    (returns / "again").mkdir()
    shutil.copy(returns / G03, returns / "again" / "教育局补报.xlsx")
    shutil.copy(returns / "专家评分表_E3.xlsx", returns / "E3 第二版.xlsx")
    col = collect.read_returns(returns, into)
    assert sorted(str(p) for p in col.problems) == sorted(
        [
            "E3 第二版.xlsx: is a second return for expert E3 (also 专家评分表_E3.xlsx; expected one return each: "
            "remove "
            "the one that is out of date)",
            "again/教育局补报.xlsx: is a second return for department G03 市经济和信息化委员会 (also "
            "自查表_G03_市经济和信息化委员会.xlsx; expected "
            "one return each: remove the one that is out of date)",
            "专家评分表_E3.xlsx: is a second return for expert E3 (also E3 第二版.xlsx; expected one return each: "
            "remove "
            "the one that is out of date)",
            "自查表_G03_市经济和信息化委员会.xlsx: is a second return for department G03 市经济和信息化委员会 (also "
            "again/教育局补报.xlsx; expected "
            "one return each: remove the one that is out of date)",
        ]
    )
    with pytest.raises(InputError):
        write_year(col)


def test_a_changed_layout(case):
    into, returns = case
    wb = load_workbook(returns / G03)
    wb["指标"].insert_rows(4)
    wb.save(returns / G03)
    wb = load_workbook(returns / "专家评分表_E1.xlsx")
    wb["评分"].delete_cols(5)
    wb.save(returns / "专家评分表_E1.xlsx")
    wb = load_workbook(returns / "考核办填报表.xlsx")
    del wb["网站评估"]
    wb.save(returns / "考核办填报表.xlsx")
    assert problems_of(returns, into) == sorted(
        [
            "考核办填报表.xlsx: has no sheet '网站评估' (expected the sheets of the form as it was sent: the layout "
            "was "
            "changed)",
            "专家评分表_E1.xlsx, sheet 评分, cell E1: '3 信息化发展规划与年度计划' is not the column this form was "
            "made "
            "with (expected indicator 2: the layout of the form was changed; columns must not be inserted, deleted or "
            "moved)",
            "自查表_G03_市经济和信息化委员会.xlsx, sheet 指标, cell A4: is not the indicator this row was made for "
            "(expected '3': the "
            "layout of the form was changed; rows must not be inserted, deleted or moved)",
        ]
    )


def test_another_departments_form_saved_under_this_ones_name(case):
    into, returns = case
    g01 = returns / "自查表_G01_市政府办公室.xlsx"
    g01.unlink()
    shutil.copy(returns / G03, g01)
    assert (
        "自查表_G01_市政府办公室.xlsx: holds the form of department G03 市经济和信息化委员会, but its file name names "
        "G01 "
        "市政府办公室 (expected the form of G01: another department's form was saved under this name)"
        in problems_of(returns, into)
    )


def test_a_renamed_form_is_still_known_by_its_identity(case):
    into, returns = case
    (returns / G03).rename(returns / "教育局.xlsx")
    col = collect.read_returns(returns, into)
    assert col.problems == []
    assert [r.who for r in col.returns if r.file == "教育局.xlsx"] == ["G03"]


def test_a_file_that_is_not_a_workbook_and_one_that_is_neither_form_nor_summary(case):
    into, returns = case
    (returns / "坏文件.xlsx").write_bytes(b"not a zip")
    wb = Workbook()
    wb.active["A1"] = "随便写的"
    wb.save(returns / "笔记.xlsx")
    got = problems_of(returns, into)
    assert got[0].startswith("坏文件.xlsx: cannot be opened as an Excel workbook (BadZipFile: ")
    assert got[1:] == [
        "笔记.xlsx: is neither a form made by wfscore forms nor a summary sheet (expected the form as it was sent, or "
        "a sheet with a 部门编号 column and one column per indicator)"
    ]


def test_several_broken_returns_report_every_problem_and_write_nothing(case):
    into, returns = case
    edit(returns / G03, "指标", f"D{row_of(returns / G03, '13')}", "abc")
    edit(returns / G03, "指标", f"F{row_of(returns / G03, '16')}", "是")
    set_identity(returns / "自查表_P01_市委办公室.xlsx", "year", "2012", into)
    edit(returns / "专家评分表_E2.xlsx", "评分", "D2", 150)
    (returns / "坏文件.xlsx").write_bytes(b"PK\x03\x04 broken")
    edit(returns / "考核办填报表.xlsx", "网站评估", "D3", "?")
    into_before, returns_before = digest(into), digest(returns)
    col = collect.read_returns(returns, into)
    files = [p.source.split(",")[0] for p in col.errors]
    assert sorted(set(files)) == sorted(
        [
            "自查表_G03_市经济和信息化委员会.xlsx",
            "自查表_P01_市委办公室.xlsx",
            "专家评分表_E2.xlsx",
            "坏文件.xlsx",
            "考核办填报表.xlsx",
        ]
    )
    assert len(col.errors) == 6
    with pytest.raises(InputError) as exc:
        write_year(col)
    assert len(exc.value.errors) == 6
    assert digest(into) == into_before and digest(returns) == returns_before


# -- summary sheets -----------------------------------------------------------------------


def test_a_wide_summary_sheet_with_chinese_headers(case):
    into, returns = case
    for path in returns.glob("自查表_*.xlsx"):
        path.unlink()
    wb = Workbook()
    ws = wb.active
    ws.title = "汇总"
    ws.append(["2011年度各部门自查汇总"])
    ws.append(["序号", "部门编号", "部门名称", "网上办理率", "13 信息基础设施 ", "备注"])
    ws.append([1, "G03 ", "市经济和信息化委员会", "９１.５", 1.3, ""])
    ws.append([2, "P01", "市委办公室", "80%", None, "无"])
    wb.save(returns / "2011年汇总表.xlsx")
    col = collect.read_returns(returns, into)
    assert col.problems == []
    write_year(col)
    got = [(r["dept_id"], r["indicator"], r["value"]) for r in table(into / "values.csv")]
    assert ("G03", "12", "91.5") in got and ("G03", "13", "1.3") in got and ("P01", "12", "80") in got


def test_a_summary_sheet_with_unknown_departments_and_columns(case):
    into, returns = case
    wb = Workbook()
    ws = wb.active
    ws.append(["部门编号", "网上办理率", "网站评分"])
    ws.append(["Z9", 50, 1])
    wb.save(returns / "汇总.xlsx")
    assert problems_of(returns, into) == sorted(
        [
            "汇总.xlsx, sheet Sheet, cell C1: '网站评分' is not an indicator of the scheme, nor a column wfscore knows;"
            " the "
            "column is ignored",
            (
                "汇总.xlsx, sheet Sheet, cell A2: 'Z9' is not a department of departments.csv (expected one of its "
                "dept_id)"
            ),
        ]
    )


def test_a_figure_given_twice_by_a_form_and_a_summary(case):
    into, returns = case
    wb = Workbook()
    ws = wb.active
    ws.append(["部门编号", "12"])
    ws.append(["G03", 50])
    wb.save(returns / "汇总.xlsx")
    row = row_of(returns / G03, "12")
    assert problems_of(returns, into) == sorted(
        [
            f"自查表_G03_市经济和信息化委员会.xlsx, sheet 指标, cell D{row}: gives department G03's indicator 12 a "
            "second time (also "
            "汇总.xlsx, sheet Sheet, cell B2; expected it once)"
        ]
    )


# -- the desk's decisions, collecting twice --------------------------------------------


def test_collecting_twice_changes_nothing(case):
    into, returns = case
    write_year(collect.read_returns(returns, into))
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in into.iterdir() if p.is_file()}
    outcome = write_year(collect.read_returns(returns, into))
    assert outcome.written == [] and sorted(outcome.unchanged) == sorted(collect.OUTPUTS)
    assert {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in into.iterdir() if p.is_file()} == before


def test_collecting_after_a_desk_decision_keeps_it(case):
    from wfscore.review.decisions import decide

    into, returns = case
    write_year(collect.read_returns(returns, into))
    lines = table(into / "exemptions.csv")
    assert [r["indicator"] for r in lines] == ["5", "6", "7", "8", "9"]
    decide(into, "exemptions.csv", 3, "confirmed", "true", reviewer="王审核")  # V04, indicator 6
    v04 = returns / "自查表_V04_潍坊市气象局.xlsx"
    if not v04.exists():
        v04 = next(returns.glob("自查表_V04_*.xlsx"))
    # the department sends its form again: a new reason for 6, and 5 withdrawn
    edit(v04, "指标", f"G{row_of(v04, '6')}", "改过的理由")
    edit(v04, "指标", f"F{row_of(v04, '5')}", "否")
    edit(v04, "指标", f"G{row_of(v04, '5')}", None)
    outcome = write_year(collect.read_returns(returns, into), decided_of(into))
    after = table(into / "exemptions.csv")
    assert after[1] == {**lines[1], "confirmed": "true"}  # decided: kept as it was, on its line
    assert [r["indicator"] for r in after] == ["5", "6", "7", "8", "9"]  # 5 kept so line 3 stays line 3
    assert outcome.kept == [
        "exemptions.csv line 3: V04 6 (confirmed by the desk) kept as it was; the return now "
        "says something else, which the desk should look at"
    ]
    assert outcome.notes == [
        "exemptions.csv line 2: V04 5 is no longer in the return; kept (collect --replace removes it)"
    ]
    outcome = write_year(collect.read_returns(returns, into), replace=True)
    assert [r["indicator"] for r in table(into / "exemptions.csv")] == ["5", "6", "7", "8", "9"]
    assert outcome.notes == [
        "exemptions.csv line 2: V04 5 is no longer in the return, but kept so that the lines "
        "the desk decided below it keep their numbers (reject it at the desk)"
    ]


def test_a_row_confirmed_before_collection_is_kept(case):
    into, returns = case
    (into / "exemptions.csv").write_text(
        "dept_id,indicator,reason,confirmed\nV04,9,手工录入的理由,true\n", encoding="utf-8"
    )
    write_year(collect.read_returns(returns, into))
    after = table(into / "exemptions.csv")
    assert after[0] == {"dept_id": "V04", "indicator": "9", "reason": "手工录入的理由", "confirmed": "true"}
    assert [r["indicator"] for r in after] == ["9", "5", "6", "7", "8"]


def test_hostile_text_in_a_return_stays_inert_in_the_csv(case):
    into, returns = case
    row = row_of(returns / G03, "16")
    edit(returns / G03, "指标", f"F{row}", "是")
    edit(returns / G03, "指标", f"G{row}", '=HYPERLINK("http://x","点")')
    write_year(collect.read_returns(returns, into))
    reasons = [r["reason"] for r in table(into / "exemptions.csv") if r["dept_id"] == "G03"]
    assert reasons == ['\'=HYPERLINK("http://x","点")']


@pytest.mark.parametrize("start", ["＝", "＋", "－", "＠"])
def test_full_width_formula_starts_stay_inert_too(case, start):
    into, returns = case
    row = row_of(returns / G03, "16")
    edit(returns / G03, "指标", f"F{row}", "是")
    edit(returns / G03, "指标", f"G{row}", start + "cmd|' /C calc'!A0")
    write_year(collect.read_returns(returns, into))
    assert [r["reason"] for r in table(into / "exemptions.csv") if r["dept_id"] == "G03"] == [
        "'" + start + "cmd|' /C calc'!A0"
    ]


# -- the board ------------------------------------------------------------------------------


def test_the_board_names_who_is_missing_and_whose_return_has_errors(case):
    into, returns = case
    (returns / "自查表_P02_市委组织部.xlsx").unlink()
    (returns / "专家评分表_E3.xlsx").unlink()
    edit(returns / G03, "指标", f"D{row_of(returns / G03, '13')}", "abc")
    col = collect.read_returns(returns, into, experts=["E1", "E2", "E3", "E4"])
    board = collect.board(col)
    status = dict(zip(board["编号"], board["状态"]))
    assert status == {
        "P01": "已交",
        "P02": "未交",
        "G01": "已交",
        "G02": "已交",
        "G03": "有错误",
        "V04": "已交",
        "E1": "已交",
        "E2": "已交",
        "E3": "未交",
        "E4": "未交",
        "office": "已交",
    }
    text = collect.board_text(col)
    assert "部门: 6 个，已交 4，未交 1，有错误 1，重复 0" in text
    assert (
        "  未交: P02 市委组织部" in text and "  有错误: G03 市经济和信息化委员会" in text and "  未交: E3、E4" in text
    )
    assert "待审核：不适用申请 0 项，奖励申报 0 项" in text  # G03's error: nothing is planned, nothing written yet
    english = collect.board_text(col, lang="en")
    assert "department: 6, returned 4, missing 1, has errors 1, duplicate 0" in english


def test_the_board_counts_what_awaits_the_desk(case):
    from wfscore.review.decisions import decide

    into, returns = case
    col = collect.read_returns(returns, into)
    claims = len([r for r in table(SAMPLE / "achievements.csv") if r["dept_id"] in SMALL_IDS])
    assert claims > 0
    assert f"待审核：不适用申请 5 项，奖励申报 {claims} 项" in collect.board_text(col)
    write_year(col)
    decide(into, "exemptions.csv", 2, "confirmed", "false", reviewer="王审核")
    assert "待审核：不适用申请 4 项" in collect.board_text(collect.read_returns(returns, into), decided_of(into))


# -- LibreOffice, a client nobody here wrote ------------------------------------------------


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def test_forms_saved_again_by_libreoffice_collect_the_same(case, tmp_path):
    exe = soffice()
    need(exe is not None, "LibreOffice (soffice; apt-get install libreoffice-calc)")
    into, returns = case
    expected = collect.plan_year(collect.read_returns(returns, into)).texts
    saved = tmp_path / "saved"
    profile = tmp_path / "lo-profile"
    files = sorted(str(p) for p in returns.glob("*.xlsx"))
    done = subprocess.run(
        [
            exe,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--calc",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(saved),
            *files,
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in saved.glob("*.xlsx")) == sorted(Path(f).name for f in files)
    col = collect.read_returns(saved, into)
    assert col.problems == []
    got = collect.plan_year(col).texts
    assert got.keys() == expected.keys()
    for name in got:  # the same figures (LibreOffice may write 89.8 as 89.8 or as a float of it)
        assert table_text(got[name]) == table_text(expected[name]), name


def table_text(text: str) -> list[tuple]:
    out = []
    for row in csv.reader(text.splitlines()):
        out.append(tuple(_num(c) for c in row))
    return out


def _num(cell: str):
    try:
        return float(cell)
    except ValueError:
        return cell


def test_the_year_folder_inside_the_returns_folder_is_refused(case):
    into, returns = case
    inside = returns / "2011"
    shutil.copytree(into, inside)
    before = digest(returns)
    with pytest.raises(InputError) as exc:
        collect.read_returns(returns, inside)
    assert [str(p) for p in exc.value.problems] == [
        f"{inside}: is inside the returns folder {returns} (expected the year's folder elsewhere: nothing in the "
        "returns folder is ever written to)"
    ]
    assert digest(returns) == before


def test_the_tiny_scheme_with_every_default_source_collects_into_a_valid_year(tmp_path):
    from helpers import TINY
    from wfscore.inputs.loading import validate

    into = tmp_path / "tiny"
    into.mkdir()
    for name in ("scheme.yaml", "departments.csv", "incidents.csv"):
        shutil.copy(TINY / name, into)
    out = tmp_path / "forms"
    experts = sorted({r["expert"] for r in table(TINY / "ratings.csv")})
    forms.write_forms(into, out, experts)
    fill(out, TINY)
    col = collect.read_returns(out, into)
    assert col.problems == []
    write_year(col)
    assert [p for p in validate(into) if p.is_error] == []
    # without a unit every index indicator is the experts': their ratings came back whole
    want = {
        (r["dept_id"], r["indicator"], r["expert"]): float(r["rating"])
        for r in table(TINY / "ratings.csv")
        if r["dept_id"] not in ("D1", "D2") or r["indicator"] not in ("i3", "i4")
    }
    got = {(r["dept_id"], r["indicator"], r["expert"]): float(r["rating"]) for r in table(into / "ratings.csv")}
    assert got == want
    gov = {r["dept_id"] for r in table(TINY / "departments.csv") if r["kind"] == "gov"}
    assert {r["dept_id"]: float(r["score"]) for r in table(into / "website_eval.csv")} == {
        r["dept_id"]: float(r["score"]) for r in table(TINY / "website_eval.csv") if r["dept_id"] in gov
    }


def test_english_forms_collect_too(blank, tmp_path):
    year, _ = blank
    into = tmp_path / "2011"
    shutil.copytree(year, into)
    out = tmp_path / "en"
    names = forms.write_forms(into, out, ["E1"], lang="en")
    path = out / names.departments["G03"]
    wb = load_workbook(path)
    row = next(c.row for c in wb["Indicators"]["A"] if str(c.value) == "12")
    wb["Indicators"][f"D{row}"].value = "77%"
    wb["Indicators"][f"F{row + 1}"].value = "yes"
    wb["Indicators"][f"G{row + 1}"].value = "no PCs of our own"
    wb["Achievements"]["A2"].value = "24 省级表彰奖励、示范试点、现场会"
    wb["Achievements"]["B2"].value = "Provincial award"
    wb.save(path)
    wb = load_workbook(out / names.office)
    for r in range(2, 5):
        wb["Website evaluation"][f"D{r}"].value = 80
    wb.save(out / names.office)
    (out / names.experts["E1"]).unlink()
    col = collect.read_returns(out, into)
    assert col.problems == []
    write_year(col)
    assert ("G03", "12", "77") in [(r["dept_id"], r["indicator"], r["value"]) for r in table(into / "values.csv")]
    assert table(into / "exemptions.csv") == [
        {"dept_id": "G03", "indicator": "13", "reason": "no PCs of our own", "confirmed": "false"}
    ]
    assert table(into / "achievements.csv") == [
        {"dept_id": "G03", "indicator": "24", "title": "Provincial award", "confirmed": "false"}
    ]
    assert not (into / "ratings.csv").exists()  # no expert has returned: ratings.csv is not made


# -- numbers read by the year's tables' own rules (wfscore/inputs/numbers.py) ---------------

LOOK_ALIKES = [
    ("85¹", "'¹' (U+00B9) is not one of the digits 0–9"),
    ("⑧", "'⑧' (U+2467) is not one of the digits 0–9"),
    ("㊿", "'㊿' (U+32BF) is not one of the digits 0–9"),
    ("١٢٣", "'١' (U+0661) is not one of the digits 0–9"),
    ("1_000", "it has an underscore between its digits"),
    ("8 5", "it has a space between its digits"),
    ("1e-999999999", "it is too close to 0 to be read (it would read as 0)"),
]


@pytest.mark.parametrize("cell, reason", LOOK_ALIKES)
def test_a_figure_with_look_alike_digits_is_refused_as_the_loader_refuses_it(cell, reason):
    text, message, zh = collect.parse_number(cell, collect.NON_NEGATIVE)
    assert text is None
    assert message == f"is not a number: {reason} (expected a non-negative number, written like 85 or 85.5)"
    assert zh.startswith("不是数字：") and zh.endswith("（应为不小于 0 的数字，写法如 85 或 85.5）") and "is" not in zh


@pytest.mark.parametrize("cell", ["inf", "1e999"])
def test_a_figure_too_large_to_read_is_not_finite(cell):
    assert collect.parse_number(cell, collect.NON_NEGATIVE) == (
        None,
        "is not finite (expected a non-negative number)",
        "不是有限的数字（应为不小于 0 的数字）",
    )


@pytest.mark.parametrize(
    "cell, written",
    [
        ("-0", "0"),
        (-0.0, "0"),
        ("－０", "0"),
        ("85 %", "85"),
        ("８５，０００", "85000"),
        ("1,000.5", "1000.5"),
        ("８５．５", "85.5"),
        (" 1.2 ", "1.2"),
    ],
)
def test_what_the_forms_accept_beyond_the_tables(cell, written):
    assert collect.parse_number(cell, collect.Expect("a percentage", "百分比", None, True)) == (written, None, None)


def test_look_alike_digits_in_returned_forms_are_errors_naming_the_cell(case):
    into, returns = case
    r12, r13 = row_of(returns / G03, "12"), row_of(returns / G03, "13")
    edit(returns / G03, "指标", f"D{r12}", "85¹")
    edit(returns / G03, "指标", f"D{r13}", "-0")
    c = col_of(returns / "专家评分表_E1.xlsx", "评分", "1")
    edit(returns / "专家评分表_E1.xlsx", "评分", f"{c}2", "㊿")
    assert problems_of(returns, into) == sorted(
        [
            f"自查表_G03_市经济和信息化委员会.xlsx, sheet 指标, cell D{r12}: '85¹' is not a number: '¹' (U+00B9) is "
            "not "
            "one of the digits 0–9 (expected a non-negative number, written like 85 or 85.5)",
            f"专家评分表_E1.xlsx, sheet 评分, cell {c}2: '㊿' is not a number: '㊿' (U+32BF) is not one of the digits "
            "0–9 "
            "(expected a rating from 0 to 100, written like 85 or 85.5)",
        ]
    )
    edit(returns / G03, "指标", f"D{r12}", "８５")
    edit(returns / "专家评分表_E1.xlsx", "评分", f"{c}2", "５０")
    col = collect.read_returns(returns, into)
    assert col.problems == []
    write_year(col)
    values = {(r["dept_id"], r["indicator"]): r["value"] for r in table(into / "values.csv")}
    assert values["G03", "12"] == "85" and values["G03", "13"] == "0"  # -0 written as 0


# -- collecting never loses a decision or a row ---------------------------------------------


def values_of(into: Path) -> dict[tuple, str]:
    return {(r["dept_id"], r["indicator"]): r["value"] for r in table(into / "values.csv")}


def test_a_recollect_keeps_a_value_an_upheld_dispute_corrected(case):
    from wfscore.review import disputes

    into, returns = case
    write_year(collect.read_returns(returns, into))
    old = values_of(into)[("G03", "12")]
    disputes.open_dispute(into, "G03", "value", indicator="12", claim="网上办理率填错", evidence="附件")
    saved, _ = disputes.uphold(into, 1, corrected="95", reply="核实后更正", reviewer="张三")
    assert values_of(into)[("G03", "12")] == "95" != old
    outcome = write_year(collect.read_returns(returns, into))
    assert values_of(into)[("G03", "12")] == "95"  # the return still says the old figure
    line = next(
        n for n, r in enumerate(table(into / "values.csv"), start=2) if (r["dept_id"], r["indicator"]) == ("G03", "12")
    )
    assert outcome.kept == [
        f"values.csv line {line}: G03 12 (decided: decision {saved.entry['id']}) kept as 95; the return says "
        f"{old}, which the desk should look at"
    ]
    assert disputes.read_register(into).iloc[0]["state"] == "upheld"


def test_collecting_one_return_keeps_every_other_departments_rows(case, tmp_path):
    into, returns = case
    write_year(collect.read_returns(returns, into))
    before = {f: (into / f).read_bytes() for f in collect.OUTPUTS}
    full = values_of(into)
    one = tmp_path / "one"
    one.mkdir()
    shutil.copy(returns / G03, one)
    edit(one / G03, "指标", f"D{row_of(one / G03, '12')}", 77)
    outcome = write_year(collect.read_returns(one, into))
    assert values_of(into) == {**full, ("G03", "12"): "77"}  # G03's figure updated, nobody's row lost
    assert outcome.written == ["values.csv"]
    # the values.csv replaced is kept as a version, which `wfscore restore` brings back
    from wfscore.review.decisions import history, restore

    log = history(into)
    entry = log.iloc[-1]
    assert (entry["action"], entry["file"]) == ("collect", "values.csv") and entry["version"]
    assert (into / ".history" / entry["version"]).read_bytes() == before["values.csv"]
    restore(into, entry["version"], reviewer="张三")
    assert (into / "values.csv").read_bytes() == before["values.csv"]


def test_a_figure_withdrawn_is_kept_unless_replace_is_asked(case):
    into, returns = case
    write_year(collect.read_returns(returns, into))
    full = values_of(into)
    edit(returns / G03, "指标", f"D{row_of(returns / G03, '12')}", None)
    outcome = write_year(collect.read_returns(returns, into))
    assert values_of(into) == full
    assert any(
        n.startswith("values.csv line ") and "G03 12 is no longer in the return; kept" in n for n in outcome.notes
    )
    outcome = write_year(collect.read_returns(returns, into), replace=True)
    assert values_of(into) == {k: v for k, v in full.items() if k != ("G03", "12")}
    assert any("G03 12 is no longer in the return; removed" in n for n in outcome.notes)


# -- hostile and broken returns: bounded, and each a problem naming its file -----------------


import hostilezip  # noqa: E402


def office_summary(path: Path, rows: int = 3) -> None:
    """A small summary sheet of the office's: department and indicator 12."""
    wb = Workbook()
    ws = wb.active
    ws.append(["部门编号", "12"])
    for n, d in enumerate(SMALL_IDS[:rows]):
        ws.append([d, 80 + n])
    wb.save(path)


def errors_of(col) -> dict[str, list[str]]:
    by: dict[str, list[str]] = {}
    for p in col.errors:
        by.setdefault(p.source.split(",")[0], []).append(p.message)
    return by


def the_rest_is_read(col, *broken: str) -> None:
    """Every other return is read and used, and the board shows them."""
    used = {r.file for r in col.used()}
    assert {r.file for r in col.returns} - used == set(broken)
    status = dict(zip(collect.board(col)["编号"], collect.board(col)["状态"]))
    assert {status[d] for d in SMALL_IDS if d != "G03" or G03 not in broken} == {"已交"} and status["office"] == "已交"
    if G03 in broken:
        assert status["G03"] == "有错误"


def test_a_declared_dimension_of_the_whole_sheet_is_not_read_as_cells(case):
    """A 10 KB sheet declaring A1:XFD1048576 with one cell at its end: openpyxl would pad
    every row to 16,384 cells (over a gigabyte); the rows it really holds are read, and the
    cell far below the year's rows is refused."""
    into, returns = case
    path = returns / "汇总.xlsx"
    office_summary(path)
    member = hostilezip.sheet_of(path, "Sheet")
    xml = hostilezip.members(path)[member].decode()
    xml = re_sub(r'<dimension ref="[^"]+"\s*/>', '<dimension ref="A1:XFD1048576"/>', xml)
    xml = xml.replace("</sheetData>", '<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row></sheetData>')
    hostilezip.replace(path, member, xml.encode())
    col = collect.read_returns(returns, into)
    assert errors_of(col) == {
        "汇总.xlsx": [
            f"has something on row {10 * col.ctx.max_rows + 1:,} (expected at most "
            f"{col.ctx.max_rows:,} rows: one per department and indicator, and a few more)"
        ]
    }
    the_rest_is_read(col, "汇总.xlsx")


def re_sub(pattern: str, repl: str, text: str) -> str:
    import re

    new = re.sub(pattern, repl, text)
    assert new != text
    return new


def test_a_million_row_sheet_stops_at_the_years_rows(case):
    """A sheet of a million filled rows (about 5 MB zipped as Excel would): refused at the
    first row past the year's, not read to its end."""
    into, returns = case
    path = returns / "汇总.xlsx"
    office_summary(path)
    member = hostilezip.sheet_of(path, "Sheet")
    xml = hostilezip.members(path)[member].decode()
    body = "".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>G01</t></is></c><c r="B{n}"><v>1</v></c></row>'
        for n in range(5, 1_000_001)
    )
    hostilezip.replace(path, member, xml.replace("</sheetData>", body + "</sheetData>").encode())
    col = collect.read_returns(returns, into)
    assert errors_of(col) == {
        "汇总.xlsx": [
            f"has something on row {col.ctx.max_rows + 1:,} (expected at most "
            f"{col.ctx.max_rows:,} rows: one per department and indicator, and a few more)"
        ]
    }
    the_rest_is_read(col, "汇总.xlsx")


def test_a_very_wide_row_is_refused(case):
    into, returns = case
    path = returns / "汇总.xlsx"
    office_summary(path)
    member = hostilezip.sheet_of(path, "Sheet")
    xml = hostilezip.members(path)[member].decode()
    hostilezip.replace(
        path, member, xml.replace("</sheetData>", '<row r="5"><c r="XFD5"><v>1</v></c></row></sheetData>').encode()
    )
    col = collect.read_returns(returns, into)
    last = collect._letter(col.ctx.max_cols)
    assert errors_of(col) == {
        "汇总.xlsx": [
            f"has something beyond column {last} (expected at most {col.ctx.max_cols} "
            "columns: one per indicator, and a few more)"
        ]
    }


def test_a_zip_bomb_is_refused_while_it_unzips(case):
    """200 MB of zeros in a 200 KB part: refused by the declared size; and declaring 1 KB
    does not get it read either (unzipped, it does not match its checksum)."""
    from wfscore.inputs.files import MAX_UNZIPPED

    into, returns = case
    honest, lying = returns / "炸弹.xlsx", returns / "炸弹2.xlsx"
    shutil.copy(returns / G03, honest)
    hostilezip.bomb(honest, 200 * 2**20)
    assert honest.stat().st_size < 2**20
    shutil.copy(honest, lying)
    hostilezip.patch_headers(lying, "xl/media/image1.bin", size=1024)
    col = collect.read_returns(returns, into)
    got = errors_of(col)
    assert got["炸弹.xlsx"] == [
        f"unzips to {200 * 2**20 + sum(len(v) for v in hostilezip.members(returns / G03).values()):,}"
        f" bytes (expected a workbook of at most {MAX_UNZIPPED:,} bytes unzipped)"
    ]
    assert got["炸弹2.xlsx"][0].startswith("has a damaged part 'xl/media/image1.bin' (")
    # neither voids G03's own return (they are refused before their identity is read)
    the_rest_is_read(col, "炸弹.xlsx", "炸弹2.xlsx")


@pytest.mark.parametrize(
    "how, expected",
    [
        (
            "encrypted",
            "has an encrypted part 'xl/workbook.xml' (expected a workbook whose parts are not encrypted: save it "
            "again without a password, as Excel workbook .xlsx)",
        ),
        (
            "deflate64",
            "has a part 'xl/workbook.xml' compressed by method 9, which is not read (expected a workbook saved by "
            "Excel, WPS or LibreOffice: open it and save it again as Excel workbook .xlsx)",
        ),
        ("corrupt", "has a damaged part 'xl/workbook.xml' ("),
        (
            "ole",
            "is not an .xlsx workbook but an older compound file: a workbook with a password to open it, or an .xls "
            "workbook renamed (expected an .xlsx workbook without an opening password: in Excel, WPS or LibreOffice "
            "remove the password and save it as Excel workbook .xlsx)",
        ),
        # the XML parser's complaint is quoted: ParseError from the standard library's parser,
        # XMLSyntaxError where openpyxl finds lxml installed
        ("broken workbook xml", "cannot be opened as an Excel workbook ("),
        ("broken sheet xml", "could not be read ("),
    ],
)
def test_a_broken_workbook_is_a_problem_naming_it_and_the_rest_is_read(case, how, expected):
    into, returns = case
    path = returns / G03
    if how == "encrypted":
        hostilezip.patch_headers(path, "xl/workbook.xml", flags=0x1)
    elif how == "deflate64":
        hostilezip.patch_headers(path, "xl/workbook.xml", method=9)
    elif how == "corrupt":
        hostilezip.corrupt_data(path, "xl/workbook.xml")
    elif how == "ole":
        path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096))
    elif how == "broken workbook xml":
        hostilezip.replace(path, "xl/workbook.xml", hostilezip.members(path)["xl/workbook.xml"][:200])
    else:
        member = hostilezip.sheet_of(path, "指标")
        hostilezip.replace(path, member, hostilezip.members(path)[member][:-300])
    col = collect.read_returns(returns, into)
    assert len(col.errors) == 1 and col.errors[0].message.startswith(expected), col.errors
    if how.startswith("broken"):
        assert col.errors[0].message[len(expected) :].startswith(("ParseError: ", "XMLSyntaxError: ")), col.errors
    assert col.errors[0].source == (f"{G03}, sheet 指标" if how == "broken sheet xml" else G03)
    assert "Traceback" not in col.errors[0].text("zh") and col.errors[0].message_zh or col.errors[0].text("zh")
    the_rest_is_read(col, G03)


@pytest.mark.parametrize(
    "suffix, what",
    [
        (".xls", "an Excel 97-2003 workbook (.xls)"),
        (".ods", "an OpenDocument spreadsheet (.ods)"),
        (".csv", "a CSV text (.csv)"),
        (".numbers", "a Numbers spreadsheet (.numbers)"),
        (".et", "a WPS spreadsheet (.et)"),
    ],
)
def test_a_return_of_another_format_says_how_to_save_it_as_xlsx(case, suffix, what):
    into, returns = case
    (returns / G03).rename(returns / G03.replace(".xlsx", suffix))
    col = collect.read_returns(returns, into)
    name = G03.replace(".xlsx", suffix)
    assert [str(p) for p in col.errors] == [
        f"{name}: is {what}, which wfscore does not read (expected an .xlsx workbook: open it in Excel, WPS or "
        "LibreOffice and save it as Excel workbook .xlsx, 另存为 Excel 工作簿 .xlsx)"
    ]
    assert (
        "wfscore 不能读取（应为 .xlsx 工作簿：请用 Excel、WPS 或 LibreOffice 打开，另存为“Excel 工作簿（.xlsx）”）"
        in col.errors[0].text("zh")
    )
    # the board shows the department its file name names as having a return with errors, not as missing
    board = collect.board(col)
    assert dict(zip(board["编号"], board["状态"]))["G03"] == "有错误"
    assert dict(zip(board["编号"], board["文件"]))["G03"] == name


def test_a_formula_without_a_saved_value_and_merged_input_cells_are_named(case):
    into, returns = case
    row = row_of(returns / G03, "12")
    wb = load_workbook(returns / G03)
    wb["指标"][f"D{row}"].value = "=80+5"  # openpyxl saves the formula, never its value
    wb["指标"].merge_cells(f"F{row + 1}:G{row + 1}")
    wb.save(returns / G03)
    office_summary(returns / "汇总.xlsx")
    wb = load_workbook(returns / "汇总.xlsx")
    wb.active.merge_cells("B3:B4")
    wb.save(returns / "汇总.xlsx")
    got = sorted(
        str(p) for p in collect.read_returns(returns, into).problems if "merged" in p.message or "formula" in p.message
    )
    assert got == sorted(
        [
            f"{G03}, sheet 指标, cell D{row}: holds a formula whose value was never saved (expected a number or text: "
            "type the "
            "value, or open the workbook in Excel, WPS or LibreOffice and save it, which computes it)",
            f"{G03}, sheet 指标, cell F{row + 1}: is merged with the cells up to G{row + 1} (F{row + 1}:G{row + 1}); "
            "only its "
            "own value is read (expected cells that are not merged: unmerge them and give each cell its value)",
            "汇总.xlsx, sheet Sheet, cell B3: is merged with the cells up to B4 (B3:B4); only its own value is read "
            "(expected "
            "cells that are not merged: unmerge them and give each cell its value)",
        ]
    )
    ret = next(r for r in collect.read_returns(returns, into).returns if r.file == "汇总.xlsx")
    assert not ret.errors and [p.severity for p in ret.problems] == ["warning"]


def test_reading_past_the_time_bound_is_refused(case, monkeypatch):
    into, returns = case
    monkeypatch.setattr(collect, "MAX_SECONDS", -1.0)
    col = collect.read_returns(returns, into)
    assert {str(p) for p in col.errors} >= {
        f"{G03}: took more than -1 seconds to read (expected a return of the year's size)"
    }


# -- signed returns ------------------------------------------------------------------------


def test_a_form_relabelled_for_another_department_is_refused_and_voids_nothing(case):
    """P01's form relabelled (its hidden identity edited) as G03's: refused as not matching
    its signature; G03's own return is read and used, not made a duplicate."""
    into, returns = case
    forged = returns / "自查表_G03_补报.xlsx"
    shutil.copy(returns / "自查表_P01_市委办公室.xlsx", forged)
    set_identity(forged, "dept_id", "G03")
    col = collect.read_returns(returns, into)
    assert [str(p) for p in col.errors] == [
        "自查表_G03_补报.xlsx: does not match its signature: its hidden identity was edited (relabelled for another "
        "department, expert, year or scheme), or it was made with another key than this year's (expected a form as "
        "wfscore forms made it for this year: ask for the form as it was sent)"
    ]
    g03 = next(r for r in col.returns if r.file == G03)
    assert g03.used and not g03.duplicate_of
    board = collect.board(col)
    departments = board[board["对象"] == "部门"]
    status = dict(zip(departments["编号"], departments["状态"]))
    assert status["G03"] == "已交" and status["P01"] == "已交"
    assert "无法识别: 自查表_G03_补报.xlsx (有错误)" in collect.board_text(col)


@pytest.mark.parametrize(
    "field, value", [("year", "2012"), ("scheme", "0123456789abcdef"), ("expert", "E9"), ("indicators", "12")]
)
def test_any_relabelling_of_the_identity_is_refused(case, field, value):
    into, returns = case
    name = "专家评分表_E1.xlsx" if field == "expert" else G03
    set_identity(returns / name, field, value)
    col = collect.read_returns(returns, into)
    assert [p.source for p in col.errors] == [name]
    assert col.errors[0].message.startswith("does not match its signature")
    assert "与签名不符" in col.errors[0].text("zh")


def test_a_form_made_with_another_years_key_is_refused(case, tmp_path):
    into, returns = case
    other = tmp_path / "other"
    shutil.copytree(into, other)
    (other / ".wfscore-forms-key").unlink()
    forms.write_forms(other, tmp_path / "other-forms", EXPERTS)
    shutil.copy(tmp_path / "other-forms" / G03, returns / G03)
    col = collect.read_returns(returns, into)
    assert [p.source for p in col.errors] == [G03]
    assert col.errors[0].message.startswith("does not match its signature")


def test_a_form_without_a_signature_is_refused(case):
    """Forms made before wfscore signed them (or with the signature removed) are refused:
    accepting them would let anyone remove it."""
    into, returns = case
    wb = load_workbook(returns / G03)
    ws = wb[forms.IDENTITY]
    for row in ws.iter_rows():
        if row[0].value == "signature":
            ws.delete_rows(row[0].row)
    sync_properties(wb)
    wb.save(returns / G03)
    col = collect.read_returns(returns, into)
    assert [str(p) for p in col.errors] == [
        f"{G03}: carries no signature (it was made before wfscore signed its forms, or its hidden identity was edited; "
        "expected a form made by this year's wfscore forms: make the forms again and send them out)"
    ]


def test_without_the_key_each_form_says_where_it_is_expected(case):
    into, returns = case
    (into / ".wfscore-forms-key").unlink()
    col = collect.read_returns(returns, into)
    key = into / ".wfscore-forms-key"
    assert {p.source for p in col.errors} == {p.name for p in returns.glob("*.xlsx")}
    assert {p.message for p in col.errors} == {
        f"cannot be checked: the office's forms key {key} is missing (expected the key wfscore forms made in the "
        "year's folder when it wrote the forms: collect into that folder, or copy its .wfscore-forms-key there)"
    }
    assert f"考核办的表格密钥 {key} 不存在" in col.errors[0].text("zh")
    (into / ".wfscore-forms-key").write_text("not a key\n")
    col = collect.read_returns(returns, into)
    assert str(col.errors[0]) == (
        f"{key}: is not a wfscore forms key (expected 64 hexadecimal digits, as wfscore forms "
        "wrote it: put the key back as it was)"
    )
