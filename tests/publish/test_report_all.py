"""``wfscore report --all`` (wfscore.publish.report_all): every year in parallel processes with one
progress bar, a broken year named with its reason while the others are written, then
the trends report."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from helpers import need, run_cli, run_on_a_terminal
from twoyears import tiny_as
from wfscore.inputs.manifest import MANIFEST, write_manifest
from wfscore.publish.report import OUTPUTS
from wfscore.publish.report_all import TRENDS_OUTPUTS, latest_run, year_folders


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """Three small years, the first broken, with a previous report of it in place; built
    with --all on a terminal, two at a time."""
    need(importlib.util.find_spec("ipykernel") is not None, "ipykernel (a Jupyter kernel for papermill)")
    root = tmp_path_factory.mktemp("batch")
    data = root / "data"
    for year in (2010, 2011, 2012):
        tiny_as(data / str(year), year)
    values = data / "2010" / "values.csv"
    values.write_text(values.read_text(encoding="utf-8").replace("D2,i2,4", "D2,i2,abc"), encoding="utf-8")
    (data / "notes").mkdir()  # not a year folder: ignored
    previous = root / "reports" / "2010"
    previous.mkdir(parents=True)
    for name in OUTPUTS:
        (previous / name).write_text(f"previous {name}\n", encoding="utf-8")
    write_manifest(previous, "report")  # as `wfscore report` leaves it
    status, screen = run_on_a_terminal("report", "--all", "data", "--jobs", "2", cwd=root)
    return root, status, screen


def test_the_broken_year_is_named_with_its_reason(batch):
    _, status, screen = batch
    assert status == 1
    text = screen.replace("\r", "\n")
    assert re.search(r"^2010: FAILED \(.*data/2010\): 1 error in the inputs; no cell was run$", text, re.M), text
    assert "  error: values.csv line 3, column value: 'abc' is not a number (expected a non-negative number)" in text
    assert "  the 2010 report was not written; any previous one is unchanged" in text
    assert "1 of 3 years failed: 2010" in text


def test_the_other_years_and_the_trends_report_are_written(batch):
    root, _, screen = batch
    reports = root / "reports"
    assert sorted(p.name for p in reports.iterdir()) == ["2010", "2011", "2012", "trends"]
    for year in ("2011", "2012"):
        assert sorted(p.name for p in (reports / year).iterdir()) == sorted(OUTPUTS + (MANIFEST,))
        assert f"{year}: wrote {Path('reports') / year}" in screen
    assert sorted(p.name for p in (reports / "trends").iterdir()) == sorted(TRENDS_OUTPUTS + (MANIFEST,))
    assert "trends 2011–2012: wrote" in screen
    assert not list(reports.glob(".wfscore-tmp-*"))


def test_the_failed_years_previous_report_is_unchanged(batch):
    root, _, _ = batch
    folder = root / "reports" / "2010"
    assert {p.name: p.read_text(encoding="utf-8") for p in folder.iterdir() if p.name != MANIFEST} == {
        name: f"previous {name}\n" for name in OUTPUTS
    }


def test_one_progress_bar_for_everything(batch):
    _, _, screen = batch
    text = screen.replace("\r", "\n")
    bars = re.findall(r"reports:\s+(\d+)%\|.*?\| (\d+)/(\d+) ", text)
    assert bars, text[-800:]
    assert bars[-1][0] == "100" and bars[-1][1] == bars[-1][2]
    assert len({total for _, _, total in bars}) == 1  # one bar, one total
    assert "Executing" not in text  # no bar of papermill's own


def test_each_years_report_compares_with_the_year_before(batch):
    root, _, _ = batch
    page_2012 = (root / "reports" / "2012" / "report.html").read_text(encoding="utf-8")
    assert "与上一年度比较（2011 → 2012）" in page_2012 and "名次上升和下降最多的部门" in page_2012
    page_2011 = (root / "reports" / "2011" / "report.html").read_text(encoding="utf-8")
    assert "上一年度（2010）的数据有错误，跳过年度比较：values.csv line 3, column value" in page_2011
    assert "名次上升和下降最多的部门" not in page_2011


def test_the_trends_report_covers_the_years_built(batch):
    root, _, _ = batch
    page = (root / "reports" / "trends" / "trends.html").read_text(encoding="utf-8")
    assert "2011–2012 年度趋势" in page and "合成的示例数据" in page
    assert "<title>2011–2012 年度趋势</title>" in page
    assert "year_report.open_run" not in page  # code hidden
    assert page.count('src="data:image/png;base64,') == 3


# -- usage errors and helpers (no kernel needed) --------------------------------------------------------------


@pytest.mark.parametrize(
    "args, message",
    [
        (["missing"], "'missing' is not a folder"),
        (["empty"], "'empty' has no year folders (expected folders named by the year, such as empty/2011)"),
        (["data", "--out", "data/reports"], "--out 'data/reports' overlaps the data folder 'data'"),
        (["data", "--jobs", "0"], "--jobs 0 is not a number of processes (expected 1 or more)"),
    ],
)
def test_usage_errors(tmp_path, args, message):
    (tmp_path / "empty").mkdir()
    (tmp_path / "data" / "2011").mkdir(parents=True)
    run = run_cli("report", "--all", *args, cwd=tmp_path)
    assert run.returncode == 2, run.stderr
    assert f"error: {message}" in run.stderr
    assert not (tmp_path / "reports").exists()


def test_latest_run_of_consecutive_years():
    assert latest_run([2011, 2012, 2013]) == (2011, 2012, 2013)
    assert latest_run([2013, 2011, 2012, 2015]) == (2015,)
    assert latest_run([2010, 2012, 2013]) == (2012, 2013)
    assert latest_run([]) == ()


def test_year_folders_are_folders_named_by_a_year(tmp_path):
    for name in ("2012", "2011", "x2013", "201", "reports"):
        (tmp_path / name).mkdir()
    (tmp_path / "2014").write_text("a file")
    assert [p.name for p in year_folders(tmp_path)] == ["2011", "2012"]


def test_a_year_or_trends_folder_holding_a_persons_files_stops_everything_first(tmp_path):
    from wfscore.publish.report import UsageError
    from wfscore.publish.report_all import build_all

    data = tmp_path / "data"
    for year in (2011, 2012):
        tiny_as(data / str(year), year)
    for folder in ("2012", "trends"):
        mine = tmp_path / "reports" / folder
        mine.mkdir(parents=True)
        (mine / "thesis.pdf").write_text("mine")
        with pytest.raises(UsageError, match=r"holds other files \(thesis.pdf\)"):
            build_all(data, tmp_path / "reports", jobs=1)
        assert (mine / "thesis.pdf").read_text() == "mine"
        assert (
            sorted(p.name for p in (tmp_path / "reports").iterdir()) == ["2012", "trends"][: 1 + (folder == "trends")]
        )
        (mine / "thesis.pdf").unlink()
