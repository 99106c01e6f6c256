"""Importing a system's export (wfscore.inputs.monitoring.exports): the mapping, matching
departments, idempotent re-import, and hostile exports (wrong columns, 1,000,000 rows,
formula cells, a name matching two departments), each refused naming file, line, column
and value, with nothing written."""

from __future__ import annotations

import numpy as np
import openpyxl
import pandas as pd
import pytest

from wfscore.inputs.loading import load_year
from wfscore.inputs.monitoring import exports
from wfscore.inputs.monitoring.departments import read_departments
from wfscore.inputs.monitoring.exports import import_export, mapping_problem, parse_columns

PLATFORM = {"dept": "部门", "date": "日期", "logins": "登录次数"}
APPROVAL = {"dept": "单位", "date": "日期", "online": "网上办理", "total": "办件总数"}


@pytest.fixture
def year(sample):
    return sample, read_departments(sample)[1]


def _csv(path, rows, header=("部门", "日期", "登录次数"), encoding="utf-8"):
    pd.DataFrame(rows, columns=list(header)).to_csv(path, index=False, encoding=encoding)
    return path


def test_an_export_is_imported_by_name_or_id_and_read_as_the_year_figures(year, tmp_path):
    folder, depts = year
    export = _csv(
        tmp_path / "登录.csv",
        [["市委办公室", "2011-03-01", 12], ["P02", "2011/3/1", "7"], [" 市委 办公室 ", "20110302", "３"]],
        encoding="gb18030",
    )
    done, problems = import_export(folder, export, "platform", PLATFORM, depts)
    assert problems == [] and (done.added, done.skipped) == (3, 0)
    written = pd.read_csv(folder / "monitoring" / "platform.csv", dtype=str, encoding="utf-8-sig")
    assert list(written.columns) == ["dept_id", "date", "logins", "file", "line"]
    assert written.values.tolist() == [
        ["P01", "2011-03-01", "12", "登录.csv", "2"],
        ["P02", "2011-03-01", "7", "登录.csv", "3"],
        ["P01", "2011-03-02", "3", "登录.csv", "4"],
    ]


def test_importing_the_same_export_twice_adds_nothing(year, tmp_path):
    folder, depts = year
    export = _csv(tmp_path / "e.csv", [["P01", "2011-03-01", 12], ["P02", "2011-03-01", 7]])
    import_export(folder, export, "platform", PLATFORM, depts)
    before = (folder / "monitoring" / "platform.csv").read_bytes()
    done, problems = import_export(folder, export, "platform", PLATFORM, depts)
    assert problems == [] and (done.added, done.skipped) == (0, 2)
    assert (folder / "monitoring" / "platform.csv").read_bytes() == before
    more = _csv(tmp_path / "f.csv", [["P01", "2011-03-01", 12], ["P03", "2011-03-01", 1]])
    done, _ = import_export(folder, more, "platform", PLATFORM, depts)
    assert (done.added, done.skipped) == (1, 1)


def test_other_counts_for_a_day_already_imported_are_refused(year, tmp_path):
    folder, depts = year
    import_export(folder, _csv(tmp_path / "e.csv", [["P01", "2011-03-01", 12]]), "platform", PLATFORM, depts)
    before = (folder / "monitoring" / "platform.csv").read_bytes()
    done, problems = import_export(
        folder, _csv(tmp_path / "g.csv", [["P01", "2011-03-01", 13]]), "platform", PLATFORM, depts
    )
    assert done is None and [str(p) for p in problems] == [
        "g.csv line 2: gives other counts for P01 on 2011-03-01 than monitoring/platform.csv holds (12) (expected "
        "the same figures; to replace a day, delete its row from monitoring/platform.csv first)"
    ]
    assert (folder / "monitoring" / "platform.csv").read_bytes() == before


def test_a_workbook_export_is_read(year, tmp_path):
    import datetime as dt

    folder, depts = year
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["单位", "日期", "网上办理", "办件总数"])
    ws.append(["市委办公室", dt.datetime(2011, 5, 3), 8, 10])
    ws.append(["P02", "2011-05-03", 0, 0])
    wb.save(tmp_path / "审批.xlsx")
    done, problems = import_export(folder, tmp_path / "审批.xlsx", "approval", APPROVAL, depts)
    assert problems == [] and done.added == 2
    data = load_year(folder)
    assert data.monitoring.value["online_rate"][0] == 80.0 and np.isnan(data.monitoring.value["online_rate"][1])


def test_wrong_columns_are_refused_naming_the_header(year, tmp_path):
    folder, depts = year
    export = _csv(tmp_path / "e.csv", [["P01", "2011-03-01", 12]], header=("单位名称", "日期", "次数"))
    done, problems = import_export(folder, export, "platform", PLATFORM, depts)
    assert done is None and [str(p) for p in problems] == [
        "e.csv line 1: lacks the column '部门' (dept) (expected the columns the mapping names; the export's header "
        "is '单位名称', '日期', '次数')",
        "e.csv line 1: lacks the column '登录次数' (logins) (expected the columns the mapping names; the export's "
        "header is '单位名称', '日期', '次数')",
    ]
    assert "缺少列" in problems[0].text("zh")
    assert not (folder / "monitoring").exists()


