"""The annual report's wall time against the Jupyter floor, measured in the same run.

    python benchmarks/run.py report

- report: ``wfscore report data/2011`` (the command, in a fresh process, as
  ``make report`` runs it), and ``wfscore.publish.report.build`` called in this process;
- floor: the same two ways, papermill executing a notebook that holds only a
  parameters cell, plus nbconvert of it to HTML (``papermill`` and
  ``jupyter nbconvert --to html --no-input`` as commands; ``papermill.execute_notebook``
  and ``HTMLExporter`` in this process);
- the ratio of the two. Target: the command (with report.pdf, 附录.pdf, 通报.docx and
  通报.pdf, as a user runs it) costs at most 1.5x its floor (the in-process
  ratio is shown too: there the floor has no Python start-up or imports to pay, and the
  report's kernel still imports pandas and matplotlib and draws three charts).

Runs alternate report and floor so both see the same load on a shared machine.
The breakdown table reads papermill's per-cell durations from the executed
notebook, to show where the time over the floor goes.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, fmt, table

DATA = ROOT / "data" / "2011"
BIN = Path(sys.executable).parent
TARGET = 1.5
REPEAT = 3


def _empty_notebook(path: Path) -> Path:
    import nbformat

    nb = nbformat.v4.new_notebook(
        metadata={"kernelspec": {"name": "python3", "language": "python", "display_name": "Python 3"}}
    )
    nb.cells = [
        nbformat.v4.new_code_cell(
            'data_dir = ""\nyear = 0\nout_dir = ""\nlang = "zh"', metadata={"tags": ["parameters"]}
        )
    ]
    nbformat.write(nb, path)
    return path


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _run(*args, cwd: Path) -> None:
    subprocess.run([str(a) for a in args], cwd=cwd, check=True, capture_output=True, timeout=600)


def main() -> bool:
    import nbformat
    from nbconvert import HTMLExporter

    from wfscore.publish import report

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        empty = _empty_notebook(tmp / "empty.ipynb")
        params = {"data_dir": str(DATA), "year": 2011, "out_dir": str(tmp), "lang": "zh"}

        def floor_command():
            _run(BIN / "papermill", "--no-progress-bar", "-p", "year", "2011", empty, "floor.ipynb", cwd=tmp)
            _run(BIN / "jupyter", "nbconvert", "--to", "html", "--no-input", "floor.ipynb", cwd=tmp)

        def report_command():
            _run(BIN / "wfscore", "report", DATA, "--out", tmp / "cmd" / "2011", cwd=tmp)

        def floor_library():  # papermill with the report's kernel settings (quiet, immediate shutdown)
            nb = report.execute(empty, tmp / "floor-lib.ipynb", params)
            HTMLExporter(exclude_input=True).from_notebook_node(nb)

        def report_library():
            report.build(DATA, tmp / "lib" / "2011")

        for fn in (floor_library, report_library):  # warm the disk cache and the imports
            fn()
        times: dict[str, list[float]] = {k: [] for k in ("fc", "rc", "fl", "rl")}
        for _ in range(REPEAT):
            times["fc"].append(_timed(floor_command))
            times["rc"].append(_timed(report_command))
            times["fl"].append(_timed(floor_library))
            times["rl"].append(_timed(report_library))
        med = {k: statistics.median(v) for k, v in times.items()}

        executed = nbformat.read(tmp / "lib" / "2011" / "report.ipynb", as_version=4)
        to_html = _timed(lambda: report.to_html(executed))
        load = _timed(lambda: report.load_year(DATA))

    ratio_cmd, ratio_lib = med["rc"] / med["fc"], med["rl"] / med["fl"]
    table(
        f"annual report of data/2011 (129 departments), median of {REPEAT}, wall time",
        ["run", "report", "Jupyter floor", "ratio", f"target ≤ {TARGET:g}x"],
        [
            [
                "command: wfscore report / papermill + jupyter nbconvert",
                fmt(med["rc"]),
                fmt(med["fc"]),
                f"{ratio_cmd:.2f}x",
                "met" if ratio_cmd <= TARGET else "MISSED",
            ],
            [
                "in process: report.build / execute_notebook + HTMLExporter",
                fmt(med["rl"]),
                fmt(med["fl"]),
                f"{ratio_lib:.2f}x",
                "(shown)",
            ],
        ],
    )

    meta = executed.metadata.papermill
    cells = [
        (
            " ".join(line for line in c.source.splitlines() if line and not line.startswith("from ")),
            c.metadata.papermill.get("duration") or 0.0,
        )
        for c in executed.cells
        if c.cell_type == "code"
    ]
    in_cells = sum(d for _, d in cells)
    rows = [["kernel start, its warm-up imports (report.WARM_UP), shutdown", fmt(meta["duration"] - in_cells)]]
    for src, d in cells:
        if d >= 0.02:
            rows.append([src[:70], fmt(d)])
    rows += [
        ["load_year + checks in the driver (while the kernel starts)", fmt(load)],
        ["nbconvert to HTML (warm)", fmt(to_html)],
    ]
    table("where the report's time goes (last in-process run)", ["step", "wall time"], rows)
    return ratio_cmd <= TARGET


if __name__ == "__main__":
    raise SystemExit(0 if main() else 1)
