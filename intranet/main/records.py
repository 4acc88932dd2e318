"""The signed-in person's own records on their home page: their latest declaration, whether a
reminder is due to them, and every notice about them with its explanation, in one statement;
their proposals in a second one, sent only when there are any (most staff have none).
On PostgreSQL each statement is a round trip and ~0.1 ms of the driver's work, on the page
every employee opens first."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

from sqlalchemy import Select

from ..explanations.models import Explanation
from ..extensions import db
from ..models import Declaration, Employee, Notice
from ..notices.queries import (
    AppraisalRow, NoticeRow, any_appraisal, appraisals_about, with_state,
)
from ..reminders.due import (
    PersonalReminders, own_standing, own_standing_parameters, personal_reminders,
)


@dataclass(frozen=True)
class OwnRecords:
    declaration: Declaration | None
    reminders: PersonalReminders
    # Every notice about the person, corrected ones included, newest first; their
    # explanations by notice id (what explanations.explanations_for answers).
    notices: list[NoticeRow]
    explanations: dict[int, Explanation]
    appraisals: list[AppraisalRow]


@cache
def _statement() -> Select:
    # own_standing's one row, beside each notice about the person (one row when none).
    query = (
        own_standing().add_columns(any_appraisal(), Notice, Explanation)
        .outerjoin(Notice, Notice.employee_id == Employee.id)
        .outerjoin(Explanation, Explanation.notice_id == Notice.id)
        .order_by(Notice.id.desc())
    )
    return with_state(query, one_person=True)


def own_records(employee: Employee, now: datetime, today: date, pending_days: int) -> OwnRecords:
    """`employee`'s own records (they are in the session: the signed-in person); `now` (naive
    UTC) and `pending_days` say whether a reminder is due (reminders/due.py)."""
    rows = db.session.execute(
        _statement(), own_standing_parameters(employee, now, pending_days)
    ).unique().all()
    declaration, status, due, appraised = rows[0][:4]
    notices: list[NoticeRow] = []
    explained: dict[int, Explanation] = {}
    for *_standing, notice, explanation, stands, decided in rows:
        if notice is None:
            continue
        notices.append(NoticeRow(notice, bool(stands), bool(decided)))
        if explanation is not None:
            explained[notice.id] = explanation
    return OwnRecords(
        declaration, personal_reminders(employee, declaration, status, due, today),
        notices, explained, appraisals_about(employee) if appraised else [],
    )
