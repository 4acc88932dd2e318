"""Typed SQLAlchemy models: the staff and units the directory gives, and the audit log."""
from __future__ import annotations

import enum
from datetime import date, datetime, timezone
from typing import Any

from flask_login import UserMixin
from sqlalchemy import JSON, Column, ForeignKey, Index, String, Table, Text, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .database import install_triggers
from .extensions import db
from .vietnamese import name_sort_key, text_sort_key


# Vietnamese collation keys compare byte by byte: PostgreSQL must not apply a locale's collation.
SortKey = Text().with_variant(Text(collation="C"), "postgresql")


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


class Unit(db.Model):
    """A unit of the sub-department, named as the directory names it."""

    __tablename__ = "unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    sort_key: Mapped[str] = mapped_column(SortKey, index=True)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    staff: Mapped[list[Employee]] = relationship(back_populates="unit")

    def __init__(self, name: str, **kwargs: Any) -> None:
        super().__init__(name=name, sort_key=text_sort_key(name), **kwargs)

    def __repr__(self) -> str:
        return f"<Unit {self.name!r}>"


# The partial index's condition: is_head, is_admin or is_leader, as SQLAlchemy writes
# `column.is_(True)` for each database (reminders/due.py NOTICE_ROLES; a test compares them).
NOTICE_ROLES_SQL = {
    "sqlite": "is_head IS 1 OR is_admin IS 1 OR is_leader IS 1",
    "postgresql": "is_head IS true OR is_admin IS true OR is_leader IS true",
}


class Employee(UserMixin, db.Model):
    """A staff member as the directory last described them; the signed-in user too.

    Staff gone from the directory are marked inactive, never deleted, so the
    records about them stay.
    """

    __tablename__ = "employee"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The directory's username, case-folded: the directory matches it case-insensitively.
    username: Mapped[str] = mapped_column(String(150), unique=True)
    directory_dn: Mapped[str] = mapped_column(String(1000))
    full_name: Mapped[str] = mapped_column(String(200))
    sort_key: Mapped[str] = mapped_column(SortKey, index=True)
    email: Mapped[str | None] = mapped_column(String(254))
    title: Mapped[str | None] = mapped_column(String(200))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    is_head: Mapped[bool] = mapped_column(default=False)
    is_admin: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True, index=True)
    # Bumped at sign-out so a session cookie copied before it no longer works.
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    synced_at: Mapped[datetime] = mapped_column(default=utcnow)
    left_at: Mapped[datetime | None] = mapped_column()
    last_sign_in_at: Mapped[datetime | None] = mapped_column()
    # The status of their latest declaration (None: never declared), written by the database
    # when a declaration is recorded (intranet/database/latest_status.py); the app never sets it.
    vneid_status: Mapped[str | None] = mapped_column(String(32))
    # The directory's immutable id (entryUUID, objectGUID as a GUID): who this is, whatever
    # their username becomes. Empty until the first sync or sign-in that reads it. Last, as
    # migration 0010 added it.
    directory_id: Mapped[str | None] = mapped_column(String(64), unique=True, index=True)
    # The language they chose at the foot of a page ("vi" or "en"; None: Vietnamese), kept
    # so that the email reminders reach them in it (intranet/reminders/).
    language: Mapped[str | None] = mapped_column(String(8))
    # Added by migration 0015, after those, hence last.
    # In the directory's leadership group (LDAP_LEADERSHIP_GROUP): proposes on heads and leaders.
    is_leader: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Công chức / viên chức / người lao động (intranet/categories.py): from the directory
    # (LDAP_ATTR_CATEGORY) when it says, else as the admin set it; `category` is the one in force.
    category_from_directory: Mapped[str | None] = mapped_column(String(20))
    category_set_by_admin: Mapped[str | None] = mapped_column(String(20))
    # usable_address(email) as the directory sync last judged it (migration 0018 judged the
    # addresses stored before): the admin's reminders page counts the staff whose verdict is
    # their address itself in SQL, and judges the others' addresses again (reminders/overview.py).
    usable_email: Mapped[str | None] = mapped_column(String(254))

    unit: Mapped[Unit | None] = relationship(back_populates="staff")

    # Each unit's staff on the roster at a moment, counted by status from the index alone
    # (the current month's compliance table).
    __table_args__ = (
        Index("ix_employee_roster_status", "unit_id", "vneid_status", "created_at", "left_at"),
        # The few hundred heads, admins and leaders (reminders/due.py NOTICE_ROLES, written as
        # each database renders it: SQLite uses the index only for a term of the same form).
        Index("ix_employee_notice_roles", "id",
              sqlite_where=text(NOTICE_ROLES_SQL["sqlite"]),
              postgresql_where=text(NOTICE_ROLES_SQL["postgresql"])),
    )

    @property
    def category(self) -> str | None:
        return self.category_from_directory or self.category_set_by_admin

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def set_full_name(self, full_name: str) -> None:
        self.full_name = full_name
        self.sort_key = name_sort_key(full_name)

    def __repr__(self) -> str:
        return f"<Employee {self.username!r}>"


