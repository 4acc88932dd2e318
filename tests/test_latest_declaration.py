"""One answer to "a person's latest declaration", on every page, export and trigger.

The latest is the one made last (ties to the highest id), not the highest id: rows can be
recorded out of time order (an import, a clock change). Here the later declaration has the
lower id, so an answer by id would disagree with one by time.
"""
from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from intranet.declarations.rules import SHORT_LABELS, STATUS_LABELS
from intranet.extensions import db
from intranet.models import Declaration, Employee, VneidStatus, utcnow

from .conftest import DEMO_ADMIN, DEMO_EMPLOYEE, DEMO_HEAD, signed_in_client

NAME = "Đinh Văn Hùng"  # DEMO_EMPLOYEE


@pytest.fixture
def out_of_order(synced_app: Flask) -> Flask:
    """hungdv: level 2 declared a minute ago (lower id), then level 1 recorded with a time
    two minutes ago (higher id). The latest is level 2."""
    now = utcnow()
    with synced_app.app_context():
        employee = db.session.scalar(select(Employee).filter_by(username=DEMO_EMPLOYEE))
        later = Declaration(employee=employee, status=VneidStatus.LEVEL2_ACTIVE, committed=True,
                            activated_on=now.date(), declared_at=now - timedelta(minutes=1))
        db.session.add(later)
        db.session.flush()
        earlier = Declaration(employee=employee, status=VneidStatus.LEVEL1, committed=True,
                              declared_at=now - timedelta(minutes=2))
        db.session.add(earlier)
        db.session.commit()
        assert earlier.id > later.id and earlier.declared_at < later.declared_at
    return synced_app


def row_of(page: str, name: str) -> str:
    rows = [row for row in re.findall(r"<tr[ >].*?</tr>", page, re.S) if name in row]
    assert len(rows) == 1, f"{name} listed {len(rows)} times"
    return rows[0]


def test_every_page_export_and_trigger_agree_on_the_latest_declaration(out_of_order: Flask) -> None:
    app = out_of_order
    with app.test_request_context():
        level2 = str(SHORT_LABELS[VneidStatus.LEVEL2_ACTIVE])
        stated = {status: str(STATUS_LABELS[status]) for status in (VneidStatus.LEVEL2_ACTIVE, VneidStatus.LEVEL1)}
    with app.app_context():
        employee = db.session.scalar(select(Employee).filter_by(username=DEMO_EMPLOYEE))
        assert employee.vneid_status == VneidStatus.LEVEL2_ACTIVE  # the trigger's copy
        unit_id = employee.unit_id

    home = signed_in_client(app, DEMO_EMPLOYEE)
    panel = home.get("/").get_data(as_text=True)
    assert f'<span class="badge ok">{level2}</span>' in panel
    history = home.get("/declaration").get_data(as_text=True)
    current = row_of(history, "hiện tại")  # the history marks its latest row
    assert stated[VneidStatus.LEVEL2_ACTIVE] in current and stated[VneidStatus.LEVEL1] not in current

    head_page = signed_in_client(app, DEMO_HEAD).get("/unit").get_data(as_text=True)
    assert f'<span class="badge ok">{level2}</span>' in row_of(head_page, NAME)

    admin = signed_in_client(app, DEMO_ADMIN)
    unit_page = admin.get(f"/compliance/unit/{unit_id}").get_data(as_text=True)
    assert f'<span class="badge ok">{level2}</span>' in row_of(unit_page, NAME)
    assert NAME in admin.get(f"/compliance/unit/{unit_id}?status=level2").get_data(as_text=True)
    assert NAME not in admin.get(f"/compliance/unit/{unit_id}?status=missing").get_data(as_text=True)
    missing = csv.reader(io.StringIO(admin.get("/compliance-missing.csv").get_data(as_text=True)))
    assert all(NAME not in row for row in missing)


def test_a_past_month_and_its_history_agree_on_the_latest_declaration(synced_app: Flask) -> None:
    """March 2024: level 2 declared on the 20th (recorded first, lower id), level 1 dated the
    10th recorded afterwards (higher id). At March's end the person stood at level 2, on the
    table, the unit's list, the trend and the file alike."""
    from datetime import datetime

    from intranet.compliance.figures import unit_figures
    from intranet.compliance.history import compliance_history
    from intranet.compliance.staff import unit_staff

    from .support.factories import MARCH, add_employee, declare

    with synced_app.app_context():
        unit = db.session.scalar(select(Employee).filter_by(username=DEMO_EMPLOYEE)).unit
        person = add_employee("Võ Thị Lan", unit)  # hired 01/01/2024
        declare(person, VneidStatus.LEVEL2_ACTIVE, datetime(2024, 3, 20, 3))
        db.session.flush()
        declare(person, VneidStatus.LEVEL1, datetime(2024, 3, 10, 3))
        db.session.commit()
        lines = {line.employee.id: line for line in unit_staff(MARCH, unit.id)}
        assert lines[person.id].status == VneidStatus.LEVEL2_ACTIVE
        assert unit_figures(MARCH, unit.id).level2 == 1
        # The trend adds up March's changes to February's end: the same answer.
        assert [p.level2 for p in compliance_history(MARCH.back(2)).of(unit.id)] == [0, 1]
        unit_id = unit.id

    admin = signed_in_client(synced_app, DEMO_ADMIN)
    page = admin.get(f"/compliance/unit/{unit_id}?month={MARCH.iso}&status=level2").get_data(as_text=True)
    assert "Võ Thị Lan" in page
    missing = admin.get(f"/compliance-missing.csv?month={MARCH.iso}").get_data(as_text=True)
    assert "Võ Thị Lan" not in missing
