"""The what-if panel: change weights and rules, and see the ranking move.

    from wfscore.panels.whatif import WhatIf
    WhatIf(wfscore.load_year("data/2011"))          # in JupyterLab, or served by Voilà

Every control edits one scenario scheme (:mod:`wfscore.analysis.scenario`): a modified copy
of ``year.scheme``, scored with ``wfscore.score(year, scenario)`` on the data
already loaded, without reading any file. Sliders update on release
(``continuous_update=False``), so a drag is one recomputation, not dozens.
"""

from __future__ import annotations

import base64
import io
import time
from contextlib import contextmanager
from pathlib import Path

import ipywidgets as widgets
import numpy as np

from wfscore.analysis.scenario import (
    MIN_WEIGHT,
    rank_changes,
    results_csv,
    summary,
    with_points,
    with_rules,
    with_weight,
)
from wfscore.engine.pipeline import score
from wfscore.engine.result import Result
from wfscore.inputs import inert
from wfscore.inputs.loading import YearData
from wfscore.inputs.output import staged
from wfscore.inputs.scheme import Scheme, label
from wfscore.inputs.wording import rank_move, signed, words
from wfscore.panels.coherence_view import CoherenceBox
from wfscore.panels.monitoring_view import monitoring_html
from wfscore.panels.whatif_charts import Distributions, SlopeChart

PERCENTILES = (99.0, 95.0, 90.0)
TABLE_ROWS = 40  # rank-change rows shown; the CSV export has them all

