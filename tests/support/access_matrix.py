"""The route × role matrix: every route of the app, the URL it is walked at (from the ids of
`build_world`'s records) and the status each kind of user gets. `tests/test_access_matrix.py`
checks it; `tests/test_hostile_routes.py` attacks every route it lists."""
from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from intranet.extensions import db
from intranet.models import Appraisal, AppraisalOutcome, Employee, IssuingBody, Notice, Unit
from intranet.reminders.models import Reason, ReminderSend, SendStatus

from ..conftest import DEMO_ADMIN, DEMO_EMPLOYEE, DEMO_HEAD, signed_in_client
from .forms import OTHER_HEAD, case, decision_form, notice_form, post_decision, post_notice
from .import_files import province_xlsx, row
from .import_pages import confirm, upload

ROLES = ("anonymous", "employee", "other_head", "head", "admin")
LOGIN = "login"  # a redirect to the login page
OK, REDIRECT, FORBIDDEN = 200, 302, 403


def expect(*statuses: int | str) -> dict[str, int | str]:
    return dict(zip(ROLES, statuses, strict=True))


# endpoint -> (method, URL from the fixture ids, expected status per role).
# "head" is the head of the employee's unit (An Lão); "other_head" heads Hoài Nhơn;
# the admin heads Phòng Tổ chức – Hành chính, so writes in An Lão are not hers.
Route = tuple[str, Callable[[dict[str, int]], str], dict[str, int | str]]
ROUTES: dict[str, Route] = {
    "static": ("GET", lambda ids: "/static/css/app.css", expect(OK, OK, OK, OK, OK)),
    "auth.login": ("GET", lambda ids: "/login", expect(OK, REDIRECT, REDIRECT, REDIRECT, REDIRECT)),
    "auth.logout": ("POST", lambda ids: "/logout", expect(LOGIN, LOGIN, LOGIN, LOGIN, LOGIN)),
    "health.healthz": ("GET", lambda ids: "/healthz", expect(OK, OK, OK, OK, OK)),
    "main.home": ("GET", lambda ids: "/", expect(LOGIN, OK, OK, OK, OK)),
    "main.set_language": ("POST", lambda ids: "/language", expect(REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT)),
    "declarations.declare": ("GET", lambda ids: "/declaration", expect(LOGIN, OK, OK, OK, OK)),
    "units.own_unit": ("GET", lambda ids: "/unit", expect(LOGIN, FORBIDDEN, OK, OK, OK)),
    "units.show": ("GET", lambda ids: f"/unit/{ids['unit']}", expect(LOGIN, FORBIDDEN, FORBIDDEN, OK, OK)),
    "notices.index": ("GET", lambda ids: f"/notices?unit={ids['unit']}", expect(LOGIN, FORBIDDEN, FORBIDDEN, OK, OK)),
    "notices.new": ("GET", lambda ids: f"/notices/new?employee={ids['employee']}", expect(LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN)),
    "notices.show": ("GET", lambda ids: f"/notices/{ids['notice']}", expect(LOGIN, OK, FORBIDDEN, OK, OK)),
    "notices.correct": ("GET", lambda ids: f"/notices/{ids['notice']}/correct", expect(LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN)),
    "explanations.explain": ("GET", lambda ids: f"/notices/{ids['open_notice']}/explanation", expect(LOGIN, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN)),
    "notices.person": ("GET", lambda ids: f"/staff/{ids['employee']}", expect(LOGIN, OK, FORBIDDEN, OK, OK)),
    "appraisals.new": ("GET", lambda ids: f"/appraisals/new?employee={ids['employee']}", expect(LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN)),
    "appraisals.show": ("GET", lambda ids: f"/appraisals/{ids['appraisal']}", expect(LOGIN, OK, FORBIDDEN, OK, OK)),
    "appraisals.summary": ("GET", lambda ids: "/appraisals/summary", expect(LOGIN, FORBIDDEN, OK, OK, OK)),
    "appraisals.summary_file": ("GET", lambda ids: "/appraisals/summary.xlsx", expect(LOGIN, FORBIDDEN, OK, OK, OK)),
    "appraisals.correct": ("GET", lambda ids: f"/appraisals/{ids['appraisal']}/correct", expect(LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN)),
    "notices.awaiting": ("GET", lambda ids: "/notices/awaiting", expect(LOGIN, FORBIDDEN, OK, OK, OK)),
    "notices.everywhere": ("GET", lambda ids: "/notices/open", expect(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)),
    "imports.new": ("GET", lambda ids: "/notices/imports/new", expect(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)),
    "imports.template": ("GET", lambda ids: "/notices/imports/template.xlsx", expect(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)),
    "imports.preview": ("GET", lambda ids: f"/notices/imports/{ids['draft']}", expect(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)),
    "imports.record": ("GET", lambda ids: f"/notices/imports/record/{ids['import']}", expect(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)),
    # The draft awaiting confirmation (its preview shows both forms): confirmed, it is gone,
    # so discarding it then finds nothing to discard.
    "imports.confirm": ("POST", lambda ids: f"/notices/imports/{ids['draft']}/confirm", expect(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, REDIRECT)),
    "imports.discard": ("POST", lambda ids: f"/notices/imports/{ids['draft']}/discard", expect(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, 409)),
    "admin.overview": ("GET", lambda ids: "/admin/", expect(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)),
    "admin.run_sync": ("POST", lambda ids: "/admin/directory/sync", expect(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, REDIRECT)),
    "admin.bodies": ("GET", lambda ids: "/admin/issuing-bodies", expect(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)),
    "admin.set_body_active": ("POST", lambda ids: f"/admin/issuing-bodies/{ids['body']}/active", expect(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, REDIRECT)),
    "admin.responses_page": ("GET", lambda ids: "/admin/responses", expect(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)),
    "admin.retire_response": ("POST", lambda ids: f"/admin/responses/{ids['response']}/retire", expect(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, REDIRECT)),
    "admin.set_category": ("POST", lambda ids: f"/admin/staff/{ids['employee']}/category", expect(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, 422)),
    "admin.audit_log": ("GET", lambda ids: "/admin/audit", expect(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)),
    "reminders.overview": ("GET", lambda ids: "/admin/reminders/", expect(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)),
    "reminders.send": ("POST", lambda ids: "/admin/reminders/send", expect(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, REDIRECT)),
    "reminders.sent": ("GET", lambda ids: "/admin/reminders/sent", expect(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)),
    # A reminder whose outcome is unclear (its list shows the form): released for the next run.
    "reminders.release": ("POST", lambda ids: f"/admin/reminders/sent/{ids['reminder']}/release", expect(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, REDIRECT)),
    "compliance.table": ("GET", lambda ids: "/compliance", expect(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)),
    "compliance.unit": ("GET", lambda ids: f"/compliance/unit/{ids['unit']}", expect(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)),
    "compliance.trend": ("GET", lambda ids: "/compliance/trend", expect(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)),
    "reports.monthly": ("GET", lambda ids: "/compliance/report", expect(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)),
    "reports.monthly_docx": ("GET", lambda ids: "/compliance/report.docx", expect(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)),
    "reports.save_notes": ("POST", lambda ids: "/compliance/report/notes", expect(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, REDIRECT)),
    "reports.settings": ("GET", lambda ids: "/admin/report-settings", expect(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)),
    "reports.unit_order": ("POST", lambda ids: "/admin/report-settings/unit-order", expect(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, REDIRECT)),
    "compliance.table_xlsx": ("GET", lambda ids: "/compliance.xlsx", expect(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)),
    "compliance.table_csv": ("GET", lambda ids: "/compliance.csv", expect(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)),
    "compliance.missing_csv": ("GET", lambda ids: "/compliance-missing.csv", expect(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)),
}


