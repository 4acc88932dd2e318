"""Forms on a 390×844 phone and a 1280×800 screen: dates as keypads type them, Enter saves a
notice, focus lands on what went wrong; sizes a finger and an eye need."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from intranet.dates import TypedDateError, format_date, parse_typed_date
from intranet.extensions import db
from intranet.models import Employee, Notice

from .support.browser import DESKTOP, PHONE, live_server, sign_in
from .conftest import DEMO_EMPLOYEE, DEMO_HEAD, DEMO_PASSWORD
from .support.dates import NOT_DATES, NOT_ON_THE_CALENDAR, TYPED

pytestmark = pytest.mark.browser


@pytest.fixture
def base_url(lived_in_app: Flask) -> Iterator[str]:  # noqa: F811
    with live_server(lived_in_app) as url:
        yield url


@pytest.fixture(params=[PHONE, DESKTOP], ids=["phone", "desktop"])
def screen(request: pytest.FixtureRequest) -> dict[str, int]:
    return request.param


def new_page(browser: Browser, viewport: dict[str, int]) -> Page:
    return browser.new_context(locale="vi-VN", viewport=viewport).new_page()


def test_the_page_script_reads_dates_as_the_server_does(browser: Browser, base_url: str) -> None:
    page = new_page(browser, DESKTOP)
    sign_in(page, base_url, DEMO_EMPLOYEE, DEMO_PASSWORD)
    page.goto(f"{base_url}/declaration")
    for text in [*TYPED, *NOT_DATES, *NOT_ON_THE_CALENDAR]:
        try:
            expected = format_date(parse_typed_date(text))
        except TypedDateError:
            expected = None
        assert page.evaluate("text => window.parseTypedDate(text)", text) == expected, text
    page.context.close()


def test_an_iphone_keypad_date_is_understood_shown_and_saved(browser: Browser, base_url: str, screen) -> None:
    page = new_page(browser, screen)
    sign_in(page, base_url, DEMO_EMPLOYEE, DEMO_PASSWORD)
    page.goto(f"{base_url}/declaration")
    page.get_by_label("Đã kích hoạt tài khoản định danh điện tử mức độ 2").check()
    date_field = page.get_by_label("Ngày kích hoạt mức độ 2")
    expect(date_field).to_have_attribute("inputmode", "numeric")
    date_field.press_sequentially("15032024")  # digits only: what the keypad has
    # Said back as typed, and announced (the echo describes the field).
    expect(page.locator(".date-echo")).to_have_text("Hiểu là: Thứ Sáu, 15/03/2024")
    assert "activated_on-echo" in date_field.get_attribute("aria-describedby")
    page.get_by_label("Tôi cam kết sử dụng").check()
    page.get_by_role("button", name="Gửi kê khai").click()
    expect(page.get_by_role("status")).to_contain_text("Đã ghi nhận kê khai")
    expect(page.locator(".status-card")).to_contain_text("15/03/2024")
    page.context.close()


def test_enter_in_a_text_field_saves_the_notice(browser: Browser, base_url: str, screen, lived_in_app: Flask) -> None:  # noqa: F811
    with lived_in_app.app_context():
        employee_id = db.session.scalar(select(Employee.id).filter_by(username=DEMO_EMPLOYEE))
        before = db.session.query(Notice).count()
    page = new_page(browser, screen)
    sign_in(page, base_url, DEMO_HEAD, DEMO_PASSWORD)
    page.goto(f"{base_url}/notices/new?employee={employee_id}")
    page.get_by_label("Cơ quan ban hành thông báo").select_option(index=1)
    page.get_by_label("Ngày thông báo").fill("20112026")
    case = page.locator("fieldset.case").first
    case.get_by_label("Tên thủ tục hành chính").fill("Cấp đổi giấy phép lái xe")
    case.get_by_label("Mã hồ sơ").fill("H09.1-ENTER")
    case.get_by_label("Ngày tiếp nhận hồ sơ").fill("18.11.2026")
    case.get_by_label("Người tiếp nhận").fill("Võ Thị Tiếp")
    reference = page.get_by_label("Số, ký hiệu văn bản thông báo")
    reference.fill("301/TB-TTPVHCC")
    reference.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Đã ghi nhận thông báo")
    expect(page.get_by_text("20/11/2026").first).to_be_visible()
    with lived_in_app.app_context():
        assert db.session.query(Notice).count() == before + 1
    page.context.close()


def test_a_refused_declaration_puts_focus_on_the_summary_whose_links_reach_the_fields(
    browser: Browser, base_url: str, screen
) -> None:
    page = new_page(browser, screen)
    sign_in(page, base_url, DEMO_EMPLOYEE, DEMO_PASSWORD)
    page.goto(f"{base_url}/declaration")
    page.get_by_label("Đã kích hoạt tài khoản định danh điện tử mức độ 2").check()
    page.get_by_label("Ngày kích hoạt mức độ 2").fill("01/01/0001")
    page.get_by_role("button", name="Gửi kê khai").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("bạn đã nhập 01/01/0001")
    expect(summary).to_be_in_viewport()
    summary.get_by_role("link", name="Ngày kích hoạt mức độ 2").click()
    date_field = page.get_by_label("Ngày kích hoạt mức độ 2")
    expect(date_field).to_be_focused()
    expect(date_field).to_have_attribute("aria-invalid", "true")
    page.context.close()


def test_a_refused_notice_puts_focus_on_the_summary(browser: Browser, base_url: str, screen) -> None:
    page = new_page(browser, screen)
    sign_in(page, base_url, DEMO_HEAD, DEMO_PASSWORD)
    page.goto(f"{base_url}/notices/new")
    page.get_by_label("Ngày thông báo").fill("01/01/0001")
    page.get_by_label("Ngày thông báo").press("Enter")
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    summary.get_by_role("link", name="Ngày thông báo").click()
    expect(page.get_by_label("Ngày thông báo")).to_be_focused()
    page.context.close()


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two CSS rgb() colours."""
    def luminance(color: str) -> float:
        channels = [int(c) / 255 for c in color[color.index("(") + 1:color.index(")")].split(",")[:3]]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_focus_ring_stands_out_on_white_and_on_the_top_bar(browser: Browser, base_url: str) -> None:
    page = new_page(browser, DESKTOP)
    sign_in(page, base_url, DEMO_EMPLOYEE, DEMO_PASSWORD)
    page.goto(f"{base_url}/declaration")
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the brand link, on the green bar
    ring = page.evaluate("() => { const s = getComputedStyle(document.activeElement);"
                         " return [s.outlineColor, s.outlineStyle, s.boxShadow]; }")
    bar = page.evaluate("() => getComputedStyle(document.querySelector('.topbar')).backgroundColor")
    assert ring[1] == "solid"
    inner = ring[2][: ring[2].index(")") + 1]  # the white ring inside, for dark backgrounds
    assert max(contrast(ring[0], bar), contrast(inner, bar)) >= 3
    page.get_by_label("Ghi chú").focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # a keyboard focus on a field on white
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineColor")
    assert contrast(outline, "rgb(255, 255, 255)") >= 3
    page.context.close()


