"""Charts of a robustness analysis, for the annual report and the what-if panel.

Both take the tables of :func:`wfscore.analysis.sensitivity.analyse` and return a matplotlib
``Figure`` (not drawn through pyplot, so nothing is shown twice in a notebook and a
server can render it with ``fig.savefig``). Chinese by default, English with
``lang="en"``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from wfscore.inputs.wording import words
from wfscore.publish.charts import NAMED_BARS, UNNAMED_INCHES, blank_figure, chart_style, short, text_inches

TEXT = {
    "zh": {
        "rank_title": "名次的稳健性：5–95% 区间与中位数（按名义名次排列）",
        "rank_axis": "名次",
        "interval": "5–95% 区间",
        "median": "中位数",
        "nominal": "名义名次",
        "index_title": "敏感性指数：各不确定输入对平均名次变动的影响",
        "first": "一阶指数",
        "total": "总效应指数",
        "index_axis": "指数（须线为置信区间）",
        "no_inputs": "没有不确定输入",
    },
    "en": {
        "rank_title": "Robustness of the ranking: 5–95% interval and median (in nominal rank order)",
        "rank_axis": "Rank",
        "interval": "5–95% interval",
        "median": "Median",
        "nominal": "Nominal rank",
        "index_title": "Sensitivity indices: effect of each uncertain input on the mean rank shift",
        "first": "First order",
        "total": "Total order",
        "index_axis": "Index (whiskers: confidence interval)",
        "no_inputs": "no uncertain inputs",
    },
}


def _text(lang: str) -> dict[str, str]:
    words(lang)  # the same error for an unknown language as everywhere else
    return TEXT[lang]


def rank_interval_chart(
    table: pd.DataFrame, lang: str = "zh", limit: int | None = None, title: str | None = None
) -> Figure:
    """Departments in nominal rank order (first at the top): the median rank as a dot,
    the 5–95% interval as a bar, the nominal rank as a tick. ``table`` is
    ``analyse(...).table``; ``limit`` keeps the first n departments."""
    t = _text(lang)
    rows = table.sort_values("nominal_rank", kind="stable")
    if limit is not None:
        rows = rows.head(limit)
    n = len(rows)
    named = n <= NAMED_BARS  # more: one picture of a page's height, the departments unnamed
    labels = [short(x) for x in (rows["dept_id"] if lang == "en" else rows["name"])] if named else []
    size = 7 if n > 40 else 9
    height = max(3.0, 0.16 * n + 1.6) if named else UNNAMED_INCHES
    thin = 1.0 if named else NAMED_BARS / n  # lines and dots as thin as the rows
    with chart_style():
        # fixed margins (a layout engine would measure every one of the n labels again and again)
        fig = blank_figure(
            8, height, {"left": (text_inches(labels, size) if named else 0) + 0.25, "top": 0.75, "bottom": 0.75}
        )
        ax = fig.subplots()
        y = np.arange(n)
        ax.hlines(y, rows["rank_p05"], rows["rank_p95"], color="#9ecae1", linewidth=4 * thin, label=t["interval"])
        ax.scatter(rows["nominal_rank"], y, marker="|", s=60 * thin, color="#444444", zorder=3, label=t["nominal"])
        ax.scatter(rows["median_rank"], y, s=14 * thin, color="#08519c", zorder=4, label=t["median"])
        if named:
            ax.set_yticks(y, labels, fontsize=size)
        else:
            ax.set_yticks([])
        ax.set_ylim(n - 0.5, -0.5)
        ax.set_xlabel(t["rank_axis"])
        ax.set_xlim(0.5, max(float(rows["rank_p95"].max()), float(rows["nominal_rank"].max())) + 0.5)
        ax.xaxis.set_ticks_position("both")
        ax.tick_params(axis="x", labeltop=True)
        ax.grid(axis="x", color="#dddddd", linewidth=0.5)
        # above the top tick labels: 0.35 inch over the axes, whatever the chart's height
        ax.set_title(title or t["rank_title"], fontsize=11, y=1 + 0.35 / (height - 1.5))
        fig.legend(loc="lower center", ncols=3, fontsize=8, frameon=False, markerscale=1 / thin)
    return fig


def sensitivity_chart(indices: pd.DataFrame, lang: str = "zh", title: str | None = None) -> Figure:
    """First- and total-order index of each uncertain input as bars, with their
    confidence intervals as whiskers. ``indices`` is ``analyse(...).indices``."""
    t = _text(lang)
    rows = indices.sort_values("total", ascending=True, kind="stable")
    names = [short(x) for x in (rows["name_en"] if lang == "en" else rows["name"])]
    n = len(rows)
    height = max(2.5, 0.45 * n + 1.4)
    with chart_style():
        fig = blank_figure(8, height, {"left": text_inches(names, 9) + 0.3, "top": 0.45, "bottom": 0.95})
        ax = fig.subplots()
        ax.set_title(title or t["index_title"], fontsize=11)
        if n == 0:
            ax.text(0.5, 0.5, t["no_inputs"], ha="center", va="center", transform=ax.transAxes)
            ax.set_axis_off()
            return fig
        y = np.arange(n)
        bar = 0.38
        for offset, kind, color in ((-bar / 2, "first", "#6baed6"), (bar / 2, "total", "#08519c")):
            value = rows[kind].to_numpy(dtype=float)
            err = np.vstack(
                [value - rows[f"{kind}_low"].to_numpy(dtype=float), rows[f"{kind}_high"].to_numpy(dtype=float) - value]
            )
            ax.barh(
                y + offset,
                value,
                height=bar,
                color=color,
                label=t[kind],
                xerr=np.clip(np.nan_to_num(err), 0, None),
                error_kw={"ecolor": "#333333", "capsize": 3, "linewidth": 0.8},
            )
        ax.set_yticks(y, names, fontsize=9)
        ax.axvline(0, color="#333333", linewidth=0.8)
        ax.set_xlabel(t["index_axis"])
        ax.grid(axis="x", color="#dddddd", linewidth=0.5)
        fig.legend(loc="lower center", ncols=2, fontsize=8, frameon=False)
    return fig


def report_section(result, lang: str = "zh", samples: int = 10_000, seed: int = 0):
    """The annual report's robustness section: a Monte Carlo of ``result``'s scheme
    (default uncertain inputs), its two charts and the ten departments that move most."""
    from wfscore.analysis.sensitivity import analyse
    from wfscore.analysis.uncertainty import Uncertainty
    from wfscore.publish.charts import embed
    from wfscore.publish.report_text import report_words
    from wfscore.publish.tables import Section, esc, frame_html, note

    t, w = report_words(lang), words(lang)
    uncertainty = Uncertainty()
    rob = analyse(result.data, scheme=result.scheme, uncertainty=uncertainty, samples=samples, seed=seed)
    movers = rob.movers(10)
    frame = pd.DataFrame(
        {
            t["official_rank"]: movers["nominal_rank"].to_numpy(),
            w["department"]: movers["name"].to_numpy(),
            t["median_rank"]: movers["median_rank"].to_numpy(),
            t["interval"]: [f"{lo:g}–{hi:g}" for lo, hi in zip(movers["rank_p05"], movers["rank_p95"])],
        }
    )
    if "p_excellent" in movers:  # only a scheme with the excellence rule names excellent departments
        frame[t["p_excellent"]] = [f"{p:.0%}" for p in movers["p_excellent"]]
    return Section(
        t["robustness"],
        [
            note(t["robustness_note"].format(spread=uncertainty.weight_spread, n=samples, seed=seed)),
            embed(rank_interval_chart(rob.table, lang), t["robustness"]),
            embed(sensitivity_chart(rob.indices, lang), t["robustness"]),
            f"<h3>{esc(t['movers'])}</h3>",
            frame_html(frame),
        ],
    )
