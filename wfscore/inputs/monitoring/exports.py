"""Reading a system's export into the year's monitoring (``wfscore monitor import``).

An export of the office platform, the approval system or the network operator (CSV or
.xlsx) has a row per department and day; a small mapping names its columns: ``dept``
and ``date``, then each count (``logins``; ``online`` and ``total``, the items handled
online and in all). The mapping comes from ``scheme.yaml`` (``monitoring.systems.<name>``)
or from ``--columns dept=部门,date=日期,logins=登录次数``.

Each row's department is found by its id or its name (spaces and full-width forms
aside); a cell that matches no department, or two, is an error naming the row, with the
nearest names offered. The rows go into ``monitoring/<system>.csv`` keyed by department
and day: a row already there with the same counts is skipped (importing an export twice
adds nothing); one with other counts is an error (nothing is replaced silently). Any
error, and nothing is written. The export is bounded as the year's inputs are: its size,
its rows (:data:`MAX_ROWS`), and for a workbook its unzipped size and the time to read it.
"""

from __future__ import annotations

import difflib
import re
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from wfscore.inputs.files import MAX_BYTES, MAX_COLUMNS, cell_text, check_zip, decode, parse_csv, read_file
from wfscore.inputs.monitoring.figures import ORIGIN_COLUMNS, SYSTEM_COLUMNS, SYSTEM_OF
from wfscore.inputs.monitoring.records import FOLDER, file_lock, folder_of, line_of, read_records
from wfscore.inputs.output import staged
from wfscore.inputs.problems import Problem, error
from wfscore.inputs.validation import number, parse_dates

MAX_ROWS = 500_000  # rows of one export (129 departments × 366 days × 10)
MAX_SECONDS = 120.0  # reading one workbook
MAX_ERRORS = 200  # errors reported from one export (then how many more)
SYSTEM_NAME = re.compile(r"[a-z][a-z0-9_]{0,31}")
KEYS = ("dept", "date")


def parse_columns(text: str) -> dict[str, str]:
    """``dept=部门,date=日期,logins=登录次数`` → {field: column header}; ValueError when malformed."""
    mapping: dict[str, str] = {}
    for part in text.split(","):
        field, sep, header = part.partition("=")
        field, header = field.strip(), header.strip()
        if not sep or not re.fullmatch(r"[a-z][a-z0-9_]*", field) or not header:
            raise ValueError(
                f"--columns: {part.strip()!r} is not field=column (expected e.g. 'dept=部门,date=日期,logins=登录次数')"
            )
        if field in mapping:
            raise ValueError(f"--columns: the field {field} is named twice (expected each field once)")
        mapping[field] = header
    return mapping


def mapping_problem(system: str, mapping: dict[str, str]) -> str | None:
    """What the mapping lacks for ``system``, or None."""
    missing = [k for k in KEYS if k not in mapping]
    needed = next((fields for s, fields in SYSTEM_OF.values() if s == system), ())
    missing += [f for f in needed if f not in mapping]
    if missing:
        return (
            f"the columns of system {system} do not name {', '.join(missing)} (expected dept, date"
            + (f", {', '.join(needed)}" if needed else " and at least one count")
            + ")"
        )
    if len(mapping) == len(KEYS):
        return f"the columns of system {system} name no count (expected dept, date and at least one count)"
    return None


@dataclass
class Imported:
    added: int
    skipped: int
    target: Path


# -- reading the export ------------------------------------------------------------------------


def _read_workbook(raw: bytes, source: str) -> tuple[list[list[str]] | None, list[Problem]]:
    import openpyxl

    broken, _ = check_zip(raw, source)  # bombs, encrypted or damaged parts: before openpyxl
    if broken is not None:
        return None, [broken]
    try:
        import io

        wb = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        return None, [
            error(source, f"cannot be read as an .xlsx workbook ({exc}) (expected a workbook saved by Excel)")
        ]
    t0 = time.monotonic()
    rows: list[list[str]] = []
    try:
        sheet = wb.worksheets[0]
        for n, row in enumerate(sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS), start=1):
            if n > MAX_ROWS + 1:
                return None, [
                    error(
                        source,
                        f"has more than {MAX_ROWS:,} rows (expected one export of a year at most)",
                        line=n,
                        row_word="row",
                    )
                ]
            if time.monotonic() - t0 > MAX_SECONDS:
                return None, [
                    error(
                        source,
                        f"takes more than {MAX_SECONDS:g} seconds to read (expected one export of a year at most)",
                        line=n,
                        row_word="row",
                    )
                ]
            rows.append([cell_text(v) for v in row])
    finally:
        wb.close()
    return rows, []


