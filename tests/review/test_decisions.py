"""Saving decisions (wfscore.review.decisions): one cell changed and every other byte kept, in
the file's own encoding; versions under .history/; decisions.csv only ever appended
to; undo and restore; refusals; ``wfscore history`` and ``wfscore restore``."""

from __future__ import annotations

import codecs
import hashlib
from pathlib import Path

import pandas as pd
import pytest

import wfscore
from helpers import run_cli
from wfscore.review import audit, decisions
from wfscore.review.cell_edit import EditError, cell_text, edit_text
from wfscore.review.decisions import DecisionError, decide, restore, undo_last


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.glob("*.csv") if p.name != "decisions.csv"}


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- one cell, every other byte kept ------------------------------------------


def test_edit_changes_one_record_and_keeps_every_other_byte():
    text = (
        "dept_id,indicator,reason,confirmed\r\n"
        'D4,i3,"无独立网站栏目, 由上级建设",true\r\n'
        "\r\n"
        ' D5 ,i3,"多行\n理由",是\r\n'
        "D6,i2,申请未获确认,false"
    )
    # line 3 is the blank record, line 4 the one with the quoted two-line reason
    new, old, row = edit_text(text, 4, "confirmed", "否")
    assert new == text.replace(",是\r\n", ",否\r\n")
    assert old == "是" and row["dept_id"] == "D5" and row["reason"] == "多行\n理由"
    new, old, _ = edit_text(text, 5, "confirmed", "true")  # the last line, without a line end
    assert new == text[: -len("false")] + "true" and old == "false"


def test_edit_adds_a_missing_confirmed_column_at_the_end():
    text = "dept_id,date,severity,description\nD2,2011-08-11,major,数据泄露\n\nD6,2011/3/5,ordinary,网页被篡改\n"
    new, old, _ = edit_text(text, 4, "confirmed", "false")
    assert new == (
        "dept_id,date,severity,description,confirmed\n"
        "D2,2011-08-11,major,数据泄露,true\n"
        "\n"
        "D6,2011/3/5,ordinary,网页被篡改,false\n"
    )
    assert old == ""


def test_edit_refuses_a_line_that_is_not_a_row():
    text = "dept_id,indicator,title,confirmed\nD1,b1,x,true\n\n"
    for line in (1, 3, 4, 0):
        with pytest.raises(EditError, match=f"line {line} is not a row"):
            edit_text(text, line, "confirmed", "false")


@pytest.mark.parametrize(
    "like, value, expected",
    [
        ("true", False, "false"),
        ("false", True, "true"),
        ("是", False, "否"),
        ("否", True, "是"),
        ("YES", False, "NO"),
        ("no", True, "yes"),
        ("1", False, "0"),
        ("True", False, "False"),
        ("", True, "true"),
    ],
)
def test_a_decision_is_written_in_the_words_the_column_uses(like, value, expected):
    assert cell_text("confirmed", value, like) == expected


def test_severity_words():
    assert cell_text("severity", "major", "ordinary") == "major"
    assert cell_text("severity", "ordinary", "MAJOR") == "ORDINARY"
    with pytest.raises(ValueError):
        cell_text("severity", "minor", "major")


# -- saving -------------------------------------------------------------------


def test_decide_writes_the_file_keeps_a_version_and_appends_the_log(tiny):
    before = snapshot(tiny)
    year = wfscore.load_year(tiny)
    saved = decide(
        tiny,
        "exemptions.csv",
        5,
        "confirmed",
        "true",
        reviewer="张三",
        comment="补充材料已核实",
        expected_sha256=year.files["exemptions.csv"],
    )
    assert (tiny / "exemptions.csv").read_bytes() == before["exemptions.csv"].replace(
        "D6,i2,申请未获确认,false".encode(), "D6,i2,申请未获确认,true".encode()
    )
    version = tiny / ".history" / saved.entry["version"]
    assert version.read_bytes() == before["exemptions.csv"]
    assert saved.entry["version"].endswith("_exemptions.csv")
    assert saved.sha256 == sha(tiny / "exemptions.csv") and saved.changed
    log = decisions.read_log(tiny)
    assert log.drop(columns=["time"]).to_dict("records") == [
        {
            "id": 1,
            "reviewer": "张三",
            "action": "decide",
            "file": "exemptions.csv",
            "row": "5",
            "dept_id": "D6",
            "item": "i2 申请未获确认",
            "field": "confirmed",
            "old_value": "false",
            "new_value": "true",
            "comment": "补充材料已核实",
            "version": saved.entry["version"],
            "ref": 0,
        }
    ]
    raw = (tiny / "decisions.csv").read_bytes()
    assert raw.startswith(codecs.BOM_UTF8 + b"id,time,reviewer,action,file,row,dept_id,item,field,")
    assert {k: v for k, v in snapshot(tiny).items() if k != "exemptions.csv"} == {
        k: v for k, v in before.items() if k != "exemptions.csv"
    }


