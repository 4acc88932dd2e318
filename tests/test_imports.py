"""The province's monthly list: upload, preview with every row state, confirm into notices."""
from __future__ import annotations

import io
import json
import sqlite3
import unicodedata
import zipfile
from datetime import date, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import func, select

from intranet.extensions import db
from intranet.imports import service
from intranet.imports.models import ImportDraft, NoticeImport
from intranet.imports.reasons import describe
from intranet.models import AuditEvent, Employee, Notice, NoticeCase, Unit

from .conftest import ON_POSTGRES, csrf_token, signed_in_client
from .support.clock import agency_today
from .support.forms import employee_id
from .support.import_pages import NEW, confirm, draft_rows, upload
from .support.import_files import BIRTH, CCCD, HEADERS, province_csv, province_xlsx, row
from .support.rows import count


def reason_of(app: Flask, row: dict) -> str:
    """The row's reason as the preview shows it (in Vietnamese)."""
    with app.test_request_context():
        return describe(row)


def add_employee(app: Flask, username: str, full_name: str, unit_name: str, **fields) -> int:
    with app.app_context():
        unit = db.session.scalar(select(Unit).filter_by(name=unit_name))
        employee = Employee(username=username, directory_dn=f"uid={username}", unit_id=unit.id, **fields)
        employee.set_full_name(full_name)
        db.session.add(employee)
        db.session.commit()
        return employee.id


AN_LAO = "Hạt Kiểm lâm An Lão"
HOAI_NHON = "Hạt Kiểm lâm Hoài Nhơn"


# -- the whole path ----------------------------------------------------------------------


def test_a_province_list_becomes_notices_in_two_screens(admin_client: FlaskClient, synced_app: Flask) -> None:
    data = province_xlsx([
        row(unicodedata.normalize("NFD", "Đinh Văn Hùng"), "H08.22-261103-0001"),
        row("ĐINH  VĂN   HÙNG ", "H08.22-261104-0002", received="04/11/2026", channel="Bưu chính", level="Một phần"),
        row("Đinh Văn Hùng", "H08.22-261103-0001"),  # the same dossier twice
        row("Trần Văn Khách", "H08.22-261105-0003"),  # not on the staff
        row("Phạm Thị Hoà", "H08.22-261105-0004", place="Trung tâm PVHCC tỉnh"),
    ])
    response = upload(admin_client, synced_app, data)
    assert response.status_code == 302, response.get_data(as_text=True)
    location = response.headers["Location"]
    page = admin_client.get(location).get_data(as_text=True)
    assert "Trùng mã hồ sơ với dòng 8" in page and "Không có trong danh sách" in page
    rows = draft_rows(synced_app)
    assert rows["H08.22-261104-0002"]["state"] == "matched"
    assert rows["H08.22-261105-0003"]["state"] == "not_staff"
    # Nothing personal beyond the name is kept between the two screens.
    with synced_app.app_context():
        stored = json.dumps(db.session.scalar(select(ImportDraft)).rows, ensure_ascii=False)
    assert CCCD not in stored and BIRTH not in stored and "1985" not in stored

    response = confirm(admin_client, location)
    assert response.status_code == 302
    page = admin_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "2 thông báo, 3 hồ sơ" in page
    with synced_app.app_context():
        hung = db.session.scalar(select(Notice).where(Notice.employee_id == employee_id(synced_app, "hungdv")))
        assert [c.dossier_code for c in hung.cases] == ["H08.22-261103-0001", "H08.22-261104-0002"]
        assert [c.channel for c in hung.cases] == ["in_person", "post"]
        assert [c.online_level for c in hung.cases] == ["full", "partial"]
        assert hung.cases[0].receiving_place == "Bộ phận Một cửa xã An Hòa"
        assert hung.cases[0].receiving_officer == "Trần Văn Nhận"
        assert hung.route == "unit" and hung.reply_due_on is not None
        assert hung.recorded_by.username == "huonglt"
        made = db.session.scalar(select(NoticeImport))
        assert made.counts["matched"] == 3 and made.counts["notices"] == 2
        assert made.file_name == "ds-thang-11.xlsx" and len(made.sha256) == 64
        assert db.session.scalar(select(func.count(ImportDraft.id))) == 0
        actions = set(db.session.scalars(select(AuditEvent.action)))
        assert {"notice_import.preview", "notice_import.confirm"} <= actions
    head = signed_in_client(synced_app, "annv")
    queue = head.get("/notices/awaiting").get_data(as_text=True)
    assert "Đinh Văn Hùng" in queue and "Phạm Thị Hòa" not in queue  # Hoài Nhơn's


