"""The monthly report: settings the admin edits, both measures, the month's cases, the notes,
the unit order; never a figure past today; the same content as a Word file."""
from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date, datetime
from html import unescape
from pathlib import Path

import pytest
from docx import Document
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader
from sqlalchemy import select

from intranet.clock import local_today
from intranet.extensions import db
from intranet.models import AuditEvent, Unit
from intranet.months import current_month
from intranet.reports.content import PLACEHOLDER
from intranet.reports.models import ReportMonth, ReportSettings, UnitReportOrder

from .conftest import csrf_token
from .support.factories import DataSet, add_employee, add_notice, build_data_set
from .support.report_forms import MARCH, NOTES, SETTINGS, fill_notes, fill_settings, post

# Debian's libreoffice-writer-nogui (Makefile, system-deps).
SOFFICE = shutil.which("soffice") or "/usr/bin/soffice"


@pytest.fixture
def data(synced_app: Flask) -> DataSet:
    with synced_app.app_context():
        return build_data_set()


def page_text(response) -> str:
    return unescape(response.get_data(as_text=True))


def test_by_default_the_last_closed_month(admin_client: FlaskClient, data: DataSet, synced_app: Flask) -> None:
    with synced_app.app_context():
        last = current_month().previous()
    page = page_text(admin_client.get("/compliance/report"))
    assert f"tháng {last.label}" in page
    assert f"ngày {last.last_day:%d/%m/%Y}" in page


def test_before_a_month_has_closed_since_the_first_sync_the_current_one(
    admin_client: FlaskClient, synced_app: Flask
) -> None:
    # Figures begin with the first sync, this month: there is no closed month to report on yet.
    with synced_app.app_context():
        month = current_month()
    page = page_text(admin_client.get("/compliance/report"))
    assert f"tháng {month.label}" in page and "chưa kết thúc" in page
    assert admin_client.get(f"/compliance/report?month={month.previous().iso}").status_code == 400


def test_a_running_month_states_no_figure_past_today(admin_client: FlaskClient, synced_app: Flask) -> None:
    with synced_app.app_context():
        month, today = current_month(), local_today()
    pages = [page_text(admin_client.get(f"{path}?month={month.iso}"))
             for path in ("/compliance/report", "/compliance", "/compliance/unit/none")]
    for page in pages:
        assert f"{today:%d/%m/%Y}" in page
        if month.last_day != today:
            assert f"{month.last_day:%d/%m/%Y}" not in page


def test_unfilled_settings_print_as_blanks_and_the_page_asks_for_them(admin_client: FlaskClient, data: DataSet) -> None:
    page = page_text(admin_client.get(f"/compliance/report?month={MARCH}"))
    assert PLACEHOLDER in page
    assert "Báo cáo còn chỗ trống" in page and "Địa danh" in page and "Họ và tên người ký" in page
    # Nothing the code used to make up: no agency symbol, no form instruction in the document.
    assert "BC-CCKL" not in page and "(Ký, ghi rõ họ tên" not in page


def test_filled_settings_and_notes_leave_no_blank(admin_client: FlaskClient, data: DataSet, synced_app: Flask) -> None:
    assert fill_settings(admin_client).status_code == 302
    assert fill_notes(admin_client).status_code == 302
    page = page_text(admin_client.get(f"/compliance/report?month={MARCH}"))
    assert PLACEHOLDER not in page and "Báo cáo còn chỗ trống" not in page
    with synced_app.app_context():
        today = local_today()
    for text in (
        "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG TỈNH GIA LAI", "CHI CỤC KIỂM LÂM", "Số: 25/BC-CCKL",
        f"Gia Lai, ngày {today.day:02d} tháng", SETTINGS["legal_basis"], "CHI CỤC TRƯỞNG", "Trần Văn Bảo",
        "- Sở Nông nghiệp và Môi trường (b/c);", "- Lưu: VT.", NOTES["difficulties"], NOTES["recommendations"],
        "KHÓ KHĂN, VƯỚNG MẮC", "KIẾN NGHỊ, ĐỀ XUẤT",
        "Tình hình kích hoạt và sử dụng tài khoản định danh điện tử mức độ 2 của công chức, viên chức, "
        "người lao động tháng 03/2024",
        "đã kích hoạt tài khoản mức độ 2: 4 người (44,4%)",
    ):
        assert text in page, text
    assert "KT." not in page
    with synced_app.app_context():
        actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"report.settings", "report.month_notes"} <= actions