def test_a_decision_that_changes_no_cell_is_recorded_without_a_version(tiny):
    before = snapshot(tiny)
    saved = decide(tiny, "exemptions.csv", 2, "confirmed", "true", reviewer="张三")
    assert not saved.changed and saved.entry["version"] == ""
    assert snapshot(tiny) == before
    assert not any(p.name.endswith(".csv") for p in (tiny / ".history").iterdir())
    assert decisions.decided_rows(decisions.history(tiny)) == {("exemptions.csv", 2): [1]}


@pytest.mark.parametrize("encoding, bom", [("gb18030", b""), ("utf-8", codecs.BOM_UTF8)])
def test_the_file_keeps_its_encoding(tiny, encoding, bom):
    for name in ("exemptions.csv", "incidents.csv"):
        path = tiny / name
        path.write_bytes(bom + path.read_text(encoding="utf-8").encode(encoding))
    original = {n: (tiny / n).read_bytes() for n in ("exemptions.csv", "incidents.csv")}
    decide(tiny, "exemptions.csv", 5, "confirmed", "true", reviewer="张三")
    decide(tiny, "incidents.csv", 3, "confirmed", "false", reviewer="张三")  # adds the column
    raw = (tiny / "exemptions.csv").read_bytes()
    expected = original["exemptions.csv"].replace(
        "申请未获确认,false".encode(encoding), "申请未获确认,true".encode(encoding)
    )
    assert raw == expected
    assert raw.startswith(bom + b"dept_id") and (raw.startswith(codecs.BOM_UTF8) == bool(bom))
    if encoding == "gb18030":
        with pytest.raises(UnicodeDecodeError):
            raw.decode("utf-8")
    incidents = (tiny / "incidents.csv").read_bytes()
    assert incidents == bom + (
        "dept_id,date,severity,description,confirmed\nD2,2011-08-11,major,数据泄露,true\n"
        "D6,2011/3/5,ordinary,网页被篡改,false\n"
    ).encode(encoding)
    year = wfscore.load_year(tiny)
    assert year.inputs.tables["exemptions"].encoding == ("utf-8-sig" if bom else encoding)
    assert year.incidents.sum() == 1  # D6's incident no longer stands


def test_undo_restores_the_files_byte_for_byte(tiny):
    original = snapshot(tiny)
    decide(tiny, "exemptions.csv", 5, "confirmed", "true", reviewer="张三")
    decide(tiny, "incidents.csv", 2, "severity", "ordinary", reviewer="张三")
    decide(tiny, "exemptions.csv", 2, "confirmed", "false", reviewer="李四")
    decide(tiny, "achievements.csv", 5, "confirmed", "true", reviewer="李四")
    decide(tiny, "incidents.csv", 3, "confirmed", "false", reviewer="李四")
    assert snapshot(tiny) != original
    refs = [undo_last(tiny, reviewer="王五").entry["ref"] for _ in range(5)]
    assert refs == [5, 4, 3, 2, 1]
    assert snapshot(tiny) == original
    with pytest.raises(DecisionError, match="has no decision in force to undo"):
        undo_last(tiny, reviewer="王五")
    assert set(decisions.history(tiny)["status"]) == {"undone", ""}


def test_decisions_csv_is_only_ever_appended_to(tiny):
    steps = [
        lambda: decide(tiny, "exemptions.csv", 5, "confirmed", "true", reviewer="张三", comment='含,逗号与"引号"'),
        lambda: decide(tiny, "incidents.csv", 2, "confirmed", "false", reviewer="张三"),
        lambda: undo_last(tiny, reviewer="张三"),
        lambda: decide(tiny, "achievements.csv", 4, "confirmed", "false", reviewer="李四"),
        lambda: restore(tiny, decisions.read_log(tiny)["version"].iloc[0], reviewer="李四"),
    ]
    previous = b""
    for step in steps:
        step()
        now = (tiny / "decisions.csv").read_bytes()
        assert now.startswith(previous) and len(now) > len(previous)
        previous = now
    log = decisions.read_log(tiny)
    assert list(log["id"]) == [1, 2, 3, 4, 5]
    assert list(log["action"]) == ["decide", "decide", "undo", "decide", "restore"]
    assert log["comment"].iloc[0] == '含,逗号与"引号"'