@pytest.mark.parametrize("layout", ["titles", "two_rows", "plain"])
def test_each_layout_is_read(admin_client: FlaskClient, synced_app: Flask, layout: str) -> None:
    data = province_xlsx([row("Đinh Văn Hùng", "A-1"), row("Phạm Thị Hòa", "A-2")], layout=layout)
    assert upload(admin_client, synced_app, data).status_code == 302
    assert {r["state"] for r in draft_rows(synced_app).values()} == {"matched"}


@pytest.mark.parametrize("delimiter,bom", [(",", True), (";", False)])
def test_csv_lists_in_utf8_with_either_separator(admin_client: FlaskClient, synced_app: Flask, delimiter: str, bom: bool) -> None:
    data = province_csv([row("Đinh Văn Hùng", "C-1")], delimiter=delimiter, bom=bom)
    assert upload(admin_client, synced_app, data, name="ds.csv").status_code == 302
    assert draft_rows(synced_app)["C-1"]["received_on"] == "2026-11-03"


def test_a_name_merged_down_over_two_dossiers_counts_for_both(admin_client: FlaskClient, synced_app: Flask) -> None:
    def merge(sheet) -> None:  # noqa: ANN001
        sheet["B2"] = "Đinh Văn Hùng"
        sheet["B3"] = None
        sheet.merge_cells("B2:B3")

    data = province_xlsx([row("x", "M-1"), row("x", "M-2")], layout="plain", extra=merge)
    assert upload(admin_client, synced_app, data).status_code == 302
    rows = draft_rows(synced_app)
    assert rows["M-1"]["state"] == rows["M-2"]["state"] == "matched"


# -- each row state ------------------------------------------------------------------------


def test_two_staff_of_one_name_are_ambiguous_unless_the_unit_tells(admin_client: FlaskClient, synced_app: Flask) -> None:
    first = add_employee(synced_app, "binhnv1", "Nguyễn Văn Bình", AN_LAO)
    second = add_employee(synced_app, "binhnv2", "Nguyễn Văn Bình", HOAI_NHON)
    data = province_xlsx([
        row("Nguyễn Văn Bình", "D-1", unit="Chi cục Kiểm lâm"),
        row("Nguyễn Văn Bình", "D-2", unit="Hạt Kiểm lâm Hoài Nhơn - Chi cục Kiểm lâm"),
    ])
    response = upload(admin_client, synced_app, data)
    rows = draft_rows(synced_app)
    assert rows["D-1"]["state"] == "ambiguous" and sorted(rows["D-1"]["candidates"]) == sorted([first, second])
    assert rows["D-2"]["state"] == "matched" and rows["D-2"]["employee_id"] == second
    # The admin picks the person for the ambiguous row.
    assert confirm(admin_client, response.headers["Location"], **{f"row-{rows['D-1']['row']}": str(first)}).status_code == 302
    with synced_app.app_context():
        assert set(db.session.scalars(select(Notice.employee_id))) == {first, second}


def test_accent_free_or_misspelt_names_are_only_suggestions(admin_client: FlaskClient, synced_app: Flask) -> None:
    data = province_xlsx([row("Dinh Van Hung", "S-1"), row("Đinh Văn Hùnh", "S-2")])
    response = upload(admin_client, synced_app, data)
    rows = draft_rows(synced_app)
    hung = employee_id(synced_app, "hungdv")
    assert rows["S-1"]["state"] == rows["S-2"]["state"] == "suggestion"
    assert hung in rows["S-1"]["candidates"] and hung in rows["S-2"]["candidates"]
    # Left unconfirmed, a suggestion makes nothing.
    confirm(admin_client, response.headers["Location"])
    assert count(synced_app, Notice) == 0


def test_old_and_new_tone_placement_and_case_are_one_name(admin_client: FlaskClient, synced_app: Flask) -> None:
    data = province_xlsx([row("HỒ THỊ THUỶ", "T-1"), row("phạm thị hoà", "T-2")])
    upload(admin_client, synced_app, data)
    assert {r["state"] for r in draft_rows(synced_app).values()} == {"matched"}


