"""The compliance table as files (XLSX, CSV), built as bytes here; the views only send them."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_babel import to_user_timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .labels import COLUMNS, WHOLE, status_labels, unit_name
from ..months import Month
from .results import ComplianceTable, Figures, StaffLine

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIMETYPE = "text/csv; charset=utf-8"

# A cell starting with one of these is a formula (or becomes one) in a spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Every column after the unit's name.
FIGURES = tuple(COLUMNS)[1:]
# Column of the percentage in the table's rows: after STT and the unit's name.
PERCENT = 2 + FIGURES.index("percent")


def neutralise(value: Any) -> Any:
    """Text a spreadsheet would run as a formula, made plain text with a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def filename(stem: str, month: Month, extension: str) -> str:
    return f"{stem}-{month.iso}.{extension}"


# --- the rows, shared by both formats --------------------------------------------------


def _table_header() -> list[str]:
    return [_("STT"), str(COLUMNS["name"]), *(_header(name) for name in FIGURES)]


def _header(name: str) -> str:
    return f"{COLUMNS[name]} (%)" if name == "percent" else str(COLUMNS[name])


def _figure_cells(figures: Figures) -> list[int | float | None]:
    return [figures.percent if name == "percent" else getattr(figures, name) for name in FIGURES]


def _table_rows(table: ComplianceTable) -> list[list[Any]]:
    rows = [
        [number, unit_name(row.unit), *_figure_cells(row.figures)]
        for number, row in enumerate(table.rows, start=1)
    ]
    rows.append([None, str(WHOLE), *_figure_cells(table.totals)])
    return rows


def _staff_header() -> list[str]:
    return [_("STT"), str(COLUMNS["name"]), _("Họ và tên"), _("Chức danh"), _("Tình trạng VNeID"),
            _("Ngày kê khai")]


def _staff_rows(staff: Sequence[StaffLine]) -> list[list[Any]]:
    labels = status_labels()
    return [
        [
            number,
            unit_name(line.unit),
            line.employee.full_name,
            line.employee.title,
            labels.get(line.status, line.status),
            _local_date(line.declaration.declared_at) if line.declaration else None,
        ]
        for number, line in enumerate(staff, start=1)
    ]


def _local_date(moment) -> date:
    return to_user_timezone(moment).date()


# --- XLSX ------------------------------------------------------------------------------

HEADER_FILL = PatternFill("solid", fgColor="E3ECE6")
BOLD = Font(bold=True)


def compliance_xlsx(table: ComplianceTable, missing: Sequence[StaffLine]) -> bytes:
    """Two sheets: the table with its totals, then everyone not on level 2, unit by unit."""
    book = Workbook()
    summary = book.active
    summary.title = _("Tổng hợp")
    _write_sheet(
        summary,
        title=_("Kết quả sử dụng tài khoản định danh điện tử mức độ 2 – tháng %(month)s",
                month=table.month.label),
        header=_table_header(),
        rows=_table_rows(table),
        widths=[6, 40, *[12] * len(FIGURES)],
        formats={PERCENT: "0.0"},
        bold_last=True,
    )
    _write_sheet(
        book.create_sheet(_("Chưa đạt")),
        title=_("Cán bộ chưa kích hoạt tài khoản mức độ 2 – tháng %(month)s",
                month=table.month.label),
        header=_staff_header(),
        rows=_staff_rows(missing),
        widths=[6, 40, 28, 28, 24, 14],
        formats={5: "dd/mm/yyyy"},
    )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _write_sheet(
    sheet: Worksheet,
    *,
    title: str,
    header: list[str],
    rows: Iterable[list[Any]],
    widths: list[int],
    formats: dict[int, str],
    bold_last: bool = False,
) -> None:
    """A title line, the header on row 3, then the rows; `formats` by 0-based column."""
    sheet.append([neutralise(title)])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([])
    sheet.append(header)
    for cell in sheet[3]:
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    last = 3
    for last, row in enumerate(rows, start=4):
        sheet.append([neutralise(value) for value in row])
        for column, number_format in formats.items():
            sheet.cell(last, column + 1).number_format = number_format
    if bold_last and last > 3:
        for cell in sheet[last]:
            cell.font = BOLD
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A4"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


# --- CSV -------------------------------------------------------------------------------


def compliance_csv(table: ComplianceTable) -> bytes:
    """The table with its totals row; the percentage rounded to one decimal."""
    rows = _table_rows(table)
    for row in rows:
        if row[PERCENT] is not None:
            row[PERCENT] = round(row[PERCENT], 1)
    return _csv(_table_header(), rows)


def missing_csv(missing: Sequence[StaffLine]) -> bytes:
    """Everyone not on level 2 at the month's end; dates written dd/mm/yyyy."""
    rows = _staff_rows(missing)
    for row in rows:
        if row[-1] is not None:
            row[-1] = row[-1].strftime("%d/%m/%Y")
    return _csv(_staff_header(), rows)


def _csv(header: list[str], rows: Iterable[list[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows([neutralise(value) for value in row] for row in rows)
    # The byte-order mark is what makes Excel read the file as UTF-8.
    return buffer.getvalue().encode("utf-8-sig")
