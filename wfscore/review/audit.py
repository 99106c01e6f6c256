"""The record of a year's decisions read back: the report's table, and the
``wfscore history`` and ``wfscore restore`` commands."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from wfscore.inputs.files import decode, parse_csv
from wfscore.inputs.validation import FALSE_WORDS, TRUE_WORDS
from wfscore.review.decisions import (
    history,
)

REPORT_WORDS = {
    "zh": {
        "columns": {
            "id": "序号",
            "time": "时间",
            "reviewer": "审核人",
            "dept_id": "部门编号",
            "name": "部门",
            "kind": "事项类别",
            "row": "行",
            "item": "事项",
            "field": "内容",
            "old_value": "原值",
            "new_value": "新值",
            "comment": "说明",
            "status": "状态",
        },
        "kinds": {
            "exemptions.csv": "不适用申请",
            "achievements.csv": "奖励成果",
            "incidents.csv": "安全事故",
            "values.csv": "指标数值",
            "ratings.csv": "专家评分",
        },
        "fields": {"confirmed": "是否确认", "severity": "严重程度", "value": "数值", "rating": "评分"},
        "values": {True: "确认", False: "不确认", "ordinary": "一般", "major": "重大", "": "（无此列，计入）"},
        "status": {"in force": "有效", "undone": "已撤销"},
    },
    "en": {
        "columns": {
            "id": "No.",
            "time": "Time",
            "reviewer": "Reviewer",
            "dept_id": "Dept id",
            "name": "Department",
            "kind": "Kind",
            "row": "Row",
            "item": "Item",
            "field": "Field",
            "old_value": "Old value",
            "new_value": "New value",
            "comment": "Comment",
            "status": "Status",
        },
        "kinds": {
            "exemptions.csv": "exemption request",
            "achievements.csv": "achievement",
            "incidents.csv": "incident",
            "values.csv": "indicator value",
            "ratings.csv": "expert rating",
        },
        "fields": {"confirmed": "confirmed", "severity": "severity", "value": "value", "rating": "rating"},
        "values": {
            True: "confirmed",
            False: "not confirmed",
            "ordinary": "ordinary",
            "major": "major",
            "": "(no column: counted)",
        },
        "status": {"in force": "in force", "undone": "undone"},
    },
}


def _value_words(field: str, text: str, w: dict) -> str:
    low = text.strip().casefold()
    if field == "confirmed" and low in TRUE_WORDS | FALSE_WORDS:
        return w["values"][low in TRUE_WORDS]
    return w["values"].get(low, text)


def _department_names(folder: Path) -> dict[str, str]:
    path = folder / "departments.csv"
    if not path.is_file():
        return {}
    text, _, problem = decode(path.read_bytes(), path.name)
    frame, _ = parse_csv(text, "departments", path.name) if not problem else (None, [])
    if frame is None or not {"dept_id", "name"} <= set(frame.columns):
        return {}
    return dict(zip(frame["dept_id"], frame["name"]))


def decisions_table(year_dir: Path | str, lang: str = "zh", include_undone: bool = False) -> pd.DataFrame:
    """The year's decisions from ``decisions.csv``, for the report's adjustment section.

    One row per decision in force (with ``include_undone``, the undone ones too, their
    status saying so), oldest first, with the department's name, the kind of item
    and the values in words; column names in ``lang``. Empty (with the columns) when
    nothing was decided.
    """
    if lang not in REPORT_WORDS:
        raise ValueError(f"unknown language {lang!r} (expected one of {', '.join(REPORT_WORDS)})")
    w = REPORT_WORDS[lang]
    folder = Path(year_dir)
    log = history(folder)
    log = log[(log["action"] == "decide") & (include_undone | (log["status"] == "in force"))]
    names = _department_names(folder)
    frame = pd.DataFrame(
        {
            "id": log["id"].to_numpy(),
            "time": log["time"].str.slice(0, 19).str.replace("T", " ").to_numpy(),
            "reviewer": log["reviewer"].to_numpy(),
            "dept_id": log["dept_id"].to_numpy(),
            "name": log["dept_id"].map(names).fillna("").to_numpy(),
            "kind": log["file"].map(w["kinds"]).fillna(log["file"]).to_numpy(),
            "row": pd.to_numeric(log["row"]).to_numpy(dtype=int),
            "item": log["item"].to_numpy(),
            "field": log["field"].map(w["fields"]).fillna(log["field"]).to_numpy(),
            "old_value": [_value_words(f, v, w) for f, v in zip(log["field"], log["old_value"])],
            "new_value": [_value_words(f, v, w) for f, v in zip(log["field"], log["new_value"])],
            "comment": log["comment"].to_numpy(),
            "status": log["status"].map(w["status"]).to_numpy(),
        }
    )
    return frame.rename(columns=w["columns"]).reset_index(drop=True)