def test_online_rows_and_unreadable_cells_are_set_apart(admin_client: FlaskClient, synced_app: Flask) -> None:
    def broken(sheet) -> None:  # noqa: ANN001
        sheet.append([9, "Đinh Văn Hùng", None, None, None, "Thủ tục", None, "U-4", "#N/A"])
        sheet.cell(sheet.max_row, 9).data_type = "e"

    data = province_xlsx([
        row("Đinh Văn Hùng", "U-1", channel="Trực tuyến"),
        row("Đinh Văn Hùng", "U-2", received="31/02/2026"),
        row("Đinh Văn Hùng", "", procedure="Thủ tục không có mã"),
        row("Đinh Văn Hùng", "U-3", channel="Qua mạng xã hội"),
    ], layout="plain", extra=broken)
    upload(admin_client, synced_app, data)
    rows = draft_rows(synced_app)
    assert rows["U-1"]["state"] == "online"
    assert rows["U-2"]["state"] == "unreadable"
    assert reason_of(synced_app, rows["U-2"]) == "I3: không đọc được ngày “31/02/2026” (cần dạng ngày/tháng/năm)"
    assert rows[""]["state"] == "unreadable" and "H4: thiếu mã hồ sơ" in reason_of(synced_app, rows[""])
    assert rows["U-3"]["state"] == "unreadable" and reason_of(synced_app, rows["U-3"]).startswith("L5: không rõ hình thức nộp")
    assert rows["U-4"]["state"] == "unreadable" and reason_of(synced_app, rows["U-4"]) == "I6: ô chứa lỗi #N/A"


def test_the_roster_at_the_receiving_date_decides_who_was_staff(admin_client: FlaskClient, synced_app: Flask) -> None:
    now = datetime.utcnow()
    add_employee(synced_app, "culv", "Lê Văn Cũ", AN_LAO, created_at=now - timedelta(days=60))
    add_employee(synced_app, "dilv", "Lê Văn Đi", AN_LAO, created_at=now - timedelta(days=60),
                 left_at=now - timedelta(days=20), active=False)
    add_employee(synced_app, "moilv", "Lê Văn Mới", AN_LAO)  # joined today
    received = agency_today() - timedelta(days=10)
    data = province_xlsx([row("Lê Văn Cũ", "R-1", received=received), row("Lê Văn Mới", "R-2", received=received),
                          row("Lê Văn Đi", "R-3", received=agency_today() - timedelta(days=30)),
                          row("Lê Văn Đi", "R-4", received=received)])
    upload(admin_client, synced_app, data)
    rows = draft_rows(synced_app)
    assert rows["R-1"]["state"] == "matched"
    assert rows["R-2"]["state"] == "not_staff"  # not on the staff yet that day
    assert rows["R-3"]["state"] == "matched"  # still on the staff that day
    assert rows["R-4"]["state"] == "not_staff"  # gone by then


def test_before_the_roster_begins_the_staff_list_now_is_used(admin_client: FlaskClient, synced_app: Flask) -> None:
    # A new installation: every roster entry is from today, the list is from last month.
    data = province_xlsx([row("Đinh Văn Hùng", "B-1", received=date(2026, 10, 2))])
    upload(admin_client, synced_app, data, month="2026-10")
    assert draft_rows(synced_app)["B-1"]["state"] == "matched"


# -- the same list again, a corrected list --------------------------------------------------


def test_the_same_file_twice_adds_nothing_and_a_corrected_one_only_what_is_new(admin_client: FlaskClient, synced_app: Flask) -> None:
    rows = [row("Đinh Văn Hùng", "X-1"), row("Phạm Thị Hòa", "X-2")]
    same_file = province_xlsx(rows)
    confirm(admin_client, upload(admin_client, synced_app, same_file).headers["Location"])
    assert (count(synced_app, Notice), count(synced_app, NoticeCase)) == (2, 2)

    location = upload(admin_client, synced_app, same_file).headers["Location"]
    page = admin_client.get(location).get_data(as_text=True)
    assert "Tệp này đã được nhập 1 lần" in page
    assert {r["state"] for r in draft_rows(synced_app).values()} == {"already_recorded"}
    confirm(admin_client, location)
    assert (count(synced_app, Notice), count(synced_app, NoticeCase)) == (2, 2)

    corrected = province_xlsx(rows + [row("Đinh Văn Hùng", "X-3")])
    confirm(admin_client, upload(admin_client, synced_app, corrected).headers["Location"])
    assert (count(synced_app, Notice), count(synced_app, NoticeCase)) == (3, 3)
    assert count(synced_app, NoticeImport) == 3


