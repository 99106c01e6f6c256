"""One cell of a CSV table changed, and every other byte kept.

The adjustments desk writes its decisions back to the year's own files. A file is
changed one record at a time: the records that do not change keep their exact text
(quoting, spaces, line ends), and the one that does is written back with the csv
module, ended as it was. :func:`edit_frame` is the same edit on a loaded table, for
previews: loading the text :func:`edit_text` returns gives the frame it returns.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass

import pandas as pd

from wfscore.inputs.aliases import severity_id, spec_header
from wfscore.inputs.validation import FALSE_WORDS, SEVERITIES, TRUE_WORDS

# A confirmed column added to a file that had none: every existing row counted, and still does.
FILL = {"confirmed": "true"}
# Number cells a dispute may correct, with the range the loader accepts whatever the scheme.
NUMBER_FIELDS = {"value": (-math.inf, math.inf), "rating": (0.0, 100.0)}
WORD_PAIRS = (("true", "false"), ("yes", "no"), ("1", "0"), ("是", "否"))


class EditError(ValueError):
    """An edit that cannot be made (a line that is not a row)."""


def _styled(word: str, like: str) -> str:
    like = like.strip()
    if like.isupper():
        return word.upper()
    if like.istitle() and like.isascii():
        return word.title()
    return word


def cell_text(field: str, value: bool | str, like: str = "") -> str:
    """The text to write for ``value`` (True/False for ``confirmed``, ``ordinary`` or
    ``major`` for ``severity``), in the words of the cell it replaces: ``是`` answers
    ``否``, ``NO`` answers ``YES``; ``true``/``false`` when there is nothing to go by.
    A severity is written in the SPEC's words (``major``), even where the file says 一般."""
    if field == "confirmed":
        if not isinstance(value, bool):
            raise ValueError(f"a confirmed decision is True or False, not {value!r}")
        low = like.strip().casefold()
        pair = next((p for p in WORD_PAIRS if low in p), WORD_PAIRS[0])
        return _styled(pair[0] if value else pair[1], like)
    if field == "severity":
        if value not in SEVERITIES:
            raise ValueError(f"a severity is one of {', '.join(SEVERITIES)}, not {value!r}")
        return _styled(value, like)
    if field in NUMBER_FIELDS:
        check_text(field, str(value))
        return str(value).strip()
    raise ValueError(f"the desk does not change {field!r} (expected confirmed, severity, value or rating)")


def check_text(field: str, text: str) -> None:
    """Refuse a cell text the loader would not read as ``field``: a true/false word, a
    severity, a finite number (``value``), a number 0–100 (``rating``). The limits that
    depend on the scheme (a direct value's 0–weight) are the loader's:
    :func:`wfscore.review.disputes` rebuilds the year before it writes one."""
    if field in NUMBER_FIELDS:
        low, high = NUMBER_FIELDS[field]
        try:
            number = float(text.strip())
        except ValueError:
            number = math.nan
        if not math.isfinite(number) or not low <= number <= high:
            raise ValueError(
                f"{text!r} is not a valid {field} (expected a number"
                + (f" from {low:g} to {high:g})" if math.isfinite(high) else ")")
            )
        return
    words = TRUE_WORDS | FALSE_WORDS if field == "confirmed" else set(SEVERITIES)
    if str(severity_id(text) if field == "severity" else text).casefold() not in words:
        raise ValueError(f"{text!r} is not a valid {field} (expected one of {', '.join(sorted(words))})")


@dataclass
class _Record:
    raw: str  # the record's text, line end included
    cells: list[str]  # as csv reads them, not stripped


def _records(text: str) -> list[_Record]:
    """CSV text → its records, each with its own text, so that untouched records can
    be written back exactly. Lines are split as :func:`wfscore.inputs.files.parse_csv` does."""
    consumed: list[str] = []

    def lines():
        for line in io.StringIO(text, newline=""):
            consumed.append(line)
            yield line

    records = []
    for cells in csv.reader(lines()):
        records.append(_Record("".join(consumed), cells))
        consumed.clear()
    if consumed:
        records.append(_Record("".join(consumed), []))
    assert "".join(r.raw for r in records) == text
    return records


def _write(cells: list[str], raw: str) -> str:
    """``cells`` as one CSV record, ended like ``raw`` was."""
    end = next((e for e in ("\r\n", "\n", "\r") if raw.endswith(e)), "")
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=end).writerow(cells)
    return buffer.getvalue()


def _width(header: list[str]) -> int:
    width = len(header)
    while width and not header[width - 1].strip():
        width -= 1
    return width


def _set(cells: list[str], at: int, value: str) -> list[str]:
    cells = cells + [""] * (at + 1 - len(cells))
    cells[at] = value
    return cells


def edit_text(text: str, line: int, field: str, value: str, table: str = "") -> tuple[str, str, dict[str, str]]:
    """``text`` (a table as CSV) with ``field`` of ``line`` set to ``value``.

    Returns the new text, the old cell (stripped; empty when the column is new) and
    the row's cells by column name. Only the records that change are rewritten.
    ``table`` (``values``…) lets a Chinese header stand for its SPEC column, as
    loading reads it (:mod:`wfscore.inputs.aliases`): the header is kept as written.
    """
    records = _records(text)
    header = [c.strip() for c in records[0].cells]
    width = _width(header)
    header = spec_header(table, header[:width])[0]
    if not 2 <= line <= len(records) or not any(c.strip() for c in records[line - 1].cells):
        raise EditError(f"line {line} is not a row of the table (expected a line between 2 and {len(records)})")
    was_there = field in header
    if not was_there:
        # a new last column: the header names it, every other row gets the fill value
        records[0] = _Record(_write(_set(records[0].cells[:width], width, field), records[0].raw), [])
        for n, record in enumerate(records[1:], start=1):
            if any(c.strip() for c in record.cells):
                cells = (record.cells + [""] * width)[: max(width, len(record.cells))]
                records[n] = _Record(_write(_set(cells, width, FILL[field]), record.raw), cells)
        header.append(field)
    at = header.index(field)
    target = records[line - 1]
    row = {name: (target.cells[k].strip() if k < len(target.cells) else "") for k, name in enumerate(header)}
    old = row[field] if was_there else ""
    row[field] = value
    records[line - 1] = _Record(_write(_set(target.cells, at, value), target.raw), target.cells)
    return "".join(r.raw for r in records), old, row


def edit_frame(frame: pd.DataFrame, line: int, field: str, value: str) -> pd.DataFrame:
    """What loading the file edited by :func:`edit_text` gives: ``frame`` (a table as
    loaded, index = line numbers) with one cell changed, and a new column if needed."""
    out = frame.copy()
    if field not in out:
        out[field] = FILL[field]
    out.loc[line, field] = value
    return out
