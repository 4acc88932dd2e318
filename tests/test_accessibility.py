"""Every page each role reaches, and the states a person meets on them (errors, a phone's
width), has no serious or critical axe-core violation (WCAG 2.2 A and AA)."""
from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect

from .support.a11y import serious_violations, with_axe
from .support.browser import DESKTOP, PHONE, live_server, sign_in
from .conftest import DEMO_ADMIN, DEMO_EMPLOYEE, DEMO_HEAD, DEMO_PASSWORD

pytestmark = pytest.mark.browser

# Not pages: files, the static folder, sign-out and language (POST forms anyway).
SKIP = re.compile(r"^/(static/|logout|language|healthz)|\.(xlsx|csv|docx|pdf)$")
MOST_PAGES = 80  # per role: far more than the kinds of page there are


@pytest.fixture
def base_url(lived_in_app: Flask) -> Iterator[str]:
    with live_server(lived_in_app) as url:
        yield url


def kind_of_page(path: str, query: str) -> str:
    """Pages that differ only by ids or parameter values are one kind: visited once."""
    return re.sub(r"\d+", "#", path) + "?" + ",".join(sorted({k for k, _ in parse_qsl(query)}))


def crawl(page: Page, base_url: str, starts: list[str]) -> tuple[list[str], list[str]]:
    """Visit every kind of page reachable by links from `starts`; the paths and the violations."""
    queue, visited, problems = list(starts), [], []
    kinds = {kind_of_page(*urlsplit(start)[2:4]) for start in starts}
    while queue and len(visited) < MOST_PAGES:
        path = queue.pop(0)
        page.goto(base_url + path)
        visited.append(path)
        problems += serious_violations(page)
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))"):
            url = urlsplit(urljoin(page.url, href))
            if f"{url.scheme}://{url.netloc}" != base_url or SKIP.search(url.path):
                continue
            kind = kind_of_page(url.path, url.query)
            if kind not in kinds:
                kinds.add(kind)
                queue.append(url.path + (f"?{url.query}" if url.query else ""))
    return visited, problems


def check_states(page: Page, base_url: str, role: str) -> list[str]:
    """Pages as they look after a slip: a refused form with its summary, a date being typed."""
    problems = []
    page.goto(f"{base_url}/declaration")
    page.get_by_label("Đã kích hoạt tài khoản định danh điện tử mức độ 2").check()
    page.get_by_label("Ngày kích hoạt mức độ 2").fill("15032024")
    expect(page.locator(".date-echo")).to_contain_text("15/03/2024")
    problems += serious_violations(page)
    page.get_by_role("button", name="Gửi kê khai").click()
    expect(page.locator(".error-summary")).to_be_visible()
    problems += serious_violations(page)
    if role in ("head", "admin"):
        page.goto(f"{base_url}/notices/new")
        page.get_by_label("Ngày thông báo").fill("01/01/0001")
        page.get_by_role("button", name="Lưu thông báo").click()
        expect(page.locator(".error-summary")).to_be_visible()
        problems += serious_violations(page)
    page.goto(f"{base_url}/no-such-page")
    problems += serious_violations(page)
    return problems


@pytest.mark.parametrize(("role", "username"), [("employee", DEMO_EMPLOYEE), ("head", DEMO_HEAD), ("admin", DEMO_ADMIN)])
def test_every_page_a_role_reaches_passes_axe(
    browser: Browser, lived_in_app: Flask, base_url: str, role: str, username: str
) -> None:
    context = with_axe(browser.new_context(locale="vi-VN", viewport=DESKTOP))
    page = context.new_page()
    sign_in(page, base_url, username, DEMO_PASSWORD)
    # From home, and from a decided notice (a person's first notice is a kind already seen).
    starts = ["/"] + (lived_in_app.config["DECIDED"] if role != "employee" else [])
    visited, problems = crawl(page, base_url, starts)
    problems += check_states(page, base_url, role)
    # The same pages on a phone: the stacked tables and wrapped bars are other layouts; and
    # none is wider than the phone (wide tables scroll inside their own region).
    page.set_viewport_size(PHONE)
    for path in visited:
        page.goto(base_url + path)
        problems += serious_violations(page)
        if page.evaluate("document.documentElement.scrollWidth") > PHONE["width"]:
            problems.append(f"{path}: wider than a {PHONE['width']} px phone")
    context.close()
    assert len(visited) >= {"employee": 5, "head": 14, "admin": 18}[role], visited
    assert problems == [], "\n".join(problems)


def test_the_sign_in_page_passes_axe_with_and_without_an_error(browser: Browser, base_url: str) -> None:
    context = with_axe(browser.new_context(locale="vi-VN", viewport=PHONE))
    page = context.new_page()
    page.goto(f"{base_url}/login")
    problems = serious_violations(page)
    sign_in(page, base_url, DEMO_EMPLOYEE, "sai")
    expect(page.get_by_role("alert")).to_be_visible()
    problems += serious_violations(page)
    context.close()
    assert problems == [], "\n".join(problems)
