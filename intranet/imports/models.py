"""The record of each confirmed import, and the one import waiting for confirmation."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database.append_only import create_with, trigger_statements
from ..extensions import db
from ..models import Employee, IssuingBody, utcnow


class NoticeImport(db.Model):
    """A province list turned into notices: which file (name and SHA-256, never its content),
    for which month and body, what each row became, who uploaded and confirmed it. Append-only."""

    __tablename__ = "notice_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    file_name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    month: Mapped[str] = mapped_column(String(7))  # 2026-11
    issuing_body_id: Mapped[int] = mapped_column(ForeignKey("issuing_body.id"))
    reference_number: Mapped[str] = mapped_column(String(100))
    notice_date: Mapped[date] = mapped_column()
    # Rows by state, and the notices and cases made: {"rows": 120, "matched": 98, ...}.
    counts: Mapped[dict[str, Any]] = mapped_column(JSON)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    uploaded_at: Mapped[datetime] = mapped_column()
    confirmed_by_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    confirmed_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_from: Mapped[str | None] = mapped_column(String(64))

    issuing_body: Mapped[IssuingBody] = relationship()
    uploaded_by: Mapped[Employee] = relationship(foreign_keys=[uploaded_by_id])
    confirmed_by: Mapped[Employee] = relationship(foreign_keys=[confirmed_by_id])


class ImportDraft(db.Model):
    """The list between its two screens: each row's values (only the columns the product
    keeps) and what matching made of it. One at a time (`slot`), so two uploads cannot race;
    deleted when confirmed or discarded, so names from a list nobody confirmed do not stay."""

    __tablename__ = "notice_import_draft"

    id: Mapped[int] = mapped_column(primary_key=True)
    slot: Mapped[int] = mapped_column(default=1, unique=True)
    file_name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    month: Mapped[str] = mapped_column(String(7))
    issuing_body_id: Mapped[int] = mapped_column(ForeignKey("issuing_body.id"))
    reference_number: Mapped[str] = mapped_column(String(100))
    notice_date: Mapped[date] = mapped_column()
    rows: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    counts: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    issuing_body: Mapped[IssuingBody] = relationship()
    created_by: Mapped[Employee] = relationship()


# Which notices an import made. A table of its own rather than a column on notice: SQLite
# cannot add a foreign key to an existing table without rebuilding it (and its triggers).
notice_import_notice = Table(
    "notice_import_notice",
    db.metadata,
    Column("import_id", ForeignKey("notice_import.id"), primary_key=True),
    Column("notice_id", ForeignKey("notice.id"), primary_key=True, unique=True),
)

for _table in ("notice_import", "notice_import_notice"):
    create_with(db.metadata, _table, lambda dialect, table=_table: trigger_statements(table, dialect))
