"""Against a real Active Directory: a Samba AD DC provisioned for the test run (tests/support/samba_dc.py).

The agency (tests/support/samba_admin.py): Vietnamese OUs and display names, a second user base,
heads through nested groups, a disabled, an expired and a must-change-password account,
a computer account and the service account among the people. The run is inside a private
network namespace (tests/support/netns.py), where the DC has its ports and its name.
"""
from __future__ import annotations

import logging
import os
import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from intranet.clock import local_today
from intranet.declarations import service as declarations
from intranet.extensions import db
from intranet.models import AuditEvent, Employee

from .support import netns
from .conftest import make_app, sign_in
from .support.samba_admin import PASSWORD, SERVICE_PASSWORD
from .support.samba_dc import SambaDC, missing_tools

WRONG = "Tên đăng nhập hoặc mật khẩu không đúng."
STAFF = {"dathv", "khoabm", "annv", "huonglt", "moinv", "thanhpv"}


@pytest.fixture(scope="session")
def samba(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SambaDC]:
    reason = os.environ.get(netns.UNAVAILABLE) or netns.unavailable_reason()
    if reason is not None:
        pytest.skip(f"no Samba AD DC: {reason}")
    if netns.INSIDE not in os.environ:
        pytest.skip("no Samba AD DC outside the test network namespace (tests/support/netns.py)")
    missing = missing_tools()
    if missing:
        pytest.fail(f"the Samba AD DC tests need {', '.join(missing)} (make system-deps installs them)")
    with SambaDC(tmp_path_factory.mktemp("samba")) as dc:
        yield dc


def ad_settings(dc: SambaDC, **overrides: object) -> dict[str, object]:
    """What an AD site sets: URL, CA, service account, bases, groups. The rest is the preset."""
    layout = dc.layout
    settings: dict[str, object] = {
        "LDAP_SERVER_TYPE": "active_directory",
        "LDAP_URL": dc.ldaps_url,
        "LDAP_CA_FILE": str(dc.ca_file),
        "LDAP_BIND_DN": layout["service_dn"],
        "LDAP_BIND_PASSWORD": SERVICE_PASSWORD,
        "LDAP_USER_BASE": f"{layout['agency_base']};{layout['team_base']}",
        "LDAP_HEAD_GROUP": layout["heads"],
        "LDAP_ADMIN_GROUP": layout["admins"],
        "LDAP_TIMEOUT": 5,
        "LDAP_PAGE_SIZE": 3,  # several pages even here
    }
    settings.update(overrides)
    return settings


@pytest.fixture
def ad_app(tmp_path: Path, samba: SambaDC) -> Flask:
    return make_app(tmp_path, **ad_settings(samba))


def sync(app: Flask):
    return app.test_cli_runner().invoke(args=["directory", "sync"])


def staff(app: Flask) -> dict[str, Employee]:
    with app.app_context():
        rows = list(db.session.scalars(select(Employee)))
        for row in rows:
            db.session.expunge(row)
        return {row.username: row for row in rows}


def active(app: Flask) -> set[str]:
    return {name for name, e in staff(app).items() if e.active}


def test_sync_brings_the_people_and_nothing_else(ad_app: Flask) -> None:
    result = sync(ad_app)
    assert result.exit_code == 0, result.output
    people = staff(ad_app)
    # Not the disabled, the expired, the computer PC-VT01$ or the service account.
    assert set(people) == STAFF
    dat = people["dathv"]
    assert dat.full_name == "Hồ Văn Đạt" and dat.title == "Kiểm lâm viên"
    assert str(uuid.UUID(dat.directory_id)) == dat.directory_id  # objectGUID as a GUID
    assert "OU=Hạt Kiểm lâm An Lão" in dat.directory_dn
    with ad_app.app_context():
        assert db.session.get(Employee, dat.id).unit.name == "Hạt Kiểm lâm An Lão"
    # Heads through nested groups, one and two levels down; the admin directly.
    assert {name for name, e in people.items() if e.is_head} == {"annv", "thanhpv"}
    assert {name for name, e in people.items() if e.is_admin} == {"huonglt"}


