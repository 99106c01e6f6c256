"""Where the commands write, and what they write, through the real console script: never
over a file they read, never outside the year, clear errors for a bad target, a read-only
folder or a full disk, formula-leading text inert in every CSV, a BOM for Excel, control
characters inert on the terminal."""

from __future__ import annotations

import csv
import errno
import io
import os
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from helpers import IN_CI, TINY, need, run_cli


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def set_names(folder: Path, names: dict[str, str]) -> None:
    with open(folder / "departments.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        row["name"] = names.get(row["dept_id"], row["name"])
    with open(folder / "departments.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=["dept_id", "name", "kind"])
        writer.writeheader()
        writer.writerows(rows)


# -- never over an input -----------------------------------------------------------------


@pytest.mark.parametrize("how", ["path", "dotted path", "symlink", "hard link"])
def test_score_refuses_to_write_over_an_input(tiny, tmp_path, how):
    before = snapshot(tiny)
    if how == "path":
        out = tiny / "values.csv"
    elif how == "dotted path":
        out = tiny / "sub" / ".." / "values.csv"
        (tiny / "sub").mkdir()
    elif how == "symlink":
        out = tmp_path / "link.csv"
        out.symlink_to(tiny / "values.csv")
    else:
        out = tmp_path / "hard.csv"
        os.link(tiny / "values.csv", out)
    proc = run_cli("score", tiny, "--out", out)
    assert proc.returncode == 2, proc.stderr
    assert f"error: --out {str(out)!r} names the same file as" in proc.stderr
    assert "values.csv" in proc.stderr and "which this command reads" in proc.stderr
    assert snapshot(tiny) == before
    assert not list(tiny.rglob(".wfscore-tmp-*"))


def test_score_detail_and_sensitivity_refuse_inputs_too(tiny):
    before = snapshot(tiny)
    proc = run_cli("score", tiny, "--out", tiny.parent / "r.csv", "--detail", tiny / "ratings.csv")
    assert proc.returncode == 2 and "error: --detail" in proc.stderr and "ratings.csv" in proc.stderr
    proc = run_cli("sensitivity", tiny, "--samples", "8", "--indices", tiny / "scheme.yaml")
    assert proc.returncode == 2 and "error: --indices" in proc.stderr and "scheme.yaml" in proc.stderr
    assert snapshot(tiny) == before
    assert not (tiny.parent / "r.csv").exists()


@pytest.mark.parametrize(
    "target,message",
    [
        ("", "error: --out '' is not a file name"),
        (".", "error: --out '.' is a folder"),
        ("sub/", "error: --out 'sub/' is a folder"),
    ],
)
def test_score_out_must_name_a_file(tmp_path, target, message):
    proc = run_cli("score", TINY, "--out", target, cwd=tmp_path)
    assert proc.returncode == 2
    assert message in proc.stderr and "Traceback" not in proc.stderr
    assert list(tmp_path.iterdir()) == []


def test_score_out_an_existing_folder(tmp_path):
    (tmp_path / "results.csv").mkdir()
    proc = run_cli("score", TINY, "--out", tmp_path / "results.csv")
    assert proc.returncode == 2 and f"--out {str(tmp_path / 'results.csv')!r} is a folder" in proc.stderr


def test_the_same_file_twice_by_a_link(tmp_path):
    (tmp_path / "a.csv").write_text("x")
    os.symlink(tmp_path / "a.csv", tmp_path / "b.csv")
    proc = run_cli("score", TINY, "--out", tmp_path / "a.csv", "--detail", tmp_path / "b.csv")
    assert proc.returncode == 2 and "--detail and --out name the same file" in proc.stderr


# -- a read-only folder, a full disk -----------------------------------------------------


def _mount(folder: Path, options: str) -> bool:
    folder.mkdir()
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    return (
        subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True).returncode
        == 0
    )


@pytest.fixture
def mounted(tmp_path):
    mounted = []

    def mount(name: str, options: str) -> Path:
        folder = tmp_path / name
        ok = _mount(folder, options)
        if not ok and not IN_CI:
            pytest.skip("a tmpfs mount needs root (the in-process tests below cover the same errors)")
        need(ok, "mounting a tmpfs (root)")
        mounted.append(folder)
        return folder

    yield mount
    for folder in mounted:
        subprocess.run(["umount", str(folder)], capture_output=True)


def test_a_read_only_folder_is_a_clear_error(mounted):
    folder = mounted("ro", "ro,size=1m")
    proc = run_cli("score", TINY, "--out", folder / "results.csv")
    assert proc.returncode == 1
    assert f"error: could not write {folder / 'results.csv'}: Read-only file system" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_full_disk_is_a_clear_error(mounted, tmp_path):
    folder = mounted("full", "size=64k")
    with open(folder / "filler", "wb", buffering=0) as f:  # fill it
        try:
            while True:
                f.write(b"x" * 4096)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    out = folder / "results.csv"
    proc = run_cli("score", TINY, "--out", out, "--detail", folder / "detail.csv")
    assert proc.returncode == 1, proc.stderr
    assert "No space left on device" in proc.stderr and "error: could not write" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not out.exists() and not list(folder.glob(".wfscore-tmp-*"))


@pytest.mark.parametrize(
    "code,words",
    [
        (errno.ENOSPC, "No space left on device"),
        (errno.EROFS, "Read-only file system"),
        (errno.EACCES, "Permission denied"),
    ],
)
def test_write_errors_of_every_command_are_named(monkeypatch, tmp_path, capsys, code, words):
    from wfscore.cli import main

    def refuse(*args, **kwargs):
        raise OSError(code, os.strerror(code), str(args[0]))

    monkeypatch.setattr(os, "replace", refuse)
    monkeypatch.setenv("WFSCORE_LANG", "en")
    out = tmp_path / "r.csv"
    assert main(["score", str(TINY), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"error: could not write {out}: {words}" in err and not out.exists()
    assert main(["sensitivity", str(TINY), "--samples", "16", "--out", str(out)]) == 1
    assert f"error: could not write {out}: {words}" in capsys.readouterr().err
    assert not list(tmp_path.glob(".wfscore-tmp-*"))


# -- what is written ---------------------------------------------------------------------

FORMULAS = {
    "D1": "=cmd|' /C calc'!A0",
    "D2": "+1+1",
    "D3": "@SUM(1)",
    "D4": "-1+1",
    "D5": "＝1+1",
    "D6": "＠x",
    "D7": "－2",
}


def test_formula_text_is_inert_in_every_csv(tiny, tmp_path):
    set_names(tiny, FORMULAS)
    out, detail = tmp_path / "r.csv", tmp_path / "d.csv"
    assert run_cli("score", tiny, "--out", out, "--detail", detail).returncode == 0
    sens = tmp_path / "s.csv"
    assert run_cli("sensitivity", tiny, "--samples", "16", "--out", sens).returncode == 0
    for path in (out, sens):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        names = dict(zip(frame["dept_id"], frame["name"]))
        assert names == {d: "'" + text for d, text in FORMULAS.items()}
    # numbers stay numbers, negative ones too
    frame = pd.read_csv(out, dtype={"dept_id": str})
    assert pd.api.types.is_float_dtype(frame["total"])


def test_negative_numbers_and_plain_text_are_left_alone():
    from wfscore.inputs.output import csv_ready

    frame = pd.DataFrame({"n": ["-3", "+4", "-1.5e3", "甲", "a=b", "-", "@"], "x": [-1.0] * 7})
    out = csv_ready(frame)
    assert out["n"].tolist() == ["-3", "+4", "-1.5e3", "甲", "a=b", "'-", "'@"]
    assert out["x"].tolist() == [-1.0] * 7


def test_results_have_a_bom_and_encoding_is_an_option(tmp_path):
    out = tmp_path / "r.csv"
    assert run_cli("score", TINY, "--out", out).returncode == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfdept_id,name,")
    assert "一号局" in raw.decode("utf-8-sig")
    assert run_cli("score", TINY, "--out", out, "--encoding", "gb18030").returncode == 0
    assert out.read_bytes().startswith(b"dept_id,") and "一号局" in out.read_bytes().decode("gb18030")
    assert run_cli("score", TINY, "--out", out, "--encoding", "utf-8").returncode == 0
    assert out.read_bytes().startswith(b"dept_id,")
    proc = run_cli("score", TINY, "--out", out, "--encoding", "latin-1")
    assert proc.returncode == 2 and "--encoding" in proc.stderr


def test_detail_shows_finite_values_up_to_the_largest_double(tiny, tmp_path):
    (tiny / "exemptions.csv").write_text("dept_id,indicator,reason,confirmed\n", encoding="utf-8")
    with open(tiny / "values.csv", encoding="utf-8") as f:
        lines = [
            line for line in f if not line.startswith(("D1,i5", "D2,i5", "D3,i5", "D4,i5", "D5,i5", "D6,i5", "D7,i5"))
        ]
    lines += ["D1,i5,1e-307\n", "D2,i5,5e-308\n", "D3,i5,1.7976931348623157e308\n", "D4,i5,5e-324\n"]
    (tiny / "values.csv").write_text("".join(lines), encoding="utf-8")
    out, detail = tmp_path / "r.csv", tmp_path / "d.csv"
    proc = run_cli("score", tiny, "--out", out, "--detail", detail)
    assert proc.returncode == 0, proc.stderr
    assert "Warning" not in proc.stderr  # no overflow while formatting
    rows = pd.read_csv(detail, dtype={"dept_id": str})
    i5 = rows[rows["indicator"] == "i5"].set_index("dept_id")
    assert i5.loc["D3", "value"] == 1.7976931348623157e308 and i5.loc["D3", "base"] == 1.7976931348623157e308
    assert i5.loc["D1", "value"] == 1e-307 and i5.loc["D4", "value"] == 5e-324  # not rounded to 0
    results = pd.read_csv(out)
    assert results["total"].map(float).map(lambda x: x == x and abs(x) < 1e9).all()


# -- the terminal ------------------------------------------------------------------------


def test_control_characters_in_names_are_refused_and_shown_as_escapes(tiny):
    """Loading refuses control characters in text cells; the error itself (which quotes
    the bad value) reaches the terminal with the characters escaped, never raw."""
    set_names(tiny, {"D2": "\x1b[2J\x1b[31m红\x1b[0m", "D3": "abc\u202eevil"})
    for args in (
        ("validate", tiny),
        ("explain", tiny, "D2"),
        ("score", tiny, "--out", tiny.parent / "r.csv"),
        ("sensitivity", tiny, "--samples", "16"),
    ):
        proc = run_cli(*args)
        assert proc.returncode == 1, args
        shown = proc.stdout + proc.stderr
        assert "\x1b" not in shown and "\u202e" not in shown, args
        assert "departments.csv" in shown and "\\x1b" in shown and "\\u202e" in shown, args
    assert not (tiny.parent / "r.csv").exists()


def test_explain_escapes_control_characters_that_reach_it_from_memory():
    """Text that did not come through loading (a year built in memory) is still made
    inert by what the command line prints explain through: escapes, never raw codes."""
    import dataclasses

    import wfscore
    from wfscore.inputs.inert import terminal

    year = wfscore.load_year(TINY)
    departments = year.departments.copy()
    departments.loc[departments["dept_id"] == "D2", "name"] = "\x1b[2J\x1b[31m红\x1b[0m"
    departments.loc[departments["dept_id"] == "D3", "name"] = "abc\u202eevil"
    year = dataclasses.replace(year, departments=departments, _cache={})
    result = wfscore.score(year)
    text = terminal(wfscore.explain(result, "D2"))
    assert "\x1b" not in text and text.startswith("\\x1b[2J\\x1b[31m红\\x1b[0m（D2")
    text = terminal(wfscore.explain(result, "D3", lang="en"))
    assert "\u202e" not in text and "abc\\u202eevil" in text


# -- restore follows no path out of the year ---------------------------------------------


def _log(folder: Path, file: str, version: str) -> None:
    from wfscore.review.decisions import LOG_COLUMNS

    entry = {c: "" for c in LOG_COLUMNS}
    entry.update(
        id="1",
        time="2026-01-01T00:00:00+00:00",
        reviewer="x",
        action="decide",
        file=file,
        row="2",
        field="confirmed",
        old_value="false",
        new_value="true",
        version=version,
    )
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(LOG_COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerow(entry)
    (folder / "decisions.csv").write_text(buffer.getvalue(), encoding="utf-8")


@pytest.mark.parametrize(
    "file,version,column",
    [
        ("../victim.csv", "v1", "file"),
        ("exemptions.csv", "../../secret.txt", "version"),
        ("exemptions.csv", "/etc/passwd", "version"),
        ("/tmp/x.csv", "v1", "file"),
        ("scheme.yaml", "v1", "file"),
        ("exemptions.csv", "link", "version"),
    ],
)
def test_restore_and_undo_follow_no_path_out_of_the_year(tmp_path, file, version, column):
    year = tmp_path / "year"
    shutil.copytree(TINY, year)
    victim, secret = tmp_path / "victim.csv", tmp_path / "secret.txt"
    victim.write_text("victim\n")
    secret.write_text("secret\n")
    (year / ".history").mkdir()
    (year / ".history" / "v1").write_text("kept\n")
    (year / ".history" / "link").symlink_to(secret)
    _log(year, file, version)
    before = snapshot(tmp_path)
    for args in (["restore", year, version], ["restore", year, "last"], ["history", year]):
        proc = run_cli(*args, "--reviewer", "x") if args[0] == "restore" else run_cli(*args)
        assert proc.returncode == 1, (args, proc.stdout, proc.stderr)
        bad = file if column == "file" else version
        assert f"decisions.csv line 2, column {column}: {bad!r} is not" in proc.stderr
        assert "Traceback" not in proc.stderr
    after = snapshot(tmp_path)
    after.pop("year/.history/lock", None)  # the desk's lock, taken before the log is read
    assert after == before
    assert victim.read_text() == "victim\n"


@pytest.mark.parametrize("extra", [[], ["--all"]])
def test_report_out_must_name_a_folder(tmp_path, extra):
    proc = run_cli("report", TINY, "--out", "", *extra, cwd=tmp_path)
    assert proc.returncode == 2
    assert "error: --out '' is not a folder name" in proc.stderr and "Traceback" not in proc.stderr
    assert list(tmp_path.iterdir()) == []


def test_sensitivity_out_must_name_a_file(tmp_path):
    proc = run_cli("sensitivity", TINY, "--samples", "16", "--out", "", "--indices", tmp_path)
    assert proc.returncode == 2
    assert "--out '' is not a file name" in proc.stderr and f"--indices {str(tmp_path)!r} is a folder" in proc.stderr