def test_a_gb18030_log_is_appended_to_in_gb18030(tiny):
    decide(tiny, "exemptions.csv", 5, "confirmed", "true", reviewer="张三")
    log = tiny / "decisions.csv"
    log.write_bytes(log.read_bytes().decode("utf-8-sig").encode("gb18030"))  # saved again by Excel
    before = log.read_bytes()
    decide(tiny, "achievements.csv", 5, "confirmed", "true", reviewer="李四")
    after = log.read_bytes()
    assert after.startswith(before)
    assert "李四".encode("gb18030") in after[len(before) :]
    assert list(decisions.read_log(tiny)["reviewer"]) == ["张三", "李四"]


def test_a_file_changed_on_disk_is_refused(tiny):
    year = wfscore.load_year(tiny)
    path = tiny / "exemptions.csv"
    path.write_bytes(path.read_bytes() + "D7,i3,后来补交的申请,false\n".encode())  # someone else edits
    before = snapshot(tiny)
    with pytest.raises(DecisionError, match="exemptions.csv has changed on disk .* nothing was saved: reload"):
        decide(
            tiny,
            "exemptions.csv",
            5,
            "confirmed",
            "true",
            reviewer="张三",
            expected_sha256=year.files["exemptions.csv"],
        )
    assert snapshot(tiny) == before and not (tiny / "decisions.csv").exists()
    # another file, unchanged, can still be decided
    decide(tiny, "incidents.csv", 2, "confirmed", "true", reviewer="张三", expected_sha256=year.files["incidents.csv"])


def test_a_row_decided_by_another_panel_since_is_refused(tiny):
    decide(tiny, "exemptions.csv", 2, "confirmed", "true", reviewer="张三")  # no byte changes
    with pytest.raises(DecisionError, match="exemptions.csv has decision 1 by 张三"):
        decide(tiny, "exemptions.csv", 2, "confirmed", "false", reviewer="李四", seen=0)
    decide(tiny, "incidents.csv", 2, "confirmed", "true", reviewer="李四", seen=0)  # another file: fine
    with pytest.raises(DecisionError, match="has decision 2 by 李四"):
        undo_last(tiny, reviewer="张三", seen=1)


def test_a_decision_needs_a_reviewer_and_an_editable_field(tiny):
    with pytest.raises(DecisionError, match="needs the reviewer's name"):
        decide(tiny, "exemptions.csv", 5, "confirmed", "true", reviewer=" ")
    with pytest.raises(DecisionError, match="does not change 'reason' of exemptions.csv"):
        decide(tiny, "exemptions.csv", 5, "reason", "x", reviewer="张三")
    with pytest.raises(DecisionError, match="'maybe' is not a valid confirmed"):
        decide(tiny, "exemptions.csv", 5, "confirmed", "maybe", reviewer="张三")
    assert not (tiny / "decisions.csv").exists()


def test_restore_puts_a_version_back_and_can_itself_be_restored(tiny):
    original = (tiny / "exemptions.csv").read_bytes()
    first = decide(tiny, "exemptions.csv", 5, "confirmed", "true", reviewer="张三")
    decide(tiny, "exemptions.csv", 2, "confirmed", "false", reviewer="张三")
    decided = (tiny / "exemptions.csv").read_bytes()
    back = restore(tiny, first.entry["version"], reviewer="李四")
    assert (tiny / "exemptions.csv").read_bytes() == original
    assert decisions.decided_rows(decisions.history(tiny)) == {}  # both decisions no longer in force
    restore(tiny, back.entry["version"], reviewer="李四")  # undo the restore
    assert (tiny / "exemptions.csv").read_bytes() == decided
    assert set(decisions.decided_rows(decisions.history(tiny))) == {("exemptions.csv", 5), ("exemptions.csv", 2)}
    with pytest.raises(DecisionError, match="'nope' is not a version of"):
        restore(tiny, "nope", reviewer="李四")


