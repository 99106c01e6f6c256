"""The report's parts about the year's review: the dispute register and its outcomes,
and the experts' agreement per indicator (the adjustment section shows both)."""

from __future__ import annotations

import math

import pandas as pd

from wfscore.engine.result import Result
from wfscore.inputs.scheme import label
from wfscore.review import agreement
from wfscore.review.disputes import DisputeError, read_register

WORDS = {
    "zh": {
        "disputes": "部门复核申请及处理结果",
        "disputes_note": "各部门对考核结果提出的复核申请（disputes.csv）：支持的，已按更正后的数值或评分重新计分"
        "（更正记入上表的审核决定）；驳回的，分数不变。",
        "no_disputes": "本年度没有复核申请。",
        "register_error": "复核登记表无法读取：{error}",
        "columns": {
            "id": "序号",
            "dept_id": "部门编号",
            "name": "部门",
            "kind": "事项类别",
            "item": "事项",
            "claim": "部门主张",
            "evidence": "证据",
            "state": "处理结果",
            "corrected": "更正为",
            "reply": "答复",
            "decided_by": "决定人",
            "opened": "登记日期",
            "decided": "决定日期",
        },
        "kinds": {
            "value": "指标数值",
            "rating": "专家评分",
            "exemption": "不适用申请",
            "achievement": "奖励成果",
            "incident": "安全事故",
        },
        "states": {"open": "待处理", "upheld": "支持", "rejected": "驳回"},
        "item_value": "指标 {indicator}",
        "item_rating": "指标 {indicator}，专家 {expert}",
        "item_row": "第 {row} 行",
        "counts": "共 {n} 项：支持 {upheld} 项，驳回 {rejected} 项，待处理 {open} 项。",
        "agreement": "专家评分的一致性",
        "agreement_note": "按指标计算的肯德尔协调系数 W（含同分校正；只计所有专家都评了分的部门；1 "
        "表示各专家对部门的排序完全一致）"
        "及其 χ² 检验的 p 值。与其他专家对同一部门的平均分相差 {far} 分及以上的评分记为偏离。",
        "no_ratings": "本年度没有专家评分。",
        "agreement_columns": {
            "indicator": "指标",
            "name": "指标名称",
            "experts": "专家数",
            "departments": "部门数",
            "w": "肯德尔 W",
            "p": "p 值",
            "flagged": "偏离评分数",
        },
    },
    "en": {
        "disputes": "Departments' disputes and their outcome",
        "disputes_note": "The disputes departments raised about their results (disputes.csv): an upheld one was scored "
        "with the corrected value or rating (the correction is among the decisions above); a "
        "rejected one changed nothing.",
        "no_disputes": "No dispute this year.",
        "register_error": "The dispute register cannot be read: {error}",
        "columns": {
            "id": "No.",
            "dept_id": "Dept id",
            "name": "Department",
            "kind": "Kind",
            "item": "Item",
            "claim": "Claim",
            "evidence": "Evidence",
            "state": "Outcome",
            "corrected": "Corrected to",
            "reply": "Reply",
            "decided_by": "Decided by",
            "opened": "Opened",
            "decided": "Decided",
        },
        "kinds": {
            "value": "indicator value",
            "rating": "expert rating",
            "exemption": "exemption request",
            "achievement": "achievement",
            "incident": "incident",
        },
        "states": {"open": "open", "upheld": "upheld", "rejected": "rejected"},
        "item_value": "indicator {indicator}",
        "item_rating": "indicator {indicator}, expert {expert}",
        "item_row": "row {row}",
        "counts": "{n} in all: {upheld} upheld, {rejected} rejected, {open} open.",
        "agreement": "Agreement of the expert panels",
        "agreement_note": "Per indicator, Kendall's coefficient of concordance W (tie-corrected; departments rated by "
        "every expert; 1 = the experts order the departments alike) and the p value of its χ² test. "
        "A rating {far} points or more from the other experts' mean for the same department counts "
        "as far from the others.",
        "no_ratings": "No expert ratings this year.",
        "agreement_columns": {
            "indicator": "Indicator",
            "name": "Name",
            "experts": "Experts",
            "departments": "Departments",
            "w": "Kendall's W",
            "p": "p",
            "flagged": "Far ratings",
        },
    },
}


