"""The summary the rating meeting reads: for a period and a unit (or the whole sub-department),
each person with notices dated in it, their cases, explanations, the standing proposals on
those notices and the points proposed on the Decree 335/2025 scale. Three statements."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache

from sqlalchemy import ColumnElement, Select, and_, bindparam, func, select

from ..explanations.models import Explanation
from ..extensions import db
from ..models import Appraisal, AppraisalOutcome, Employee, Notice, NoticeCase, Unit, appraisal_notice
from ..notices.state import appraisal_stands, notice_stands
from .periods import Period


# Slotted: a year of the whole sub-department makes thousands of these per request.
@dataclass(frozen=True, slots=True)
class SummaryProposal:
    id: int
    response: str
    points: int | None
    period: Period
    recorded_at: datetime
    period_label: str


@dataclass(slots=True)
class SummaryNotice:
    id: int
    reference_number: str
    notice_date: date
    cases: int
    explanation: str | None
    proposals: list[SummaryProposal] = field(default_factory=list)

    def proposed(self, awaiting: str) -> str:
        """The proposals on it as one line ("Tháng 11/2026: Nhắc nhở"), or `awaiting`."""
        return "; ".join(f"{p.period_label}: {p.response}" for p in self.proposals) or awaiting


@dataclass(slots=True)
class SummaryPerson:
    employee_id: int
    full_name: str
    title: str | None
    unit_name: str
    notices: list[SummaryNotice] = field(default_factory=list)
    # Their standing proposals and points, gathered by rating_summary while it reads its rows;
    # a summary built otherwise (a test's) has them worked out from its notices on first use.
    standing: list[SummaryProposal] | None = None
    standing_points: int | None = None

    @property
    def proposals(self) -> list[SummaryProposal]:
        """Each standing proposal once, in the order recorded, though it may cover several of
        the person's notices."""
        if self.standing is None:
            seen: dict[int, SummaryProposal] = {}
            for notice in self.notices:
                for proposal in notice.proposals:
                    seen.setdefault(proposal.id, proposal)
            self.standing = sorted(seen.values(), key=lambda p: (p.recorded_at, p.id))
            values = [p.points for p in self.standing if p.points is not None]
            self.standing_points = sum(values) if values else None
        return self.standing

    @property
    def points(self) -> int | None:
        """The points the standing proposals propose, summed; None when none proposes points."""
        if self.standing is None:
            self.proposals  # noqa: B018 - works both out
        return self.standing_points

    @property
    def cases(self) -> int:
        return sum(n.cases for n in self.notices)


@dataclass(frozen=True)
class SummaryTotals:
    people: int
    notices: int
    cases: int
    explanations: int
    proposed: int  # notices a standing proposal covers
    awaiting: int
    points: int


@dataclass(frozen=True)
class Summary:
    period: Period
    unit: Unit | None  # None: the whole sub-department
    people: list[SummaryPerson]
    counted: SummaryTotals | None = None  # rating_summary counts while it reads its rows

    @property
    def totals(self) -> SummaryTotals:
        if self.counted is not None:
            return self.counted
        notices = [n for p in self.people for n in p.notices]
        proposed = sum(1 for n in notices if n.proposals)
        return SummaryTotals(
            people=len(self.people), notices=len(notices), cases=sum(n.cases for n in notices),
            explanations=sum(1 for n in notices if n.explanation is not None), proposed=proposed,
            awaiting=len(notices) - proposed, points=sum(p.points or 0 for p in self.people),
        )


def _notices_in(by_unit: bool) -> ColumnElement[bool]:
    """The standing notices dated in the period (`first_day`, `last_day`), of `unit_id` if
    `by_unit`: bound parameters, so each statement is built and compiled once."""
    conditions = [
        notice_stands(),
        Notice.notice_date >= bindparam("first_day"),
        Notice.notice_date <= bindparam("last_day"),
    ]
    if by_unit:
        conditions.append(Notice.unit_id == bindparam("unit_id"))
    return and_(*conditions)