WORDS = {
    "zh": {
        "title": "假设分析：调整权重与规则，查看名次变化",
        "weights": "分值与权重",
        "rules": "规则",
        "keep": "调整时保持各部分总分不变",
        "not_applicable": "不适用指标",
        "na_category": "在类别内重新分配",
        "na_section": "在部分内重新分配",
        "na_none": "不重新分配",
        "security": "安全事故扣分类别",
        "security_none": "不扣分",
        "website": "网站评估",
        "website_on": "政府部门按全市网站评估计分",
        "website_off": "关闭（按各部门指标数据计分）",
        "ratings": "专家评分汇总",
        "trimmed_mean": "去掉最高最低分后平均",
        "mean": "平均",
        "median": "中位数",
        "index_base": "综合指数基数",
        "base_max": "最高值（官方）",
        "base_pct": "第 {p:g} 百分位（得分封顶）",
        "picker": "突出显示部门",
        "reset": "恢复官方方案",
        "export": "导出假设方案",
        "download_scheme": "下载 scheme.yaml",
        "download_csv": "下载结果 CSV",
        "changes": "名次变化（与官方方案相比，按变动幅度排序）",
        "no_moves": "没有部门名次变化。",
        "more_rows": "另有 {n} 个部门名次未变或未显示；完整结果请导出 CSV。",
        "breakdown": "所选部门得分明细（假设方案，括号内为与官方的差）",
        "pick_some": "在左侧选择部门以查看明细。",
        "dept": "部门",
        "official_rank": "官方名次",
        "rank": "假设名次",
        "move": "变动",
        "official_total": "官方总分",
        "total": "假设总分",
        "summary_none": "与官方方案相比，没有部门名次变化；",
        "summary_moved": "{moved} 个部门名次变化（上升 {up}，下降 {down}），最大变动 {largest} 位（{who}）；",
        "excellence_same": "优秀名单不变。",
        "excellence_changed": "优秀名单变化：{parts}。",
        "added": "新增 {names}",
        "removed": "移出 {names}",
        "no_excellence": "本方案未设优秀名额。",
        "missing": "注意：{n} 个部门-指标缺少数据，按 0 分计（官方方案 {m} 个）。",
        "points": "分",
        "section_title": "{name}（{points:g}）",
        "section_changed": "{name}（{points:g}，原 {official:g}）",
        "total_changed": "注意：当前方案各部分合计 {total:g} 分，不再是 {official:g} 分（{parts}）；"
        "总分按各项指标现在的分值相加，名次照此比较。勾选“调整时保持各部分总分不变”可保持原有分值。",
        "part_changed": "{name} {points:g}（原 {official:g}）",
        "robust": "稳健性分析（1000 次抽样）",
        "robust_head": "稳健性：对当前方案的权重（±25%）与规则理解做 {n} 次抽样，名次的中位数与 5%–95% 区间",
        "robust_done": "{n} 次抽样，用时 {seconds:.2f} 秒。名次最不稳定的部门：",
        "dept_id": "部门编号",
        "nominal_rank": "当前方案名次",
        "median_rank": "名次中位数",
        "interval": "名次 5%–95% 区间",
    },
    "en": {
        "title": "What if: change weights and rules, and see the ranking move",
        "weights": "Points and weights",
        "rules": "Rules",
        "keep": "Keep each section's total fixed",
        "not_applicable": "Not applicable",
        "na_category": "redistribute within the category",
        "na_section": "redistribute within the section",
        "na_none": "do not redistribute",
        "security": "Security incident zeroes",
        "security_none": "nothing",
        "website": "Website evaluation",
        "website_on": "government departments take the city's evaluation",
        "website_off": "off (every department on its own values)",
        "ratings": "Ratings",
        "trimmed_mean": "trimmed mean",
        "mean": "mean",
        "median": "median",
        "index_base": "Index base",
        "base_max": "maximum (official)",
        "base_pct": "{p:g}th percentile (capped)",
        "picker": "Highlight departments",
        "reset": "Reset to the official scheme",
        "export": "Export scenario",
        "download_scheme": "Download scheme.yaml",
        "download_csv": "Download results CSV",
        "changes": "Rank changes against the official scheme, largest first",
        "no_moves": "No department moved.",
        "more_rows": "{n} more departments did not move or are not shown; export the CSV for all.",
        "breakdown": "Picked departments under the scenario (difference from official in brackets)",
        "pick_some": "Pick departments on the left to see their breakdown.",
        "dept": "Department",
        "official_rank": "Official rank",
        "rank": "Scenario rank",
        "move": "Move",
        "official_total": "Official total",
        "total": "Scenario total",
        "summary_none": "No department moved against the official scheme; ",
        "summary_moved": "{moved} departments moved ({up} up, {down} down); the largest move is "
        "{largest} places ({who}); ",
        "excellence_same": "the excellence list is unchanged.",
        "excellence_changed": "the excellence list changed: {parts}.",
        "added": "in: {names}",
        "removed": "out: {names}",
        "no_excellence": "the scheme names no excellence share.",
        "missing": "Note: {n} department-indicator pairs have no value and score 0 (official: {m}).",
        "points": "pts",
        "section_title": "{name} ({points:g})",
        "section_changed": "{name} ({points:g}, was {official:g})",
        "total_changed": "Note: the scenario's sections now add up to {total:g} points, not {official:g} ({parts}); "
        "totals add the indicators' points as they are now, and ranks compare those. Tick "
        "\u201cKeep each section's total fixed\u201d to keep the points as they were.",
        "part_changed": "{name} {points:g} (was {official:g})",
        "robust": "Robustness (1000 samples)",
        "robust_head": "Robustness: {n} samples of the current scenario's weights (±25%) and rule readings; "
        "median rank and 5–95% interval",
        "robust_done": "{n} samples in {seconds:.2f} s. The departments whose rank moves most:",
        "dept_id": "Department id",
        "nominal_rank": "Scenario rank",
        "median_rank": "Median rank",
        "interval": "5–95% rank interval",
    },
}

