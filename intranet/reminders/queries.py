"""The admin's list of reminders sent: newest first, by status, reason and period."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import utcnow
from ..paging import one_page
from .models import ReminderSend, SendStatus

# A claim this old with no outcome belongs to a run that died: the message may or may not
# have gone, so it is shown as interrupted and not sent again automatically.
STALE_AFTER = timedelta(hours=1)


@dataclass(frozen=True)
class SendRow:
    send: ReminderSend
    interrupted: bool


def sends(*, status: str | None, reason: str | None, period: str | None, page: int) -> tuple[list[SendRow], bool]:
    """One page of records and whether an older page exists."""
    query = select(ReminderSend).options(joinedload(ReminderSend.employee))
    if status:
        query = query.where(ReminderSend.status == status)
    if reason:
        query = query.where(ReminderSend.reason == reason)
    if period:
        query = query.where(ReminderSend.period == period)
    rows, more = one_page(query.order_by(ReminderSend.claimed_at.desc(), ReminderSend.id.desc()), page)
    stale = utcnow() - STALE_AFTER
    return [SendRow(row, _interrupted(row, stale)) for row in rows], more


def _interrupted(row: ReminderSend, stale: datetime) -> bool:
    return row.status == SendStatus.SENDING and row.claimed_at < stale


def periods() -> list[str]:
    return list(db.session.scalars(select(ReminderSend.period).distinct().order_by(ReminderSend.period.desc())))


def status_counts(period: str | None) -> dict[str, int]:
    query = select(ReminderSend.status, func.count()).group_by(ReminderSend.status)
    if period:
        query = query.where(ReminderSend.period == period)
    return dict(db.session.execute(query).all())
