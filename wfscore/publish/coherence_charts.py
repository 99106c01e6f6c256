"""The statistical audit of the scheme in the annual report: a correlation heatmap, the
main effects beside the weight shares, the category table and the flags in sentences.

Charts take an :class:`~wfscore.analysis.coherence.Audit` and return a matplotlib
``Figure``; :func:`report_section` builds the report's section from a scored year.
Labels come from the scheme (``name``, or ``name_en`` under ``lang="en"``), drawn with
the CJK font; text from the inputs is escaped in the HTML and drawn literally.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from wfscore.analysis.coherence import Audit, audit, text as audit_text
from wfscore.engine.result import Result
from wfscore.publish.charts import blank_figure, chart_style, embed, text_inches
from wfscore.publish.tables import Section, esc, frame_html, note

TEXT = {
    "zh": {
        "title": "指标体系统计检验",
        "note": "按欧盟委员会联合研究中心（JRC）审核综合指数的方法（Paruolo、Saisana、Saltelli，2013）检验本方案："
        "指标之间是否重复、各类指标是否一致、各指标对总分差异的实际影响（主效应，即总分对该指标的"
        "相关比 / 一阶敏感性指数，用惩罚样条回归估计，{resamples} 次自助抽样给出 95% 区间，随机种子 {seed}）"
        "是否与其权重占比相符。主效应占比 = 该指标主效应 / 全部指标主效应之和。",
        "no_bootstrap": "（未做自助抽样，没有区间。）",
        "heatmap_title": "指标得分的相关系数（各对指标均适用的部门）",
        "effects_title": "主效应占比与权重占比",
        "weight_share": "权重占比",
        "main_effect_share": "主效应占比",
        "share_axis": "占比",
        "cannot": "无法计算",
        "flags": "检验发现",
        "indicators_table": "各指标的相关与主效应",
        "no_indicators": "没有可计算的指标",
        "pairs_table": "高度相关的指标对（|r| ≥ {threshold:.2f}）",
    },
    "en": {
        "title": "Statistical audit of the indicator system",
        "note": "The scheme audited as the European Commission's Joint Research Centre audits composite indicators "
        "(Paruolo, Saisana and Saltelli 2013): are indicators redundant, do the categories hang together, "
        "and does each indicator's actual effect on the spread of the totals (its main effect: the "
        "correlation ratio, or first-order sensitivity index, of the total on the indicator, estimated by "
        "a penalised spline regression, with a 95% interval from {resamples} bootstrap resamples, seed "
        "{seed}) match its share of the weight? Share of main effects = the indicator's main effect / the "
        "sum of all main effects.",
        "no_bootstrap": "(No bootstrap: no intervals.)",
        "heatmap_title": "Correlations of the indicators' scores (departments to which both apply)",
        "effects_title": "Share of main effects and share of weight",
        "weight_share": "Weight share",
        "main_effect_share": "Share of main effects",
        "share_axis": "Share",
        "cannot": "cannot be computed",
        "flags": "Findings",
        "indicators_table": "Correlations and main effects of each indicator",
        "no_indicators": "no indicator can be assessed",
        "pairs_table": "Highly correlated pairs (|r| ≥ {threshold:.2f})",
    },
}


CELL_NUMBERS = 12  # at most this many indicators: each cell of the heatmap shows its value


def _text(lang: str) -> dict[str, str]:
    audit_text(lang)  # the same error for an unknown language as everywhere else
    return TEXT[lang]


def _labels(a: Audit) -> list[str]:
    return [f"{i} {a.labels[i]}" for i in a.indicators["indicator"]]


def _labels_beside(ax, labels: list[str], size: float) -> None:
    """Row labels as plain text left of the axes (tick objects cost more than the chart)."""
    ax.set_yticks([])
    beside = ax.get_yaxis_transform()
    for y, text in enumerate(labels):
        ax.text(-0.01, y, text, transform=beside, ha="right", va="center", fontsize=size)


def heatmap(a: Audit, lang: str = "zh", title: str | None = None) -> Figure:
    """The indicators' correlation matrix as coloured cells (−1 blue … +1 red), with
    the value in each cell when there are at most 12 indicators; grey where a
    correlation cannot be computed."""
    import matplotlib

    t = _text(lang)
    m = a.correlation.to_numpy(dtype=float)
    n = len(m)
    labels = _labels(a)
    size = 8 if n <= 30 else 6
    cell = 0.32 if n <= 30 else 0.22
    left = text_inches(labels, size) + 0.3
    side = max(2.0, cell * n)
    heading = title or t["heatmap_title"]
    width = max(left + side + 1.2, text_inches([heading], 10) + 0.6)
    height = side + 1.4
    with chart_style():
        fig = blank_figure(width, height, {"left": left, "right": width - left - side, "top": 0.5, "bottom": 0.9})
        ax = fig.subplots()
        cmap = matplotlib.colormaps["RdBu_r"].with_extremes(bad="#cccccc")
        image = ax.imshow(np.ma.masked_invalid(m), cmap=cmap, vmin=-1, vmax=1, aspect="auto", interpolation="nearest")
        ids = list(a.indicators["indicator"])
        _labels_beside(ax, labels, size)
        ax.set_xticks([])
        below = ax.get_xaxis_transform()
        for x, text in enumerate(ids):
            ax.text(x, -0.01, text, transform=below, ha="center", va="top", rotation=90, fontsize=size)
        fig.suptitle(heading, fontsize=10, y=1 - 0.12 / height, va="top")
        ax.spines[:].set_visible(False)
        if n <= CELL_NUMBERS:  # more numbers than that are unreadable (and slow to draw)
            for (r, c), v in np.ndenumerate(m):
                if np.isfinite(v) and r != c:
                    ax.text(
                        c,
                        r,
                        f"{v:.1f}",
                        ha="center",
                        va="center",
                        fontsize=5.5,
                        color="white" if abs(v) > 0.6 else "#222222",
                    )
        fig.colorbar(image, ax=ax, fraction=0.04, pad=0.02)
    return fig


def effects_chart(a: Audit, lang: str = "zh", title: str | None = None) -> Figure:
    """Per indicator, its share of the nominal weight and its share of the main effects
    as two bars; an indicator that cannot be assessed shows the word for it."""
    t = _text(lang)
    ind = a.indicators
    labels = _labels(a)
    n = len(ind)
    height = max(2.5, 0.32 * n + 1.3)
    with chart_style():
        fig = blank_figure(8, height, {"left": text_inches(labels, 8) + 0.3, "top": 0.6, "bottom": 0.95})
        ax = fig.subplots()
        ax.set_title(title or t["effects_title"], fontsize=10)
        y = np.arange(n)
        bar = 0.38
        weight = ind["weight_share"].to_numpy(dtype=float)
        share = ind["main_effect_share"].to_numpy(dtype=float)
        ax.barh(y - bar / 2, weight, height=bar, color="#9ecae1", label=t["weight_share"])
        ax.barh(y + bar / 2, np.nan_to_num(share), height=bar, color="#08519c", label=t["main_effect_share"])
        top = float(np.nanmax(np.concatenate([weight, share, [0.01]])))
        for k in np.flatnonzero(~np.isfinite(share)):
            ax.text(top * 0.01, y[k] + bar / 2, t["cannot"], va="center", fontsize=7, color="#a50f15")
        _labels_beside(ax, labels, 8)
        ax.set_ylim(n - 0.5, -0.5)
        ax.set_xlim(0, top * 1.1)
        ax.xaxis.set_major_formatter(lambda v, _pos: f"{v:.0%}")
        ax.set_xlabel(t["share_axis"])
        ax.grid(axis="x", color="#dddddd", linewidth=0.5)
        ax.set_axisbelow(True)
        fig.legend(loc="lower center", ncols=2, fontsize=8, frameon=False)
    return fig


def _number(v: float, digits: int = 2) -> str:
    return "–" if not np.isfinite(v) else f"{v:.{digits}f}"


def indicators_frame(a: Audit, lang: str = "zh") -> pd.DataFrame:
    """The per-indicator table as the report shows it."""
    t, at = _text(lang), audit_text(lang)
    ind = a.indicators
    return pd.DataFrame(
        {
            at["category"]: [a.labels[c] for c in ind["category"]],
            "": _labels(a),
            t["weight_share"]: [f"{v:.1%}" for v in ind["weight_share"]],
            at["corr_total"]: [_number(v) for v in ind["corr_total"]],
            at["main_effect"]: [_number(v) for v in ind["main_effect"]],
            at["interval"]: [
                "–" if not np.isfinite(lo) else f"{lo:.2f}–{hi:.2f}"
                for lo, hi in zip(ind["main_effect_low"], ind["main_effect_high"])
            ],
            t["main_effect_share"]: ["–" if not np.isfinite(v) else f"{v:.1%}" for v in ind["main_effect_share"]],
            at["status"]: list(ind["status_text"]),
        }
    )


def categories_frame(a: Audit, lang: str = "zh") -> pd.DataFrame:
    at = audit_text(lang)
    c = a.categories
    return pd.DataFrame(
        {
            at["category"]: list(c["name"]),
            at["indicators"]: list(c["indicators"]),
            at["departments"]: list(c["departments"]),
            at["alpha"]: [_number(v) for v in c["alpha"]],
            at["pc1_share"]: ["–" if not np.isfinite(v) else f"{v:.0%}" for v in c["pc1_share"]],
            at["status"]: list(c["status"]),
        }
    )


def pairs_frame(a: Audit, lang: str = "zh") -> pd.DataFrame:
    at = audit_text(lang)
    p = a.pairs
    return pd.DataFrame(
        {
            at["indicator_a"]: [f"{i} {n}" for i, n in zip(p["indicator_a"], p["name_a"])],
            at["indicator_b"]: [f"{i} {n}" for i, n in zip(p["indicator_b"], p["name_b"])],
            at["corr"]: [_number(v) for v in p["corr"]],
        }
    )


def report_section(
    result: Result, lang: str = "zh", resamples: int = 1000, seed: int = 0, audited: Audit | None = None
) -> Section:
    """The annual report's section "指标体系统计检验": the method in one paragraph, the
    flags in sentences, the heatmap, the main effects beside the weights, and the tables.
    Works for any scheme: indicators that cannot be assessed are said so, never dropped."""
    t, at = _text(lang), audit_text(lang)
    a = audited or audit(result, resamples=resamples, seed=seed, lang=lang)
    method = t["note"].format(resamples=resamples, seed=seed) + ("" if resamples else t["no_bootstrap"])
    flags = "".join(f"<li>{esc(s)}</li>" for s in a.sentences(lang))
    parts = [
        note(method),
        f"<h3>{esc(t['flags'])}</h3>",
        f'<ul class="wf-flags">{flags}</ul>',
        embed(heatmap(a, lang), t["heatmap_title"]),
        embed(effects_chart(a, lang), t["effects_title"]),
        f"<h3>{esc(t['indicators_table'])}</h3>",
        frame_html(indicators_frame(a, lang), scroll=True),
        f"<h3>{esc(at['categories_title'])}</h3>",
        frame_html(categories_frame(a, lang)),
        f"<h3>{esc(t['pairs_table'].format(threshold=a.settings['redundancy']))}</h3>",
        frame_html(pairs_frame(a, lang), scroll=True) if len(a.pairs) else note(at["no_pairs"]),
    ]
    return Section(t["title"], parts)