@pytest.mark.parametrize("bind", ["KIEMLAM\\svc-intranet", "svc-intranet@kiemlam.gov.vn"])
def test_the_service_account_named_any_way_is_not_staff(tmp_path: Path, samba: SambaDC, bind: str) -> None:
    app = make_app(tmp_path, **ad_settings(samba, LDAP_BIND_DN=bind))
    result = sync(app)
    assert result.exit_code == 0, result.output
    assert set(staff(app)) == STAFF


@pytest.mark.parametrize("typed", ["dathv", "DatHV", "dathv@kiemlam.gov.vn", "KIEMLAM\\dathv", "kiemlam\\DATHV"])
def test_the_login_names_windows_users_type_all_work(ad_app: Flask, typed: str) -> None:
    assert sign_in(ad_app.test_client(), typed, PASSWORD).status_code == 302
    assert set(staff(ad_app)) == {"dathv"}


@pytest.mark.parametrize("typed", ["KHAC\\dathv", "dathv@khac.gov.vn", "\\dathv", "@kiemlam.gov.vn"])
def test_other_domains_are_nobody_here(ad_app: Flask, typed: str) -> None:
    response = sign_in(ad_app.test_client(), typed, PASSWORD)
    assert response.status_code == 401 and WRONG in response.get_data(as_text=True)


def test_wrong_password_stays_the_one_generic_answer(ad_app: Flask) -> None:
    for username in ("dathv", "sauld", "tamnt", "moinv", "khongco"):
        response = sign_in(ad_app.test_client(), username, "Sai#mat-khau1")
        assert response.status_code == 401, username
        assert WRONG in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("username", "reason", "words"),
    [
        ("sauld", "disabled", "đã bị vô hiệu hóa"),
        ("tamnt", "expired", "đã hết hạn sử dụng"),
        ("moinv", "must_change_password", "cần đổi mật khẩu"),
    ],
)
def test_the_right_password_on_an_unusable_account_says_what_to_do(
    ad_app: Flask, username: str, reason: str, words: str
) -> None:
    response = sign_in(ad_app.test_client(), username, PASSWORD)
    assert response.status_code == 403
    body = response.get_data(as_text=True)
    assert words in body and WRONG not in body
    with ad_app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "auth.sign_in_refused"))
        assert event.details == {"reason": reason} and event.actor_name == username
        assert db.session.scalar(select(func.count(Employee.id))) == 0


def test_a_locked_account_is_told_to_wait(ad_app: Flask, samba: SambaDC) -> None:
    samba.admin("lockout_threshold", value=3)
    try:
        for _ in range(3):
            assert sign_in(ad_app.test_client(), "khoabm", "Sai#mat-khau1").status_code == 401
        response = sign_in(ad_app.test_client(), "khoabm", PASSWORD)
        assert response.status_code == 403
        assert "đang bị khóa tạm thời" in response.get_data(as_text=True)
        with ad_app.app_context():
            event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "auth.sign_in_refused"))
            assert event.details == {"reason": "locked"}
    finally:
        samba.admin("lockout_threshold", value=0)
        samba.admin("unlock", username="khoabm")


@pytest.mark.parametrize("typed", ["svc-intranet", "KIEMLAM\\svc-intranet", "svc-intranet@kiemlam.gov.vn"])
def test_the_service_account_can_never_sign_in(ad_app: Flask, typed: str) -> None:
    response = sign_in(ad_app.test_client(), typed, SERVICE_PASSWORD)
    assert response.status_code == 401
    assert staff(ad_app) == {}


