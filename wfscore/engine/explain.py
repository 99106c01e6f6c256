"""A department's breakdown as text: every point, and every adjustment with its reason.

This is what an analyst reads out when a department disputes its score.
"""

from __future__ import annotations

import numpy as np

from wfscore.engine.result import Result
from wfscore.inputs.scheme import label
from wfscore.inputs.terminal import table as text_table
from wfscore.inputs.validation import counted
from wfscore.inputs.wording import words


def _num(x: float) -> str:
    return "-" if x is None or (isinstance(x, float) and np.isnan(x)) else f"{x:.2f}"


def _points(x: float) -> str:
    return f"{x:g}"


def _indent(text: str, by: str) -> str:
    return "\n".join(by + line for line in text.splitlines())


def explain(result: Result, dept_id: str, lang: str = "zh") -> str:
    """The breakdown of one department in ``result`` as printable text."""
    w = words(lang)
    d = result.position(dept_id)
    scheme, arr = result.scheme, result.arrays
    dept = result.data.departments.iloc[d]
    yes_no = lambda flag: w["yes"] if flag else w["no"]  # noqa: E731
    lines = [
        f"{dept['name']}（{dept['dept_id']}，{scheme.kind_name(dept['kind'], lang)}）"
        if lang == "zh"
        else f"{dept['name']} ({dept['dept_id']}, {scheme.kind_name(dept['kind'], lang)})"
    ]
    head = [
        f"{w['total']} {_num(result.total[d])} / {_points(float(arr.weight.sum()))}",
        f"{w['rank']} {result.rank[d]} ({w['of'].format(n=len(result.rank))})",
        f"{w['eligible']}: {yes_no(result.eligible[d])}",
    ]
    if result.excellent is not None:
        head.append(f"{w['excellent']}: {yes_no(result.excellent[d])}")
    if result.converted is not None:
        head.append(f"{w['converted']} {_num(result.converted[d])}")
    lines.append("  ".join(head))
    if result.data.synthetic:
        lines.append(w["synthetic"])

    notes = result.detail(lang)
    notes = notes[notes["dept_id"] == dept["dept_id"]].set_index("indicator")["note"]
    c = 0
    for s_n, section in enumerate(scheme.sections):
        lines.append("")
        lines.append(f"{label(section, lang)} {_num(result.section[d, s_n])} / {_points(section.points)}")
        for category in section.categories:
            own = arr.category_of == c
            effective = float(result.effective_weight[d, own].sum())
            points = _points(category.points)
            if abs(effective - category.points) > 1e-9:
                points = f"{effective:.2f} ({w['nominal']} {points})"
            lines.append(f"  {label(category, lang)} {_num(result.category[d, c])} / {points}")
            header = [
                w["indicator"],
                w["indicator_name"],
                w["value"],
                w["ratings"],
                w["base"],
                w["weight"],
                w["effective_weight"],
                w["score"],
                w["note"],
            ]
            rows = []
            for ind in category.indicators:
                i = arr.position[ind.id]
                rated = result.data.ratings[d, i] if result.data.ratings.shape[-1] else []
                rated = " ".join(f"{x:g}" for x in rated if not np.isnan(x))
                rows.append(
                    [
                        ind.id,
                        label(ind, lang),
                        _num(result.value[d, i]),
                        rated or "-",
                        _num(result.base[i]),
                        _points(ind.weight),
                        _num(result.effective_weight[d, i]),
                        _num(result.score[d, i]),
                        notes.get(ind.id, ""),
                    ]
                )
            right = [False, False, True, True, True, True, True, True, False]
            lines.append(_indent(text_table(header, rows, right), "    "))
            c += 1

    log = result.adjustments(lang)
    log = log[log["dept_id"] == dept["dept_id"]]
    lines += ["", w["adjustments"]]
    if log.empty:
        lines.append("  " + w["no_adjustments"])
    for row in log.itertuples():
        where = f"{row.indicator}: " if row.indicator else ""
        lines.append(f"  [{row.step}] {where}{row.reason}")

    tables = result.data.tables
    for key, table, fields in (
        ("requests", "exemptions", ("indicator", "reason")),
        ("achievements_list", "achievements", ("indicator", "title")),
    ):
        frame = tables[table]
        frame = frame[frame["dept_id"] == dept["dept_id"]]
        if frame.empty:
            continue
        lines += ["", w[key]]
        for (_, row), ok in zip(frame.iterrows(), counted(frame)):
            lines.append(f"  {row[fields[0]]}: {row[fields[1]]} ({w['confirmed'] if ok else w['unconfirmed']})")
    frame = tables["incidents"]
    frame = frame[frame["dept_id"] == dept["dept_id"]]
    if not frame.empty:
        lines += ["", w["incidents_list"]]
        for (_, row), ok in zip(frame.iterrows(), counted(frame)):
            lines.append(
                f"  {row['date']} {w['severity_' + row['severity'].casefold()]}: {row['description']}"
                + ("" if ok else f" ({w['unconfirmed']})")
            )
    return "\n".join(lines)
