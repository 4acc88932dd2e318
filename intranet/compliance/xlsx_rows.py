"""A table's body rows written into an XlsxWriter sheet: the cells' XML straight into its
constant-memory row stream, or cell by cell through its API.

Why the stream: XlsxWriter spends ~7 µs of Python on each cell (its write call, then the
cell's XML), and a province's files hold ~70,000 cells: ~0.5 s each, against a target of
0.3 s for the whole request. The XML of a row written here, in one piece, costs a fifth of
that. It is the XML XlsxWriter itself writes for these cells, byte for byte, but it reaches
into XlsxWriter's internals (a worksheet's row stream `fh`, `previous_row`, `table`,
`row_info`, `comments`, `col_info`, `_write_single_row`, `_check_dimensions`, a format's
`_get_xf_index`; for close(), `xlsxwriter.workbook.ZipFile`), which its releases may
change: so the stream is used only with the version it was checked against (pinned in
requirements.txt), any other writes the cells through the API, slower and the same.
tests/test_xlsx_rows.py compares both ways byte for byte and fails on another version until
the stream is checked again. (One
difference: text shaped like XlsxWriter's rich-string markup, "<r>…</r>", which its
constant-memory mode writes as markup, the stream writes as text.) close() also gives the
book's zip a faster deflate level, for the same reason, through the same version check.

The cells, by the value's type: text a string cell (never a formula; the quote-prefix format
when a spreadsheet would run it as one), int and float a number, a date its day's serial
number, None a blank cell in the column's format (no cell without one).
"""
from __future__ import annotations

import math
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import xlsxwriter
import xlsxwriter.workbook
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

# The XlsxWriter whose internals the row stream was checked against (see the docstring).
CHECKED_VERSION = "3.3.1"
STREAM = xlsxwriter.__version__ == CHECKED_VERSION

# A cell starting with one of these is a formula (or becomes one) in a spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
# Day 0 of Excel's 1900 date system, as the serial numbers of days from March 1900 count.
EXCEL_EPOCH = date(1899, 12, 30)
# Excel's longest text: 32,767 UTF-16 units; XlsxWriter cuts longer text there.
TEXT_MAX = 32767
ROWS_PER_WRITE = 2000
# zlib's level 3 deflates a sheet's XML in a third of the default level's (6) time, into a
# file ~15 % larger (a province's list of staff: ~13 ms against ~35 ms, 399 KB against 350).
DEFLATE_LEVEL = 3

# What XlsxWriter changes in an inline string's text (xmlwriter.py): "&<>" escaped, control
# characters as _xHHHH_ (and a literal _xHHHH_ escaped as _x005F_xHHHH_), two non-characters.
_SPECIAL = re.compile(r"[&<>\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9a-fA-F]{4}_")
_LITERAL_ESCAPE = re.compile(r"(_x[0-9a-fA-F]{4}_)")
_CONTROL = re.compile(r"([\x00-\x08\x0b-\x1f])")


@dataclass(frozen=True)
class ColumnFormats:
    """One column's cell formats: for its values, for text a spreadsheet would run as a
    formula, and for an empty value (None: no cell at all)."""

    value: Format | None
    quoted: Format | None
    empty: Format | None


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def write_rows(sheet: Worksheet, first_row: int, rows: Sequence[Sequence[Any]],
               columns: Sequence[ColumnFormats], empty_text: bool = False) -> None:
    """Rows first_row, first_row + 1, …, one cell per value; `empty_text`: "" is an empty
    value (like None), not an empty string cell. Nothing may be written to these rows before
    or after."""
    if STREAM and sheet.constant_memory:
        _stream_rows(sheet, first_row, rows, columns, empty_text)
    else:
        _write_cells(sheet, first_row, rows, columns, empty_text)


