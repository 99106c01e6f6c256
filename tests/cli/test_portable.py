"""Where the office is: a Windows PC, a console that cannot show Chinese.

Windows has no ``fcntl`` and no ``os.O_NOFOLLOW``, refuses to delete a file that is
still open and to remove or rename a folder holding one. The first test runs every
command that writes, and the panels' constructors, in a Python where ``fcntl`` cannot be
imported and ``os.O_NOFOLLOW`` does not exist. The others run the commands with an
output encoding that cannot show Chinese (cp1252, an English Windows console or a
redirect), a GBK console, and the C locale: they print, replacing what cannot be
shown, and exit as they would otherwise.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import ROOT, cli_env
from wfscore.cli import main
from wfscore.inputs.output import LOCK_SUFFIX, TMP_PREFIX, clean_stale, staged, staged_folder

# Run as a script: the blocks first, then every command that writes, then the panels.
WINDOWS_LIKE = r"""
import os, sys, warnings
sys.modules["fcntl"] = None    # `import fcntl` now raises ImportError, as on Windows
del os.O_NOFOLLOW              # and the flag is missing, as on Windows
# filelock says once that it falls back to its portable lock here (Windows has its own)
warnings.filterwarnings("ignore", message="only soft file lock is available")
try:
    import fcntl
except ImportError:
    pass
else:
    raise SystemExit("the test's block did not hold: fcntl imported")
assert not hasattr(os, "O_NOFOLLOW")

from pathlib import Path
from wfscore.cli import main

year, out = Path(sys.argv[1]), Path(sys.argv[2])
def step(*argv):
    code = main([str(a) for a in argv])
    print("STEP", argv[0], code, flush=True)
    if code != 0:
        raise SystemExit(f"{argv[0]} exited {code}")

step("score", year, "--out", out / "results.csv", "--detail", out / "detail.csv")
step("forms", year, "--out", out / "forms")
step("coherence", year, "--out", out / "coherence.csv")
step("sensitivity", year, "--samples", "40", "--out", out / "robustness.csv")
step("disputes", year, "--open", "value", "--dept", "C01", "--indicator", "S1", "--claim", "填错了")
step("disputes", year, "--uphold", "1", "--corrected", "95", "--reply", "同意", "--reviewer", "张三")
step("history", year)
step("restore", year, "last", "--reviewer", "张三")
step("disputes", year)
step("report", year, "--out", out / "report")
step("cards", year, "--out", out / "cards")
step("score", year, "--out", out / "results.csv")  # over its own earlier file