def test_a_deputy_signs_for_the_head(admin_client: FlaskClient, data: DataSet) -> None:
    response = fill_settings(admin_client, signs_for_head="y", deputy_title="")
    assert response.status_code == 422
    assert "chức vụ của người ký" in page_text(response)
    fill_settings(admin_client, signs_for_head="y", deputy_title="Phó Chi cục trưởng", signer_name="Lê Văn Cẩn")
    page = page_text(admin_client.get(f"/compliance/report?month={MARCH}"))
    assert "KT. CHI CỤC TRƯỞNG" in page and "PHÓ CHI CỤC TRƯỞNG" in page and "Lê Văn Cẩn" in page


def test_settings_too_long_are_refused_and_nothing_is_saved(admin_client: FlaskClient, synced_app: Flask) -> None:
    response = fill_settings(admin_client, place="x" * 101)
    assert response.status_code == 422
    assert "Tối đa 100 ký tự" in page_text(response)
    with synced_app.app_context():
        # None with create_all; the row migration 0012 starts, untouched, on PostgreSQL.
        assert db.session.scalar(select(ReportSettings.place)) in (None, "")


def test_notes_belong_to_their_month(admin_client: FlaskClient, data: DataSet, synced_app: Flask) -> None:
    fill_notes(admin_client, month=MARCH)
    assert NOTES["difficulties"] not in page_text(admin_client.get("/compliance/report?month=2024-04"))
    assert fill_notes(admin_client, month=MARCH, difficulties="Đã khắc phục.").status_code == 302
    page = page_text(admin_client.get(f"/compliance/report?month={MARCH}"))
    assert "Đã khắc phục." in page and NOTES["difficulties"] not in page
    with synced_app.app_context():
        assert db.session.scalar(select(ReportMonth.month)) == MARCH
    too_long = fill_notes(admin_client, month=MARCH, recommendations="x" * 5001)
    assert too_long.status_code == 422
    assert fill_notes(admin_client, month="2099-01").status_code == 400


def test_both_measures_and_the_month_s_cases(admin_client: FlaskClient, data: DataSet, synced_app: Flask) -> None:
    with synced_app.app_context():
        unit = db.session.get(Unit, data.units["A"])
        other = add_employee("Chu Văn Lan", unit)
        add_notice(other, unit, date(2024, 3, 12), datetime(2024, 3, 12), reference="77/TB-TTPVHCC")
        db.session.commit()
    page = page_text(admin_client.get(f"/compliance/report?month={MARCH}"))
    # Dated in March and standing at its end: "decided", the correction of "corrected",
    # "corrected_in_april", "retired_unit" and the new one; three people behind them.
    assert "Trong tháng có 5 thông báo trường hợp nộp hồ sơ giấy" in page
    assert "liên quan đến 3 công chức, viên chức, người lao động" in page
    cases = page.split("3. Danh sách trường hợp")[-1].split("4. Kết quả theo đơn vị")[0]
    assert "Chu Văn Lan" in cases and "77/TB-TTPVHCC" in cases and "12/03/2024" in cases
    assert "Đăng ký thường trú" in cases


def test_units_come_in_the_order_the_agency_sets(admin_client: FlaskClient, data: DataSet, synced_app: Flask) -> None:
    with synced_app.app_context():
        units = {unit.name: unit.id for unit in db.session.scalars(select(Unit).where(Unit.active.is_(True)))}
    station, department = units["Hạt Kiểm lâm Hoài Ân"], units["Phòng Sử dụng và phát triển rừng"]

    def appendix() -> str:
        return page_text(admin_client.get(f"/compliance/report?month={MARCH}")).split("KẾT QUẢ THEO ĐƠN VỊ")[-1]

    # Unplaced, by name: the station (H) before the department (P).
    assert appendix().index("Hạt Kiểm lâm Hoài Ân") < appendix().index("Phòng Sử dụng")
    response = post(admin_client, "/admin/report-settings/unit-order",
                    {f"position-{department}": "1", f"position-{station}": "2"}, "/admin/report-settings")
    assert response.status_code == 302
    page = appendix()
    assert page.index("Phòng Sử dụng") < page.index("Hạt Kiểm lâm Hoài Ân")
    # Printed once, at the end.
    assert page.count("Toàn Chi cục") == 1
    assert page.index("Toàn Chi cục") > page.index("Chưa thuộc đơn vị nào")

    bad = post(admin_client, "/admin/report-settings/unit-order", {f"position-{station}": "zero"},
               "/admin/report-settings")
    assert bad.status_code == 422 and "số nguyên từ 1 đến 999" in page_text(bad)
    with synced_app.app_context():
        assert db.session.get(UnitReportOrder, department).position == 1


def test_only_admins_see_or_change_the_report(head_client: FlaskClient, employee_client: FlaskClient) -> None:
    for client in (head_client, employee_client):
        for path in ("/compliance/report", "/compliance/report.docx", "/admin/report-settings"):
            assert client.get(path).status_code == 403
        assert client.post("/admin/report-settings", data=SETTINGS).status_code in (400, 403)


