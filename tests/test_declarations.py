"""Employees declare their VNeID status; the history is append-only and private to them."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from intranet.extensions import db
from intranet.models import AuditEvent, Declaration, Employee

from .support.clock import agency_today
from .support.forms import declare
from .conftest import DEMO_EMPLOYEE, DEMO_HEAD, signed_in_client


def declarations_of(app: Flask, username: str) -> list[Declaration]:
    with app.app_context():
        rows = db.session.scalars(
            select(Declaration).join(Employee).where(Employee.username == username).order_by(Declaration.id)
        ).all()
        db.session.expunge_all()
        return list(rows)


def test_home_calls_to_declare_when_nothing_is_declared(employee_client: FlaskClient) -> None:
    page = employee_client.get("/").get_data(as_text=True)
    assert "Chưa kê khai" in page
    assert "Kê khai ngay" in page


def test_form_says_no_id_number_or_password_is_asked(employee_client: FlaskClient) -> None:
    page = employee_client.get("/declaration").get_data(as_text=True)
    assert "không lưu số định danh cá nhân" in page
    assert "mật khẩu" in page
    for status in ("level2_active", "level2_pending", "level1", "none"):
        assert f'value="{status}"' in page


def test_employee_declares_level2_and_sees_it_at_home(
    employee_client: FlaskClient, synced_app: Flask
) -> None:
    response = declare(
        employee_client, status="level2_active", activated_on="05/03/2024", committed="y", note="Đã dùng"
    )
    assert response.status_code == 302
    page = employee_client.get("/").get_data(as_text=True)
    assert "Mức độ 2" in page and "05/03/2024" in page
    [saved] = declarations_of(synced_app, DEMO_EMPLOYEE)
    assert saved.status == "level2_active" and saved.activated_on == date(2024, 3, 5)
    assert saved.committed and saved.note == "Đã dùng"
    assert saved.declared_from == "127.0.0.1"
    with synced_app.app_context():
        assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.object_type == "Declaration")) == (
            "declaration.create"
        )


def test_a_change_is_a_new_declaration_and_the_history_keeps_all(
    employee_client: FlaskClient, synced_app: Flask
) -> None:
    assert declare(employee_client, status="level1").status_code == 302
    assert declare(employee_client, status="level2_pending").status_code == 302
    assert (
        declare(employee_client, status="level2_active", activated_on="1/2/2025", committed="y").status_code
        == 302
    )
    history = declarations_of(synced_app, DEMO_EMPLOYEE)
    assert [d.status for d in history] == ["level1", "level2_pending", "level2_active"]
    page = employee_client.get("/declaration").get_data(as_text=True)
    assert page.count("<tr") == 4  # header and three declarations
    assert "hiện tại" in page
    assert "01/02/2025" in page


def test_home_asks_to_declare_again_when_not_yet_level2(employee_client: FlaskClient) -> None:
    declare(employee_client, status="level1")
    page = employee_client.get("/").get_data(as_text=True)
    assert "Mức độ 1" in page and "Kê khai lại" in page


TOMORROW = (agency_today() + timedelta(days=2)).strftime("%d/%m/%Y")


@pytest.mark.parametrize(
    ("fields", "message", "status"),
    [
        ({}, "Vui lòng chọn tình trạng tài khoản.", 422),
        ({"status": "level2_active", "committed": "y"}, "Vui lòng nhập ngày kích hoạt", 422),
        ({"status": "level2_active", "activated_on": "31/02/2024", "committed": "y"}, "Ngày không hợp lệ", 422),
        ({"status": "level2_active", "activated_on": "2024-13-01", "committed": "y"}, "Ngày không hợp lệ", 422),
        ({"status": "level2_active", "activated_on": TOMORROW, "committed": "y"}, "không được sau ngày hôm nay", 422),
        ({"status": "level2_active", "activated_on": "19/10/2022", "committed": "y"}, "không được trước 20/10/2022", 422),
        ({"status": "level2_active", "activated_on": "05/03/2024"}, "Vui lòng xác nhận cam kết", 422),
        ({"status": "level1", "note": "x" * 501}, "Ghi chú tối đa 500 ký tự.", 422),
        ({"status": "level3"}, "Tình trạng tài khoản không nằm trong danh sách.", 400),
        ({"status": "<script>alert(1)</script>"}, "Tình trạng tài khoản không nằm trong danh sách.", 400),
    ],
)
def test_bad_input_is_refused_beside_the_field_and_nothing_is_saved(
    employee_client: FlaskClient, synced_app: Flask, fields: dict, message: str, status: int
) -> None:
    response = declare(employee_client, **fields)
    assert response.status_code == status
    page = response.get_data(as_text=True)
    assert message in page
    assert 'class="error"' in page
    assert "<script>alert(1)</script>" not in page
    assert declarations_of(synced_app, DEMO_EMPLOYEE) == []


def test_form_keeps_what_was_typed_after_an_error(employee_client: FlaskClient) -> None:
    response = declare(employee_client, status="level2_active", activated_on="05/03/2024", note="ghi chú")
    page = response.get_data(as_text=True)
    assert 'value="05/03/2024"' in page and "ghi chú" in page


def test_missing_or_wrong_csrf_token_saves_nothing(employee_client: FlaskClient, synced_app: Flask) -> None:
    data = {"status": "level1"}
    assert employee_client.post("/declaration", data=data).status_code == 400
    assert employee_client.post("/declaration", data={**data, "csrf_token": "forged"}).status_code == 400
    assert declarations_of(synced_app, DEMO_EMPLOYEE) == []


def test_posting_another_employees_id_still_declares_for_oneself(
    employee_client: FlaskClient, synced_app: Flask
) -> None:
    with synced_app.app_context():
        head_id = db.session.scalar(select(Employee.id).filter_by(username=DEMO_HEAD))
    declare(employee_client, status="level1", employee_id=str(head_id), employee=str(head_id))
    assert declarations_of(synced_app, DEMO_HEAD) == []
    assert len(declarations_of(synced_app, DEMO_EMPLOYEE)) == 1


def test_no_page_shows_a_declaration_by_id(employee_client: FlaskClient, synced_app: Flask) -> None:
    head = signed_in_client(synced_app, DEMO_HEAD)
    declare(head, status="level1", note="riêng tư")
    with synced_app.app_context():
        declaration_id = db.session.scalar(select(func.max(Declaration.id)))
    for path in (f"/declaration/{declaration_id}", f"/declaration?id={declaration_id}"):
        assert "riêng tư" not in employee_client.get(path).get_data(as_text=True)


def test_declarations_cannot_be_edited_or_deleted_through_any_route(synced_app: Flask) -> None:
    methods = {
        rule.rule: rule.methods
        for rule in synced_app.url_map.iter_rules()
        if rule.rule.startswith("/declaration")
    }
    assert methods == {"/declaration": {"GET", "HEAD", "OPTIONS", "POST"}}


def test_a_nul_byte_in_any_field_is_refused(employee_client: FlaskClient, synced_app: Flask) -> None:
    assert declare(employee_client, status="level1", note="ghi\x00chú").status_code == 400
    assert employee_client.get("/declaration?x=a\x00b").status_code == 400
    assert declarations_of(synced_app, DEMO_EMPLOYEE) == []
