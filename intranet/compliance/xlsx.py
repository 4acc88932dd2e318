"""Tables written to XLSX sheets laid out to read and to print (XlsxWriter, row by row; the
body rows' cells through xlsx_rows, which says why).

Every text is a string cell (never a formula, whatever it starts with); one that a spreadsheet
would run as a formula when edited also gets Excel's quote-prefix style, so it reads as typed,
with no apostrophe in the text. One font for the whole book, a header row as high as its
wrapped lines, frozen panes, widths from the content, A4 landscape fitted to the page width.
"""
from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from .xlsx_rows import ColumnFormats, close, write_rows

# Times New Roman 12, as Vietnamese administrative documents are set (Decree 30/2020);
# LibreOffice shows it with its metric twin, Liberation Serif.
FONT = {"font_name": "Times New Roman", "font_size": 12}
LINE_POINTS = 15.75  # one line of 12-point text
HEADER_PADDING = 4  # points above and below a wrapped header
PAPER_A4 = 9

Kind = Literal["text", "int", "percent", "date"]


@dataclass(frozen=True)
class Column:
    header: str
    kind: Kind = "text"
    width: float | None = None  # characters; None: from the widest value, within bounds
    min_width: float = 6
    max_width: float = 48


@dataclass(frozen=True)
class Table:
    """One sheet: a title line, the header on row 3, then the rows (the last one bold if
    `totals` is set)."""

    sheet_name: str
    title: str
    columns: Sequence[Column]
    rows: Sequence[Sequence[Any]]
    totals: bool = False


def workbook(tables: Sequence[Table]) -> bytes:
    buffer = io.BytesIO()
    # constant_memory: each row is written out as soon as the next begins, strings inline.
    book = xlsxwriter.Workbook(
        buffer,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "default_format_properties": FONT,
            "default_row_height": 21,  # pixels: a line of 12-point text
        },
    )
    formats = _Formats(book)
    for table in tables:
        _write_table(book.add_worksheet(_sheet_name(table.sheet_name)), table, formats)
    close(book)
    return buffer.getvalue()


class _Formats:
    """The book's cell formats, made once: per kind of value, plain and bold (the totals)."""

    def __init__(self, book: xlsxwriter.Workbook) -> None:
        cell = {"border": 1, "valign": "vcenter"}
        self.title = book.add_format({"bold": True, "font_size": 14})
        self.header = book.add_format(
            {**cell, "bold": True, "text_wrap": True, "align": "center", "valign": "vcenter",
             "bg_color": "#E3ECE6"}
        )
        self.by_kind: dict[tuple[Kind, bool, bool], Format] = {}
        numbers = {"text": {"indent": 0}, "int": {"num_format": "0"}, "percent": {"num_format": "0.0"},
                   "date": {"num_format": "dd/mm/yyyy", "align": "center"}}
        for kind, extra in numbers.items():
            for bold in (False, True):
                for quoted in (False, True):
                    properties = {**cell, **extra, "bold": bold}
                    if kind == "text":
                        properties["quote_prefix"] = quoted
                    if bold:
                        properties["bg_color"] = "#F2F2F2"
                    self.by_kind[kind, bold, quoted] = book.add_format(properties)  # type: ignore[index]

    def cells(self, columns: Sequence[Column], bold: bool) -> list[ColumnFormats]:
        """Each column's formats by its kind (text alone is quote-prefixed); an empty cell
        keeps the border."""
        return [ColumnFormats(self.by_kind[c.kind, bold, False],
                              self.by_kind[c.kind, bold, c.kind == "text"],
                              self.by_kind[c.kind, bold, False]) for c in columns]


def _write_table(sheet: Worksheet, table: Table, formats: _Formats) -> None:
    columns = list(table.columns)
    widths = [_width(column, index, table.rows) for index, column in enumerate(columns)]
    for index, width in enumerate(widths):
        sheet.set_column(index, index, width)
    last_col = len(columns) - 1
    last_row = 2 + len(table.rows)

    sheet.set_row(0, 21)
    sheet.write_string(0, 0, table.title, formats.title)
    sheet.set_row(2, _header_height([c.header for c in columns], widths))
    for col, column in enumerate(columns):
        sheet.write_string(2, col, column.header, formats.header)

    rows = table.rows
    body = len(rows) - 1 if table.totals and rows else len(rows)
    write_rows(sheet, 3, rows[:body], formats.cells(columns, bold=False))
    write_rows(sheet, 3 + body, rows[body:], formats.cells(columns, bold=True))

    sheet.freeze_panes(3, min(2, last_col))
    sheet.set_paper(PAPER_A4)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)  # one page wide, as many pages tall as it takes
    sheet.repeat_rows(2)  # the header on every printed page
    sheet.print_area(0, 0, last_row, last_col)
    sheet.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    sheet.center_horizontally()
    sheet.set_footer("&C&P / &N")


def _width(column: Column, index: int, rows: Sequence[Sequence[Any]]) -> float:
    if column.width is not None:
        return column.width
    if column.kind == "date":
        return 14
    if column.kind == "text":
        # Each value once: thousands of lines repeat a few hundred units, titles and statuses.
        values = {row[index] for row in rows}
        values.discard(None)
        longest = max((len(str(value)) for value in values), default=0)
    else:
        longest = 0  # counts and percentages are narrower than their headers' words
    longest_word = max((len(word) for word in column.header.split()), default=0)
    return float(min(max(longest * 1.1 + 2, longest_word * 1.25 + 2, column.min_width), column.max_width))


def _header_height(headers: Sequence[str], widths: Sequence[float]) -> float:
    """Points for the header row: enough for its most wrapped cell (bold, centred)."""
    lines = max(_wrapped_lines(text, width) for text, width in zip(headers, widths, strict=True))
    return lines * LINE_POINTS + 2 * HEADER_PADDING


def _wrapped_lines(text: str, width: float) -> int:
    # Column widths count the font's digit widths; a bold letter is about as wide, and the
    # cell's margins take about one.
    room = max(1, math.floor(width - 1))
    lines, used = 1, 0
    for word in text.split():
        if used and used + 1 + len(word) <= room:
            used += 1 + len(word)
            continue
        if used:
            lines += 1
        full, rest = divmod(len(word), room)  # a word longer than the room breaks inside
        lines += full - (rest == 0)
        used = rest or room
    return lines


def _sheet_name(name: str) -> str:
    # Excel's limits on a sheet name: 31 characters, none of []:*?/\
    cleaned = "".join(" " if c in "[]:*?/\\" else c for c in name).strip("'")
    return cleaned[:31] or "Sheet"

