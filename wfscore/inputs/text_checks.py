"""Text that no person typed on purpose: control characters and over-long cells.

A cell may not hold a C0 or C1 control character (NUL, ESC, DEL, ...) or a
bidirectional control (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069, which
turn text around on screen, so that ``exe.txt`` can look like ``txt.exe``). A tab is
allowed anywhere; a line break only in the free-text columns (an exemption's
``reason``, an incident's ``description``, an achievement's ``title``: Excel writes
Alt+Enter as one). A cell may not be longer than ``MAX_CELL`` characters. Each bad
cell is an error naming the file, line and column, with the value shown escaped.

The checks run on whole columns with pandas' string methods, never cell by cell; a
table read from a CSV text that holds none of those characters
(:func:`wfscore.inputs.characters.plain_text`, the ``plain`` of a
:class:`~wfscore.inputs.files.Table`) is not looked at again.
"""

from __future__ import annotations

import re

import pandas as pd

from wfscore.inputs.characters import CONTROL, CONTROL_OR_BREAK
from wfscore.inputs.files import MAX_CELL, Table
from wfscore.inputs.problems import Problem, error

FREE_TEXT = {"exemptions": {"reason"}, "incidents": {"description"}, "achievements": {"title"}}


def _excerpt(text: str, at: int) -> str:
    """Up to 40 characters around position ``at``, with … where cut."""
    start, end = max(0, at - 20), min(len(text), at + 20)
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


# The ASCII characters of each pattern, deleted from a column's text as bytes: a column of
# ASCII text (what large tables hold) is checked in one pass without a regular expression.
_ASCII = {
    CONTROL: bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F]),
    CONTROL_OR_BREAK: bytes([*range(0x00, 0x09), *range(0x0A, 0x20), 0x7F]),
}


def _clean(cells, pattern: re.Pattern) -> bool:
    """Whether no cell of ``cells`` has a character of ``pattern`` or more than MAX_CELL characters."""
    texts = cells if pd.api.types.infer_dtype(cells, skipna=False) == "string" else list(map(str, cells))
    joined = "".join(texts)
    if joined.isascii():
        raw = joined.encode("ascii")
        if len(raw.translate(None, _ASCII[pattern])) != len(raw):
            return False
    elif pattern.search("".join(set(joined))) is not None:
        return False
    return len(joined) <= MAX_CELL or max(map(len, texts), default=0) <= MAX_CELL


def check_text(table: Table) -> list[Problem]:
    """An error for every cell (and header cell) of ``table`` with a control character,
    and for every cell over ``MAX_CELL`` characters."""
    if table.plain:
        return []  # read from a plain text: no cell to find (Table.plain)
    frame = table.frame
    free = FREE_TEXT.get(table.name, set())
    problems: list[Problem] = []
    for n, column in enumerate(frame.columns):
        found = CONTROL_OR_BREAK.search(str(column))
        if found:
            problems.append(
                error(
                    table.source,
                    f"is a column name with a control character (U+{ord(found.group()):04X}) (expected plain text)",
                    line=1,
                    value=_excerpt(str(column), found.start()),
                    row_word=table.row_word,
                )
            )
        pattern = CONTROL if column in free else CONTROL_OR_BREAK
        # The distinct characters of the whole column, and its longest cell: only a column
        # with a find is looked at cell by cell.
        if _clean(frame.iloc[:, n].to_numpy(dtype=object), pattern):
            continue
        cells = frame.iloc[:, n].astype(str)
        bad = cells.str.contains(pattern, regex=True)
        long = cells.str.len() > MAX_CELL
        for line, text in cells[bad].items():
            found = pattern.search(text)
            problems.append(
                error(
                    table.source,
                    f"has a control character (U+{ord(found.group()):04X}), which "
                    "no one types on purpose (expected plain text: no control, escape or "
                    "text-direction characters)",
                    line=int(line),
                    column=str(column),
                    value=_excerpt(text, found.start()),
                    row_word=table.row_word,
                )
            )
        for line, text in cells[long & ~bad].items():
            problems.append(
                error(
                    table.source,
                    f"is {len(text):,} characters long (expected a cell of at most {MAX_CELL:,} characters)",
                    line=int(line),
                    column=str(column),
                    value=_excerpt(text, 0),
                    row_word=table.row_word,
                )
            )
    return problems


def control_in_text(text: str) -> re.Match | None:
    """The first control character of ``text`` that is not tab or a line break."""
    return CONTROL.search(text)
