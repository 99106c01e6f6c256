"""The characters no one types on purpose, as :mod:`wfscore.inputs.text_checks` refuses them.

C0 and C1 control characters (NUL, ESC, DEL, ...) and the bidirectional controls
(U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069). Tab is allowed anywhere; line
breaks (line feed, carriage return, U+2028, U+2029) only in free-text columns. Here,
below the reading of files, so that reading can tell a text that holds none of them.
"""

from __future__ import annotations

import re

_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
# Every control but tab, line feed and carriage return; those two are allowed in free text only.
CONTROL = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_BIDI}]")
CONTROL_OR_BREAK = re.compile(f"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029{_BIDI}]")

# What a CSV text may not hold for its cells to need no look: a quote (a quoted cell may hold
# a line break) and every character refused in some cell (tab, line feed and carriage
# return end a cell or a line).
_NOT_PLAIN = re.compile(f'["\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029{_BIDI}]')
_NOT_PLAIN_ASCII = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x22, 0x7F])


def plain_text(text: str) -> bool:
    """Whether no cell (and no header cell) of the CSV ``text`` can hold a character that
    :func:`wfscore.inputs.text_checks.check_text` refuses: ``text`` has no quote and no control character but tab
    and line breaks. The whole text is looked at once, as bytes when it is ASCII."""
    if text.isascii():
        raw = text.encode("ascii")
        return len(raw.translate(None, _NOT_PLAIN_ASCII)) == len(raw)
    return _NOT_PLAIN.search(text) is None