def read_export(path: Path) -> tuple[pd.DataFrame | None, str, list[Problem]]:
    """The export's cells as a frame of text, index = line (or row) number; its row word."""
    source = path.name
    raw, problem = read_file(path, source, "an export, a CSV file or an .xlsx workbook", MAX_BYTES)
    if problem is not None:
        return None, "line", [problem]
    if raw[:4] == b"PK\x03\x04":
        rows, problems = _read_workbook(raw, source)
        if rows is None:
            return None, "row", problems
        if not rows or not any(rows[0]):
            return (
                None,
                "row",
                [error(source, "is empty (expected a header row naming its columns)", line=1, row_word="row")],
            )
        header = [c.strip() for c in rows[0]]
        body = [r + [""] * (len(header) - len(r)) for r in rows[1:]]
        frame = pd.DataFrame(
            [r[: len(header)] for r in body],
            columns=header,
            index=pd.Index(range(2, len(body) + 2), name="line"),
            dtype=object,
        )
        return frame, "row", []
    lines = raw.count(b"\n") + (0 if raw.endswith(b"\n") else 1)
    if lines > MAX_ROWS + 1:
        return (
            None,
            "line",
            [
                error(
                    source,
                    f"has more than {MAX_ROWS:,} rows (expected one export of a year at most)",
                    line=MAX_ROWS + 2,
                )
            ],
        )
    text, _, problem = decode(raw, source)
    if problem is not None:
        return None, "line", [problem]
    frame, problems = parse_csv(text, "export", source)
    return frame, "line", problems


# -- matching departments ------------------------------------------------------------------------


def _folded(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text))).casefold()


class Matcher:
    """A department by its id or its name."""

    def __init__(self, departments: pd.DataFrame):
        self.ids = [str(i) for i in departments["dept_id"]]
        self.names = [str(n) for n in departments["name"]]
        self.by: dict[str, set[str]] = {}
        for dept_id, name in zip(self.ids, self.names):
            self.by.setdefault(_folded(dept_id), set()).add(dept_id)
            self.by.setdefault(_folded(name), set()).add(dept_id)
        self.label = {d: f"{d} {n}" for d, n in zip(self.ids, self.names)}

    def find(self, text: str) -> tuple[str | None, str, str]:
        """(dept_id, "", "") or (None, what is wrong: ``two``, ``near``, ``none``, and the
        departments it matches or the nearest names)."""
        found = self.by.get(_folded(text), set())
        if len(found) == 1:
            return next(iter(found)), "", ""
        if found:
            return None, "two", "; ".join(self.label[d] for d in sorted(found))
        near = difflib.get_close_matches(text, self.names + self.ids, n=3, cutoff=0.4)
        if near:
            return None, "near", ", ".join(near)
        return None, "none", ""


# -- the import --------------------------------------------------------------------------------------


def _dates(cells: pd.Series) -> pd.Series:
    text = cells.astype(str).str.strip()
    text = text.where(
        ~text.str.fullmatch(r"\d{8}"), text.str.slice(0, 4) + "-" + text.str.slice(4, 6) + "-" + text.str.slice(6, 8)
    )
    text = text.str.replace(r"^(\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}(:\d{2})?$", r"\1", regex=True)
    return parse_dates(text)


def rows_of(
    frame: pd.DataFrame, row_word: str, source: str, mapping: dict[str, str], matcher: Matcher
) -> tuple[pd.DataFrame | None, list[Problem]]:
    """The export's rows as the system file's: dept_id, date (ISO), counts; or the errors."""
    counts = [f for f in mapping if f not in KEYS]
    missing = [f"{mapping[f]!r} ({f})" for f in mapping if mapping[f] not in frame.columns]
    if missing:
        found = ", ".join(repr(str(c)) for c in frame.columns[:20])
        return None, [
            error(
                source,
                f"lacks the column {m} (expected the columns the mapping names; the export's header is {found})",
                line=1,
                row_word=row_word,
            )
            for m in missing
        ]
    problems: list[Problem] = []
    lines = frame.index.to_numpy()
    more = 0

    def room() -> bool:
        nonlocal more
        if len(problems) < MAX_ERRORS:
            return True
        more += 1
        return False

    def at(k: int, field: str, value: object) -> dict:
        return {"line": int(lines[k]), "column": mapping[field], "value": str(value), "row_word": row_word}

    dept_cells = frame[mapping["dept"]].to_numpy(dtype=object)
    found: dict[str, tuple[str | None, str, str]] = {}
    depts = np.empty(len(frame), dtype=object)
    for k, cell in enumerate(dept_cells):
        if cell not in found:
            found[cell] = matcher.find(cell) if str(cell).strip() else (None, "empty", "")
        depts[k], why, detail = found[cell]
        if not why or not room():
            continue
        if why == "two":
            problems.append(
                error(
                    source,
                    f"matches more than one department ({detail}) (expected the dept_id of one)",
                    **at(k, "dept", cell),
                )
            )
        elif why == "near":
            problems.append(
                error(source, f"is no department's id or name (the nearest: {detail})", **at(k, "dept", cell))
            )
        elif why == "none":
            problems.append(
                error(
                    source,
                    "is no department's id or name (expected a dept_id or name of departments.csv)",
                    **at(k, "dept", cell),
                )
            )
        else:
            problems.append(error(source, "is empty (expected a department's id or name)", **at(k, "dept", cell)))
    date_cells = frame[mapping["date"]]
    dates = _dates(date_cells)
    for k in np.flatnonzero(dates.isna().to_numpy()):
        if room():
            problems.append(
                error(source, "is not a date (expected a date like 2011-05-03)", **at(k, "date", date_cells.iloc[k]))
            )
    out = {"dept_id": depts, "date": dates.dt.strftime("%Y-%m-%d").to_numpy(dtype=object)}
    for f in counts:
        cells = frame[mapping[f]]
        values = number(cells.astype(str)).to_numpy(dtype=float)
        for k in np.flatnonzero(~np.isfinite(values) | (values < 0)):
            if room():
                problems.append(
                    error(source, "is not a count (expected a non-negative number)", **at(k, f, cells.iloc[k]))
                )
        out[f] = values
    result = pd.DataFrame(out, index=frame.index)
    if not problems:
        twice = result.duplicated(["dept_id", "date"], keep=False).to_numpy()
        first_line: dict[tuple, int] = {}
        for k in np.flatnonzero(twice):
            key = (result["dept_id"].iloc[k], result["date"].iloc[k])
            if key not in first_line:
                first_line[key] = int(lines[k])
            elif room():
                problems.append(
                    error(
                        source,
                        f"has a second row for {key[0]} on {key[1]} (also on line "
                        f"{first_line[key]}; expected one row per department and day)",
                        **at(k, "dept", dept_cells[k]),
                    )
                )
    if more:
        problems.append(
            error(source, f"has {more:,} more errors like these (expected an export of the mapped columns)")
        )
    return (None, problems) if problems else (result, [])


