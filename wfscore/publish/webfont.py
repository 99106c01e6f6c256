"""The bundled CJK font embedded in a page: a WOFF2 subset holding only the page's glyphs.

A page that names "Noto Sans CJK SC" shows empty boxes on a machine without that
font. :func:`embed_font` puts the font into the page itself: it keeps, with
fontTools, only the characters the page holds (plus printable ASCII), compresses
them as WOFF2 (brotli) and adds them as a base64 ``@font-face`` at the top of the
page's styles, first in every font stack. Nothing is fetched from the network.

The subset's outlines are converted from CFF (cubic) to TrueType (quadratic, fontTools'
``cu2qu``, within 1 unit of 1000): chromium embeds a TrueType font in a PDF as a CID
TrueType subset, but draws a CFF one as Type 3 glyphs, which are four times larger,
print less crisply and fail PDF/A-style checks.

Subsetting the 16 MB OpenType file takes one to three seconds (reading it, then
brotli at its best setting), so a set of pages made from one template (the 129
feedback cards) shares one subset: the glyphs of all of them
(:meth:`FontSubsetter.shared_face`); a card uses most of them anyway.
"""

from __future__ import annotations

import base64
import io
import re
from functools import cache

from wfscore.publish.fonts import font_path

FAMILY = "WFNotoSansCJKSC"  # a name of our own (never a system copy by mistake); one identifier, no quotes
ASCII = "".join(chr(c) for c in range(0x20, 0x7F))
MARK = "<!-- wf-webfont -->"


def _options(flavor: str | None, first: bool):
    from fontTools import subset

    options = subset.Options()
    options.flavor = flavor
    options.layout_features = ["kern", "liga", "locl", "palt"]  # not "*": vertical forms pull in thousands of glyphs
    options.name_IDs = ["*"]
    options.notdef_outline = True
    # the first cut (from the big file) drops hints and subroutines; a cut of a cut keeps
    # what is left and skips recomputing bounds: four times faster
    options.hinting = not first
    options.desubroutinize = first
    options.recalc_bounds = first
    return options


def _subset(font_bytes: bytes | None, chars: set[str], flavor: str | None = "woff2") -> bytes:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    first = font_bytes is None
    font = TTFont(str(font_path()) if first else io.BytesIO(font_bytes), recalcBBoxes=first)
    sub = subset.Subsetter(_options(flavor, first))
    sub.populate(unicodes={ord(c) for c in chars})
    sub.subset(font)
    if "CFF " in font:
        to_truetype(font)
    out = io.BytesIO()
    font.flavor = flavor
    font.save(out)
    return out.getvalue()


