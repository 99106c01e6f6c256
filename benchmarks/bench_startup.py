"""Start-up and loading: the real console script against ``python -c "import pandas"``, and
loading (read + every check + arrays) of 10k and 100k departments against
``pandas.read_csv`` of the same files.

Targets: ``wfscore score data/2011`` at most 1.3× importing pandas; ``wfscore --help``
under 0.3 s; loading 100k departments at most 3× read_csv; 10k → 100k linear (a
department's share of the time at 100k at most 1.2× its share at 10k).
Each figure is a median of several runs in this one process (wall time; the CPU time of
the child processes is printed too, which a busy machine disturbs less). The commands run
as a user runs them: with the bytecode Python caches (an unmeasured first round writes it,
even where PYTHONDONTWRITEBYTECODE is set for this process); without it every command
would mostly measure compiling.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
from common import ROOT, fmt, median, table

BIN = Path(sys.executable).parent


ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _run(cmd: list[str]) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, capture_output=True, cwd=ROOT, env=ENV)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


# The console script ends with gc.freeze() (wfscore.cli.run): Python's last garbage
# collection, over pandas' objects too, is skipped. This baseline ends the same way, so the
# last column shows what wfscore itself adds to importing pandas.
FROZEN = 'python -c "import pandas, gc; gc.freeze()"'


def startup(repeat: int = 7) -> bool:
    with tempfile.TemporaryDirectory() as tmp:
        out = str(Path(tmp) / "results.csv")
        cmds = {
            'python -c "import pandas"': [sys.executable, "-c", "import pandas"],
            # the same, ending as the console script does (gc.freeze(): no last collection)
            FROZEN: [sys.executable, "-c", "import pandas, gc; gc.freeze()"],
            "wfscore --help": [str(BIN / "wfscore"), "--help"],
            "wfscore validate data/2011": [str(BIN / "wfscore"), "validate", "data/2011"],
            "wfscore score data/2011 --out …": [str(BIN / "wfscore"), "score", "data/2011", "--out", out],
            "wfscore explain data/2011 G01": [str(BIN / "wfscore"), "explain", "data/2011", "G01"],
        }
        times = {k: [] for k in cmds}
        for cmd in cmds.values():  # the bytecode cache, written once
            _run(cmd)
        for _ in range(repeat):  # interleaved, so that a busy spell hits every command alike
            for name, cmd in cmds.items():
                times[name].append(_run(cmd))
    base_wall = median([w for w, _ in times['python -c "import pandas"']])
    base_cpu = median([c for _, c in times['python -c "import pandas"']])
    frozen_wall = median([w for w, _ in times[FROZEN]])
    rows, ok = [], True
    for name, runs in times.items():
        wall, cpu = median([w for w, _ in runs]), median([c for _, c in runs])
        target, met = "", ""
        if name.startswith("wfscore score"):
            target, good = "≤ 1.3× pandas", wall <= 1.3 * base_wall
            met = "yes" if good else "NO"
            ok &= good
        elif name == "wfscore --help":
            target, good = "< 0.3 s", wall < 0.3
            met = "yes" if good else "NO"
            ok &= good
        rows.append(
            [
                name,
                fmt(wall),
                f"{wall / base_wall:.2f}×",
                fmt(cpu),
                f"{cpu / base_cpu:.2f}×",
                f"{wall / frozen_wall:.2f}×",
                target,
                met,
            ]
        )
    table(
        f"start-up: the console script (median of {repeat})",
        ["command", "wall", "÷ import pandas", "cpu", "cpu ÷ pandas", "wall ÷ pandas, frozen exit", "target", "met"],
        rows,
    )
    return ok


def loading(repeat: int = 3) -> bool:
    import generate  # data/generate.py
    import yaml

    import wfscore

    scheme = yaml.safe_load((ROOT / "data" / "2011" / "scheme.yaml").read_text(encoding="utf-8"))
    rows, ok, per = [], True, {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in (10_000, 100_000):
            folder = Path(tmp) / f"y{n}"
            generate.write(generate.generate(scheme, seed=n, n=n, values_only=True), folder)
            (folder / "scheme.yaml").write_bytes((ROOT / "data" / "2011" / "scheme.yaml").read_bytes())
            csvs = sorted(folder.glob("*.csv"))
            base, ours, base_cpu, ours_cpu = [], [], [], []
            for _ in range(repeat):  # interleaved, so that a busy spell hits both alike
                start, cpu = time.perf_counter(), time.process_time()
                for path in csvs:
                    pd.read_csv(path)
                base.append(time.perf_counter() - start)
                base_cpu.append(time.process_time() - cpu)
                start, cpu = time.perf_counter(), time.process_time()
                wfscore.load_year(folder)
                ours.append(time.perf_counter() - start)
                ours_cpu.append(time.process_time() - cpu)
            b, o = median(base), median(ours)
            per[n] = o / n
            target, met = "", ""
            if n == 100_000:
                good = o <= 3 * b
                target, met = "≤ 3× read_csv", "yes" if good else "NO"
                ok &= good
            rows.append(
                [
                    f"{n:,}",
                    fmt(b),
                    fmt(o),
                    f"{o / b:.2f}×",
                    f"{median(ours_cpu) / median(base_cpu):.2f}×",
                    fmt(o / n),
                    target,
                    met,
                ]
            )
    # Linear: a department costs about the same among 100,000 as among 10,000 (the fixed costs,
    # the scheme and the imports' first calls, make the 10k figure the larger one).
    growth = per[100_000] / per[10_000]
    good = growth <= 1.2
    ok &= good
    rows.append(
        ["100k vs 10k", "", "", "", "", f"{growth:.2f}× per department", "≤ 1.2× (linear)", "yes" if good else "NO"]
    )
    table(
        f"loading: load_year (read, every check, arrays) against pandas.read_csv (median of {repeat})",
        [
            "departments",
            "pandas.read_csv",
            "wfscore.load_year",
            "ratio",
            "cpu ratio",
            "per department",
            "target",
            "met",
        ],
        rows,
    )
    return ok


def main() -> bool:
    ok = startup() & loading()
    print("\nstart-up and loading: every target met" if ok else "\nstart-up and loading: some target missed (NO above)")
    return ok


if __name__ == "__main__":
    raise SystemExit(0 if main() else 1)
