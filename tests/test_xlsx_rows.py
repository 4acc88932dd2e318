"""The XLSX files' body rows, written as XML into XlsxWriter's row stream (xlsx_rows.py): every
cell and style reads back as given, the bytes are those of XlsxWriter's own cell-by-cell
writes, and an XlsxWriter other than the one the stream was checked against fails here."""
from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
import xlsxwriter.workbook
from flask import Flask
from openpyxl import load_workbook
from xlsxwriter.worksheet import Worksheet

from intranet.appraisals.periods import Period
from intranet.appraisals.summary import Summary, SummaryNotice, SummaryPerson, SummaryProposal
from intranet.appraisals.summary_export import summary_xlsx
from intranet.compliance import xlsx, xlsx_rows
from intranet.compliance.xlsx import Column, Table
from intranet.models import PeriodKind

from .support.libreoffice import CSV_ALL_SHEETS, convert

REQUIREMENTS = Path(__file__).resolve().parent.parent / "requirements.txt"

LONG = "Kiểm lâm viên chính phụ trách địa bàn xã Vĩnh Sơn, huyện Vĩnh Thạnh. " * 300  # ~21,000
# Text a cell must keep as typed: XML's specials, formula starts, spaces at either end,
# control characters and a literal of Excel's own escape, characters outside the BMP.
TEXTS = [
    'Hạt Kiểm lâm "Đông" & <Tây> > 3',
    "=HYPERLINK(\"http://evil.example\",\"x\")", "+84 912 345 678", "-Phó Hạt trưởng", "@SUM(A1)",
    "\tTab đầu", "\rvề đầu dòng", "\nxuống dòng", " cách đầu", "cách cuối ", "Lê\x07Văn\x1bTám",
    "mã _x0041_ giữ nguyên", "rừng 🌲 ngập mặn", "nửa\ufffeký tự", "", "a=b", LONG,
    LONG * 2,  # over Excel's 32,767: cut there, as XlsxWriter cuts it
]
COLUMNS = [Column("STT", "int", width=7), Column("Đơn vị", min_width=20), Column("Họ và tên"),
           Column("Tỷ lệ (%)", "percent"), Column("Ngày kê khai", "date")]
NUMBER_FORMATS = {"int": "0", "percent": "0.0", "date": "dd/mm/yyyy", "text": "General"}


def table_rows() -> list[list[Any]]:
    rows: list[list[Any]] = [[0, "<r>thẻ của XlsxWriter</r>", "Trần Văn B", 0.0, date(1900, 3, 1)]]
    for number, text in enumerate(TEXTS, start=1):
        day = date(2024, 3, number % 28 + 1)
        rows.append([number, text, TEXTS[-number], 100 * number / 7, day])
        rows.append([None, None, f"Nguyễn Thị Hồng Nhung {number}", None, None])
    rows.append([None, "Toàn Chi cục", None, 12.5, None])  # the bold totals
    return rows


def as_excel_keeps(text: str) -> str:
    """The text as the file holds it (openpyxl does not decode Excel's _xHHHH_ escapes; Excel
    and LibreOffice do): cut at 32,767 UTF-16 units, then control characters and a literal
    escape's underscore escaped."""
    units = 0
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > 32767:
            text = text[:index]
            break
    text = re.sub(r"(_x[0-9a-fA-F]{4}_)", r"_x005F\1", text)
    text = re.sub(r"[\x00-\x08\x0b-\x1f]", lambda match: f"_x{ord(match.group()):04X}_", text)
    return text.replace("\ufffe", "_xFFFE_")


def test_every_cell_and_style_reads_back_as_given() -> None:
    assert xlsx_rows.STREAM  # the stream writes these rows, not the API
    rows = table_rows()
    data = xlsx.workbook([Table("Chưa đạt", "Tiêu đề", COLUMNS, rows, totals=True)])
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.max_row == 3 + len(rows) and sheet.max_column == len(COLUMNS)
    for index, values in enumerate(rows):
        bold = index == len(rows) - 1
        for col, (column, value) in enumerate(zip(COLUMNS, values, strict=True), start=1):
            cell = sheet.cell(4 + index, col)
            where = f"{cell.coordinate} ({column.header}, {value!r:.40})"
            if value is None:
                assert cell.value is None, where
            elif column.kind == "text":
                assert (cell.data_type, cell.value) == ("s", as_excel_keeps(value)), where
            elif column.kind == "date":
                assert cell.value == datetime(value.year, value.month, value.day), where
            else:
                assert cell.data_type == "n" and cell.value == pytest.approx(value), where
            # Every cell, an empty one too: its kind's number format, a thin border all round,
            # the book's font, bold on a grey fill for the totals only.
            assert cell.number_format == NUMBER_FORMATS[column.kind], where
            assert {cell.border.left.style, cell.border.right.style, cell.border.top.style,
                    cell.border.bottom.style} == {"thin"}, where
            font = (cell.font.name, cell.font.sz, bool(cell.font.b))
            assert font == ("Times New Roman", 12, bold), where
            assert cell.fill.fgColor.rgb == ("FFF2F2F2" if bold else "00000000"), where
            assert cell.alignment.vertical == "center", where
            assert cell.alignment.horizontal == ("center" if column.kind == "date" else None), where
            # The quote-prefix style on text a spreadsheet would run as a formula, and only there.
            formula_like = isinstance(value, str) and value != "" and value[0] in "=+-@\t\r\n"
            assert bool(cell.quotePrefix) == formula_like, where


