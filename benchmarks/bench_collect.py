"""Forms out and returns in, for the 2011 sample (129 departments, 5 experts).

    python benchmarks/run.py collect

- writing every form (129 self-check workbooks, 5 rating workbooks, the office's);
- collecting them back once filled (``read_returns`` + ``plan_year``: every cell checked,
  the year's tables made), against the floor: openpyxl opening the same files in
  read-only mode and reading every cell of every sheet, measured in the same run;
- ``write_year`` besides (the tables checked with ``wfscore validate`` in a scratch folder,
  then written atomically).

Targets: the forms in under 10 s; collection under 2× the floor.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from common import ROOT, fmt, median, table

from wfscore.inputs import collect, forms
from wfscore.review.collected import write_year

TARGET_FORMS = 10.0
TARGET_RATIO = 2.0
EXPERTS = ["E1", "E2", "E3", "E4", "E5"]


def _floor(folder: Path) -> None:
    from openpyxl import load_workbook

    for path in sorted(folder.glob("*.xlsx")):
        wb = load_workbook(path, read_only=True, data_only=True)
        for ws in wb.worksheets:
            for _ in ws.iter_rows(values_only=True):
                pass
        wb.close()


def main() -> bool:
    sample = ROOT / "data" / "2011"
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        into = tmp / "2011"
        into.mkdir()
        for name in ("scheme.yaml", "departments.csv", "incidents.csv", "SYNTHETIC"):
            shutil.copy(sample / name, into)
        out = tmp / "forms"
        times_forms = []
        for n in range(2):
            shutil.rmtree(out, ignore_errors=True)
            start = time.perf_counter()
            forms.write_forms(into, out, EXPERTS)
            times_forms.append(time.perf_counter() - start)
        forms.fill_from_year(out, sample)
        floors, reads, writes = [], [], []
        for _ in range(3):
            start = time.perf_counter()
            _floor(out)
            floors.append(time.perf_counter() - start)
            start = time.perf_counter()
            col = collect.read_returns(out, into)
            collect.plan_year(col)
            reads.append(time.perf_counter() - start)
        assert not col.errors, col.errors[:3]
        for _ in range(2):
            for name in collect.OUTPUTS:
                (into / name).unlink(missing_ok=True)
            start = time.perf_counter()
            write_year(collect.read_returns(out, into))
            writes.append(time.perf_counter() - start)
    t_forms, t_floor, t_read, t_write = median(times_forms), median(floors), median(reads), median(writes)
    ratio = t_read / t_floor
    files = len(list((ROOT / "data" / "2011" / "departments.csv").read_text().splitlines())) - 1 + len(EXPERTS) + 1
    table(
        "Collection: forms out, returns in (2011 sample)",
        ["step", "median", "target", "met"],
        [
            [
                f"write all {files} forms",
                fmt(t_forms),
                f"< {TARGET_FORMS:g} s",
                "yes" if t_forms < TARGET_FORMS else "NO",
            ],
            ["floor: openpyxl read-only, every cell", fmt(t_floor), "", ""],
            [
                "collect (read_returns + plan_year)",
                fmt(t_read),
                f"< {TARGET_RATIO:g}× floor",
                "yes" if ratio < TARGET_RATIO else "NO",
            ],
            ["collect ratio to the floor", f"{ratio:.2f}×", "", ""],
            ["collect and write the year (with its check)", fmt(t_write), "", ""],
        ],
    )
    return t_forms < TARGET_FORMS and ratio < TARGET_RATIO


if __name__ == "__main__":
    main()
