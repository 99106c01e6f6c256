"""Helpers of the tests of collection: a small year to make forms for."""

from __future__ import annotations

import shutil
from pathlib import Path

from helpers import SAMPLE


def five_departments(folder: Path) -> Path:
    """``folder`` made a year of 2011's scheme with five of its departments (the first of
    the government offices and party bodies), flagged synthetic; no figures yet."""
    folder.mkdir()
    for name in ("scheme.yaml", "SYNTHETIC"):
        shutil.copy(SAMPLE / name, folder)
    lines = (SAMPLE / "departments.csv").read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines[1:] if line.startswith(("G0", "P0"))][:5]
    (folder / "departments.csv").write_text("\n".join(lines[:1] + kept) + "\n", encoding="utf-8")
    return folder
