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
import errno
import hashlib
import io
import os
import stat
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from wfscore.inputs.aliases import spec_header
from wfscore.inputs.characters import plain_text
from wfscore.inputs.charsets import doubtful_gb18030
from wfscore.inputs.problems import Problem, error, warning

# What a hostile or broken file may cost: larger files, wider tables and longer cells are
# errors (README, "Hostile and broken inputs").
MAX_BYTES = 128 * 2**20  # one CSV file or workbook as stored (100,000 departments: ~31 MB of values)
MAX_SCHEME_BYTES = 2**20  # scheme.yaml (the 2011 scheme is about 10 KB)
MAX_UNZIPPED = 128 * 2**20  # a workbook's parts once unzipped
MAX_PARTS = 10_000  # parts of a workbook's zip (a form has about 15)
MAX_COLUMNS = 100  # cells in one row of a table
MAX_ROWS = 4_000_000  # rows of a table (100,000 departments × 27 indicators: 2.7 million values)
MAX_CELL = 131_072  # characters of one cell (the csv module's own limit)
ENCODINGS = "UTF-8, UTF-8 with a BOM or GB18030"

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
    # Read from a CSV text in which no cell can hold a character that text_checks refuses
    # (``characters.plain_text``), and so no cell over MAX_CELL either (reading refuses
    # those): the checks of each cell's text have nothing to find.
    plain: bool = False


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
        return (
            None,
            None,
            error(
                source,
                "is UTF-16 text, which wfscore does not read (expected UTF-8 or GB18030; in Excel save as 'CSV UTF-8')",
            ),
        )
    elif raw.count(b"\x00") > len(raw) // 4:  # every other byte NUL: UTF-16 saved without a BOM
        return (
            None,
            None,
            error(
                source,
                "is UTF-16 text without a byte order mark, which wfscore does not read (expected UTF-8 or "
                "GB18030; in Excel save as 'CSV UTF-8')",
            ),
        )
    else:
        candidates = ["utf-8", "gb18030"]
    first: UnicodeDecodeError | None = None
    for encoding in candidates:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError as exc:
            first = first or exc
            continue
        why = doubtful_gb18030(raw, text) if encoding == "gb18030" else None
        if why:
            return (
                None,
                None,
                error(
                    source,
                    f"is not UTF-8 and does not look like GB18030: {why} (expected a file saved as "
                    f"{ENCODINGS}; Shift-JIS, EUC-KR and Big5 are not read: in Excel save as 'CSV UTF-8')",
                ),
            )
        if encoding == "gb18030":
            text = text.removeprefix("\ufeff")  # GB18030's own byte order mark, 84 31 95 33
        return text, encoding, None
    assert first is not None
    bad = raw[first.start : first.start + 1].hex()
    return (
        None,
        None,
        error(
            source,
            f"cannot be decoded: byte 0x{bad} at offset {first.start} is not UTF-8, and the file is not "
            "GB18030 either (expected a CSV file saved as UTF-8 or GB18030)",
        ),
    )


def parse_csv(text: str, name: str, source: str) -> tuple[pd.DataFrame | None, list[Problem]]:
    """CSV text → frame of stripped strings indexed by line number.

    pandas' C reader splits the text when it can be sure to split it as the
    :mod:`csv` module does (a large table in well under a second); text it cannot be
    sure of (a row with more cells than the header, a NUL character, a stray
    quote, blank lines before the header) goes through :mod:`csv`, line by line.
    """
    frame, problems = fast if (fast := _parse_fast(text, source)) is not None else parse_csv_lines(text, source)
    return spec_names(frame, name, source, "line", problems)


def spec_names(
    frame: pd.DataFrame | None, name: str, source: str, row_word: str, problems: list[Problem]
) -> tuple[pd.DataFrame | None, list[Problem]]:
    """The table with its Chinese headers read as the SPEC's column names
    (:mod:`wfscore.inputs.aliases`); a column named twice, under two names, is an error."""
    if frame is None:
        return frame, problems
    header, clashes = spec_header(name, [str(c) for c in frame.columns])
    if clashes:
        return None, problems + [
            error(
                source,
                f"names column {column!r} a second time (expected each column once, under "
                f"one name: {column} or a Chinese header for it)",
                line=1,
                value=written,
                row_word=row_word,
            )
            for _, written, column in clashes
        ]
    if header != list(frame.columns):
        frame = frame.set_axis(header, axis=1)
    return frame, problems


