"""The report's review parts (wfscore.publish.review_tables): the year's disputes with their
outcome, and the experts' agreement per indicator, in the adjustment section."""

from __future__ import annotations

import re

import wfscore
from wfscore.publish import tables
from wfscore.review import disputes


def section(folder, lang="zh") -> str:
    return tables.adjustments(wfscore.score(wfscore.load_year(folder)), lang).html


def rows_after(html: str, heading: str) -> list[list[str]]:
    body = html.split(heading, 1)[1].split("</table>", 1)[0].split("<tbody>", 1)[1]
    return [
        [re.sub(r"\s+", " ", re.sub("<[^>]+>", "", c)).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)]
        for r in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def test_the_disputes_and_their_outcome(tiny):
    assert "本年度没有复核申请" in section(tiny)
    disputes.open_dispute(tiny, "D3", "value", indicator="i3", claim="<script>x</script>填错了", evidence="附件 2")
    disputes.open_dispute(tiny, "D6", "exemption", row=5, claim="上级已出具证明")
    disputes.open_dispute(tiny, "D1", "rating", indicator="i1", expert="E5", claim="偏低")
    disputes.uphold(tiny, 1, corrected="30", reply="核实后更正", reviewer="张三")
    disputes.reject(tiny, 2, reply="证明不足", reviewer="李四")
    html = section(tiny)
    assert "<script>" not in html and "&lt;script&gt;x&lt;/script&gt;填错了" in html
    assert "共 3 项：支持 1 项，驳回 1 项，待处理 1 项。" in html
    rows = rows_after(html, "部门复核申请及处理结果")
    assert [r[:8] for r in rows] == [
        ["1", "D3", "三号部", "指标数值", "指标 i3", "&lt;script&gt;x&lt;/script&gt;填错了", "附件 2", "支持"],
        ["2", "D6", "六号部", "不适用申请", "指标 i2，第 5 行", "上级已出具证明", "", "驳回"],
        ["3", "D1", "一号局", "专家评分", "指标 i1，专家 E5", "偏低", "", "待处理"],
    ]
    assert rows[0][8:11] == ["30", "核实后更正", "张三"] and rows[1][9:11] == ["证明不足", "李四"]
    english = section(tiny, "en")
    assert (
        "Departments&#x27; disputes and their outcome" in english
        and "3 in all: 1 upheld, 1 rejected, 1 open." in english
    )


def test_the_panels_agreement_per_indicator(sample):
    html = section(sample)
    rows = rows_after(html, "专家评分的一致性")
    assert len(rows) == 20 and rows[0][:4] == ["1", "领导与管理推进机制", "5", "122"]
    assert all(0.8 < float(r[4]) <= 1 for r in rows)
    assert sum(int(r[6]) for r in rows) == 10  # the far ratings the desk lists


def test_a_year_without_ratings(tiny):
    (tiny / "ratings.csv").unlink()
    values = tiny / "values.csv"
    # i1 is rated in the tiny year; without ratings, it takes direct values (a valid year again)
    values.write_text(values.read_text(encoding="utf-8") + "D1,i1,80\nD2,i1,70\n", encoding="utf-8")
    assert "本年度没有专家评分" in section(tiny)
