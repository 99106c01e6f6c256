"""Disputes and expert ratings at the desk, driven through the panel's controls.

Expected scores come from the library on a copy of the folder edited here by hand.
"""

from __future__ import annotations

import re

import pytest

import wfscore
from helpers.registers import assert_same, by_hand, every_file
from wfscore.panels import desk as desk_module
from wfscore.panels.desk import Desk
from wfscore.review import disputes
from wfscore.review.decisions import read_log


@pytest.fixture(autouse=True)
def new_session():
    desk_module.SESSION["reviewer"] = ""
    yield
    desk_module.SESSION["reviewer"] = ""


def open_through_the_form(desk: Desk, dept: str, kind: str, claim: str, **key) -> None:
    desk.new_dept.value, desk.new_kind.value = dept, kind
    desk.new_indicator.value = key.get("indicator", "")
    desk.new_expert.value = key.get("expert", "")
    desk.new_row.value = str(key.get("row", ""))
    desk.new_claim.value, desk.new_evidence.value = claim, "附件 1"
    desk.open_button.click()
    assert desk.message_text.startswith("已登记第"), desk.message_text


def test_uphold_a_corrected_value_through_the_panel(sample, tmp_path):
    """The issue's test: the saved folder scores like the hand-edited one."""
    desk = Desk(sample, reviewer="张三")
    open_through_the_form(desk, "C01", "value", "指标 13 填报有误", indicator="13")
    assert desk.selected_dispute["id"] == 1 and desk.tabs.selected_index == 1
    assert "待处理复核申请 1 项" in desk.summary_text
    hand = wfscore.score(wfscore.load_year(by_hand(sample, tmp_path, "values.csv", "C01,13,1.35", "C01,13,1.60")))
    before = desk.result
    d = before.position("C01")
    assert "当前：1.35" in desk.dispute_html.value and desk.uphold_button.disabled is False
    desk.corrected.value = "1.60"  # the preview, before deciding
    preview = re.sub("<[^>]+>", " ", desk.dispute_html.value.split("如果支持")[1])
    assert f"{before.total[d]:.2f} → {hand.total[d]:.2f}" in preview
    assert f"{before.rank[d]} → {hand.rank[d]}" in preview
    desk.reply.value = "经核实，予以更正"
    desk.uphold_button.click()
    assert desk.message_text == "", desk.message_text
    assert_same(wfscore.score(wfscore.load_year(sample)), hand)
    assert_same(desk.result, hand)
    assert desk.last_text.startswith(
        "已支持复核申请，保存为第 1 项决定：C01 市政协办公厅 · 指标数值（13）：数值 1.35 → 1.60。"
    )
    assert f"总分 {before.total[d]:.2f} → {hand.total[d]:.2f}" in desk.last_text
    row = disputes.read_register(sample).iloc[0]
    assert (row["state"], row["corrected"], row["reply"], row["decided_by"]) == (
        "upheld",
        "1.60",
        "经核实，予以更正",
        "张三",
    )
    assert "已支持" in desk.dispute_list.options[0][0] and desk.uphold_button.disabled
    assert "第 1 项复核申请：经核实，予以更正" in desk.history_html.value  # the log's comment, in Chinese


def test_reject_changes_nothing_but_the_register(sample):
    desk = Desk(sample, reviewer="张三")
    open_through_the_form(desk, "V07", "exemption", "省局已出具证明", row=13)
    before, opened = every_file(sample), desk.result
    desk.reply.value = "证明材料不足"
    desk.dismiss_button.click()
    assert desk.message_text == "", desk.message_text
    after = every_file(sample)
    assert {k for k in before if before[k] != after[k]} == {"disputes.csv"}
    assert not (sample / "decisions.csv").exists()
    assert_same(wfscore.score(wfscore.load_year(sample)), opened)
    assert disputes.read_register(sample).iloc[0]["state"] == "rejected"
    assert desk.last_text.startswith("已驳回第 1 项复核")