def parse_csv_lines(text: str, source: str) -> tuple[pd.DataFrame | None, list[Problem]]:
    """``parse_csv`` by the :mod:`csv` module, row by row: what the fast reading must equal."""
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[list[str]] = []
    try:
        for row in reader:
            if len(row) > MAX_COLUMNS and any(cell.strip() for cell in row[MAX_COLUMNS:]):
                return None, [
                    error(
                        source,
                        f"has {len(row):,} cells on one line (expected at most {MAX_COLUMNS} columns)",
                        line=reader.line_num,
                    )
                ]
            rows.append(row[:MAX_COLUMNS])
            if len(rows) > MAX_ROWS + 1:
                return None, [
                    error(source, f"has more than {MAX_ROWS:,} rows (expected a year's table)", line=reader.line_num)
                ]
    except csv.Error as exc:  # cells over MAX_CELL characters, the csv module's own limit
        if "field larger than field limit" in str(exc):
            message = f"has a cell longer than {MAX_CELL:,} characters (expected shorter cells)"
        else:
            message = f"cannot be read as CSV: {exc} (expected CSV text)"
        return None, [error(source, message, line=reader.line_num)]
    if not rows or not any(cell.strip() for cell in rows[0]):
        return None, [_empty_file(source, "line")]
    header = [cell.strip() for cell in rows[0]]
    return _frame(header, rows[1:], source, "line")


def _empty_file(source: str, row_word: str) -> Problem:
    return error(source, "is empty (expected a header row naming its columns)", line=1, row_word=row_word)


# The characters str.strip takes for white space, but for the line breaks: a text without
# any of them (nor quotes, which may hold line breaks) has no cell that needs trimming.
# (tests/inputs/test_files.py checks this list against str.isspace.)
ASCII_SPACES = "\t\x0b\x0c\x1c\x1d\x1e\x1f "
SPACES = (
    ASCII_SPACES + "\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000"
)


def _may_need_trimming(text: str) -> bool:
    return '"' in text or any(c in text for c in (ASCII_SPACES if text.isascii() else SPACES))


def _longest_line(data: bytes) -> int:
    """The bytes of the longest line of ``data``, or more where a quote may join lines: at
    least the characters of its longest cell."""
    if b'"' in data:
        return len(data)
    ends = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == ord("\n"))
    return int(np.diff(ends, prepend=-1, append=len(data)).max())


def _parse_fast(text: str, source: str) -> tuple[pd.DataFrame | None, list[Problem]] | None:
    """``parse_csv`` by pandas' C reader, or None where only the csv module's reading is sure."""
    if not text or text[0] in "\r\n" or "\0" in text:
        return None
    try:
        # bytes, not text: pandas would encode text to UTF-8 itself, chunk by chunk
        data = text.encode("utf-8")
        raw = pd.read_csv(
            io.BytesIO(data),
            encoding="utf-8",
            header=None,
            dtype=object,
            na_filter=False,
            skip_blank_lines=False,
            keep_default_na=False,
            engine="c",
        )
    except Exception:  # rows wider than the header, an open quote...: the csv module's reading says what
        return None
    if raw.shape[1] > MAX_COLUMNS or len(raw) > MAX_ROWS + 1:
        return None  # the csv module's reading says where the limits are passed
    cells = [raw[c].to_numpy(dtype=object) for c in raw.columns]
    if (
        len(text) > MAX_CELL
        and _longest_line(data) > MAX_CELL
        and (any(max(map(len, column), default=0) > MAX_CELL for column in cells))
    ):
        return None
    if _may_need_trimming(text):
        cells = [np.array([cell.strip() for cell in column], dtype=object) for column in cells]
    header = [str(column[0]) for column in cells]
    if not any(header):
        return None, [_empty_file(source, "line")]
    while header and not header[-1]:
        header.pop()
    problems = _header_problems(header, source, "line")
    if problems:
        return None, problems
    width = len(header)
    body = [column[1:] for column in cells]
    if any((column != "").any() for column in body[width:]):
        return None  # cells beyond the header: the csv module's reading names each row
    body = body[:width]
    blank = body[0] == ""  # a blank line, or a row of empty cells: look further only where the first is
    for column in body[1:]:
        if not blank.any():
            break
        maybe = np.flatnonzero(blank)
        blank[maybe] = column[maybe] == ""
    lines = np.arange(2, len(raw) + 1)
    if blank.any():
        lines = lines[~blank]
        body = [column[~blank] for column in body]
    if not len(lines):
        return _frame(header, [], source, "line")
    frame = pd.DataFrame(dict(zip(header, body)), index=pd.Index(lines, name="line"), dtype=object, copy=False)
    return frame, []


