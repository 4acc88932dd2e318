"""The Word file's table rows are written as one piece of XML: they must be what python-docx
itself writes cell by cell (the way they were written before, ~3 s for a province's month)."""
from __future__ import annotations

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt
from lxml import etree

from intranet.reports.content import Table
from intranet.reports.docx import _cell_text, _table

TEXTS = ["Nguyễn Văn An", "", " leading", "trailing ", "a\tb", "line\nbreak", "cr\rhere",
         "<b>&amp; \"quoted\"</b>", "=SUM(A1)", "Đội Kiểm lâm cơ động số 1"]


def cell_by_cell(document, content: Table, *, size, width) -> None:
    """The table as python-docx's own API writes it, row by row and cell by cell."""
    table = document.add_table(rows=1, cols=len(content.header))
    table.style = "Table Grid"
    header = table.rows[0]
    for cell, text in zip(header.cells, content.header):
        _cell_text(cell, text, size=size, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    last = len(content.rows) - 1
    for index, values in enumerate(content.rows):
        cells = table.add_row().cells
        bold = content.has_total and index == last
        for column, (cell, text) in enumerate(zip(cells, values)):
            align = WD_ALIGN_PARAGRAPH.RIGHT if column in content.numeric else WD_ALIGN_PARAGRAPH.LEFT
            _cell_text(cell, text, size=size, bold=bold, align=align)
    if content.weights:
        table.autofit = False
        total = sum(content.weights)
        for column, weight in zip(table.columns, content.weights):
            column.width = int(width * weight / total)
            for cell in column.cells:
                cell.width = column.width


def rows_xml(document) -> list[bytes]:
    table = document.tables[0]._tbl
    return [etree.tostring(row) for row in table.tr_lst[1:]] + [etree.tostring(table.tblGrid)]


def test_rows_are_what_python_docx_writes_cell_by_cell() -> None:
    rows = [[str(n), TEXTS[n % len(TEXTS)], TEXTS[(n + 3) % len(TEXTS)]] for n in range(len(TEXTS))]
    rows.append(["", "Toàn Chi cục", "12"])
    for content in (Table(["STT", "Tên", "Số"], rows, numeric=frozenset({0, 2}), has_total=True,
                          weights=(1, 4, 2)),
                    Table(["STT", "Tên", "Số"], rows)):
        fast, reference = Document(), Document()
        _table(fast, content, size=Pt(11), width=Mm(165))
        cell_by_cell(reference, content, size=Pt(11), width=Mm(165))
        assert rows_xml(fast) == rows_xml(reference)
        assert [c.text for r in fast.tables[0].rows for c in r.cells] == [
            c.text for r in reference.tables[0].rows for c in r.cells]
