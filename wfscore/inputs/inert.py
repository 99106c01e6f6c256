"""Text from the year's files made inert where it is shown: the terminal and HTML.

A department name (or a reason, a title) comes from another office's file and may
hold characters that act instead of showing: an ANSI escape (``\\x1b[2J`` clears a
terminal), a carriage return that overwrites the line, a right-to-left override
(U+202E) that reverses what follows. :func:`terminal` and :func:`html` show such
characters as visible escapes (``\\x1b``, ``\\u202e``), the way Python's ``repr``
does, so that what a person reads is what the file holds. Spreadsheet formulas
are a different danger: :func:`wfscore.inputs.output.inert_cell`.
"""

from __future__ import annotations

import html as _html
import re

# C0 controls (tab and line feed are kept where a text is laid out in lines), DEL,
# C1 controls, and the characters that change the direction or joining of the text
# around them: marks, embeddings, overrides, isolates.
_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_ACTIVE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f" + _BIDI + "]")
_ACTIVE_LINES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f" + _BIDI + "\t\n]")


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal(text: object, lines: bool = True) -> str:
    """``text`` for a terminal: every control character and bidirectional override shown
    as an escape (``\\x1b``, ``\\u202e``). With ``lines`` (the default) tabs and line
    feeds are kept, for a text laid out by the program; without, they are escaped too."""
    return (_ACTIVE if lines else _ACTIVE_LINES).sub(_escape, str(text))


def html(text: object) -> str:
    """``text`` escaped for HTML (``<``, ``&``, quotes) with control characters and
    bidirectional overrides shown as escapes, so that the page shows what the file holds
    (tabs and line feeds, plain white space in HTML, are kept)."""
    return _html.escape(_ACTIVE.sub(_escape, str(text)), quote=True)


def frame(table):
    """A copy of the pandas ``table`` with :func:`plain` applied to its text cells and
    column names, for a table that pandas renders (``to_html`` escapes only the markup)."""
    from pandas.api.types import is_string_dtype

    out = table.copy()
    for column in out.columns:
        if out[column].dtype == object or is_string_dtype(out[column]):
            out[column] = out[column].map(lambda v: plain(v) if isinstance(v, str) else v)
    out.columns = [plain(c) if isinstance(c, str) else c for c in out.columns]
    return out


def plain(text: object) -> str:
    """``text`` with its control characters and overrides as escapes, for any other place
    that shows text (a chart's label, a workbook cell); line breaks are escaped too."""
    return _ACTIVE_LINES.sub(_escape, str(text))
