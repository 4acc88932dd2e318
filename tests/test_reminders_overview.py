"""The admin's reminders page counts in SQL: the same counts, list and samples as planning the
whole run (send.preview, the command line's --dry-run), in as many statements for many staff
as for a few."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from intranet.extensions import db
from intranet.models import Employee, Unit, utcnow
from intranet.reminders.compose import usable_address
from intranet.reminders.links import Links
from intranet.reminders.models import Reason, ReminderSend, SendStatus
from intranet.reminders.overview import counted_preview
from intranet.reminders.send import preview
from intranet.reminders.settings import period_of

from .conftest import DEMO_ADMIN, DEMO_HEAD, signed_in_client
from .support.factories import add_employee, add_notice, declare
from .support.statements import recorded

# Addresses of every kind: usable, unusable for each of usable_address()'s reasons.
ADDRESSES = (
    None, "", "an@kiemlam.gov.vn", "AN.Binh+1@kiem-lam.gov.vn", "@kiemlam.gov.vn", "an@",
    "an@@kiemlam.gov.vn", "a@b@c", "an@.kiemlam.gov.vn", "an.@x", "an@x.", "-@-",
    " an@kiemlam.gov.vn ", "an @kiemlam.gov.vn", "an@kiểmlâm.vn", "Bình@x.vn", "an;b@x.vn",
    "\"an\"@x.vn", "<an@x.vn>", "an@x.vn,b@x.vn", "an\t@x.vn", "o'neil@x.vn", "an%b@x.vn",
    "an_b@x.vn", "an\u00a0@x.vn", "\u3000an@x.vn", "an\x1c@x.vn", "an!#$&*=?^`{|}~@x.vn",
)


def staff_with(app: Flask, addresses: tuple[str | None, ...], prefix: str = "Phạm Văn") -> None:
    """One person not on level 2 per address, some declared level 1, some never; every
    fourth on level 2 (not due)."""
    hired = datetime.now() - timedelta(days=400)
    with app.app_context():
        unit = db.session.scalars(select(Unit)).first()
        for n, address in enumerate(addresses):
            person = add_employee(f"{prefix} {n:03d}", unit, created_at=hired, email=address)
            if n % 4 == 1:
                declare(person, "level1", hired + timedelta(days=n))
            elif n % 4 == 3:
                declare(person, "level2_active", hired + timedelta(days=n))
        db.session.commit()


def record(app: Flask, statuses: dict[int, SendStatus]) -> None:
    """Earlier runs' outcomes this period for the n-th person due (by name)."""
    with app.app_context():
        period = period_of(date.today(), app.config["REMINDERS_PERIOD"])
        due = preview([Reason.STAFF], date.today(), utcnow(), ())[1]
        for n, status in statuses.items():
            db.session.add(ReminderSend(employee_id=due[n].recipient.employee_id, reason="staff",
                                        period=period, status=status.value, claimed_at=utcnow()))
        db.session.commit()


def awaiting_notices(app: Flask) -> None:
    """Notices in the demo head's unit, awaiting their proposal."""
    with app.app_context():
        head = db.session.scalar(select(Employee).filter_by(username=DEMO_HEAD))
        staff = [person for person in head.unit.staff if person.id != head.id]
        for n in range(3):
            add_notice(staff[n % len(staff)], head.unit, date.today() - timedelta(days=n),
                       datetime.now() - timedelta(hours=n), reference=f"{n}/TB")
        db.session.commit()


def described(item) -> tuple:
    return item.reason, item.period, item.recipient


@pytest.mark.parametrize("listed", [0, 3, 1000])
def test_page_counts_and_lists_what_planning_the_whole_run_would(synced_app: Flask, listed: int) -> None:
    staff_with(synced_app, ADDRESSES)
    record(synced_app, {0: SendStatus.SENT, 1: SendStatus.FAILED, 2: SendStatus.REFUSED,
                        3: SendStatus.NO_ADDRESS, 4: SendStatus.UNKNOWN, 5: SendStatus.SENDING})
    awaiting_notices(synced_app)
    retryable = (SendStatus.FAILED, SendStatus.NO_ADDRESS)
    with synced_app.test_request_context():
        today, now = date.today(), utcnow()
        planned, items = preview(list(Reason), today, now, retryable)
        counted = counted_preview(today, now, retryable, listed)
        assert counted.report.as_dict() == planned.as_dict()
        assert counted.report.tallies[Reason.STAFF].already == 4
        assert counted.report.tallies[Reason.STAFF].no_address > 0
        assert {Reason.STAFF, Reason.HEADS} <= set(planned.tallies)
        assert counted.pending == len(items)
        assert [described(item) for item in counted.items] == [described(item) for item in items[:listed]]
        first: dict[Reason, object] = {}
        for item in items:
            first.setdefault(item.reason, item)
        assert list(counted.first) == list(first)
        links = Links(synced_app)
        for reason, item in first.items():  # the samples: the same messages
            assert counted.first[reason].compose(links) == item.compose(links)


def test_page_says_nothing_of_staff_when_everyone_is_on_level_2(synced_app: Flask) -> None:
    with synced_app.app_context():
        for person in db.session.scalars(select(Employee)):
            declare(person, "level2_active", datetime.now() - timedelta(days=1))
        db.session.commit()
    with synced_app.test_request_context():
        planned, items = preview(list(Reason), date.today(), utcnow(), ())
        counted = counted_preview(date.today(), utcnow(), (), 200)
    assert Reason.STAFF not in planned.tallies
    assert counted.report.as_dict() == planned.as_dict()
    assert counted.pending == len(items)
    assert [described(item) for item in counted.items] == [described(item) for item in items]
    assert Reason.STAFF not in counted.first


@pytest.mark.parametrize(("text", "usable"), [
    ("an@kiemlam.gov.vn", "an@kiemlam.gov.vn"), (" an@x.vn\n", "an@x.vn"), ("-@-", "-@-"),
    ("o'neil+1@x.vn", "o'neil+1@x.vn"), ("an!#$&*=?^`{|}~@x.vn", "an!#$&*=?^`{|}~@x.vn"),
    ("an.@x", "an.@x"), ("an@x.", "an@x."), ("\x1can@x.vn\x1f", "an@x.vn"),
    (None, None), ("", None), ("   ", None), ("@x.vn", None), ("an@", None), ("@", None),
    ("an@@x.vn", None), ("a@b@c", None), ("an@.x.vn", None), ("an @x.vn", None),
    ("an\t@x.vn", None), ("an\x1c@x.vn", None), ("an@kiểmlâm.vn", None), ("Bình@x.vn", None),
    ("an\u00a0@x.vn", None), ("an;b@x.vn", None), ("an,b@x.vn", None), ("<an@x.vn>", None),
    ('"an"@x.vn', None),
])
def test_addresses_a_mail_server_takes_as_they_are(text: str | None, usable: str | None) -> None:
    assert usable_address(text) == usable


def overview_statements(client: FlaskClient, app: Flask) -> int:
    with recorded(app) as seen:
        response = client.get("/admin/reminders/")
    assert response.status_code == 200
    return seen.count


def test_reminders_page_sends_as_many_statements_for_many_staff_as_for_a_few(synced_app: Flask) -> None:
    admin = signed_in_client(synced_app, DEMO_ADMIN)
    awaiting_notices(synced_app)
    staff_with(synced_app, ADDRESSES[:4])
    few = overview_statements(admin, synced_app)
    staff_with(synced_app, ADDRESSES * 10, prefix="Võ Thị")
    record(synced_app, {n: SendStatus.SENT for n in range(0, 40, 3)})
    assert overview_statements(admin, synced_app) == few