def build_world(synced_app: Flask) -> tuple[Flask, dict[str, int]]:
    """A record behind every route's URL: a notice and a decision about the demo employee,
    recorded by their head, an open notice, imports, a response, an unclear reminder."""
    head = signed_in_client(synced_app, DEMO_HEAD)
    notice_location = post_notice(head, notice_form(synced_app)).headers["Location"]
    notice_id = int(notice_location.rsplit("/", 1)[1])
    decision = post_decision(head, synced_app, decision_form(synced_app, [notice_id]))
    # A second notice with no proposal yet: the person can still explain it (its form is shown).
    open_location = post_notice(head, notice_form(synced_app, cases=[case(7)], reference_number="99/TB-VP")).headers["Location"]
    # A confirmed import (of a list naming nobody on the staff), and a list awaiting confirmation.
    admin = signed_in_client(synced_app, DEMO_ADMIN)
    made = confirm(admin, upload(admin, synced_app, province_xlsx([row("Người Ngoài", "M-1")])).headers["Location"])
    draft = upload(admin, synced_app, province_xlsx([row("Người Ngoài", "M-2")])).headers["Location"]
    with synced_app.app_context():
        employee = db.session.scalar(select(Employee).filter_by(username=DEMO_EMPLOYEE))
        ids = {
            "employee": employee.id,
            "unit": employee.unit_id,
            "notice": notice_id,
            "open_notice": int(open_location.rsplit("/", 1)[1]),
            "appraisal": int(decision.headers["Location"].rsplit("/", 1)[1]),
            "body": db.session.scalar(select(IssuingBody.id).limit(1)),
            "import": int(made.headers["Location"].rsplit("/", 1)[1]),
            "draft": int(draft.rsplit("/", 1)[1]),
            # A response in force: its retire form is on the admin's responses page.
            "response": db.session.scalar(
                select(AppraisalOutcome.id).where(AppraisalOutcome.active.is_(True))
                .order_by(AppraisalOutcome.position.desc()).limit(1)
            ),
        }
        unclear = ReminderSend(employee_id=employee.id, reason=Reason.STAFF.value, period="2026-11",
                               status=SendStatus.UNKNOWN.value, address="hungdv@example.org")
        db.session.add(unclear)
        db.session.commit()
        ids["reminder"] = unclear.id
        assert db.session.get(Notice, ids["notice"]) and db.session.get(Appraisal, ids["appraisal"])
        assert db.session.get(Unit, ids["unit"])
    return synced_app, ids


def client_for(app: Flask, role: str) -> FlaskClient:
    users = {"employee": DEMO_EMPLOYEE, "other_head": OTHER_HEAD, "head": DEMO_HEAD, "admin": DEMO_ADMIN}
    return app.test_client() if role == "anonymous" else signed_in_client(app, users[role])
