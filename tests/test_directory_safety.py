"""A sync that cannot wipe the staff list, and people who stay themselves when renamed (slapd).

Every test has its own slapd (tests/ldap/test.ldif: six staff, two groups) since most
change it; the failures are the ones an administrator really makes.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from ldap3 import MODIFY_ADD, MODIFY_REPLACE
from sqlalchemy import func, select, update

from intranet.clock import local_today
from intranet.declarations import service as declarations
from intranet.extensions import db
from intranet.models import AuditEvent, Declaration, Employee

from .conftest import TESTS, make_app, sign_in
from .support.directory_settings import ADMINS, HEADS, STAFF, SUFFIX, ldap_settings
from .support.ldap_server import Slapd

NOBODY_CHANGED = "Đồng bộ đã dừng, không thay đổi gì"


@pytest.fixture
def directory(tmp_path: Path) -> Iterator[Slapd]:
    with Slapd(TESTS / "ldap" / "test.ldif", tmp_path / "slapd") as server:
        yield server


def synced(tmp_path: Path, directory: Slapd, **overrides: object) -> Flask:
    """An app whose database holds the six staff of a first, good sync."""
    app = make_app(tmp_path, **ldap_settings(directory.url))
    result = app.test_cli_runner().invoke(args=["directory", "sync"])
    assert result.exit_code == 0, result.output
    app.config.update(overrides)
    return app


def active_usernames(app: Flask) -> set[str]:
    with app.app_context():
        return set(db.session.scalars(select(Employee.username).where(Employee.active.is_(True))))


def heads(app: Flask) -> set[str]:
    with app.app_context():
        return set(db.session.scalars(select(Employee.username).where(Employee.is_head.is_(True))))


def audit_rows(app: Flask, action: str) -> list[AuditEvent]:
    with app.app_context():
        rows = list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))
        for row in rows:
            db.session.expunge(row)
        return rows


def sync(app: Flask, *args: str):
    return app.test_cli_runner().invoke(args=["directory", "sync", *args])


ALL_SIX = {"nguyenvana", "tranthibich", "lequangcuong", "phamthidung", "dangvanem", "hoangminhphuc"}


# -- 1. a sync that fails safe ----------------------------------------------------------


def test_a_typo_in_the_user_base_changes_nothing_and_says_so(tmp_path: Path, directory: Slapd) -> None:
    app = synced(tmp_path, directory, LDAP_USER_BASE=f"ou=staf,{SUFFIX}")
    result = sync(app)
    assert result.exit_code == 1
    assert NOBODY_CHANGED in result.output and "LDAP_USER_BASE" in result.output
    assert "Traceback" not in result.output
    assert active_usernames(app) == ALL_SIX
    failed = audit_rows(app, "directory.sync_failed")
    assert len(failed) == 1 and "noSuchObject" in failed[0].details["error"]


def test_a_wrong_head_group_changes_nothing(tmp_path: Path, directory: Slapd) -> None:
    app = synced(tmp_path, directory)
    before = heads(app)
    assert before
    app.config["LDAP_HEAD_GROUP"] = f"cn=unit-haeds,ou=groups,{SUFFIX}"
    result = sync(app)
    assert result.exit_code == 1 and "LDAP_HEAD_GROUP" in result.output
    assert heads(app) == before


def test_an_error_on_a_later_page_changes_nothing(tmp_path: Path) -> None:
    # The service account may read 3 entries in all through paged searches: page 2 fails.
    limits = [f'limits dn.exact="cn=svc-intranet,ou=services,{SUFFIX}" size.prtotal=3']
    with Slapd(TESTS / "ldap" / "test.ldif", tmp_path / "limited", limits=limits) as limited:
        app = make_app(tmp_path, **ldap_settings(limited.url, LDAP_HEAD_GROUP="", LDAP_ADMIN_GROUP=""))
        with app.app_context():
            for username in ALL_SIX:  # as a first sync without the limit would have left them
                db.session.add(Employee(username=username, directory_dn="x", full_name=username, sort_key=username))
            db.session.commit()
        result = sync(app)
    assert result.exit_code == 1, result.output
    assert NOBODY_CHANGED in result.output
    assert active_usernames(app) == ALL_SIX


def test_an_empty_listing_never_deactivates_anyone(tmp_path: Path, directory: Slapd) -> None:
    app = synced(tmp_path, directory, LDAP_SYNC_FILTER="(objectClass=posixAccount)")
    result = sync(app)
    assert result.exit_code == 1
    assert "không trả về người nào" in result.output
    assert active_usernames(app) == ALL_SIX
    assert audit_rows(app, "directory.sync_failed")[0].details["reason"] == "empty"
    # The admin who opens the page later (the sync ran from a timer) reads it there.
    admin = app.test_client()
    assert sign_in(admin, "lequangcuong", "Matkhau#3").status_code == 302
    page = admin.get("/admin/").get_data(as_text=True)
    assert "đã dừng, không thay đổi gì: danh bạ không trả về người nào" in page


def test_many_leavers_wait_for_a_confirmation_that_names_them(tmp_path: Path, directory: Slapd) -> None:
    app = synced(tmp_path, directory)  # six staff: one may leave unconfirmed (10%, at least one)
    directory.delete(f"uid=dangvanem,ou=hoai-nhon,{STAFF}")
    directory.delete(f"uid=nguyenvana,{STAFF}")
    held = sync(app)
    assert held.exit_code == 1
    assert "Ngừng hoạt động (2):" in held.output
    assert "Nguyễn Văn An (nguyenvana): không còn trong danh bạ" in held.output
    assert active_usernames(app) == ALL_SIX
    code = held.output.split("--confirm ")[1].split()[0]
    assert sync(app, "--confirm", "0000000000").exit_code == 1  # not the list they saw
    done = sync(app, "--confirm", code)
    assert done.exit_code == 0, done.output
    assert active_usernames(app) == ALL_SIX - {"dangvanem", "nguyenvana"}


def test_a_single_leaver_needs_no_confirmation(tmp_path: Path, directory: Slapd) -> None:
    app = synced(tmp_path, directory)
    directory.delete(f"uid=dangvanem,ou=hoai-nhon,{STAFF}")
    assert sync(app).exit_code == 0
    assert "dangvanem" not in active_usernames(app)


def test_dry_run_shows_every_kind_of_change_and_writes_nothing(tmp_path: Path, directory: Slapd) -> None:
    app = synced(tmp_path, directory)
    directory.add(
        f"uid=vothilan,{STAFF}", ["inetOrgPerson"],
        {"uid": "vothilan", "cn": "Võ Thị Lan", "sn": "Võ", "departmentNumber": "Phòng Thanh tra – Pháp chế"},
    )
    directory.rename(f"uid=nguyenvana,{STAFF}", "uid=an.nv")
    directory.modify(f"uid=lequangcuong,{STAFF}", {"departmentNumber": [(MODIFY_REPLACE, ["Hạt Kiểm lâm An Lão"])]})
    directory.modify(HEADS, {"member": [(MODIFY_ADD, [f"uid=dangvanem,ou=hoai-nhon,{STAFF}"])]})
    directory.delete(f"uid=hoangminhphuc,{STAFF}")
    with app.app_context():
        audit_before = db.session.scalar(select(func.count(AuditEvent.id)))
    result = sync(app, "--dry-run")
    assert result.exit_code == 0, result.output
    for line in (
        "Thêm mới (1):", "Võ Thị Lan (vothilan): Phòng Thanh tra – Pháp chế",
        "Đổi tên đăng nhập (1):", "Nguyễn Văn An (an.nv): nguyenvana → an.nv",
        "Chuyển đơn vị (1):", "Lê Quang Cường (lequangcuong): Phòng Tổ chức – Hành chính → Hạt Kiểm lâm An Lão",
        "Ngừng hoạt động (1):", "(hoangminhphuc): không còn trong danh bạ",
        "Nhận vai trò (1):", "(dangvanem): thủ trưởng đơn vị",
        "chưa ghi gì",
    ):
        assert line in result.output, line
    assert active_usernames(app) == ALL_SIX
    with app.app_context():
        assert db.session.scalar(select(func.count(AuditEvent.id))) == audit_before


# -- 2. a stable identity -----------------------------------------------------------------


def declare(app: Flask, username: str) -> int:
    with app.app_context():
        employee = db.session.scalar(select(Employee).filter_by(username=username))
        declarations.declare(
            employee, status="level2_active", activated_on=local_today(), committed=True,
            note=None, today=local_today(), address=None,
        )
        db.session.commit()
        return employee.id


def test_a_renamed_account_keeps_the_person_and_their_records(tmp_path: Path, directory: Slapd) -> None:
    app = synced(tmp_path, directory)
    employee_id = declare(app, "nguyenvana")
    directory.rename(f"uid=nguyenvana,{STAFF}", "uid=an.nv")
    result = sync(app)
    assert result.exit_code == 0, result.output
    assert "đổi tên đăng nhập 1" in result.output and "ngừng hoạt động 0" in result.output
    with app.app_context():
        renamed = db.session.get(Employee, employee_id)
        assert renamed.username == "an.nv" and renamed.active
        assert renamed.vneid_status == "level2_active"  # still counted as declared
        assert db.session.scalar(select(func.count(Employee.id))) == 6
    # Signing in under the new name is the same person.
    assert sign_in(app.test_client(), "an.nv", "Matkhau#1").status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count(Employee.id))) == 6


def test_a_renamed_account_signing_in_before_any_sync_is_still_themselves(tmp_path: Path, directory: Slapd) -> None:
    app = synced(tmp_path, directory)
    employee_id = declare(app, "nguyenvana")
    directory.rename(f"uid=nguyenvana,{STAFF}", "uid=an.nv")
    assert sign_in(app.test_client(), "an.nv", "Matkhau#1").status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Employee.id).filter_by(username="an.nv")) == employee_id


def test_a_reused_username_is_a_new_person_who_inherits_nothing(tmp_path: Path, directory: Slapd) -> None:
    app = synced(tmp_path, directory)
    former_id = declare(app, "dangvanem")
    directory.delete(f"uid=dangvanem,ou=hoai-nhon,{STAFF}")
    directory.add(
        f"uid=dangvanem,{STAFF}", ["inetOrgPerson"],
        {"uid": "dangvanem", "cn": "Đặng Văn Em", "sn": "Đặng", "userPassword": "Moi#2024",
         "departmentNumber": "Hạt Kiểm lâm An Lão"},
    )
    assert sign_in(app.test_client(), "dangvanem", "Moi#2024").status_code == 302
    assert sync(app).exit_code == 0
    with app.app_context():
        former = db.session.get(Employee, former_id)
        newcomer = db.session.scalar(select(Employee).filter_by(username="dangvanem"))
        assert newcomer.id != former_id and newcomer.active and newcomer.vneid_status is None
        assert not former.active and former.vneid_status == "level2_active"
        assert former.username.startswith("dangvanem (#")
        assert db.session.scalar(
            select(func.count(Declaration.id)).where(Declaration.employee_id == newcomer.id)
        ) == 0


def test_existing_staff_get_their_ids_at_the_next_sync(tmp_path: Path, directory: Slapd) -> None:
    """A database from before the ids: matched by username once, by id from then on."""
    app = synced(tmp_path, directory)
    with app.app_context():
        db.session.execute(update(Employee).values(directory_id=None))
        db.session.commit()
    assert sync(app).exit_code == 0
    with app.app_context():
        ids = list(db.session.scalars(select(Employee.directory_id)))
        assert len(ids) == 6 and all(ids) and len(set(ids)) == 6
    employee_id = declare(app, "tranthibich")
    directory.rename(f"uid=tranthibich,{STAFF}", "uid=bich.tt")
    assert sync(app).exit_code == 0
    with app.app_context():
        assert db.session.get(Employee, employee_id).username == "bich.tt"


# -- 6. several user bases ------------------------------------------------------------


def test_several_user_bases_are_all_read(tmp_path: Path, directory: Slapd) -> None:
    app = make_app(
        tmp_path,
        **ldap_settings(
            directory.url,
            LDAP_USER_BASE=f"ou=hoai-nhon,{STAFF}; uid=hoangminhphuc,{STAFF}",
            LDAP_ADMIN_GROUP=ADMINS,
        ),
    )
    result = sync(app)
    assert result.exit_code == 0, result.output
    assert active_usernames(app) == {"phamthidung", "dangvanem", "hoangminhphuc"}


def test_a_wrong_head_group_at_sign_in_is_an_outage_not_a_lost_role(tmp_path: Path, directory: Slapd) -> None:
    app = synced(tmp_path, directory, LDAP_HEAD_GROUP=f"cn=unit-haeds,ou=groups,{SUFFIX}")
    assert sign_in(app.test_client(), "tranthibich", "Matkhau#2").status_code == 503
    assert "tranthibich" in heads(app)
