"""Shared fixtures: the example years, a scratch copy to break, the real console script."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TINY = ROOT / "tests" / "data" / "tiny"
SAMPLE = ROOT / "data" / "2011"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def need(available: bool, what: str) -> None:
    """Skip when ``what`` is missing on a developer's machine; fail in CI (CI=true)."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{what} is missing, and CI must run every test")
    pytest.skip(f"{what} is missing")


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


def console_script() -> str:
    """The installed ``wfscore`` entry point beside this interpreter."""
    script = Path(sys.executable).parent / "wfscore"
    need(script.exists(), f"the wfscore console script ({script})")
    return str(script)


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([console_script(), *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, timeout=120)
