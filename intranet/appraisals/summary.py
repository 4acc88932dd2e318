"""The summary the rating meeting reads: for a period and a unit (or the whole sub-department),
each person with notices dated in it, their cases, explanations, the standing proposals on
those notices and the points proposed on the Decree 335/2025 scale. Three statements."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from datetime import date, datetime

from sqlalchemy import ColumnElement, and_, func, select

from ..explanations.models import Explanation
from ..extensions import db
from ..models import Appraisal, AppraisalOutcome, Employee, Notice, NoticeCase, Unit, appraisal_notice
from ..notices.state import appraisal_stands, notice_stands
from .periods import Period


@dataclass(frozen=True)
class SummaryProposal:
    id: int
    response: str
    points: int | None
    period: Period
    recorded_at: datetime
    period_label: str


@dataclass
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


@dataclass
class SummaryPerson:
    employee_id: int
    full_name: str
    title: str | None
    unit_name: str
    notices: list[SummaryNotice] = field(default_factory=list)

    @cached_property  # asked for per row and for the totals: worked out once
    def proposals(self) -> list[SummaryProposal]:
        """Each standing proposal once, though it may cover several of the person's notices."""
        seen: dict[int, SummaryProposal] = {}
        for notice in self.notices:
            for proposal in notice.proposals:
                seen.setdefault(proposal.id, proposal)
        return sorted(seen.values(), key=lambda p: (p.recorded_at, p.id))

    @cached_property
    def points(self) -> int | None:
        """The points the standing proposals propose, summed; None when none proposes points."""
        values = [p.points for p in self.proposals if p.points is not None]
        return sum(values) if values else None

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

    @property
    def totals(self) -> SummaryTotals:
        notices = [n for p in self.people for n in p.notices]
        proposed = sum(1 for n in notices if n.proposals)
        return SummaryTotals(
            people=len(self.people), notices=len(notices), cases=sum(n.cases for n in notices),
            explanations=sum(1 for n in notices if n.explanation is not None), proposed=proposed,
            awaiting=len(notices) - proposed, points=sum(p.points or 0 for p in self.people),
        )


def _notices_in(period: Period, unit_id: int | None) -> ColumnElement[bool]:
    conditions = [notice_stands(), Notice.notice_date >= period.start(), Notice.notice_date <= period.end()]
    if unit_id is not None:
        conditions.append(Notice.unit_id == unit_id)
    return and_(*conditions)


def rating_summary(period: Period, unit: Unit | None) -> Summary:
    unit_id = unit.id if unit is not None else None
    where = _notices_in(period, unit_id)
    cases = (
        select(func.count(NoticeCase.id)).where(NoticeCase.notice_id == Notice.id).scalar_subquery()
    )
    rows = db.session.connection().execute(
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
    people: dict[int, SummaryPerson] = {}
    notices: dict[int, SummaryNotice] = {}
    for notice_id, reference, dated, case_count, text, employee_id, name, title, unit_name in rows:
        person = people.get(employee_id)
        if person is None:
            person = people[employee_id] = SummaryPerson(employee_id, name, title, unit_name)
        notice = SummaryNotice(notice_id, reference, dated, case_count, text)
        notices[notice_id] = notice
        person.notices.append(notice)
    if notices:
        listed = select(Notice.id).where(where)
        proposals = db.session.connection().execute(
            select(
                appraisal_notice.c.notice_id, Appraisal.id, AppraisalOutcome.label, AppraisalOutcome.points,
                Appraisal.period_kind, Appraisal.period_year, Appraisal.period_number, Appraisal.recorded_at,
            )
            .join(Appraisal, Appraisal.id == appraisal_notice.c.appraisal_id)
            .join(AppraisalOutcome, AppraisalOutcome.id == Appraisal.outcome_id)
            .where(appraisal_notice.c.notice_id.in_(listed), appraisal_stands())
            .order_by(Appraisal.recorded_at, Appraisal.id)
        )
        made: dict[int, SummaryProposal] = {}
        period_labels: dict[tuple, str] = {}
        for notice_id, appraisal_id, label, points, kind, year, number, recorded in proposals:
            proposal = made.get(appraisal_id)
            if proposal is None:
                # Not `period`: that is the summary's own, returned below.
                proposed_for = Period.from_record(kind, year, number)
                key = (kind, year, number)
                if key not in period_labels:  # translated once per period, not per row
                    period_labels[key] = proposed_for.label()
                proposal = made[appraisal_id] = SummaryProposal(
                    appraisal_id, label, points, proposed_for, recorded, period_labels[key]
                )
            notices[notice_id].proposals.append(proposal)
    return Summary(period, unit, list(people.values()))
