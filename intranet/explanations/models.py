"""The explanation record: one per notice, written by the person the notice is about."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database.append_only import create_with, trigger_statements
from ..extensions import db
from ..models import Employee, Notice, utcnow


class Explanation(db.Model):
    """What the staff member says about a notice before their head proposes. Append-only, and
    one per notice (the unique key): once sent it is the record the head and the council read."""

    __tablename__ = "explanation"

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notice.id"), unique=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_from: Mapped[str | None] = mapped_column(String(64))

    notice: Mapped[Notice] = relationship()
    employee: Mapped[Employee] = relationship()


create_with(db.metadata, "explanation", lambda dialect: trigger_statements("explanation", dialect))
