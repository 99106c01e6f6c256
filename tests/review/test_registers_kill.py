"""The registers survive a kill: a process killed (``Popen.kill``: SIGKILL, TerminateProcess)
at each step between the writes of an uphold, an undo or a decision leaves a year in which
the register, the corrected table and decisions.csv agree once the next command has run
(it finishes the interrupted save, under the lock).

The step is reached through a test hook: ``WFSCORE_TEST_PAUSE_AT`` names it, and the
process writes ``WFSCORE_TEST_BARRIER`` and waits there to be killed.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers import TINY, cli_env
from wfscore.review import decisions, disputes

STEPS = ("kept version", "journal", "wrote values.csv", "wrote decisions.csv", "wrote disputes.csv")
TABLE_STEPS = ("kept version", "journal", "wrote exemptions.csv", "wrote decisions.csv")


def killed_at(step: str, tmp_path: Path, args: list[str]) -> None:
    """Run ``python args`` until it reaches ``step``, then kill it."""
    barrier = tmp_path / "barrier"
    barrier.unlink(missing_ok=True)
    env = cli_env(WFSCORE_TEST_PAUSE_AT=step, WFSCORE_TEST_BARRIER=str(barrier))
    proc = subprocess.Popen([sys.executable, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        for _ in range(1200):  # waits for the step, not a timing assertion
            if barrier.exists() or proc.poll() is not None:
                break
            time.sleep(0.1)
        assert barrier.exists(), f"{step!r} never reached: {proc.communicate()}"
    finally:
        proc.kill()
        proc.wait()


def wfscore(*args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "wfscore", *map(str, args)], capture_output=True, text=True, timeout=300, env=cli_env()
    )


def with_dispute(tmp_path: Path) -> Path:
    import shutil

    year = tmp_path / "tiny"
    shutil.copytree(TINY, year)
    disputes.open_dispute(year, "D3", "value", indicator="i3", claim="填错了")
    return year


CORRECTED = (TINY / "values.csv").read_bytes().replace(b"D3,i3,10", b"D3,i3,30")


def assert_agree(year: Path) -> str:
    """The register, values.csv and decisions.csv tell one story; return the dispute's state."""
    listing = wfscore("disputes", year)
    assert listing.returncode == 0 and "Traceback" not in listing.stderr, listing.stderr
    assert not (year / ".history" / decisions.JOURNAL).exists()
    row = disputes.read_register(year).iloc[0]
    live = decisions.replay(decisions.read_log(year)).live
    values = (year / "values.csv").read_bytes()
    if row["state"] == "upheld":
        assert values == CORRECTED
        assert int(row["decision"]) in live
    else:
        assert row["state"] == "open" and row["decision"] == ""
        assert values == (TINY / "values.csv").read_bytes()
        assert not live
    assert "no longer in force" not in listing.stderr
    return row["state"]


@pytest.mark.parametrize("step", STEPS)
def test_an_uphold_killed_at_any_step_leaves_a_year_that_agrees(tmp_path, step):
    year = with_dispute(tmp_path)
    killed_at(
        step,
        tmp_path,
        [
            "-m",
            "wfscore",
            "disputes",
            str(year),
            "--uphold",
            "1",
            "--corrected",
            "30",
            "--reply",
            "同意",
            "--reviewer",
            "张三",
        ],
    )
    state = assert_agree(year)
    assert state == ("open" if step == "kept version" else "upheld")
    if state == "upheld":  # and its undo restores the table
        done = wfscore("disputes", year, "--undo", "1", "--reviewer", "张三")
        assert done.returncode == 0, done.stderr
    else:
        done = wfscore("disputes", year, "--uphold", "1", "--corrected", "30", "--reply", "同意", "--reviewer", "张三")
        assert done.returncode == 0, done.stderr
        assert assert_agree(year) == "upheld"
        assert wfscore("disputes", year, "--undo", "1", "--reviewer", "张三").returncode == 0
    assert (year / "values.csv").read_bytes() == (TINY / "values.csv").read_bytes()
    assert assert_agree(year) == "open"


@pytest.mark.parametrize("step", STEPS)
def test_an_undo_killed_at_any_step_leaves_a_year_that_agrees(tmp_path, step):
    year = with_dispute(tmp_path)
    disputes.uphold(year, 1, corrected="30", reply="同意", reviewer="张三")
    killed_at(step, tmp_path, ["-m", "wfscore", "disputes", str(year), "--undo", "1", "--reviewer", "张三"])
    assert assert_agree(year) == ("upheld" if step == "kept version" else "open")


@pytest.mark.parametrize("step", TABLE_STEPS)
def test_a_desk_decision_killed_at_any_step_is_logged_or_not_made(tmp_path, step):
    import shutil

    year = tmp_path / "tiny"
    shutil.copytree(TINY, year)
    original = (year / "exemptions.csv").read_bytes()
    code = (
        "import sys; from wfscore.review.decisions import decide; "
        "decide(sys.argv[1], 'exemptions.csv', 5, 'confirmed', 'true', reviewer='张三')"
    )
    killed_at(step, tmp_path, ["-c", code, str(year)])
    listing = wfscore("history", year)
    assert listing.returncode == 0, listing.stderr
    log = decisions.read_log(year)
    now = (year / "exemptions.csv").read_bytes()
    if step == "kept version":
        assert now == original and log.empty
    else:
        assert now != original and log["action"].tolist() == ["decide"]
        assert wfscore("restore", year, "last", "--reviewer", "张三").returncode == 0
        assert (year / "exemptions.csv").read_bytes() == original