def _item(row, w: dict) -> str:
    if row["kind"] == "value":
        return w["item_value"].format(indicator=row["indicator"])
    if row["kind"] == "rating":
        return w["item_rating"].format(indicator=row["indicator"], expert=row["expert"])
    text = w["item_row"].format(row=row["row"])
    return f"{w['item_value'].format(indicator=row['indicator'])}，{text}" if row["indicator"] else text


def disputes_table(result: Result, lang: str = "zh") -> pd.DataFrame:
    """The year's disputes, in the register's order, with the department's name, the
    kind and outcome in words; column names in ``lang``."""
    w = WORDS[lang]
    register = read_register(result.data.folder)
    names = dict(zip(result.data.dept_ids, result.data.departments["name"]))
    frame = pd.DataFrame(
        {
            "id": register["id"].to_numpy(),
            "dept_id": register["dept_id"].to_numpy(),
            "name": register["dept_id"].map(names).fillna("").to_numpy(),
            "kind": register["kind"].map(w["kinds"]).to_numpy(),
            "item": [_item(r, w) for _, r in register.iterrows()],
            "claim": register["claim"].to_numpy(),
            "evidence": register["evidence"].to_numpy(),
            "state": register["state"].map(w["states"]).to_numpy(),
            "corrected": register["corrected"].to_numpy(),
            "reply": register["reply"].to_numpy(),
            "decided_by": register["decided_by"].to_numpy(),
            "opened": register["opened"].str.slice(0, 10).to_numpy(),
            "decided": register["decided"].str.slice(0, 10).to_numpy(),
        }
    )
    return frame.rename(columns=w["columns"]).reset_index(drop=True)


def agreement_table(result: Result, lang: str = "zh") -> pd.DataFrame:
    """Per expert-rated indicator: experts, departments, Kendall's W, p, far ratings."""
    w = WORDS[lang]
    panel = agreement.panel(result.data)
    scheme = result.data.scheme
    frame = pd.DataFrame(
        {
            "indicator": panel["indicator"].to_numpy(),
            "name": [label(scheme.indicator(i), lang) for i in panel["indicator"]],
            "experts": panel["experts"].to_numpy(),
            "departments": panel["departments"].to_numpy(),
            "w": ["–" if math.isnan(x) else f"{x:.3f}" for x in panel["w"]],
            "p": ["–" if math.isnan(x) else f"{x:.2g}" for x in panel["p"]],
            "flagged": panel["flagged"].to_numpy(),
        }
    )
    return frame.rename(columns=w["agreement_columns"])


def review_parts(result: Result, lang: str = "zh") -> list[tuple[str, object]]:
    """What the adjustment section shows about the review, in order, as (what, content):
    ``("heading", text)``, ``("note", text)`` or ``("table", frame)``
    (:func:`wfscore.publish.tables.adjustments` renders them)."""
    w = WORDS[lang]
    parts: list[tuple[str, object]] = [("heading", w["disputes"])]
    try:
        register = read_register(result.data.folder)
    except DisputeError as exc:
        parts.append(("note", w["register_error"].format(error=exc.in_lang(lang))))
    else:
        if register.empty:
            parts.append(("note", w["no_disputes"]))
        else:
            counts = register["state"].value_counts()
            parts += [
                ("note", w["disputes_note"]),
                (
                    "note",
                    w["counts"].format(
                        n=len(register), **{s: int(counts.get(s, 0)) for s in ("open", "upheld", "rejected")}
                    ),
                ),
                ("table", disputes_table(result, lang)),
            ]
    parts.append(("heading", w["agreement"]))
    table = agreement_table(result, lang)
    if table.empty:
        return parts + [("note", w["no_ratings"])]
    return parts + [("note", w["agreement_note"].format(far=f"{agreement.FAR:g}")), ("table", table)]
