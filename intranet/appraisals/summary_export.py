"""The rating meeting's summary as an XLSX file: one row per notice, grouped by person."""
from __future__ import annotations

import io

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from ..compliance.exports import neutralise
from .summary import Summary


def summary_xlsx(summary: Summary, scope: str) -> bytes:
    book = Workbook(write_only=False)
    sheet = book.active
    sheet.title = _("Tổng hợp")[:31]
    sheet.append([_("Tổng hợp thông báo, giải trình và đề xuất đánh giá, xếp loại chất lượng")])
    sheet.append([f"{summary.period.label()} – {scope}"])
    sheet.append([])
    header = [
        _("STT"), _("Họ và tên"), _("Chức danh"), _("Đơn vị"), _("Số, ký hiệu thông báo"), _("Ngày thông báo"),
        _("Số hồ sơ"), _("Giải trình của cán bộ"), _("Đề xuất của thủ trưởng"), _("Điểm đề xuất"),
    ]
    sheet.append(header)
    for cell in sheet[4]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for number, person in enumerate(summary.people, start=1):
        for notice in person.notices:
            points = [p.points for p in notice.proposals if p.points is not None]
            sheet.append([neutralise(value) for value in (
                number, person.full_name, person.title or "", person.unit_name, notice.reference_number,
                notice.notice_date.strftime("%d/%m/%Y"), notice.cases, notice.explanation or "",
                notice.proposed(_("Chờ xem xét")), sum(points) if points else None,
            )])
    totals = summary.totals
    sheet.append([])
    sheet.append([_("Cộng"), _("%(people)s người", people=totals.people), "", "",
                  _("%(n)s thông báo", n=totals.notices), "", totals.cases,
                  _("%(n)s giải trình", n=totals.explanations), _("%(n)s có đề xuất", n=totals.proposed),
                  totals.points])
    for column, width in zip("ABCDEFGHIJ", (6, 26, 18, 26, 16, 14, 9, 40, 40, 10)):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