def height(page: Page, selector: str) -> float:
    return page.locator(selector).first.bounding_box()["height"]


def test_small_controls_are_big_enough_to_tap(browser: Browser, base_url: str) -> None:
    page = new_page(browser, PHONE)
    sign_in(page, base_url, "huonglt", DEMO_PASSWORD)
    assert height(page, ".who .link-button") >= 44  # Đăng xuất
    assert height(page, ".lang .link-button") >= 44  # English
    page.goto(f"{base_url}/notices")
    assert height(page, "#month") >= 44
    page.set_viewport_size(DESKTOP)  # on a phone the table's head is hidden: cards instead
    page.goto(f"{base_url}/compliance")
    assert height(page, "a.sort") >= 24
    page.context.close()


def test_on_a_phone_badges_and_the_history_stay_readable(browser: Browser, base_url: str) -> None:
    head = new_page(browser, PHONE)
    sign_in(head, base_url, DEMO_HEAD, DEMO_PASSWORD)
    head.goto(f"{base_url}/unit")
    badge = head.locator(".badge", has_text="chờ đề xuất").first
    expect(badge).to_be_visible()
    # One line high (not stretched to the cell), its text inside it, and beside its link.
    assert badge.bounding_box()["height"] <= 32
    assert badge.evaluate("b => b.scrollWidth <= b.clientWidth + 1 && b.scrollHeight <= b.clientHeight + 1")
    link = head.get_by_role("link", name="2 thông báo")
    assert link.bounding_box()["height"] <= 32  # "2 thông báo" on one line, not a word a line
    assert head.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    head.context.close()

    employee = new_page(browser, PHONE)
    sign_in(employee, base_url, DEMO_EMPLOYEE, DEMO_PASSWORD)
    employee.goto(f"{base_url}/declaration")
    status = employee.locator("table tbody tr").first.locator("td").nth(1)
    expect(status).to_contain_text("Đã đăng ký mức độ 2")
    # "Đã đăng ký mức độ 2, đang chờ kích hoạt" on two lines at most, not one word a line.
    line = float(status.evaluate("c => parseFloat(getComputedStyle(c).lineHeight)"))
    assert status.bounding_box()["height"] <= 3 * line + 12
    employee.context.close()
