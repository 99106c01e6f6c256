"""The page layout of the notice (GB/T 9704-2012) with python-docx: :class:`Layout`.

python-docx sets page size, margins, paragraphs and runs; what it has no API for is
set in the XML (OXML): the East Asian font of a run (``w:rFonts/@w:eastAsia``), the
document grid (``w:docGrid`` linePitch and charSpace: 22 lines of 28 characters), the
PAGE field of the footer, the header row repeated on each page (``w:tblHeader``), a
row kept on one page (``w:cantSplit``), the red rule under the 文号 (a paragraph
border), and the font table's fallbacks (``w:altName``: 仿宋 for 仿宋_GB2312).
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from lxml import etree

# GB/T 9704-2012: page, margins (mm), the type sizes (pt) and faces
PAGE_MM = (210, 297)
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
LINES, CHARS = 22, 28
BODY_PT, TITLE_PT, HEADING_PT, FOOTER_PT, TABLE_PT = 16, 22, 26, 14, 10.5
FANGSONG, HEITI, KAITI, SONGTI, XBS, LATIN = (
    "仿宋_GB2312",
    "黑体",
    "楷体_GB2312",
    "宋体",
    "方正小标宋简体",
    "Times New Roman",
)
ALT_NAMES = {"仿宋_GB2312": "仿宋", "楷体_GB2312": "楷体", "方正小标宋简体": "宋体"}  # the font table's altName
RED = "FF0000"
TWIPS_PER_MM = 1440 / 25.4
TIGHTEN = -5  # twentieths of a point between the characters of the body: 28 of 16 pt to a 156 mm line


def grid() -> tuple[int, int]:
    """``w:docGrid``'s linePitch (twips) and charSpace (1/4096 pt over the font size) for
    :data:`LINES` lines of :data:`CHARS` characters of :data:`BODY_PT` on the type area."""
    height = (PAGE_MM[1] - MARGINS_MM["top"] - MARGINS_MM["bottom"]) * TWIPS_PER_MM
    width_pt = (PAGE_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"]) * 72 / 25.4
    return int(height / LINES), round((width_pt / CHARS - BODY_PT) * 4096)


def _fonts(run, east: str, latin: str = LATIN) -> None:
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for key in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(key), latin)
    fonts.set(qn("w:eastAsia"), east)


def _off_grid(p) -> None:
    """The paragraph keeps its own line spacing instead of the body's line grid (the table)."""
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    p._p.get_or_add_pPr().append(snap)


