"""Sign-in and sync against a real OpenLDAP slapd started for the tests (tests/ldap/test.ldif)."""
from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from ldap3 import MODIFY_ADD, MODIFY_DELETE, MODIFY_REPLACE
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from intranet.extensions import db
from intranet.models import Employee

from .conftest import TESTS, csrf_token, make_app, sign_in
from .support.directory_settings import HEADS, STAFF, ldap_settings
from .support.ldap_server import Slapd
from .support.process import free_port

PHUC = f"uid=hoangminhphuc,{STAFF}"
WRONG = "Tên đăng nhập hoặc mật khẩu không đúng."


@pytest.fixture
def own_slapd(tmp_path: Path) -> Iterator[Slapd]:
    """A directory of the test's own, for tests that change it or stop it."""
    with Slapd(TESTS / "ldap" / "test.ldif", tmp_path / "slapd") as server:
        yield server


@pytest.fixture
def ldap_app(tmp_path: Path, slapd: Slapd) -> Flask:
    return make_app(tmp_path, **ldap_settings(slapd.url))


def employee(app: Flask, username: str) -> Employee | None:
    with app.app_context():
        found = db.session.scalar(
            select(Employee).filter_by(username=username).options(joinedload(Employee.unit))
        )
        if found is not None:
            db.session.expunge(found)
        return found


def test_staff_member_signs_in_against_slapd(ldap_app: Flask) -> None:
    client = ldap_app.test_client()
    response = sign_in(client, "nguyenvana", "Matkhau#1", follow_redirects=True)
    assert response.status_code == 200
    assert "Nguyễn Văn An" in response.get_data(as_text=True)
    person = employee(ldap_app, "nguyenvana")
    assert person.title == "Kiểm lâm viên"
    assert not person.is_head and not person.is_admin


def test_entry_in_a_sub_branch_signs_in(ldap_app: Flask) -> None:
    response = sign_in(ldap_app.test_client(), "DangVanEm", "Matkhau#5")
    assert response.status_code == 302
    assert employee(ldap_app, "dangvanem").unit is not None


@pytest.mark.parametrize(("username", "password"), [("nguyenvana", "Matkhau#2"), ("khongco", "Matkhau#1")])
def test_wrong_password_and_unknown_user_look_the_same(
    ldap_app: Flask, username: str, password: str
) -> None:
    response = sign_in(ldap_app.test_client(), username, password)
    assert response.status_code == 401
    assert WRONG in response.get_data(as_text=True)


def test_empty_password_is_refused_before_any_bind(ldap_app: Flask) -> None:
    response = sign_in(ldap_app.test_client(), "nguyenvana", "")
    assert response.status_code == 422
    assert employee(ldap_app, "nguyenvana") is None


@pytest.mark.parametrize("username", ["*", ")(uid=*", "nguyenvana)(uid=*", "\\", "nguyen\x00vana", "x" * 5000])
def test_filter_injection_gets_nobody_in(ldap_app: Flask, username: str) -> None:
    response = sign_in(ldap_app.test_client(), username, "Matkhau#1")
    assert response.status_code == 401
    assert WRONG in response.get_data(as_text=True)


def test_head_and_admin_roles_come_from_groups(ldap_app: Flask) -> None:
    assert sign_in(ldap_app.test_client(), "tranthibich", "Matkhau#2").status_code == 302
    assert sign_in(ldap_app.test_client(), "lequangcuong", "Matkhau#3").status_code == 302
    head, admin = employee(ldap_app, "tranthibich"), employee(ldap_app, "lequangcuong")
    assert head.is_head and not head.is_admin
    assert admin.is_admin and not admin.is_head


def test_removed_from_group_loses_the_role_at_next_sign_in(tmp_path: Path, own_slapd: Slapd) -> None:
    app = make_app(tmp_path, **ldap_settings(own_slapd.url))
    assert sign_in(app.test_client(), "hoangminhphuc", "Matkhau#6").status_code == 302
    assert employee(app, "hoangminhphuc").is_head
    own_slapd.modify(HEADS, {"member": [(MODIFY_DELETE, [PHUC])]})
    assert sign_in(app.test_client(), "hoangminhphuc", "Matkhau#6").status_code == 302
    assert not employee(app, "hoangminhphuc").is_head


