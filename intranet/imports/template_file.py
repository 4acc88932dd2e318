"""The template XLSX the admin can download: the expected columns, and what each accepts."""
from __future__ import annotations

import io

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from .columns import COLUMNS


def template_xlsx() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Danh sách")
    columns = [c for c in COLUMNS]
    sheet.append([str(c.synonyms[0]) for c in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = max(12, len(column.synonyms[0]) + 4)
    guide = workbook.create_sheet(_("Hướng dẫn"))
    guide.append([_("Cột"), _("Bắt buộc"), _("Tên cột cũng được nhận")])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    for column in columns:
        guide.append([column.synonyms[0], _("Có") if column.required else _("Không"), "; ".join(column.synonyms[1:])])
    for line in (
        _("Ngày tiếp nhận: ngày Excel hoặc chữ dạng dd/mm/yyyy."),
        _("Hình thức nộp: Trực tiếp, Bưu chính hoặc Trực tuyến (dòng trực tuyến được bỏ qua)."),
        _("Mức độ DVC: Toàn trình hoặc Một phần."),
        _("Không cần (và không lưu) số CCCD, ngày sinh, số điện thoại."),
        _("Các dòng tiêu đề phía trên và phần chữ ký phía dưới được bỏ qua."),
    ):
        guide.append([line])
    guide.column_dimensions["A"].width = 30
    guide.column_dimensions["C"].width = 80
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
