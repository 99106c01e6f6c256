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
