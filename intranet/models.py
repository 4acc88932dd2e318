"""Typed SQLAlchemy models: the staff and units the directory gives, and the audit log."""
from __future__ import annotations

import enum
from datetime import date, datetime, timezone
from typing import Any

from flask_login import UserMixin
from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .extensions import db
from .vietnamese import name_sort_key, text_sort_key


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


class Unit(db.Model):
    """A unit of the sub-department, named as the directory names it."""

    __tablename__ = "unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    sort_key: Mapped[str] = mapped_column(String(600), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    staff: Mapped[list[Employee]] = relationship(back_populates="unit")

    def __init__(self, name: str, **kwargs: Any) -> None:
        super().__init__(name=name, sort_key=text_sort_key(name), **kwargs)

    def __repr__(self) -> str:
        return f"<Unit {self.name!r}>"


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
    sort_key: Mapped[str] = mapped_column(String(600), index=True)
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

    unit: Mapped[Unit | None] = relationship(back_populates="staff")

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

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"), index=True)
    status: Mapped[str] = mapped_column(String(32))
    activated_on: Mapped[date | None] = mapped_column()
    committed: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str | None] = mapped_column(String(500))
    declared_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    declared_from: Mapped[str | None] = mapped_column(String(64))

    employee: Mapped[Employee] = relationship()

    @property
    def is_level2(self) -> bool:
        return self.status == VneidStatus.LEVEL2_ACTIVE


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
