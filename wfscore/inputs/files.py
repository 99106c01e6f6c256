"""Reading a year's files into tables of text, with line numbers kept.

CSV files may be UTF-8 (with or without a BOM) or GB18030, which is what Excel on a
Chinese-locale PC writes; the encoding is detected by trying UTF-8 first. A folder
may instead hold one ``.xlsx`` workbook with a sheet per table. Either way every
table comes back as a DataFrame of stripped strings whose index is the line (or
row) number a spreadsheet shows, the header being line 1.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from wfscore.inputs.problems import Problem, error, warning

TABLE_NAMES = (
    "departments",
    "values",
    "ratings",
    "website_eval",
    "exemptions",
    "incidents",
    "achievements",
)


@dataclass(frozen=True)
class Table:
    """One table as read: text cells, index = spreadsheet line numbers."""

    name: str
    source: str
    frame: pd.DataFrame
    row_word: str = "line"
    encoding: str | None = None


@dataclass
class Inputs:
    """What a folder holds, before any checking."""

    scheme_text: str | None
    tables: dict[str, Table]
    hashes: dict[str, str]
    problems: list[Problem]
    workbook: str | None = None
    unreadable: set[str] = field(default_factory=set)


def decode(raw: bytes, source: str) -> tuple[str | None, str | None, Problem | None]:
    """Bytes → (text, encoding). UTF-8 (BOM allowed) first, then GB18030."""
    if raw.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None, None, error(
            source,
            "is UTF-16 text, which wfscore does not read (expected UTF-8 or GB18030; "
            "in Excel save as 'CSV UTF-8')",
        )
    else:
        candidates = ["utf-8", "gb18030"]
    first: UnicodeDecodeError | None = None
    for encoding in candidates:
        try:
            return raw.decode(encoding), encoding, None
        except UnicodeDecodeError as exc:
            first = first or exc
    assert first is not None
    bad = raw[first.start : first.start + 1].hex()
    return None, None, error(
        source,
        f"cannot be decoded: byte 0x{bad} at offset {first.start} is not UTF-8, and the file is not "
        "GB18030 either (expected a CSV file saved as UTF-8 or GB18030)",
    )


def parse_csv(text: str, name: str, source: str) -> tuple[pd.DataFrame | None, list[Problem]]:
    """CSV text → frame of stripped strings indexed by line number."""
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows or not any(cell.strip() for cell in rows[0]):
        return None, [error(source, "is empty (expected a header row naming its columns)", line=1)]
    header = [cell.strip() for cell in rows[0]]
    return _frame(header, rows[1:], source, "line")


def _frame(header: list[str], body: list[list[str]], source: str, row_word: str):
    problems: list[Problem] = []
    while header and not header[-1]:
        header.pop()
    seen: set[str] = set()
    for col in header:
        if col in seen:
            problems.append(
                error(source, "is a column name used twice in the header (expected each once)",
                      line=1, value=col, row_word=row_word)
            )
        seen.add(col)
    if problems:
        return None, problems
    width = len(header)
    lines: list[int] = []
    cells: list[list[str]] = []
    for n, row in enumerate(body, start=2):
        row = [cell.strip() for cell in row]
        if not any(row):
            continue  # a blank line or a row of empty cells
        if len(row) > width:
            extra = row[width:]
            if any(extra):
                problems.append(
                    error(source, f"has {len(row)} cells but the header names {width} columns "
                          "(expected no cells beyond the header)", line=n,
                          value=",".join(extra), row_word=row_word)
                )
                continue
            row = row[:width]
        elif len(row) < width:
            row = row + [""] * (width - len(row))
        lines.append(n)
        cells.append(row)
    frame = pd.DataFrame(cells, columns=header, index=pd.Index(lines, name="line"), dtype=object)
    if not cells:
        frame = pd.DataFrame({c: pd.Series([], dtype=object) for c in header})
        frame.index.name = "line"
    return frame, problems


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def read_workbook(raw: bytes, book: str) -> tuple[dict[str, Table], list[Problem], set[str]]:
    """An .xlsx workbook → one table per sheet named like a table."""
    import openpyxl

    try:
        wb = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        problem = error(book, f"cannot be read as an .xlsx workbook ({exc}) (expected a workbook saved by Excel)")
        return {}, [problem], set(TABLE_NAMES)
    tables: dict[str, Table] = {}
    problems: list[Problem] = []
    unreadable: set[str] = set()
    try:
        for sheet in wb.worksheets:
            name = sheet.title.strip()
            source = f"{book}, sheet {name}"
            if name not in TABLE_NAMES:
                problems.append(warning(book, f"has a sheet {name!r} that is not a wfscore table; it is ignored "
                                        f"(tables are {', '.join(TABLE_NAMES)})",
                                        message_zh=f"中的工作表 {name!r} 不是 wfscore 的数据表，已忽略"
                                                   f"（数据表为 {', '.join(TABLE_NAMES)}）"))
                continue
            rows = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
            if not rows or not any(rows[0]):
                problems.append(error(source, "is empty (expected a header row naming its columns)",
                                      line=1, row_word="row"))
                unreadable.add(name)
                continue
            frame, found = _frame(rows[0], rows[1:], source, "row")
            problems += found
            if frame is not None:
                tables[name] = Table(name, source, frame, "row")
            else:
                unreadable.add(name)
    finally:
        wb.close()
    return tables, problems, unreadable


def read_folder(folder: Path) -> Inputs:
    """Read every input of a year's folder; report what is missing or unreadable."""
    problems: list[Problem] = []
    hashes: dict[str, str] = {}
    if not folder.is_dir():
        return Inputs(None, {}, {}, [error(str(folder), "is not a folder (expected a year's data folder)")])

    def raw_of(path: Path) -> bytes:
        raw = path.read_bytes()
        hashes[path.name] = hashlib.sha256(raw).hexdigest()
        return raw

    scheme_text = None
    scheme_path = folder / "scheme.yaml"
    if scheme_path.is_file():
        scheme_text, _, problem = decode(raw_of(scheme_path), "scheme.yaml")
        if problem:
            problems.append(problem)
    else:
        problems.append(error("scheme.yaml", "is missing (expected the year's scheme, SPEC §4)"))

    csvs = {name: folder / f"{name}.csv" for name in TABLE_NAMES if (folder / f"{name}.csv").is_file()}
    books = sorted(p for p in folder.glob("*.xlsx") if not p.name.startswith("~$"))
    tables: dict[str, Table] = {}
    unreadable: set[str] = set()
    workbook = None
    if books and csvs:
        problems.append(
            error(books[0].name, "is a workbook beside CSV tables "
                  f"({', '.join(p.name for p in csvs.values())}) (expected either CSV files or one workbook, "
                  "not both: move one of them away)")
        )
    elif len(books) > 1:
        problems.append(
            error(str(folder), f"holds {len(books)} workbooks ({', '.join(b.name for b in books)}) "
                  "(expected one workbook with a sheet per table)")
        )
    elif books:
        workbook = books[0].name
        tables, found, unreadable = read_workbook(raw_of(books[0]), workbook)
        problems += found
    else:
        for name, path in csvs.items():
            text, encoding, problem = decode(raw_of(path), path.name)
            if problem:
                problems.append(problem)
                unreadable.add(name)
                continue
            frame, found = parse_csv(text, name, path.name)
            problems += found
            if frame is not None:
                tables[name] = Table(name, path.name, frame, "line", encoding)
            else:
                unreadable.add(name)
    return Inputs(scheme_text, tables, hashes, problems, workbook, unreadable)
