"""The admin's compliance pages: who may open them, the month asked for, the figures shown,
the files matching the page, and a number of queries that does not grow with the units."""
from __future__ import annotations

import csv
import io
import re
from datetime import datetime
from html.parser import HTMLParser

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import func, insert, select

from intranet.clock import local_today
from intranet.compliance.memo import EXTENSION as MEMO, Memo
from intranet.months import Month
from intranet.extensions import db
from intranet.models import AuditEvent, Declaration, Employee, IssuingBody, Notice, Unit
from intranet.vietnamese import name_sort_key, text_sort_key

from .support.factories import DataSet, add_employee, build_data_set, declare
from .support.statements import recorded

PAGES = (
    "/compliance", "/compliance/trend", "/compliance/unit/{unit}", "/compliance/unit/none",
    "/compliance/report",
)
FILES = ("/compliance.xlsx", "/compliance.csv", "/compliance-missing.csv")


@pytest.fixture
def data(synced_app: Flask) -> DataSet:
    with synced_app.app_context():
        return build_data_set()


def urls(data: DataSet, month: str | None = None) -> list[str]:
    query = f"?month={month}" if month else ""
    return [url.format(unit=data.units["A"]) + query for url in (*PAGES, *FILES)]


class TableCells(HTMLParser):
    """The text of each row's cells in the table with class `css_class`."""

    def __init__(self, css_class: str) -> None:
        super().__init__()
        self.css_class, self.depth, self.rows = css_class, 0, []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            if self.depth or self.css_class in (dict(attrs).get("class") or "").split():
                self.depth += 1
        elif self.depth and tag == "tr":
            self.rows.append([])
        elif self.depth and tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "table" and self.depth:
            self.depth -= 1
        elif self.depth and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, text):
        if self.cell is not None:
            self.cell.append(text)


def page_rows(page: str) -> list[list[str]]:
    """The compliance table's unit rows and totals row (the two header rows left out)."""
    parser = TableCells("compliance-table")
    parser.feed(page)
    return parser.rows[2:]


# --- access ----------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client: FlaskClient, data: DataSet) -> None:
    for url in urls(data):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.location, url


@pytest.mark.parametrize("role", ["employee_client", "head_client"])
def test_employees_and_heads_get_403_everywhere(role: str, request: pytest.FixtureRequest, data: DataSet) -> None:
    user = request.getfixturevalue(role)
    for url in urls(data, "2024-03"):
        assert user.get(url).status_code == 403, url
    assert "/compliance" not in user.get("/").get_data(as_text=True)


def test_admin_opens_every_page_and_file(admin_client: FlaskClient, data: DataSet) -> None:
    for url in urls(data, "2024-03"):
        assert admin_client.get(url).status_code == 200, url
    home = admin_client.get("/").get_data(as_text=True)
    assert 'href="/compliance"' in home and ">Tình hình thực hiện<" in home
    assert admin_client.get("/compliance/unit/999999").status_code == 404


# --- the month -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("month", "message"),
    [
        ("2024-13", "tháng phải từ 01 đến 12"),
        ("2024-00", "tháng phải từ 01 đến 12"),
        ("abc", "Tháng không hợp lệ"),
        ("2024-3-1", "Tháng không hợp lệ"),
        ("2019-05", "Chỉ có số liệu từ tháng 10/2022"),
    ],
)
def test_a_bad_month_is_a_400_with_a_message(admin_client: FlaskClient, data: DataSet, month: str, message: str) -> None:
    for url in urls(data, month):
        response = admin_client.get(url)
        assert response.status_code == 400, url
        assert message in response.get_data(as_text=True), url


def test_a_month_after_the_current_one_is_refused(admin_client: FlaskClient, synced_app: Flask) -> None:
    with synced_app.app_context():
        following = Month.containing(local_today()).next()
    response = admin_client.get(f"/compliance?month={following.iso}")
    assert response.status_code == 400
    assert f"Chưa có số liệu cho tháng {following.label}" in response.get_data(as_text=True)


def test_the_current_month_by_default(admin_client: FlaskClient, synced_app: Flask) -> None:
    with synced_app.app_context():
        current = Month.containing(local_today())
    page = admin_client.get("/compliance").get_data(as_text=True)
    assert f"tháng {current.label}" in page
    assert f'value="{current.iso}"' in page
    assert "Tháng sau" not in page  # nothing after the current month
    # Figures begin with the first sync (this month): no earlier month is offered.
    assert "Tháng trước" not in page
    assert f"Số liệu có từ tháng {current.label}" in page


