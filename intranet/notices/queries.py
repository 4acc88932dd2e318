"""Reading notices and decisions: a unit's list, one person's records, counts for the roster."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from sqlalchemy import ColumnElement, Subquery, bindparam, exists, func, select, true
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..months import Month
from ..models import Appraisal, AppraisalOutcome, Employee, Notice
from .state import appraisal_stands, notice_decided, notice_decided_each, notice_stands


@dataclass(frozen=True)
class NoticeRow:
    notice: Notice
    stands: bool
    decided: bool


@dataclass(frozen=True)
class AppraisalRow:
    appraisal: Appraisal
    stands: bool


def with_state(query, *, standing: bool = False, one_person: bool = False):
    """Each notice's state, asked of each on its own (a list of a unit's or a person's
    notices): as EXISTS columns, PostgreSQL hashed every correction and every decision of the
    province to answer them for the head's /notices. `standing`: the query keeps only
    standing notices (notice_stands() in its WHERE), so their `stands` is true.
    `one_person`: the notices are all about one person, already in the session (the one
    signed in, or read in the same statement), whom notice.employee finds there."""
    stands = true() if standing else notice_stands()
    state = (stands.label("stands"), notice_decided_each().label("decided"))
    # All in the same query, the cases too (a notice has one or two): a second statement
    # for them was a round trip more on every home and person page.
    loaded = [Notice.cases, Notice.issuing_body, *(() if one_person else (Notice.employee,))]
    return query.add_columns(*state).options(*map(joinedload, loaded))


def _notice_rows(
    query, params: dict[str, object] | None = None, *, built: bool = False, standing: bool = False
) -> list[NoticeRow]:
    rows = db.session.execute(query if built else with_state(query, standing=standing), params).unique()
    return [NoticeRow(notice, bool(stands), bool(decided)) for notice, stands, decided in rows]


# One person's records, on their page: built once, the person a parameter.
_PERSON = bindparam("employee_id")


@cache
def _appraisals_about():
    return (
        select(Appraisal, appraisal_stands().label("stands"))
        .where(Appraisal.employee_id == _PERSON)
        # The notices each covers in the same statement (a person has few): loaded by a
        # second one, they were a round trip more on PostgreSQL for anyone with a proposal.
        # Of those, what the list shows: each column read is a cost on PostgreSQL (psycopg
        # describes every column of every result).
        .options(joinedload(Appraisal.notices).load_only(Notice.reference_number),
                 joinedload(Appraisal.outcome).load_only(AppraisalOutcome.label))
        .order_by(Appraisal.id.desc())
    )


def unit_notices(unit_id: int, *, month: Month | None = None, status: str | None = None) -> list[NoticeRow]:
    """The unit's standing notices, newest first; by notice month and open/decided status."""
    query = select(Notice).where(Notice.unit_id == unit_id, notice_stands())
    if month is not None:
        query = query.where(
            Notice.notice_date >= month.first_day, Notice.notice_date < month.next().first_day
        )
    if status == "open":
        query = query.where(~notice_decided())
    elif status == "decided":
        query = query.where(notice_decided())
    return _notice_rows(query.order_by(Notice.notice_date.desc(), Notice.id.desc()), standing=True)


def notice_row(notice: Notice) -> NoticeRow:
    return _notice_rows(select(Notice).where(Notice.id == notice.id))[0]


def any_appraisal() -> ColumnElement[bool]:
    """Whether a proposal is about the statement's Employee: read beside a person's other
    records, so that appraisals_about is asked only of those with one (most staff have none;
    on PostgreSQL a statement is a round trip)."""
    return exists().where(Appraisal.employee_id == Employee.id).label("any_appraisal")


@cache
def _person_and_notices():
    # Every notice about the person, corrected ones included, newest first, each beside the
    # person (with their unit); one row with no notice when there is none.
    query = (
        select(Employee, any_appraisal(), Notice)
        .outerjoin(Notice, Notice.employee_id == Employee.id)
        .where(Employee.id == _PERSON).order_by(Notice.id.desc())
        .options(joinedload(Employee.unit))
    )
    return with_state(query, one_person=True)


def person_and_notices(
    employee_id: int,
) -> tuple[Employee | None, list[NoticeRow], list[AppraisalRow]]:
    """The person (None: no such id), every notice about them and their proposals: the
    person's page asks all three, and on PostgreSQL each statement is a round trip."""
    rows = db.session.execute(_person_and_notices(), {"employee_id": employee_id}).unique().all()
    if not rows:
        return None, [], []
    employee, appraised = rows[0][:2]
    notices = [NoticeRow(notice, bool(stands), bool(decided))
               for _, _, notice, stands, decided in rows if notice is not None]
    return employee, notices, appraisals_about(employee) if appraised else []


def appraisals_about(employee: Employee) -> list[AppraisalRow]:
    rows = db.session.execute(_appraisals_about(), {"employee_id": employee.id}).unique()
    return [AppraisalRow(appraisal, bool(stands)) for appraisal, stands in rows]


def decisions_on(notice: Notice) -> list[AppraisalRow]:
    rows = db.session.execute(
        select(Appraisal, appraisal_stands().label("stands"))
        .where(Appraisal.notices.any(Notice.id == notice.id))
        .order_by(Appraisal.id)
    )
    return [AppraisalRow(appraisal, bool(stands)) for appraisal, stands in rows]


def corrections_of(model: type[Notice] | type[Appraisal], record_id: int):
    """The record that corrects this one, if any."""
    return db.session.scalar(select(model).where(model.corrects_id == record_id))


def open_counts_by_person(unit_id: ColumnElement[int]) -> Subquery:
    """Per person (employee_id): the unit's standing notices about them (`notices`), and of
    those how many still await a decision (`awaiting`)."""
    return (
        select(
            Notice.employee_id,
            func.count(Notice.id).label("notices"),
            func.count(Notice.id).filter(~notice_decided_each()).label("awaiting"),
        )
        .where(Notice.unit_id == unit_id, notice_stands())
        .group_by(Notice.employee_id)
        .subquery("open_counts")
    )