class RosterEntry(db.Model):
    """From `at` on, the employee is on the staff of `unit` (or of no unit), or has left.

    Written by the database whenever an employee row is created, changes unit, leaves or
    comes back (intranet/database/roster.py); append-only. Past months place people by it.
    """

    __tablename__ = "roster_entry"
    # The entry standing at a moment is one seek per person in the first; the entries of a
    # span of months one range of the second. Both answer without reading the table.
    __table_args__ = (
        Index("ix_roster_entry_standing", "employee_id", "at", "id", "unit_id", "on_staff"),
        Index("ix_roster_entry_moment", "at", "employee_id", "id", "unit_id", "on_staff"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    on_staff: Mapped[bool] = mapped_column()
    at: Mapped[datetime] = mapped_column()


class VneidStatus(enum.StrEnum):
    """The four self-declared states of a VNeID account (DOMAIN.md)."""

    LEVEL2_ACTIVE = "level2_active"
    LEVEL2_PENDING = "level2_pending"
    LEVEL1 = "level1"
    NONE = "none"


class Declaration(db.Model):
    """An employee's statement of their VNeID status. Append-only: a change is a new row.

    No citizen ID number, VNeID password or code is ever asked for or stored.
    """

    __tablename__ = "declaration"
    # Both carry the status so that the compliance figures come from the indexes alone:
    # the declaration standing at a moment is one seek per person in the first, the
    # declarations of a span of months one range of the second (migration 0006).
    __table_args__ = (
        Index("ix_declaration_standing_status", "employee_id", "declared_at", "id", "status"),
        Index("ix_declaration_moment", "declared_at", "employee_id", "id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    status: Mapped[str] = mapped_column(String(32))
    activated_on: Mapped[date | None] = mapped_column()
    committed: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str | None] = mapped_column(String(500))
    declared_at: Mapped[datetime] = mapped_column(default=utcnow)
    declared_from: Mapped[str | None] = mapped_column(String(64))

    employee: Mapped[Employee] = relationship()

    @property
    def is_level2(self) -> bool:
        return self.status == VneidStatus.LEVEL2_ACTIVE


class IssuingBody(db.Model):
    """Who sends one-stop-shop notices: the provincial centre, district and commune one-stop shops.

    Data an admin edits, since administrative geography changes; retired bodies stay
    for the notices that name them.
    """

    __tablename__ = "issuing_body"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    sort_key: Mapped[str] = mapped_column(SortKey)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __init__(self, name: str, **kwargs: Any) -> None:
        super().__init__(name=name, sort_key=text_sort_key(name), **kwargs)


class Notice(db.Model):
    """A one-stop-shop notice that a staff member filed a paper dossier for an online procedure.

    Never edited: a correction is a new notice whose `corrects_id` names the one it replaces.
    """

    __tablename__ = "notice"
    __table_args__ = (Index("ix_notice_unit_date", "unit_id", "notice_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"), index=True)
    # The unit the person was in when the notice was recorded: whose head acts on it.
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    issuing_body_id: Mapped[int] = mapped_column(ForeignKey("issuing_body.id"))
    reference_number: Mapped[str] = mapped_column(String(100))
    notice_date: Mapped[date] = mapped_column(index=True)
    note: Mapped[str | None] = mapped_column(String(1000))
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("notice.id"), unique=True)
    correction_reason: Mapped[str | None] = mapped_column(String(1000))
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    recorded_from: Mapped[str | None] = mapped_column(String(64))
    # Who acts on it (intranet/notices/routing.py): "unit", the head of `unit`; "admin", when
    # it is about a head or a leader. Fixed when recorded, like the unit.
    route: Mapped[str] = mapped_column(String(10), default="unit", server_default="unit")
    reply_due_on: Mapped[date | None] = mapped_column()

    employee: Mapped[Employee] = relationship(foreign_keys=[employee_id])
    unit: Mapped[Unit] = relationship()
    issuing_body: Mapped[IssuingBody] = relationship()
    recorded_by: Mapped[Employee] = relationship(foreign_keys=[recorded_by_id])
    cases: Mapped[list[NoticeCase]] = relationship(
        back_populates="notice", order_by="NoticeCase.position", cascade="save-update, merge"
    )
    corrects: Mapped[Notice | None] = relationship(remote_side=[id], foreign_keys=[corrects_id])


class NoticeCase(db.Model):
    """One dossier a notice names: the procedure, the dossier code, when and by whom received."""

    __tablename__ = "notice_case"

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notice.id"), index=True)
    position: Mapped[int] = mapped_column()
    procedure_name: Mapped[str] = mapped_column(String(500))
    procedure_code: Mapped[str | None] = mapped_column(String(50))
    dossier_code: Mapped[str] = mapped_column(String(100), index=True)
    filed_on: Mapped[date] = mapped_column()
    receiving_officer: Mapped[str] = mapped_column(String(200))
    # From the province's list: where it was received, how it was filed ("in_person" or "post";
    # online filings are not cases), and how far the procedure is online ("full", "partial").
    receiving_place: Mapped[str | None] = mapped_column(String(300))
    channel: Mapped[str | None] = mapped_column(String(10))
    online_level: Mapped[str | None] = mapped_column(String(10))

    notice: Mapped[Notice] = relationship(back_populates="cases")


class AppraisalOutcome(db.Model):
    """A response a head may propose on a notice (nhắc nhở, hạ một mức xếp loại, trừ N điểm...):
    data the admin maintains, because the rating rules change. Never a rating level: the
    rating is decided by the leadership or the council. Offered while valid (valid_from to
    valid_to, not retired) for the staff categories it names."""

    __tablename__ = "appraisal_outcome"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(50), unique=True)
    label: Mapped[str] = mapped_column(String(300))
    position: Mapped[int] = mapped_column()
    active: Mapped[bool] = mapped_column(default=True)
    valid_from: Mapped[date | None] = mapped_column()
    valid_to: Mapped[date | None] = mapped_column()
    # Comma-separated category codes (intranet/categories.py).
    categories: Mapped[str] = mapped_column(
        String(100), default="cong_chuc,vien_chuc,nguoi_lao_dong",
        server_default="cong_chuc,vien_chuc,nguoi_lao_dong",
    )
    # Points proposed on the Decree 335/2025 100-point scale (negative: deducted); optional.
    points: Mapped[int | None] = mapped_column()


appraisal_notice = Table(
    "appraisal_notice",
    db.metadata,
    Column("appraisal_id", ForeignKey("appraisal.id"), primary_key=True),
    Column("notice_id", ForeignKey("notice.id"), primary_key=True, index=True),
)


class PeriodKind(enum.StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


class Appraisal(db.Model):
    """A head's appraisal decision about a staff member for a period, with its rationale.

    Never edited: a correction is a new decision whose `corrects_id` names the one it replaces.
    """

    __tablename__ = "appraisal"

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    period_kind: Mapped[str] = mapped_column(String(10))
    period_year: Mapped[int] = mapped_column()
    # Month 1-12 or quarter 1-4; none for a year.
    period_number: Mapped[int | None] = mapped_column()
    outcome_id: Mapped[int] = mapped_column(ForeignKey("appraisal_outcome.id"))
    rationale: Mapped[str] = mapped_column(Text)
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("appraisal.id"), unique=True)
    correction_reason: Mapped[str | None] = mapped_column(String(1000))
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    recorded_from: Mapped[str | None] = mapped_column(String(64))

    employee: Mapped[Employee] = relationship(foreign_keys=[employee_id])
    unit: Mapped[Unit] = relationship()
    outcome: Mapped[AppraisalOutcome] = relationship()
    recorded_by: Mapped[Employee] = relationship(foreign_keys=[recorded_by_id])
    notices: Mapped[list[Notice]] = relationship(secondary=appraisal_notice, order_by="Notice.id")
    corrects: Mapped[Appraisal | None] = relationship(remote_side=[id], foreign_keys=[corrects_id])


class AuditEvent(db.Model):
    """One line of the audit log: who did what, when, from where. Only ever added to."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"), index=True)
    # Kept as text too: a failed sign-in has a name but no employee.
    actor_name: Mapped[str | None] = mapped_column(String(150))
    action: Mapped[str] = mapped_column(String(64), index=True)
    object_type: Mapped[str | None] = mapped_column(String(64))
    object_id: Mapped[str | None] = mapped_column(String(64))
    address: Mapped[str | None] = mapped_column(String(64))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    actor: Mapped[Employee | None] = relationship()


install_triggers(db.metadata)

from .imports import models as _import_models  # noqa: E402,F401  notice_import, which Notice names
from .explanations import models as _explanation_models  # noqa: E402,F401  explanation