def _header_problems(header: list[str], source: str, row_word: str) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[str] = set()
    for col in header:
        if col in seen:
            problems.append(
                error(
                    source,
                    "is a column name used twice in the header (expected each once)",
                    line=1,
                    value=col,
                    row_word=row_word,
                )
            )
        seen.add(col)
    return problems


def _frame(header: list[str], body: list[list[str]], source: str, row_word: str):
    while header and not header[-1]:
        header.pop()
    problems = _header_problems(header, source, row_word)
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
                    error(
                        source,
                        f"has {len(row)} cells but the header names {width} columns "
                        "(expected no cells beyond the header)",
                        line=n,
                        value=",".join(extra),
                        row_word=row_word,
                    )
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


def cell_text(value) -> str:
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

    too_big, _ = check_zip(raw, book)
    if too_big is not None:
        return {}, [too_big], set(TABLE_NAMES)
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
                problems.append(
                    warning(
                        book,
                        f"has a sheet {name!r} that is not a wfscore table; it is ignored "
                        f"(tables are {', '.join(TABLE_NAMES)})",
                        message_zh=f"中的工作表 {name!r} 不是 wfscore 的数据表，已忽略"
                        f"（数据表为 {', '.join(TABLE_NAMES)}）",
                    )
                )
                continue
            try:
                rows, bound = _sheet_rows(sheet, source)
            except Exception as exc:  # the sheet's XML, read only now: truncated, not XML, ...
                rows, bound = (
                    [],
                    error(
                        source,
                        f"cannot be read ({type(exc).__name__}: {_said(exc)}) (expected a "
                        "sheet as Excel saved it: open the workbook and save it again)",
                    ),
                )
            if bound is not None:
                problems.append(bound)
                unreadable.add(name)
                continue
            if not rows or not any(rows[0]):
                problems.append(_empty_file(source, "row"))
                unreadable.add(name)
                continue
            frame, found = _frame(rows[0], rows[1:], source, "row")
            frame, found = spec_names(frame, name, source, "row", found)
            problems += found
            if frame is not None:
                tables[name] = Table(name, source, frame, "row")
            else:
                unreadable.add(name)
    finally:
        wb.close()
    return tables, problems, unreadable


