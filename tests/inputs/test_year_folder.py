"""The folders a notebook works on when its parameters are left empty
(:func:`wfscore.inputs.params.year_folder` and its kin): the parameter, else
``WFSCORE_YEAR_DIR``, else the current folder or a sample year beside it; and the
notebooks run that way outside the repository."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from helpers import ROOT, SAMPLE, TINY, run_cli
from wfscore.analysis.years import open_years
from wfscore.inputs.messages_zh import in_lang
from wfscore.inputs.params import YEAR_DIR_ENV, ParameterError, data_root, report_folder, year_folder, year_folders
from wfscore.publish import report


@pytest.fixture
def nowhere(tmp_path, monkeypatch):
    """An empty current folder, WFSCORE_YEAR_DIR unset."""
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    monkeypatch.delenv(YEAR_DIR_ENV, raising=False)
    return here


def test_the_parameter_wins_then_the_variable(nowhere, monkeypatch):
    assert year_folder("some/where") == Path("some/where")  # as given: the loader checks it
    monkeypatch.setenv(YEAR_DIR_ENV, str(TINY))
    assert year_folder("") == TINY
    assert year_folder(str(SAMPLE)) == SAMPLE
    monkeypatch.setenv(YEAR_DIR_ENV, "  ")  # blank: as if unset
    with pytest.raises(ParameterError):
        year_folder("")


def test_the_current_folder_then_a_sample_beside_it(nowhere):
    (nowhere / "2011").mkdir()
    shutil.copy(SAMPLE / "scheme.yaml", nowhere / "2011")
    assert year_folder("") == nowhere / "2011"
    shutil.copy(TINY / "scheme.yaml", nowhere)
    assert year_folder("") == nowhere  # a year folder itself comes first


def test_the_source_trees_sample_from_notebooks(monkeypatch):
    monkeypatch.delenv(YEAR_DIR_ENV, raising=False)
    monkeypatch.chdir(ROOT / "notebooks")
    assert year_folder("").resolve() == SAMPLE
    assert data_root("").resolve() == SAMPLE.parent
    assert year_folders(SAMPLE.parent) == [2011, 2012, 2013]
    assert report_folder(SAMPLE, 2011) == ROOT / "reports" / "2011"  # data/2011 → reports/2011


def test_none_found_says_where_it_looked_in_both_languages(nowhere):
    with pytest.raises(ParameterError) as exc:
        year_folder("")
    text = str(exc.value)
    assert f"{YEAR_DIR_ENV} is not set" in text and str(nowhere) in text and "wfscore sample 2011" in text
    zh = in_lang(text, "zh")
    assert "未给出年度文件夹" in zh and str(nowhere) in zh and "wfscore sample 2011" in zh
    with pytest.raises(ParameterError, match="is not a path"):
        year_folder(42)


def test_the_report_notebooks_defaults(tmp_path, monkeypatch):
    year_dir = tmp_path / "data" / "2011"
    shutil.copytree(TINY, year_dir)
    monkeypatch.setenv(YEAR_DIR_ENV, str(year_dir))
    monkeypatch.chdir(tmp_path)
    result = report.open_year()  # "", None, "": the variable's folder, its scheme's year, reports/2011
    assert result.scheme.year == 2011 and (tmp_path / "reports" / "2011").is_dir()
    from wfscore.publish import tables

    tables.write_workbook(result, "", "zh")  # the notebook's out_dir "": the same folder, never the current one
    assert (tmp_path / "reports" / "2011" / "results.xlsx").is_file() and not (tmp_path / "results.xlsx").exists()
    with pytest.raises(report.ReportError, match="year 2012 was asked for"):
        report.open_year("", 2012, "")
    other = tmp_path / "elsewhere"
    shutil.copytree(TINY, other)
    monkeypatch.setenv(YEAR_DIR_ENV, str(other))
    monkeypatch.chdir(tmp_path / "reports")
    report.open_year()
    assert (tmp_path / "reports" / "reports" / "2011").is_dir()  # not beside a data folder: reports/ here
    monkeypatch.delenv(YEAR_DIR_ENV)
    (tmp_path / "a" / "b").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "a" / "b")
    with pytest.raises(report.ReportError, match="no year folder was given"):
        report.open_year()


def test_the_trends_defaults(monkeypatch):
    monkeypatch.setenv(YEAR_DIR_ENV, str(SAMPLE))
    comp = open_years("", [], "zh")  # data/ and every year in it
    assert list(comp.years) == [2011, 2012, 2013]


def _run(notebook: str, folder, **kernel_env) -> nbformat.NotebookNode:
    nb = nbformat.read(ROOT / "notebooks" / notebook, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(folder)}}).execute()
    return nb


@pytest.mark.parametrize("notebook", ["what_if.ipynb", "adjustments.ipynb", "collection.ipynb"])
def test_the_pages_notebooks_run_outside_the_repository(tmp_path, monkeypatch, notebook):
    """In a folder of the user's holding only `wfscore sample 2011`'s year; then pointed
    elsewhere by WFSCORE_YEAR_DIR, as `wfscore app DIR` does."""
    monkeypatch.delenv(YEAR_DIR_ENV, raising=False)
    assert run_cli("sample", tmp_path / "2011").returncode == 0
    before = {p.name: p.read_bytes() for p in (tmp_path / "2011").iterdir()}
    nb = _run(notebook, tmp_path)
    assert not any(o.get("output_type") == "error" for c in nb.cells for o in c.get("outputs", []))
    assert {p.name: p.read_bytes() for p in (tmp_path / "2011").iterdir()} == before  # nothing written
    if notebook == "what_if.ipynb":
        monkeypatch.setenv(YEAR_DIR_ENV, str(tmp_path / "年度-missing"))
        with pytest.raises(Exception, match="年度-missing"):  # the variable's folder, not the sample
            _run(notebook, tmp_path)
        empty = tmp_path / "empty"
        empty.mkdir()
        monkeypatch.delenv(YEAR_DIR_ENV)
        with pytest.raises(Exception, match="no year folder was given"):
            _run(notebook, empty)
