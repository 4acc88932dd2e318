"""Admin writes on the responses a head may propose, and on a person's staff category.

Responses are reference data: added, or retired (no longer offered from today), never
deleted, since past proposals name them. Every change is audited.
"""
from __future__ import annotations

from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from .. import audit, categories
from ..extensions import db
from ..models import AppraisalOutcome, Employee
from ..validation import RuleViolation
from ..vietnamese import normalize

POINTS_LIMIT = 100  # the Decree 335/2025 scale


def add_response(actor: Employee, label: str | None, codes: list[str], valid_from: date | None,
                 valid_to: date | None, points: int | None) -> AppraisalOutcome:
    label = normalize(label or "")
    if not label:
        raise RuleViolation("label", _l("Vui lòng nhập nội dung đề xuất."))
    if db.session.scalar(select(AppraisalOutcome.id).where(func.lower(AppraisalOutcome.label) == label.lower())):
        raise RuleViolation("label", _l("Nội dung đề xuất này đã có trong danh sách."))
    stored = categories.encode(codes)
    if not stored:
        raise RuleViolation("categories", _l("Chọn ít nhất một loại cán bộ được áp dụng."))
    if valid_from and valid_to and valid_to < valid_from:
        raise RuleViolation("valid_to", _l("Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực."))
    if points is not None and not -POINTS_LIMIT <= points <= POINTS_LIMIT:
        raise RuleViolation("points", _l("Điểm trong khoảng -100 đến 100."))
    position = (db.session.scalar(select(func.max(AppraisalOutcome.position))) or 0) + 1
    count = db.session.scalar(select(func.count(AppraisalOutcome.id))) or 0
    response = AppraisalOutcome(
        code=f"response_{count + 1}", label=label, position=position, active=True,
        valid_from=valid_from, valid_to=valid_to, categories=stored, points=points,
    )
    db.session.add(response)
    db.session.flush()
    audit.record("response.create", actor=actor, obj=response, label=label, categories=stored,
                 valid_from=valid_from.isoformat() if valid_from else None,
                 valid_to=valid_to.isoformat() if valid_to else None, points=points)
    return response


def retire_response(actor: Employee, response: AppraisalOutcome, today: date) -> None:
    """Not offered from today on; past proposals keep naming it."""
    response.active = False
    if response.valid_to is None or response.valid_to >= today:
        response.valid_to = today - timedelta(days=1)
    audit.record("response.retire", actor=actor, obj=response, valid_to=response.valid_to.isoformat())


def set_category(actor: Employee, employee: Employee, code: str | None) -> None:
    """The admin's category for someone the directory gives none for."""
    if code is not None and code not in categories.CATEGORIES:
        raise RuleViolation("category", _l("Vui lòng chọn loại cán bộ trong danh sách."))
    if employee.category_from_directory:
        raise RuleViolation("category", _l("Danh bạ đã ghi loại cán bộ của người này; hãy sửa trong danh bạ."))
    before = employee.category_set_by_admin
    employee.category_set_by_admin = code
    audit.record("employee.category", actor=actor, obj=employee, before=before, after=code)