def test_libreoffice_reads_every_text_as_typed(tmp_path: Path) -> None:
    rows = table_rows()
    data = xlsx.workbook([Table("Chưa đạt", "Tiêu đề", COLUMNS, rows, totals=True)])
    (text,) = convert(data, ".xlsx", CSV_ALL_SHEETS, tmp_path / "profile").values()
    shown = list(csv.reader(io.StringIO(text.decode("utf-8"))))[3:]
    assert len(shown) == len(rows)
    for values, cells in zip(rows, shown, strict=True):
        for value, cell in zip(values, cells, strict=True):
            if isinstance(value, str):  # control characters and literal escapes decoded, too
                assert cell == (value if len(value) <= 32767 else value[:32767]), cell[:40]


def book_parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        # docProps/core.xml holds the moment the book was made.
        return {name: archive.read(name) for name in archive.namelist()
                if name != "docProps/core.xml"}


@pytest.fixture
def cells_written(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many cells XlsxWriter's own code wrote, book by book."""
    counts: list[int] = []
    write_cell = Worksheet._write_cell

    def counted(self: Worksheet, row: int, col: int, cell: Any) -> None:
        counts[-1] += 1
        write_cell(self, row, col, cell)

    monkeypatch.setattr(Worksheet, "_write_cell", counted)
    return counts


def both_ways(make: Any, cells_written: list[int],
              monkeypatch: pytest.MonkeyPatch) -> tuple[dict, dict]:
    """The book written with the stream, then cell by cell through XlsxWriter's API."""
    books = []
    for stream in (True, False):
        monkeypatch.setattr(xlsx_rows, "STREAM", stream)
        cells_written.append(0)
        books.append(book_parts(make()))
    streamed, by_api = cells_written[-2:]
    assert 3 * streamed < by_api, "the stream was not used"
    return books[0], books[1]


def test_the_stream_writes_the_bytes_xlsxwriter_writes(cells_written: list[int],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    # Two sheets, the first one's totals row written after the second's rows (XlsxWriter holds
    # a sheet's last row until the book closes, and numbers the formats as cells use them).
    rows = [row for row in table_rows() if "<r>" not in str(row[1])]  # see the next test
    summary_table = [[1, "Hạt Kiểm lâm An Lão", 10.0, 3, 30.0], [2, "=Hạt", 0, 0, None],
                     [None, "Toàn", 10, 3, 30.0]]
    summary_columns = [Column("STT", "int"), Column("Đơn vị"), Column("Số", "int"),
                       Column("Đạt", "int"), Column("Tỷ lệ", "percent")]
    tables = [Table("Tổng hợp", "Tiêu đề", summary_columns, summary_table, totals=True),
              Table("Chưa đạt", "Tiêu đề", COLUMNS, rows)]
    streamed, by_api = both_ways(lambda: xlsx.workbook(tables), cells_written, monkeypatch)
    assert streamed.keys() == by_api.keys()
    for name in by_api:
        assert streamed[name] == by_api[name], name


def test_text_shaped_like_a_rich_string_is_kept_as_typed_where_the_stream_writes_it() -> None:
    # XlsxWriter's constant-memory mode writes such text as markup (openpyxl then read None);
    # the stream writes the text (a table's last row, written through the API, still not).
    rows = [[1, "<r>thẻ</r>"], [2, "sau"]]
    sheet = load_workbook(io.BytesIO(xlsx.workbook([Table("a", "b", COLUMNS[:2], rows)]))).active
    assert sheet["B4"].value == "<r>thẻ</r>"


def summary() -> Summary:
    people = []
    for number in range(1, 40):
        proposal = SummaryProposal(number, "Trừ 5 điểm", -5 if number % 3 else None,
                                   Period(PeriodKind.MONTH, 2026, 3), datetime(2026, 3, 20),
                                   "Tháng 03/2026")
        notices = [SummaryNotice(number * 10 + k, f"{number}/TB-{k}", date(2026, 1 + k, 2), k + 1,
                                 TEXTS[(number + k) % len(TEXTS)] or None, [proposal] if k else [])
                   for k in range(3)]
        people.append(SummaryPerson(number, f"Người {number}", TEXTS[number % len(TEXTS)] or None,
                                    f"Hạt Kiểm lâm {number % 7}", notices))
    return Summary(Period(PeriodKind.YEAR, 2026), None, people)


def test_the_rating_summary_is_written_as_xlsxwriter_writes_it(
    app: Flask, cells_written: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    with app.test_request_context():
        streamed, by_api = both_ways(lambda: summary_xlsx(summary(), "Toàn Chi cục"), cells_written,
                                     monkeypatch)
    assert streamed == by_api


def test_a_row_without_a_cell_and_empty_text_write_nothing(cells_written: list[int],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    def make() -> bytes:
        buffer = io.BytesIO()
        book = xlsxwriter.Workbook(buffer, {"constant_memory": True})
        sheet = book.add_worksheet()
        quoted = book.add_format({"quote_prefix": True})
        columns = [xlsx_rows.ColumnFormats(None, quoted, None)] * 3
        rows = [[None, "", None], *([n, "", f"={n}"] for n in range(40)), ["", None, None],
                [None, "x", None]]
        xlsx_rows.write_rows(sheet, 2, rows, columns, empty_text=True)
        book.close()
        return buffer.getvalue()

    streamed, by_api = both_ways(make, cells_written, monkeypatch)
    assert streamed == by_api
    assert b'<row r="3">' not in streamed["xl/worksheets/sheet1.xml"]


def test_the_file_is_deflated_and_xlsxwriter_left_as_it_was() -> None:
    data = xlsx.workbook([Table("Chưa đạt", "Tiêu đề", COLUMNS, table_rows())])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert {info.compress_type for info in archive.infolist()} == {zipfile.ZIP_DEFLATED}
        sheet = archive.getinfo("xl/worksheets/sheet1.xml")
        assert sheet.compress_size < sheet.file_size / 3
    assert xlsxwriter.workbook.ZipFile is zipfile.ZipFile  # the level given for that book only


def test_the_pinned_xlsxwriter_is_the_one_the_stream_was_checked_against() -> None:
    # On another version write_rows falls back to XlsxWriter's API (correct, ~5x slower).
    # Upgrading: check _write_single_row, _write_cell, _write_row and xmlwriter's escaping
    # against xlsx_rows.py, run this module, then move CHECKED_VERSION and the pin together.
    assert xlsxwriter.__version__ == xlsx_rows.CHECKED_VERSION
    assert f"XlsxWriter=={xlsx_rows.CHECKED_VERSION}" in REQUIREMENTS.read_text().splitlines()


def stream_sheet() -> tuple[xlsxwriter.Workbook, Worksheet, list[xlsx_rows.ColumnFormats]]:
    book = xlsxwriter.Workbook(io.BytesIO(), {"constant_memory": True})
    return book, book.add_worksheet(), [xlsx_rows.ColumnFormats(None, None, None)] * 2


@pytest.mark.parametrize("stream", [True, False])
@pytest.mark.parametrize(("value", "error"), [
    (float("nan"), TypeError), (float("inf"), TypeError), (datetime(2024, 3, 1, 7), TypeError),
    (b"bytes", TypeError),
])
def test_a_value_no_cell_can_hold_is_refused_either_way(
    stream: bool, value: Any, error: type[Exception], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(xlsx_rows, "STREAM", stream)
    book, sheet, columns = stream_sheet()
    with pytest.raises(error):
        xlsx_rows.write_rows(sheet, 0, [[1, value], [2, 3], [4, 5]], columns)
    book.close()


def test_the_stream_refuses_rows_it_cannot_write_as_xlsxwriter_would() -> None:
    book, sheet, columns = stream_sheet()
    sheet.write_string(5, 0, "dòng 6")
    with pytest.raises(ValueError, match="written already"):
        xlsx_rows.write_rows(sheet, 3, [[1, 2], [3, 4]], columns)  # rows before the one held
    with pytest.raises(ValueError, match="more values"):
        xlsx_rows.write_rows(sheet, 7, [[1, 2, 3], [4, 5]], columns)
    sheet.set_row(10, 30)
    with pytest.raises(ValueError, match="default height"):
        xlsx_rows.write_rows(sheet, 10, [[1, 2], [3, 4]], columns)  # a row with its own height
    book.close()
