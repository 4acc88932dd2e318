"""The notices and decisions of a unit's month, as they stood at the month's end."""
from __future__ import annotations

from functools import cache

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import Appraisal, AppraisalOutcome, Employee, Notice, appraisal_notice
from ..months import Month
from ..notices.queries import NoticeRow
from ..notices.state import appraisal_stands, notice_decided, notice_stands
from .params import FIRST_DAY, LAST_DAY, MONTH_END, MONTH_START, UNIT, month_params
from .results import DecisionLine, MonthNotices


def notices_known() -> ColumnElement[bool]:
    """Notices dated by the month's end, recorded by then and not yet corrected then.

    Counting only what was recorded by the end keeps a corrected notice and its
    correction from both counting in a month that ended before the correction.
    """
    return and_(notice_stands(MONTH_END), Notice.recorded_at <= MONTH_END, Notice.notice_date <= LAST_DAY)


def notice_in_month() -> ColumnElement[bool]:
    return Notice.notice_date >= FIRST_DAY


def notice_awaiting() -> ColumnElement[bool]:
    return ~notice_decided(MONTH_END)


def decisions_in() -> ColumnElement[bool]:
    """Standing decisions (as of the month's end) recorded during the month."""
    recorded = Appraisal.recorded_at
    return and_(appraisal_stands(MONTH_END), recorded >= MONTH_START, recorded <= MONTH_END)


@cache
def _unit_notices() -> Select:
    in_month, awaiting = notice_in_month(), notice_awaiting()
    return (
        select(Notice, in_month, awaiting)
        .options(
            # The cases joined too (a unit's month holds a few dozen notices): one statement
            # fewer on the unit's page, which also reads the figures version (memo.py).
            joinedload(Notice.employee), joinedload(Notice.issuing_body), joinedload(Notice.cases)
        )
        .where(Notice.unit_id == UNIT, notices_known(), or_(in_month, awaiting))
        .order_by(Notice.notice_date, Notice.id)
    )


def unit_notices(month: Month, unit_id: int) -> MonthNotices:
    """The unit's notices dated in `month` or still awaiting a decision at its end; only those
    that stood then (so each row's `stands` is true), decided or not as of then."""
    dated: list[NoticeRow] = []
    waiting: list[NoticeRow] = []
    rows = db.session.execute(_unit_notices(), {**month_params(month), "unit_id": unit_id})
    for notice, is_dated, is_waiting in rows.unique():
        row = NoticeRow(notice, stands=True, decided=not is_waiting)
        if is_dated:
            dated.append(row)
        if is_waiting:
            waiting.append(row)
    return MonthNotices(dated, waiting)


@cache
def _unit_decisions() -> Select:
    notices = select(func.count()).where(appraisal_notice.c.appraisal_id == Appraisal.id)
    return (
        select(Appraisal, Employee.full_name, AppraisalOutcome.label, notices.scalar_subquery())
        .join(Employee, Employee.id == Appraisal.employee_id)
        .join(AppraisalOutcome, AppraisalOutcome.id == Appraisal.outcome_id)
        .where(Appraisal.unit_id == UNIT, decisions_in())
        .order_by(Appraisal.recorded_at, Appraisal.id)
    )


def unit_decisions(month: Month, unit_id: int) -> list[DecisionLine]:
    """The unit's standing decisions recorded during `month`."""
    rows = db.session.execute(_unit_decisions(), {**month_params(month), "unit_id": unit_id})
    return [DecisionLine(*row) for row in rows]
