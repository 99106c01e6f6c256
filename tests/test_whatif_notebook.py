"""notebooks/what_if.ipynb: committed clean, a parameters cell, and it runs headless under nbval."""

from __future__ import annotations

import ast
import importlib.util
import subprocess
import sys

import nbformat

from conftest import ROOT, need

NOTEBOOK = ROOT / "notebooks" / "what_if.ipynb"


def test_committed_without_outputs_and_with_a_parameters_cell():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code)
    params = code[0]
    assert "parameters" in params.metadata.get("tags", [])
    # plain literals only
    tree = ast.parse(params.source)
    assert [t.id for node in tree.body for t in node.targets] == ["data_dir"]
    assert all(isinstance(node.value, ast.Constant) for node in tree.body)
    # everything else only calls the library
    assert "def " not in "".join(c.source for c in code[1:])


def test_runs_under_nbval():
    """The same check CI runs (``pytest --nbval-lax notebooks/``), on this notebook."""
    need(importlib.util.find_spec("nbval") is not None, "the nbval pytest plugin")
    need(importlib.util.find_spec("ipykernel") is not None, "ipykernel (a Python kernel)")
    run = subprocess.run([sys.executable, "-m", "pytest", "--nbval-lax", "-p", "no:cacheprovider", "-q",
                          str(NOTEBOOK)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "2 passed" in run.stdout