def test_a_month_typed_the_vietnamese_way(admin_client: FlaskClient, data: DataSet) -> None:
    assert "tháng 03/2024" in admin_client.get("/compliance?month=03/2024").get_data(as_text=True)


# --- the figures -----------------------------------------------------------------------


def test_the_table_shows_the_month_s_figures(admin_client: FlaskClient, data: DataSet) -> None:
    page = admin_client.get("/compliance?month=2024-03").get_data(as_text=True)
    rows = {row[1]: row for row in page_rows(page)}
    # STT, unit, staff, level 2, %, pending, level 1, no account, undeclared, notices, awaiting, decisions
    assert rows["Hạt Kiểm lâm Hoài Ân"][2:] == ["6", "2", "33,3% (chưa đạt 100%)", "1", "1", "1", "1", "3", "4", "2"]
    assert rows["Phòng Sử dụng và phát triển rừng"][4] == "100,0%"
    assert rows["Hạt Kiểm lâm Phù Mỹ"][2:5] == ["0", "0", "—"]
    assert "Hạt Kiểm lâm Phù Cát (đơn vị đã ngừng)" in rows
    assert "Trạm Kiểm lâm đã giải thể" not in page
    assert rows["Chưa thuộc đơn vị nào"][2] == "1"
    assert rows["Toàn Chi cục"][2:4] == ["9", "4"]
    # Units below 100% are marked in words and by a class, not by colour alone.
    assert page.count('class="below-target"') == 2
    assert "chưa đạt 100%" in page


def test_numbers_link_to_the_people_behind_them(admin_client: FlaskClient, data: DataSet) -> None:
    a = data.units["A"]
    page = admin_client.get("/compliance?month=2024-03").get_data(as_text=True)
    assert f'href="/compliance/unit/{a}?month=2024-03&amp;status=undeclared#staff">1</a>' in page
    assert f'<a href="/compliance/unit/{a}?month=2024-03">' in page  # the unit's name
    assert 'href="/compliance/unit/none?month=2024-03&amp;status=undeclared#staff">1</a>' in page
    unit = admin_client.get(f"/compliance/unit/{a}?month=2024-03&status=undeclared").get_data(as_text=True)
    assert "Phạm Thị Dung" in unit and "Nguyễn Văn An" not in unit.split('id="staff-title"')[1].split("</table>")[0]
    assert "Chưa kê khai (1)" in unit


def test_the_unit_page_lists_staff_notices_and_decisions(admin_client: FlaskClient, data: DataSet) -> None:
    page = admin_client.get(f"/compliance/unit/{data.units['A']}?month=2024-03").get_data(as_text=True)
    for present in ("Nguyễn Văn An", "Trần Thị Bình", "Bùi Thị Hoa", "Đặng Văn Hải"):
        assert present in page
    assert "Hồ Văn Em" not in page  # left in February
    assert "Võ Thị Giang" not in page  # joined in April
    assert "Thông báo ban hành trong tháng 03/2024 (3)" in page
    assert "Thông báo còn chờ thủ trưởng đề xuất vào cuối tháng (4)" in page
    assert page.count("<td data-label=\"Ghi nhận lúc\">") == 2


def test_sorting_from_the_headers(admin_client: FlaskClient, data: DataSet) -> None:
    page = admin_client.get("/compliance?month=2024-03&sort=-percent").get_data(as_text=True)
    names = [row[1] for row in page_rows(page)]
    assert names[0] == "Phòng Sử dụng và phát triển rừng"
    assert 'aria-sort="descending"' in page
    assert 'href="/compliance?month=2024-03&amp;sort=percent"' in page  # the header toggles
    assert '<option value="-percent" selected>' in page


def test_the_chart_is_svg_on_the_trend_page(admin_client: FlaskClient, data: DataSet) -> None:
    table = admin_client.get("/compliance?month=2024-03").get_data(as_text=True)
    assert 'href="/compliance/trend?month=2024-03"' in table

    page = admin_client.get("/compliance/trend?month=2024-03").get_data(as_text=True)
    chart = page.split('aria-labelledby="trend-all-title trend-all-desc"')[1].split("</svg>")[0]
    # A point for each month with staff (January to March 2024): the months before leave a gap.
    assert chart.count("<circle") == 3
    assert "Toàn Chi cục, tháng 03/2024: 44,4% (4/9 người đã kích hoạt mức độ 2)" in chart
    assert "<script" not in page and "style=" not in page
    # Every unit's line in figures, the retired unit with someone still in it included.
    rows = page.split("<details open>")[1].split("</details>")[0]
    assert rows.index("Toàn Chi cục") < rows.index("Hạt Kiểm lâm Hoài Ân") < rows.index("Hạt Kiểm lâm Phù Mỹ")
    assert "44,4%" in rows


