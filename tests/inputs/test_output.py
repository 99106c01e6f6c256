"""Atomic writes: all or nothing."""

from __future__ import annotations

import errno
import os
import subprocess
import sys

import pandas as pd
import pytest

from wfscore.inputs.output import (
    LOCK_SUFFIX,
    TMP_PREFIX,
    OutputError,
    check_targets,
    clean_stale,
    csv_ready,
    formula_leading,
    inert_cell,
    inert_text,
    staged,
    staged_folder,
    write_csv,
)


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


# -- never over an input, stale temporary folders, CSV for people ----------------------------


def test_check_targets_names_every_problem(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "values.csv").write_text("x")
    os.link(data / "values.csv", tmp_path / "hard.csv")
    with pytest.raises(OutputError) as exc:
        check_targets(
            {"--out": "", "--detail": tmp_path, "--a": data / "values.csv", "--b": tmp_path / "hard.csv"}, reads=[data]
        )
    message = str(exc.value)
    assert exc.value.status == 2
    assert "--out '' is not a file name" in message and f"--detail {str(tmp_path)!r} is a folder" in message
    assert f"--a {str(data / 'values.csv')!r} names the same file as" in message
    assert "--b and --a name the same file" in message  # a hard link to the other target
    with pytest.raises(OutputError, match="--out .*hard.csv' names the same file as .*values.csv'"):
        check_targets({"--out": tmp_path / "hard.csv"}, reads=[data])
    assert check_targets({"--out": tmp_path / "new.csv", "--detail": None}, reads=[data]) == [tmp_path / "new.csv"]


def test_staged_checks_what_it_reads(tmp_path):
    (tmp_path / "in.csv").write_text("input")
    with pytest.raises(OutputError, match="which this command reads"):
        with staged(tmp_path / "in.csv", reads=[tmp_path / "in.csv"]) as (tmp,):
            tmp.write_text("over")
    assert (tmp_path / "in.csv").read_text() == "input"


def test_a_write_error_names_the_file(tmp_path, monkeypatch):
    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(args[0]))

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(OutputError, match=r"could not write .*a\.csv: No space left on device") as exc:
        with staged(tmp_path / "a.csv") as (tmp,):
            tmp.write_text("A")
    assert exc.value.status == 1 and not list(tmp_path.iterdir())


def _stale(parent, name: str, locked_by_dead_process: bool = True):
    folder = parent / name
    folder.mkdir()
    (folder / "half.html").write_text("half")
    if locked_by_dead_process:  # its lock file, beside it: its run was killed, nobody holds the lock
        (parent / (name + LOCK_SUFFIX)).write_text("999999\n")
    return folder


def test_stale_folders_of_killed_runs_are_cleared_and_live_ones_kept(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("WFSCORE_LANG", "zh")
    stale = _stale(tmp_path, TMP_PREFIX + "abc123")
    fresh_unlocked = _stale(tmp_path, TMP_PREFIX + "new456", locked_by_dead_process=False)
    not_ours = _stale(tmp_path, "wfscore-tmp-abc")
    odd_name = _stale(tmp_path, TMP_PREFIX + "x/../y".replace("/", "_"))
    live = _stale(tmp_path, TMP_PREFIX + "live99")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            (
                "import time, filelock\n"
                f"lock = filelock.FileLock({str(live) + LOCK_SUFFIX!r})\nlock.acquire()\n"
                "print('held', flush=True)\ntime.sleep(60)\n"
            ),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline() == "held\n"
        with staged(tmp_path / "results.csv") as (tmp,):
            tmp.write_text("new")
    finally:
        holder.kill()
        holder.wait()
    assert not stale.exists()
    assert live.exists() and fresh_unlocked.exists() and not_ours.exists() and odd_name.exists()
    err = capsys.readouterr().err
    assert f"注意：已删除 {stale}，这是此前一次未完成的运行留下的临时文件夹" in err  # the library's note, in Chinese
    monkeypatch.setenv("WFSCORE_LANG", "en")
    assert clean_stale(tmp_path) == [live]  # its run is gone now
    assert f"note: removed {live}, the temporary folder of an earlier run that did not finish" in (
        capsys.readouterr().err
    )


def test_inert_cell():
    for text in ("=cmd|' /C calc'!A0", "+1+1", "@SUM(1)", "-1+1", "\t=1", "\r=1", "＝1", "＋1", "－1", "＠a"):
        assert inert_cell(text) == "'" + text
    for value in ("-3", "+2.5", "1e5", "甲", "a=b", 3, -1.5, None):
        assert inert_cell(value) == value


def test_inert_text_is_the_same_guard_with_the_apostrophe_kept_reversible():
    for text in ("=1", "+1+1", "@SUM(1)", "-3", "\t=1", "＝1", "＋1", "－1", "＠a"):
        assert formula_leading(text) and inert_text(text) == inert_text(text, reversible=True) == "'" + text
    for text in ("甲", "a=b", "", "'quoted"):
        assert not formula_leading(text) and inert_text(text) == text
    assert inert_text("'quoted", reversible=True) == "''quoted"


def test_write_csv_rounds_without_losing_values(tmp_path):
    frame = pd.DataFrame({"x": [0.1 + 0.2, 1e-307, 1.7976931348623157e308, -5e-324], "n": ["=1", "a", "-2", "+"]})
    write_csv(frame, tmp_path / "a.csv")
    raw = (tmp_path / "a.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfx,n\n")
    back = pd.read_csv(tmp_path / "a.csv", dtype={"n": str})
    assert back["x"].tolist() == [0.3, 1e-307, 1.7976931348623157e308, -5e-324]
    assert back["n"].tolist() == ["'=1", "a", "-2", "'+"]
    with pytest.raises(ValueError, match="expected one of utf-8-sig, utf-8, gb18030"):
        write_csv(frame, tmp_path / "b.csv", encoding="latin-1")


def test_an_output_folder_overlapping_the_data_or_holding_other_files_is_refused(tmp_path):
    from wfscore.inputs.manifest import refusal
    from wfscore.inputs.output import inside, overlaps

    data, out = tmp_path / "data" / "2011", tmp_path / "reports" / "2011"
    data.mkdir(parents=True)
    assert inside(data / "x", data) and inside(data, data) and not inside(data, data / "x")
    assert overlaps(data / "out", data) and overlaps(tmp_path, data) and not overlaps(out, data)
    assert refusal(out, data, "report") is None  # a new folder
    assert refusal(data / "report", data, "report") == ("overlap", [])
    assert refusal(tmp_path / "data", data, "report") == ("foreign", ["2011"])  # asked first, as before
    out.mkdir(parents=True)
    (out / "mine.txt").write_text("x", encoding="utf-8")
    assert refusal(out, data, "report") == ("foreign", ["mine.txt"])
    assert refusal(out / "mine.txt", data, "report") == ("file", [])
