"""The what-if panel's box "main effects against weights": how each indicator's main
effect on the totals (:mod:`wfscore.analysis.coherence`) moves when weights move.

    box = CoherenceBox(official_result, current=lambda: panel.result, lang="zh")

Recomputed on demand (its button): the scenario is audited without bootstrap (a fit
per indicator, well under a second), set beside the official scheme's audit, shown
as a table (weight share and main effect, official → scenario) and as the chart of
shares of :func:`wfscore.publish.coherence_charts.effects_chart`.
"""

from __future__ import annotations

import html
from typing import Callable

import ipywidgets as widgets
import numpy as np

from wfscore.analysis.coherence import audit, scenario
from wfscore.engine.result import Result
from wfscore.inputs.wording import signed
from wfscore.publish.charts import png
from wfscore.publish.coherence_charts import effects_chart

WORDS = {
    "zh": {
        "button": "主效应与权重（当前方案）",
        "head": "主效应与权重占比：正式方案 → 当前方案",
        "indicator": "指标",
        "weight_share": "权重占比",
        "main_effect": "主效应",
        "change": "主效应变化",
        "status": "说明",
        "note": "主效应 = 总分对该指标的相关比（一阶敏感性指数，惩罚样条估计，未做自助抽样）。"
        "调整权重后点击按钮重新计算。",
        "ok": "正常",
    },
    "en": {
        "button": "Main effects and weights (this scenario)",
        "head": "Main effects and weight shares: official scheme → this scenario",
        "indicator": "Indicator",
        "weight_share": "Weight share",
        "main_effect": "Main effect",
        "change": "Change in main effect",
        "status": "Note",
        "note": "Main effect = the correlation ratio of the total on the indicator (first-order "
        "sensitivity index, penalised-spline estimate, no bootstrap). Press the button "
        "again after moving a weight.",
        "ok": "ok",
    },
}


def _pct(v: float) -> str:
    return "–" if not np.isfinite(v) else f"{v:.1%}"


def _num(v: float) -> str:
    return "–" if not np.isfinite(v) else f"{v:.3f}"


class CoherenceBox(widgets.VBox):
    """A button, a table and a chart; ``frame`` holds the last comparison."""

    def __init__(self, official: Result, current: Callable[[], Result], lang: str = "zh"):
        self.official, self.current, self.lang = official, current, lang
        self.w = WORDS[lang]
        self.official_audit = None
        self.frame = None
        self.button = widgets.Button(
            description=self.w["button"], icon="balance-scale", layout=widgets.Layout(width="auto")
        ).add_class("wf-coherence-button")
        self.button.on_click(lambda _: self.refresh())
        self.table_html = widgets.HTML().add_class("wf-coherence")
        # hidden until the first audit draws it: an empty image shows as a broken one
        self.image = widgets.Image(format="png", layout=widgets.Layout(display="none", max_width="100%"))
        super().__init__([self.button, self.table_html, self.image])
        self.add_class("wf-coherence-box")

    def refresh(self):
        """Audit the current scenario and show it beside the official scheme."""
        if self.official_audit is None:
            self.official_audit = audit(self.official, resamples=0, lang=self.lang)
        changed = self.current()
        after = audit(changed, resamples=0, lang=self.lang)
        self.frame = frame = scenario(
            self.official, changed, lang=self.lang, official_audit=self.official_audit, changed_audit=after
        )
        w = self.w
        head = "".join(
            f"<th>{html.escape(w[k])}</th>" for k in ("indicator", "weight_share", "main_effect", "change", "status")
        )
        rows = "".join(
            f"<tr><td>{html.escape(f'{r.indicator} {r.name}')}</td>"
            f"<td>{_pct(r.official_weight_share)} → {_pct(r.weight_share)}</td>"
            f"<td>{_num(r.official_main_effect)} → {_num(r.main_effect)}</td>"
            f"<td>{signed(r.change, 3, zero=None)}</td><td>{html.escape(str(r.status_text))}</td></tr>"
            for r in frame.itertuples()
        )
        self.table_html.value = (
            f"<b>{html.escape(w['head'])}</b><p>{html.escape(w['note'])}</p>"
            f'<div style="overflow-x: auto"><table class="wf-table"><thead><tr>{head}</tr>'
            f"</thead><tbody>{rows}</tbody></table></div>"
        )
        self.image.value = png(effects_chart(after, self.lang))
        self.image.layout.display = None
        return frame
