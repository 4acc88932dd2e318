"""The staff directory sync, from the command line and from the admin page (demo directory)."""
from __future__ import annotations

import dataclasses
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, update
from sqlalchemy.exc import DBAPIError

from intranet.directory import Directory, DirectorySearchFailed, directory_from_config
from intranet.extensions import db
from intranet.models import AuditEvent, Employee, RosterEntry, Unit
from intranet.reminders.addresses import usable_address

from .conftest import DEMO_EMPLOYEE, csrf_token, sign_in
from .support.reminders import ADDRESSES


def count(model: type, *criteria) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*criteria))


class ShrunkDirectory(Directory):
    """The demo directory with some people gone, renamed or moved, as after staff changes."""

    gone: set[str] = set()
    renamed: dict[str, str] = {}
    moved: dict[str, str] = {}

    def people(self):
        for person in super().people():
            if person.username in self.gone:
                continue
            if person.username in self.renamed:
                person = dataclasses.replace(person, full_name=self.renamed[person.username])
            if person.username in self.moved:
                person = dataclasses.replace(person, unit_name=self.moved[person.username])
            yield person


def use_shrunk_directory(
    app: Flask, gone: set[str], renamed: dict[str, str], moved: dict[str, str] | None = None
) -> None:
    def factory(config):
        real = directory_from_config(config)
        directory = ShrunkDirectory(real.settings, real.server, real.client_strategy)
        directory.gone, directory.renamed, directory.moved = gone, renamed, moved or {}
        return directory

    app.config["DIRECTORY_FACTORY"] = factory