def close(book: xlsxwriter.Workbook) -> None:
    """book.close(), its parts deflated at DEFLATE_LEVEL: XlsxWriter asks for no level, and
    opens the file through the name ZipFile of its module, the one way to give it one. (Two
    threads closing books at once may leave one at zlib's default level: slower, the same.)"""
    if not STREAM:
        book.close()
        return
    xlsxwriter.workbook.ZipFile = _FasterZipFile  # type: ignore[misc]
    try:
        book.close()
    finally:
        xlsxwriter.workbook.ZipFile = zipfile.ZipFile  # type: ignore[misc]


class _FasterZipFile(zipfile.ZipFile):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, compresslevel=DEFLATE_LEVEL, **kwargs)


def _write_cells(sheet: Worksheet, first_row: int, rows: Iterable[Sequence[Any]],
                 columns: Sequence[ColumnFormats], empty_text: bool) -> None:
    """Through XlsxWriter's API, cell by cell."""
    for row, values in enumerate(rows, start=first_row):
        for col, value in enumerate(values):
            formats = columns[col]
            if value is None or (empty_text and value == ""):
                sheet.write_blank(row, col, None, formats.empty)
            elif isinstance(value, str):
                quoted = is_formula_like(value)
                sheet.write_string(row, col, value, formats.quoted if quoted else formats.value)
            elif isinstance(value, date):
                _check_date(value)
                sheet.write_number(row, col, (value - EXCEL_EPOCH).days, formats.value)
            elif isinstance(value, (int, float)):
                sheet.write_number(row, col, value, formats.value)
            else:
                raise TypeError(f"no cell for a {type(value).__name__}")


def _stream_rows(sheet: Worksheet, first_row: int, rows: Sequence[Sequence[Any]],
                 columns: Sequence[ColumnFormats], empty_text: bool) -> None:
    """The rows' XML, as _write_single_row and _write_cell would write it, into the stream;
    the last row through the API, so the sheet is left as its own writes leave it (the last
    row held until the next is written or the book closed)."""
    if len(rows) < 2:
        _write_cells(sheet, first_row, rows, columns, empty_text)
        return
    *streamed, final = rows
    final_row = first_row + len(streamed)
    if (first_row < sheet.previous_row or sheet.table.get(first_row)
            or final_row >= sheet.xls_rowmax):
        raise ValueError(f"rows {first_row + 1}-{final_row + 1} are written already or out of "
                         "the sheet")
    if any(first_row <= row < final_row for row in (*sheet.row_info, *sheet.comments)):
        raise ValueError("the stream writes rows of the default height and format, with no "
                         "comments")
    if max(map(len, rows)) > len(columns):
        raise ValueError("a row has more values than the table has columns")
    if first_row > sheet.previous_row:
        sheet._write_single_row(first_row)  # the row still held, before these

    styles = [_Styles(formats, _column_format(sheet, col), empty_text)
              for col, formats in enumerate(columns)]
    # Each column's opening of a cell, and its cells' XML after the reference by text, day or
    # empty value (thousands of rows repeat a few hundred of them).
    cells_by_column = [(f'<c r="{xl_col_to_name(col)}', {}, style)
                       for col, style in enumerate(styles)]
    pending: list[str] = []
    written: list[int] = []  # the rows with a cell
    stream = sheet.fh
    for row, values in enumerate(streamed, start=first_row):
        number = str(row + 1)
        cells = []
        for value, (opening, known, style) in zip(values, cells_by_column):
            tail = known.get(value)
            if tail is None:
                tail = style.tail(value, known)
            if tail:
                cells.append(opening + number + tail)
        if not cells:
            continue  # XlsxWriter writes no element for a row without cells
        written.append(row)
        pending.append(f'<row r="{number}">{"".join(cells)}</row>')
        if len(pending) == ROWS_PER_WRITE:
            stream.write("".join(pending))
            pending.clear()
    stream.write("".join(pending))
    if written:
        # The sheet's used range, as each cell's write would have widened it.
        used = [col for col, style in enumerate(styles)
                if style.used(row[col] for row in streamed if col < len(row))]
        sheet._check_dimensions(written[0], used[0])
        sheet._check_dimensions(written[-1], used[-1])
    sheet.table.clear()
    _write_cells(sheet, final_row, [final], columns, empty_text)


