"""The dispute register (wfscore.review.disputes) and ``wfscore disputes``.

Every expected score comes from the library on a copy of the folder whose CSV was
edited here by hand (text replaced): never from the code under test.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import wfscore
from helpers import TINY, cli_env
from helpers.registers import assert_same, by_hand, every_file
from wfscore.inputs.loading import validate
from wfscore.review import disputes
from wfscore.review.decisions import DecisionError, read_log
from wfscore.review.disputes import DisputeError


def test_upholding_a_value_scores_like_the_hand_edited_folder(tiny, tmp_path):
    opened = disputes.open_dispute(tiny, "D3", "value", indicator="i3", claim="信息发布条数填错", evidence="附件 2")
    assert opened["state"] == "open" and opened["id"] == 1
    before = wfscore.score(wfscore.load_year(tiny))
    hand = wfscore.score(wfscore.load_year(by_hand(tiny, tmp_path, "values.csv", "D3,i3,10", "D3,i3,30")))
    data = wfscore.load_year(tiny)
    aim, effect = disputes.preview(data, before, disputes.read_register(tiny).iloc[0], "30")
    d = before.position("D3")
    assert (aim.file, aim.line, aim.field, aim.text) == ("values.csv", 8, "value", "30")
    assert effect.total == (before.total[d], hand.total[d]) and effect.rank == (before.rank[d], hand.rank[d])
    # an index indicator's base is the best department: others move when D3 becomes it
    assert effect.others_moved == int(((before.total != hand.total) & (np.arange(len(hand.total)) != d)).sum()) > 0
    saved, row = disputes.uphold(tiny, 1, corrected="30", reply="核实后更正", reviewer="张三")
    assert_same(wfscore.score(wfscore.load_year(tiny)), hand)
    assert (tiny / "values.csv").read_bytes() == (tmp_path / "by_hand" / "values.csv").read_bytes()
    log = read_log(tiny)
    assert log[["action", "file", "row", "field", "old_value", "new_value", "reviewer"]].values.tolist() == [
        ["decide", "values.csv", "8", "value", "10", "30", "张三"]
    ]
    assert row["state"] == "upheld" and row["decision"] == "1" and row["corrected"] == "30"
    assert disputes.read_register(tiny).iloc[0]["reply"] == "核实后更正"


def test_upholding_a_rating(tiny, tmp_path):
    disputes.open_dispute(tiny, "D1", "rating", indicator="i1", expert="E5", claim="专家 E5 评分明显偏低")
    hand = wfscore.score(wfscore.load_year(by_hand(tiny, tmp_path, "ratings.csv", "D1,i1,E5,40", "D1,i1,E5,85")))
    disputes.uphold(tiny, 1, corrected="85", reply="复核后更正", reviewer="张三")
    assert_same(wfscore.score(wfscore.load_year(tiny)), hand)


def test_upholding_an_exemption_and_an_incident(tiny, tmp_path):
    disputes.open_dispute(tiny, "D6", "exemption", row=5, claim="上级已出具证明")
    disputes.open_dispute(tiny, "D6", "incident", row=3, claim="网页篡改系上级平台所致")
    assert disputes.read_register(tiny)["indicator"].tolist() == ["i2", ""]
    hand = by_hand(tiny, tmp_path, "exemptions.csv", "D6,i2,申请未获确认,false", "D6,i2,申请未获确认,true")
    disputes.uphold(tiny, 1, reply="同意", reviewer="张三")  # default: confirm
    assert (tiny / "exemptions.csv").read_bytes() == (hand / "exemptions.csv").read_bytes()
    disputes.uphold(tiny, 2, reply="同意", reviewer="张三")  # default: the incident does not stand
    assert (tiny / "incidents.csv").read_text(encoding="utf-8") == (
        "dept_id,date,severity,description,confirmed\nD2,2011-08-11,major,数据泄露,true\n"
        "D6,2011/3/5,ordinary,网页被篡改,false\n"
    )


def test_rejecting_changes_nothing_but_the_register(tiny):
    disputes.open_dispute(tiny, "D3", "value", indicator="i3", claim="填错了")
    before = every_file(tiny)
    score_before = wfscore.score(wfscore.load_year(tiny))
    row = disputes.reject(tiny, 1, reply="经核实，原值无误", reviewer="李四")
    after = every_file(tiny)
    assert {k for k in before if before[k] != after[k]} == {"disputes.csv"}
    assert not (tiny / "decisions.csv").exists()
    assert row["state"] == "rejected" and row["decided_by"] == "李四" and row["decision"] == ""
    assert_same(wfscore.score(wfscore.load_year(tiny)), score_before)
    with pytest.raises(DisputeError, match="dispute 1 is rejected"):
        disputes.uphold(tiny, 1, corrected="30", reply="x", reviewer="李四")


def test_undo_of_an_upheld_dispute_restores_every_file_byte_for_byte(tiny):
    disputes.open_dispute(tiny, "D3", "value", indicator="i3", claim="填错了")
    disputes.open_dispute(tiny, "D1", "rating", indicator="i1", expert="E5", claim="偏低")
    original = every_file(tiny)
    disputes.uphold(tiny, 2, corrected="85", reply="同意", reviewer="张三")
    disputes.uphold(tiny, 1, corrected="30", reply="同意", reviewer="张三")
    assert every_file(tiny) != original
    with pytest.raises(
        DecisionError,
        match="dispute 2's correction is not the last one in force "
        r"\(dispute 1's is\): take back dispute 1 first",
    ) as refused:
        disputes.undo(tiny, 2, reviewer="张三")
    assert refused.value.in_lang("zh") == (
        "第 2 项复核申请的更正不是最后一项有效的更正（最后一项是第 1 项复核申请的）：请先撤销第 1 项复核申请的支持"
    )
    disputes.undo(tiny, 1, reviewer="张三")
    disputes.undo(tiny, 2, reviewer="张三")
    assert every_file(tiny) == original
    assert read_log(tiny)["action"].tolist() == ["decide", "decide", "undo", "undo"]


@pytest.mark.parametrize(
    "kind, key, corrected, message",
    [
        ("rating", {"indicator": "i1", "expert": "E5"}, "120", "not a valid rating"),
        ("rating", {"indicator": "i1", "expert": "E5"}, "高", "not a valid rating"),
        ("value", {"indicator": "s1"}, "25", "is refused"),  # above the direct indicator's weight (20)
        ("value", {"indicator": "s1"}, "nan", "not a valid value"),
        ("exemption", {"row": 5}, "maybe", "not a correction"),
    ],
)
def test_a_refused_correction_writes_nothing(tiny, kind, key, corrected, message):
    dept = {"rating": "D1", "value": "D1", "exemption": "D6"}[kind]
    disputes.open_dispute(tiny, dept, kind, claim="有误", **key)
    before = every_file(tiny)
    with pytest.raises(DecisionError, match=message):
        disputes.uphold(tiny, 1, corrected=corrected, reply="更正", reviewer="张三")
    assert every_file(tiny) == before and not (tiny / "decisions.csv").exists()


def test_a_dispute_must_name_an_item_the_year_has(tiny):
    with pytest.raises(DisputeError, match="has no row for D7, indicator i1, expert E9"):
        disputes.open_dispute(tiny, "D7", "rating", indicator="i1", expert="E9", claim="x")
    with pytest.raises(DisputeError, match="line 2 of exemptions.csv is D4's, not D6's"):
        disputes.open_dispute(tiny, "D6", "exemption", row=2, claim="x")
    with pytest.raises(DisputeError, match="not a department"):
        disputes.open_dispute(tiny, "D9", "value", indicator="i3", claim="x")
    with pytest.raises(DisputeError, match="needs the department's claim"):
        disputes.open_dispute(tiny, "D3", "value", indicator="i3", claim=" ")
    with pytest.raises(DisputeError, match="not a kind of dispute"):
        disputes.open_dispute(tiny, "D3", "weight", indicator="i3", claim="x")
    assert not (tiny / "disputes.csv").exists()


def test_the_register_is_not_an_input(tiny):
    """Open and rejected disputes change no score, no validation and no input hash."""
    before = wfscore.score(wfscore.load_year(tiny))
    problems = validate(tiny)
    disputes.open_dispute(tiny, "D3", "value", indicator="i3", claim="填错了")
    disputes.open_dispute(tiny, "D1", "rating", indicator="i1", expert="E5", claim="偏低")
    disputes.reject(tiny, 2, reply="不支持", reviewer="张三")
    after = wfscore.score(wfscore.load_year(tiny))
    assert_same(after, before)
    assert after.provenance["inputs_sha256"] == before.provenance["inputs_sha256"]
    assert [str(p) for p in validate(tiny)] == [str(p) for p in problems]


def test_disputes_of_a_department_and_hostile_text(tiny, tmp_path):
    disputes.open_dispute(tiny, "D3", "value", indicator="i3", claim='=HYPERLINK("http://x")', evidence="\x1b[31m红")
    disputes.open_dispute(tiny, "D1", "rating", indicator="i1", expert="E5", claim="偏低")
    mine = disputes.disputes_of(tiny, "D3")
    assert mine["id"].tolist() == [1]
    assert mine.iloc[0]["claim"] == '\'=HYPERLINK("http://x")'  # inert in a spreadsheet
    assert mine.iloc[0]["evidence"] == "[31m红"  # no escape character reaches a terminal
    assert disputes.disputes_of(tiny, "D5").empty
    (tmp_path / "no_register").mkdir()
    assert disputes.disputes_of(tmp_path / "no_register", "D3").empty
    assert (tiny / "disputes.csv").read_bytes().startswith(b"\xef\xbb\xbfid,dept_id,kind,")


def test_a_hand_damaged_register_is_refused_clearly(tiny):
    (tiny / "disputes.csv").write_text("id,dept_id,kind\n1,D1,value\n", encoding="utf-8")
    with pytest.raises(DisputeError, match="has no column indicator, expert, row"):
        disputes.read_register(tiny)


def run(*args: str) -> subprocess.CompletedProcess:
    script = Path(sys.executable).parent / "wfscore"
    return subprocess.run([str(script), *args], capture_output=True, text=True, timeout=300, env=cli_env())


def test_the_command_line(tiny, tmp_path):
    done = run("disputes", str(tiny))
    assert done.returncode == 0 and "no disputes" in done.stdout
    done = run(
        "disputes",
        str(tiny),
        "--open",
        "value",
        "--dept",
        "D3",
        "--indicator",
        "i3",
        "--claim",
        "填错了",
        "--evidence",
        "附件 2",
    )
    assert done.returncode == 0, done.stderr
    assert "opened dispute 1" in done.stdout
    done = run(
        "disputes", str(tiny), "--open", "rating", "--dept", "D7", "--indicator", "i1", "--expert", "E9", "--claim", "x"
    )
    assert done.returncode == 1 and "has no row for D7" in done.stderr and "Traceback" not in done.stderr
    done = run("disputes", str(tiny), "--uphold", "1", "--corrected", "30", "--reply", "同意", "--reviewer", "张三")
    assert done.returncode == 0, done.stderr
    hand = wfscore.score(wfscore.load_year(by_hand(TINY, tmp_path, "values.csv", "D3,i3,10", "D3,i3,30")))
    assert_same(wfscore.score(wfscore.load_year(tiny)), hand)
    done = run("disputes", str(tiny), "--dept", "D3")
    assert done.returncode == 0
    assert "upheld" in done.stdout and "填错了" in done.stdout and "1 disputes: 0 open, 1 upheld" in done.stdout
    done = run("disputes", str(tiny), "--undo", "1", "--reviewer", "张三")
    assert done.returncode == 0 and "open again" in done.stdout
    assert (tiny / "values.csv").read_bytes() == (TINY / "values.csv").read_bytes()


# -- random years (tests/yeargen.py) --------------------------------------------------------

import csv  # noqa: E402
import tempfile  # noqa: E402

from hypothesis import (  # noqa: E402
    HealthCheck,
    assume,
    given,
    settings,
    strategies as st,  # noqa: E402
)

from yeargen import write_year, years  # noqa: E402


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(years(), st.data())
def test_upholding_on_random_years_scores_like_the_csv_edited_by_hand(tables, draw):
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_year(Path(tmp) / "y", tables)
        with open(folder / "values.csv", encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        assume(len(rows) > 1)
        k = draw.draw(st.integers(1, len(rows) - 1))
        dept, indicator, value = rows[k][:3]
        corrected = f"{float(value) / 2:g}"
        disputes.open_dispute(folder, dept, "value", indicator=indicator, claim="有误")
        disputes.uphold(folder, 1, corrected=corrected, reply="更正", reviewer="张三")
        hand = Path(tmp) / "hand"
        shutil.copytree(folder, hand, ignore=shutil.ignore_patterns(".history", "decisions.csv", "disputes.csv"))
        rows[k][2] = corrected
        with open(hand / "values.csv", "w", encoding="utf-8", newline="") as f:
            csv.writer(f, lineterminator="\n").writerows(rows)
        assert_same(wfscore.score(wfscore.load_year(folder)), wfscore.score(wfscore.load_year(hand)))
        disputes.undo(folder, 1, reviewer="张三")
        assert disputes.read_register(folder).iloc[0]["state"] == "open"


def test_an_upheld_dispute_undone_by_restore_is_told_apart(tiny):
    from wfscore.review.decisions import undo_last

    disputes.open_dispute(tiny, "D3", "value", indicator="i3", claim="填错了")
    disputes.uphold(tiny, 1, corrected="30", reply="同意", reviewer="张三")
    assert disputes.undone_elsewhere(tiny, disputes.read_register(tiny)) == []
    undo_last(tiny, reviewer="张三")  # what `wfscore restore DIR last` does
    assert disputes.undone_elsewhere(tiny, disputes.read_register(tiny)) == [1]
    done = run("disputes", str(tiny))
    assert done.returncode == 0 and "dispute 1 is upheld but its decision is no longer in force" in done.stderr
