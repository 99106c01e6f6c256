"""What the adjustments desk reviews, and what each decision would do, from data already loaded.

The items are the rows of ``exemptions.csv``, ``achievements.csv`` and
``incidents.csv``. A decision on one (confirm, reject, change the severity) is a new
cell value; :func:`after` applies it to the loaded tables in memory and rebuilds the
year with :func:`wfscore.inputs.loading.rebuild` (every check, no file read), and
:func:`effect` compares the department's total, rank, effective weights and the
excellence list before and after.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from wfscore.engine.result import Result
from wfscore.inputs.loading import YearData, rebuild
from wfscore.inputs.validation import counted
from wfscore.review.cell_edit import cell_text, edit_frame

KINDS = ("exemptions", "achievements", "incidents")

# Each action: the field it sets and the value (True/False for confirmed, a severity).
ACTIONS = {
    "confirm": ("confirmed", True),
    "reject": ("confirmed", False),
    "major": ("severity", "major"),
    "ordinary": ("severity", "ordinary"),
}


def actions_for(kind: str) -> tuple[str, ...]:
    return ("confirm", "reject", "major", "ordinary") if kind == "incidents" else ("confirm", "reject")


def items(data: YearData, decided: dict[tuple[str, int], list[int]]) -> pd.DataFrame:
    """One row per item to review: kind, line, dept_id, d (department position),
    indicator, text (reason, title or description), date, severity, counts (whether
    it counts now), confirmed (the cell, empty without the column), decided (a decision in
    force on the row), pending (not decided and not counting: what awaits a reviewer)."""
    position = pd.Series(np.arange(len(data.dept_ids)), index=data.dept_ids)
    frames = []
    for kind in KINDS:
        table = data.tables[kind]
        text_field = {"exemptions": "reason", "achievements": "title", "incidents": "description"}[kind]
        frame = pd.DataFrame(
            {
                "kind": kind,
                "line": table.index.to_numpy(dtype=int),
                "dept_id": table["dept_id"].to_numpy(),
                "indicator": table["indicator"].to_numpy() if "indicator" in table else "",
                "text": table[text_field].to_numpy() if text_field in table else "",
                "date": table["date"].to_numpy() if "date" in table else "",
                "severity": table["severity"].str.casefold().to_numpy() if "severity" in table else "",
                "confirmed": table["confirmed"].to_numpy() if "confirmed" in table else "",
                "counts": counted(table),
            }
        )
        frames.append(frame)
    out = pd.concat(frames, ignore_index=True)
    out["d"] = position[out["dept_id"]].to_numpy() if len(out) else np.zeros(0, dtype=int)
    out["decided"] = [(f"{k}.csv", int(n)) in decided for k, n in zip(out["kind"], out["line"])]
    # pending: nobody has decided it, and it does not count as it stands (a new request, an
    # unrecognised achievement, an incident marked as not standing)
    out["pending"] = ~out["decided"].to_numpy(dtype=bool) & ~out["counts"].to_numpy(dtype=bool)
    return out


def new_value(data: YearData, kind: str, line: int, action: str) -> tuple[str, str]:
    """(field, cell text) that ``action`` writes on ``line`` of ``kind``, in the
    words the column already uses."""
    field, value = ACTIONS[action]
    if action in ("major", "ordinary") and kind != "incidents":
        raise ValueError(f"{action} is a decision on incidents, not on {kind}")
    table = data.tables[kind]
    like = table.loc[line, field] if field in table else ""
    return field, cell_text(field, value, like)


def after(data: YearData, kind: str, line: int, action: str) -> YearData:
    """The year as it would be with ``action`` taken on ``line`` of ``kind`` (no file read)."""
    field, text = new_value(data, kind, line, action)
    return rebuild(data, **{kind: edit_frame(data.tables[kind], line, field, text)})


def is_current(data: YearData, kind: str, line: int, action: str) -> bool:
    """Whether ``action`` would leave the row as it is (confirming a confirmed row)."""
    table = data.tables[kind]
    field, value = ACTIONS[action]
    if field == "severity":
        return table.loc[line, "severity"].casefold() == value
    return bool(counted(table.loc[[line]])[0]) == value


@dataclass(frozen=True)
class Effect:
    """A decision's effect on one department d, and on the excellence list."""

    d: int
    total: tuple[float, float]
    rank: tuple[int, int]
    eligible: tuple[bool, bool]
    excellent: tuple[bool, bool] | None
    weights: list[tuple[str, float, float]]  # indicator, effective weight before, after (changed only)
    excellent_added: list[int]  # department positions
    excellent_removed: list[int]
    others_moved: int  # other departments whose total changed

    @property
    def changes_anything(self) -> bool:
        return (
            self.total[0] != self.total[1]
            or self.rank[0] != self.rank[1]
            or bool(self.weights)
            or self.eligible[0] != self.eligible[1]
            or bool(self.excellent_added or self.excellent_removed)
            or self.others_moved > 0
        )


def effect(before: Result, after_: Result, d: int) -> Effect:
    arr = before.arrays
    changed = ~np.isclose(before.effective_weight[d], after_.effective_weight[d], rtol=0, atol=1e-9)
    weights = [
        (arr.indicator_ids[i], float(before.effective_weight[d, i]), float(after_.effective_weight[d, i]))
        for i in np.flatnonzero(changed)
    ]
    ex_b = before.excellent if before.excellent is not None else np.zeros(len(before.total), bool)
    ex_a = after_.excellent if after_.excellent is not None else np.zeros(len(after_.total), bool)
    moved = before.total != after_.total
    moved[d] = False
    return Effect(
        d=d,
        total=(float(before.total[d]), float(after_.total[d])),
        rank=(int(before.rank[d]), int(after_.rank[d])),
        eligible=(bool(before.eligible[d]), bool(after_.eligible[d])),
        excellent=(None if before.excellent is None and after_.excellent is None else (bool(ex_b[d]), bool(ex_a[d]))),
        weights=weights,
        excellent_added=[int(k) for k in np.flatnonzero(ex_a & ~ex_b)],
        excellent_removed=[int(k) for k in np.flatnonzero(ex_b & ~ex_a)],
        others_moved=int(moved.sum()),
    )