def _count_text(x: float) -> str:
    x = float(x)
    return repr(x) if np.isfinite(x) and abs(x) >= 1e15 else f"{x:g}"


def import_export(
    year_dir: Path | str, path: Path | str, system: str, mapping: dict[str, str], departments: pd.DataFrame
) -> tuple[Imported | None, list[Problem]]:
    """Read the export at ``path`` into ``monitoring/<system>.csv`` of the year; nothing is
    written on any error."""
    path = Path(path)
    target = folder_of(year_dir) / f"{system}.csv"
    source = f"{FOLDER}/{system}.csv"
    frame, row_word, problems = read_export(path)
    if frame is None or any(p.is_error for p in problems):
        return None, problems
    rows, problems = rows_of(frame, row_word, path.name, mapping, Matcher(departments))
    if rows is None:
        return None, problems
    counts = [f for f in mapping if f not in KEYS]
    columns = SYSTEM_COLUMNS + tuple(counts) + ORIGIN_COLUMNS
    target.parent.mkdir(parents=True, exist_ok=True)
    with file_lock(target):
        old, found = read_records(target, SYSTEM_COLUMNS + tuple(counts), source)
        if old is None:
            return None, found
        if len(old.columns) and list(old.columns) != list(columns) and len(old):
            return None, [
                error(
                    source,
                    f"holds the columns {', '.join(old.columns)}, not those of this import "
                    f"({', '.join(columns)}) (expected the same counts as the earlier imports of "
                    f"system {system})",
                    line=1,
                )
            ]
        held = np.column_stack([number(old[f]).to_numpy(dtype=float) for f in counts]) if len(old) else []
        before = {(d, day): list(v) for d, day, v in zip(old["dept_id"], old["date"], held)}
        new_lines: list[str] = []
        skipped = 0
        conflicts: list[Problem] = []
        for line, r in zip(rows.index, rows.itertuples(index=False)):
            key = (r.dept_id, r.date)
            figures = [getattr(r, f) for f in counts]
            if key in before:
                if np.allclose(before[key], figures, equal_nan=True):
                    skipped += 1
                    continue
                if len(conflicts) < MAX_ERRORS:
                    conflicts.append(
                        error(
                            path.name,
                            f"gives other counts for {key[0]} on {key[1]} than "
                            f"{source} holds ({', '.join(map(_count_text, before[key]))}) (expected "
                            f"the same figures; to replace a day, delete its row from {source} "
                            "first)",
                            line=int(line),
                            row_word=row_word,
                        )
                    )
                continue
            new_lines.append(line_of([r.dept_id, r.date, *map(_count_text, figures), path.name, int(line)]))
        if conflicts:
            return None, conflicts
        if new_lines:
            existing = target.read_bytes() if target.exists() and len(old) else b""
            if existing and not existing.endswith(b"\n"):
                existing = existing[: existing.rfind(b"\n") + 1]
            with staged(target) as (tmp,):
                with open(tmp, "wb") as f:
                    f.write(existing or b"\xef\xbb\xbf" + line_of(columns).encode("utf-8"))
                    f.write("".join(new_lines).encode("utf-8"))
    return Imported(len(new_lines), skipped, target), []
