"""Every page people use sends the same number of SQL statements whatever the data's size."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from intranet.compliance.memo import EXTENSION as MEMO
from intranet.extensions import db
from intranet.models import Employee, Notice, Unit, utcnow

from intranet.months import Month

from .support.clock import agency_today
from .support.statements import recorded
from .conftest import DEMO_EMPLOYEE, DEMO_HEAD, csrf_token
from .support.factories import add_employee, add_notice, decide, declare

TOO_MANY = 10  # the most statements any of the most used pages may send
MOST_USED = ("home", "declaration", "unit", "compliance", "compliance past month", "report")


def statements(app: Flask, request: Callable[[], object]) -> int:
    with recorded(app) as seen:
        response = request()
    assert response.status_code in (200, 302), response.status_code  # type: ignore[attr-defined]
    return seen.count


def grow(app: Flask, *, colleagues: int, units: int, notices: int) -> None:
    """More staff in the demo employee's unit (60 in all, say), each with a history of
    declarations; more units with staff; notices and decisions about the demo employee."""
    now = datetime.now() - timedelta(days=1)
    hired = now - timedelta(days=400)
    with app.app_context():
        employee = db.session.scalar(select(Employee).filter_by(username=DEMO_EMPLOYEE))
        unit = employee.unit
        for n in range(colleagues):
            colleague = add_employee(f"Trần Văn Bình {colleagues} {n}", unit, created_at=hired)
            for months_ago, status in enumerate(("level2_active", "level2_pending", "level1")):
                declare(colleague, status, now - timedelta(days=30 * months_ago + n % 7))
        for n in range(units):
            other = Unit(f"Trạm Kiểm lâm số {units}-{n}")
            db.session.add(other)
            for m in range(3):
                person = add_employee(f"Lê Thị Mai {units} {n} {m}", other, created_at=hired)
                declare(person, "level2_active", now - timedelta(days=m))
        recorded = [
            add_notice(employee, unit, agency_today() - timedelta(days=n), now - timedelta(hours=n),
                       reference=f"{units}-{n}/TB")
            for n in range(notices)
        ]
        for n in range(0, notices, 3):
            decide(recorded[n:n + 2], employee, now)
        db.session.commit()


def worked_out(app: Flask, request: Callable[[], object]) -> Callable[[], object]:
    """The request with nothing kept from before (memo.py): its figures worked out in full."""
    memo = app.extensions.get(MEMO)
    if memo is not None:
        memo.clear()
    return request


def after_a_declaration(app: Flask, person: int, request: Callable[[], object]) -> Callable[[], object]:
    """The request after it was made once and then someone declared (dated now): the history
    kept then is brought up to date (history._refreshed)."""
    request()
    with app.app_context():
        declare(db.session.get(Employee, person), "level1", utcnow())
        db.session.commit()
    return request


def counts(
    app: Flask, employee: FlaskClient, head: FlaskClient, admin: FlaskClient
) -> dict[str, int]:
    declaration = {"status": "level2_active", "activated_on": "15/03/2024", "committed": "y",
                   "csrf_token": csrf_token(employee, "/declaration")}
    past = Month.containing(agency_today()).back(10)[0].iso
    with app.app_context():
        demo = db.session.scalar(select(Employee).filter_by(username=DEMO_EMPLOYEE))
        person, unit = demo.id, demo.unit_id
        notice = db.session.scalar(select(func.max(Notice.id)).where(Notice.employee_id == person))
    return {
        "notices": statements(app, lambda: head.get("/notices")),
        "person": statements(app, lambda: head.get(f"/staff/{person}")),
        "trend": statements(app, worked_out(app, lambda: admin.get("/compliance/trend"))),
        "trend after a declaration": statements(
            app, after_a_declaration(app, person, lambda: admin.get("/compliance/trend"))
        ),
        "trend past month": statements(app, lambda: admin.get(f"/compliance/trend?month={past}")),
        "unit detail": statements(
            app, worked_out(app, lambda: admin.get(f"/compliance/unit/{unit}"))
        ),
        "unit detail after a declaration": statements(
            app, after_a_declaration(app, person, lambda: admin.get(f"/compliance/unit/{unit}"))
        ),
        "unit detail past month": statements(
            app, lambda: admin.get(f"/compliance/unit/{unit}?month={past}")
        ),
        "report": statements(app, lambda: admin.get("/compliance/report")),
        "home": statements(app, lambda: employee.get("/")),
        "explanation": statements(app, lambda: employee.get(f"/notices/{notice}/explanation")),
        "declaration": statements(app, lambda: employee.post("/declaration", data=declaration)),
        "unit": statements(app, lambda: head.get("/unit")),
        "compliance": statements(app, lambda: admin.get("/compliance")),
        "compliance past month": statements(app, lambda: admin.get(f"/compliance?month={past}")),
    }


def test_pages_send_as_many_statements_for_60_staff_as_for_3(
    synced_app: Flask,
    employee_client: FlaskClient,
    head_client: FlaskClient,
    admin_client: FlaskClient,
) -> None:
    clients = (employee_client, head_client, admin_client)
    # A few of everything first, so both counts include the loading of each kind of record.
    grow(synced_app, colleagues=0, units=1, notices=2)
    small = counts(synced_app, *clients)
    grow(synced_app, colleagues=57, units=20, notices=12)
    with synced_app.app_context():
        unit = db.session.scalar(select(Employee).filter_by(username=DEMO_HEAD)).unit
        assert len([e for e in unit.staff if e.active]) >= 60
    assert counts(synced_app, *clients) == small
    assert max(small[page] for page in MOST_USED) <= TOO_MANY, small


def test_the_signed_in_person_and_the_agency_name_come_in_one_statement(
    synced_app: Flask, employee_client: FlaskClient
) -> None:
    """Every page loads the signed-in person (with their unit) and shows the agency's name in
    its header: one statement for both."""
    from intranet.reports.models import SETTINGS_ID, ReportSettings
    from intranet.reports.settings import report_settings

    with synced_app.app_context():
        settings = report_settings()
        settings.id, settings.agency_name = SETTINGS_ID, "Chi cục Kiểm lâm vùng Đông Bắc"
        db.session.add(settings)
        db.session.commit()
    with recorded(synced_app) as seen:
        page = employee_client.get("/").get_data(as_text=True)
    assert '<span class="brand-agency">Chi cục Kiểm lâm vùng Đông Bắc</span>' in page
    about_settings = [s for s in seen.seen if ReportSettings.__tablename__ in s]
    assert len(about_settings) == 1 and "FROM employee" in about_settings[0], about_settings


# What each small page asks its database, BEGIN aside (SQLite sends one; on PostgreSQL these
# pages run without a transaction): each statement is a round trip to a PostgreSQL server.
# Lower these when a page asks less; a page that asks more fails here.
SMALL_PAGES = {
    # the person (with unit and agency name); the latest declaration with the reminder's
    # answer, beside the notices with their explanations; the appraisals with their notices
    "home": 3,
    # no appraisals about the head: none read; + the notices awaiting the head's proposal
    "head's home": 3,
    # the head; the person with their notices; appraisals with their notices
    "person": 3,
    "awaiting": 2,
    "notices": 2,
    # the person; the notice with its explanation and whether it is still open
    "explanation": 2,
    # the admin (with the agency's names), the month's notices, their proposals, the units
    "summary": 4,
    "responses": 2,
    # the admin; the figures version, under which the table and its units' names are kept
    "compliance": 2,
}


def asked(app: Flask, request: Callable[[], object]) -> int:
    with recorded(app) as seen:
        response = request()
    assert response.status_code == 200, response.status_code  # type: ignore[attr-defined]
    return len([s for s in seen.seen if not s.lstrip().upper().startswith("BEGIN")])


def test_the_small_pages_ask_their_database_no_more_than_this(
    synced_app: Flask, employee_client: FlaskClient, head_client: FlaskClient,
    admin_client: FlaskClient,
) -> None:
    grow(synced_app, colleagues=2, units=1, notices=4)  # notices, decisions on some
    month = Month.containing(agency_today())
    with synced_app.app_context():
        demo = db.session.scalar(select(Employee).filter_by(username=DEMO_EMPLOYEE))
        notice = db.session.scalar(select(func.max(Notice.id)).where(Notice.employee_id == demo.id))
        person = demo.id
    pages = {
        "home": (employee_client, "/"),
        "head's home": (head_client, "/"),
        "person": (head_client, f"/staff/{person}"),
        "awaiting": (head_client, "/notices/awaiting"),
        "notices": (head_client, "/notices"),
        "explanation": (employee_client, f"/notices/{notice}/explanation"),
        "summary": (admin_client, f"/appraisals/summary?period=month-{month.year}-{month.month}"),
        "responses": (admin_client, "/admin/responses"),
        "compliance": (admin_client, "/compliance"),
    }
    for client, path in pages.values():
        for _ in range(2):  # what a worker keeps after its first views (the agency's name,
            client.get(path)  # the table's figures, then the names of its units)
    seen = {name: asked(synced_app, lambda c=client, p=path: c.get(p))
            for name, (client, path) in pages.items()}
    assert seen == SMALL_PAGES