@cache
def _statements(by_unit: bool) -> tuple[Select, Select]:
    """The notices with their people (in the order printed), then the standing proposals on
    them (in the order recorded)."""
    where = _notices_in(by_unit)
    cases = (
        select(func.count()).select_from(NoticeCase)
        .where(NoticeCase.notice_id == Notice.id).scalar_subquery()
    )
    notices = (
        select(
            Notice.id, Notice.reference_number, Notice.notice_date, cases, Explanation.text,
            Employee.id, Employee.full_name, Employee.title, Unit.name,
        )
        .join(Employee, Employee.id == Notice.employee_id)
        .join(Unit, Unit.id == Notice.unit_id)
        .outerjoin(Explanation, Explanation.notice_id == Notice.id)
        .where(where)
        .order_by(Unit.sort_key, Employee.sort_key, Employee.id, Notice.notice_date, Notice.id)
    )
    proposals = (
        select(
            appraisal_notice.c.notice_id, Appraisal.id, AppraisalOutcome.label, AppraisalOutcome.points,
            Appraisal.period_kind, Appraisal.period_year, Appraisal.period_number, Appraisal.recorded_at,
        )
        .join(Appraisal, Appraisal.id == appraisal_notice.c.appraisal_id)
        .join(AppraisalOutcome, AppraisalOutcome.id == Appraisal.outcome_id)
        .where(appraisal_notice.c.notice_id.in_(select(Notice.id).where(where)), appraisal_stands())
        .order_by(Appraisal.recorded_at, Appraisal.id)
    )
    return notices, proposals


def rating_summary(period: Period, unit: Unit | None) -> Summary:
    """The summary, its people, notices, proposals and totals gathered in one pass over each
    statement's rows (a year of the whole sub-department is ~7,000 notices)."""
    notices_statement, proposals_statement = _statements(unit is not None)
    params = {"first_day": period.start(), "last_day": period.end()}
    if unit is not None:
        params["unit_id"] = unit.id
    connection = db.session.connection()
    rows = connection.execute(notices_statement, params).all()
    people: dict[int, SummaryPerson] = {}
    notices: dict[int, tuple[SummaryNotice, SummaryPerson]] = {}
    all_cases = explanations = 0
    person = None
    for notice_id, reference, dated, case_count, text, employee_id, name, title, unit_name in rows:
        # Rows come person by person (the ORDER BY), so the dict is asked only at each new one.
        if person is None or person.employee_id != employee_id:
            person = people.get(employee_id)
            if person is None:
                person = people[employee_id] = SummaryPerson(employee_id, name, title, unit_name, [], [])
        notice = SummaryNotice(notice_id, reference, dated, case_count, text)
        notices[notice_id] = (notice, person)
        person.notices.append(notice)
        all_cases += case_count
        if text is not None:
            explanations += 1
    proposed = 0
    if notices:
        proposals = connection.execute(proposals_statement, params).all()
        made: dict[int, SummaryProposal] = {}
        period_labels: dict[tuple, tuple[Period, str]] = {}
        for notice_id, appraisal_id, label, points, kind, year, number, recorded in proposals:
            proposal = made.get(appraisal_id)
            if proposal is None:
                key = (kind, year, number)
                if key not in period_labels:  # translated once per period, not per row
                    covered = Period.from_record(kind, year, number)
                    period_labels[key] = (covered, covered.label())
                covered, period_label = period_labels[key]
                proposal = made[appraisal_id] = SummaryProposal(
                    appraisal_id, label, points, covered, recorded, period_label
                )
            notice, person = notices[notice_id]
            if not notice.proposals:
                proposed += 1
            notice.proposals.append(proposal)
            # A proposal's rows are consecutive (ordered by its time, then id): a proposal
            # covering several of a person's notices is counted for them once.
            if not person.standing or person.standing[-1] is not proposal:
                person.standing.append(proposal)
                if points is not None:
                    person.standing_points = points + (person.standing_points or 0)
    listed_people = list(people.values())
    totals = SummaryTotals(
        people=len(listed_people), notices=len(notices), cases=all_cases, explanations=explanations,
        proposed=proposed, awaiting=len(notices) - proposed,
        points=sum(p.points for p in listed_people if p.points is not None),
    )
    return Summary(period, unit, listed_people, totals)