import wfscore
from wfscore.panels.collection import Board
from wfscore.panels.desk import Desk
from wfscore.panels.whatif import WhatIf
WhatIf(wfscore.load_year(year))
Desk(year, reviewer="张三")
Board(out / "forms", year)
print("PANELS", flush=True)
assert sys.modules.get("fcntl") is None, "something imported the real fcntl"
"""


def test_every_command_and_panel_works_without_fcntl_or_o_nofollow(sample, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    script = tmp_path / "windows_like.py"
    script.write_text(WINDOWS_LIKE, encoding="utf-8")
    # cp1252 as well: the console of an English-locale Windows PC
    done = subprocess.run(
        [sys.executable, str(script), str(sample), str(out)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        cwd=tmp_path,
        timeout=900,
        env=cli_env("en", PYTHONIOENCODING="cp1252"),
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    steps = [line.split()[1] for line in done.stdout.splitlines() if line.startswith("STEP")]
    assert steps == [
        "score",
        "forms",
        "coherence",
        "sensitivity",
        "disputes",
        "disputes",
        "history",
        "restore",
        "disputes",
        "report",
        "cards",
        "score",
    ]
    assert "PANELS" in done.stdout
    assert "Traceback" not in done.stderr
    for name in (
        "results.csv",
        "detail.csv",
        "coherence.csv",
        "robustness.csv",
        "report/report.html",
        "report/report.pdf",
        "report/results.xlsx",
        "cards/index.html",
        "cards/cards.zip",
    ):
        assert (out / name).is_file(), name
    assert len(list((out / "forms").glob("*.xlsx"))) == 135
    assert len(list(csv.DictReader((sample / "decisions.csv").open(encoding="utf-8-sig")))) == 2  # uphold, undo
    # nothing of the runs is left behind: no temporary folder, no lock file
    for folder in (tmp_path, out, sample, out / "report", out / "cards"):
        assert not [p.name for p in folder.iterdir() if p.name.startswith(TMP_PREFIX)], folder


# -- the temporary folders' locks, as Windows needs them ---------------------------------------


def test_a_temporary_folder_is_locked_from_beside_it_and_nothing_is_left(tmp_path):
    """The lock file stands beside the folder it guards, held while the block runs (so the
    folder can be renamed into place and removed with no file open inside), and both are
    gone afterwards."""
    with staged(tmp_path / "a.csv") as (tmp,):
        folder = tmp.parent
        assert folder.name.startswith(TMP_PREFIX)
        assert (tmp_path / (folder.name + LOCK_SUFFIX)).is_file()
        assert not [p for p in folder.iterdir()]  # nothing of ours inside: the file to write only
        assert clean_stale(tmp_path) == []  # a live run's folder is not taken for a stale one
        tmp.write_text("a")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv"]
    with staged_folder(tmp_path / "out") as folder:
        (folder / "x.html").write_text("x")
        assert sorted(p.name for p in folder.iterdir()) == ["x.html"]  # only what the command writes
    with staged_folder(tmp_path / "out") as folder:  # and once more over it
        (folder / "y.html").write_text("y")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv", "out"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["y.html"]


def test_a_lock_left_as_a_link_is_never_followed_and_a_lone_old_lock_goes(tmp_path):
    import os
    import time

    secret = tmp_path / "secret.txt"
    secret.write_text("keep")
    linked = tmp_path / (TMP_PREFIX + "link1")
    linked.mkdir()
    (tmp_path / (linked.name + LOCK_SUFFIX)).symlink_to(secret)
    lone = tmp_path / (TMP_PREFIX + "gone22" + LOCK_SUFFIX)
    lone.write_text("")
    old = time.time() - 3600
    os.utime(lone, (old, old))
    assert clean_stale(tmp_path) == []
    assert linked.is_dir() and secret.read_text() == "keep"
    assert not lone.exists()


# -- output that the console cannot show ---------------------------------------------------------

COMMANDS = [
    ("--help",),
    ("validate", "{year}"),
    ("validate", "{broken}"),
    ("score", "{year}", "--out", "{out}/results.csv"),
    ("explain", "{year}", "C01"),
    ("coherence", "{year}", "--out", "{out}/coherence.csv"),
    ("sensitivity", "{year}", "--samples", "30"),
    ("history", "{year}"),
    ("disputes", "{year}"),
    ("forms", "{year}", "--out", "{out}/forms"),
    ("collect", "{out}/forms", "--into", "{year}", "--status"),
    ("score", "{missing}"),
]


def _argv(command, year: Path, broken: Path, out: Path) -> list[str]:
    return [part.format(year=year, broken=broken, out=out, missing=out / "no-such-year") for part in command]


@pytest.fixture
def folders(sample, tmp_path):
    broken = tmp_path / "broken"
    import shutil

    shutil.copytree(sample, broken)
    with (broken / "values.csv").open("a", encoding="utf-8") as f:
        f.write("C01,13,不是数字\n")
    return sample, broken


def _run_in(encoding: str, argv: list[str], lang: str, monkeypatch) -> tuple[int, bytes, bytes]:
    """``main(argv)`` with stdout and stderr in ``encoding`` (strict, as Python opens a console)."""
    out, err = io.BytesIO(), io.BytesIO()
    stdout = io.TextIOWrapper(out, encoding=encoding, errors="strict", write_through=True)
    stderr = io.TextIOWrapper(err, encoding=encoding, errors="strict", write_through=True)
    monkeypatch.setattr(sys, "stdout", stdout)
    monkeypatch.setattr(sys, "stderr", stderr)
    monkeypatch.setenv("WFSCORE_LANG", lang)
    try:
        code = main(argv)
    except SystemExit as exc:  # --help
        code = exc.code
    stdout.flush()
    stderr.flush()
    assert stdout.errors == "strict" and stderr.errors == "strict"  # put back as they were
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("encoding", ["cp1252", "gbk", "ascii"])
def test_every_command_prints_in_a_console_that_cannot_show_its_text(folders, tmp_path, monkeypatch, encoding, lang):
    year, broken = folders
    for command in COMMANDS:
        out = tmp_path / f"{encoding}-{lang}-{command[0]}"
        out.mkdir(exist_ok=True)
        code, stdout, stderr = _run_in(encoding, _argv(command, year, broken, out), lang, monkeypatch)
        ref_out = tmp_path / f"utf8-{encoding}-{lang}-{command[0]}"
        ref_out.mkdir(exist_ok=True)
        expected, ref_stdout, ref_stderr = _run_in("utf-8", _argv(command, year, broken, ref_out), lang, monkeypatch)
        assert code == expected, (command, stderr.decode(encoding))
        # the same lines, each character the console cannot show replaced by '?'
        for got, ref in ((stdout, ref_stdout), (stderr, ref_stderr)):
            shown = ref.decode("utf-8").replace(str(ref_out), str(out)).encode(encoding, errors="replace")
            if command[0] in ("sensitivity", "coherence", "forms", "collect"):  # timings, progress: compare lines
                assert len(got.splitlines()) == len(shown.splitlines()), command
            else:
                assert got == shown, command
    assert code == 2  # the last: a year that is not there


@pytest.mark.parametrize(
    "variables", [{"PYTHONIOENCODING": "cp1252"}, {"PYTHONIOENCODING": "gbk"}, {"LC_ALL": "C", "LANG": "C"}]
)
def test_the_console_script_prints_and_exits_as_otherwise(folders, tmp_path, variables):
    """The real console script: Python sets its streams from the environment at start."""
    year, broken = folders
    script = Path(sys.executable).parent / "wfscore"
    for argv, code in (
        (["--lang", "en", "validate", str(year)], 0),
        (["validate", str(year)], 0),
        (["validate", str(broken)], 1),
        (["--lang", "en", "validate", str(broken)], 1),
    ):
        done = subprocess.run(
            [str(script), *argv],
            capture_output=True,
            cwd=ROOT,
            timeout=120,
            env={
                k: v
                for k, v in cli_env(None, **variables).items()
                if not (k.startswith("LC_") and "LC_ALL" in variables and k != "LC_ALL")
            },
        )
        assert done.returncode == code, done.stderr.decode("utf-8", "replace")[-2000:]
        assert b"Traceback" not in done.stderr and b"UnicodeEncodeError" not in done.stderr
        shown = done.stdout + done.stderr
        counts = b"2 errors, 0 warnings" if code else b"0 errors, 4 warnings"
        if "--lang" in argv:
            assert counts in shown
        else:  # the counts are shown, whatever else is replaced
            assert counts.split(b" ")[0] in shown and counts.split(b" ")[2] in shown
