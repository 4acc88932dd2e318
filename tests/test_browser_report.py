"""Printed by Chromium: the monthly report (A4, numbered pages, landscape appendix, no blank left
once the settings are filled) and the compliance table (its total once, at the end)."""
from __future__ import annotations

import io

import pytest
from flask import Flask
from playwright.sync_api import Browser
from pypdf import PdfReader
from sqlalchemy import insert, select

from intranet.extensions import db
from intranet.models import Employee, Unit
from intranet.reports.content import PLACEHOLDER
from intranet.vietnamese import name_sort_key, text_sort_key

from .support.browser import sign_in
from .conftest import DEMO_ADMIN, DEMO_PASSWORD, signed_in_client
from .support.factories import DataSet, build_data_set
from .support.report_forms import NOTES, SETTINGS, fill_notes, fill_settings

pytestmark = pytest.mark.browser

# PDF points: A4 is 595 x 842.
A4_PORTRAIT, A4_LANDSCAPE = (595, 842), (842, 595)


@pytest.fixture
def data(synced_app: Flask) -> DataSet:
    with synced_app.app_context():
        return build_data_set()


def printed(browser: Browser, base_url: str, path: str) -> PdfReader:
    """The page as the admin prints it to PDF from Chromium (Ctrl + P), with its own page sizes."""
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    sign_in(page, base_url, DEMO_ADMIN, DEMO_PASSWORD)
    page.goto(f"{base_url}{path}")
    page.emulate_media(media="print")
    pdf = page.pdf(prefer_css_page_size=True, display_header_footer=False)
    context.close()
    return PdfReader(io.BytesIO(pdf))


def size(page) -> tuple[int, int]:
    return round(float(page.mediabox.width)), round(float(page.mediabox.height))


def test_the_printed_report_has_numbered_a4_pages_and_a_landscape_appendix(
    browser: Browser, base_url: str, data: DataSet, synced_app: Flask
) -> None:
    admin = signed_in_client(synced_app, DEMO_ADMIN)
    fill_settings(admin)
    fill_notes(admin)
    pdf = printed(browser, base_url, "/compliance/report?month=2024-03")
    texts = [page.extract_text() for page in pdf.pages]
    whole = "\n".join(texts)
    assert PLACEHOLDER not in whole
    flat = " ".join(whole.split())
    for text in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Số: 25/BC-CCKL", "CHI CỤC TRƯỞNG", "Trần Văn Bảo",
                 NOTES["recommendations"], SETTINGS["legal_basis"], "Toàn Chi cục"):
        assert " ".join(text.split()) in flat, text
    appendix = next(index for index, text in enumerate(texts) if "KẾT QUẢ THEO ĐƠN VỊ THÁNG 03/2024" in text)
    assert appendix >= 1
    assert [size(page) for page in pdf.pages] == [A4_PORTRAIT] * appendix + [A4_LANDSCAPE] * (len(texts) - appendix)
    assert "Hạt Kiểm lâm Hoài Ân" in " ".join(" ".join(texts[appendix:]).split())
    # Numbered from the second page, at the top: the number comes first in the page's text.
    for number, text in enumerate(texts[1:], start=2):
        assert text.split()[0] == str(number)
    assert texts[0].split()[0] != "1"
    assert flat.count("Toàn Chi cục") == 1


def test_the_printed_table_shows_its_total_once_at_the_end(
    browser: Browser, base_url: str, data: DataSet, synced_app: Flask
) -> None:
    # Enough units for the table to run over two pages.
    with synced_app.app_context():
        names = [f"Đội Kiểm lâm số {i:02d}" for i in range(40)]
        db.session.execute(insert(Unit), [{"name": n, "sort_key": text_sort_key(n)} for n in names])
        ids = dict(db.session.execute(select(Unit.name, Unit.id).where(Unit.name.in_(names))).all())
        db.session.execute(insert(Employee), [
            {"username": f"p{i}", "directory_dn": f"uid=p{i}", "full_name": f"Người Số {i}",
             "sort_key": name_sort_key(f"Người Số {i}"), "unit_id": ids[n]}
            for i, n in enumerate(names)
        ])
        db.session.commit()
    pdf = printed(browser, base_url, "/compliance?month=2024-03")
    texts = [" ".join(page.extract_text().split()) for page in pdf.pages]
    assert len(texts) >= 2
    assert sum(text.count("Toàn Chi cục") for text in texts) == 1
    assert "Toàn Chi cục" in texts[-1]  # the last page, and no blank page after it
    # The table starts on the first page, right under the summary, not on the next one:
    # its first row (units by name) is there.
    assert "1 Đội Kiểm lâm cơ động và PCCCR" in texts[0]
