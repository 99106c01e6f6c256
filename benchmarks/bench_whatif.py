"""What-if panel latency on the 2011 sample: from a control change to every output updated.

    python benchmarks/run.py whatif

50 changes (weight and points sliders, with and without keeping the section total,
and the rule dropdowns), each made by setting the control's value as the browser
does; the panel's observers then recompute and redraw everything (summary,
rank-change table, slope chart, distributions, breakdown of two picked
departments). The recompute-only part (scoring the scenario and comparing it with
the official ranking) is timed separately on the same 50 scenarios.

Baseline, measured in the same run on the first 20 of those scenarios: both charts
drawn as new figures for each change (figure, layout, every artist, full-colour
PNG), which is what the panel's charts avoid by redrawing only their data.
Targets: end to end median ≤ 50 ms (issue 14; it was < 100 ms in issue 4),
recompute < 5 ms. The browser's part is bench_whatif_browser.
"""

from __future__ import annotations

import os
import time

from common import ROOT, fmt, median, p95, table

import wfscore
from wfscore.analysis.scenario import rank_changes, summary
from wfscore.inputs.scheme import label
from wfscore.panels.whatif import WhatIf
from wfscore.panels.whatif_charts import Distributions, SlopeChart

CHANGES = 50
BASELINE_CHANGES = 20
TARGET_END_TO_END = 0.050
TARGET_RECOMPUTE = 0.005


def changes(panel: WhatIf):
    """50 control changes of every kind, in a fixed order."""
    steps = []
    for k, ind in enumerate(["1", "5", "10", "12", "13", "17", "21", "S1", "23", "26"]):
        steps.append((panel.weight_sliders[ind], panel.official_scheme.indicator(ind).weight * (0.5 + 0.1 * k)))
    for k, cat in enumerate(["system", "website", "egov", "security", "training", "awards"]):
        steps.append((panel.points_sliders[cat], panel.official_scheme.category(cat).points * (1.3 - 0.1 * k)))
    steps.append((panel.keep_section, True))
    for k, ind in enumerate(["2", "7", "11", "14", "18", "22", "24", "3", "9", "15"]):
        steps.append((panel.weight_sliders[ind], 10 + 7 * k))
    for k, cat in enumerate(["system", "egov", "training", "awards"]):
        steps.append((panel.points_sliders[cat], panel.scheme.category(cat).points + 15))
    steps.append((panel.keep_section, False))
    for control, values in (
        (panel.not_applicable, ["section", "none", "category"]),
        (panel.security, ["training", "", "security"]),
        (panel.website, [False, True]),
        (panel.ratings, ["median", "mean", "trimmed_mean"]),
        (panel.index_base, [95.0, 90.0, "max"]),
    ):
        steps += [(control, v) for v in values]
    steps += [(panel.weight_sliders["1"], 40 + k) for k in range(CHANGES - len(steps))]
    assert len(steps) == CHANGES, len(steps)
    return steps


def main() -> bool:
    year = wfscore.load_year(ROOT / "data" / "2011")
    official = wfscore.score(year)
    panel = WhatIf(year, picked=("G03", "P01"))
    end_to_end, redraw, charts, schemes = [], [], [], []
    slope_update, distributions_update = panel._slope.update, panel._distributions.update

    def timed(update):
        def run(*args):
            start = time.perf_counter()
            png = update(*args)
            charts[-1] += time.perf_counter() - start
            return png

        return run

    panel._slope.update, panel._distributions.update = timed(slope_update), timed(distributions_update)
    for control, value in changes(panel):
        charts.append(0.0)
        start = time.perf_counter()
        control.value = value  # observers recompute and redraw before this returns
        end_to_end.append(time.perf_counter() - start)
        redraw.append(panel.timing.get("redraw", 0.0))
        schemes.append(panel.scheme)
    panel._slope.update, panel._distributions.update = slope_update, distributions_update

    # the baseline: new figures for every change, on the same scenarios
    picked = [int((year.dept_ids == d).nonzero()[0][0]) for d in ("G03", "P01")]
    labels = [label(c, "zh") for c in year.scheme.categories]
    points = lambda s: [c.points for c in s.categories]  # noqa: E731
    fresh = []
    for scheme in schemes[:BASELINE_CHANGES]:
        result = wfscore.score(year, scheme)
        start = time.perf_counter()
        SlopeChart(len(year.dept_ids)).update(official.rank, result.rank, picked, year.departments["name"].to_numpy())
        Distributions(len(year.dept_ids), labels).update(
            official.category, points(year.scheme), result.category, points(scheme)
        )
        fresh.append(time.perf_counter() - start)

    def recompute(scheme):
        result = wfscore.score(year, scheme)
        rank_changes(official, result)
        summary(official, result)

    recompute_times, score_times = [], []
    for scheme in schemes * 3:  # 150 timings, the same 50 scenarios
        start = time.perf_counter()
        recompute(scheme)
        recompute_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        wfscore.score(year, scheme)
        score_times.append(time.perf_counter() - start)

    ok_end = median(end_to_end) < TARGET_END_TO_END
    ok_recompute = median(recompute_times) < TARGET_RECOMPUTE
    table(
        f"what-if panel, 2011 sample ({len(year.dept_ids)} departments), {CHANGES} control changes",
        ["step", "median", "p95", "target", "median / target", "met"],
        [
            [
                "control change → all outputs updated",
                fmt(median(end_to_end)),
                fmt(p95(end_to_end)),
                fmt(TARGET_END_TO_END),
                f"{median(end_to_end) / TARGET_END_TO_END:.2f}",
                "yes" if ok_end else "NO",
            ],
            ["  of which redraw (charts, tables)", fmt(median(redraw)), fmt(p95(redraw)), "", "", ""],
            ["  of which the two charts", fmt(median(charts)), fmt(p95(charts)), "", "", ""],
            [
                "baseline: the two charts as new figures",
                fmt(median(fresh)),
                fmt(p95(fresh)),
                "",
                f"charts {median(fresh) / median(charts):.1f}× faster",
                "",
            ],
            [
                "recompute (score + compare)",
                fmt(median(recompute_times)),
                fmt(p95(recompute_times)),
                fmt(TARGET_RECOMPUTE),
                f"{median(recompute_times) / TARGET_RECOMPUTE:.2f}",
                "yes" if ok_recompute else "NO",
            ],
            ["  of which wfscore.score", fmt(median(score_times)), fmt(p95(score_times)), "", "", ""],
        ],
    )
    print(
        "\nIn the kernel, without the browser: the widget messages and the browser's own "
        "repaint come on top (bench_whatif_browser; see the README). Load average now: "
        f"{', '.join(f'{x:.1f}' for x in os.getloadavg())} (the targets are for a quiet machine)."
    )
    return ok_end and ok_recompute


if __name__ == "__main__":
    raise SystemExit(0 if main() else 1)