def test_a_name_that_matches_two_departments_or_none_is_refused_with_the_nearest(year, tmp_path):
    folder, depts = year
    depts = depts.copy()
    depts.loc[2, "name"] = depts.loc[1, "name"]  # two departments of one name
    export = _csv(
        tmp_path / "e.csv",
        [[depts.loc[1, "name"], "2011-03-01", 1], ["市委办公厅", "2011-03-01", 1], ["xyz", "2011-03-01", 1]],
    )
    done, problems = import_export(folder, export, "platform", PLATFORM, depts)
    assert done is None and [str(p) for p in problems] == [
        "e.csv line 2, column 部门: '市委组织部' matches more than one department (P02 市委组织部; P03 市委组织部) "
        "(expected the dept_id of one)",
        "e.csv line 3, column 部门: '市委办公厅' is no department's id or name (the nearest: 市委办公室, 市政协办公厅, "
        "市人大常委会办公厅)",
        "e.csv line 4, column 部门: 'xyz' is no department's id or name (expected a dept_id or name of "
        "departments.csv)",
    ]
    zh = [p.text("zh") for p in problems]
    assert "对应不止一个部门" in zh[0] and "最接近的：市委办公室" in zh[1]


def test_formula_cells_are_refused_or_stay_inert(year, tmp_path):
    folder, depts = year
    export = _csv(
        tmp_path / "e.csv",
        [['=HYPERLINK("http://x")', "2011-03-01", 1], ["P01", "2011-03-01", "=1+1"], ["P02", "@SUM(A1)", "2"]],
    )
    done, problems = import_export(folder, export, "platform", PLATFORM, depts)
    assert done is None and [(p.line, p.column, p.value) for p in problems] == [
        (2, "部门", '=HYPERLINK("http://x")'),
        (4, "日期", "@SUM(A1)"),
        (3, "登录次数", "=1+1"),
    ]
    assert problems[2].message == "is not a count (expected a non-negative number)"
    # an export named like a formula is written inert
    done, problems = import_export(
        folder, _csv(tmp_path / "=cmd.csv", [["P01", "2011-03-01", 1]]), "platform", PLATFORM, depts
    )
    assert problems == []
    written = pd.read_csv(folder / "monitoring" / "platform.csv", dtype=str, encoding="utf-8-sig")
    assert list(written["file"]) == ["'=cmd.csv"]


def test_a_million_rows_are_refused_without_reading_them(year, tmp_path):
    folder, depts = year
    path = tmp_path / "big.csv"
    with open(path, "w", encoding="utf-8") as f:
        f.write("部门,日期,登录次数\n")
        f.write("P01,2011-03-01,1\n" * 1_000_000)
    done, problems = import_export(folder, path, "platform", PLATFORM, depts)
    assert done is None and [str(p) for p in problems] == [
        f"big.csv line {exports.MAX_ROWS + 2}: has more than {exports.MAX_ROWS:,} rows (expected one export of a "
        "year at most)"
    ]
    assert "超过" in problems[0].text("zh")
    assert not (folder / "monitoring").exists()


def test_a_workbook_of_too_many_rows_is_refused(year, tmp_path, monkeypatch):
    folder, depts = year
    monkeypatch.setattr(exports, "MAX_ROWS", 5)
    wb = openpyxl.Workbook()
    for n in range(10):
        wb.active.append(["P01", f"2011-03-{n + 1:02d}", n])
    wb.save(tmp_path / "e.xlsx")
    done, problems = import_export(folder, tmp_path / "e.xlsx", "platform", PLATFORM, depts)
    assert done is None and [str(p) for p in problems] == [
        "e.xlsx row 7: has more than 5 rows (expected one export of a year at most)"
    ]


def test_errors_are_capped(year, tmp_path, monkeypatch):
    folder, depts = year
    monkeypatch.setattr(exports, "MAX_ERRORS", 3)
    export = _csv(tmp_path / "e.csv", [["nobody", "2011-03-01", 1]] * 10)
    _, problems = import_export(folder, export, "platform", PLATFORM, depts)
    assert len(problems) == 4 and str(problems[-1]) == (
        "e.csv: has 7 more errors like these (expected an export of the mapped columns)"
    )


def test_a_repeated_day_in_one_export_is_refused(year, tmp_path):
    folder, depts = year
    export = _csv(tmp_path / "e.csv", [["P01", "2011-03-01", 1], ["市委办公室", "2011-03-01", 2]])
    _, problems = import_export(folder, export, "platform", PLATFORM, depts)
    assert [str(p) for p in problems] == [
        "e.csv line 3, column 部门: '市委办公室' has a second row for P01 on 2011-03-01 (also on line 2; expected one "
        "row per department and day)"
    ]


def test_the_columns_flag_and_what_a_mapping_lacks():
    assert parse_columns("dept=部门, date=日期,logins=登录次数") == PLATFORM
    with pytest.raises(ValueError, match="is not field=column"):
        parse_columns("dept部门")
    with pytest.raises(ValueError, match="named twice"):
        parse_columns("dept=a,dept=b")
    assert mapping_problem("approval", {"dept": "a", "date": "b", "online": "c"}) == (
        "the columns of system approval do not name total (expected dept, date, online, total)"
    )
    assert mapping_problem("network", {"dept": "a", "date": "b"}) == (
        "the columns of system network name no count (expected dept, date and at least one count)"
    )
    assert mapping_problem("platform", PLATFORM) is None


def test_a_hand_edited_system_file_is_compared_not_crashed_on(year, tmp_path):
    folder, depts = year
    import_export(folder, _csv(tmp_path / "e.csv", [["P01", "2011-03-01", 12]]), "platform", PLATFORM, depts)
    target = folder / "monitoring" / "platform.csv"
    target.write_text(target.read_text(encoding="utf-8-sig").replace(",12,", ",abc,"), encoding="utf-8")
    done, problems = import_export(
        folder, _csv(tmp_path / "e.csv", [["P01", "2011-03-01", 12]]), "platform", PLATFORM, depts
    )
    assert done is None and "than monitoring/platform.csv holds (nan)" in str(problems[0])