CSS = """<style>
.wf-table {border-collapse: collapse; font-size: 12px;}
.wf-table thead th {position: sticky; top: 0; background: var(--jp-layout-color0, #fff); white-space: normal;
  word-break: keep-all; vertical-align: bottom;}
.wf-table th, .wf-table td {padding: 2px 6px; border-bottom: 1px solid #ddd; text-align: right;
  white-space: nowrap;}
.wf-table th:nth-child(-n+2), .wf-table td:nth-child(-n+2) {text-align: left;}
.wf-up {color: #2e7d32; font-weight: bold;} .wf-down {color: #c62828; font-weight: bold;}
.wf-scroll {max-height: 420px; overflow-y: auto;}
.wf-scroll-x {max-width: 100%; overflow-x: auto;}
.wf-whatif .widget-html, .wf-whatif .widget-html-content {max-width: 100%; min-width: 0;}
/* long slider labels wrap onto a second line instead of being cut (and keep their tooltip) */
.wf-whatif .widget-slider {height: auto; min-height: var(--jp-widgets-inline-height, 28px);}
.wf-whatif .widget-slider .widget-label {white-space: normal; overflow: visible; text-overflow: clip;
  height: auto; line-height: 1.2; align-self: center;}
.wf-whatif .widget-button {overflow: visible; height: auto; min-height: var(--jp-widgets-inline-height, 28px);
  white-space: normal; line-height: 1.3;}
.wf-banner {background: #fff3cd; border: 1px solid #e0c36c; padding: 4px 8px;}
</style>"""


def _move(move: int) -> str:
    if move == 0:
        return rank_move(move)
    return f'<span class="wf-{"up" if move > 0 else "down"}">{rank_move(move)}</span>'


def _download(text: str, filename: str, mime: str, caption: str) -> str:
    payload = base64.b64encode(text.encode("utf-8")).decode("ascii")
    return (
        f'<a download="{inert.html(filename)}" href="data:{mime};charset=utf-8;base64,{payload}" '
        f'style="margin-right:1em">{inert.html(caption)}</a>'
    )