def test_cli_sync_adds_every_staff_member_and_unit(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["directory", "sync"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        staff = count(Employee)
        assert staff >= 35
        assert count(Unit) == 8
        assert count(Employee, Employee.is_admin.is_(True)) == 1
        assert count(Employee, Employee.is_head.is_(True)) == 8  # one per unit
    assert f"{staff} người; thêm {staff}" in result.output


def test_second_sync_changes_nothing(synced_app: Flask) -> None:
    result = synced_app.test_cli_runner().invoke(args=["directory", "sync"])
    assert "thêm 0, cập nhật 0" in result.output
    assert "ngừng hoạt động 0" in result.output


def test_sync_updates_and_deactivates_but_never_deletes(synced_app: Flask) -> None:
    with synced_app.app_context():
        before = count(Employee)
        someone = db.session.scalar(
            select(Employee.username).where(Employee.username != DEMO_EMPLOYEE).limit(1)
        )
    use_shrunk_directory(synced_app, gone={someone}, renamed={DEMO_EMPLOYEE: "Nguyễn Văn Anh"})
    result = synced_app.test_cli_runner().invoke(args=["directory", "sync"])
    assert "cập nhật 1" in result.output and "ngừng hoạt động 1" in result.output
    with synced_app.app_context():
        assert count(Employee) == before
        gone = db.session.scalar(select(Employee).filter_by(username=someone))
        assert not gone.active and gone.left_at is not None
        renamed = db.session.scalar(select(Employee).filter_by(username=DEMO_EMPLOYEE))
        assert renamed.full_name == "Nguyễn Văn Anh"

    use_shrunk_directory(synced_app, gone=set(), renamed={})
    result = synced_app.test_cli_runner().invoke(args=["directory", "sync"])
    assert "kích hoạt lại 1" in result.output
    with synced_app.app_context():
        back = db.session.scalar(select(Employee).filter_by(username=someone))
        assert back.active and back.left_at is None


def test_the_roster_keeps_each_move_departure_and_return(synced_app: Flask) -> None:
    def entries() -> list[tuple[str | None, bool]]:
        rows = db.session.execute(
            select(Unit.name, RosterEntry.on_staff, RosterEntry.at)
            .join(Employee, Employee.id == RosterEntry.employee_id)
            .outerjoin(Unit, Unit.id == RosterEntry.unit_id)
            .where(Employee.username == DEMO_EMPLOYEE)
            .order_by(RosterEntry.at, RosterEntry.id)
        )
        return [(name, on_staff) for name, on_staff, _at in rows]

    with synced_app.app_context():
        first = entries()
        assert first == [("Hạt Kiểm lâm An Lão", True)]
    steps = [
        ({}, {DEMO_EMPLOYEE: "Hạt Kiểm lâm Hoài Nhơn"}),  # moved
        ({DEMO_EMPLOYEE}, {}),  # gone from the directory
        (set(), {DEMO_EMPLOYEE: "Hạt Kiểm lâm Hoài Nhơn"}),  # back, in the new unit
        (set(), {DEMO_EMPLOYEE: "Hạt Kiểm lâm Hoài Nhơn"}),  # nothing new: no entry
    ]
    for gone, moved in steps:
        use_shrunk_directory(synced_app, gone=set(gone), renamed={}, moved=moved)
        result = synced_app.test_cli_runner().invoke(args=["directory", "sync"])
        assert result.exit_code == 0, result.output
    with synced_app.app_context():
        assert entries() == [
            ("Hạt Kiểm lâm An Lão", True),
            ("Hạt Kiểm lâm Hoài Nhơn", True),
            ("Hạt Kiểm lâm Hoài Nhơn", False),
            ("Hạt Kiểm lâm Hoài Nhơn", True),
        ]
        employee = db.session.scalar(select(Employee).filter_by(username=DEMO_EMPLOYEE))
        times = db.session.scalars(
            select(RosterEntry.at).filter_by(employee_id=employee.id).order_by(RosterEntry.id)
        ).all()
        # Each at the sync that saw it; the last sync saw nothing new.
        assert times == sorted(set(times)) and times[-1] < employee.synced_at
        entry = db.session.scalar(select(RosterEntry).filter_by(employee_id=employee.id))
        entry.on_staff = False
        with pytest.raises(DBAPIError):  # the roster is a record: append-only
            db.session.commit()


def test_staff_member_who_left_cannot_sign_in_with_an_old_session(
    synced_app: Flask, employee_client: FlaskClient
) -> None:
    assert employee_client.get("/").status_code == 200
    use_shrunk_directory(synced_app, gone={DEMO_EMPLOYEE}, renamed={})
    synced_app.test_cli_runner().invoke(args=["directory", "sync"])
    assert employee_client.get("/").status_code == 302


def test_admin_runs_the_sync_from_the_web(admin_client: FlaskClient, synced_app: Flask) -> None:
    page = admin_client.get("/admin/").get_data(as_text=True)
    assert "Hạt Kiểm lâm An Lão" in page
    response = admin_client.post(
        "/admin/directory/sync", data={"csrf_token": csrf_token(admin_client, "/admin/")},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "Đã đồng bộ danh bạ" in response.get_data(as_text=True)
    with synced_app.app_context():
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "directory.sync")
            .order_by(AuditEvent.id.desc()).limit(1)
        )
        assert event.actor is not None and event.actor.is_admin


def test_employee_cannot_run_the_sync(employee_client: FlaskClient) -> None:
    token = csrf_token(employee_client, "/")
    response = employee_client.post("/admin/directory/sync", data={"csrf_token": token})
    assert response.status_code == 403


def test_overlong_directory_values_are_cut_not_fatal(app: Flask) -> None:
    """PostgreSQL refuses text longer than the column; SQLite would keep it. Same result on both."""
    long_unit = "Hạt Kiểm lâm " + "rất dài " * 40

    def overlong(person):
        if person.username != DEMO_EMPLOYEE:
            return person
        return dataclasses.replace(
            person, title="Kiểm lâm viên " * 30, email="x" * 250 + "@rangers.test",
            full_name="Đinh Văn " + "Hùng" * 60, unit_name=long_unit,
        )

    def factory(config):
        real = directory_from_config(config)

        class Overlong(Directory):
            def people(self):
                return map(overlong, super().people())

        return Overlong(real.settings, real.server, real.client_strategy)

    app.config["DIRECTORY_FACTORY"] = factory
    for _ in range(2):
        result = app.test_cli_runner().invoke(args=["directory", "sync"])
        assert result.exit_code == 0, result.output
    assert "cập nhật 0" in result.output  # the cut values compare equal the second time
    with app.app_context():
        hung = db.session.scalar(select(Employee).filter_by(username=DEMO_EMPLOYEE))
        assert len(hung.title) == 200 and hung.email is None and len(hung.full_name) == 200
        assert hung.unit.name == long_unit.strip()[:200]


# -- the admin's preview and confirmation ----------------------------------------------


def active_count(app: Flask) -> int:
    with app.app_context():
        return count(Employee, Employee.active.is_(True))


def leaving_five(synced_app: Flask) -> set[str]:
    """Five of the demo's staff gone at once: more than 10% of them."""
    with synced_app.app_context():
        gone = set(db.session.scalars(
            select(Employee.username).where(Employee.username != DEMO_EMPLOYEE)
            .where(Employee.is_admin.is_(False)).order_by(Employee.username).limit(5)
        ))
    use_shrunk_directory(synced_app, gone=gone, renamed={})
    return gone


def test_admin_previews_the_changes_before_anything_is_written(
    admin_client: FlaskClient, synced_app: Flask
) -> None:
    gone = leaving_five(synced_app)
    before = active_count(synced_app)
    page = admin_client.get("/admin/directory/sync")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Ngừng hoạt động" in text and "không còn trong danh bạ" in text
    assert all(username in text for username in gone)
    assert "Xác nhận và đồng bộ" in text and "LDAP_SYNC_MAX_LEAVERS" in text
    assert active_count(synced_app) == before


def test_many_leavers_from_the_web_wait_for_the_admin_s_confirmation(
    admin_client: FlaskClient, synced_app: Flask
) -> None:
    gone = leaving_five(synced_app)
    before = active_count(synced_app)
    token = csrf_token(admin_client, "/admin/")
    held = admin_client.post("/admin/directory/sync", data={"csrf_token": token})
    assert held.status_code == 409
    assert all(username in held.get_data(as_text=True) for username in gone)
    assert active_count(synced_app) == before
    confirm = re.search(r'name="confirm" value="([0-9a-f]+)"', held.get_data(as_text=True)).group(1)
    done = admin_client.post(
        "/admin/directory/sync", data={"csrf_token": token, "confirm": confirm}, follow_redirects=True
    )
    assert done.status_code == 200 and "Đã đồng bộ danh bạ" in done.get_data(as_text=True)
    assert active_count(synced_app) == before - len(gone)


def test_a_failed_sync_from_the_web_changes_nothing_and_says_why(
    admin_client: FlaskClient, synced_app: Flask
) -> None:
    def factory(config):
        real = directory_from_config(config)

        class Broken(Directory):
            def people(self):
                yield from list(super().people())[:3]
                raise DirectorySearchFailed(
                    DirectorySearchFailed.BASE, "ou=people,dc=kiemlam,dc=gov,dc=vn",
                    {"result": 51, "description": "busy", "message": ""},
                )

        return Broken(real.settings, real.server, real.client_strategy)

    synced_app.config["DIRECTORY_FACTORY"] = factory
    before = active_count(synced_app)
    response = admin_client.post(
        "/admin/directory/sync", data={"csrf_token": csrf_token(admin_client, "/admin/")},
        follow_redirects=True,
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Đồng bộ đã dừng, không thay đổi gì" in text and "busy" in text
    assert active_count(synced_app) == before
    with synced_app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "directory.sync_failed"))
        assert event.actor.is_admin and event.details["reason"] == "directory"