def test_confirming_twice_writes_once(admin_client: FlaskClient, synced_app: Flask) -> None:
    location = upload(admin_client, synced_app, province_xlsx([row("Đinh Văn Hùng", "Y-1")])).headers["Location"]
    token = csrf_token(admin_client, location)
    assert admin_client.post(location + "/confirm", data={"csrf_token": token}).status_code == 302
    again = admin_client.post(location + "/confirm", data={"csrf_token": token})
    assert again.status_code == 409 and "đã được xác nhận hoặc huỷ" in again.get_data(as_text=True)
    assert count(synced_app, Notice) == 1 and count(synced_app, NoticeImport) == 1


def test_a_forged_choice_is_refused(admin_client: FlaskClient, synced_app: Flask) -> None:
    location = upload(admin_client, synced_app, province_xlsx([row("Dinh Van Hung", "F-1")])).headers["Location"]
    row_number = draft_rows(synced_app)["F-1"]["row"]
    response = confirm(admin_client, location, **{f"row-{row_number}": str(employee_id(synced_app, "binhdq"))})
    assert response.status_code == 400
    assert count(synced_app, Notice) == 0 and count(synced_app, ImportDraft) == 1


def test_discarding_keeps_nothing(admin_client: FlaskClient, synced_app: Flask) -> None:
    location = upload(admin_client, synced_app, province_xlsx([row("Đinh Văn Hùng", "Z-1")])).headers["Location"]
    response = admin_client.post(location + "/discard", data={"csrf_token": csrf_token(admin_client, location)})
    assert response.status_code == 302
    assert count(synced_app, ImportDraft) == count(synced_app, Notice) == count(synced_app, NoticeImport) == 0


# -- bad input: a message, a 4xx, nothing written ----------------------------------------------


