"""Recording appraisal proposals and their corrections: the rules and the writes.

The acting head is an argument; the records and their audit row are added and flushed, and
the request commits once. Nothing is updated or deleted: a correction is a new proposal.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

from .. import audit
from ..extensions import db
from ..models import Appraisal, AppraisalOutcome, Employee, Notice
from ..notices.service import open_notices
from ..notices.state import appraisal_stands
from ..recording import check_correctable, check_staff, required_reason
from ..validation import RuleViolation
from .periods import Period
from .responses import is_offered

# No decision can be about a period before the order that started all this (15/11/2023).
FIRST_PERIOD_YEAR = 2023
RATIONALE_MAX = 2000


@dataclass(frozen=True)
class AppraisalDraft:
    employee: Employee
    notices: list[Notice]
    period: Period | None
    outcome: AppraisalOutcome | None
    rationale: str


def record_appraisal(
    actor: Employee,
    draft: AppraisalDraft,
    *,
    today: date,
    address: str | None,
    corrects: Appraisal | None = None,
    reason: str | None = None,
) -> Appraisal:
    """A new decision about a staff member, covering zero or more of their open notices."""
    check_staff(actor, draft.employee)
    if corrects is not None:
        check_correctable(actor, corrects, appraisal_stands)
        reason = required_reason(reason)
    allowed = {n.id for n in open_notices(draft.employee, also_decided_by=corrects)}
    if any(notice.id not in allowed for notice in draft.notices):
        raise RuleViolation("notice_ids", _l("Chỉ chọn các thông báo đang chờ xử lý của người này."))
    period = draft.period
    if period is None:
        raise RuleViolation("period", _l("Vui lòng chọn kỳ đánh giá."))
    if period.year < FIRST_PERIOD_YEAR or period.start() > today:
        raise RuleViolation("period", _l("Kỳ đánh giá không hợp lệ."))
    # Only a response valid today and for the person's category (responses.py).
    if draft.outcome is None or not is_offered(draft.outcome, draft.employee, today):
        raise RuleViolation("outcome_id", _l("Vui lòng chọn nội dung đề xuất trong danh sách."))
    rationale = (draft.rationale or "").strip()
    if not rationale:
        raise RuleViolation("rationale", _l("Vui lòng nêu căn cứ, lý do của đề xuất."))
    if len(rationale) > RATIONALE_MAX:
        raise RuleViolation("rationale", _l("Tối đa %(max)d ký tự.", max=RATIONALE_MAX))
    appraisal = Appraisal(
        employee=draft.employee,
        unit_id=draft.employee.unit_id,
        period_kind=str(period.kind),
        period_year=period.year,
        period_number=period.number,
        outcome=draft.outcome,
        rationale=rationale,
        notices=list(draft.notices),
        corrects=corrects,
        correction_reason=reason,
        recorded_by=actor,
        recorded_from=address,
    )
    db.session.add(appraisal)
    db.session.flush()
    audit.record(
        "appraisal.correct" if corrects else "appraisal.create",
        actor=actor,
        obj=appraisal,
        employee_id=appraisal.employee_id,
        notices=[n.id for n in draft.notices],
        outcome=draft.outcome.code,
        **({"corrects": corrects.id} if corrects else {}),
    )
    return appraisal