def _column_format(sheet: Worksheet, col: int) -> Format | None:
    # A cell with no format takes its column's (_write_cell), when the column has one.
    info = sheet.col_info.get(col)
    return info.column_format if info is not None else None


class _Styles:
    """One column's XML after a cell's reference: the style attribute, then the value. Each
    format's index is asked for when a cell first uses it, as _write_cell does: XlsxWriter
    numbers the formats in that order."""

    def __init__(self, formats: ColumnFormats, column_format: Format | None,
                 empty_text: bool) -> None:
        self.formats = formats
        self.column_format = column_format
        self.empty_text = empty_text
        self.attributes: dict[str, str] = {}

    def tail(self, value: Any, known: dict[Any, str]) -> str:
        """The cell's XML after its reference, "" for no cell; kept in `known` but numbers."""
        kind = type(value)
        if kind is int:  # a row's number, as often as not: no isfinite, no cache
            return f'"{self.style("value")}><v>{value:.16G}</v></c>'
        if value is None or (self.empty_text and value == ""):
            empty = self.formats.empty
            tail = known[value] = "" if empty is None else f'"{self.style("empty")}/>'
        elif kind is str:
            tail = known[value] = self.text(value)
        elif kind is float:
            tail = self.number(value)
        elif kind is date:
            tail = known[value] = self.number((value - EXCEL_EPOCH).days)
        else:
            tail = _other(value, self)
        return tail

    def used(self, values: Iterable[Any]) -> bool:
        """Whether any of the column's values made a cell."""
        return self.formats.empty is not None or any(
            value is not None and not (self.empty_text and value == "") for value in values)

    def style(self, name: str) -> str:
        attribute = self.attributes.get(name)
        if attribute is None:
            cell_format = getattr(self.formats, name) or self.column_format
            attribute = "" if cell_format is None else f' s="{cell_format._get_xf_index()}"'
            self.attributes[name] = attribute
        return attribute

    def text(self, value: str) -> str:
        style = self.style("quoted" if value.startswith(FORMULA_STARTS) else "value")
        if len(value) > TEXT_MAX // 2:
            value = _cut(value)
        if _SPECIAL.search(value):
            value = _LITERAL_ESCAPE.sub(r"_x005F\1", value)
            value = _CONTROL.sub(lambda match: f"_x{ord(match.group(1)):04X}_", value)
            value = value.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_")
            value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        space = ' xml:space="preserve"' if value[:1].isspace() or value[-1:].isspace() else ""
        return f'"{style} t="inlineStr"><is><t{space}>{value}</t></is></c>'

    def number(self, value: float) -> str:
        if not math.isfinite(value):
            raise TypeError("NAN/INF not supported in write_number() without "
                            "'nan_inf_to_errors'")
        return f'"{self.style("value")}><v>{value:.16G}</v></c>'


def _cut(text: str) -> str:
    # As XlsxWriter's write_string: at TEXT_MAX UTF-16 units, never inside a character.
    length = 0
    for index, char in enumerate(text):
        length += 2 if ord(char) > 0xFFFF else 1
        if length > TEXT_MAX:
            return text[:index]
    return text


def _other(value: Any, styles: _Styles) -> str:
    if isinstance(value, str):
        return styles.text(str(value))
    if isinstance(value, date):
        _check_date(value)
        return styles.number((value - EXCEL_EPOCH).days)
    if isinstance(value, (int, float)):
        return styles.number(value)
    raise TypeError(f"no cell for a {type(value).__name__}")


def _check_date(value: date) -> None:
    # A moment has no single day without its zone: the caller picks the day.
    if type(value) is not date:
        raise TypeError("a date, not a moment, makes a date cell")
