"""Text tables for a terminal, aligned by display width.

A terminal shows East Asian wide and full-width characters (汉字, full-width
punctuation) in two cells and combining marks in none; ``len`` counts each as one, so
a table padded with ``str.ljust`` goes out of line as soon as a name is Chinese.
:func:`width` asks :mod:`wcwidth` (the widths terminals themselves use) and
:func:`table` pads by it.
"""

from __future__ import annotations

from typing import Sequence

from wcwidth import wcswidth, wcwidth


def width(text: str) -> int:
    """Cells ``text`` takes on a terminal (a character with no defined width, such as a
    control character, counts as one)."""
    if text.isascii() and text.isprintable():
        return len(text)
    n = wcswidth(text)
    if n >= 0:
        return n
    return sum(max(wcwidth(ch), 0) if wcwidth(ch) >= 0 else 1 for ch in text)


def pad(text: str, cells: int, right: bool = False) -> str:
    """``text`` padded with spaces to ``cells`` display cells (on the left when ``right``)."""
    fill = " " * max(cells - width(text), 0)
    return fill + text if right else text + fill


def table(
    header: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[bool] | None = None, gap: str = "  "
) -> str:
    """``rows`` under ``header`` as aligned lines; columns flagged in ``right`` are
    right-aligned (numbers), the others left-aligned. Trailing spaces are dropped."""
    right = list(right) if right is not None else [False] * len(header)
    cols = [[str(h)] + [str(r[c]) for r in rows] for c, h in enumerate(header)]
    widths = [max(width(x) for x in col) for col in cols]
    lines = []
    for n in range(len(rows) + 1):
        cells = [pad(cols[c][n], widths[c], right[c]) for c in range(len(header))]
        lines.append(gap.join(cells).rstrip())
    return "\n".join(lines)
