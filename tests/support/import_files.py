"""Province lists built with openpyxl (and CSV), in the layouts the province sends."""
from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from openpyxl import Workbook

HEADERS = [
    "STT", "Họ và tên người nộp", "Ngày sinh", "Số CCCD / Số định danh", "Cơ quan, đơn vị công tác",
    "Tên thủ tục hành chính", "Mã thủ tục", "Mã hồ sơ", "Ngày tiếp nhận", "Nơi tiếp nhận",
    "Người tiếp nhận", "Hình thức nộp", "Mức độ DVC",
]
CCCD = "052090001234"
BIRTH = "12/05/1985"


def row(name: str, code: str, *, received: Any = date(2026, 11, 3), unit: str = "Chi cục Kiểm lâm",
        procedure: str = "Đăng ký thường trú", channel: str = "Trực tiếp", level: str = "Toàn trình",
        place: str = "Bộ phận Một cửa xã An Hòa", officer: str = "Trần Văn Nhận") -> dict[str, Any]:
    return {"name": name, "code": code, "received": received, "unit": unit, "procedure": procedure,
            "channel": channel, "level": level, "place": place, "officer": officer}


def _values(n: int, r: dict[str, Any]) -> list[Any]:
    return [n, r["name"], BIRTH, CCCD, r["unit"], r["procedure"], "1.004227", r["code"], r["received"],
            r["place"], r["officer"], r["channel"], r["level"]]


def province_xlsx(rows: list[dict[str, Any]], *, layout: str = "titles", headers: list[str] | None = None,
                  extra: Any = None) -> bytes:
    """layout "titles": title rows with merged cells, a numbering row "(1) (2) ...", a footer;
    "two_rows": a header on two rows (group titles merged across, others merged down);
    "plain": the header on the first row."""
    headers = headers or HEADERS
    book = Workbook()
    sheet = book.active
    width = len(headers)
    if layout == "titles":
        for title in ("UBND TỈNH GIA LAI", "VĂN PHÒNG UBND TỈNH",
                      "DANH SÁCH CÁN BỘ, CÔNG CHỨC NỘP HỒ SƠ TRỰC TIẾP ĐỐI VỚI THỦ TỤC ĐÃ CUNG CẤP DVC TRỰC TUYẾN",
                      "Tháng 11 năm 2026"):
            sheet.append([title])
            sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=width)
        sheet.append([])
        sheet.append(headers)
        sheet.append([f"({i})" for i in range(1, width + 1)])
    elif layout == "two_rows":
        sheet.append(["DANH SÁCH NỘP HỒ SƠ TRỰC TIẾP"])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
        top = [h if i not in (1, 2, 3) else ("Thông tin người nộp" if i == 1 else None) for i, h in enumerate(headers)]
        sheet.append(top)
        sheet.append([h if i in (1, 2, 3) else None for i, h in enumerate(headers)])
        sheet.merge_cells(start_row=2, start_column=2, end_row=2, end_column=4)
        for i in range(width):
            if i not in (1, 2, 3):
                sheet.merge_cells(start_row=2, start_column=i + 1, end_row=3, end_column=i + 1)
    else:
        sheet.append(headers)
    for n, r in enumerate(rows, start=1):
        values = _values(n, r)
        sheet.append(values if len(headers) == len(HEADERS) else [values[HEADERS.index(h)] if h in HEADERS else None for h in headers])
    if layout == "titles":
        sheet.append([])
        sheet.append([None, None, None, None, None, None, None, None, "Gia Lai, ngày 30 tháng 11 năm 2026"])
        sheet.append([None, "Người lập biểu", None, None, None, None, None, None, "CHÁNH VĂN PHÒNG"])
        sheet.append([None, "Nguyễn Thị Lập", None, None, None, None, None, None, "Trần Văn Chánh"])
    if extra:
        extra(sheet)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def province_csv(rows: list[dict[str, Any]], *, delimiter: str = ",", bom: bool = True) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(HEADERS)
    for n, r in enumerate(rows, start=1):
        values = _values(n, r)
        if isinstance(values[8], date):
            values[8] = values[8].strftime("%d/%m/%Y")
        writer.writerow(values)
    return (b"\xef\xbb\xbf" if bom else b"") + out.getvalue().encode("utf-8")
