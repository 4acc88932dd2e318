"""What the reminder tests share: the CLI run, the records of sends, declarations made days ago."""
from __future__ import annotations

from datetime import timedelta

from click.testing import Result
from flask import Flask
from sqlalchemy import select

from intranet.extensions import db
from intranet.models import Declaration, Employee, VneidStatus, utcnow
from intranet.reminders.models import Reason, ReminderSend

from .clock import agency_today

HUNG = "hungdv@kiemlam.gov.vn"  # Đinh Văn Hùng, Hạt Kiểm lâm An Lão

# Addresses of every kind: usable, unusable for each of usable_address()'s reasons.
ADDRESSES = (
    None, "", "an@kiemlam.gov.vn", "AN.Binh+1@kiem-lam.gov.vn", "@kiemlam.gov.vn", "an@",
    "an@@kiemlam.gov.vn", "a@b@c", "an@.kiemlam.gov.vn", "an.@x", "an@x.", "-@-",
    " an@kiemlam.gov.vn ", "an @kiemlam.gov.vn", "an@kiểmlâm.vn", "Bình@x.vn", "an;b@x.vn",
    "\"an\"@x.vn", "<an@x.vn>", "an@x.vn,b@x.vn", "an\t@x.vn", "o'neil@x.vn", "an%b@x.vn",
    "an_b@x.vn", "an\u00a0@x.vn", "\u3000an@x.vn", "an\x1c@x.vn", "an!#$&*=?^`{|}~@x.vn",
)


def reminders(app: Flask, *args: str) -> Result:
    return app.test_cli_runner().invoke(args=["reminders", "send", *args])


def active_addresses(app: Flask) -> set[str]:
    with app.app_context():
        return set(db.session.scalars(select(Employee.email).where(Employee.active.is_(True))))


def records(app: Flask, reason: Reason = Reason.STAFF) -> dict[str, ReminderSend]:
    """username -> the record of their reminder for `reason`."""
    with app.app_context():
        rows = db.session.execute(
            select(Employee.username, ReminderSend)
            .join(Employee, Employee.id == ReminderSend.employee_id)
            .where(ReminderSend.reason == reason.value)
        ).all()
        db.session.expunge_all()
        return {username: row for username, row in rows}


def declare(app: Flask, username: str, status: str, days_ago: int = 0) -> None:
    with app.app_context():
        employee = db.session.scalar(select(Employee).filter_by(username=username))
        db.session.add(Declaration(
            employee=employee, status=status, committed=True,
            activated_on=agency_today() if status == VneidStatus.LEVEL2_ACTIVE else None,
            declared_at=utcnow() - timedelta(days=days_ago),
        ))
        db.session.commit()
