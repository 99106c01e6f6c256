"""The bundled CJK font embedded in a page: a WOFF2 subset holding only the page's glyphs.

A page that names "Noto Sans CJK SC" shows empty boxes on a machine without that
font. :func:`embed_font` puts the font into the page itself: it keeps, with
fontTools, only the characters the page holds (plus printable ASCII), compresses
them as WOFF2 (brotli) and adds them as a base64 ``@font-face`` at the top of the
page's styles, first in every font stack. Nothing is fetched from the network.

Subsetting the 16 MB OpenType file takes about a second, most of it reading the
file; :class:`FontSubsetter` reads it once and cuts a first subset for many pages
together (:meth:`FontSubsetter.prepare`), from which each page's own subset is cut
in milliseconds (the feedback cards: 129 pages, one read).
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
    options.layout_features = ["*"]  # keep kerning, vertical forms, ligatures the page may use
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
    out = io.BytesIO()
    font.flavor = flavor
    font.save(out)
    return out.getvalue()


def page_chars(html: str) -> set[str]:
    """The characters a page may draw: every character of its source outside data: URIs
    and base64 payloads (tags and attributes are ASCII, which is always kept)."""
    text = re.sub(r"data:[^\"')\s]+", "", html)
    return set(text) | set(ASCII)


class FontSubsetter:
    """Cuts WOFF2 subsets of the bundled font; :meth:`prepare` first for many pages."""

    def __init__(self):
        self._base: bytes | None = None
        self._chars: set[str] = set()

    def prepare(self, texts) -> None:
        """Read the big font once and keep a subset holding every character of ``texts``."""
        chars = set(ASCII)
        for text in texts:
            chars |= page_chars(text)
        self._base = _subset(None, chars, flavor=None)
        self._chars = chars

    def woff2(self, chars: set[str]) -> bytes:
        if self._base is not None and chars <= self._chars:
            return _subset(self._base, chars)
        return _subset(None, chars)

    def font_face(self, html: str) -> str:
        """A ``<style>`` with the font as a base64 WOFF2 ``@font-face`` for ``html``'s glyphs."""
        data = base64.b64encode(self.woff2(page_chars(html))).decode("ascii")
        return (f'{MARK}<style type="text/css">@font-face {{ font-family: "{FAMILY}"; '
                f'src: url(data:font/woff2;base64,{data}) format("woff2"); font-weight: 100 900; '
                f'font-style: normal; }}\n:root {{ --wf-embedded-font: "{FAMILY}"; }}</style>')

    def embed(self, html: str) -> str:
        """``html`` with the font embedded: the ``@font-face`` first in ``<head>``, and the
        family put first in every ``font-family`` of the page's own styles."""
        if MARK in html:
            return html
        html = _FAMILY_RE.sub(lambda m: f"{m.group(1)}{FAMILY}, ", html)
        face = self.font_face(html)
        head = re.search(r"<head[^>]*>", html, flags=re.I)
        if head is None:
            return face + html
        return html[:head.end()] + face + html[head.end():]


# "font-family:" and "--wf-font:" (the report's and the cards' font stacks) start with ours
_FAMILY_RE = re.compile(r"((?:--wf-font|font-family)\s*:\s*)(?!var\(|inherit|initial|unset|revert|monospace)(?!"
                        + FAMILY + ")")


@cache
def _default() -> FontSubsetter:
    return FontSubsetter()


def embed_font(html: str) -> str:
    """``html`` with a WOFF2 subset of the bundled CJK font embedded (see the module)."""
    return _default().embed(html)