# -- sign-in: the same work for an unknown user and a wrong password ---------------------


def test_unknown_user_and_wrong_password_cost_the_same_binds(app: Flask) -> None:
    binds: list[str] = []

    def factory(config):
        real = directory_from_config(config)

        class Counting(Directory):
            def _bind(self, user, password):
                binds.append(user)
                return super()._bind(user, password)

        return Counting(real.settings, real.server, real.client_strategy)

    app.config["DIRECTORY_FACTORY"] = factory
    counts = []
    for username in (DEMO_EMPLOYEE, "khongtontai"):
        binds.clear()
        response = sign_in(app.test_client(), username, "sai-mat-khau")
        assert response.status_code == 401
        counts.append(len(binds))
    assert counts == [2, 2]  # the service account, then the person (or nobody)


def test_dry_run_shows_who_comes_back_and_who_loses_a_role(synced_app: Flask) -> None:
    use_shrunk_directory(synced_app, gone={DEMO_EMPLOYEE}, renamed={})
    assert synced_app.test_cli_runner().invoke(args=["directory", "sync"]).exit_code == 0

    def factory(config):
        real = directory_from_config(config)

        class NoHeads(Directory):
            def people(self):
                for person in super().people():
                    yield dataclasses.replace(person, is_head=False) if person.username == "annv" else person

        return NoHeads(real.settings, real.server, real.client_strategy)

    synced_app.config["DIRECTORY_FACTORY"] = factory
    result = synced_app.test_cli_runner().invoke(args=["directory", "sync", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Hoạt động trở lại (1):" in result.output and f"({DEMO_EMPLOYEE})" in result.output
    assert "Thôi vai trò (1):" in result.output and "(annv): thủ trưởng đơn vị" in result.output
    with synced_app.app_context():
        assert not db.session.scalar(select(Employee).filter_by(username=DEMO_EMPLOYEE)).active


# -- each address's verdict, kept for the reminders page -----------------------------------


def test_sync_stores_each_address_verdict_by_the_reminders_rule(synced_app: Flask) -> None:
    """employee.usable_email is usable_address(email) after every sync: for addresses of every
    kind, again when an address changes, and mended (without counting an update) when it was
    left wrong, as a change to the rule would leave it."""
    with synced_app.app_context():
        usernames = list(db.session.scalars(select(Employee.username).order_by(Employee.username)))
    given = dict(zip(usernames, ADDRESSES))

    def use(addresses: dict[str, str | None]) -> None:
        def factory(config):
            real = directory_from_config(config)

            class Addressed(Directory):
                def people(self):
                    for person in super().people():
                        if person.username in addresses:
                            person = dataclasses.replace(person, email=addresses[person.username])
                        yield person

            return Addressed(real.settings, real.server, real.client_strategy)

        synced_app.config["DIRECTORY_FACTORY"] = factory

    def verdicts() -> dict[str, tuple[str | None, str | None]]:
        with synced_app.app_context():
            return {username: (email, usable) for username, email, usable in db.session.execute(
                select(Employee.username, Employee.email, Employee.usable_email))}

    use(given)
    assert synced_app.test_cli_runner().invoke(args=["directory", "sync"]).exit_code == 0
    stored = verdicts()
    assert all(usable == usable_address(email) for email, usable in stored.values())
    assert {stored[username][0] for username in given} == set(given.values())

    first = usernames[2]  # a usable address, then none
    use({**given, first: "an @kiemlam.gov.vn"})
    result = synced_app.test_cli_runner().invoke(args=["directory", "sync"])
    assert "cập nhật 1" in result.output
    assert verdicts()[first] == ("an @kiemlam.gov.vn", None)

    with synced_app.app_context():
        db.session.execute(update(Employee).values(usable_email="stale@x.vn"))
        db.session.commit()
    result = synced_app.test_cli_runner().invoke(args=["directory", "sync"])
    assert "cập nhật 0" in result.output
    assert all(usable == usable_address(email) for email, usable in verdicts().values())
