"""User journeys in a real Chromium through the real pages."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect

from .browser import chromium, live_server, sign_in
from .conftest import DEMO_EMPLOYEE, DEMO_PASSWORD


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as browser:
        yield browser


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def base_url(synced_app: Flask) -> Iterator[str]:
    with live_server(synced_app) as url:
        yield url


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
