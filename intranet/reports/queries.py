"""The report's own figures: who was notified of a paper filing in the month, and the cases."""
from __future__ import annotations

from datetime import date
from functools import cache
from typing import NamedTuple

from sqlalchemy import Select, distinct, func, select

from ..compliance.figures import month_figures
from ..compliance.params import month_params
from ..compliance.records import notice_in_month, notices_known
from ..extensions import db
from ..models import Employee, IssuingBody, Notice, NoticeCase, Unit
from ..months import Month


class CaseLine(NamedTuple):
    """One dossier of a standing notice dated in the month, as plain columns: a month of a
    province has ~800, and loading each as a Notice and a NoticeCase cost more than the rest
    of the report's queries."""

    employee_name: str
    unit_name: str
    procedure_name: str
    procedure_code: str | None
    dossier_code: str
    filed_on: date
    reference_number: str
    notice_date: date
    issuing_body: str


# Both statements built once: with the tests of a standing notice (aliased tables), building
# them took ~3 ms a request, more than PostgreSQL takes to run them.
@cache
def _paper_filers() -> Select:
    return (
        select(Notice.unit_id, func.count(distinct(Notice.employee_id)))
        .where(notices_known(), notice_in_month())
        .group_by(Notice.unit_id)
    )


def paper_filers(month: Month) -> dict[int | None, int]:
    """Per unit, how many people a standing notice dated in `month` names (the notices the
    table counts, each person once). Kept with the month's figures (month_figures): counted
    from the same notices, it changes only when they do."""
    def compute() -> tuple[tuple[int | None, int], ...]:
        rows = db.session.execute(_paper_filers(), month_params(month))
        return tuple((unit_id, int(count)) for unit_id, count in rows)

    return dict(month_figures(("paper_filers",), month, compute))


@cache
def _month_cases() -> Select:
    return (
        select(Employee.full_name, Unit.name, NoticeCase.procedure_name, NoticeCase.procedure_code,
               NoticeCase.dossier_code, NoticeCase.filed_on, Notice.reference_number,
               Notice.notice_date, IssuingBody.name)
        .select_from(Notice)
        .join(NoticeCase, NoticeCase.notice_id == Notice.id)
        .join(Employee, Employee.id == Notice.employee_id)
        .join(Unit, Unit.id == Notice.unit_id)
        .join(IssuingBody, IssuingBody.id == Notice.issuing_body_id)
        .where(notices_known(), notice_in_month())
        .order_by(Notice.notice_date, Notice.id, NoticeCase.position)
    )


def month_cases(month: Month) -> list[CaseLine]:
    """Every case of the standing notices dated in `month`, by notice date."""
    rows = db.session.connection().execute(_month_cases(), month_params(month))
    return [CaseLine._make(row) for row in rows]
