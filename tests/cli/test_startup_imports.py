"""What each command imports: ``--help`` neither pandas nor numpy; validate, score and
explain nothing of the report, the panels, Dask or hypothesis, nor pydantic for a plain
scheme (start-up speed;
benchmarks/bench_startup.py measures it)."""

from __future__ import annotations

import subprocess
import sys

from helpers import SAMPLE

HEAVY = (
    "matplotlib",
    "jupyter",
    "jupyter_client",
    "jupyter_core",
    "nbconvert",
    "nbformat",
    "papermill",
    "dask",
    "distributed",
    "ipywidgets",
    "hypothesis",
    "pandera",
)

WRAPPER = """
import sys
from wfscore.cli import main
try:
    code = main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
print("MODULES", " ".join(sorted({m.split(".")[0] for m in sys.modules})))
"""


def imported(*args: str) -> set[str]:
    proc = subprocess.run([sys.executable, "-c", WRAPPER, *map(str, args)], capture_output=True, text=True, timeout=120)
    line = next(ln for ln in proc.stdout.splitlines() if ln.startswith("MODULES "))
    return set(line.split()[1:])


def test_help_imports_neither_pandas_nor_numpy():
    mods = imported("--help")
    assert "wfscore" in mods
    assert not {"pandas", "numpy", "pydantic", "yaml"} & mods


def test_scoring_commands_import_nothing_heavy(tmp_path):
    for args in (("validate", SAMPLE), ("score", SAMPLE, "--out", tmp_path / "r.csv"), ("explain", SAMPLE, "G01")):
        mods = imported(*args)
        assert "pandas" in mods, args  # the command really ran
        assert not set(HEAVY) & mods, (args, set(HEAVY) & mods)
        assert "pydantic" not in mods, args  # the sample's scheme is plain: read the quick way


def test_the_console_script_ends_without_the_last_collection_and_main_does_not():
    """The console script is wfscore.cli:run, which freezes the objects when its command is
    done (Python's exit then skips collecting them); main, called by notebooks and tests
    in a process that goes on, leaves the collector alone."""
    import tomllib

    from helpers import ROOT

    assert tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]["wfscore"] == "wfscore.cli:run"
    code = (
        "import gc, sys\nfrom wfscore.cli import main, run\nmain(['validate', sys.argv[1]])\n"
        "print('FROZEN', gc.get_freeze_count())\n"
        "try:\n    run(['--help'])\nexcept SystemExit:\n    pass\nprint('FROZEN', gc.get_freeze_count() > 0)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code, str(SAMPLE)], capture_output=True, text=True, timeout=120)
    assert [ln for ln in proc.stdout.splitlines() if ln.startswith("FROZEN ")] == ["FROZEN 0", "FROZEN True"], (
        proc.stderr
    )
