"""The record of each reminder: to whom, why, for which period, when, and what became of it."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models import Employee, utcnow


class Reason(enum.StrEnum):
    """Why a person is written to; one reminder per person, reason and period."""

    STAFF = "staff"  # not on level 2: declare, or activate and declare again
    HEADS = "heads"  # notices awaiting the head's proposal
    ADMIN = "admin"  # the closed month's summary


class SendStatus(enum.StrEnum):
    # Claimed by a run, the message not yet handed over (or the run died meanwhile).
    SENDING = "sending"
    SENT = "sent"
    # REMINDERS_ENABLED off: written to the console; a real run may still send it.
    PRINTED = "printed"
    NO_ADDRESS = "no_address"  # no usable address in the directory; tried again next run
    REFUSED = "refused"  # the server refused it for good (5xx): a bouncing address
    FAILED = "failed"  # not accepted, for a passing reason (4xx, connection lost): tried again
    # The connection broke after the message was handed over and before the server's reply:
    # it may have arrived, so it is never sent again automatically.
    UNKNOWN = "unknown"


class ReminderSend(db.Model):
    """One reminder to one person for one reason and period.

    The unique key is what makes sending idempotent: a run inserts this row ("sending")
    and commits before it talks to the mail server, so a second run, concurrent or later,
    finds the key taken and sends nothing twice.
    """

    __tablename__ = "reminder_send"
    __table_args__ = (
        UniqueConstraint("employee_id", "reason", "period"),
        Index("ix_reminder_send_reason_period_status", "reason", "period", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    reason: Mapped[str] = mapped_column(String(16))
    # "2026-11" (a month) or "2026-W48" (an ISO week): the period the reminder is for.
    period: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    address: Mapped[str | None] = mapped_column(String(254))
    language: Mapped[str | None] = mapped_column(String(8))
    attempts: Mapped[int] = mapped_column(default=1)
    claimed_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    finished_at: Mapped[datetime | None] = mapped_column()
    # The server's reply or the error, for the admin's list.
    detail: Mapped[str | None] = mapped_column(String(500))

    employee: Mapped[Employee] = relationship()
