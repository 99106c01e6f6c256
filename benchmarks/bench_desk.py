"""Adjustments desk latency on the 2011 sample (issue 7), on a scratch copy of data/2011.

    python benchmarks/run.py desk

- preview of one decision from the data already loaded (``review.after``: the table
  edited in memory, ``rebuild`` with its checks, ``score``), against the baseline
  the desk avoids: writing the edited file to a scratch folder and reading the whole
  folder again (``load_year`` + ``score``), measured in the same run on the same items;
- selecting an item in the panel: every decision's preview worked out and shown;
- a decision saved from the panel (lock, SHA-256 check, version kept, atomic write,
  decisions.csv appended, the year rebuilt, the panel redrawn), then undone.

Targets: a preview at least 3× faster than reading the folder again; selecting an
item under 250 ms and a saved decision under 1 s (median), so the desk feels instant.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from common import ROOT, fmt, median, p95, table

import wfscore
from wfscore.panels.desk import Desk
from wfscore.review import items as review
from wfscore.review.cell_edit import edit_text

TARGET_RATIO = 3.0
TARGET_SELECT = 0.250
TARGET_SAVE = 1.0


def main() -> bool:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "2011"
        shutil.copytree(ROOT / "data" / "2011", folder)
        year = wfscore.load_year(folder)
        items = review.items(year, {})
        chosen = [(r.kind, int(r.line), "reject" if r.counts else "confirm") for r in items.itertuples()]

        preview, reload = [], []
        scratch = Path(tmp) / "reload"
        shutil.copytree(folder, scratch)
        for kind, line, action in chosen:
            start = time.perf_counter()
            wfscore.score(review.after(year, kind, line, action))
            preview.append(time.perf_counter() - start)

            field, value = review.new_value(year, kind, line, action)
            original = (folder / f"{kind}.csv").read_text(encoding="utf-8")
            start = time.perf_counter()
            (scratch / f"{kind}.csv").write_text(edit_text(original, line, field, value)[0], encoding="utf-8")
            wfscore.score(wfscore.load_year(scratch))
            reload.append(time.perf_counter() - start)
            (scratch / f"{kind}.csv").write_text(original, encoding="utf-8")

        desk = Desk(folder, reviewer="bench")
        select = []
        for kind, line, _ in chosen:
            desk._previews.clear()  # every selection works its previews out afresh
            start = time.perf_counter()
            desk.select(kind, line)
            select.append(time.perf_counter() - start)

        save, undo = [], []
        for kind, line, action in chosen[::6]:
            desk.select(kind, line)
            start = time.perf_counter()
            assert desk.decide(action), desk.message_text
            save.append(time.perf_counter() - start)
            start = time.perf_counter()
            assert desk.undo(), desk.message_text
            undo.append(time.perf_counter() - start)

    ratio = median(reload) / median(preview)
    ok_ratio = ratio >= TARGET_RATIO
    ok_select = median(select) < TARGET_SELECT
    ok_save = median(save) < TARGET_SAVE
    table(
        f"adjustments desk, 2011 sample ({len(year.dept_ids)} departments, {len(chosen)} items)",
        ["step", "median", "p95", "target", "met"],
        [
            ["preview one decision (rebuild + score, in memory)", fmt(median(preview)), fmt(p95(preview)), "", ""],
            ["baseline: write the file, load_year + score", fmt(median(reload)), fmt(p95(reload)), "", ""],
            ["  baseline / preview", f"{ratio:.1f}×", "", f"≥ {TARGET_RATIO:g}×", "yes" if ok_ratio else "NO"],
            [
                "select an item (all its previews shown)",
                fmt(median(select)),
                fmt(p95(select)),
                f"< {fmt(TARGET_SELECT)}",
                "yes" if ok_select else "NO",
            ],
            [
                f"save a decision from the panel ({len(save)} saves)",
                fmt(median(save)),
                fmt(p95(save)),
                f"< {fmt(TARGET_SAVE)}",
                "yes" if ok_save else "NO",
            ],
            ["undo it from the panel", fmt(median(undo)), fmt(p95(undo)), "", ""],
        ],
    )
    return ok_ratio and ok_select and ok_save


if __name__ == "__main__":
    raise SystemExit(0 if main() else 1)
