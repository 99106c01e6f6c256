"""explain: one department's breakdown, every adjustment with its reason."""

import itertools
import re

import pytest

import wfscore
from helpers import SAMPLE, TINY


@pytest.fixture(scope="module")
def result():
    return wfscore.score(wfscore.load_year(TINY))


def test_breakdown_in_chinese(result):
    text = wfscore.explain(result, "D4")
    lines = text.splitlines()
    assert lines[0] == "四号部（D4，党的机关）"
    assert lines[1].startswith("总分 91.00 / 150  名次 3 (共 7 个部门)  具备评优资格: 是  优秀: 是  折算得分 6.07")
    assert "  网站 15.00 / 30" in text
    assert "经确认不适用（无独立网站栏目），权重 20 → 0" in text
    assert "[3] i4: 因本部门不适用指标调整权重：10 → 30.00" in text
    assert "  i3: 无独立网站栏目 (已确认)" in text  # the request itself
    assert "  b1: 省级试点 (已确认)" in text


def test_ratings_and_unconfirmed_items_are_shown(result):
    text = wfscore.explain(result, "D1")
    assert "90 80 70 100 40" in text  # the five experts' ratings
    assert "[5] i3: 按全市政务网站绩效评估成绩计入：80/100 × 20.00 = 16.00" in text
    text = wfscore.explain(result, "D3")
    assert "  b1: 未认定的奖励 (未确认，不计)" in text
    assert "[1] i2: 缺少数据，计 0 分" in text


def test_disqualification_and_incidents(result):
    text = wfscore.explain(result, "D2")
    assert "具备评优资格: 否  优秀: 否" in text
    assert "[9] 发生重大网络与信息安全事故（2011-08-11 重大 数据泄露），取消评优资格" in text
    assert "安全事故\n  2011-08-11 重大: 数据泄露" in text


def test_redistributed_category_shows_its_effective_points(result):
    text = wfscore.explain(result, "D5")
    assert "  工作体系 37.14 / 57.14 (名义 40)" in text


def test_english_labels():
    year = wfscore.load_year(SAMPLE)
    text = wfscore.explain(wfscore.score(year), "V04", lang="en")
    assert "(V04, Vertically managed bureaus)" in text.splitlines()[0]
    assert "Department website 0.00 / 0.00 (nominal 200)" in text
    assert "Note: this year's data is synthetic sample data" in text


def test_unknown_department(result):
    with pytest.raises(KeyError):
        wfscore.explain(result, "nope")


def _cell_ends(line: str) -> list[int]:
    """Display columns where each cell of a ``terminal.table`` line ends (cells are
    separated by two or more spaces; a cell may hold single spaces)."""
    from wfscore.inputs.terminal import width

    return [width(line[: m.end()]) for m in re.finditer(r"\S+(?: \S+)*", line)]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_breakdown_columns_line_up_by_display_width(lang):
    """Chinese names take two terminal cells a character: the number columns (value to
    score) still end in the same terminal column on every line of a category's table."""
    year = wfscore.load_year(SAMPLE)
    text = wfscore.explain(wfscore.score(year), "G03", lang=lang)
    header_start = "    指标  " if lang == "zh" else "    Indicator  "
    lines = text.splitlines()
    tables = 0
    for n, line in enumerate(lines):
        if not line.startswith(header_start):
            continue
        block = [line] + list(itertools.takewhile(lambda x: re.match(r"    \S", x), lines[n + 1 :]))
        assert len(block) > 1
        ends = [_cell_ends(x)[2:8] for x in block]  # value, ratings, base, weight, effective, score
        assert all(e == ends[0] for e in ends), "\n".join(block)
        tables += 1
    assert tables == len(year.scheme.categories)  # one table per category


def test_terminal_table_pads_wide_characters_to_two_cells():
    from wfscore.inputs.terminal import table, width

    assert width("市教育局") == 8 and width("abc") == 3 and width("ｅ１") == 4
    # worked by hand: 部门 is 4 cells wide, so "G1" gets two spaces after it, and the
    # right-aligned total column is as wide as its header 总分 (4 cells)
    assert table(["部门", "总分"], [["G1", "9.5"], ["市教育局", "10.25"]], right=[False, True]) == (
        "部门" + " " * 7 + "总分\nG1" + " " * 10 + "9.5\n市教育局  10.25"
    )
