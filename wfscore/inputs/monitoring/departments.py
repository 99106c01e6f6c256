"""The departments a year's monitoring is about: ``scheme.yaml`` and ``departments.csv``
checked, without the rest of the year (monitoring runs all year, before the other
tables are in)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from wfscore.inputs.files import read_folder
from wfscore.inputs.problems import Problem
from wfscore.inputs.scheme import Scheme
from wfscore.inputs.scheme_yaml import parse_scheme
from wfscore.inputs.validation import check


def read_departments(folder: Path | str) -> tuple[Scheme | None, pd.DataFrame | None, list[Problem]]:
    """(scheme, departments, problems): the departments table as checked (dept_id, name,
    kind, and website when given), or None and the errors of the scheme or that table."""
    folder = Path(folder)
    inputs = read_folder(folder)
    book = inputs.workbook
    mine = {"scheme.yaml", "departments.csv", str(folder)} | ({book, f"{book}, sheet departments"} if book else set())
    problems = [p for p in inputs.problems if p.source in mine]
    if inputs.scheme_text is None:
        return None, None, problems
    scheme, found = parse_scheme(inputs.scheme_text)
    problems += found
    if scheme is None:
        return None, None, problems
    checked = check(scheme, inputs)
    table = checked.usable.get("departments") or inputs.tables.get("departments")
    source = table.source if table is not None else "departments.csv"
    problems += [p for p in checked.problems if p.source == source]
    if table is None or any(p.is_error for p in problems):
        if table is None and not any(p.is_error for p in problems):
            from wfscore.inputs.problems import error

            problems.append(
                error("departments.csv", "is missing (expected a table with the columns dept_id, name, kind)")
            )
        return scheme, None, problems
    frame = table.frame.reset_index()
    if "website" not in frame:
        frame["website"] = ""
    return scheme, frame, problems
