"""Signing in and out on the demo directory, as a member of staff would."""
from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from intranet.extensions import db
from intranet.models import AuditEvent, Employee

from .conftest import DEMO_ADMIN, DEMO_EMPLOYEE, DEMO_PASSWORD, csrf_token, sign_in

WRONG = "Tên đăng nhập hoặc mật khẩu không đúng."


def audit_actions(app: Flask) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_login_page_is_vietnamese_and_names_the_demo_directory(client: FlaskClient) -> None:
    page = client.get("/login").get_data(as_text=True)
    assert "Đăng nhập" in page
    assert "Danh bạ mẫu" in page
    assert DEMO_EMPLOYEE in page
    assert 'lang="vi"' in page


def test_anonymous_visitor_is_sent_to_the_login_page(client: FlaskClient) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_staff_member_signs_in_and_sees_their_name(client: FlaskClient, app: Flask) -> None:
    response = sign_in(client, DEMO_EMPLOYEE, follow_redirects=True)
    assert response.status_code == 200
    with app.app_context():
        employee = db.session.scalar(select(Employee).filter_by(username=DEMO_EMPLOYEE))
        assert employee is not None and employee.unit is not None
        full_name = employee.full_name
    assert full_name in response.get_data(as_text=True)
    assert audit_actions(app) == ["auth.sign_in"]


def test_username_is_trimmed_and_case_insensitive(client: FlaskClient, app: Flask) -> None:
    response = sign_in(client, f"  {DEMO_EMPLOYEE.upper()} ")
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalars(select(Employee.username)).all() == [DEMO_EMPLOYEE]


@pytest.mark.parametrize("username", [DEMO_EMPLOYEE, "khongtontai"])
def test_wrong_password_and_unknown_user_get_the_same_answer(
    client: FlaskClient, app: Flask, username: str
) -> None:
    response = sign_in(client, username, "sai-mat-khau")
    assert response.status_code == 401
    assert WRONG in response.get_data(as_text=True)
    assert audit_actions(app) == ["auth.sign_in_failed"]


@pytest.mark.parametrize(
    ("username", "password", "message"),
    [
        (DEMO_EMPLOYEE, "", "Vui lòng nhập mật khẩu."),
        (DEMO_EMPLOYEE, "   ", "Vui lòng nhập mật khẩu."),
        ("", DEMO_PASSWORD, "Vui lòng nhập tên đăng nhập."),
        ("", "", "Vui lòng nhập tên đăng nhập."),
    ],
)
def test_blank_fields_are_refused_before_any_bind(
    client: FlaskClient, app: Flask, username: str, password: str, message: str
) -> None:
    response = sign_in(client, username, password)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert audit_actions(app) == []  # the directory was never asked


@pytest.mark.parametrize("username", ["*", ")(uid=*", "annv)(|(uid=*", "\\", "an\x00nv", "a" * 5000])
def test_filter_injection_usernames_are_just_wrong(client: FlaskClient, username: str) -> None:
    response = sign_in(client, username, DEMO_PASSWORD)
    assert response.status_code == 401
    assert WRONG in response.get_data(as_text=True)


def test_form_without_csrf_token_is_refused(client: FlaskClient) -> None:
    response = client.post("/login", data={"username": DEMO_EMPLOYEE, "password": DEMO_PASSWORD})
    assert response.status_code == 400
    assert "Vui lòng tải lại trang" in response.get_data(as_text=True)


def test_next_parameter_stays_on_the_site(client: FlaskClient) -> None:
    token = csrf_token(client)
    data = {"username": DEMO_EMPLOYEE, "password": DEMO_PASSWORD, "csrf_token": token}
    response = client.post("/login?next=//evil.example/x", data=data)
    assert response.headers["Location"] == "/"


def test_next_parameter_returns_to_the_requested_page(client: FlaskClient) -> None:
    token = csrf_token(client)
    data = {"username": DEMO_ADMIN, "password": DEMO_PASSWORD, "csrf_token": token}
    response = client.post("/login?next=/admin/", data=data)
    assert response.headers["Location"] == "/admin/"


