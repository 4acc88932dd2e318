"""The rating meeting's summary as an XLSX file: one row per notice, grouped by person.

Written by XlsxWriter row by row in constant-memory mode (a year of a province is ~7,000
rows; openpyxl built them all as cell objects first, ~1 s), the rows' cells through
intranet/compliance/xlsx_rows.py (which says why). Every text is a string cell, never a
formula; one a spreadsheet would run as a formula when edited gets the quote-prefix style, as
in the compliance file (intranet/compliance/xlsx.py).
"""
from __future__ import annotations

import io
from datetime import date
from typing import Any

import xlsxwriter
from flask_babel import gettext as _

from ..compliance.xlsx_rows import ColumnFormats, close, write_rows
from .summary import Summary

WIDTHS = (6, 26, 18, 26, 16, 14, 9, 40, 40, 10)


def summary_xlsx(summary: Summary, scope: str) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"constant_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False, "strings_to_numbers": False})
    sheet = book.add_worksheet(_("Tổng hợp")[:31])
    quoted = book.add_format({"quote_prefix": True})
    header_format = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    for column, width in enumerate(WIDTHS):
        sheet.set_column(column, column, width)
    # No format but the quote-prefix, and no cell for an empty value ("" or None); the header
    # bold, its empty cells too.
    plain = [ColumnFormats(None, quoted, None)] * len(WIDTHS)
    headed = [ColumnFormats(header_format, quoted, header_format)] * len(WIDTHS)

    write_rows(sheet, 0, [[_("Tổng hợp thông báo, giải trình và đề xuất đánh giá, xếp loại chất lượng")],
                          [f"{summary.period.label()} – {scope}"]], plain, empty_text=True)
    write_rows(sheet, 3, [[
        _("STT"), _("Họ và tên"), _("Chức danh"), _("Đơn vị"), _("Số, ký hiệu thông báo"), _("Ngày thông báo"),
        _("Số lượng hồ sơ"), _("Giải trình của người có tên trong thông báo"), _("Đề xuất của thủ trưởng"), _("Điểm đề xuất"),
    ]], headed, empty_text=True)
    awaiting = _("Chờ xem xét")
    rows: list[tuple[Any, ...]] = []
    days: dict[date, str] = {}  # a year's ~7,000 notices fall on a few hundred days
    for number, person in enumerate(summary.people, start=1):
        for notice in person.notices:
            points = [p.points for p in notice.proposals if p.points is not None]
            day = days.get(notice.notice_date)
            if day is None:
                day = days[notice.notice_date] = notice.notice_date.strftime("%d/%m/%Y")
            rows.append((
                number, person.full_name, person.title, person.unit_name, notice.reference_number,
                day, notice.cases, notice.explanation, notice.proposed(awaiting),
                sum(points) if points else None,
            ))
    write_rows(sheet, 4, rows, plain, empty_text=True)
    totals = summary.totals
    write_rows(sheet, 4 + len(rows) + 1, [[
        _("Cộng"), _("%(people)s người", people=totals.people), "", "",
        _("%(n)s thông báo", n=totals.notices), "", totals.cases,
        _("%(n)s giải trình", n=totals.explanations), _("%(n)s có đề xuất", n=totals.proposed),
        totals.points]], plain, empty_text=True)
    close(book)
    return buffer.getvalue()
