"""employee.vneid_status mirrors the latest declaration; the database refuses any other value.

The current month's figures read it, so a forged copy would count a never-declared person
as level 2. Runs on SQLite, and on PostgreSQL in the PostgreSQL pass.
"""
from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, text, update
from sqlalchemy.exc import DBAPIError

from intranet.extensions import db
from intranet.models import Employee, Unit

from .conftest import DEMO_EMPLOYEE, csrf_token

REFUSED = "employee.vneid_status is written by the database only"


def status_of(username: str) -> str | None:
    return db.session.scalar(select(Employee.vneid_status).filter_by(username=username))


def test_a_direct_update_of_the_status_is_refused(synced_app: Flask) -> None:
    with synced_app.app_context():
        assert status_of(DEMO_EMPLOYEE) is None  # never declared
        with pytest.raises(DBAPIError, match=REFUSED):
            db.session.execute(
                text("UPDATE employee SET vneid_status = 'level2_active' WHERE username = :u"),
                {"u": DEMO_EMPLOYEE},
            )
        db.session.rollback()
        with pytest.raises(DBAPIError, match=REFUSED):
            db.session.execute(update(Employee).values(vneid_status="level2_active"))
        db.session.rollback()
        assert status_of(DEMO_EMPLOYEE) is None


def test_a_new_employee_row_cannot_arrive_with_a_status(app: Flask) -> None:
    with app.app_context():
        unit = Unit("Hạt Kiểm lâm Thử")
        db.session.add(unit)
        db.session.flush()
        forged = Employee(
            username="forged", directory_dn="uid=forged", unit=unit, vneid_status="level2_active"
        )
        forged.set_full_name("Người Chưa Kê Khai")
        db.session.add(forged)
        with pytest.raises(DBAPIError, match=REFUSED):
            db.session.flush()
        db.session.rollback()


def test_recording_a_declaration_still_updates_the_status(
    employee_client: FlaskClient, synced_app: Flask
) -> None:
    for status in ("level1", "level2_pending"):
        response = employee_client.post("/declaration", data={
            "status": status, "committed": "y", "csrf_token": csrf_token(employee_client, "/declaration"),
        })
        assert response.status_code == 302, response.get_data(as_text=True)
        with synced_app.app_context():
            assert status_of(DEMO_EMPLOYEE) == status


def test_the_other_columns_of_an_employee_row_stay_writable(synced_app: Flask) -> None:
    # The sync rewrites names, titles and units: the guard must not stand in its way.
    with synced_app.app_context():
        employee = db.session.scalar(select(Employee).filter_by(username=DEMO_EMPLOYEE))
        employee.title = "Kiểm lâm viên chính"
        db.session.commit()
        assert db.session.scalar(select(Employee.title).filter_by(username=DEMO_EMPLOYEE)) == (
            "Kiểm lâm viên chính"
        )
