"""Atomic writes: all or nothing."""

from __future__ import annotations

import pandas as pd
import pytest

from wfscore.inputs.output import csv_ready, staged, staged_folder


def test_staged_moves_every_file_into_place(tmp_path):
    a, b = tmp_path / "new" / "a.csv", tmp_path / "b.csv"
    with staged(a, b) as (ta, tb):
        ta.write_text("A")
        tb.write_text("B")
        assert not a.exists() and not b.exists()
    assert a.read_text() == "A" and b.read_text() == "B"
    assert not list(tmp_path.rglob(".wfscore-tmp-*"))


def test_staged_failure_writes_nothing(tmp_path):
    a, b = tmp_path / "new" / "a.csv", tmp_path / "b.csv"
    b.write_text("old")
    with pytest.raises(RuntimeError):
        with staged(a, b) as (ta, tb):
            ta.write_text("A")
            raise RuntimeError("disk full")
    assert not (tmp_path / "new").exists()  # the folder made for it is gone too
    assert b.read_text() == "old"
    assert not list(tmp_path.rglob(".wfscore-tmp-*"))


def test_staged_folder_replaces_whole_or_not_at_all(tmp_path):
    target = tmp_path / "reports" / "2011"
    target.mkdir(parents=True)
    (target / "old.html").write_text("old")
    with pytest.raises(ValueError):
        with staged_folder(target) as tmp:
            (tmp / "report.html").write_text("half")
            raise ValueError("cell 3 failed")
    assert [p.name for p in target.iterdir()] == ["old.html"]
    with staged_folder(target) as tmp:
        (tmp / "report.html").write_text("new")
    assert [p.name for p in target.iterdir()] == ["report.html"]
    assert not list(target.parent.glob(".wfscore-tmp-*"))


def test_csv_ready_formats():
    frame = pd.DataFrame({"x": [0.1 + 0.2, 1.0], "ok": [True, False], "name": ["a", "b"]})
    out = csv_ready(frame)
    assert out["x"].tolist() == [0.3, 1.0] and out["ok"].tolist() == ["true", "false"]
