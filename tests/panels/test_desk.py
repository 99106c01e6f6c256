"""The adjustments desk driven from Python, as a person would through its controls.

Every expected number comes from the library on a folder whose CSV was edited here
by hand (text replaced), loaded and scored: never from the panel's own code.
"""

from __future__ import annotations

import builtins
import csv
import io
import re
from pathlib import Path

import pandas as pd
import pytest

import wfscore
from helpers.registers import assert_same, by_hand as edited, every_file as files
from wfscore.panels import desk as desk_module
from wfscore.panels.desk import Desk
from wfscore.review import decisions


@pytest.fixture(autouse=True)
def new_session():
    """Each test starts as a new kernel session: no reviewer's name remembered."""
    desk_module.SESSION["reviewer"] = ""
    yield
    desk_module.SESSION["reviewer"] = ""


def unconfirmed(folder: Path, kind: str) -> list[int]:
    """Lines of ``kind``.csv whose confirmed cell says no (read here with the csv module)."""
    with open(folder / f"{kind}.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    return [
        n
        for n, r in enumerate(rows, start=2)
        if r.get("confirmed", "true").strip().casefold() in {"false", "no", "0", "否"}
    ]


def cells(html: str, cls: str) -> list[list[str]]:
    body = html.split(f'class="wf-table {cls}"')[1]
    rows = re.findall(r"<tr>(.*?)</tr>", body.split("<tbody>")[1])
    return [[re.sub("<[^>]+>", "", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", r)] for r in rows]


def test_opens_with_the_unconfirmed_rows_pending_and_says_the_data_is_synthetic(sample):
    """Pending: no decision in force and not counting (an unconfirmed request or
    achievement); the summary's count is the rows the pending filter shows."""
    before = files(sample)
    desk = Desk(sample, reviewer="张三")
    year = wfscore.load_year(sample)
    assert len(desk.items) == sum(len(year.tables[k]) for k in ("exemptions", "achievements", "incidents")) == 68
    expected = {k: unconfirmed(sample, k) for k in ("exemptions", "achievements", "incidents")}
    assert {k: len(v) for k, v in expected.items()} == {"exemptions": 2, "achievements": 11, "incidents": 0}
    pending = desk.items[desk.items["pending"]]
    assert sorted(zip(pending["kind"], pending["line"])) == sorted((k, n) for k, v in expected.items() for n in v)
    assert desk.summary_text.startswith("待审核 13 项（不适用申请 2，奖励成果 11，安全事故 0）；待处理复核申请 0 项")
    desk.pending_only.value = True
    assert len(desk.item_list.options) == 13
    assert all(
        label.startswith("○ 待审") and label.endswith(("[未确认]", "[未认定]")) for label, _ in desk.item_list.options
    )
    desk.pending_only.value = False
    settled = [label for label, v in desk.item_list.options if v == ("exemptions", 2)][0]
    assert settled.startswith("· 无需审核") and settled.endswith("[已确认]")
    assert "没有部门名次变化" in desk.summary_text
    assert "合成的示例数据" in desk.children[1].value
    assert len(desk.item_list.options) == 68
    assert not any("…" in label for label, _ in desk.item_list.options)  # whole texts (they wrap)
    # opening, selecting and previewing write nothing
    for kind, line in (("exemptions", 13), ("incidents", 5), ("achievements", 3)):
        desk.select(kind, line)
    assert files(sample) == before and not (sample / ".history").exists()
    assert not (sample / "decisions.csv").exists()


def test_confirming_a_request_saves_what_the_library_scores(sample, tmp_path):
    """The issue's test: confirm a request; the saved files score exactly as the
    library scores the folder with that row changed."""
    before = wfscore.score(wfscore.load_year(sample))
    desk = Desk(sample, reviewer="张三")
    desk.select("exemptions", 13)  # V07's request for indicator 12, not yet confirmed
    assert desk.selected["dept_id"] == "V07" and not desk.selected["counts"]
    assert desk.confirm_button.description == "确认不适用"
    by_hand = wfscore.score(
        wfscore.load_year(
            edited(
                sample,
                tmp_path,
                "exemptions.csv",
                "V07,12,行政许可由省局系统统一办理,false",
                "V07,12,行政许可由省局系统统一办理,true",
            )
        )
    )
    desk.comment.value = "省局出具证明"
    desk.confirm_button.click()
    assert desk.message_text == ""
    saved = wfscore.score(wfscore.load_year(sample))
    assert_same(saved, by_hand)
    assert_same(desk.result, by_hand)
    log = decisions.read_log(sample)
    assert log[
        ["reviewer", "file", "row", "dept_id", "field", "old_value", "new_value", "comment"]
    ].values.tolist() == [["张三", "exemptions.csv", "13", "V07", "confirmed", "false", "true", "省局出具证明"]]
    # the before-and-after line
    d = before.position("V07")
    assert f"总分 {before.total[d]:.2f} → {by_hand.total[d]:.2f}" in desk.last_text
    assert f"名次 {before.rank[d]} → {by_hand.rank[d]}" in desk.last_text
    assert "12 30.00→0.00" in desk.last_text
    # .history/ and decisions.csv are not inputs: provenance covers the same tables
    assert set(saved.data.files) == set(before.data.files)
    assert saved.provenance["inputs_sha256"]["exemptions.csv"] == decisions.sha256(sample / "exemptions.csv")
    # no longer pending; the summary counts one fewer
    assert not desk.items.set_index(["kind", "line"]).loc[("exemptions", 13), "pending"]
    assert desk.summary_text.startswith("待审核 12 项（不适用申请 1，")
    assert "本面板已保存 1 项" in desk.summary_text


def test_the_preview_shows_what_each_decision_would_do(tiny, tmp_path):
    desk = Desk(tiny, reviewer="张三")
    desk.select("exemptions", 5)  # D6's request for i2, not confirmed
    by_hand = wfscore.score(
        wfscore.load_year(
            edited(tiny, tmp_path, "exemptions.csv", "D6,i2,申请未获确认,false", "D6,i2,申请未获确认,true")
        )
    )
    now = wfscore.score(wfscore.load_year(tiny))
    d, i1, i2 = now.position("D6"), now.arrays.position["i1"], now.arrays.position["i2"]
    rows = cells(desk.item_html.value, "wf-preview")
    assert rows[0][:4] == [
        "确认不适用",
        f"{now.total[d]:.2f} → {by_hand.total[d]:.2f}（±0）",
        f"{now.rank[d]} → {by_hand.rank[d]}（–）",
        f"i1 {now.effective_weight[d, i1]:.2f}→{by_hand.effective_weight[d, i1]:.2f}；"
        f"i2 {now.effective_weight[d, i2]:.2f}→{by_hand.effective_weight[d, i2]:.2f}",
    ]
    assert rows[0][3] == "i1 30.00→40.00；i2 10.00→0.00"  # by hand: c1's 40 points on i1 alone
    assert rows[1] == ["不予确认（当前）", "与当前相同，不改变文件中的数值"]
    effect = desk.preview("exemptions", 5)["confirm"]
    assert effect.total == (now.total[d], by_hand.total[d]) and effect.others_moved == 0


def test_the_preview_says_when_the_excellence_list_changes(tiny, tmp_path):
    """D2's major incident: if it does not stand, D2 is eligible again and takes a
    place on the excellence list (n = 4 of 7 eligible in rank order, plus ties)."""
    desk = Desk(tiny, reviewer="张三")
    desk.select("incidents", 2)
    assert [b.description for b in (desk.confirm_button, desk.reject_button, desk.severity_button)] == [
        "事故成立",
        "事故不成立",
        "定为一般",
    ]
    text = desk.item_html.value
    before = wfscore.score(wfscore.load_year(tiny))
    after = wfscore.score(
        wfscore.load_year(
            edited(
                tiny,
                tmp_path,
                "incidents.csv",
                "dept_id,date,severity,description\nD2,2011-08-11,major,数据泄露\nD6,2011/3/5,ordinary,网页被篡改",
                "dept_id,date,severity,description,confirmed\n"
                "D2,2011-08-11,major,数据泄露,false\n"
                "D6,2011/3/5,ordinary,网页被篡改,true",
            )
        )
    )
    names = dict(zip(before.data.dept_ids, before.data.departments["name"]))
    added = [names[k] for k in before.data.dept_ids[after.excellent & ~before.excellent]]
    removed = [names[k] for k in before.data.dept_ids[before.excellent & ~after.excellent]]
    assert added == ["二号局"] and removed  # worked out by the library on the edited copy
    rows = cells(text, "wf-preview")
    reject = next(r for r in rows if r[0] == "事故不成立")
    assert reject[4] == f"评优资格 否 → 是；新增 {'、'.join(added)}；移出 {'、'.join(removed)}"
    d = before.position("D2")
    assert reject[1] == f"{before.total[d]:.2f} → {after.total[d]:.2f}（+{after.total[d] - before.total[d]:.2f}）"
    ordinary = next(r for r in rows if r[0] == "定为一般")
    assert ordinary[4].startswith("评优资格 否 → 是")


def test_severity_change_and_incident_rejection_save_like_the_library(tiny, tmp_path):
    desk = Desk(tiny, reviewer="张三")
    desk.select("incidents", 2)
    by_hand = edited(tiny, tmp_path, "incidents.csv", "D2,2011-08-11,major,", "D2,2011-08-11,ordinary,")
    desk.severity_button.click()  # major → ordinary
    assert desk.message_text == "", desk.message_text
    assert (tiny / "incidents.csv").read_bytes() == (by_hand / "incidents.csv").read_bytes()
    assert_same(desk.result, wfscore.score(wfscore.load_year(by_hand)))
    assert desk.severity_button.description == "定为重大"
    desk.select("incidents", 3)
    desk.reject_button.click()
    assert (tiny / "incidents.csv").read_text(encoding="utf-8") == (
        "dept_id,date,severity,description,confirmed\nD2,2011-08-11,ordinary,数据泄露,true\n"
        "D6,2011/3/5,ordinary,网页被篡改,false\n"
    )
    assert_same(desk.result, wfscore.score(wfscore.load_year(tiny)))
    assert wfscore.score(wfscore.load_year(tiny)).ranking.set_index("dept_id").loc["D6", "c3"] > 0


def test_filters(sample):
    desk = Desk(sample, reviewer="张三")
    desk.kind_filter.value = "incidents"
    assert [v for _, v in desk.item_list.options] == [("incidents", n) for n in range(2, 7)]
    desk.dept_filter.value = "G36"
    assert [v for _, v in desk.item_list.options] == [("incidents", 3), ("incidents", 4)]
    assert all("G36" in label for label, _ in desk.item_list.options)
    desk.item_list.value = ("incidents", 4)
    desk.confirm_button.click()
    desk.pending_only.value = True
    assert [v for _, v in desk.item_list.options] == []  # incidents stand unless someone says otherwise
    desk.kind_filter.value = ""
    desk.dept_filter.value = ""
    assert len(desk.item_list.options) == 13
    assert all(label.startswith("○ 待审") for label, _ in desk.item_list.options)
    desk.pending_only.value = False
    reviewed = [label for label, v in desk.item_list.options if v == ("incidents", 4)]
    assert reviewed[0].startswith("● 已审")


def test_undo_from_the_panel_restores_the_files_byte_for_byte(tiny):
    original = files(tiny)
    desk = Desk(tiny, reviewer="张三")
    pending = desk.items["pending"].tolist()
    assert sum(pending) == 2
    opened = desk.result
    desk.select("exemptions", 5)
    desk.decide("confirm")
    desk.select("incidents", 2)
    desk.decide("reject")
    desk.select("achievements", 5)
    desk.decide("confirm")
    assert files(tiny) != original
    assert "上一项有效决定：3 · 张三" in desk.undo_html.value
    for _ in range(3):
        desk.undo_button.click()
        assert desk.message_text == "", desk.message_text
    assert files(tiny) == original
    assert desk.last_text.startswith("已撤销第 1 项决定：D6 六号部 · 不适用申请（i2 申请未获确认）：是否确认 是 → 否。")
    assert_same(desk.result, opened)
    assert desk.items["pending"].tolist() == pending and desk.undo_button.disabled
    assert "没有部门名次变化" in desk.summary_text


def test_restore_from_the_panel(tiny):
    original = files(tiny)
    desk = Desk(tiny, reviewer="张三")
    pending = desk.items["pending"].tolist()
    desk.select("exemptions", 5)
    desk.decide("confirm")
    desk.select("exemptions", 2)
    desk.decide("reject")
    versions = [v for _, v in desk.version_picker.options]
    assert len(versions) == 2 and desk.version_picker.value == versions[0]  # newest first
    desk.version_picker.value = versions[-1]  # exemptions.csv before the first decision
    desk.restore_button.click()
    assert files(tiny) == original
    assert desk.last_text.startswith("已将 不适用申请 恢复到版本 " + versions[-1])
    assert desk.items["pending"].tolist() == pending
    assert_same(desk.result, wfscore.score(wfscore.load_year(tiny)))


def test_two_panels_never_silently_overwrite_each_other(tiny):
    a = Desk(tiny, reviewer="张三")
    b = Desk(tiny, reviewer="李四")
    b.select("exemptions", 5)
    assert b.decide("confirm")
    after_b = files(tiny)
    log_after_b = (tiny / "decisions.csv").read_bytes()
    a.select("exemptions", 2)
    assert not a.decide("reject")
    assert a.message_text.startswith("未保存：本面板载入后，exemptions.csv 在磁盘上已改变（SHA-256 不同）")
    assert "wf-error" in a.message_html.value
    assert files(tiny) == after_b and (tiny / "decisions.csv").read_bytes() == log_after_b
    assert not a.undo()  # the last decision is b's, which a has not seen
    assert "作出的第 1 项决定" in a.message_text and "李四" in a.message_text
    # another file is still fine; after a reload a sees b's decision and may decide again
    a.select("incidents", 3)
    assert a.decide("confirm")
    assert a.reload()
    assert not a.items.set_index(["kind", "line"]).loc[("exemptions", 5), "pending"]
    a.select("exemptions", 2)
    assert a.decide("reject")
    assert list(decisions.read_log(tiny)["reviewer"]) == ["李四", "张三", "张三"]


def test_a_file_edited_by_hand_meanwhile_is_refused(tiny):
    desk = Desk(tiny, reviewer="张三")
    path = tiny / "achievements.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace("D3,b1,未认定的奖励,false", "D3,b1,未认定的奖励,true"),
        encoding="utf-8",
    )
    changed = files(tiny)
    desk.select("achievements", 5)
    assert not desk.decide("reject")
    assert "achievements.csv 在磁盘上已改变" in desk.message_text
    assert files(tiny) == changed and not (tiny / "decisions.csv").exists()


def test_no_reviewer_no_saving_until_a_name_is_typed(tiny):
    before = files(tiny)
    desk = Desk(tiny, reviewer="  ")
    assert desk.confirm_button.disabled and desk.undo_button.disabled and desk.open_button.disabled
    assert "未填写审核人" in desk.reviewer_note.value
    desk.select("exemptions", 5)
    assert desk.confirm_button.disabled
    assert not desk.decide("confirm") and "未填写审核人" in desk.message_text
    assert files(tiny) == before and not (tiny / "decisions.csv").exists()
    desk.reviewer_box.value = " 王五 "  # typed in the panel
    assert not desk.confirm_button.disabled and desk.reviewer_note.value == ""
    assert desk.decide("confirm")
    assert list(decisions.read_log(tiny)["reviewer"]) == ["王五"]
    again = Desk(tiny)  # the same session remembers the name
    assert again.reviewer_box.value == "王五" and not again.undo_button.disabled


def test_a_workbook_year_is_previewed_but_not_saved(tiny, tmp_path):
    folder = tmp_path / "book"
    folder.mkdir()
    (folder / "scheme.yaml").write_bytes((tiny / "scheme.yaml").read_bytes())
    with pd.ExcelWriter(folder / "考核数据.xlsx") as writer:
        for csv in sorted(tiny.glob("*.csv")):
            frame = pd.read_csv(csv, dtype=str, keep_default_na=False)
            frame.to_excel(writer, sheet_name=csv.stem, index=False)
    before = files(folder)
    desk = Desk(folder, reviewer="张三")
    assert "Excel 工作簿 考核数据.xlsx：审核台只能预览，不能保存" in desk.children[1].value
    desk.select("exemptions", 5)
    assert "确认不适用" in desk.item_html.value and "i1 30.00→40.00" in desk.item_html.value
    assert desk.confirm_button.disabled
    assert not desk.decide("confirm") and "不能保存" in desk.message_text
    assert files(folder) == before and sorted(p.name for p in folder.iterdir()) == ["scheme.yaml", "考核数据.xlsx"]


def test_selecting_and_previewing_read_no_file(tiny, monkeypatch):
    desk = Desk(tiny, reviewer="张三")

    def refuse(*args, **kwargs):
        raise AssertionError(f"file I/O while previewing: {args[:1]}")

    monkeypatch.setattr(builtins, "open", refuse)
    monkeypatch.setattr(io, "open", refuse)
    monkeypatch.setattr(Path, "read_bytes", refuse)
    monkeypatch.setattr(wfscore.inputs.loading, "read_folder", refuse)
    for kind, line in (("exemptions", 5), ("incidents", 2), ("achievements", 5)):
        desk.select(kind, line)
        assert "→" in desk.item_html.value
    desk.kind_filter.value = "incidents"
    desk.pending_only.value = True


def test_in_english(tiny):
    desk = Desk(tiny, reviewer="Zhang", lang="en")
    desk.select("exemptions", 5)
    assert desk.confirm_button.description == "Confirm"
    assert desk.decide("confirm")
    assert desk.last_text.startswith(
        "Saved decision 1: D6 六号部 · exemption request (i2 申请未获确认): confirmed no → yes. total "
    )
    assert desk.summary_text.startswith(
        "1 pending (exemption request 0, achievement 1, incident 0); 0 open disputes; 1 saved from this panel."
    )
