"""In a real Chromium: the admin looks at the reminders due, sends them on a phone, and the
SMTP server has them; the staff member's home page said the same."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from playwright.sync_api import Browser, expect

from .support.browser import live_server, sign_in
from .conftest import DEMO_ADMIN, DEMO_EMPLOYEE, DEMO_PASSWORD
from .support.reminders import HUNG
from .support.smtp_server import Recorder

pytestmark = pytest.mark.browser


@pytest.fixture
def base_url(mail_app: Flask) -> Iterator[str]:
    with live_server(mail_app) as url:
        yield url


def test_admin_previews_then_sends_from_a_phone(browser: Browser, base_url: str, smtp: Recorder) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
    staff = context.new_page()
    sign_in(staff, base_url, DEMO_EMPLOYEE, DEMO_PASSWORD)
    expect(staff.get_by_role("heading", name="Việc cần làm")).to_be_visible()
    admin = context.browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN").new_page()
    sign_in(admin, base_url, DEMO_ADMIN, DEMO_PASSWORD)
    admin.get_by_role("link", name="Quản trị").first.click()
    admin.get_by_role("link", name="Thư nhắc việc").click()
    expect(admin.get_by_role("heading", name="Thư sẽ gửi")).to_be_visible()
    expect(admin.get_by_text(HUNG)).to_be_visible()
    assert smtp.arrived == []
    admin.get_by_label("Gửi loại thư").select_option("staff")
    admin.get_by_role("button", name="Gửi ngay").click()
    expect(admin.get_by_role("heading", name="Thư nhắc việc đã gửi")).to_be_visible()
    expect(admin.get_by_role("status")).to_contain_text("Nhắc kê khai:")
    assert len(smtp.to(HUNG)) == 1
    assert "Kính gửi Đinh Văn Hùng," in smtp.to(HUNG)[0].body()
