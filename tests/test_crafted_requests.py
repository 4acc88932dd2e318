"""Crafted requests the security review found answered with 500: each now gets a 4xx and
a sentence, and writes nothing."""
from __future__ import annotations

import io

import pytest
from flask import Flask
from flask.testing import FlaskClient

from intranet.models import AuditEvent, Declaration, IssuingBody, Notice

from .conftest import DEMO_EMPLOYEE, csrf_token
from .support.forms import notice_form
from .support.rows import count

LINE_BREAKS = ["%0D%0AX-Injected:1", "%0AX-Injected:1", "%0DX", "%09x", "%E2%80%A8X", "%E2%80%A9X", "%C2%85X"]


@pytest.mark.parametrize("tail", LINE_BREAKS)
def test_a_line_break_in_next_after_sign_in_goes_home(synced_app: Flask, client: FlaskClient, tail: str) -> None:
    response = client.post(
        f"/login?next=/{tail}",
        data={"username": DEMO_EMPLOYEE, "password": "demo123", "csrf_token": csrf_token(client)},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "X-Injected" not in response.headers


@pytest.mark.parametrize("text", ["/\r\nX-Injected: 1", "/\nx", "/\u2028x", "/\u202ex", "/a\tb"])
def test_a_line_break_in_the_language_forms_next_goes_home(client: FlaskClient, text: str) -> None:
    response = client.post("/language", data={"lang": "en", "next": text, "csrf_token": csrf_token(client)})
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_an_ordinary_next_still_works(client: FlaskClient) -> None:
    response = client.post("/language", data={"lang": "en", "next": "/login?x=1", "csrf_token": csrf_token(client)})
    assert response.headers["Location"] == "/login?x=1"


def a_file() -> tuple[io.BytesIO, str]:
    return io.BytesIO(b"=cmd|' /C calc'!A0"), "x.csv"


def assert_refused_file(response) -> None:
    assert response.status_code == 400
    assert "Biểu mẫu này không nhận tệp đính kèm." in response.get_data(as_text=True)


def test_a_file_part_at_sign_in_is_refused(synced_app: Flask, client: FlaskClient) -> None:
    before = count(synced_app, AuditEvent)
    token = csrf_token(client)
    for field in ("username", "password"):
        data = {"username": DEMO_EMPLOYEE, "password": "demo123", "csrf_token": token, field: a_file()}
        assert_refused_file(client.post("/login", data=data))
    # The CSRF check runs first and finds no token among the text fields.
    data = {"username": DEMO_EMPLOYEE, "password": "demo123", "csrf_token": a_file()}
    assert client.post("/login", data=data).status_code == 400
    assert count(synced_app, AuditEvent) == before  # no sign-in was even attempted


def test_a_file_part_in_the_declaration_is_refused(synced_app: Flask, employee_client: FlaskClient) -> None:
    token = csrf_token(employee_client, "/declaration")
    for field in ("status", "note", "activated_on", "committed"):
        data = {"status": "none", "note": "", "committed": "y", "csrf_token": token, field: a_file()}
        assert_refused_file(employee_client.post("/declaration", data=data))
    assert count(synced_app, Declaration) == 0


def test_a_file_part_in_a_notice_is_refused(synced_app: Flask, head_client: FlaskClient) -> None:
    token = csrf_token(head_client, "/")
    for field in ("reference_number", "notice_date", "employee_id", "cases-0-dossier_code", "cases-7-filed_on"):
        data = {**notice_form(synced_app), "csrf_token": token, field: a_file()}
        assert_refused_file(head_client.post("/notices/new", data=data))
    assert count(synced_app, Notice) == 0


def test_a_file_part_for_an_issuing_body_is_refused(synced_app: Flask, admin_client: FlaskClient) -> None:
    before = count(synced_app, IssuingBody)
    token = csrf_token(admin_client, "/admin/issuing-bodies")
    assert_refused_file(admin_client.post("/admin/issuing-bodies", data={"name": a_file(), "csrf_token": token}))
    assert count(synced_app, IssuingBody) == before


@pytest.mark.parametrize("until", ["31/12/9999", "01/01/0001"])
def test_audit_log_filter_at_the_calendars_ends(admin_client: FlaskClient, until: str) -> None:
    response = admin_client.get("/admin/audit", query_string={"until": until, "since": "01/01/0001"})
    assert response.status_code in (200, 400)  # the date field may refuse a day out of range
    assert "Lỗi hệ thống" not in response.get_data(as_text=True)


def test_the_audit_query_takes_the_calendars_last_day(synced_app: Flask) -> None:
    from datetime import date

    from intranet.admin.queries import audit_events

    with synced_app.app_context():
        events, _ = audit_events(action=None, actor=None, since=date.min, until=date.max, page=1)
    assert [e.action for e in events] == ["directory.sync"]


def test_audit_log_until_keeps_the_whole_last_day(admin_client: FlaskClient) -> None:
    from intranet.clock import local_today  # the sign-in above is today's event

    with admin_client.application.test_request_context():
        today = local_today().strftime("%d/%m/%Y")
    page = admin_client.get("/admin/audit", query_string={"until": today}).get_data(as_text=True)
    assert "auth.sign_in" in page or "Đăng nhập" in page


def test_csv_names_its_charset_once(admin_client: FlaskClient) -> None:
    for path in ("/compliance.csv", "/compliance-missing.csv"):
        assert admin_client.get(path).headers["Content-Type"] == "text/csv; charset=utf-8"


def test_the_refusal_is_in_english_for_an_english_session(synced_app: Flask, employee_client: FlaskClient) -> None:
    employee_client.post("/language", data={"lang": "en", "next": "/", "csrf_token": csrf_token(employee_client, "/")})
    token = csrf_token(employee_client, "/declaration")
    response = employee_client.post("/declaration", data={"status": "none", "note": a_file(), "csrf_token": token})
    assert response.status_code == 400
    assert "This form does not accept attached files." in response.get_data(as_text=True)


@pytest.mark.parametrize("body", [{"username": 5, "password": {"a": 1}}, [1, 2], "x"])
def test_a_json_body_at_sign_in_is_refused(synced_app: Flask, client: FlaskClient, body: object) -> None:
    response = client.post("/login", json=body, headers={"X-CSRFToken": csrf_token(client)})
    assert response.status_code == 415
    assert "Dữ liệu gửi lên phải là một biểu mẫu." in response.get_data(as_text=True)


def test_a_json_declaration_is_refused_and_writes_nothing(synced_app: Flask, employee_client: FlaskClient) -> None:
    token = csrf_token(employee_client, "/declaration")
    for body in ({"status": "none", "note": 5}, {"status": "level2_active", "activated_on": ["01/01/2024"]}):
        assert employee_client.post("/declaration", json=body, headers={"X-CSRFToken": token}).status_code == 415
    assert count(synced_app, Declaration) == 0


def test_a_json_notice_is_refused(synced_app: Flask, head_client: FlaskClient) -> None:
    data = {**notice_form(synced_app), "reference_number": {"x": 1}, "cases-0-filed_on": 5}
    response = head_client.post("/notices/new", json=data, headers={"X-CSRFToken": csrf_token(head_client, "/")})
    assert response.status_code == 415 and count(synced_app, Notice) == 0


def test_a_get_with_a_content_type_is_answered_as_usual(admin_client: FlaskClient) -> None:
    assert admin_client.get("/admin/", headers={"Content-Type": "application/json"}).status_code == 200


def test_a_view_marked_for_files_gets_its_file(tmp_path) -> None:
    from intranet.request_guards import accepts_files

    from .conftest import make_app

    app = make_app(tmp_path, WTF_CSRF_ENABLED=False)

    @accepts_files("list")
    def upload() -> str:
        from flask import request

        return request.files["list"].read().decode()

    app.add_url_rule("/test-upload", view_func=upload, methods=["POST"])
    response = app.test_client().post("/test-upload", data={"list": (io.BytesIO(b"danh sach"), "ds.xlsx")})
    assert response.status_code == 200 and response.get_data(as_text=True) == "danh sach"
    # A text field sent as a file is refused there too.
    response = app.test_client().post("/test-upload", data={"list": (io.BytesIO(b"x"), "a"), "note": a_file()})
    assert_refused_file(response)
