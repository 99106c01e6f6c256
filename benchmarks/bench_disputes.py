"""Disputes and expert agreement at the desk, on a scratch copy of data/2011.

    python benchmarks/run.py disputes

- preview of upholding a dispute of a value (the table edited in memory, ``rebuild``,
  ``score``), against the baseline the desk avoids, measured in the same run: writing
  the edited values.csv to a scratch folder and reading the folder again
  (``load_year`` + ``score``);
- upholding one from the panel (the loader's checks, lock, version, atomic write,
  decisions.csv, the register rewritten, the panel redrawn), then undoing it;
- the experts' agreement of the whole year (Kendall's W per indicator, each expert's
  deviation, the far ratings), worked out when the desk opens and after a rating changes.

Targets: a preview at least 3× faster than reading the folder again; an uphold under
1 s and the agreement under 1 s (median).
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from common import ROOT, fmt, median, p95, table

import wfscore
from wfscore.panels.desk import Desk
from wfscore.review import agreement, disputes
from wfscore.review.cell_edit import edit_text

TARGET_RATIO = 3.0
TARGET_UPHOLD = 1.0
TARGET_AGREEMENT = 1.0
SAMPLES = 15


def main() -> bool:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "2011"
        shutil.copytree(ROOT / "data" / "2011", folder)
        year = wfscore.load_year(folder)
        result = wfscore.score(year)
        values = year.tables["values"]
        rows = values.iloc[:: max(1, len(values) // SAMPLES)].head(SAMPLES)
        for dept, indicator in zip(rows["dept_id"], rows["indicator"]):
            disputes.open_dispute(folder, dept, "value", indicator=indicator, claim="bench", data=year)
        register = disputes.read_register(folder)
        scratch = Path(tmp) / "reload"
        shutil.copytree(folder, scratch)
        original = (folder / "values.csv").read_text(encoding="utf-8")
        preview, reload = [], []
        for (_, row), line in zip(register.iterrows(), rows.index):
            corrected = f"{float(values.loc[line, 'value']) * 0.9:.2f}"
            start = time.perf_counter()
            disputes.preview(year, result, row, corrected)
            preview.append(time.perf_counter() - start)
            start = time.perf_counter()
            (scratch / "values.csv").write_text(edit_text(original, int(line), "value", corrected)[0], encoding="utf-8")
            wfscore.score(wfscore.load_year(scratch))
            reload.append(time.perf_counter() - start)
            (scratch / "values.csv").write_text(original, encoding="utf-8")

        desk = Desk(folder, reviewer="bench")
        uphold, undo = [], []
        for (_, row), line in list(zip(register.iterrows(), rows.index))[:5]:
            corrected = f"{float(values.loc[line, 'value']) * 0.9:.2f}"
            start = time.perf_counter()
            assert desk.uphold(int(row["id"]), corrected=corrected, reply="bench"), desk.message_text
            uphold.append(time.perf_counter() - start)
            start = time.perf_counter()
            assert desk.undo(), desk.message_text
            undo.append(time.perf_counter() - start)

        agree = []
        for _ in range(5):
            start = time.perf_counter()
            agreement.panel(year), agreement.experts(year), agreement.far_ratings(year)
            agree.append(time.perf_counter() - start)

    ratio = median(reload) / median(preview)
    ok = [ratio >= TARGET_RATIO, median(uphold) < TARGET_UPHOLD, median(agree) < TARGET_AGREEMENT]
    table(
        f"disputes and expert agreement, 2011 sample ({len(year.dept_ids)} departments, {len(preview)} disputes)",
        ["step", "median", "p95", "target", "met"],
        [
            ["preview upholding a value dispute (in memory)", fmt(median(preview)), fmt(p95(preview)), "", ""],
            ["baseline: write values.csv, load_year + score", fmt(median(reload)), fmt(p95(reload)), "", ""],
            ["  baseline / preview", f"{ratio:.1f}×", "", f"≥ {TARGET_RATIO:g}×", "yes" if ok[0] else "NO"],
            [
                f"uphold from the panel ({len(uphold)} disputes)",
                fmt(median(uphold)),
                fmt(p95(uphold)),
                f"< {fmt(TARGET_UPHOLD)}",
                "yes" if ok[1] else "NO",
            ],
            ["undo it from the panel", fmt(median(undo)), fmt(p95(undo)), "", ""],
            [
                "experts' agreement of the year (W, deviations, far ratings)",
                fmt(median(agree)),
                fmt(p95(agree)),
                f"< {fmt(TARGET_AGREEMENT)}",
                "yes" if ok[2] else "NO",
            ],
        ],
    )
    return all(ok)


if __name__ == "__main__":
    raise SystemExit(0 if main() else 1)
