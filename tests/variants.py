"""The tiny year without one of its optional rules, for tests of every output over the matrix
of valid schemes (with and without excellence, conversion, website evaluation, incidents,
ratings).

``variant(folder, without)`` writes a copy of ``tests/data/tiny`` into ``folder`` with the
rule (and the file only that rule reads) taken away, so the year stays valid.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import yaml

from helpers import TINY

OPTIONAL = ("excellence", "conversion", "website_evaluation", "incidents", "ratings")


def _rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def variant(folder: Path, without: str | None) -> Path:
    """A valid copy of the tiny year in ``folder`` without the optional rule ``without``
    (one of :data:`OPTIONAL`; None keeps every rule)."""
    shutil.copytree(TINY, folder)
    if without is None:
        return folder
    scheme = yaml.safe_load((folder / "scheme.yaml").read_text(encoding="utf-8"))
    rules = scheme["rules"]
    if without in ("excellence", "conversion"):
        del rules[without]
    elif without == "website_evaluation":
        del rules["website_evaluation"]
        (folder / "website_eval.csv").unlink()
    elif without == "incidents":
        del rules["security_incident"]
        rules["major_incident"] = "none"
        (folder / "incidents.csv").unlink()
    elif without == "ratings":
        # every rated value becomes a plain value: the mean of its ratings
        rated: dict[tuple[str, str], list[float]] = {}
        for row in _rows(folder / "ratings.csv"):
            rated.setdefault((row["dept_id"], row["indicator"]), []).append(float(row["rating"]))
        with open(folder / "values.csv", "a", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            for (dept, indicator), ratings in rated.items():
                writer.writerow([dept, indicator, repr(sum(ratings) / len(ratings))])
        (folder / "ratings.csv").unlink()
    else:
        raise ValueError(f"no optional rule {without!r} (expected one of {', '.join(OPTIONAL)})")
    (folder / "scheme.yaml").write_text(yaml.safe_dump(scheme, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder
