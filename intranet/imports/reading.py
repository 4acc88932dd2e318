"""Reading an uploaded list into rows of cell values, refusing what is not a safe spreadsheet.

XLSX through openpyxl in read-only mode (rows streamed, never the whole sheet in memory),
after checking the zip itself: a zip bomb declares far more than it holds, and zipfile never
inflates an entry past its declared size. CSV in UTF-8, with or without BOM, `,` or `;`.
The file is read from memory and never written anywhere.
"""
from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import lazy_gettext as _l

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
MAX_COLUMNS = 60  # a list has about fifteen; what lies further right is never read
# Room above and below the data for titles, headers, footers and blank lines.
MAX_SHEET_ROWS = MAX_ROWS + 1_000
MAX_UNZIPPED = 150 * 1024 * 1024
MAX_ENTRIES = 1_000
MAX_RATIO = 200  # XML compresses well, about 10 to 30 times; far more is a bomb

CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Office 97-2003 files, and encrypted OOXML
ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")


class FileRefused(ValueError):
    """The upload cannot be read as a list; `status` is the HTTP answer, `message` for the user."""

    def __init__(self, status: int, message: object) -> None:
        super().__init__(str(message))
        self.status = status
        self.message = message


class Formula(str):
    """A cell holding a formula: its value is whatever Excel last computed, if it ever did."""


class CellError(str):
    """A cell holding an Excel error such as #N/A or #REF!."""


Value = None | str | int | float | bool | date | datetime


def column_letter(index: int) -> str:
    """1 -> A, 27 -> AA."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_ref(row: int, column: int) -> str:
    return f"{column_letter(column + 1)}{row}"


@dataclass
class Table:
    """The rows of the list's sheet: (row number, values), empty rows included."""

    kind: str  # "xlsx" or "csv"
    _rows: Iterator[tuple[int, list[Value]]] = field(repr=False)

    def rows(self) -> Iterator[tuple[int, list[Value]]]:
        for number, values in self._rows:
            if number > MAX_SHEET_ROWS and any(v not in (None, "") for v in values):
                raise FileRefused(413, _l("Danh sách có quá %(max)s dòng; hãy chia thành nhiều tệp.", max=f"{MAX_ROWS:,}".replace(",", ".")))
            yield number, values


def open_table(data: bytes) -> Table:
    """The table in an uploaded file, whatever its name says; FileRefused when none."""
    if len(data) > MAX_BYTES:
        raise FileRefused(413, _l("Tệp lớn hơn 10 MB; hãy chia danh sách thành nhiều tệp."))
    if not data.strip():
        raise FileRefused(422, _l("Tệp trống: không có dòng nào."))
    if data.startswith(CFB_MAGIC):
        if ENCRYPTED_MARK in data:
            raise FileRefused(422, _l("Tệp được đặt mật khẩu. Hãy mở tệp, bỏ mật khẩu, lưu lại rồi tải lên."))
        raise FileRefused(415, _l(
            "Tệp ở định dạng Excel 97-2003 (.xls). Hãy mở bằng Excel hoặc LibreOffice và "
            "lưu lại dưới dạng .xlsx rồi tải lên."
        ))
    if data.startswith(b"PK"):
        return _xlsx_table(data)
    return _csv_table(data)


# -- XLSX ---------------------------------------------------------------------------------


def _check_zip(data: bytes) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise FileRefused(422, _l("Tệp bị hỏng hoặc không phải tệp Excel (.xlsx) hợp lệ.")) from error
    if len(entries) > MAX_ENTRIES or sum(e.file_size for e in entries) > MAX_UNZIPPED or any(
        e.file_size > 1024 * 1024 and e.file_size > MAX_RATIO * max(e.compress_size, 1) for e in entries
    ):
        raise FileRefused(422, _l(
            "Tệp giải nén ra lớn bất thường (có thể là tệp độc hại) nên không được đọc."
        ))
    names = {e.filename for e in entries}
    if "xl/workbook.xml" not in names:
        raise FileRefused(415, _l("Tệp không phải bảng tính Excel (.xlsx) hoặc CSV."))
    return archive


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]{1,3})(\d{1,7})(?::([A-Z]{1,3})(\d{1,7}))?"')
MAX_MERGED_CELLS = 200_000


def _column_index(letters: bytes) -> int:
    index = 0
    for char in letters:
        index = index * 26 + char - 64
    return index - 1


