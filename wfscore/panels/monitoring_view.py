"""The what-if panel's view of the monitoring: the indicators whose values come from the
office's monitoring (one more source beside the departments, the experts and the office),
each measure over the period, and for the departments picked what each figure rests on."""

from __future__ import annotations

import numpy as np

from wfscore.inputs import inert
from wfscore.inputs.loading import YearData
from wfscore.inputs.monitoring.figures import MEASURE_NAMES, basis_text, period_text
from wfscore.inputs.scheme import label

WORDS = {
    "zh": {
        "head": "取自日常监测的指标（{period}，{start} 至 {end}）",
        "indicator": "指标",
        "measure": "监测项",
        "with": "有数据的部门",
        "median": "中位数",
        "lowest": "最低",
        "none": "本方案没有取自日常监测的指标；监测数据见年度报告。",
    },
    "en": {
        "head": "Indicators taken from the monitoring ({period}, {start} to {end})",
        "indicator": "Indicator",
        "measure": "Measure",
        "with": "Departments with a figure",
        "median": "Median",
        "lowest": "Lowest",
        "none": "No indicator of this scheme is taken from the monitoring; the report shows its figures.",
    },
}


def _figure(measure: str, value: float) -> str:
    return "-" if np.isnan(value) else (f"{value:g}" if measure == "logins" else f"{value:.1f}%")


def monitoring_html(year: YearData, lang: str = "zh", picked: list[int] | None = None) -> str:
    """The view as HTML; empty when the year has no monitoring."""
    figures = year.monitoring
    if figures is None:
        return ""
    w = WORDS["en" if lang == "en" else "zh"]
    names = MEASURE_NAMES["en" if lang == "en" else "zh"]
    head = w["head"].format(period=period_text(figures, lang), start=figures.start, end=figures.end)
    measured = [i for i in year.scheme.indicators if i.source == "monitoring" and i.measure]
    if not measured:
        return f'<div class="wf-monitoring"><b>{inert.html(head)}</b><p>{inert.html(w["none"])}</p></div>'
    cells = "".join(f"<th>{inert.html(w[k])}</th>" for k in ("indicator", "measure", "with", "median", "lowest"))
    rows = []
    for ind in measured:
        values = figures.value[ind.measure]
        known = values[~np.isnan(values)]
        rows.append(
            f"<tr><td>{inert.html(ind.id)} {inert.html(label(ind, lang))}</td>"
            f"<td>{inert.html(names[ind.measure])}</td><td>{len(known)}</td>"
            f"<td>{_figure(ind.measure, float(np.median(known)) if len(known) else np.nan)}</td>"
            f"<td>{_figure(ind.measure, float(known.min()) if len(known) else np.nan)}</td></tr>"
        )
    picked_lines = []
    for d in picked or []:
        texts = (
            "；".join(basis_text(figures, ind.measure, d, lang) for ind in measured)
            if lang != "en"
            else "; ".join(basis_text(figures, ind.measure, d, lang) for ind in measured)
        )
        who = f"{year.dept_ids[d]} {year.departments['name'].iloc[d]}"
        picked_lines.append(
            f"<li>{inert.html(who)}：{inert.html(texts)}</li>"
            if lang != "en"
            else f"<li>{inert.html(who)}: {inert.html(texts)}</li>"
        )
    listed = f"<ul>{''.join(picked_lines)}</ul>" if picked_lines else ""
    return (
        f'<div class="wf-monitoring"><b>{inert.html(head)}</b><table class="wf-table"><thead><tr>{cells}'
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table>{listed}</div>"
    )
