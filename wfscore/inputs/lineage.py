"""Departments across years: the ``previous_ids`` column and the previous year's folder.

``departments.csv`` may have an optional column ``previous_ids``: the ``dept_id``
or ids, separated by ``;`` (a full-width ``；`` is read as ``;`` too), of last
year's departments that this department continues. One id is a rename or a new
number; several ids are a merger. An empty cell (or no column at all) means the
department continues last year's department with the same ``dept_id``, if there
was one, and is new otherwise.

The previous year's folder is known when

- it is given explicitly (``check(..., previous=folder)``; the comparison of a run
  of years, :func:`wfscore.analysis.years.compare`, checks each year against the year
  before it in the run), or
- the sibling folder named after the year before exists: ``data/2011/`` for
  ``data/2012/`` (the year is the scheme's ``year``). ``load_year``, ``wfscore
  validate``, ``score`` and ``report`` look there.

Then an id that is not a ``dept_id`` of the previous year is an error naming the
file, line and id. Without a previous folder only the cells' form is checked.
Nothing here reads the previous year unless a ``previous_ids`` column is present,
so years without the column load exactly as before.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd

from wfscore.inputs.files import Table, decode, parse_csv, read_file, read_workbook
from wfscore.inputs.problems import Problem, error, warning

COLUMN = "previous_ids"
_SEPARATOR = re.compile(r"[;；]")


def split_ids(cell: object) -> list[str]:
    """The ids of one ``previous_ids`` cell, trimmed, in the order written ("" → [])."""
    text = "" if cell is None or (isinstance(cell, float) and pd.isna(cell)) else str(cell).strip()
    if not text:
        return []
    return [part.strip() for part in _SEPARATOR.split(text)]


def previous_folder(folder: Path | str, year: int) -> Path | None:
    """The sibling folder of the year before (``data/2011`` for ``data/2012``), if it exists."""
    candidate = Path(folder).resolve().parent / str(year - 1)
    return candidate if candidate.is_dir() else None


def read_dept_ids(folder: Path) -> tuple[list[str] | None, str, str | None]:
    """The ``dept_id`` values of ``folder``'s departments table (CSV or workbook sheet),
    the table's name for messages, and why it could not be read (or None)."""
    folder = Path(folder)
    csv_path = folder / "departments.csv"
    books = sorted(p for p in folder.glob("*.xlsx") if not p.name.startswith("~$"))
    source = f"{folder.name}/departments.csv"
    frame = None
    if os.path.lexists(csv_path):
        raw, problem = read_file(csv_path, source, "a CSV file")
        if problem is not None:
            return None, source, problem.message
        text, _, problem = decode(raw, source)
        if problem is not None:
            return None, source, problem.message
        frame, problems = parse_csv(text, "departments", source)
        if frame is None:
            return None, source, "; ".join(p.message for p in problems)
    elif len(books) == 1:
        raw, problem = read_file(books[0], f"{folder.name}/{books[0].name}", "an .xlsx workbook file")
        if problem is not None:
            return None, f"{folder.name}/{books[0].name}", problem.message
        tables, _, _ = read_workbook(raw, f"{folder.name}/{books[0].name}")
        source = f"{folder.name}/{books[0].name}, sheet departments"
        frame = tables["departments"].frame if "departments" in tables else None
    if frame is None or "dept_id" not in frame:
        return None, source, "it has no departments table with a dept_id column"
    return [d for d in frame["dept_id"] if d], source, None


def _form(table: Table) -> list[Problem]:
    """Each cell's form: no empty id between separators, no id twice in one cell."""
    problems = []
    for line, cell in table.frame[COLUMN].items():
        ids = split_ids(cell)
        if any(not i for i in ids):
            problems.append(
                error(
                    table.source,
                    "has an empty id between separators (expected last year's "
                    "dept_id values separated by ;, such as G24;G25)",
                    line=int(line),
                    column=COLUMN,
                    value=cell,
                    row_word=table.row_word,
                )
            )
        elif len(set(ids)) < len(ids):
            problems.append(
                error(
                    table.source,
                    "names an id twice (expected each previous dept_id once)",
                    line=int(line),
                    column=COLUMN,
                    value=cell,
                    row_word=table.row_word,
                )
            )
    return problems


def unknown_ids(table: Table, known: set[str], where: str) -> list[Problem]:
    """An error for every id of ``table``'s ``previous_ids`` that is not in ``known``
    (the previous year's dept_id values, read from ``where``)."""
    problems = []
    for line, cell in table.frame[COLUMN].items():
        for dept in split_ids(cell):
            if dept and dept not in known:
                problems.append(
                    error(
                        table.source,
                        f"is not a department of the previous year (expected a dept_id of {where})",
                        line=int(line),
                        column=COLUMN,
                        value=dept,
                        row_word=table.row_word,
                    )
                )
    return problems


def check(tables: dict[str, Table], year: int, folder: Path | str, previous: Path | str | None = None) -> list[Problem]:
    """Problems of the departments table's ``previous_ids`` column (none without it).

    ``previous`` is the previous year's folder; by default the sibling folder of
    ``year - 1`` when it exists (see the module's notes).
    """
    table = tables.get("departments")
    if table is None or COLUMN not in table.frame:
        return []
    problems = _form(table)
    prev = Path(previous) if previous is not None else previous_folder(folder, year)
    if prev is None or not table.frame[COLUMN].astype(str).str.strip().any():
        return problems
    known, source, why = read_dept_ids(prev)
    if known is None:
        return problems + [
            warning(
                table.source,
                f"could not be checked against the previous year's folder {prev}: {why}",
                column=COLUMN,
                row_word=table.row_word,
            )
        ]
    return problems + unknown_ids(table, set(known), source)


def predecessors(departments: pd.DataFrame, previous_ids: set[str] | list[str]) -> list[list[str]]:
    """For each department (row of ``departments``), last year's ids it continues: its
    ``previous_ids``, or its own dept_id when that cell is empty and the id existed."""
    known = set(previous_ids)
    cells = departments[COLUMN] if COLUMN in departments else pd.Series("", index=departments.index)
    out = []
    for dept, cell in zip(departments["dept_id"], cells):
        ids = split_ids(cell)
        out.append(ids if ids else ([dept] if dept in known else []))
    return out
