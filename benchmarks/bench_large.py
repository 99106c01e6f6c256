"""Large years: the robustness analysis of 100,000 departments × 10,000 samples within 2 GB,
and the annual report of a 10,000-department year within 10 minutes.

    python benchmarks/run.py large

Both run in a fresh process (the one a person would start), whose peak memory is
read with psutil (the process and its children, e.g. the report's kernel, summed,
sampled every 0.2 s):

- ``analyse`` of 100,000 synthetic departments (data/generate.py, 2011's scheme,
  values only) with every uncertain input on, 2011's disputed security scope
  included, 10,000 samples, at the default memory allowance; and the plan of a run
  too large for it, which is refused before anything is scored;
- ``wfscore report`` of 10,000 synthetic departments (with expert ratings), its PDFs
  included when a browser is found (report.pdf prints the ranking's first rows and
  says the full ranking is in report.html and results.xlsx:
  :data:`wfscore.publish.tables.PRINT_ALL_ROWS`); a PDF chromium does not print in
  the time its size allows (:func:`wfscore.publish.pdf.print_seconds`) fails the target.

Targets: peak memory of the analysis ≤ 2 GB; the report, PDFs included, ≤ 600 s.
These runs take minutes: they are the sizes the targets name.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, fmt, table

DEPARTMENTS, SAMPLES = 100_000, 10_000
REPORT_DEPARTMENTS = 10_000
TARGET_BYTES = 2e9
TARGET_SECONDS = 600.0

ANALYSIS = """
import json, sys, time
import wfscore
from wfscore.analysis.sensitivity import analyse
from wfscore.analysis.uncertainty import Uncertainty
year = wfscore.load_year(sys.argv[1])
start = time.perf_counter()
rob = analyse(year, uncertainty=Uncertainty(security_indicators=("18", "19", "20")), samples=int(sys.argv[2]),
              seed=0, progress=False)
print(json.dumps({"seconds": time.perf_counter() - start, "passes": rob.settings["passes"],
                  "rows": rob.settings["rows"], "needed": rob.settings["needed"],
                  "median_ok": bool((rob.table["rank_p05"] <= rob.table["median_rank"]).all())}))
"""


def year(folder: Path, n: int, values_only: bool) -> Path:
    import generate  # data/generate.py
    import yaml

    scheme_path = ROOT / "data" / "2011" / "scheme.yaml"
    scheme = yaml.safe_load(scheme_path.read_text(encoding="utf-8"))
    generate.write(generate.generate(scheme, seed=n, n=n, values_only=values_only), folder)
    (folder / "scheme.yaml").write_bytes(scheme_path.read_bytes())
    return folder


def watched(args: list[str]) -> tuple[float, int, subprocess.CompletedProcess]:
    """Wall time, peak memory (bytes, the process tree's RSS summed) and the finished process."""
    import psutil

    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    watch = psutil.Process(proc.pid)
    peak = 0
    while proc.poll() is None:
        try:
            tree = [watch, *watch.children(recursive=True)]
            rss = 0
            for p in tree:
                try:
                    rss += p.memory_info().rss
                except psutil.Error:
                    pass
            peak = max(peak, rss)
        except psutil.Error:
            pass
        time.sleep(0.2)
    out, err = proc.communicate()
    seconds = time.perf_counter() - start
    return seconds, peak, subprocess.CompletedProcess(args, proc.returncode, out, err)


def main() -> bool:
    from wfscore.analysis import sensitivity
    from wfscore.publish.pdf import find_browser
    from wfscore.publish.report import PDFS

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        big = year(tmp / "big", DEPARTMENTS, values_only=True)
        seconds, peak, done = watched([sys.executable, "-c", ANALYSIS, str(big), str(SAMPLES)])
        if done.returncode != 0:
            print(done.stderr[-2000:])
        found = json.loads(done.stdout) if done.returncode == 0 else {}
        try:
            sensitivity.plan_memory(1_000_000, 27, 12, 38, SAMPLES, 2000, sensitivity.MEMORY)
            refused = "NOT refused"
        except ValueError as exc:
            refused = str(exc)

        wide = year(tmp / "wide", REPORT_DEPARTMENTS, values_only=False)
        wfscore = Path(sys.executable).parent / "wfscore"
        report_seconds, report_peak, report = watched([str(wfscore), "report", str(wide), "--out", str(tmp / "report")])
        pdf = all((tmp / "report" / name).exists() for name in PDFS)
        browser = find_browser() is not None
        # exit 1 with the page written: chromium did not print it in the time its size allows
        page_only = report.returncode == 1 and (tmp / "report" / "report.html").exists() and not pdf
        page_mb = (
            (tmp / "report" / "report.html").stat().st_size / 1e6 if (tmp / "report" / "report.html").exists() else 0
        )
        if report.returncode != 0:
            print(report.stderr[-2000:])

    ok_memory = done.returncode == 0 and peak <= TARGET_BYTES
    ok_report = report.returncode == 0 and (pdf or not browser) and report_seconds <= TARGET_SECONDS
    table(
        f"Large years (robustness: {DEPARTMENTS:,} departments × {SAMPLES:,} samples, default memory "
        f"allowance {sensitivity.MEMORY / 1e9:g} GB; report: {REPORT_DEPARTMENTS:,} departments)",
        ["run", "time", "peak memory", "notes"],
        [
            [
                f"analyse, {DEPARTMENTS:,} × {SAMPLES:,}",
                fmt(found.get("seconds", seconds)),
                f"{peak / 1e9:.2f} GB",
                (
                    f"{found['passes']} pass(es), {found['rows']} samples scored at a time, planned "
                    f"{found['needed'] / 1e9:.2f} GB"
                    if found
                    else f"FAILED (exit {done.returncode})"
                ),
            ],
            ["plan of 1,000,000 departments × 10,000", "", "", refused[:110]],
            [
                f"wfscore report, {REPORT_DEPARTMENTS:,} departments",
                fmt(report_seconds),
                f"{report_peak / 1e9:.2f} GB",
                f"page {page_mb:.1f} MB, "
                + (
                    ("PDFs included" if pdf else "no PDF (no browser)")
                    if report.returncode == 0
                    else "PDF not printed in the time allowed"
                    if page_only
                    else f"FAILED (exit {report.returncode})"
                ),
            ],
        ],
    )
    targets = [
        (
            f"{DEPARTMENTS:,} × {SAMPLES:,} robustness within {TARGET_BYTES / 1e9:g} GB",
            ok_memory,
            f"{peak / 1e9:.2f} GB",
        ),
        ("a run that cannot fit is refused up front", refused.startswith("the robustness analysis of"), "checked"),
        (
            f"{REPORT_DEPARTMENTS:,}-department report"
            + (" with its PDFs" if browser else " (no browser: no PDF)")
            + f" ≤ {TARGET_SECONDS:g} s",
            ok_report,
            fmt(report_seconds),
        ),
    ]
    table("Targets", ["target", "met", "measured"], [[t, "yes" if ok else "NO", m] for t, ok, m in targets])
    return all(ok for _, ok, _ in targets)


if __name__ == "__main__":
    raise SystemExit(0 if main() else 1)
