"""The compliance files: typed XLSX cells, CSV that Excel reads as UTF-8, no formula ever runs."""
from __future__ import annotations

import csv
import io
from pathlib import Path
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from openpyxl import load_workbook
from openpyxl.workbook import Workbook
from sqlalchemy import text

from intranet.compliance.exports import compliance_csv, compliance_xlsx, missing_csv, neutralise
from intranet.compliance.figures import unit_compliance
from intranet.compliance.results import MissingLine
from intranet.compliance.staff import non_compliant_staff
from intranet.extensions import db

from .conftest import ON_POSTGRES, make_app
from .support.factories import MARCH, build_data_set


def open_xlsx(data: bytes) -> Workbook:
    return load_workbook(io.BytesIO(data))


def xlsx_table(book: Workbook, sheet: int) -> list[tuple]:
    """The header row (row 3, under the title) and the rows after it."""
    return list(book.worksheets[sheet].iter_rows(min_row=3, values_only=True))


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read UTF-8"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+84 912", "'+84 912"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Nguyễn Văn An", "Nguyễn Văn An"),
        ("a=b", "a=b"),
    ],
)
def test_text_that_would_run_as_a_formula_is_neutralised(text: str, safe: str) -> None:
    assert neutralise(text) == safe


def test_numbers_and_dates_are_left_as_they_are() -> None:
    assert neutralise(-3) == -3 and neutralise(None) is None
    assert neutralise(datetime(2024, 3, 1)) == datetime(2024, 3, 1)


@pytest.fixture
def march(app: Flask):
    # A request, as in the views: the headers are in the user's language.
    with app.test_request_context():
        build_data_set()
        yield unit_compliance(MARCH), non_compliant_staff(MARCH)


def test_xlsx_cells_are_typed(march) -> None:
    table, missing = march
    book = open_xlsx(compliance_xlsx(table, missing))
    assert [sheet.title for sheet in book.worksheets] == ["Tổng hợp", "Chưa đạt"]
    assert "tháng 03/2024" in book.worksheets[0]["A1"].value
    header, *rows = xlsx_table(book, 0)
    assert header[:5] == ("STT", "Đơn vị", "Số CC, VC, NLĐ", "Đã kích hoạt mức độ 2", "Tỷ lệ đã kích hoạt (%)")
    totals = rows[-1]
    assert totals[1] == "Toàn Chi cục"
    assert totals[2:5] == (9, 4, pytest.approx(100 * 4 / 9))
    assert all(isinstance(value, int) for value in totals[5:])
    assert book.worksheets[0].cell(4, 5).number_format == "0.0"
    assert [row[0] for row in rows[:-1]] == list(range(1, len(table.rows) + 1))

    header, *people = xlsx_table(book, 1)
    assert header == ("STT", "Đơn vị", "Họ và tên", "Chức danh", "Tình trạng VNeID", "Ngày kê khai")
    assert len(people) == len(missing) == 5
    declared = [row for row in people if row[5] is not None]
    assert declared and all(isinstance(row[5], datetime) for row in declared)
    assert book.worksheets[1].cell(4, 6).number_format == "dd/mm/yyyy"
    # Declared on 5 March 2024 at 00:00 UTC: 07:00 local, the same day.
    pending = next(row for row in people if row[4] == "Chờ kích hoạt mức độ 2")
    assert pending[5].date().isoformat() == "2024-03-05"


def test_csv_files(march) -> None:
    table, missing = march
    header, *rows = read_csv(compliance_csv(table))
    assert header[4] == "Tỷ lệ đã kích hoạt (%)"
    assert rows[-1][1:5] == ["Toàn Chi cục", "9", "4", "44.4"]
    header, *people = read_csv(missing_csv(missing))
    assert header[2] == "Họ và tên" and len(people) == 5
    assert "05/03/2024" in [row[5] for row in people]


@pytest.mark.skipif(not ON_POSTGRES, reason="PostgreSQL's work_mem")
def test_the_missing_staff_sort_has_memory_for_its_transaction_only(app: Flask) -> None:
    # Sorting a province's ~11,000 rows spilled to disk with the default 4 MB.
    with app.test_request_context():
        build_data_set()
        default = db.session.scalar(text("SHOW work_mem"))
        non_compliant_staff(MARCH)
        assert db.session.scalar(text("SHOW work_mem")) == "16MB"
        db.session.rollback()
        assert db.session.scalar(text("SHOW work_mem")) == default


@pytest.mark.parametrize(("zone", "changes"), [
    ("Asia/Ho_Chi_Minh", []),
    ("Europe/Paris", [datetime(2024, 3, 31, 1), datetime(2024, 10, 27, 1)]),
    ("America/St_Johns", [datetime(2024, 3, 10, 5, 30), datetime(2024, 11, 3, 4, 30)]),
    ("Australia/Lord_Howe", [datetime(2024, 4, 6, 15), datetime(2024, 10, 5, 15, 30)]),  # 30 min
])
def test_each_line_is_dated_on_the_users_day_across_clock_changes(
    tmp_path: Path, zone: str, changes: list[datetime]
) -> None:
    # Stored moments are UTC; the file gives the day where the users are, on the days the
    # clocks change too (every ten minutes of the day before, the day of and the day after).
    app = make_app(tmp_path, BABEL_DEFAULT_TIMEZONE=zone)
    moments = [change.replace(hour=0, minute=0) + timedelta(days=-1, minutes=10 * step)
               for change in [*changes, datetime(2024, 6, 1)] for step in range(3 * 24 * 6)]
    lines = [MissingLine(n, None, None, f"Người {n}", None, "level1", moment)
             for n, moment in enumerate(moments)]
    with app.test_request_context():
        _header, *rows = read_csv(missing_csv(lines))
    local = ZoneInfo(zone)
    expected = [moment.replace(tzinfo=timezone.utc).astimezone(local).strftime("%d/%m/%Y")
                for moment in moments]
    assert [row[5] for row in rows] == expected
