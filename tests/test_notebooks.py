"""Every notebook: committed without outputs, a parameters cell of plain literals first,
then only calls into wfscore (STYLE.md 7). pytest executes each one with nbval too
(``testpaths`` in pyproject.toml)."""

from __future__ import annotations

import ast

import nbformat
import pytest

from helpers import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
PARAMETERS = {
    "annual_report.ipynb": ["data_dir", "year", "out_dir", "lang"],
    "what_if.ipynb": ["data_dir", "lang"],
    "adjustments.ipynb": ["data_dir", "reviewer", "lang"],
    "trends.ipynb": ["data_root", "years", "lang"],
    "collection.ipynb": ["returns_dir", "data_dir"],
}


def test_every_notebook_is_known():
    assert sorted(p.name for p in NOTEBOOKS) == sorted(PARAMETERS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_clean_parameters_then_library_calls(path):
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code)  # committed without outputs
    params = code[0]
    assert "parameters" in params.metadata.get("tags", [])
    tree = ast.parse(params.source)
    assert [t.id for node in tree.body for t in node.targets] == PARAMETERS[path.name]
    assert all(isinstance(node.value, (ast.Constant, ast.List, ast.Tuple)) for node in tree.body)
    assert all(
        isinstance(e, ast.Constant)
        for node in tree.body
        for e in ast.walk(node.value)
        if not isinstance(e, (ast.List, ast.Tuple, ast.Load))
    )  # plain literals
    later = "".join(c.source for c in code[1:])
    assert "def " not in later and "class " not in later  # helpers live in wfscore/