def test_a_workbook_folder_is_refused(tmp_path, tiny):
    folder = tmp_path / "book"
    folder.mkdir()
    (folder / "scheme.yaml").write_bytes((tiny / "scheme.yaml").read_bytes())
    with pd.ExcelWriter(folder / "考核数据.xlsx") as writer:
        for csv in sorted(tiny.glob("*.csv")):
            pd.read_csv(csv, dtype=str, keep_default_na=False).to_excel(writer, sheet_name=csv.stem, index=False)
    before = (folder / "考核数据.xlsx").read_bytes()
    with pytest.raises(
        DecisionError,
        match="holds its tables in the workbook 考核数据.xlsx; the adjustments desk edits CSV year folders only",
    ):
        decide(folder, "exemptions.csv", 5, "confirmed", "true", reviewer="张三")
    proc = run_cli("restore", folder, "last")
    assert proc.returncode == 1 and "does not write workbooks" in proc.stderr
    proc = run_cli("history", folder)
    assert proc.returncode == 0 and "workbook 考核数据.xlsx" in proc.stdout
    assert (folder / "考核数据.xlsx").read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == ["scheme.yaml", "考核数据.xlsx"]


# -- the command line -----------------------------------------------------------


def test_history_and_restore_through_the_console_script(tiny):
    original = snapshot(tiny)
    proc = run_cli("history", tiny)
    assert proc.returncode == 0 and "no decisions recorded yet" in proc.stdout
    first = decide(tiny, "exemptions.csv", 5, "confirmed", "true", reviewer="张三")
    decide(tiny, "incidents.csv", 2, "severity", "ordinary", reviewer="李四")
    proc = run_cli("history", tiny)
    assert proc.returncode == 0, proc.stderr
    assert first.entry["version"] in proc.stdout and "in force" in proc.stdout and "李四" in proc.stdout
    assert f"last decision in force: 2; `wfscore restore {tiny} last` undoes it" in proc.stdout

    proc = run_cli("restore", tiny, "last", "--reviewer", "王五")
    assert proc.returncode == 0, proc.stderr
    assert "undid decision 2 (incidents.csv line 2, severity ordinary → major)" in proc.stdout
    assert (tiny / "incidents.csv").read_bytes() == original["incidents.csv"]

    proc = run_cli("restore", tiny, first.entry["version"], "--reviewer", "王五", "--comment", "退回重审")
    assert proc.returncode == 0, proc.stderr
    assert f"restored exemptions.csv to version {first.entry['version']}" in proc.stdout
    assert snapshot(tiny) == original
    log = decisions.read_log(tiny)
    assert list(log["action"]) == ["decide", "decide", "undo", "restore"]
    assert list(log["reviewer"]) == ["张三", "李四", "王五", "王五"] and log["comment"].iloc[-1] == "退回重审"

    proc = run_cli("history", tiny)
    assert "undone" in proc.stdout and "last decision in force" not in proc.stdout
    proc = run_cli("restore", tiny, "20110101-000000-000000_values.csv")
    assert proc.returncode == 1
    assert "error: '20110101-000000-000000_values.csv' is not a version of" in proc.stderr
    proc = run_cli("restore", tiny, "last")
    assert proc.returncode == 1 and "has no decision in force to undo" in proc.stderr


# -- the report's table ---------------------------------------------------------


def test_decisions_table_for_the_report(tiny):
    assert audit.decisions_table(tiny).empty
    decide(tiny, "exemptions.csv", 5, "confirmed", "true", reviewer="张三", comment="材料齐全")
    decide(tiny, "incidents.csv", 2, "confirmed", "false", reviewer="李四")
    decide(tiny, "achievements.csv", 5, "confirmed", "true", reviewer="李四")
    undo_last(tiny, reviewer="李四")
    zh = audit.decisions_table(tiny)
    assert list(zh.columns) == [
        "序号",
        "时间",
        "审核人",
        "部门编号",
        "部门",
        "事项类别",
        "行",
        "事项",
        "内容",
        "原值",
        "新值",
        "说明",
        "状态",
    ]
    assert zh[["序号", "部门", "事项类别", "行", "内容", "原值", "新值", "说明", "状态"]].values.tolist() == [
        [1, "六号部", "不适用申请", 5, "是否确认", "不确认", "确认", "材料齐全", "有效"],
        [2, "二号局", "安全事故", 2, "是否确认", "（无此列，计入）", "不确认", "", "有效"],
    ]
    en = audit.decisions_table(tiny, "en", include_undone=True)
    assert list(en["Status"]) == ["in force", "in force", "undone"]
    assert en["Kind"].tolist() == ["exemption request", "incident", "achievement"]
    assert en["Department"].iloc[2] == "三号部"
