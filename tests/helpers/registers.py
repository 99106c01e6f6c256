"""Helpers of the tests of decisions and disputes (the library's and the desk's)."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np


def by_hand(folder: Path, tmp_path: Path, name: str, old: str, new: str) -> Path:
    """A copy of the year ``folder`` (without its history, log and register) with ``old``
    in file ``name`` edited by hand to ``new``: what a decision should come to."""
    copy = tmp_path / "by_hand"
    shutil.copytree(folder, copy, ignore=shutil.ignore_patterns(".history", "decisions.csv", "disputes.csv"))
    path = copy / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    return copy


def every_file(folder: Path) -> dict[str, bytes]:
    """Every file of the folder but the log (which only grows) and .history/."""
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file() and p.name != "decisions.csv"}


def assert_same(a, b) -> None:
    """Two results that score and rank alike."""
    for name in ("total", "rank", "effective_weight", "score", "eligible", "excellent"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)
