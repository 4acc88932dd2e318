"""Which responses a head may propose for a person today: valid, not retired, and for the
person's staff category (a person of no known category: only responses for every category)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select

from .. import categories
from ..extensions import db
from ..models import AppraisalOutcome, Employee


def valid_on(today: date):
    return (
        AppraisalOutcome.active.is_(True),
        or_(AppraisalOutcome.valid_from.is_(None), AppraisalOutcome.valid_from <= today),
        or_(AppraisalOutcome.valid_to.is_(None), AppraisalOutcome.valid_to >= today),
    )


def applies_to(response: AppraisalOutcome, category: str | None) -> bool:
    codes = categories.decode(response.categories)
    return category in codes if category else set(codes) == set(categories.ALL)


def offered_responses(employee: Employee, today: date) -> list[AppraisalOutcome]:
    rows = db.session.scalars(
        select(AppraisalOutcome).where(*valid_on(today)).order_by(AppraisalOutcome.position)
    ).all()
    return [row for row in rows if applies_to(row, employee.category)]


def is_offered(response: AppraisalOutcome, employee: Employee, today: date) -> bool:
    return response in offered_responses(employee, today)