def to_woff2(truetype: bytes) -> bytes:
    """A TrueType font (:func:`_subset` with ``flavor=None``) as WOFF2: the same glyphs,
    compressed (brotli at its best setting, most of a subset's time)."""
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(truetype))
    font.flavor = "woff2"
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def to_truetype(font, max_err: float = 1.0) -> None:
    """Turn ``font``'s CFF outlines into TrueType ones, in place (fontTools' otf2ttf
    recipe: each glyph drawn through a cubic-to-quadratic pen into a ``glyf`` table)."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    order = font.getGlyphOrder()
    glyphs = font.getGlyphSet()
    quadratic = {}
    for name in order:
        pen = TTGlyphPen(glyphs)
        glyphs[name].draw(Cu2QuPen(pen, max_err, reverse_direction=True))
        quadratic[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = quadratic
    for tag in ("CFF ", "VORG"):
        if tag in font:
            del font[tag]
    glyf.compile(font)
    hmtx = font["hmtx"]
    for name, glyph in quadratic.items():  # the left side bearing is the outline's xMin in TrueType
        hmtx[name] = (hmtx[name][0], getattr(glyph, "xMin", 0))
    font["maxp"] = maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for field in (
        "maxZones",
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, field, 0)
    maxp.maxZones = 1
    maxp.compile(font)
    post = font["post"]
    post.formatType = 3.0  # no glyph names: the PDF and the browser go by glyph ids
    post.extraNames, post.mapping = [], {}
    font.sfntVersion = "\x00\x01\x00\x00"


# \u4e2d in a script (json.dumps of a label) and \4e2d in a style (CSS content) stand for
# characters the page shows without holding them literally
_ESCAPED = re.compile(r"\\u([0-9a-fA-F]{4})|\\([0-9a-fA-F]{4,6})(?![0-9a-fA-F])")


def page_chars(html: str) -> set[str]:
    """The characters a page may draw: every character of its source outside data: URIs
    and base64 payloads (tags and attributes are ASCII, which is always kept), and those
    its scripts and styles write as escapes (``\\u641c``, ``\\641c``)."""
    text = re.sub(r"data:[^\"')\s]+", "", html)
    codes = (int(a or b, 16) for a, b in _ESCAPED.findall(text))
    escaped = {chr(c) for c in codes if c <= 0x10FFFF}
    return set(text) | escaped | set(ASCII)


class FontSubsetter:
    """Cuts WOFF2 subsets of the bundled font: one per page, or one for a set of pages."""

    def woff2(self, chars: set[str]) -> bytes:
        return _subset(None, chars)

    def font_face(self, html: str) -> str:
        """A ``<style>`` with the font as a base64 WOFF2 ``@font-face`` for ``html``'s glyphs."""
        return _face(self.woff2(page_chars(html)))

    def shared_face(self, pages) -> str:
        """One ``<style>`` for a set of pages: the glyphs of all of them (each page of a set
        made from one template uses most of them)."""
        chars = set(ASCII)
        for text in pages:
            chars |= page_chars(text)
        return _face(_subset(None, chars))

    def embed(self, html: str, face: str | None = None) -> str:
        """``html`` with the font embedded: the ``@font-face`` (``face``, or one cut for this
        page) first in ``<head>``, and the family put first in every ``font-family`` of the
        page's own styles."""
        if MARK in html:
            return html
        html = _FAMILY_RE.sub(lambda m: f"{m.group(1)}{FAMILY}, ", html)
        return _put_face(html, face or self.font_face(html))


def _face(woff2: bytes, flavor: str = "woff2") -> str:
    data = base64.b64encode(woff2).decode("ascii")
    mime, form = ("font/woff2", "woff2") if flavor == "woff2" else ("font/ttf", "truetype")
    return (
        f'{MARK}<style type="text/css">@font-face {{ font-family: "{FAMILY}"; '
        f'src: url(data:{mime};base64,{data}) format("{form}"); font-weight: 100 900; '
        f"font-style: normal; }}</style>"
    )


class PageFont:
    """One page's subset, cut once and embedded in two steps: at once as TrueType
    (:meth:`printing`: quick to write, for the browser that prints the page), and as WOFF2
    (:meth:`published`, the page people open) while the page prints. The glyphs are the
    same (:meth:`FontSubsetter.embed` writes the same WOFF2 in one step)."""

    def __init__(self, html: str):
        self.done = MARK in html  # embedded already: left as it is
        self.html = html if self.done else _FAMILY_RE.sub(lambda m: f"{m.group(1)}{FAMILY}, ", html)
        self.truetype = None if self.done else _subset(None, page_chars(self.html), flavor=None)

    def printing(self) -> str:
        """The page with the subset as a TrueType ``@font-face``."""
        return self.html if self.done else _put_face(self.html, _face(self.truetype, None))

    def published(self) -> str:
        """The page with the subset as a WOFF2 ``@font-face``, as :func:`embed_font` embeds it."""
        return self.html if self.done else _put_face(self.html, _face(to_woff2(self.truetype)))


def _put_face(html: str, face: str) -> str:
    head = re.search(r"<head[^>]*>", html, flags=re.I)
    if head is None:
        return face + html
    return html[: head.end()] + face + html[head.end() :]


# "font-family:" and "--wf-font:" (the report's and the cards' font stacks) start with ours
_FAMILY_RE = re.compile(
    r"((?:--wf-font|font-family)\s*:\s*)(?!\s|var\(|inherit|initial|unset|revert|monospace)(?!" + FAMILY + ")"
)


@cache
def _default() -> FontSubsetter:
    return FontSubsetter()


def embed_font(html: str) -> str:
    """``html`` with a WOFF2 subset of the bundled CJK font embedded (see the module)."""
    return _default().embed(html)
