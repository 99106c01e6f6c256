"""Random years on the tiny scheme, for hypothesis: every rule gets exercised.

``years()`` draws the tables of a year (departments, values, ratings, exemptions,
incidents, with or without their optional confirmed column, achievements, website
evaluations) as plain rows; ``write_year`` puts
them in a folder beside a copy of the tiny scheme, ready for ``load_year``.
"""

from __future__ import annotations

import csv
from pathlib import Path

from hypothesis import strategies as st

from helpers import TINY

KINDS = ("gov", "party", "org")
INDEX = ("i1", "i2", "i3", "i4", "i5")  # i2 is lower-is-better; i3, i4 are the website category
BINARY = ("b1", "b2")
COLUMNS = {
    "departments": ["dept_id", "name", "kind"],
    "values": ["dept_id", "indicator", "value"],
    "ratings": ["dept_id", "indicator", "expert", "rating"],
    "website_eval": ["dept_id", "score"],
    "exemptions": ["dept_id", "indicator", "reason", "confirmed"],
    "incidents": ["dept_id", "date", "severity", "description"],
    "achievements": ["dept_id", "indicator", "title", "confirmed"],
}

positive = st.one_of(st.integers(0, 1000).map(float), st.floats(0, 1000, allow_nan=False, width=32))


@st.composite
def years(draw, min_departments: int = 2, max_departments: int = 8) -> dict[str, list[list]]:
    n = draw(st.integers(min_departments, max_departments))
    ids = [f"D{k}" for k in range(n)]
    kinds = [draw(st.sampled_from(KINDS)) for _ in ids]
    tables: dict[str, list[list]] = {name: [] for name in COLUMNS}
    tables["departments"] = [[d, f"部门{d}", k] for d, k in zip(ids, kinds)]
    confirmed_column = draw(st.booleans())  # incidents.csv's optional confirmed column
    for d, kind in zip(ids, kinds):
        for ind in INDEX:
            how = draw(st.sampled_from(["value", "value", "ratings", "missing"]))
            if how == "value":
                tables["values"].append([d, ind, draw(positive)])
            elif how == "ratings":
                for e in range(draw(st.integers(1, 5))):
                    tables["ratings"].append([d, ind, f"E{e}", draw(st.integers(0, 100))])
        if draw(st.booleans()):
            tables["values"].append([d, "s1", draw(st.floats(0, 20, allow_nan=False))])
        for ind in draw(st.sets(st.sampled_from(INDEX + ("s1",)), max_size=3)):
            tables["exemptions"].append([d, ind, "理由", draw(st.sampled_from(["true", "false"]))])
        if kind == "gov":
            tables["website_eval"].append([d, draw(st.floats(0, 100, allow_nan=False))])
        for _ in range(draw(st.integers(0, 2))):
            row = [d, "2011-05-01", draw(st.sampled_from(["ordinary", "major"])), ""]
            if confirmed_column:
                row.append(draw(st.sampled_from(["true", "false"])))
            tables["incidents"].append(row)
        for ind in BINARY:
            for _ in range(draw(st.integers(0, 2))):
                tables["achievements"].append([d, ind, "成果", draw(st.sampled_from(["true", "false"]))])
    return tables


def write_year(folder: Path, tables: dict[str, list[list]], scheme_text: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "scheme.yaml").write_text(
        scheme_text or (TINY / "scheme.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    for name, columns in COLUMNS.items():
        rows = tables[name]
        if name == "incidents" and any(len(row) == 5 for row in rows):
            # the optional confirmed column; a row drawn without it is written as confirmed
            columns = columns + ["confirmed"]
            rows = [row if len(row) == 5 else row + ["true"] for row in rows]
        with open(folder / f"{name}.csv", "w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(columns)
            writer.writerows([[repr(x) if isinstance(x, float) else x for x in row] for row in rows])
    return folder


def tiny_scheme_with(**rules) -> str:
    """The tiny scheme text with some rules replaced, e.g. not_applicable="section"."""
    import yaml

    scheme = yaml.safe_load((TINY / "scheme.yaml").read_text(encoding="utf-8"))
    scheme["rules"].update(rules)
    return yaml.safe_dump(scheme, allow_unicode=True, sort_keys=False)