def test_the_report_is_laid_out_as_an_official_report(admin_client: FlaskClient, data: DataSet, synced_app: Flask) -> None:
    page = admin_client.get("/compliance/report?month=2024-03").get_data(as_text=True)
    for text in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "BÁO CÁO", "Nơi nhận:",
        "Tình hình kích hoạt và sử dụng tài khoản định danh điện tử mức độ 2 của công chức, viên chức, người lao động tháng 03/2024",
        "đã kích hoạt tài khoản mức độ 2: 4 người (44,4%)",
    ):
        assert text in page, text
    with synced_app.app_context():
        today = local_today()
    assert f"ngày {today.day:02d} tháng" in page and f"năm {today.year}" in page
    assert "css/report.css" in page


# --- the files -------------------------------------------------------------------------


def test_the_files_match_the_page(admin_client: FlaskClient, data: DataSet) -> None:
    page = page_rows(admin_client.get("/compliance?month=2024-03").get_data(as_text=True))
    response = admin_client.get("/compliance.xlsx?month=2024-03")
    assert response.headers["Content-Disposition"] == "attachment; filename=tinh-hinh-thuc-hien-vneid-2024-03.xlsx"
    sheet = list(load_workbook(io.BytesIO(response.data)).worksheets[0].iter_rows(min_row=4, values_only=True))
    csv_response = admin_client.get("/compliance.csv?month=2024-03")
    assert csv_response.headers["Content-Disposition"] == "attachment; filename=tinh-hinh-thuc-hien-vneid-2024-03.csv"
    assert csv_response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(csv_response.data.decode("utf-8-sig"))))[1:]
    assert len(sheet) == len(rows) == len(page)
    for html, xlsx, text in zip(page, sheet, rows):
        assert html[1].removesuffix(" (đơn vị đã ngừng)") == xlsx[1] == text[1]
        counts = [html[2], html[3], *html[5:]]
        assert [int(n) for n in counts] == [xlsx[2], xlsx[3], *xlsx[5:]] == [int(n) for n in [text[2], text[3], *text[5:]]]
        assert all(type(v) is int for v in [xlsx[2], xlsx[3], *xlsx[5:]])
        percent = re.search(r"[\d,]+", html[4])
        if percent is None:
            assert xlsx[4] is None and text[4] == ""
        else:
            assert f"{xlsx[4]:.1f}".replace(".", ",") == percent.group() == text[4].replace(".", ",")


def test_the_missing_staff_file(admin_client: FlaskClient, data: DataSet) -> None:
    response = admin_client.get("/compliance-missing.csv?month=2024-03")
    assert response.headers["Content-Disposition"] == "attachment; filename=chua-dat-vneid-2024-03.csv"
    header, *rows = csv.reader(io.StringIO(response.data.decode("utf-8-sig")))
    assert header == ["STT", "Đơn vị", "Họ và tên", "Chức danh", "Tình trạng VNeID", "Ngày kê khai"]
    assert sorted(row[2] for row in rows) == sorted(
        ["Trần Thị Bình", "Phạm Thị Dung", "Đặng Văn Hải", "Bùi Thị Hoa", "Lý Văn Minh"]
    )


def test_downloads_are_logged(admin_client: FlaskClient, data: DataSet, synced_app: Flask) -> None:
    for url in FILES:
        admin_client.get(url + "?month=2024-03")
    with synced_app.app_context():
        files = db.session.scalars(
            select(AuditEvent.details).where(AuditEvent.action == "compliance.export").order_by(AuditEvent.id)
        ).all()
    assert [f["file"] for f in files] == [
        "tinh-hinh-thuc-hien-vneid-2024-03.xlsx", "tinh-hinh-thuc-hien-vneid-2024-03.csv", "chua-dat-vneid-2024-03.csv",
    ]