class WhatIf(widgets.VBox):
    """The what-if panel for one loaded year. Display it (it is an ipywidgets box).

    Attributes for programs and tests: ``weight_sliders`` and ``points_sliders``
    (by indicator and category id), ``keep_section``, ``not_applicable``,
    ``security``, ``website``, ``ratings``, ``index_base``, ``picker``,
    ``reset_button``; ``scheme`` (the scenario), ``result`` and ``official``
    (Results), ``changes`` (rank changes), ``summary_text``.
    """

    def __init__(self, year: YearData, lang: str = "zh", picked: tuple[str, ...] = ()):
        self.year, self.lang = year, lang
        self.w = WORDS[lang]
        self.official_scheme: Scheme = year.scheme
        self.official: Result = score(year)
        self.scheme: Scheme = year.scheme.model_copy(deep=True)
        self.result: Result = self.official
        self._holding = False
        self.timing: dict[str, float] = {}
        names = year.departments["name"].to_numpy()
        self._names = names
        self._ids = year.dept_ids

        controls = self._build_controls(picked)
        self.summary_html = widgets.HTML().add_class("wf-summary")
        self.changes_html = widgets.HTML().add_class("wf-changes")
        self.breakdown_html = widgets.HTML().add_class("wf-breakdown")
        self._slope = SlopeChart(len(names), lang)
        self._distributions = Distributions(len(names), [label(c, lang) for c in self.official_scheme.categories], lang)
        self.slope_image = self._image(self._slope.figure).add_class("wf-slope")
        self.distribution_image = self._image(self._distributions.figure).add_class("wf-distributions")
        self.coherence_box = CoherenceBox(self.official, lambda: self.result, lang)
        self.monitoring_html = widgets.HTML().add_class("wf-monitoring-view")  # empty without monitoring

        head = [widgets.HTML(f"{CSS}<h3>{inert.html(self.w['title'])}：{inert.html(year.scheme.title)}</h3>")]
        if year.synthetic:
            head.append(
                widgets.HTML(f'<div class="wf-banner">{inert.html(words(lang)["synthetic"])}</div>').add_class(
                    "wf-synthetic"
                )
            )
        # The output boxes, top to bottom; a new view is one more child of this box.
        self.outputs = widgets.VBox(
            [
                self.summary_html,
                widgets.HBox(
                    [
                        self.slope_image,
                        widgets.VBox([widgets.HTML(f"<b>{inert.html(self.w['changes'])}</b>"), self.changes_html]),
                    ],
                    layout=widgets.Layout(flex_flow="row wrap"),
                ),
                self.distribution_image,
                widgets.HTML(f"<b>{inert.html(self.w['breakdown'])}</b>"),
                self.breakdown_html,
                self.robust_box,
                self.coherence_box,
                self.monitoring_html,
            ],
            layout=widgets.Layout(flex="1 1 auto", min_width="0"),
        )
        controls.layout = widgets.Layout(width="430px", flex="0 0 auto")
        super().__init__(head + [widgets.HBox([controls, self.outputs])])
        self.add_class("wf-whatif")
        self.update()

    @staticmethod
    def _image(figure) -> widgets.Image:
        """An image widget at the figure's own pixel size (not stretched to the box)."""
        width, height = (figure.get_size_inches() * figure.dpi).round().astype(int)
        return widgets.Image(
            format="png",
            layout=widgets.Layout(width=f"{width}px", height=f"{height}px", flex="0 0 auto", align_self="flex-start"),
        )

    # -- controls -------------------------------------------------------------
    def _slider(self, value: float, maximum: float, text: str, tooltip: str) -> widgets.FloatSlider:
        return widgets.FloatSlider(
            value=value,
            min=MIN_WEIGHT,
            max=max(maximum, value),
            step=0.5,
            description=text,
            description_allow_html=False,
            tooltip=tooltip,
            continuous_update=False,
            readout_format=".1f",
            style={"description_width": "150px"},
            layout=widgets.Layout(width="400px"),
        )

    def _build_controls(self, picked: tuple[str, ...]) -> widgets.VBox:
        w, lang, scheme = self.w, self.lang, self.official_scheme
        self.weight_sliders: dict[str, widgets.FloatSlider] = {}
        self.points_sliders: dict[str, widgets.FloatSlider] = {}
        pages = []
        for section in scheme.sections:
            rows = []
            for category in section.categories:
                name = label(category, lang)
                slider = self._slider(category.points, section.points, name, name)  # its id is English
                slider.add_class(f"wf-points-{category.id}")
                slider.observe(self._on_points(category.id), "value")
                self.points_sliders[category.id] = slider
                rows.append(slider)
                for ind in category.indicators:
                    text = f"{ind.id} {label(ind, lang)}"
                    slider = self._slider(ind.weight, min(section.points, 2 * category.points), "　" + text, text)
                    slider.add_class(f"wf-weight-{ind.id}")
                    slider.observe(self._on_weight(ind.id), "value")
                    self.weight_sliders[ind.id] = slider
                    rows.append(slider)
            pages.append(widgets.VBox(rows))
        sections = widgets.Accordion(pages, selected_index=0, titles=self._section_titles(scheme))
        self.sections = sections
        self.total_note = widgets.HTML().add_class("wf-total-note")
        self.keep_section = widgets.Checkbox(value=False, description=w["keep"], indent=False)

        rules = scheme.rules
        style = {"description_width": "120px"}
        layout = widgets.Layout(width="400px")
        self.not_applicable = widgets.Dropdown(
            options=[(w["na_category"], "category"), (w["na_section"], "section"), (w["na_none"], "none")],
            value=rules.not_applicable,
            description=w["not_applicable"],
            style=style,
            layout=layout,
        )
        self.security = widgets.Dropdown(
            options=[(label(c, lang), c.id) for c in scheme.categories] + [(w["security_none"], "")],
            value=rules.security_incident.category if rules.security_incident else "",
            description=w["security"],
            style=style,
            layout=layout,
        )
        self.website = widgets.Dropdown(
            options=[(w["website_on"], True), (w["website_off"], False)],
            value=rules.website_evaluation is not None,
            description=w["website"],
            style=style,
            layout=layout,
            disabled=rules.website_evaluation is None,
        )
        self.ratings = widgets.Dropdown(
            options=[(w[m], m) for m in ("trimmed_mean", "mean", "median")],
            value=rules.ratings,
            description=w["ratings"],
            style=style,
            layout=layout,
        )
        official_base = rules.index_base if rules.index_base == "max" else rules.index_base.percentile
        percentiles = sorted(set(PERCENTILES) | ({official_base} if official_base != "max" else set()), reverse=True)
        self.index_base = widgets.Dropdown(
            options=[(w["base_max"], "max")] + [(w["base_pct"].format(p=p), p) for p in percentiles],
            value=official_base,
            description=w["index_base"],
            style=style,
            layout=layout,
        )
        for dropdown in (self.not_applicable, self.security, self.website, self.ratings, self.index_base):
            dropdown.observe(self._on_rules, "value")

        self.picker = widgets.SelectMultiple(
            options=[(f"{d} {n}", d) for d, n in zip(self._ids, self._names)],
            value=tuple(p for p in picked if p in set(self._ids)),
            rows=8,
            description=w["picker"],
            style=style,
            layout=layout,
        ).add_class("wf-picker")
        self.picker.observe(lambda _: self.redraw(), "value")
        button = dict(layout=widgets.Layout(width="auto", max_width="400px"))
        self.reset_button = widgets.Button(description=w["reset"], icon="undo", tooltip=w["reset"], **button)
        self.reset_button.on_click(lambda _: self.reset())
        self.export_button = widgets.Button(description=w["export"], icon="download", tooltip=w["export"], **button)
        self.export_button.on_click(lambda _: self.export())
        self.export_html = widgets.HTML().add_class("wf-export")
        self.robust_button = widgets.Button(
            description=w["robust"], icon="random", tooltip=w["robust"], layout=widgets.Layout(width="400px")
        ).add_class("wf-robust-button")
        self.robust_button.on_click(lambda _: self.robustness())
        self.robust_html = widgets.HTML().add_class("wf-robust")
        # hidden until the analysis has drawn them: an empty image shows as a broken one
        self.robust_images = tuple(
            widgets.Image(format="png", layout=widgets.Layout(display="none", max_width="100%")).add_class(
                f"wf-robust-{kind}"
            )
            for kind in ("ranks", "indices")
        )
        self.robust_box = widgets.VBox([self.robust_html, *self.robust_images])
        self.robustness_result = None
        return widgets.VBox(
            [
                widgets.HTML(f"<b>{inert.html(w['weights'])}</b>"),
                self.keep_section,
                self.total_note,
                sections,
                widgets.HTML(f"<b>{inert.html(w['rules'])}</b>"),
                self.not_applicable,
                self.security,
                self.website,
                self.ratings,
                self.index_base,
                self.picker,
                widgets.HBox([self.reset_button, self.export_button]),
                self.export_html,
                self.robust_button,
            ]
        )

    @contextmanager
    def _hold(self):
        """Set widgets from code without each change triggering a recomputation."""
        held, self._holding = self._holding, True
        try:
            yield
        finally:
            self._holding = held

    def _on_weight(self, indicator_id: str):
        def changed(change):
            if self._holding:
                return
            self.scheme, _ = with_weight(self.scheme, indicator_id, change["new"], self.keep_section.value)
            self._sync_sliders()
            self.update()

        return changed

    def _on_points(self, category_id: str):
        def changed(change):
            if self._holding:
                return
            self.scheme, _ = with_points(self.scheme, category_id, change["new"], self.keep_section.value)
            self._sync_sliders()
            self.update()

        return changed

    def _on_rules(self, _change=None):
        if self._holding:
            return
        self.scheme = with_rules(
            self.scheme,
            self.official_scheme,
            not_applicable=self.not_applicable.value,
            security_category=self.security.value or None,
            website_evaluation=self.website.value,
            ratings=self.ratings.value,
            index_base=self.index_base.value,
        )
        self.update()

    def _sync_sliders(self) -> None:
        """Show the scenario's weights and points on the sliders (rescaling may have
        moved several, and a bounded edit may differ from what was asked)."""
        with self._hold():
            for sliders, items in (
                (self.weight_sliders, self.scheme.indicators),
                (self.points_sliders, self.scheme.categories),
            ):
                for item in items:
                    slider = sliders[item.id]
                    value = item.weight if sliders is self.weight_sliders else item.points
                    if value > slider.max:
                        slider.max = value
                    if slider.value != value:
                        slider.value = value

    def reset(self) -> None:
        """Back to the official scheme: every control and output as when opened."""
        self.scheme = self.official_scheme.model_copy(deep=True)
        rules = self.official_scheme.rules
        with self._hold():
            self.not_applicable.value = rules.not_applicable
            self.security.value = rules.security_incident.category if rules.security_incident else ""
            self.website.value = rules.website_evaluation is not None
            self.ratings.value = rules.ratings
            self.index_base.value = rules.index_base if rules.index_base == "max" else rules.index_base.percentile
            self.keep_section.value = False
        self._sync_sliders()
        self.update()

    # -- outputs --------------------------------------------------------------
    def recompute(self) -> Result:
        """Score the scenario on the loaded year; no file is read."""
        self.result = score(self.year, self.scheme)
        self.changes = rank_changes(self.official, self.result)
        self.summary = summary(self.official, self.result)
        return self.result

    def update(self) -> None:
        """Recompute, then redraw every output."""
        start = time.perf_counter()
        self.recompute()
        middle = time.perf_counter()
        self.export_html.value = ""  # an earlier export no longer matches
        self.redraw()
        self.timing = {"recompute": middle - start, "redraw": time.perf_counter() - middle}

    def _section_titles(self, scheme: Scheme) -> tuple[str, ...]:
        """Each section's name and its points as they are in ``scheme`` (the official
        points beside them where they changed)."""
        titles = []
        for section, official in zip(scheme.sections, self.official_scheme.sections):
            name = label(section, self.lang)
            if abs(section.points - official.points) > 1e-9:
                titles.append(
                    self.w["section_changed"].format(name=name, points=section.points, official=official.points)
                )
            else:
                titles.append(self.w["section_title"].format(name=name, points=section.points))
        return tuple(titles)

    def _show_totals(self) -> None:
        """The sections' titles with their points as they are now, and a visible note when
        the scheme no longer adds up to the official total."""
        w = self.w
        self.sections.titles = self._section_titles(self.scheme)
        total, official = self.scheme.total_points, self.official_scheme.total_points
        if abs(total - official) > 1e-9:
            parts = "、" if self.lang == "zh" else ", "
            parts = parts.join(
                w["part_changed"].format(name=label(s, self.lang), points=s.points, official=o.points)
                for s, o in zip(self.scheme.sections, self.official_scheme.sections)
                if abs(s.points - o.points) > 1e-9
            )
            text = w["total_changed"].format(total=total, official=official, parts=parts)
            self.total_note.value = f'<div class="wf-banner">{inert.html(text)}</div>'
        else:
            self.total_note.value = ""

    def redraw(self) -> None:
        self._show_totals()
        picked = [int(np.flatnonzero(self._ids == d)[0]) for d in self.picker.value]
        self.summary_text = self._summary_text()
        self.summary_html.value = f"<p><b>{inert.html(self.summary_text)}</b></p>"
        self.changes_html.value = self._changes_table()
        self.breakdown_html.value = self._breakdown(picked)
        self.monitoring_html.value = monitoring_html(self.year, self.lang, picked)
        official, scenario = self.official, self.result
        self.slope_image.value = self._slope.update(official.rank, scenario.rank, picked, self._names)
        points = lambda s: np.array([c.points for c in s.categories])  # noqa: E731
        self.distribution_image.value = self._distributions.update(
            official.category, points(self.official_scheme), scenario.category, points(self.scheme)
        )

    def _summary_text(self) -> str:
        w, s = self.w, self.summary
        if s["moved"]:
            who = "、".join(f"{n} {rank_move(m)}" for n, m in s["largest_who"][:3])
            if len(s["largest_who"]) > 3:
                who += " …"
            text = w["summary_moved"].format(
                moved=s["moved"], up=s["up"], down=s["down"], largest=s["largest"], who=who
            )
        else:
            text = w["summary_none"]
        if not s["excellence_rule"]:
            text += w["no_excellence"]
        elif s["excellent_added"] or s["excellent_removed"]:
            parts = []
            if s["excellent_added"]:
                parts.append(w["added"].format(names="、".join(s["excellent_added"])))
            if s["excellent_removed"]:
                parts.append(w["removed"].format(names="、".join(s["excellent_removed"])))
            text += w["excellence_changed"].format(parts="；".join(parts))
        else:
            text += w["excellence_same"]
        if s["missing"] != s["official_missing"]:
            text += " " + w["missing"].format(n=s["missing"], m=s["official_missing"])
        return text

    def _changes_table(self) -> str:
        w = self.w
        moved = self.changes[self.changes["move"] != 0]
        if moved.empty:
            return f"<p>{inert.html(w['no_moves'])}</p>"
        shown = moved.head(TABLE_ROWS)
        head = "".join(
            f"<th>{inert.html(w[k])}</th>" for k in ("dept", "official_rank", "rank", "move", "official_total", "total")
        )
        rows = "".join(
            f"<tr><td>{inert.html(str(r.dept_id))} {inert.html(str(r.name))}</td><td>{r.official_rank}</td>"
            f"<td>{r.rank}</td><td>{_move(r.move)}</td><td>{r.official_total:.2f}</td><td>{r.total:.2f}</td></tr>"
            for r in shown.itertuples()
        )
        more = len(self.changes) - len(shown)
        note = f"<p>{inert.html(w['more_rows'].format(n=more))}</p>" if more else ""
        return (
            f'<div class="wf-scroll"><table class="wf-table"><thead><tr>{head}</tr></thead>'
            f"<tbody>{rows}</tbody></table></div>{note}"
        )

    def _breakdown(self, picked: list[int]) -> str:
        w, lang = self.w, self.lang
        if not picked:
            return f"<p>{inert.html(w['pick_some'])}</p>"
        scheme, official, scenario = self.scheme, self.official, self.result
        # each category with the scenario's points (the distribution chart names it only)
        columns = [f"{label(c, lang)}（{c.points:.4g}）" for c in scheme.categories] + [
            words(lang)["total"],
            w["official_rank"],
            w["rank"],
            w["move"],
        ]
        head = f"<th>{inert.html(w['dept'])}</th>" + "".join(f"<th>{inert.html(c)}</th>" for c in columns)
        rows = []
        for d in picked:
            cells = [
                f"{scenario.category[d, c]:.2f} ({signed(scenario.category[d, c] - official.category[d, c])})"
                for c in range(len(scheme.categories))
            ]
            cells.append(f"{scenario.total[d]:.2f} ({signed(scenario.total[d] - official.total[d])})")
            cells += [str(official.rank[d]), str(scenario.rank[d])]
            rows.append(
                f"<tr><td>{inert.html(str(self._ids[d]))} {inert.html(str(self._names[d]))}</td>"
                + "".join(f"<td>{c}</td>" for c in cells)
                + f"<td>{_move(int(official.rank[d] - scenario.rank[d]))}</td></tr>"
            )
        return (
            f'<div class="wf-scroll wf-scroll-x"><table class="wf-table"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></div>"
        )

    # -- robustness -------------------------------------------------------------
    def robustness(self, samples: int = 1000, seed: int = 0):
        """A quick Monte Carlo of the current scenario (wfscore.analysis.sensitivity), shown
        below the outputs: the rank intervals of the 30 first departments, the
        sensitivity indices, and the departments whose rank moves most."""
        from wfscore.analysis.sensitivity import analyse
        from wfscore.publish.sensitivity_charts import rank_interval_chart, sensitivity_chart

        rob = analyse(self.year, scheme=self.scheme, samples=samples, seed=seed)
        self.robustness_result = rob
        movers = rob.movers(10)
        rows = "".join(
            f"<tr><td>{inert.html(str(r.dept_id))}</td><td>{inert.html(str(r.name))}</td>"
            f"<td>{r.nominal_rank}</td><td>{r.median_rank:g}</td><td>{r.rank_p05:g}–{r.rank_p95:g}</td></tr>"
            for r in movers.itertuples()
        )
        head = "".join(
            f"<th>{inert.html(self.w[k])}</th>" for k in ("dept_id", "dept", "nominal_rank", "median_rank", "interval")
        )
        self.robust_html.value = (
            f"<b>{inert.html(self.w['robust_head'].format(n=samples))}</b><br>"
            f"{inert.html(self.w['robust_done'].format(n=samples, seconds=rob.seconds))}"
            f'<div class="wf-scroll-x"><table class="wf-table wf-robust-table"><thead><tr>{head}</tr></thead>'
            f"<tbody>{rows}</tbody></table></div>"
        )
        for image, figure in zip(
            self.robust_images,
            (rank_interval_chart(rob.table, self.lang, limit=30), sensitivity_chart(rob.indices, self.lang)),
        ):
            buffer = io.BytesIO()
            figure.savefig(buffer, format="png", dpi=80)
            image.value = buffer.getvalue()
            # shown now that it has a picture, at its own size (narrowed, never stretched)
            image.layout.width = f"{round(figure.get_size_inches()[0] * 80)}px"
            image.layout.height = "auto"
            image.layout.display = None
        return rob

    # -- export ---------------------------------------------------------------
    def scheme_yaml(self) -> str:
        """The scenario as ``scheme.yaml`` text (it loads back to the same scheme)."""
        return self.scheme.to_yaml()

    def results_csv(self) -> str:
        """The scenario's results with the official rank and the move, as CSV text."""
        return results_csv(self.official, self.result)

    def save_scheme(self, path: Path | str) -> Path:
        """Write the scenario's scheme.yaml to ``path``; never over a file of the year
        (:class:`~wfscore.inputs.output.OutputError`)."""
        with staged(Path(path), reads=[self.year.folder]) as (tmp,):
            tmp.write_text(self.scheme_yaml(), encoding="utf-8")
        return Path(path)

    def save_results(self, path: Path | str) -> Path:
        """Write the scenario's results CSV (UTF-8 with a BOM, for Excel) to ``path``;
        never over a file of the year."""
        with staged(Path(path), reads=[self.year.folder]) as (tmp,):
            tmp.write_text(self.results_csv(), encoding="utf-8-sig")
        return Path(path)

    def export(self) -> None:
        """Offer the scenario scheme and results as downloads in the browser."""
        year = self.year.year
        self.export_html.value = (
            _download(self.scheme_yaml(), "scheme.yaml", "text/yaml", self.w["download_scheme"])
            # a BOM, so that Excel on a Chinese-locale PC reads the CSV as UTF-8
            + _download("\ufeff" + self.results_csv(), f"whatif_{year}_results.csv", "text/csv", self.w["download_csv"])
        )
