"""The CJK font embedded in pages: a WOFF2 subset with the page's glyphs, nothing fetched."""

from __future__ import annotations

import base64
import io
import re

from fontTools.ttLib import TTFont

from wfscore.publish import webfont

PAGE = (
    "<html><head><style>body { font-family: Arial, sans-serif; } p { font-family: inherit; }</style>"
    '</head><body><p>潍坊市 总分 987.65</p><img src="data:image/png;base64,QUJD鑫"></body></html>'
)


def embedded_font(html: str) -> TTFont:
    data = re.search(r"url\(data:font/woff2;base64,([A-Za-z0-9+/=]+)\)", html).group(1)
    return TTFont(io.BytesIO(base64.b64decode(data)))


def test_the_subset_holds_the_page_glyphs_and_no_others():
    page = webfont.embed_font(PAGE)
    font = embedded_font(page)
    assert font.flavor == "woff2"
    cmap = font.getBestCmap()
    for ch in "潍坊市总分987.65" + webfont.ASCII:
        assert ord(ch) in cmap, ch
    assert ord("考") not in cmap  # not on the page
    assert ord("鑫") not in cmap  # only inside a data: URI
    assert len(cmap) < 200


def test_the_family_comes_first_where_a_font_is_named():
    page = webfont.embed_font(PAGE)
    assert f"font-family: {webfont.FAMILY}, Arial, sans-serif;" in page
    assert "font-family: inherit;" in page  # a keyword stays alone (a list would be invalid CSS)
    assert page.index("@font-face") < page.index("<style>body")
    assert webfont.embed_font(page) == page  # once only


def test_nothing_is_fetched():
    page = webfont.embed_font(PAGE)
    assert "http:" not in page and "https:" not in page and "url(//" not in page


def test_a_shared_subset_covers_every_page_of_a_set():
    pages = ["<html><head></head><body>甲乙</body></html>", "<html><head></head><body>丙丁</body></html>"]
    cutter = webfont.FontSubsetter()
    face = cutter.shared_face(pages)
    cmap = embedded_font(cutter.embed(pages[0], face)).getBestCmap()
    assert all(ord(ch) in cmap for ch in "甲乙丙丁")


def test_the_subset_is_truetype_and_holds_what_scripts_write_as_escapes():
    page = (
        '<html><head></head><body><script>input.placeholder = "\\u641c\\u7d22\\u90e8\\u95e8";</script>'
        '<style>th::after { content: "\\70b9"; }</style>总分</body></html>'
    )
    font = embedded_font(webfont.embed_font(page))
    assert "glyf" in font and "CFF " not in font  # chromium embeds TrueType as CID TrueType, CFF as Type 3
    cmap = font.getBestCmap()
    for ch in "搜索部门点总分":
        assert ord(ch) in cmap, ch


def test_a_page_font_is_cut_once_for_printing_and_for_the_page():
    """PageFont: the page as embed_font writes it (apart from the font's bytes, whose time
    stamp changes) with the same glyphs in WOFF2, and for printing the same glyphs in TrueType."""
    html = "<html><head><style>body { font-family: sans-serif; }</style></head><body>考核结果 排名 ABC</body></html>"
    whole = webfont.embed_font(html)
    font = webfont.PageFont(html)
    published, printing = font.published(), font.printing()
    blob = re.compile(r"data:font/(woff2|ttf);base64,[A-Za-z0-9+/=]+")
    assert blob.sub("", published) == blob.sub("", whole)
    assert 'format("truetype")' in printing and blob.sub("", printing).replace("truetype", "woff2") == blob.sub(
        "", whole
    )

    def decoded(page: str) -> TTFont:
        return TTFont(io.BytesIO(base64.b64decode(blob.search(page).group(0).split(",", 1)[1])))

    def glyphs(page: str) -> dict:
        font = decoded(page)
        glyf = font["glyf"]
        return {
            name: glyf[name].getCoordinates(glyf)[0].array.tobytes() if glyf[name].numberOfContours else b""
            for name in font.getGlyphOrder()
        }

    assert glyphs(published) == glyphs(whole) == glyphs(printing)
    assert decoded(printing).flavor is None and decoded(published).flavor == "woff2"
    assert webfont.PageFont(whole).published() == whole  # embedded already: left as it is