def check_zip(raw: bytes, book: str) -> tuple[Problem | None, set[str]]:
    """The workbook's zip, checked before openpyxl reads it: no part encrypted or compressed
    in a way that cannot be unzipped, no damaged part, and at most :data:`MAX_UNZIPPED`
    bytes once unzipped, counted while unzipping (the sizes a zip declares may lie).
    Returns the problem, and the worksheet parts that hold formulas or merged cells (read
    again by whoever needs to know about them). Bytes that are not a zip at all: no
    problem here, the reader says what they are."""
    if raw[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":  # an OLE compound file, not a zip
        return error(
            book,
            "is not an .xlsx workbook but an older compound file: a workbook with a password to "
            "open it, or an .xls workbook renamed (expected an .xlsx workbook without an opening "
            "password: in Excel, WPS or LibreOffice remove the password and save it as Excel "
            "workbook .xlsx)",
        ), set()
    try:
        z = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return None, set()
    marked: set[str] = set()
    with z:
        infos = z.infolist()
        if len(infos) > MAX_PARTS:
            return error(book, f"has {len(infos):,} parts (expected a workbook of at most {MAX_PARTS:,} parts)"), marked
        declared = sum(info.file_size for info in infos)
        if declared > MAX_UNZIPPED:
            return error(
                book, f"unzips to {declared:,} bytes (expected a workbook of at most {MAX_UNZIPPED:,} bytes unzipped)"
            ), marked
        total = 0
        for info in infos:
            if info.flag_bits & 0x1:
                return error(
                    book,
                    f"has an encrypted part {_part(info)} (expected a workbook whose parts are not "
                    "encrypted: save it again without a password, as Excel workbook .xlsx)",
                ), marked
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                return error(
                    book,
                    f"has a part {_part(info)} compressed by method {info.compress_type}, which is not "
                    "read (expected a workbook saved by Excel, WPS or LibreOffice: open it and save it "
                    "again as Excel workbook .xlsx)",
                ), marked
            sheet = info.filename.startswith("xl/worksheets/")
            tail = b""
            try:
                with z.open(info) as part:
                    while chunk := part.read(2**20):
                        total += len(chunk)
                        if total > MAX_UNZIPPED:
                            return error(
                                book,
                                f"unzips to more than {MAX_UNZIPPED:,} bytes, more than its parts "
                                "declare (expected a workbook of at most "
                                f"{MAX_UNZIPPED:,} bytes unzipped)",
                            ), marked
                        if sheet and info.filename not in marked:
                            seen = tail + chunk
                            if any(mark in seen for mark in _MARKS):
                                marked.add(info.filename)
                            tail = chunk[-16:]
            except (
                zipfile.BadZipFile,
                zlib.error,
                EOFError,
                OSError,
                ValueError,
                RuntimeError,
                NotImplementedError,
            ) as exc:
                return error(
                    book,
                    f"has a damaged part {_part(info)} ({type(exc).__name__}: {_said(exc)}) "
                    "(expected a workbook as it was saved: ask for it again)",
                ), marked
    return None, marked


# What a worksheet's XML holds where a cell has a formula or cells are merged.
_MARKS = (b"<f>", b"<f ", b"<f/", b":f>", b":f ", b":f/", b"mergeCell")


def _part(info: zipfile.ZipInfo) -> str:
    name = "".join(ch if ch.isprintable() else "?" for ch in info.filename)
    return repr(name if len(name) <= 80 else name[:77] + "...")


def _said(exc: BaseException) -> str:
    text = "".join(ch if ch.isprintable() else "?" for ch in str(exc))
    return text if len(text) <= 120 else text[:117] + "..."


def _sheet_rows(sheet, source: str) -> tuple[list[list[str]], Problem | None]:
    rows = []
    for n, row in enumerate(sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1), start=1):
        cells = [cell_text(v) for v in row]
        if len(cells) > MAX_COLUMNS and any(cells[MAX_COLUMNS:]):
            return [], error(
                source,
                f"has a cell beyond column {MAX_COLUMNS} (expected at most {MAX_COLUMNS} columns)",
                line=n,
                row_word="row",
            )
        if n > MAX_ROWS + 1:
            return [], error(
                source, f"has more than {MAX_ROWS:,} rows (expected a year's table)", line=n, row_word="row"
            )
        rows.append(cells[:MAX_COLUMNS])
    return rows, None


def read_file(path: Path, source: str, expected: str, limit: int = MAX_BYTES) -> tuple[bytes | None, Problem | None]:
    """The bytes of ``path``, or why it cannot be read: a folder, a device, a broken
    or looping link, no permission, over ``limit`` bytes. ``expected`` says what it
    should be. Nothing is opened before it is known to be a regular file (a pipe
    would hang)."""
    try:
        st = path.stat()  # follows links
    except FileNotFoundError:
        if path.is_symlink():
            return None, error(source, f"is a link to {os.readlink(path)}, which does not exist (expected {expected})")
        return None, error(source, f"disappeared while being read (expected {expected})")
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return None, error(source, f"is a link that loops back on itself (expected {expected})")
        return None, error(source, f"cannot be read: {exc.strerror} (expected {expected})")
    if stat.S_ISDIR(st.st_mode):
        return None, error(source, f"is a folder (expected {expected})")
    if not stat.S_ISREG(st.st_mode):
        return None, error(source, f"is not a regular file but a device, pipe or socket (expected {expected})")
    if st.st_size > limit:
        return None, error(source, f"is {st.st_size:,} bytes (expected {expected} of at most {limit:,} bytes)")
    try:
        with open(path, "rb") as f:
            raw = f.read(limit + 1)
    except OSError as exc:
        return None, error(source, f"cannot be read: {exc.strerror} (expected {expected})")
    if len(raw) > limit:
        return None, error(source, f"is over {limit:,} bytes (expected {expected} of at most {limit:,} bytes)")
    return raw, None


