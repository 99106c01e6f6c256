"""notebooks/adjustments.ipynb: committed clean, a parameters cell, runs headless under
nbval, and running it writes nothing (decisions are written only on a button click)."""

from __future__ import annotations

import ast
import importlib.util
import subprocess
import sys

import nbformat

from conftest import ROOT, SAMPLE, need

NOTEBOOK = ROOT / "notebooks" / "adjustments.ipynb"


def test_committed_without_outputs_and_with_a_parameters_cell():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code)
    params = code[0]
    assert "parameters" in params.metadata.get("tags", [])
    tree = ast.parse(params.source)
    assert [t.id for node in tree.body for t in node.targets] == ["data_dir", "reviewer"]
    assert all(isinstance(node.value, ast.Constant) for node in tree.body)
    assert "def " not in "".join(c.source for c in code[1:])
    assert "Desk(data_dir, reviewer=reviewer)" in code[-1].source


def test_runs_under_nbval_and_writes_nothing():
    """The same check CI runs (``pytest --nbval-lax notebooks/``), on this notebook; the
    repository's data folder is byte for byte as it was, with no .history/ or decisions.csv."""
    need(importlib.util.find_spec("nbval") is not None, "the nbval pytest plugin")
    need(importlib.util.find_spec("ipykernel") is not None, "ipykernel (a Python kernel)")
    before = {p.name: p.read_bytes() for p in SAMPLE.iterdir()}
    run = subprocess.run([sys.executable, "-m", "pytest", "--nbval-lax", "-p", "no:cacheprovider", "-q",
                          str(NOTEBOOK)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "2 passed" in run.stdout
    assert {p.name: p.read_bytes() for p in SAMPLE.iterdir()} == before
