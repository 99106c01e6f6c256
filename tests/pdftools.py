"""Reading PDFs the way a person's viewer would, with poppler's command-line tools."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from helpers import need


def need_poppler() -> None:
    need(
        shutil.which("pdftotext") is not None and shutil.which("pdffonts") is not None,
        "poppler-utils (pdftotext, pdffonts; apt-get install poppler-utils)",
    )


def text(pdf: Path, page: int | None = None, raw: bool = False) -> str:
    """The PDF's text (of one page, counting from 1), in reading order; ``raw``: in the
    order it is drawn (a table cell's wrapped lines stay together)."""
    where = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", *(["-raw"] if raw else []), *where, str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout


def flat(value: str) -> str:
    """Text without white space (a table cell may wrap anywhere)."""
    return re.sub(r"\s+", "", value)


def pages(pdf: Path) -> int:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True, timeout=60).stdout
    return int(re.search(r"^Pages:\s+(\d+)", out, flags=re.M).group(1))


def fonts(pdf: Path) -> list[dict]:
    """pdffonts' table: one dict per font with its name, type and emb (yes/no)."""
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True, timeout=60).stdout
    lines = out.splitlines()
    if len(lines) < 2:
        raise AssertionError(f"pdffonts printed no table for {pdf}: {out!r}")
    rows = []
    for line in lines[2:]:
        # the columns after the name: type (may hold spaces), encoding, emb, sub, uni, object, ID
        m = re.match(
            r"^(.*?)\s+(Type 1C?|Type 3|TrueType|CID Type 0C?|CID TrueType|Type 1C \(OT\)|CID Type 0C \(OT\)|"
            r"TrueType \(OT\)|CID TrueType \(OT\))\s+(\S+)\s+(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+$",
            line,
        )
        if not m:
            raise AssertionError(f"unexpected pdffonts line: {line!r}")
        rows.append({"name": m.group(1), "type": m.group(2), "emb": m.group(4)})
    return rows


def image_pages(pdf: Path) -> set[int]:
    """The pages (from 1) that draw at least one image."""
    out = subprocess.run(
        ["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    return {int(line.split()[0]) for line in out.splitlines()[2:] if line.strip()}


def words(pdf: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """Every word of every page as poppler places it (``pdftotext -bbox``): per page, a list
    of (xMin, yMin, xMax, yMax, text) in points from the page's top left."""
    import html

    out = subprocess.run(
        ["pdftotext", "-bbox", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True, timeout=120
    ).stdout
    found: list[list[tuple[float, float, float, float, str]]] = []
    for page in re.split(r"<page\b", out)[1:]:
        found.append(
            [
                (float(a), float(b), float(c), float(d), html.unescape(w))
                for a, b, c, d, w in re.findall(
                    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', page
                )
            ]
        )
    return found


def overlapping_words(pdf: Path, slack: float = 0.5) -> list[tuple[int, str, str]]:
    """The pairs of words whose boxes intersect, as (page from 1, word, other word): text
    printed over other text. Boxes that only touch, or overlap by less than ``slack``
    points either way (the font's ascent and descent of neighbouring lines), do not count."""
    clashes = []
    for number, page in enumerate(words(pdf), start=1):
        boxes = sorted(page)  # by xMin: only boxes starting before one ends can meet it
        for i, (x0, y0, x1, y1, text) in enumerate(boxes):
            for a0, b0, a1, b1, other in boxes[i + 1 :]:
                if a0 >= x1 - slack:
                    break
                if min(x1, a1) - max(x0, a0) > slack and min(y1, b1) - max(y0, b0) > slack:
                    clashes.append((number, text, other))
    return clashes
