"""Small hand-made years for the year-on-year tests (wfscore.analysis.years, lineage, report --all).

``write(folder, scheme, departments, values)`` writes a year folder from plain rows;
``DIRECT`` is a scheme whose totals are the sum of the values (two ``direct``
indicators), so ranks and totals can be read off the rows; ``tiny_as(folder, year)``
copies the hand-checked tiny year under another year.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from helpers import TINY

DIRECT = """year: {year}
title: 直接计分示例 {year}
kinds: {{gov: 政府机关, org: 人民团体}}
sections:
  - id: A
    name: 指标考核
    points: 100
    categories:
      - {{id: c1, name: 工作体系, name_en: Work system, points: 60,
          indicators: [{{id: d1, name: 机制, weight: 60, method: direct}}]}}
      - {{id: c2, name: 网站, name_en: Website, points: 40,
          indicators: [{{id: d2, name: 网站, weight: 40, method: direct}}]}}
"""


def write(folder: Path, scheme: str, departments: list[list[str]], values: list[list], synthetic: bool = True) -> Path:
    """A year folder: ``scheme`` text, departments rows (dept_id, name, kind[, previous_ids])
    and values rows (dept_id, indicator, value)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "scheme.yaml").write_text(scheme, encoding="utf-8")
    header = ["dept_id", "name", "kind"] + (["previous_ids"] if any(len(r) > 3 for r in departments) else [])
    with open(folder / "departments.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows([r + [""] * (len(header) - len(r)) for r in departments])
    with open(folder / "values.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["dept_id", "indicator", "value"])
        w.writerows(values)
    if synthetic:
        (folder / "SYNTHETIC").write_text("synthetic test data\n", encoding="utf-8")
    return folder


def direct_year(folder: Path, year: int, rows: list[tuple]) -> Path:
    """A ``DIRECT`` year from rows (dept_id, name, d1, d2[, previous_ids]); total = d1 + d2."""
    departments = [
        [d, name, "gov"] + ([prev] if prev is not None else [])
        for d, name, _, _, prev in [(r + (None,))[:5] for r in rows]
    ]
    values = [[r[0], "d1", r[2]] for r in rows] + [[r[0], "d2", r[3]] for r in rows]
    return write(folder, DIRECT.format(year=year), departments, values)


def tiny_as(folder: Path, year: int) -> Path:
    """The tiny year copied to ``folder`` as year ``year`` (its incident dates moved along)."""
    shutil.copytree(TINY, folder)
    for name in ("scheme.yaml", "incidents.csv"):
        path = folder / name
        path.write_text(path.read_text(encoding="utf-8").replace("2011", str(year)), encoding="utf-8")
    (folder / "SYNTHETIC").write_text("synthetic test data\n", encoding="utf-8")
    return folder
