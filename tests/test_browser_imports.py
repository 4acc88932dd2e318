"""Browser journey: the admin imports the province's list, the head finds the notice in their queue."""
from __future__ import annotations


import pytest
from playwright.sync_api import Browser, expect

from .support.a11y import serious_violations, with_axe
from .support.browser import sign_in
from .conftest import DEMO_ADMIN, DEMO_HEAD, DEMO_PASSWORD
from .support.import_files import province_xlsx, row

pytestmark = pytest.mark.browser


def test_from_upload_to_the_head_s_queue(browser: Browser, base_url: str) -> None:
    admin = with_axe(browser.new_context(locale="vi-VN")).new_page()
    sign_in(admin, base_url, DEMO_ADMIN, DEMO_PASSWORD)
    admin.get_by_role("link", name="Quản trị", exact=True).click()
    admin.get_by_role("link", name="Nhập danh sách").click()
    admin.get_by_label("Tệp danh sách").set_input_files({
        "name": "danh-sach-thang-11.xlsx",
        "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "buffer": province_xlsx([row("ĐINH VĂN HÙNG", "H08.22-261103-0001"), row("Người Ngoài", "H08.22-261103-0002")]),
    })
    admin.get_by_label("Cơ quan gửi danh sách").select_option(index=1)
    admin.get_by_label("Tháng của danh sách").fill("2026-11")
    admin.get_by_role("button", name="Đọc danh sách và xem trước").click()
    expect(admin.get_by_role("heading", level=1)).to_contain_text("Xem trước")
    expect(admin.locator("tr.state-not_staff")).to_contain_text("Người Ngoài")
    admin.get_by_role("button", name="Xác nhận").click()
    expect(admin.get_by_role("status")).to_contain_text("1 thông báo, 1 hồ sơ")
    assert serious_violations(admin) == []  # the import's record

    head = with_axe(browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844})).new_page()
    sign_in(head, base_url, DEMO_HEAD, DEMO_PASSWORD)
    head.get_by_role("link", name="Chờ xử lý").click()
    expect(head.get_by_role("heading", level=1)).to_have_text("Thông báo chờ tôi xử lý")
    assert serious_violations(head) == []
    assert head.evaluate("document.documentElement.scrollWidth") <= 390
    expect(head.locator("table")).to_contain_text("Đinh Văn Hùng")
    head.get_by_role("link", name="Danh sách tháng 11/2026").click()
    expect(head.locator("table")).to_contain_text("H08.22-261103-0001")


@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844}, {"width": 1280, "height": 800}])
def test_the_preview_is_accessible_and_fits_a_phone(browser: Browser, base_url: str, viewport: dict) -> None:
    context = with_axe(browser.new_context(locale="vi-VN", viewport=viewport))
    admin = context.new_page()
    sign_in(admin, base_url, DEMO_ADMIN, DEMO_PASSWORD)
    admin.goto(base_url + "/notices/imports/new")
    admin.get_by_label("Tệp danh sách").set_input_files({
        "name": "ds.xlsx", "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "buffer": province_xlsx([row("Đinh Văn Hùng", "A-1"), row("Dinh Van Hung", "A-2"), row("Người Ngoài", "A-3"),
                                 row("Đinh Văn Hùng", "A-4", received="31/02/2026")]),
    })
    admin.get_by_label("Cơ quan gửi danh sách").select_option(index=1)
    admin.get_by_label("Tháng của danh sách").fill("2026-11")
    admin.get_by_role("button", name="Đọc danh sách và xem trước").click()
    expect(admin.locator("tr.state-suggestion select")).to_be_visible()
    admin.evaluate("window.scrollTo(0, 0)")  # as the page opens, whatever the click scrolled
    assert serious_violations(admin) == []
    assert admin.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    context.close()
