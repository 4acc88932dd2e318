"""The rules notices and appraisals share: whom a head (or, about heads, the admin) may record
about, and how a record
with legal weight is corrected (a new record naming the old one, with a reason)."""
from __future__ import annotations

from collections.abc import Callable

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, select

from .access import can_act_on_person, can_correct
from .extensions import db
from .models import Appraisal, Employee, Notice
from .validation import RuleViolation
from .vietnamese import normalize


def clean_text(text: str | None) -> str | None:
    return normalize(text) if text and text.strip() else None


def check_staff(actor: Employee, employee: Employee) -> None:
    if employee.id == actor.id:
        raise RuleViolation("employee_id", _l("Thủ trưởng không ghi nhận thông báo, đề xuất về chính mình."))
    # A head records about their unit's staff; about a head or a leader, the admin does.
    if not (employee.active and employee.unit_id and can_act_on_person(actor, employee)):
        raise RuleViolation(
            "employee_id", _l("Chỉ ghi nhận cho người đang công tác tại đơn vị của bạn.")
        )


def check_correctable(actor: Employee, original: Notice | Appraisal,
                      stands: Callable[[], ColumnElement[bool]]) -> None:
    if not can_correct(actor, original):
        raise RuleViolation("", _l("Chỉ thủ trưởng đơn vị được đính chính bản ghi này."))
    model = type(original)
    if db.session.scalar(select(model.id).where(model.id == original.id, stands())) is None:
        raise RuleViolation("", _l("Bản ghi này đã được đính chính; hãy đính chính bản mới nhất."))


def required_reason(reason: str | None) -> str:
    reason = clean_text(reason)
    if not reason:
        raise RuleViolation("correction_reason", _l("Vui lòng nêu lý do đính chính."))
    return reason
