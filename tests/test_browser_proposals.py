"""The journey from a notice to the rating meeting, in a real Chromium: the head records a
notice, the staff member explains, the head reads it and proposes, the summary counts it."""
from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from playwright.sync_api import Browser, expect

from .conftest import DEMO_EMPLOYEE, DEMO_HEAD, DEMO_PASSWORD
from .support.browser import sign_in
from .support.clock import agency_today
from .support.forms import employee_id

pytestmark = pytest.mark.browser


def test_notice_explanation_proposal_summary(browser: Browser, base_url: str, synced_app: Flask) -> None:
    dated = agency_today() - timedelta(days=1)
    head = browser.new_context(locale="vi-VN").new_page()
    sign_in(head, base_url, DEMO_HEAD, DEMO_PASSWORD)
    head.goto(f"{base_url}/notices/new?employee={employee_id(synced_app, DEMO_EMPLOYEE)}")
    head.get_by_label("Cơ quan ban hành thông báo").select_option(label="Trung tâm Phục vụ hành chính công tỉnh Gia Lai")
    head.get_by_label("Số, ký hiệu văn bản thông báo").fill("88/TB-TTPVHCC")
    head.get_by_label("Ngày thông báo").fill(dated.strftime("%d/%m/%Y"))
    case = head.locator("fieldset.case").first
    case.get_by_label("Tên thủ tục hành chính").fill("Đăng ký thường trú")
    case.get_by_label("Mã hồ sơ").fill("H88.1")
    case.get_by_label("Ngày tiếp nhận hồ sơ").fill(dated.strftime("%d/%m/%Y"))
    case.get_by_label("Người tiếp nhận").fill("Võ Thị Tiếp")
    head.get_by_role("button", name="Lưu thông báo").click()
    expect(head.get_by_role("status")).to_contain_text("Đã ghi nhận thông báo")
    notice_url = head.url

    employee = browser.new_context(locale="vi-VN").new_page()
    sign_in(employee, base_url, DEMO_EMPLOYEE, DEMO_PASSWORD)
    employee.get_by_role("link", name="Gửi giải trình về thông báo 88/TB-TTPVHCC").click()
    employee.get_by_label("Nội dung giải trình").fill("Cổng dịch vụ công không truy cập được hôm đó.")
    employee.get_by_role("button", name="Gửi giải trình").click()
    expect(employee.get_by_role("status")).to_contain_text("Đã gửi giải trình")
    expect(employee.get_by_role("region", name="Thông báo và đề xuất liên quan đến bạn")).to_contain_text(
        "Đã gửi giải trình")

    head.goto(notice_url)
    expect(head.locator("main")).to_contain_text("Cổng dịch vụ công không truy cập được hôm đó.")
    head.get_by_role("link", name="Ghi nhận đề xuất").click()
    expect(head.locator("form.card")).to_contain_text("Cổng dịch vụ công không truy cập được hôm đó.")
    head.get_by_label("Kỳ đánh giá").select_option(label=f"Tháng {agency_today():%m/%Y}")
    head.get_by_label("Nội dung đề xuất").select_option(label="Nhắc nhở")
    head.get_by_label("Căn cứ, lý do").fill("Đã xem giải trình; lần đầu.")
    head.get_by_role("button", name="Lưu đề xuất").click()
    expect(head.get_by_role("status")).to_contain_text("Đã ghi nhận đề xuất")

    head.goto(f"{base_url}/notices/awaiting")
    head.get_by_role("link", name="Tổng hợp cho họp đánh giá, xếp loại chất lượng").click()
    head.get_by_label("Kỳ đánh giá").select_option(label=f"Năm {agency_today().year}")
    head.get_by_role("button", name="Xem tổng hợp").click()
    summary = head.get_by_role("article")
    expect(summary).to_contain_text("Trong kỳ có 1 người với 1 thông báo (1 hồ sơ); 1 thông báo có giải trình; "
                                    "1 thông báo đã có đề xuất, 0 thông báo chờ xem xét")
    expect(summary).to_contain_text("Đinh Văn Hùng")
    expect(summary).to_contain_text("Nhắc nhở")
