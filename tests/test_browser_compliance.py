"""The admin's compliance journey in a real Chromium: the table, last month, a unit, the Excel file."""
from __future__ import annotations

from datetime import datetime, time

import pytest
from flask import Flask
from openpyxl import load_workbook
from playwright.sync_api import Browser, expect
from sqlalchemy import func, select

from intranet.clock import local_today
from intranet.months import Month
from intranet.extensions import db
from intranet.models import Declaration, Employee, RosterEntry, Unit

from .support.browser import sign_in
from .conftest import DEMO_ADMIN, DEMO_PASSWORD

AN_LAO = "Hạt Kiểm lâm An Lão"

pytestmark = pytest.mark.browser


@pytest.fixture
def last_month(synced_app: Flask) -> Month:
    """The demo staff on the books since 2025; two of An Lão on level 2 by last month's 15th."""
    with synced_app.app_context():
        month = Month.containing(local_today()).previous()
        for employee in db.session.scalars(select(Employee)):
            # On the roster since then: the sync that added them only says "from now".
            employee.created_at = datetime(2025, 1, 1)
            db.session.add(RosterEntry(employee_id=employee.id, unit_id=employee.unit_id,
                                       on_staff=True, at=employee.created_at))
        an_lao = db.session.scalars(
            select(Employee).join(Unit).where(Unit.name == AN_LAO).order_by(Employee.id).limit(2)
        )
        mid_month = datetime.combine(month.first_day.replace(day=15), time(3))
        for employee in an_lao:
            db.session.add(
                Declaration(employee=employee, status="level2_active", activated_on=mid_month.date(),
                            committed=True, declared_at=mid_month)
            )
        db.session.commit()
        return month


def test_admin_checks_last_month_opens_a_unit_and_downloads_the_table(
    browser: Browser, base_url: str, last_month: Month, tmp_path
) -> None:
    context = browser.new_context(locale="vi-VN", accept_downloads=True)
    page = context.new_page()
    sign_in(page, base_url, DEMO_ADMIN, DEMO_PASSWORD)
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Tình hình thực hiện").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tình hình thực hiện tài khoản định danh điện tử mức độ 2")

    page.get_by_label("Tháng", exact=True).fill(last_month.iso)
    page.get_by_role("button", name="Xem").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"tháng {last_month.label}")
    row = page.locator("table.compliance-table tbody tr").filter(has_text=AN_LAO)
    expect(row.locator('[data-label="Đã kích hoạt mức độ 2"]')).to_have_text("2")
    expect(row).to_contain_text("chưa đạt 100%")
    total_staff = page.locator('table.compliance-table tr.totals [data-label="Số CC, VC, NLĐ"]').inner_text()

    row.get_by_role("link", name=AN_LAO).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(AN_LAO)
    page.get_by_role("link", name="Đã kích hoạt mức độ 2 (2)", exact=True).click()
    expect(page.locator("#staff tbody tr")).to_have_count(2)
    page.get_by_role("link", name=f"Bảng tình hình thực hiện của các đơn vị, tháng {last_month.label}").click()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Tải Excel (.xlsx)").click()
    download = download_info.value
    assert download.suggested_filename == f"tinh-hinh-thuc-hien-vneid-{last_month.iso}.xlsx"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    book = load_workbook(path)
    assert [sheet.title for sheet in book.worksheets] == ["Tổng hợp", "Chưa đạt"]
    rows = list(book.worksheets[0].iter_rows(min_row=4, values_only=True))
    an_lao = next(r for r in rows if r[1] == AN_LAO)
    assert an_lao[3] == 2
    assert rows[-1][1] == "Toàn Chi cục" and rows[-1][2] == int(total_staff)
    context.close()


def test_admin_follows_the_trend_month_by_month(
    browser: Browser, base_url: str, last_month: Month, synced_app: Flask
) -> None:
    with synced_app.app_context():
        staff = db.session.scalar(
            select(func.count(Employee.id)).join(Unit).where(Unit.name == AN_LAO, Employee.active)
        )
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    sign_in(page, base_url, DEMO_ADMIN, DEMO_PASSWORD)
    page.goto(f"{base_url}/compliance?month={last_month.iso}")
    page.get_by_role("link", name="Xem diễn biến theo tháng").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"12 tháng đến tháng {last_month.label}")
    expect(page.get_by_role("img", name="Tỷ lệ đã kích hoạt mức độ 2 toàn Chi cục")).to_be_visible()
    # Each unit's line in figures: two of An Lão's staff on level 2 by last month's end.
    an_lao = page.locator("table.trend-table tbody tr").filter(has_text=AN_LAO)
    expect(an_lao.locator("td").last).to_have_text(f"{200 / staff:.1f}%".replace(".", ","))
    context.close()


def test_the_table_fits_a_phone(browser: Browser, base_url: str, last_month: Month) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 800}, locale="vi-VN")
    page = context.new_page()
    sign_in(page, base_url, DEMO_ADMIN, DEMO_PASSWORD)
    for path in (f"/compliance?month={last_month.iso}", "/compliance/trend", "/compliance/report"):
        page.goto(base_url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
    # The headers are hidden on a phone (one labelled card per unit): sorting is in the form.
    page.goto(f"{base_url}/compliance?month={last_month.iso}")
    page.get_by_label("Sắp xếp theo").select_option("percent")
    page.get_by_role("button", name="Xem").click()
    expect(page).to_have_url(f"{base_url}/compliance?month={last_month.iso}&sort=percent")
    context.close()