def test_undo_of_an_upheld_dispute_from_the_panel(sample):
    desk = Desk(sample, reviewer="张三")
    open_through_the_form(desk, "C01", "rating", "专家评分偏低", indicator="1", expert="E2")
    original = every_file(sample)
    desk.corrected.value = "99"
    desk.reply.value = "同意"
    assert desk.uphold()
    assert every_file(sample) != original
    desk.undo_button.click()  # the general undo knows the last decision was a dispute's
    assert desk.message_text == "", desk.message_text
    assert every_file(sample) == original
    assert disputes.read_register(sample).iloc[0]["state"] == "open"
    assert read_log(sample)["action"].tolist() == ["decide", "undo"]


def test_a_refused_correction_says_why_in_chinese(sample):
    desk = Desk(sample, reviewer="张三")
    open_through_the_form(desk, "C01", "rating", "专家评分偏低", indicator="1", expert="E2")
    before = every_file(sample)
    desk.corrected.value = "120"
    assert "不是有效的评分" in desk.dispute_html.value  # the preview already says so
    desk.reply.value = "同意"
    assert not desk.uphold()
    assert desk.message_text.startswith("未保存：ratings.csv：'120' 不是有效的评分")
    assert every_file(sample) == before


def test_the_experts_agreement_tab_and_taking_up_a_far_rating(sample):
    desk = Desk(sample, reviewer="张三")
    assert "肯德尔" in desk.agreement_html.value
    rows = re.findall(r"<tr><td>(.*?)</td>", desk.agreement_html.value.split("<tbody>")[1])
    assert len(rows) == 20  # the sample's 20 expert-rated indicators
    far = [v for _, v in desk.far_picker.options]
    assert far and far[0] == 9995  # V08, indicator 18, expert E3: 59 against the others' 82.5
    desk.far_picker.value = far[0]
    desk.far_button.click()
    row = disputes.read_register(sample).iloc[0]
    assert (row["dept_id"], row["kind"], row["indicator"], row["expert"]) == ("V08", "rating", "18", "E3")
    assert "-23.5" in row["claim"]


def test_no_reviewer_no_dispute_buttons(sample):
    disputes.open_dispute(sample, "C01", "value", indicator="13", claim="填报有误")
    desk = Desk(sample)
    assert desk.uphold_button.disabled and desk.dismiss_button.disabled and desk.open_button.disabled
    desk.reviewer_box.value = "张三"
    assert not desk.uphold_button.disabled and not desk.dismiss_button.disabled


def test_every_word_is_chinese_under_zh(sample):
    """No English word in what the desk shows (file names and the data's own text aside)."""
    disputes.open_dispute(sample, "C01", "value", indicator="13", claim="填报有误")
    desk = Desk(sample, reviewer="张三")
    desk.select("exemptions", 13)
    desk.decide("confirm")
    desk.select_dispute(1)
    desk.corrected.value = "1.6"
    shown = [
        desk.summary_text,
        desk.last_text,
        desk.item_html.value,
        desk.dispute_html.value,
        desk.history_html.value,
        desk.undo_html.value,
        desk.agreement_html.value,
    ]
    shown += [label for label, _ in desk.item_list.options] + [label for label, _ in desk.dispute_list.options]
    shown += [
        b.description
        for b in (
            desk.confirm_button,
            desk.reject_button,
            desk.uphold_button,
            desk.dismiss_button,
            desk.undo_button,
            desk.restore_button,
        )
    ]
    text = re.sub(r"<[^>]+>|&\w+;", " ", " ".join(shown))
    text = re.sub(r"\b[\w-]+\.csv\b|\b\d{8}-\d{6}-\d{6}_\w+\.csv\b", " ", text)  # file and version names
    english = {w for w in re.findall(r"[A-Za-z]{3,}", text)}
    assert not english, english
