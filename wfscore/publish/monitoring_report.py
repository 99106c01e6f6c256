"""The annual report's monitoring section (日常监测): each department's availability over
the monitoring period, those below the scheme's threshold, and the sites not on ``.gov.cn``.

Shown only when the year has monitoring (:func:`section` returns None otherwise, and the
notebook's cell shows nothing). Its own words and its own cell in the notebook, so that it
stays apart from the report's other sections.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from wfscore.engine.result import Result
from wfscore.inputs.monitoring.figures import MEASURE_NAMES, Figures, period_text
from wfscore.publish.tables import Section, frame_html, note

WORDS = {
    "zh": {
        "title": "日常监测",
        "dept": "部门",
        "site": "网站",
        "checks": "检查次数",
        "ok": "正常次数",
        "intro": "{period}（{start} 至 {end}），共检查 {sites} 个部门网站 {checks} 次，全部检查中 {share:.1f}% 正常；"
        "可用率 = 正常次数 / 检查次数。",
        "below": "可用率低于 {threshold:g}% 的部门",
        "none_below": "没有部门的可用率低于 {threshold:g}%。",
        "not_gov": "未使用 .gov.cn 域名的网站",
        "all_gov": "所有检查过的网站都在 .gov.cn 域名上。",
        "by_department": "各部门可用率",
        "systems": "系统导入的数据",
        "no_probes": "本监测期内没有网站检查记录。",
        "card_title": "日常监测",
    },
    "en": {
        "title": "Monitoring",
        "dept": "Department",
        "site": "Website",
        "checks": "Checks",
        "ok": "Ok",
        "intro": "{period} ({start} to {end}): {checks} checks of {sites} departments' websites, {share:.1f}% of "
        "them ok; availability = checks ok / checks.",
        "below": "Departments below {threshold:g}% availability",
        "none_below": "No department is below {threshold:g}% availability.",
        "not_gov": "Websites not on .gov.cn",
        "all_gov": "Every website checked is on .gov.cn.",
        "by_department": "Availability by department",
        "systems": "Figures imported from the systems",
        "no_probes": "No website checks in the monitoring period.",
        "card_title": "Monitoring",
    },
}


def _words(lang: str) -> dict[str, str]:
    return WORDS["en" if lang == "en" else "zh"]


def monitoring_lines(result: Result, d: int, lang: str = "zh") -> dict:
    """A department card's monitoring part: each indicator taken from the monitoring, its
    measure and what it rests on ("可用率 97.3%：一年 365 次检查中 355 次正常"), where it
    scores."""
    figures = getattr(result.data, "monitoring", None)
    lines = []
    if figures is not None:
        from wfscore.inputs.monitoring.figures import basis_text
        from wfscore.inputs.scheme import label

        for i, ind in enumerate(result.scheme.indicators):
            # not where the website evaluation or an exemption decides the points
            if ind.source == "monitoring" and ind.measure and not result.overridden[d, i] and not result.exempt[d, i]:
                lines.append(
                    f"{ind.id} {label(ind, lang)}：{basis_text(figures, ind.measure, d, lang)}"
                    if lang != "en"
                    else f"{ind.id} {label(ind, lang)}: {basis_text(figures, ind.measure, d, lang)}"
                )
    return {"monitoring": lines, "monitoring_title": _words(lang)["card_title"]}


def availability_frame(result: Result, figures: Figures, lang: str = "zh") -> pd.DataFrame:
    """One row per department with probes: availability, checks, ok, on .gov.cn, website."""
    t, names = _words(lang), MEASURE_NAMES["en" if lang == "en" else "zh"]
    data = result.data
    probed = figures.basis["availability"] > 0
    ids = data.dept_ids
    frame = pd.DataFrame(
        {
            t["dept"]: [f"{d} {n}" for d, n in zip(ids, data.departments["name"])],
            names["availability"]: figures.value["availability"],
            t["checks"]: figures.basis["availability"],
            t["ok"]: figures.part["availability"].astype(int),
            names["gov_cn"]: figures.value["gov_cn"],
            t["site"]: [figures.sites.get(str(d), "") for d in ids],
        }
    )[probed]
    return frame.sort_values(names["availability"], kind="stable").reset_index(drop=True)


def section(result: Result, lang: str = "zh") -> Section | None:
    """The report's monitoring section, or None when the year has no monitoring."""
    figures = getattr(result.data, "monitoring", None)
    if figures is None or not figures.any:
        return None
    t, names = _words(lang), MEASURE_NAMES["en" if lang == "en" else "zh"]
    m = result.scheme.monitoring
    threshold = m.threshold if m is not None else 95.0
    parts: list[str] = []
    checks = int(figures.basis["availability"].sum())
    if checks:
        frame = availability_frame(result, figures, lang)
        share = 100.0 * float(figures.part["availability"].sum()) / checks
        parts.append(
            note(
                t["intro"].format(
                    period=period_text(figures, lang),
                    start=figures.start,
                    end=figures.end,
                    sites=len(frame),
                    checks=checks,
                    share=share,
                )
            )
        )
        below = frame[frame[names["availability"]] < threshold]
        parts.append(f"<h3>{t['below'].format(threshold=threshold)}</h3>")
        parts.append(frame_html(below) if len(below) else note(t["none_below"].format(threshold=threshold)))
        off = frame[frame[names["gov_cn"]] < 100]
        parts.append(f"<h3>{t['not_gov']}</h3>")
        parts.append(frame_html(off[[t["dept"], names["gov_cn"], t["site"]]]) if len(off) else note(t["all_gov"]))
        parts.append(f"<h3>{t['by_department']}</h3>")
        parts.append(frame_html(frame, scroll=True))
    else:
        parts.append(note(t["no_probes"]))
    imported = [k for k in ("online_rate", "logins") if figures.has(k)]
    if imported:
        data = result.data
        table = pd.DataFrame({t["dept"]: [f"{d} {n}" for d, n in zip(data.dept_ids, data.departments["name"])]})
        for k in imported:
            table[names[k]] = figures.value[k]
        keep = np.any([figures.basis[k] > 0 for k in imported], axis=0)
        parts.append(f"<h3>{t['systems']}</h3>")
        parts.append(frame_html(table[keep], scroll=True))
    return Section(t["title"], parts)