def test_all_servers_down_gives_503(tmp_path: Path) -> None:
    url = f"ldap://127.0.0.1:{free_port()} ldap://127.0.0.1:{free_port()}"
    app = make_app(tmp_path, **ldap_settings(url))
    response = sign_in(app.test_client(), "nguyenvana", "Matkhau#1")
    assert response.status_code == 503
    body = response.get_data(as_text=True)
    assert "Không kết nối được danh bạ" in body and "Traceback" not in body


def test_dead_first_server_fails_over_to_the_next(tmp_path: Path, slapd: Slapd) -> None:
    app = make_app(tmp_path, **ldap_settings(f"ldap://127.0.0.1:{free_port()} {slapd.url}"))
    assert sign_in(app.test_client(), "nguyenvana", "Matkhau#1").status_code == 302


def test_hung_directory_fails_fast_with_503(tmp_path: Path, silent_directory: str) -> None:
    app = make_app(tmp_path, **ldap_settings(silent_directory, LDAP_TIMEOUT=1))
    started = time.monotonic()
    response = sign_in(app.test_client(), "nguyenvana", "Matkhau#1")
    assert response.status_code == 503
    assert time.monotonic() - started < 5


def test_signed_in_staff_keep_working_while_the_directory_is_down(
    tmp_path: Path, own_slapd: Slapd
) -> None:
    app = make_app(tmp_path, **ldap_settings(own_slapd.url))
    client = app.test_client()
    assert sign_in(client, "nguyenvana", "Matkhau#1").status_code == 302
    own_slapd.stop()
    assert client.get("/").status_code == 200
    assert sign_in(app.test_client(), "nguyenvana", "Matkhau#1").status_code == 503
    own_slapd.start()
    assert sign_in(app.test_client(), "nguyenvana", "Matkhau#1").status_code == 302


def test_sync_adds_updates_and_deactivates(tmp_path: Path, own_slapd: Slapd) -> None:
    app = make_app(tmp_path, **ldap_settings(own_slapd.url))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["directory", "sync"])
    assert result.exit_code == 0, result.output
    assert "6 người; thêm 6" in result.output
    assert employee(app, "phamthidung").is_head

    own_slapd.add(
        f"uid=vothilan,{STAFF}",
        ["inetOrgPerson"],
        {"uid": "vothilan", "cn": "Võ Thị Lan", "sn": "Võ", "departmentNumber": "Phòng Thanh tra – Pháp chế"},
    )
    own_slapd.modify(f"uid=nguyenvana,{STAFF}", {"title": [(MODIFY_REPLACE, ["Kiểm lâm viên chính"])]})
    own_slapd.modify(HEADS, {"member": [(MODIFY_ADD, [f"uid=nguyenvana,{STAFF}"])]})
    own_slapd.delete(f"uid=dangvanem,ou=hoai-nhon,{STAFF}")

    result = runner.invoke(args=["directory", "sync"])
    assert result.exit_code == 0, result.output
    assert "thêm 1, cập nhật 1" in result.output and "ngừng hoạt động 1" in result.output
    an = employee(app, "nguyenvana")
    assert an.title == "Kiểm lâm viên chính" and an.is_head
    assert not employee(app, "dangvanem").active
    assert employee(app, "vothilan").unit is not None


def test_sync_with_the_directory_down_says_so(tmp_path: Path) -> None:
    app = make_app(tmp_path, **ldap_settings(f"ldap://127.0.0.1:{free_port()}"))
    result = app.test_cli_runner().invoke(args=["directory", "sync"])
    assert result.exit_code != 0
    assert "không thay đổi gì: không kết nối được danh bạ" in result.output
    assert "Traceback" not in result.output


def test_wrong_service_password_is_an_outage_not_a_wrong_user(tmp_path: Path, slapd: Slapd) -> None:
    app = make_app(tmp_path, **ldap_settings(slapd.url, LDAP_BIND_PASSWORD="wrong"))
    client: FlaskClient = app.test_client()
    assert sign_in(client, "nguyenvana", "Matkhau#1").status_code == 503
    assert csrf_token(client)  # the login page itself still works