def _misnamed(folder: Path) -> list[Problem]:
    """Files named like an input but in other letters' case (``Incidents.csv``,
    ``data.XLSX``): they would be passed over without a word on Linux."""
    names = {n.casefold(): n for n in ("scheme.yaml", *(f"{t}.csv" for t in TABLE_NAMES))}
    problems = []
    try:
        entries = sorted(os.listdir(folder))
    except OSError as exc:
        return [error(str(folder), f"cannot be listed: {exc.strerror} (expected a year's data folder)")]
    for entry in entries:
        meant = names.get(entry.casefold())
        if meant is None and entry.casefold().endswith(".xlsx") and not entry.endswith(".xlsx"):
            meant = entry[:-5] + ".xlsx"
        if meant is not None and meant != entry:
            problems.append(
                error(
                    entry,
                    f"is named like {meant} but in other letters' case (expected the name {meant} exactly: rename it)",
                )
            )
    return problems


def _is_file(path: Path) -> bool:
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return False


def read_folder(folder: Path) -> Inputs:
    """Read every input of a year's folder; report what is missing or unreadable."""
    problems: list[Problem] = []
    hashes: dict[str, str] = {}
    if not folder.is_dir():
        return Inputs(None, {}, {}, [error(str(folder), "is not a folder (expected a year's data folder)")])

    def raw_of(path: Path, expected: str, limit: int = MAX_BYTES) -> bytes | None:
        """The file's bytes, hashed; None after noting why it cannot be read. A file
        that is there but cannot be read is an error, never a file left out."""
        raw, problem = read_file(path, path.name, expected, limit)
        if problem is not None:
            problems.append(problem)
            return None
        hashes[path.name] = hashlib.sha256(raw).hexdigest()
        return raw

    problems += _misnamed(folder)
    scheme_text = None
    scheme_path = folder / "scheme.yaml"
    if os.path.lexists(scheme_path):
        raw = raw_of(scheme_path, "the year's scheme, a YAML text file", MAX_SCHEME_BYTES)
        if raw is not None:
            scheme_text, _, problem = decode(raw, "scheme.yaml")
            if problem:
                problems.append(problem)
    else:
        problems.append(error("scheme.yaml", "is missing (expected the year's scheme, SPEC §4)"))

    # A name that exists counts, even a folder or a broken link: it is an error, not an absent table.
    csvs = {name: folder / f"{name}.csv" for name in TABLE_NAMES if os.path.lexists(folder / f"{name}.csv")}
    books = sorted(p for p in folder.glob("*.xlsx") if not p.name.startswith("~$"))
    tables: dict[str, Table] = {}
    unreadable: set[str] = set()
    workbook = None
    broken = [p for p in books if not _is_file(p)]
    if broken:  # a folder or broken link named like a workbook: an error of its own
        for path in broken:
            raw_of(path, "an .xlsx workbook file")
        books = [p for p in books if p not in broken]
        if not books and not csvs:
            unreadable = set(TABLE_NAMES)  # not "departments.csv is missing" as well
    if books and csvs:
        problems.append(
            error(
                books[0].name,
                "is a workbook beside CSV tables "
                f"({', '.join(p.name for p in csvs.values())}) (expected either CSV files or one workbook, "
                "not both: move one of them away)",
            )
        )
    elif len(books) > 1:
        problems.append(
            error(
                str(folder),
                f"holds {len(books)} workbooks ({', '.join(b.name for b in books)}) "
                "(expected one workbook with a sheet per table)",
            )
        )
    elif books:
        workbook = books[0].name
        raw = raw_of(books[0], "an .xlsx workbook file")
        if raw is None:
            unreadable = set(TABLE_NAMES)
        else:
            tables, found, unreadable = read_workbook(raw, workbook)
            problems += found
    else:
        for name, path in csvs.items():
            raw = raw_of(path, "a CSV file")
            if raw is None:
                unreadable.add(name)
                continue
            text, encoding, problem = decode(raw, path.name)
            if problem:
                problems.append(problem)
                unreadable.add(name)
                continue
            frame, found = parse_csv(text, name, path.name)
            problems += found
            if frame is not None:
                tables[name] = Table(name, path.name, frame, "line", encoding, plain_text(text))
            else:
                unreadable.add(name)
    return Inputs(scheme_text, tables, hashes, problems, workbook, unreadable)
