"""The monthly report as a Word file: A4, Times New Roman, laid out as Decree 30/2020/NĐ-CP sets
out an administrative document, with the unit table in a landscape appendix."""
from __future__ import annotations

import io
import re
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Emu, Mm, Pt
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph
from lxml import etree

from .content import NATION, MonthlyReport, Table

DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FONT = "Times New Roman"
BODY_SIZE = Pt(14)
# Decree 30, appendix I: margins top and bottom 20-25 mm, left 30-35 mm, right 15-20 mm.
MARGINS = {"top_margin": Mm(20), "bottom_margin": Mm(20), "left_margin": Mm(30), "right_margin": Mm(15)}


def report_docx(report: MonthlyReport) -> bytes:
    document = Document()
    _set_fonts(document)
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for name, value in MARGINS.items():
        setattr(section, name, value)
    # Page numbers at the top centre, from the second page on (Decree 30).
    section.different_first_page_header_footer = True
    _page_number(section.header.paragraphs[0])

    _heading(document, report)
    _title(document, report)
    for text in report.opening:
        _body(document, text)
    for part in report.sections:
        _paragraph(document, part.heading, bold=True, indent=part.level == 2, keep_with_next=True)
        for text in part.paragraphs:
            _body(document, text)
        if part.table is not None:
            _table(document, part.table, size=Pt(11), width=Mm(165))
    _signature(document, report)

    appendix = document.add_section(WD_SECTION.NEW_PAGE)
    appendix.orientation = WD_ORIENT.LANDSCAPE
    appendix.page_width, appendix.page_height = Mm(297), Mm(210)
    appendix.left_margin, appendix.right_margin = Mm(20), Mm(15)
    appendix.top_margin, appendix.bottom_margin = Mm(20), Mm(20)
    appendix.different_first_page_header_footer = False
    first, second, third = report.appendix_heading
    _paragraph(document, first, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(document, second, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(document, third, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER, size=Pt(13))
    _table(document, report.appendix, size=Pt(11), width=Mm(262))
    _paragraph(document, report.appendix_note, italic=True, size=Pt(12))

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _set_fonts(document) -> None:
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = BODY_SIZE
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)
    style.paragraph_format.space_after = Pt(0)
    style.paragraph_format.space_before = Pt(0)


def _paragraph(container, text: str, *, bold: bool = False, italic: bool = False, size=None,
               align=None, indent: bool = False, keep_with_next: bool = False, space_before: int = 6) -> Paragraph:
    paragraph = container.add_paragraph()
    run = paragraph.add_run(text)
    run.bold, run.italic = bold, italic
    if size is not None:
        run.font.size = size
    fmt = paragraph.paragraph_format
    if align is not None:
        paragraph.alignment = align
    if indent:
        fmt.first_line_indent = Cm(1.27)
    fmt.space_before = Pt(space_before)
    fmt.keep_with_next = keep_with_next
    return paragraph


def _body(document, text: str) -> Paragraph:
    return _paragraph(document, text, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True)


def _no_borders(table: DocxTable) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _cell_lines(cell, lines: list[tuple[str, dict]], align=WD_ALIGN_PARAGRAPH.CENTER) -> None:
    cell.paragraphs[0].text = ""
    for index, (text, style) in enumerate(lines):
        paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
        paragraph.alignment = align
        run = paragraph.add_run(text)
        run.bold = style.get("bold", False)
        run.italic = style.get("italic", False)
        run.font.size = style.get("size", Pt(13))


def _rule(cell) -> None:
    """The short line Decree 30 draws under the agency's name and the motto."""
    paragraph = cell.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run("\u2014" * 6)
    run.font.size = Pt(8)


def _heading(document, report: MonthlyReport) -> None:
    table = document.add_table(rows=1, cols=2)
    _no_borders(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = table.rows[0].cells
    left.width, right.width = Cm(6.5), Cm(9.5)
    _cell_lines(left, [(report.parent_line, {"size": Pt(13)}), (report.agency_line, {"bold": True})])
    _rule(left)
    _cell_lines_append(left, [(report.number_line, {})])
    _cell_lines(right, [(NATION[0], {"bold": True}), (NATION[1], {"bold": True, "size": Pt(14)})])
    _rule(right)
    _cell_lines_append(right, [(report.place_date, {"italic": True, "size": Pt(14)})])


def _cell_lines_append(cell, lines: list[tuple[str, dict]]) -> None:
    for text, style in lines:
        paragraph = cell.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(text)
        run.bold = style.get("bold", False)
        run.italic = style.get("italic", False)
        run.font.size = style.get("size", Pt(13))


def _title(document, report: MonthlyReport) -> None:
    _paragraph(document, report.kind, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_before=18)
    _paragraph(document, report.title, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_before=0)
    _paragraph(document, "\u2014" * 8, align=WD_ALIGN_PARAGRAPH.CENTER, size=Pt(8), space_before=0)


def _table(document, content: Table, *, size, width) -> None:
    table = document.add_table(rows=1, cols=len(content.header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    header = table.rows[0]
    # Repeat the header row on each page; a total row is the last row, printed once.
    header_properties = header._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header_properties.append(repeat)
    for cell, text in zip(header.cells, content.header):
        _cell_text(cell, text, size=size, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    if content.weights:
        table.autofit = False
        total = sum(content.weights)
        for column, weight in zip(table.columns, content.weights):
            # Both the grid (LibreOffice reads it) and each cell (Word reads these).
            column.width = int(width * weight / total)
            for cell in column.cells:
                cell.width = column.width
    _append_rows(table, content, size)


def _cell_text(cell, text: str, *, size, bold: bool, align) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = align
    run = paragraph.add_run(text)
    run.bold = bold
    run.font.size = size


def _append_rows(table: DocxTable, content: Table, size) -> None:
    """The body rows, as python-docx's add_row and _cell_text would write them (each cell as
    wide as its grid column, its run bold or not, at `size`), made as one piece of XML: cell
    by cell through python-docx, the case list of a province's month (~1,000 rows) took ~3 s."""
    widths = [Emu(column.w).twips for column in table._tbl.tblGrid.gridCol_lst]
    half_points = int(size.pt * 2)
    rows = []
    last = len(content.rows) - 1
    for index, values in enumerate(content.rows):
        bold = '<w:b/>' if content.has_total and index == last else '<w:b w:val="0"/>'
        cells = []
        for column, (twips, text) in enumerate(zip(widths, values)):
            align = "right" if column in content.numeric else "left"
            cells.append(
                f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{twips}"/></w:tcPr>'
                f'<w:p><w:pPr><w:jc w:val="{align}"/></w:pPr>'
                f'<w:r><w:rPr>{bold}<w:sz w:val="{half_points}"/></w:rPr>{_run_text(text)}</w:r>'
                "</w:p></w:tc>"
            )
        rows.append(f"<w:tr>{''.join(cells)}</w:tr>")
    body = parse_xml(f'<w:tbl {nsdecls("w")}>{"".join(rows)}</w:tbl>')
    table._tbl.extend(list(body))


_CONTROL = re.compile("[\x00-\x1f]")  # tab, line breaks, and what XML cannot hold


def _run_text(text: str) -> str:
    """A run's text as python-docx writes it: plain text in one <w:t>; anything else (tabs,
    line breaks, spaces at either end, no text) through python-docx itself."""
    if text and text.strip() == text and not _CONTROL.search(text):
        return f"<w:t>{escape(text)}</w:t>"
    run = OxmlElement("w:r")
    if text:
        run.text = text
    return "".join(etree.tostring(child, encoding="unicode") for child in run)


def _signature(document, report: MonthlyReport) -> None:
    _paragraph(document, "", space_before=6)
    table = document.add_table(rows=1, cols=2)
    _no_borders(table)
    left, right = table.rows[0].cells
    left.width, right.width = Cm(8), Cm(8)
    lines = [(report.recipients_heading, {"bold": True, "italic": True, "size": Pt(12)})]
    lines += [(text, {"size": Pt(11)}) for text in report.recipients]
    _cell_lines(left, lines, align=WD_ALIGN_PARAGRAPH.LEFT)
    signer = [(text, {"bold": True, "size": Pt(14)}) for text in report.signer_lines]
    # Room for the signature and the seal.
    signer += [("", {}), ("", {}), ("", {}), (report.signer_name, {"bold": True, "size": Pt(14)})]
    _cell_lines(right, signer)


def _page_number(paragraph: Paragraph) -> None:
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