def merged_cells(source: io.BufferedIOBase) -> dict[tuple[int, int], tuple[int, int]]:
    """Each cell covered by a merge, to the merge's top-left cell: read-only sheets do not
    give merges, so they are found in the sheet's XML, streamed in chunks."""
    covered: dict[tuple[int, int], tuple[int, int]] = {}
    tail = b""
    while chunk := source.read(1024 * 1024):
        text = tail + chunk
        last = 0
        for match in _MERGE.finditer(text):
            last = match.end()
            col1, row1 = _column_index(match[1]), int(match[2])
            if match[3] is None:
                continue
            col2, row2 = _column_index(match[3]), int(match[4])
            if (row2 - row1 + 1) * (col2 - col1 + 1) + len(covered) > MAX_MERGED_CELLS:
                continue  # a sheet-wide merge names no data; skip it
            for r in range(row1, row2 + 1):
                for c in range(col1, min(col2, MAX_COLUMNS - 1) + 1):
                    if (r, c) != (row1, col1):
                        covered[(r, c)] = (row1, col1)
        tail = text[max(last, len(text) - 200):]
    return covered


def _cell_value(cell) -> Value:  # noqa: ANN001 - openpyxl's read-only cell
    value = cell.value
    if value is None:
        return None
    if cell.data_type == "f" or (isinstance(value, str) and value.startswith("=")):
        return Formula(str(value))
    if cell.data_type == "e":
        return CellError(str(value))
    return value


def _xlsx_rows(workbook, sheet, merges) -> Iterator[tuple[int, list[Value]]]:  # noqa: ANN001
    tops: dict[tuple[int, int], Value] = {}
    wanted = set(merges.values())
    try:
        # Rows past the limit are not walked: a cell placed at row 1,000,000 would otherwise
        # make openpyxl fill in every empty row before it. The one just past is read, to refuse.
        for number, cells in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS, max_row=MAX_SHEET_ROWS + 1), start=1):
            values = [_cell_value(cell) for cell in cells]
            for column, value in enumerate(values):
                if (number, column) in wanted:
                    tops[(number, column)] = value
                elif value is None and (number, column) in merges:
                    values[column] = tops.get(merges[(number, column)])
            yield number, values
    except FileRefused:
        raise
    except Exception as error:  # noqa: BLE001 - any failure of a hostile file is "unreadable"
        raise FileRefused(422, _l("Tệp bị hỏng hoặc không phải tệp Excel (.xlsx) hợp lệ.")) from error
    finally:
        workbook.close()


def _xlsx_table(data: bytes) -> Table:
    _check_zip(data)
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        sheets = [ws for ws in workbook.worksheets if hasattr(ws, "iter_rows")]
        if not sheets:
            raise FileRefused(422, _l("Tệp không có trang tính nào."))
        sheet = sheets[0]
        with sheet._get_source() as source:  # noqa: SLF001 - openpyxl gives merges only this way
            merges = merged_cells(source)
    except FileRefused:
        raise
    except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds on a broken file
        raise FileRefused(422, _l("Tệp bị hỏng hoặc không phải tệp Excel (.xlsx) hợp lệ.")) from error
    return Table("xlsx", _xlsx_rows(workbook, sheet, merges))


# -- CSV ----------------------------------------------------------------------------------


def _csv_text(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data:
        raise FileRefused(415, _l(
            "Tệp không phải bảng tính Excel (.xlsx) hoặc CSV mã hoá UTF-8. "
            "Trong Excel, hãy chọn Lưu thành → CSV UTF-8."
        ))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FileRefused(415, _l(
            "Tệp CSV không ở mã hoá UTF-8. Trong Excel, hãy chọn Lưu thành → CSV UTF-8 (có dấu phẩy)."
        )) from error


def _csv_rows(text: str, delimiter: str) -> Iterator[tuple[int, list[Value]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, record in enumerate(reader, start=1):
            yield number, [
                Formula(v) if v.startswith("=") else (v if v.strip() else None)
                for v in record[:MAX_COLUMNS]
            ]
    except csv.Error as error:
        raise FileRefused(422, _l("Tệp CSV bị lỗi định dạng ở dòng %(row)s.", row=reader.line_num)) from error


def _csv_table(data: bytes) -> Table:
    text = _csv_text(data)
    head = "\n".join(text.splitlines()[:40])
    # The separator whose first lines split into the most columns that look like a header.
    from .parsing import header_score

    def score(delimiter: str) -> int:
        try:
            return max((header_score(values) for _, values in _csv_rows(head, delimiter)), default=0)
        except FileRefused:
            return -1

    delimiter = max((",", ";", "\t"), key=score)
    return Table("csv", _csv_rows(text, delimiter))
