"""The files of a year's ``monitoring/`` folder: appended to safely, read back checked.

``probes.csv`` gets one row per website probe, appended as each probe ends. Each row
goes in as one ``write`` of a whole line, flushed and synced to the disk before the
next, under a lock file (``.probes.csv.lock``) that two runs share: a run killed at
any moment leaves every row it wrote whole and loses none of them. A line cut short
by a machine that lost power mid-write (the only way a half row can be left) is cut
off by the next run before it appends, and skipped, with a warning, by every reading.

Every cell written is made inert: control characters shown as escapes, text that a
spreadsheet would run as a formula given a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path
from typing import Iterable, Sequence

import pandas as pd

from wfscore.inputs.files import decode, parse_csv, read_file
from wfscore.inputs.inert import plain
from wfscore.inputs.output import inert_cell
from wfscore.inputs.problems import Problem, error, warning

FOLDER = "monitoring"
PROBES = "probes.csv"
PROBE_COLUMNS = ("dept_id", "time", "url", "status", "ms", "tls", "gov_cn", "ok", "note")
LOCK_WAIT = 60.0  # seconds a run waits for another to finish its row


def folder_of(year_dir: Path | str) -> Path:
    return Path(year_dir) / FOLDER


def cell(value: object) -> str:
    """``value`` as a cell of a monitoring file: text, control characters as escapes,
    formula-leading text inert."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(inert_cell(plain(value)))


def line_of(values: Sequence[object]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow([cell(v) for v in values])
    return out.getvalue()


def file_lock(path: Path):
    from filelock import FileLock  # imported when a command first writes: not at start-up

    return FileLock(str(path.with_name("." + path.name + ".lock")), timeout=LOCK_WAIT)


def _cut_half_line(f) -> bool:
    """Cut off a last line with no line end (a write cut short); whether one was."""
    f.seek(0, os.SEEK_END)
    size = f.tell()
    if size == 0:
        return False
    f.seek(size - 1)
    if f.read(1) == b"\n":
        return False
    step = 4096
    end = size
    while end > 0:
        start = max(0, end - step)
        f.seek(start)
        chunk = f.read(end - start)
        at = chunk.rfind(b"\n")
        if at >= 0:
            f.truncate(start + at + 1)
            return True
        end = start
    f.truncate(0)
    return True


class Appender:
    """Appends rows to one monitoring file, each one whole and on the disk before the
    call returns; the header goes first into a new or empty file."""

    def __init__(self, path: Path, columns: Sequence[str]):
        self.path = Path(path)
        self.columns = tuple(columns)
        self.cut = False  # whether a half line left by an earlier run was cut off

    def append(self, rows: Iterable[Sequence[object]]) -> int:
        data = "".join(line_of(r) for r in rows).encode("utf-8")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with file_lock(self.path):
            with open(self.path, "a+b") as f:
                if _cut_half_line(f):
                    self.cut = True
                f.seek(0, os.SEEK_END)
                if f.tell() == 0:
                    data = b"\xef\xbb\xbf" + line_of(self.columns).encode("utf-8") + data
                f.write(data)  # one write of whole lines
                f.flush()
                os.fsync(f.fileno())
        return len(data)


def read_records(path: Path, columns: Sequence[str], source: str) -> tuple[pd.DataFrame | None, list[Problem]]:
    """A monitoring file as a frame of text cells indexed by line (header = line 1): None
    and the errors when it cannot be read or lacks a column; a half last line is left
    out with a warning. A file that is not there is no rows."""
    if not os.path.lexists(path):
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in columns}), []
    raw, problem = read_file(path, source, "a CSV file")
    if problem is not None:
        return None, [problem]
    problems: list[Problem] = []
    if raw and not raw.endswith(b"\n"):
        cut = raw.rfind(b"\n") + 1
        line = raw[:cut].count(b"\n") + 1
        problems.append(
            warning(
                source,
                "ends in a half line, a write cut short; it is left out (the next probe run cuts it off)",
                line=line,
                message_zh="以半行结尾（写入中断所致），此行不计（下次检查时会删去）",
            )
        )
        raw = raw[:cut]
    text, _, problem = decode(raw, source)
    if problem is not None:
        return None, problems + [problem]
    if not text.strip():
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in columns}), problems
    frame, found = parse_csv(text, "monitoring", source)
    problems += found
    if frame is None:
        return None, problems
    missing = [c for c in columns if c not in frame]
    if missing:
        return None, problems + [
            error(source, f"has no column {c!r} (expected the columns {', '.join(columns)})", line=1) for c in missing
        ]
    return frame, problems
