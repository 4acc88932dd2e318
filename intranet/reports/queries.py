"""The report's own figures: who was notified of a paper filing in the month, and the cases."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import distinct, func, select

from ..compliance.params import month_params
from ..compliance.records import notice_in_month, notices_known
from ..extensions import db
from ..models import Employee, IssuingBody, Notice, NoticeCase, Unit
from ..months import Month


@dataclass(frozen=True)
class CaseLine:
    """One dossier of a standing notice dated in the month."""

    notice: Notice
    case: NoticeCase
    employee_name: str
    unit_name: str
    issuing_body: str


def paper_filers(month: Month) -> dict[int | None, int]:
    """Per unit, how many people a standing notice dated in `month` names (the notices the
    table counts, each person once)."""
    query = (
        select(Notice.unit_id, func.count(distinct(Notice.employee_id)))
        .where(notices_known(), notice_in_month())
        .group_by(Notice.unit_id)
    )
    return {unit_id: int(count) for unit_id, count in db.session.execute(query, month_params(month))}


def month_cases(month: Month) -> list[CaseLine]:
    """Every case of the standing notices dated in `month`, by notice date."""
    query = (
        select(Notice, NoticeCase, Employee.full_name, Unit.name, IssuingBody.name)
        .join(NoticeCase, NoticeCase.notice_id == Notice.id)
        .join(Employee, Employee.id == Notice.employee_id)
        .join(Unit, Unit.id == Notice.unit_id)
        .join(IssuingBody, IssuingBody.id == Notice.issuing_body_id)
        .where(notices_known(), notice_in_month())
        .order_by(Notice.notice_date, Notice.id, NoticeCase.position)
    )
    return [CaseLine(*row) for row in db.session.execute(query, month_params(month))]
