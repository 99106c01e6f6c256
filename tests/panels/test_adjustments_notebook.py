"""notebooks/adjustments.ipynb: running it writes nothing (decisions are written only on a
button click)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import nbformat

from helpers import ROOT, SAMPLE, need

NOTEBOOK = ROOT / "notebooks" / "adjustments.ipynb"


def test_the_desk_is_shown_for_the_parameters():
    code = [c for c in nbformat.read(NOTEBOOK, as_version=4).cells if c.cell_type == "code"]
    assert (
        "Desk(data_dir, reviewer=reviewer, lang=page_lang(lang))" in code[-1].source
    )  # the rest: tests/test_notebooks.py


def test_runs_under_nbval_and_writes_nothing():
    """The same check CI runs (``pytest --nbval-lax notebooks/``), on this notebook; the
    repository's data folder is byte for byte as it was, with no .history/ or decisions.csv."""
    need(importlib.util.find_spec("nbval") is not None, "the nbval pytest plugin")
    need(importlib.util.find_spec("ipykernel") is not None, "ipykernel (a Python kernel)")
    before = {p.name: p.read_bytes() for p in SAMPLE.iterdir()}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval-lax", "-p", "no:cacheprovider", "-q", str(NOTEBOOK)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "2 passed" in run.stdout
    assert {p.name: p.read_bytes() for p in SAMPLE.iterdir()} == before