def test_a_renamed_account_is_the_same_person_with_their_records(ad_app: Flask, samba: SambaDC) -> None:
    assert sync(ad_app).exit_code == 0
    khoa = staff(ad_app)["khoabm"]
    with ad_app.app_context():
        declarations.declare(
            db.session.get(Employee, khoa.id), status="level2_active", activated_on=local_today(),
            committed=True, note=None, today=local_today(), address=None,
        )
        db.session.commit()
    samba.admin("rename", username="khoabm", new_username="khoa.bm")
    try:
        result = sync(ad_app)
        assert result.exit_code == 0, result.output
        assert "đổi tên đăng nhập 1" in result.output and "ngừng hoạt động 0" in result.output
        renamed = staff(ad_app)["khoa.bm"]
        assert renamed.id == khoa.id and renamed.active and renamed.vneid_status == "level2_active"
        assert sign_in(ad_app.test_client(), "KIEMLAM\\khoa.bm", PASSWORD).status_code == 302
        assert len(staff(ad_app)) == len(STAFF)
    finally:
        samba.admin("rename", username="khoa.bm", new_username="khoabm")


def test_a_disabled_account_leaves_and_comes_back_with_its_history(ad_app: Flask, samba: SambaDC) -> None:
    assert sync(ad_app).exit_code == 0
    client = ad_app.test_client()
    assert sign_in(client, "dathv", PASSWORD).status_code == 302
    assert client.get("/").status_code == 200
    dat_id = staff(ad_app)["dathv"].id
    samba.admin("disable", username="dathv")
    try:
        assert sync(ad_app).exit_code == 0
        assert "dathv" not in active(ad_app)
        assert client.get("/").status_code == 302  # their session ended
        assert sign_in(ad_app.test_client(), "dathv", PASSWORD).status_code == 403
    finally:
        samba.admin("enable", username="dathv")
    result = sync(ad_app)
    assert "kích hoạt lại 1" in result.output
    assert "dathv" in active(ad_app) and staff(ad_app)["dathv"].id == dat_id


def test_an_account_that_expires_leaves_the_staff(ad_app: Flask, samba: SambaDC) -> None:
    assert sync(ad_app).exit_code == 0
    samba.admin("expire", username="annv", filetime=132000000000000000)  # in 2019
    try:
        result = sync(ad_app)
        assert result.exit_code == 0, result.output
        assert "annv" not in active(ad_app)
    finally:
        samba.admin("expire", username="annv", filetime=0)  # never
    assert sync(ad_app).exit_code == 0
    assert "annv" in active(ad_app)


def test_plain_ldap_to_ad_is_refused_and_logged_in_the_directory_s_words(
    tmp_path: Path, samba: SambaDC, caplog: pytest.LogCaptureFixture
) -> None:
    app = make_app(tmp_path, **ad_settings(samba, LDAP_URL=samba.ldap_url))
    with caplog.at_level(logging.ERROR):
        response = sign_in(app.test_client(), "dathv", PASSWORD)
    assert response.status_code == 503
    assert "Transport encryption required" in caplog.text
    assert "refused the service account" not in caplog.text
    (tmp_path / "tls").mkdir()
    app = make_app(tmp_path / "tls", **ad_settings(samba, LDAP_URL=samba.ldap_url, LDAP_START_TLS=True))
    assert sign_in(app.test_client(), "dathv", PASSWORD).status_code == 302


def test_the_dc_s_certificate_is_checked_against_its_name(tmp_path: Path, samba: SambaDC) -> None:
    app = make_app(tmp_path, **ad_settings(samba, LDAP_URL="ldaps://127.0.0.1"))
    assert sign_in(app.test_client(), "dathv", PASSWORD).status_code == 503


def test_the_preview_lists_who_would_leave_on_ad(tmp_path: Path, samba: SambaDC) -> None:
    app = make_app(tmp_path, **ad_settings(samba))
    assert sync(app).exit_code == 0
    samba.admin("disable", username="huonglt")
    try:
        result = app.test_cli_runner().invoke(args=["directory", "sync", "--dry-run"])
    finally:
        samba.admin("enable", username="huonglt")
    assert re.search(r"Lê Thị Hương \(huonglt\): tài khoản bị vô hiệu hóa", result.output), result.output
    assert "huonglt" in active(app)
