"""Every output for every valid scheme: with and without each optional rule (excellence,
conversion, website evaluation, incidents, ratings), in Chinese and English, for random small
years, and with names no chart can hold (300 characters, terminal escapes, direction
overrides).

A report takes several seconds (a Jupyter kernel), so the report runs are bounded: one per
optional rule removed, a few random years, one with hostile names. The other outputs are
cheap and run over the whole matrix.
"""

from __future__ import annotations

import csv
import io
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings

import wfscore
from helpers import HtmlParts, console_script, run_cli
from processes import stop_tree
from variants import OPTIONAL, variant
from wfscore.inputs.output import TMP_PREFIX, write_csv
from wfscore.publish import report
from yeargen import write_year, years

LONG = "长" * 300
HOSTILE = "<script>alert(1)</script>" * 12  # long and hostile (control characters are refused at loading)
NAMES = {"D1": LONG, "D2": HOSTILE, "D3": "=cmd|' /C calc'!A0 部", "D4": "x" * 300}


def set_names(folder: Path, names: dict[str, str]) -> None:
    with open(folder / "departments.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        row["name"] = names.get(row["dept_id"], row["name"])
    with open(folder / "departments.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=["dept_id", "name", "kind"])
        writer.writeheader()
        writer.writerows(rows)


# -- the report: one run per optional rule removed ---------------------------------------

REPORTS = [
    ("excellence", "zh"),
    ("conversion", "en"),
    ("website_evaluation", "zh"),
    ("incidents", "en"),
    ("ratings", "zh"),
]


@pytest.mark.parametrize("without,lang", REPORTS)
def test_the_report_builds_without_each_optional_rule(tmp_path, without, lang):
    year = variant(tmp_path / "year", without)
    out = tmp_path / "reports" / "2011"
    proc = run_cli("report", year, "--out", out, "--lang", lang)
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(report.OUTPUTS + (".wfscore-manifest.json",))
    result = wfscore.score(wfscore.load_year(year))
    text = "".join(HtmlParts((out / "report.html").read_text(encoding="utf-8")).text)
    for name in result.data.departments["name"]:
        assert name in text
    book = openpyxl.load_workbook(out / "results.xlsx", read_only=True)
    ranking = list(book.worksheets[0].iter_rows(values_only=True))
    assert len(ranking) == 1 + len(result.total)
    excellent = "优秀" if lang == "zh" else "Excellent"
    assert (excellent in ranking[0]) == (without != "excellence")
    assert not list(out.parent.glob(TMP_PREFIX + "*"))


# -- the other outputs over the whole matrix (cheap: in this process) -------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("without", [None, *OPTIONAL])
def test_every_other_output_without_each_optional_rule(tmp_path, without, lang):
    from wfscore.analysis.scenario import results_csv, with_points
    from wfscore.analysis.sensitivity import analyse
    from wfscore.engine.explain import explain
    from wfscore.publish.tables import workbook_sheets, write_excel

    year = variant(tmp_path / "year", without)
    data = wfscore.load_year(year)
    result = wfscore.score(data)
    # results and detail CSV, as `wfscore score` writes them
    write_csv(result.ranking, tmp_path / "r.csv")
    write_csv(result.detail(lang), tmp_path / "d.csv")
    back = pd.read_csv(tmp_path / "r.csv", dtype={"dept_id": str})
    assert list(back.columns) == list(result.ranking.columns)
    assert ("excellent" in back) == (without != "excellence") and ("converted" in back) == (without != "conversion")
    np.testing.assert_allclose(back["total"], result.ranking["total"], atol=1e-9)
    detail = pd.read_csv(tmp_path / "d.csv", dtype={"dept_id": str})
    assert len(detail) == len(result.total) * len(result.scheme.indicators)
    assert np.isfinite(detail["score"]).all()
    # explain, for every department
    for d in data.dept_ids:
        assert d in explain(result, d, lang=lang)
    # the robustness tables
    rob = analyse(data, samples=32, seed=1)
    write_csv(rob.table, tmp_path / "s.csv")
    write_csv(rob.indices, tmp_path / "i.csv")
    assert len(pd.read_csv(tmp_path / "s.csv")) == len(result.total)
    assert ("p_excellent" in rob.table) == (without != "excellence")
    # the workbook and the what-if export
    write_excel(workbook_sheets(result, lang), tmp_path / "results.xlsx")
    assert openpyxl.load_workbook(tmp_path / "results.xlsx").sheetnames
    cat = result.scheme.categories[0]
    scenario = wfscore.score(data, scheme=with_points(result.scheme, cat.id, cat.points + 5)[0])
    frame = pd.read_csv(io.StringIO(results_csv(result, scenario)), dtype={"dept_id": str})
    assert set(frame["dept_id"]) == set(data.dept_ids)


# -- random small years ------------------------------------------------------------------


@settings(
    max_examples=3,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(tables=years(max_departments=6))
def test_the_report_builds_for_random_small_years(tables):
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_year(Path(tmp) / "year", tables)
        built = report.build(folder, Path(tmp) / "out")
        text = (built.folder / "report.html").read_text(encoding="utf-8")
        result = wfscore.score(wfscore.load_year(folder))
        for name in result.data.departments["name"]:
            assert name in text


# -- names no chart can hold -------------------------------------------------------------


def test_long_and_hostile_names_in_the_report(tmp_path):
    year = variant(tmp_path / "year", None)
    set_names(year, NAMES)
    out = tmp_path / "out"
    proc = run_cli("report", year, "--out", out)
    assert proc.returncode == 0, proc.stderr
    page = (out / "report.html").read_text(encoding="utf-8")
    assert LONG in "".join(HtmlParts(page).text)  # the tables keep the full name
    assert "<script>alert(1)" not in page  # shown as text, not run
    assert HOSTILE in "".join(HtmlParts(page).text) and "=cmd|' /C calc'!A0 部" in "".join(HtmlParts(page).text)


def test_every_chart_shortens_long_names():
    from twoyears import tiny_as
    from wfscore.analysis.sensitivity import analyse
    from wfscore.analysis.years import compare
    from wfscore.panels.whatif import WhatIf
    from wfscore.publish import charts, sensitivity_charts, year_charts

    with tempfile.TemporaryDirectory() as tmp:
        folders = [tiny_as(Path(tmp) / str(y), y) for y in (2011, 2012)]
        for folder in folders:
            set_names(folder, NAMES)
        data = [wfscore.load_year(f) for f in folders]
    result = wfscore.score(data[1])
    rob = analyse(data[1], samples=32, seed=0)
    comp = compare(data)
    figures = [
        charts.figure_distributions(result),
        charts.figure_composition(result),
        charts.figure_by_kind(result),
        sensitivity_charts.rank_interval_chart(rob.table),
        sensitivity_charts.sensitivity_chart(rob.indices),
        year_charts.figure_slope(comp),
        year_charts.figure_shares(comp),
        year_charts.figure_decomposition(comp),
        year_charts.figure_trajectories(comp),
        year_charts.figure_share_heatmap(comp),
        year_charts.figure_share_distributions(comp),
    ]
    for fig in figures:
        assert charts.png(fig).startswith(b"\x89PNG")
        left, right = fig.subplotpars.left, fig.subplotpars.right
        assert 0 <= left < right <= 1
        texts = [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))]
        assert not any(LONG in t or "x" * 300 in t for t in texts)
        assert not any("\u202e" in t or "\x1b" in t for t in texts)
    panel = WhatIf(data[1], picked=("D1", "D4"))
    panel.weight_sliders[result.scheme.indicators[0].id].value = 5
    assert bytes(panel.slope_image.value).startswith(b"\x89PNG")
    shown = [label.get_text() for label in panel._slope.labels if label.get_visible()]
    assert len(shown) == 2 and not any(LONG in t or "x" * 300 in t for t in shown)


# -- a killed report leaves nothing behind for long ---------------------------------------


def test_a_killed_report_is_cleaned_up_by_the_next_run(tmp_path):
    reports = tmp_path / "reports"
    out = reports / "2011"
    proc = subprocess.Popen(
        [console_script(), "report", str(variant(tmp_path / "year", None)), "--out", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while not list(reports.glob(TMP_PREFIX + "*")) and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
        left = list(reports.glob(TMP_PREFIX + "*"))
        assert left, "the report never made its temporary folder"
        time.sleep(0.5)  # mid-run: the kernel is working
    finally:
        stop_tree(proc, kill=True)  # the command and the kernel it started, as kill -9 would
    assert all(p.exists() for p in left) and not out.exists()  # debris, as a kill leaves it
    run = run_cli("report", tmp_path / "year", "--out", out)
    assert run.returncode == 0, run.stderr
    for p in left:  # the folders are named; their lock files beside them go too (the listing below)
        if p.is_dir() or not p.name.endswith(".lock"):
            assert f"note: removed {p}, the temporary folder of an earlier run that did not finish" in run.stderr
    assert sorted(p.name for p in reports.iterdir()) == ["2011"]
