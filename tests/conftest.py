"""Shared fixtures: the example years, a scratch copy to break (the helpers the tests share
are in :mod:`helpers`)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from helpers import HOSTILE_NAMES, SAMPLE, TINY


def pytest_sessionfinish(session, exitstatus):
    """The portal tests' throwaway PostgreSQL server (tests/portal/portaldb.py) stopped, if one was started."""
    portaldb = sys.modules.get("portaldb")
    if portaldb is not None:
        portaldb.stop()


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    """A scratch copy of the hand-checked tiny year, safe to modify."""
    dest = tmp_path / "tiny"
    shutil.copytree(TINY, dest)
    return dest


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """A scratch copy of the synthetic 2011 sample year."""
    dest = tmp_path / "2011"
    shutil.copytree(SAMPLE, dest)
    return dest


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """The tiny year with hostile text from other offices' files: department names that
    are HTML, spreadsheet formulas and TeX, an exemption reason and an incident
    description that are HTML, and a scheme title with markup. Flagged SYNTHETIC."""
    import csv

    dest = tmp_path / "hostile"
    shutil.copytree(TINY, dest)
    with open(dest / "departments.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        row["name"] = HOSTILE_NAMES[row["dept_id"]]
    with open(dest / "departments.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=["dept_id", "name", "kind"])
        writer.writeheader()
        writer.writerows(rows)
    for name, old, new in [
        ("exemptions.csv", "无独立网站栏目", '"<img src=x onerror=alert(2)>"'),
        ("incidents.csv", "数据泄露", "<b>=1+1</b>"),
        ("scheme.yaml", "title: 手算示例", 'title: "<i>手算</i>示例 <script>alert(3)</script>"'),
    ]:
        path = dest / name
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    (dest / "SYNTHETIC").write_text("synthetic test data\n", encoding="utf-8")
    return dest


# -- test tiers ---------------------------------------------------------------------------
# `make test` runs every test; `make test-fast` leaves out the slow tiers below, for the
# edit-test loop. A test joins a tier by what its code (or a fixture it uses) reaches for,
# so that a new browser or LibreOffice test cannot be left in the fast run by forgetting a
# mark; a module or test may also be marked by hand (the markers are in pyproject.toml).
TIER_WORDS = {
    "browser": ("playwright", "chromium", "print_pdf"),
    "libreoffice": ("soffice",),
    "notebooks": ("papermill", "nbclient", "voila", "jupyterlab", "execute_notebook"),
    "cli": ("run_cli(", "console_script(", "run_on_a_terminal(", "sys.executable"),
}
# a property test drawing more examples than this is a long hypothesis run
LONG_HYPOTHESIS = 100


def _source(function) -> str:
    import inspect

    try:
        return inspect.getsource(function)
    except (OSError, TypeError):
        return ""


def _tiers(item: pytest.Item, sources: dict) -> set[str]:
    if not isinstance(item, pytest.Function):  # nbval's cells: a notebook of notebooks/
        return {"notebooks"}
    funcs = [item.function]
    for defs in item._fixtureinfo.name2fixturedefs.values():
        funcs += [d.func for d in defs if d.baseid]  # the project's fixtures, not pytest's own
    text = "\n".join(sources.setdefault(f, _source(f)) for f in funcs)
    tiers = {tier for tier, words in TIER_WORDS.items() if any(w in text for w in words)}
    settings = getattr(item.function, "_hypothesis_internal_use_settings", None)
    if settings is not None and settings.max_examples > LONG_HYPOTHESIS:
        tiers.add("hypothesis_long")
    return tiers


def pytest_collection_modifyitems(config, items):
    sources: dict = {}
    for item in items:
        for tier in _tiers(item, sources):
            item.add_marker(tier)
