"""User journeys in a real Chromium through the real pages."""
from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from .support.browser import sign_in
from .conftest import DEMO_EMPLOYEE, DEMO_HEAD, DEMO_PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    yield page
    context.close()


def test_staff_member_signs_in_and_sees_their_full_name(page: Page, base_url: str) -> None:
    sign_in(page, base_url, DEMO_EMPLOYEE, DEMO_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Xin chào")
    expect(page.locator(".who-name")).not_to_be_empty()
    name = page.locator(".who-name").inner_text()
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)


def test_wrong_password_shows_the_message_on_a_phone(browser: Browser, base_url: str) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 740}, locale="vi-VN")
    page = context.new_page()
    sign_in(page, base_url, DEMO_EMPLOYEE, "sai")
    expect(page.get_by_role("alert")).to_contain_text("Tên đăng nhập hoặc mật khẩu không đúng.")
    # Nothing wider than the phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    context.close()


def test_employee_declares_level2_and_the_head_sees_it(browser: Browser, base_url: str) -> None:
    employee = browser.new_context(locale="vi-VN").new_page()
    sign_in(employee, base_url, DEMO_EMPLOYEE, DEMO_PASSWORD)
    expect(employee.locator(".status-card")).to_contain_text("Chưa kê khai")
    employee.get_by_role("link", name="Kê khai ngay").click()
    employee.get_by_label("Đã kích hoạt tài khoản định danh điện tử mức độ 2").check()
    employee.get_by_label("Ngày kích hoạt mức độ 2").fill("15/03/2024")
    employee.get_by_label("Tôi cam kết sử dụng").check()
    employee.get_by_role("button", name="Gửi kê khai").click()
    expect(employee.get_by_role("status")).to_contain_text("Đã ghi nhận kê khai")
    expect(employee.locator(".status-card")).to_contain_text("15/03/2024")
    name = employee.locator(".who-name").inner_text()

    head = browser.new_context(locale="vi-VN").new_page()
    sign_in(head, base_url, DEMO_HEAD, DEMO_PASSWORD)
    head.get_by_role("navigation").get_by_role("link", name="Đơn vị của tôi").click()
    row = head.get_by_role("row").filter(has_text=name)
    expect(row).to_contain_text("Mức độ 2")
    expect(row).to_contain_text("15/03/2024")
    head.get_by_role("link", name="Chưa kích hoạt mức độ 2").click()
    expect(head.get_by_role("row").filter(has_text=name)).to_have_count(0)


def test_head_records_a_notice_and_a_decision_and_the_employee_sees_both(
    browser: Browser, base_url: str
) -> None:
    head = browser.new_context(locale="vi-VN").new_page()
    sign_in(head, base_url, DEMO_HEAD, DEMO_PASSWORD)
    head.get_by_role("navigation").get_by_role("link", name="Đơn vị của tôi").click()
    head.get_by_role("link", name="Đinh Văn Hùng").click()
    head.get_by_role("link", name="Ghi nhận thông báo").click()
    expect(head.get_by_label("Người có tên trong thông báo")).to_have_value(re.compile(r"\d+"))
    head.get_by_label("Cơ quan ban hành thông báo").select_option(label="Trung tâm Phục vụ hành chính công tỉnh Gia Lai")
    head.get_by_label("Số, ký hiệu văn bản thông báo").fill("215/TB-TTPVHCC")
    head.get_by_label("Ngày thông báo").fill("12/11/2026")
    for index, (procedure, code) in enumerate([("Cấp đổi giấy phép lái xe", "H01.1"), ("Đăng ký thường trú", "H01.2")]):
        case = head.locator("fieldset.case").nth(index)
        case.get_by_label("Tên thủ tục hành chính").fill(procedure)
        case.get_by_label("Mã hồ sơ").fill(code)
        case.get_by_label("Ngày tiếp nhận hồ sơ").fill("05/11/2026")
        case.get_by_label("Người tiếp nhận").fill("Võ Thị Tiếp")
    head.get_by_role("button", name="Lưu thông báo").click()
    expect(head.get_by_role("status")).to_contain_text("Đã ghi nhận thông báo")
    expect(head.get_by_role("row")).to_have_count(3)  # header and two cases

    head.get_by_role("link", name="Ghi nhận đề xuất").click()
    expect(head.get_by_label("Số 215/TB-TTPVHCC ngày 12/11/2026")).to_be_checked()
    head.get_by_label("Kỳ đánh giá").select_option(label="Tháng 11/2026")
    head.get_by_label("Nội dung đề xuất").select_option(label="Không xét mức Hoàn thành xuất sắc nhiệm vụ")
    head.get_by_label("Căn cứ, lý do").fill("Nộp hồ sơ giấy hai lần trong tháng 11.")
    head.get_by_role("button", name="Lưu đề xuất").click()
    expect(head.get_by_role("status")).to_contain_text("Đã ghi nhận đề xuất")

    employee = browser.new_context(locale="vi-VN").new_page()
    sign_in(employee, base_url, DEMO_EMPLOYEE, DEMO_PASSWORD)
    records = employee.get_by_role("region", name="Thông báo và đề xuất liên quan đến bạn")
    expect(records).to_contain_text("215/TB-TTPVHCC")
    expect(records).to_contain_text("Đã có đề xuất")
    expect(records).to_contain_text("Không xét mức Hoàn thành xuất sắc nhiệm vụ")
