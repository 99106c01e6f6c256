"""Years side by side: the comparison's cost, and what parallel processes buy ``report --all``.

    python benchmarks/run.py years

- compare: ``wfscore.analysis.years.compare`` of the three sample years (2011–2013, already
  loaded) against scoring them (``wfscore.score`` three times), the floor of any
  comparison. The comparison scores each pair three more times (on the common
  indicators) and builds its tables. Target: under 250 ms.
- batch: ``wfscore report --all data`` (three years and the trends report) with
  ``--jobs 2`` against ``--jobs 1`` (one report after the other), one run each in
  a fresh process. Target: ``--jobs 2`` at most 0.85× the time of ``--jobs 1`` on a
  machine with 2 or more CPUs. Each report already keeps two cores busy part of
  the time (its kernel starts while the driver checks the inputs), so two cores
  cannot halve it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, fmt, measure, median, table

DATA = ROOT / "data"
BIN = Path(sys.executable).parent
COMPARE_TARGET = 0.25
BATCH_TARGET = 0.85


def _batch(jobs: int, out: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [str(BIN / "wfscore"), "report", "--all", str(DATA), "--out", str(out), "--jobs", str(jobs)],
        check=True,
        capture_output=True,
        timeout=900,
    )
    return time.perf_counter() - start


def main() -> bool:
    import wfscore
    from wfscore.analysis import years

    loaded = [wfscore.load_year(DATA / str(y)) for y in (2011, 2012, 2013)]
    floor = median(measure(lambda: [wfscore.score(d) for d in loaded], repeat=10))
    compared = median(measure(lambda: years.compare(loaded), repeat=10))
    ok = compared < COMPARE_TARGET
    table(
        "years: compare 2011–2013 (already loaded; median of 10)",
        ["step", "time", "ratio", "target"],
        [
            ["score the three years", fmt(floor), "1.0×", ""],
            [
                "years.compare (ranks, shares, links, decomposition)",
                fmt(compared),
                f"{compared / floor:.1f}×",
                f"< {fmt(COMPARE_TARGET)} {'ok' if ok else 'MISSED'}",
            ],
        ],
    )

    with tempfile.TemporaryDirectory() as tmp:
        one = _batch(1, Path(tmp) / "one")
        two = _batch(2, Path(tmp) / "two")
    cpus = os.cpu_count() or 1
    batch_ok = two <= BATCH_TARGET * one or cpus < 2
    table(
        f"years: wfscore report --all data (3 years + trends; {cpus} CPUs, one run each)",
        ["run", "wall time", "ratio", "target"],
        [
            ["--jobs 1 (one year after the other)", fmt(one), "1.00×", ""],
            [
                "--jobs 2",
                fmt(two),
                f"{two / one:.2f}×",
                f"≤ {BATCH_TARGET:.2f}× {'ok' if batch_ok else 'MISSED'}"
                + (" (1 CPU: not judged)" if cpus < 2 else ""),
            ],
        ],
    )
    return ok and batch_ok


if __name__ == "__main__":
    raise SystemExit(0 if main() else 1)