def zip_bomb() -> bytes:
    base = io.BytesIO(province_xlsx([row("Đinh Văn Hùng", "B-1")]))
    with zipfile.ZipFile(base, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/filler.bin", b"\0" * (8 * 1024 * 1024))
    return base.getvalue()


def encrypted_office_file() -> bytes:
    # What Excel writes for a password-protected workbook: an OLE2 container holding
    # an "EncryptedPackage" stream (directory names are UTF-16).
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500 + "EncryptedPackage".encode("utf-16-le") + b"\0" * 500


def formulas(sheet) -> None:  # noqa: ANN001
    sheet["I2"] = "=TODAY()"


BAD_INPUTS = {
    "not a spreadsheet": (b"%PDF-1.7\n\x00\x01binary", 415, "không phải bảng tính"),
    "a password-protected file": (encrypted_office_file(), 422, "đặt mật khẩu"),
    "an old .xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1000, 415, "Excel 97-2003"),
    "a corrupt xlsx": (b"PK\x03\x04" + b"garbage" * 100, 422, "bị hỏng"),
    "a zip bomb": (None, 422, "giải nén ra lớn bất thường"),
    "a CSV not in UTF-8": ("Họ và tên,Mã hồ sơ\n".encode("utf-8").replace(b"\xe1\xbb\x8d", b"\xf2"), 415, "UTF-8"),
    "formulas": (None, 422, "chứa công thức"),
    "an empty list": (None, 422, "không có dòng hồ sơ nào"),
    "an empty file": (b"   ", 422, "Tệp trống"),
    "no header at all": ("a,b\n1,2\n".encode(), 422, "Không tìm thấy dòng tiêu đề"),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_is_refused_with_a_message(admin_client: FlaskClient, synced_app: Flask, case: str) -> None:
    data, status, message = BAD_INPUTS[case]
    if case == "a zip bomb":
        data = zip_bomb()
    elif case == "formulas":
        data = province_xlsx([row("Đinh Văn Hùng", "F-1")], layout="plain", extra=formulas)
    elif case == "an empty list":
        data = province_xlsx([])
    response = upload(admin_client, synced_app, data)
    assert response.status_code == status
    assert message in response.get_data(as_text=True)
    assert count(synced_app, ImportDraft) == count(synced_app, NoticeImport) == count(synced_app, Notice) == 0


def test_a_file_over_10_mb_is_refused(admin_client: FlaskClient, synced_app: Flask) -> None:
    response = upload(admin_client, synced_app, b"x" * (10 * 1024 * 1024 + 10), name="big.csv")
    assert response.status_code == 413
    assert "10 MB" in response.get_data(as_text=True)
    assert count(synced_app, ImportDraft) == 0


def test_a_request_far_over_the_limit_gets_the_same_page(admin_client: FlaskClient, synced_app: Flask) -> None:
    response = upload(admin_client, synced_app, b"x" * (12 * 1024 * 1024), name="huge.xlsx")
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "Tệp lớn hơn 10 MB" in page and 'name="file"' in page
    assert count(synced_app, ImportDraft) == 0


def test_a_list_over_20000_rows_is_refused(admin_client: FlaskClient, synced_app: Flask) -> None:
    lines = ["Họ và tên,Mã hồ sơ,Tên thủ tục,Ngày tiếp nhận"] + [f"Người {i},M{i},TT,03/11/2026" for i in range(20_001)]
    response = upload(admin_client, synced_app, "\n".join(lines).encode(), name="big.csv")
    assert response.status_code == 413 and "20.000" in response.get_data(as_text=True)
    assert count(synced_app, ImportDraft) == 0


def test_a_missing_required_column_is_mapped_on_the_page(admin_client: FlaskClient, synced_app: Flask) -> None:
    headers = [h if h != "Mã hồ sơ" else "Số phiếu" for h in HEADERS]
    data = province_xlsx([row("Đinh Văn Hùng", "P-1")], layout="plain", headers=headers)
    response = upload(admin_client, synced_app, data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Chưa nhận ra cột bắt buộc: Mã hồ sơ" in page
    assert 'name="column-dossier_code"' in page and "Số phiếu" in page
    assert count(synced_app, ImportDraft) == 0
    # Chosen on the page: the same file is read.
    headers_index = str(headers.index("Số phiếu"))
    response = upload(admin_client, synced_app, province_xlsx([row("Đinh Văn Hùng", "P-1")], layout="plain", headers=headers),
                      **{"column-dossier_code": headers_index})
    assert response.status_code == 302
    assert draft_rows(synced_app)["P-1"]["state"] == "matched"


def test_a_second_upload_while_one_awaits_is_refused(admin_client: FlaskClient, synced_app: Flask) -> None:
    assert upload(admin_client, synced_app, province_xlsx([row("Đinh Văn Hùng", "W-1")])).status_code == 302
    response = upload(admin_client, synced_app, province_xlsx([row("Phạm Thị Hòa", "W-2")]))
    assert response.status_code == 409 and "đang chờ xác nhận" in response.get_data(as_text=True)
    assert set(draft_rows(synced_app)) == {"W-1"}


def test_only_the_admin_imports(head_client: FlaskClient, synced_app: Flask) -> None:
    assert head_client.get(NEW).status_code == 403


def test_the_template_lists_the_expected_columns(admin_client: FlaskClient) -> None:
    response = admin_client.get("/notices/imports/template.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data), read_only=True)
    headers = [c for c in next(book.worksheets[0].iter_rows(values_only=True))]
    assert {"Họ và tên", "Mã hồ sơ", "Ngày tiếp nhận", "Tên thủ tục hành chính"} <= set(headers)
    assert not any("CCCD" in (h or "") for h in headers)


def test_reading_a_list_does_not_hold_sqlite_s_write_lock(admin_client: FlaskClient, synced_app: Flask,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Seconds of reading and matching must not keep every other writer waiting."""
    if ON_POSTGRES:
        pytest.skip("PostgreSQL writers do not share one lock")
    written = []
    match_rows = service.match_rows

    def matching_while_someone_writes(rows):  # noqa: ANN001, ANN202
        with synced_app.app_context():
            path = db.engine.url.database
        other = sqlite3.connect(path, timeout=0)  # no waiting: a held lock fails at once
        other.execute("INSERT INTO issuing_body (name, sort_key, active, created_at) "
                      "VALUES ('Bộ phận Một cửa xã Mới', 'x', 1, '2026-11-28 00:00:00')")
        other.commit()
        other.close()
        written.append(True)
        return match_rows(rows)

    monkeypatch.setattr(service, "match_rows", matching_while_someone_writes)
    assert upload(admin_client, synced_app, province_xlsx([row("Đinh Văn Hùng", "L-1")])).status_code == 302
    assert written == [True]


def test_an_xlsx_list_over_20000_rows_is_refused(admin_client: FlaskClient, synced_app: Flask) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["Họ và tên", "Mã hồ sơ", "Tên thủ tục", "Ngày tiếp nhận"])
    for i in range(20_001):
        sheet.append([f"Người {i}", f"M{i}", "TT", "03/11/2026"])
    out = io.BytesIO()
    book.save(out)
    response = upload(admin_client, synced_app, out.getvalue())
    assert response.status_code == 413 and "20.000" in response.get_data(as_text=True)
    assert count(synced_app, ImportDraft) == 0


def test_someone_who_moved_is_matched_and_goes_to_their_head_now(admin_client: FlaskClient, synced_app: Flask) -> None:
    now = datetime.utcnow()
    moved = add_employee(synced_app, "chuyenlv", "Lê Văn Chuyển", AN_LAO, created_at=now - timedelta(days=60))
    with synced_app.app_context():
        employee = db.session.get(Employee, moved)
        employee.unit_id = db.session.scalar(select(Unit.id).filter_by(name=HOAI_NHON))
        employee.synced_at = now - timedelta(days=5)  # the sync that saw the move
        db.session.commit()
    data = province_xlsx([row("Lê Văn Chuyển", "MV-1", received=agency_today() - timedelta(days=10))])
    confirm(admin_client, upload(admin_client, synced_app, data).headers["Location"])
    with synced_app.app_context():
        notice = db.session.scalar(select(Notice))
        assert notice.employee_id == moved and notice.unit.name == HOAI_NHON and notice.route == "unit"
    assert "Lê Văn Chuyển" in signed_in_client(synced_app, "ducvm").get("/notices/awaiting").get_data(as_text=True)
    assert "Lê Văn Chuyển" not in signed_in_client(synced_app, "annv").get("/notices/awaiting").get_data(as_text=True)


def test_a_notice_about_a_head_found_in_the_list_goes_to_the_admin(admin_client: FlaskClient, synced_app: Flask) -> None:
    confirm(admin_client, upload(admin_client, synced_app, province_xlsx([row("Nguyễn Văn An", "HD-1")])).headers["Location"])
    with synced_app.app_context():
        assert db.session.scalar(select(Notice.route)) == "admin"
    assert "Không có thông báo nào đang chờ xử lý." in signed_in_client(synced_app, "annv").get("/notices/awaiting").get_data(as_text=True)
    assert "Nguyễn Văn An" in admin_client.get("/notices/awaiting").get_data(as_text=True)


def test_the_preview_speaks_the_reader_s_language(admin_client: FlaskClient, synced_app: Flask) -> None:
    data = province_xlsx([row("Đinh Văn Hùng", "EN-1"), row("Đinh Văn Hùng", "EN-1"),
                          row("Đinh Văn Hùng", "EN-2", received="31/02/2026")], layout="plain")
    location = upload(admin_client, synced_app, data).headers["Location"]
    admin_client.post("/language", data={"lang": "en", "next": location, "csrf_token": csrf_token(admin_client, location)})
    page = admin_client.get(location).get_data(as_text=True)
    assert "Same dossier code as row 2." in page
    assert "I4: cannot read the date “31/02/2026”" in page


def test_two_uploads_at_once_one_wins_by_the_database(admin_client: FlaskClient, synced_app: Flask,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Both requests checked for a waiting list before either wrote its own: the one-slot
    constraint refuses the second."""
    assert upload(admin_client, synced_app, province_xlsx([row("Đinh Văn Hùng", "R-1")])).status_code == 302
    monkeypatch.setattr(service, "pending_draft", lambda: None)  # as if the first had not committed yet
    response = upload(admin_client, synced_app, province_xlsx([row("Phạm Thị Hòa", "R-2")]))
    assert response.status_code == 409 and "đang được tải lên cùng lúc" in response.get_data(as_text=True)
    assert set(draft_rows(synced_app)) == {"R-1"}
    with synced_app.app_context():
        assert db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "notice_import.preview")) == 1
