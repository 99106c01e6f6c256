"""The Chinese of wfscore's English messages: input problems and command errors.

Messages are written in English where they are found (the pinned texts of the
tests); this catalogue turns each into Chinese when a person reads them under
``--lang zh``. Every value a message quotes (file, line, column, cell, ids) is
carried over exactly.
"""

from __future__ import annotations

import re

# (pattern over the whole English message, Chinese template using the pattern's groups)
CATALOGUE: list[tuple[re.Pattern[str], str]] = []


def to_zh(message: str) -> str | None:
    """The Chinese of ``message``, or None when the catalogue has none."""
    for pattern, template in CATALOGUE:
        found = pattern.fullmatch(message)
        if found:
            return found.expand(template)
    return None


def in_lang(message: str, lang: str) -> str:
    """``message`` in ``lang``: the catalogue's Chinese under ``zh`` (English where it has none)."""
    return (to_zh(message) or message) if lang == "zh" else message


def where_zh(problem) -> str:
    """Where a problem is, in Chinese: ``values.csv 第 5 行，value 列``."""
    where = problem.source
    if problem.line is not None:
        where += f" 第 {problem.line} 行"
    if problem.column is not None:
        where += f"，{problem.column} 列"
    return where
