"""The rating meeting's summary as an XLSX file: typed cells, text never run as a formula and
read as typed (no apostrophe), and LibreOffice opens it as a person's office suite would."""
from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path

import pytest
from flask import Flask
from openpyxl import load_workbook

from intranet.appraisals.periods import Period
from intranet.appraisals.summary import (
    Summary, SummaryNotice, SummaryPerson, SummaryProposal, rating_summary,
)
from intranet.appraisals.summary_export import summary_xlsx
from intranet.extensions import db
from intranet.models import PeriodKind

from .support.factories import build_data_set
from .support.libreoffice import CSV_ALL_SHEETS, convert

YEAR = Period(PeriodKind.YEAR, 2026)
# An explanation written as a list, and a title a spreadsheet would run: both kept as typed.
LISTED = "- Cổng dịch vụ công bị lỗi; - mất sóng"
FORMULA = '=HYPERLINK("http://x","x")'


def summary() -> Summary:
    proposal = SummaryProposal(1, "Trừ 5 điểm", -5, Period(PeriodKind.MONTH, 2026, 3),
                               datetime(2026, 3, 20), "Tháng 03/2026")
    first = SummaryNotice(1, "1/TB", date(2026, 3, 2), 2, LISTED, [proposal])
    second = SummaryNotice(2, "2/TB", date(2026, 3, 9), 1, None)
    return Summary(YEAR, None, [
        SummaryPerson(10, "Đinh Văn Hùng", FORMULA, "Hạt Kiểm lâm Phù Cát", [first, second]),
        SummaryPerson(11, "Đặng Quốc Bình", None, "Hạt Kiểm lâm Hoài Nhơn",
                      [SummaryNotice(3, "3/TB", date(2026, 4, 1), 1, "@ghi chú")]),
    ])


@pytest.fixture
def data(app: Flask) -> bytes:
    with app.test_request_context():
        return summary_xlsx(summary(), "Toàn Chi cục")


def test_cells_are_typed_and_text_is_kept_as_typed(data: bytes) -> None:
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.title == "Tổng hợp" and sheet["A2"].value == "Năm 2026 – Toàn Chi cục"
    assert [cell.value for cell in sheet[4]][:3] == ["STT", "Họ và tên", "Chức danh"]
    assert all(cell.font.b for cell in sheet[4])
    rows = list(sheet.iter_rows(min_row=5, values_only=True))
    assert rows[0] == (1, "Đinh Văn Hùng", FORMULA, "Hạt Kiểm lâm Phù Cát", "1/TB", "02/03/2026", 2,
                       LISTED, "Tháng 03/2026: Trừ 5 điểm", -5)
    assert rows[1][7] is None and rows[1][8] == "Chờ xem xét" and rows[1][9] is None
    assert rows[2][2] is None and rows[2][7] == "@ghi chú"
    assert rows[-1][:2] == ("Cộng", "2 người") and rows[-1][6] == 4 and rows[-1][9] == -5
    cells = {cell.value: cell for row in sheet.iter_rows(min_row=5) for cell in row}
    for text in (FORMULA, LISTED, "@ghi chú"):
        assert cells[text].data_type == "s" and cells[text].quotePrefix
    assert not cells["Đinh Văn Hùng"].quotePrefix


def test_libreoffice_opens_it_and_reads_the_text_as_typed(data: bytes, tmp_path: Path) -> None:
    files = convert(data, ".xlsx", CSV_ALL_SHEETS, tmp_path / "profile")
    (rows,) = [list(csv.reader(io.StringIO(text.decode("utf-8")))) for text in files.values()]
    person = next(row for row in rows if row[1] == "Đinh Văn Hùng")
    assert person[2] == FORMULA and person[7] == LISTED and person[9] == "-5"
    assert any(row[7] == "@ghi chú" for row in rows)
    assert "Err:" not in str(rows) and "#NAME" not in str(rows)


def test_the_summary_keeps_the_period_asked_for_when_proposals_name_others(app: Flask) -> None:
    # The file's name and its second line say the period: a year, though each proposal on its
    # notices is for a month.
    with app.test_request_context():
        build_data_set()
        db.session.commit()
        result = rating_summary(Period(PeriodKind.YEAR, 2024), None)
        assert any(notice.proposals for person in result.people for notice in person.notices)
        assert result.period == Period(PeriodKind.YEAR, 2024)