def test_the_word_file_has_the_same_content(admin_client: FlaskClient, data: DataSet, synced_app: Flask) -> None:
    fill_settings(admin_client, signs_for_head="y", deputy_title="Phó Chi cục trưởng")
    fill_notes(admin_client)
    response = admin_client.get(f"/compliance/report.docx?month={MARCH}")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == "attachment; filename=bao-cao-vneid-2024-03.docx"
    document = Document(io.BytesIO(response.data))
    text = "\n".join(
        [p.text for p in document.paragraphs]
        + [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    )
    for expected in ("SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG TỈNH GIA LAI", "Số: 25/BC-CCKL", "KT. CHI CỤC TRƯỞNG",
                     NOTES["difficulties"], "KẾT QUẢ THEO ĐƠN VỊ THÁNG 03/2024", "Toàn Chi cục",
                     "đã kích hoạt tài khoản mức độ 2: 4 người (44,4%)"):
        assert expected in text, expected
    assert PLACEHOLDER not in text
    portrait, landscape = document.sections
    assert (round(portrait.page_width.mm), round(portrait.page_height.mm)) == (210, 297)
    assert (round(landscape.page_width.mm), round(landscape.page_height.mm)) == (297, 210)
    assert round(portrait.left_margin.mm) == 30
    assert document.styles["Normal"].font.name == "Times New Roman"
    assert document.styles["Normal"].font.size.pt == 14
    with synced_app.app_context():
        logged = db.session.scalars(select(AuditEvent.details).where(AuditEvent.action == "compliance.export")).all()
    assert {"file": "bao-cao-vneid-2024-03.docx"} in logged


def test_libreoffice_opens_the_word_file_as_the_same_report(
    admin_client: FlaskClient, data: DataSet, tmp_path
) -> None:
    """What an office does with the file: open it in a word processor and print it."""
    fill_settings(admin_client)
    fill_notes(admin_client)
    source = tmp_path / "bao-cao.docx"
    source.write_bytes(admin_client.get(f"/compliance/report.docx?month={MARCH}").data)
    subprocess.run(
        [SOFFICE, "--headless", "--norestore", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=180,
    )
    pdf = PdfReader(tmp_path / "bao-cao.pdf")
    texts = [" ".join(page.extract_text().split()) for page in pdf.pages]
    whole = " ".join(texts)
    assert PLACEHOLDER not in whole
    for text in ("SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG TỈNH GIA LAI", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                 "Số: 25/BC-CCKL", "CHI CỤC TRƯỞNG", "Trần Văn Bảo", NOTES["difficulties"],
                 "đã kích hoạt tài khoản mức độ 2: 4 người (44,4%)", "Toàn Chi cục"):
        assert text in whole, text
    sizes = [(round(float(page.mediabox.width)), round(float(page.mediabox.height))) for page in pdf.pages]
    appendix = next(index for index, text in enumerate(texts) if "KẾT QUẢ THEO ĐƠN VỊ THÁNG 03/2024" in text)
    assert appendix >= 1
    assert sizes == [(595, 842)] * appendix + [(842, 595)] * (len(texts) - appendix)
    # Numbered from the second page on, at the top.
    assert texts[1].split()[0] == "2"
    assert whole.count("Toàn Chi cục") == 1


# Names of one agency, department or province: data the admin edits, never in the templates or code.
AGENCY_NAMES = ("CCKL", "TCHC", "Tổ chức – Hành chính", "Tổ chức - Hành chính", "Gia Lai", "Bình Định",
                "Quy Nhơn", "Kiểm lâm", "Sở Nông nghiệp")


def test_no_agency_or_province_name_in_templates_or_code() -> None:
    root = Path(__file__).parent.parent
    # Data files: what a fresh database starts with, and the demo directory.
    data = {"intranet/notices/reference_data.py", "intranet/directory/demo.py"}
    files = [*root.glob("templates/**/*.html"), *root.glob("intranet/**/*.py")]
    found = [
        (str(path.relative_to(root)), name)
        for path in files if str(path.relative_to(root)) not in data
        for name in AGENCY_NAMES if name in path.read_text(encoding="utf-8")
    ]
    assert found == []


def test_the_report_pages_in_english(admin_client: FlaskClient, data: DataSet) -> None:
    admin_client.post("/language", data={"lang": "en", "next": "/", "csrf_token": csrf_token(admin_client, "/")})
    page = page_text(admin_client.get(f"/compliance/report?month={MARCH}"))
    assert "RESULTS BY UNIT, 03/2024" in page and "Report settings" in page
    assert "DIFFICULTIES AND OBSTACLES" in page
    settings = page_text(admin_client.get("/admin/report-settings"))
    assert "Order of units in the report" in settings and "A deputy signs for the head (KT.)" in settings