class Layout:
    """A notice being laid out: call its parts in order, then :meth:`save`."""

    def __init__(self, lang: str = "zh"):
        self.lang = lang
        self.zh = lang == "zh"
        self.doc = Document()
        self.body_pt = BODY_PT if self.zh else 12
        self.pitch = Pt(grid()[0] / 20) if self.zh else Pt(20)
        section = self.doc.sections[0]
        section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
        section.orientation = WD_ORIENT.PORTRAIT
        section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
        section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
        section.header_distance, section.footer_distance = Mm(15), Mm(22)
        self._grid(section)
        normal = self.doc.styles["Normal"]
        normal.font.name, normal.font.size = LATIN, Pt(self.body_pt)
        normal.element.get_or_add_rPr()
        _fonts(normal, FANGSONG)
        fmt = normal.paragraph_format
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, self.pitch
        self._footers(section)
        self._font_table()

    # -- page setup --------------------------------------------------------------------------------
    def _grid(self, section) -> None:
        sect = section._sectPr
        for old in sect.findall(qn("w:docGrid")):
            sect.remove(old)
        pitch, space = grid()
        el = OxmlElement("w:docGrid")
        if self.zh:
            # "lines", not "linesAndChars": LibreOffice gives a 16 pt character two cells of a
            # 15.8 pt character grid (14 to a line); the runs are set 0.25 pt tighter instead
            # (TIGHTEN), which makes 28 to a line in Word and LibreOffice alike
            el.set(qn("w:type"), "lines")
            el.set(qn("w:linePitch"), str(pitch))
            el.set(qn("w:charSpace"), str(space))
        else:
            el.set(qn("w:type"), "lines")
            el.set(qn("w:linePitch"), str(int(self.pitch.pt * 20)))
        sect.append(el)

    def _footers(self, section) -> None:
        """ "— 1 —" in 宋体 四号: odd pages on the right, even pages on the left, one
        character in from the edge of the type area."""
        self.doc.settings.odd_and_even_pages_header_footer = True
        for footer, align in (
            (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
            (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
        ):
            footer.is_linked_to_previous = False
            p = footer.paragraphs[0]
            p.alignment = align
            fmt = p.paragraph_format
            fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
            if align == WD_ALIGN_PARAGRAPH.RIGHT:
                fmt.right_indent = Pt(FOOTER_PT)
            else:
                fmt.left_indent = Pt(FOOTER_PT)
            self._run(p, "— ", SONGTI, FOOTER_PT)
            self._field(p, "PAGE", "1")
            self._run(p, " —", SONGTI, FOOTER_PT)

    def _field(self, p, code: str, shown: str) -> None:
        parts = [("begin", None), (None, f" {code} "), ("separate", None), (None, shown), ("end", None)]
        for kind, text in parts:
            run = self._run(p, "", SONGTI, FOOTER_PT)
            if kind:
                el = OxmlElement("w:fldChar")
                el.set(qn("w:fldCharType"), kind)
                run._element.append(el)
            elif text.startswith(" "):
                el = OxmlElement("w:instrText")
                el.set(qn("xml:space"), "preserve")
                el.text = text
                run._element.append(el)
            else:
                run.text = text

    def _font_table(self) -> None:
        """The document's fonts with their fallbacks (Word takes 仿宋 where 仿宋_GB2312 is missing)."""
        part = next(r.target_part for r in self.doc.part.rels.values() if r.reltype.endswith("/fontTable"))
        root = etree.fromstring(part.blob)
        for name in (FANGSONG, HEITI, KAITI, SONGTI, XBS):
            font = etree.SubElement(root, qn("w:font"))
            font.set(qn("w:name"), name)
            if name in ALT_NAMES:
                alt = etree.SubElement(font, qn("w:altName"))
                alt.set(qn("w:val"), ALT_NAMES[name])
            charset = etree.SubElement(font, qn("w:charset"))
            charset.set(qn("w:val"), "86")  # GB2312
            family = etree.SubElement(font, qn("w:family"))
            family.set(qn("w:val"), "modern" if name == HEITI else "roman")
        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    # -- text --------------------------------------------------------------------------------------
    def _run(self, p, text: str, east: str, size: float, bold: bool = False, color: str | None = None):
        run = p.add_run(text)
        run.font.size = Pt(size)
        run.bold = bold or None
        if self.zh and size == BODY_PT:
            spacing = OxmlElement("w:spacing")
            spacing.set(qn("w:val"), str(TIGHTEN))
            run._element.get_or_add_rPr().append(spacing)
        if color:
            run.font.color.rgb = RGBColor.from_string(color)
        _fonts(run, east)
        return run

    def _para(self, align=None, spacing: float | None = None, indent: bool = False):
        p = self.doc.add_paragraph()
        if align is not None:
            p.alignment = align
        fmt = p.paragraph_format
        if spacing is not None:
            fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(spacing)
        if indent:
            fmt.first_line_indent = Pt(self.body_pt * 2)
        return p

    def blank(self) -> None:
        self._para()

    def office_heading(self, text: str) -> None:
        self.blank()
        p = self._para(WD_ALIGN_PARAGRAPH.CENTER, spacing=HEADING_PT * 1.6)
        self._run(p, text, XBS, HEADING_PT if self.zh else 20, bold=not self.zh, color=RED)
        self.blank()

    def number(self, text: str) -> None:
        """The 文号, centred, and the red rule under it."""
        p = self._para(WD_ALIGN_PARAGRAPH.CENTER)
        self._run(p, text, FANGSONG, self.body_pt)
        borders = OxmlElement("w:pBdr")
        bottom = OxmlElement("w:bottom")
        for key, value in (("w:val", "single"), ("w:sz", "12"), ("w:space", "8"), ("w:color", RED)):
            bottom.set(qn(key), value)
        borders.append(bottom)
        p._p.get_or_add_pPr().append(borders)
        self.blank()

    def title(self, text: str) -> None:
        p = self._para(WD_ALIGN_PARAGRAPH.CENTER, spacing=TITLE_PT * 1.5)
        self._run(p, text, XBS, TITLE_PT if self.zh else 16, bold=not self.zh)
        self.blank()

    def heading1(self, text: str) -> None:
        p = self._para(indent=True)
        self._run(p, text, HEITI, self.body_pt, bold=not self.zh)

    def heading2(self, text: str) -> None:
        p = self._para(indent=True)
        run = self._run(p, text, KAITI, self.body_pt)
        if not self.zh:
            run.italic = True

    def paragraph(self, text: str, indent: bool = True) -> None:
        p = self._para(WD_ALIGN_PARAGRAPH.JUSTIFY, indent=indent)
        self._run(p, text, FANGSONG, self.body_pt)

    def signature(self, office: str, date: str) -> None:
        """The office and the date at the end: the date four characters in from the right,
        the office centred over it (GB/T 9704-2012 7.3.5)."""
        from wcwidth import wcswidth

        self.blank()
        self.blank()
        w_office, w_date = (max(wcswidth(x), len(x)) / 2 for x in (office, date))
        date_in = 4 if self.zh else 0
        office_in = date_in + (w_date - w_office) / 2
        if office_in < 0:
            date_in, office_in = date_in - office_in, 0
        for text, chars in ((office, office_in), (date, date_in)):
            p = self._para(WD_ALIGN_PARAGRAPH.RIGHT)
            p.paragraph_format.right_indent = Pt(self.body_pt * chars)
            self._run(p, text, FANGSONG, self.body_pt)

    def attachment(self, label: str, title: str, header: list[str], rows: list[list[str]], marks: str | None) -> None:
        """A new page: 附件 top left in 黑体, the title, the table with its header repeated."""
        p = self._para()
        p.add_run().add_break(WD_BREAK.PAGE)
        p = self._para()
        self._run(p, label, HEITI, self.body_pt, bold=not self.zh)
        p = self._para(WD_ALIGN_PARAGRAPH.CENTER, spacing=TITLE_PT * 1.5)
        self._run(p, title, XBS, 18 if self.zh else 14, bold=not self.zh)
        self.blank()
        table = self.doc.add_table(rows=1, cols=len(header))
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        margins = OxmlElement("w:tblCellMar")  # 1 mm either side: the figures stay on one line
        for side in ("left", "right"):
            el = OxmlElement(f"w:{side}")
            el.set(qn("w:w"), str(round(TWIPS_PER_MM)))
            el.set(qn("w:type"), "dxa")
            margins.append(el)
        table._tbl.tblPr.append(margins)
        widths = self._widths(len(header))
        for column, width in zip(table.columns, widths):  # the grid LibreOffice lays out by
            column.width = width
        for cell, text, width in zip(table.rows[0].cells, header, widths):
            cell.width = width
            self._cell(cell, text, HEITI, bold=not self.zh)
        self._row_flags(table.rows[0], header=True)
        for values in rows:
            row = table.add_row()
            self._row_flags(row)
            for n, (cell, text, width) in enumerate(zip(row.cells, values, widths)):
                cell.width = width
                self._cell(cell, text, FANGSONG, align=None if n in (1, 2) else WD_ALIGN_PARAGRAPH.CENTER)
        if marks:
            p = self._para(spacing=TABLE_PT * 1.6)
            _off_grid(p)
            self._run(p, marks, FANGSONG, TABLE_PT)

    def _widths(self, columns: int) -> list:
        area = PAGE_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"]
        fixed = [12, 36, 22] if self.zh else [11, 36, 32]
        rest = (area - sum(fixed)) / (columns - len(fixed))
        return [Mm(w) for w in fixed + [rest] * (columns - len(fixed))]

    def _row_flags(self, row, header: bool = False) -> None:
        trpr = row._tr.get_or_add_trPr()
        keep = OxmlElement("w:cantSplit")
        trpr.append(keep)
        if header:
            trpr.append(OxmlElement("w:tblHeader"))

    def _cell(self, cell, text: str, east: str, bold: bool = False, align=WD_ALIGN_PARAGRAPH.CENTER) -> None:
        p = cell.paragraphs[0]
        p.alignment = align
        fmt = p.paragraph_format
        fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(TABLE_PT * 1.45)
        fmt.first_line_indent = Pt(0)
        _off_grid(p)
        self._run(p, text, east, TABLE_PT if self.zh else 9, bold=bold)

    def save(self, path: Path) -> None:
        self.doc.save(str(path))