def test_session_is_renewed_at_sign_in(client: FlaskClient) -> None:
    client.get("/login")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    sign_in(client, DEMO_EMPLOYEE)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session.permanent


def test_logout_ends_the_session_and_a_copied_cookie_no_longer_works(
    employee_client: FlaskClient,
) -> None:
    cookie = employee_client.get_cookie("session")
    assert cookie is not None
    stolen = cookie.value
    token = csrf_token(employee_client, "/")
    response = employee_client.post("/logout", data={"csrf_token": token})
    assert response.status_code == 302
    assert employee_client.get("/").status_code == 302

    employee_client.set_cookie("session", stolen)
    response = employee_client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_logout_needs_post(employee_client: FlaskClient) -> None:
    assert employee_client.get("/logout").status_code == 405
    assert employee_client.get("/").status_code == 200


def test_employee_gets_403_on_admin_pages(employee_client: FlaskClient) -> None:
    response = employee_client.get("/admin/")
    assert response.status_code == 403
    assert "Không có quyền truy cập" in response.get_data(as_text=True)


def test_a_session_sees_a_role_change_at_once(synced_app: Flask, admin_client: FlaskClient) -> None:
    assert admin_client.get("/admin/").status_code == 200
    with synced_app.app_context():
        admin = db.session.scalar(select(Employee).filter_by(username=DEMO_ADMIN))
        admin.is_admin = False
        db.session.commit()
    assert admin_client.get("/admin/").status_code == 403


def test_pages_carry_security_headers(employee_client: FlaskClient) -> None:
    response = employee_client.get("/")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cache-Control"] == "no-store"
    cookie = employee_client.get_cookie("session")
    assert cookie is not None and cookie.http_only and cookie.same_site == "Lax"


def test_unknown_page_is_a_friendly_404(client: FlaskClient) -> None:
    response = client.get("/khong-co-trang-nay")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.get_data(as_text=True)


def test_unexpected_error_shows_no_traceback(app: Flask) -> None:
    @app.route("/boom")
    def boom() -> str:
        raise RuntimeError("secret internals")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = app.test_client().get("/boom")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "secret internals" not in body and "Traceback" not in body
    assert "Mã lỗi" in body


def test_interface_switches_to_english(client: FlaskClient) -> None:
    token = csrf_token(client)
    client.post("/language", data={"lang": "en", "next": "/login", "csrf_token": token})
    page = client.get("/login").get_data(as_text=True)
    assert 'lang="en"' in page
    assert "Sign in" in page


def test_repeated_failures_for_one_username_are_slowed_down(client: FlaskClient) -> None:
    for _ in range(5):
        assert sign_in(client, DEMO_EMPLOYEE, "sai").status_code == 401
    response = sign_in(client, f" {DEMO_EMPLOYEE.upper()}", DEMO_PASSWORD)
    # Even the right password now gets the same answer as any other attempt.
    assert response.status_code == 429
    assert "Bạn đã thử quá nhiều lần" in response.get_data(as_text=True)
    assert "Retry-After" in response.headers
    assert sign_in(client, DEMO_ADMIN, DEMO_PASSWORD).status_code == 302  # others are not locked out


def test_many_failures_from_one_address_are_slowed_down(app: Flask) -> None:
    app.config["LOGIN_LIMIT_PER_ADDRESS"] = "3 per 15 minutes"
    client = app.test_client()
    for n in range(3):
        assert sign_in(client, f"nguoi{n}", "sai").status_code == 401
    assert sign_in(client, "nguoikhac", "sai").status_code == 429


def test_successful_sign_ins_do_not_count_against_the_limit(app: Flask) -> None:
    app.config["LOGIN_LIMIT_PER_USERNAME"] = "2 per 15 minutes"
    for _ in range(4):
        assert sign_in(app.test_client(), DEMO_EMPLOYEE).status_code == 302


def test_idle_session_expires(app: Flask) -> None:
    from datetime import timedelta

    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(seconds=1)
    client = app.test_client()
    sign_in(client, DEMO_EMPLOYEE)
    assert client.get("/").status_code == 200
    import time

    time.sleep(2.1)
    assert client.get("/").status_code == 302