def test_a_name_starting_with_a_formula_sign_stays_text(admin_client: FlaskClient, synced_app: Flask) -> None:
    evil_name = '=HYPERLINK("http://evil.example","x")'
    with synced_app.app_context():
        unit = Unit(evil_name)
        person = add_employee("=1+2 Nguyễn", unit, title="@SUM(A1)")
        declare(person, "level1", datetime(2024, 3, 2))
        db.session.commit()
    book = load_workbook(io.BytesIO(admin_client.get("/compliance.xlsx").data))
    units = [row[1] for row in book.worksheets[0].iter_rows(min_row=4)]
    evil = next(cell for cell in units if "HYPERLINK" in str(cell.value))
    # Text as typed, in a string cell with Excel's quote-prefix style: no apostrophe to see.
    assert evil.value == evil_name and evil.data_type == "s" and evil.quotePrefix
    person_row = next(row for row in book.worksheets[1].iter_rows(min_row=4) if "=1+2" in str(row[2].value))
    assert [person_row[i].value for i in (1, 2, 3)] == [evil_name, "=1+2 Nguyễn", "@SUM(A1)"]
    assert all(person_row[i].quotePrefix and person_row[i].data_type == "s" for i in (1, 2, 3))
    assert not any(cell.quotePrefix for cell in units if cell.value and "Hạt" in cell.value)
    assert all(cell.data_type != "f" for sheet in book.worksheets for row in sheet.iter_rows() for cell in row)
    table = admin_client.get("/compliance.csv").data.decode("utf-8-sig")
    assert "\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\"" in table
    missing = admin_client.get("/compliance-missing.csv").data.decode("utf-8-sig")
    assert "'=1+2 Nguyễn,'@SUM(A1)" in missing


# --- the number of queries -------------------------------------------------------------


def add_units(app: Flask, count: int, staff_each: int = 5) -> None:
    """`count` units with staff, declarations and a notice each, in bulk."""
    with app.app_context():
        first = (db.session.scalar(select(func.max(Unit.id))) or 0) + 1
        names = [f"Trạm Kiểm lâm số {first + i}" for i in range(count)]
        db.session.execute(insert(Unit), [{"name": n, "sort_key": text_sort_key(n)} for n in names])
        unit_ids = db.session.scalars(select(Unit.id).where(Unit.name.in_(names))).all()
        created = datetime(2024, 1, 1)
        people = [
            {"username": f"bulk{u}-{i}", "directory_dn": f"uid=bulk{u}-{i}", "full_name": f"Cán bộ {u} {i}",
             "sort_key": name_sort_key(f"Cán bộ {u} {i}"), "unit_id": u, "created_at": created}
            for u in unit_ids for i in range(staff_each)
        ]
        db.session.execute(insert(Employee), people)
        staff = db.session.execute(select(Employee.id, Employee.unit_id).where(Employee.unit_id.in_(unit_ids))).all()
        statuses = ("level2_active", "level1", "level2_pending", "none")
        db.session.execute(
            insert(Declaration),
            [{"employee_id": e, "status": statuses[e % 4], "declared_at": datetime(2024, 2, 1)} for e, _u in staff],
        )
        body = db.session.scalar(select(IssuingBody.id))
        firsts = {u: e for e, u in reversed(staff)}
        db.session.execute(
            insert(Notice),
            [{"employee_id": e, "unit_id": u, "issuing_body_id": body, "reference_number": f"{u}/TB",
              "notice_date": datetime(2024, 3, 1).date(), "recorded_by_id": e, "recorded_at": datetime(2024, 3, 2)}
             for u, e in firsts.items()],
        )
        db.session.commit()


def queries_per_url(app: Flask, client: FlaskClient, data: DataSet) -> dict[str, int]:
    """Statements per page with nothing kept from an earlier view (compliance/memo.py): kept
    figures brought up to date after a write ask one more, whatever the data's size."""
    counts = {}
    for url in urls(data, "2024-03"):
        app.extensions.get(MEMO, Memo()).clear()
        with recorded(app) as statements:
            assert client.get(url).status_code == 200, url
        counts[url] = statements.count
    return counts


def test_the_number_of_queries_does_not_grow_with_units(admin_client: FlaskClient, synced_app: Flask, data: DataSet) -> None:
    add_units(synced_app, 3)
    few = queries_per_url(synced_app, admin_client, data)
    add_units(synced_app, 297)
    with synced_app.app_context():
        assert db.session.scalar(select(func.count(Unit.id))) >= 300
    many = queries_per_url(synced_app, admin_client, data)
    assert many == few
    assert max(few.values()) <= 15, few
