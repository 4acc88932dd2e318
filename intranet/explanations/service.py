"""Sending an explanation: the rules (whose notice, one only, before the deadline) and the write."""
from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload

from .. import audit
from ..access import can_explain
from ..extensions import db
from ..models import Employee, Notice
from ..notices.state import notice_open
from ..recording import clean_text
from ..validation import RuleViolation
from .models import Explanation

TEXT_MAX = 2000


def explanation_of(notice: Notice) -> Explanation | None:
    return db.session.scalar(select(Explanation).where(Explanation.notice_id == notice.id))


def explanations_for(notice_ids: list[int]) -> dict[int, Explanation]:
    """The explanations of these notices, by notice id (one statement)."""
    if not notice_ids:
        return {}
    rows = db.session.scalars(select(Explanation).where(Explanation.notice_id.in_(notice_ids)))
    return {row.notice_id: row for row in rows}


def past_deadline(notice: Notice, today: date) -> bool:
    """The reply deadline has passed (the deadline day itself still counts)."""
    return notice.reply_due_on is not None and today > notice.reply_due_on


def _with_state(*entities: Any, notice_id: int) -> Select:
    """The notice's explanation (None: none sent), and whether the notice still stands with no
    decision on it, after `entities`: one statement (on PostgreSQL each is a round trip)."""
    return (
        select(*entities, Explanation, notice_open())
        .select_from(Notice).outerjoin(Explanation, Explanation.notice_id == Notice.id)
        .where(Notice.id == notice_id)
    )


def explanation_state(notice: Notice) -> tuple[Explanation | None, bool]:
    """The notice's explanation and whether it is still open (_with_state)."""
    explanation, still_open = db.session.execute(_with_state(notice_id=notice.id)).one()
    return explanation, bool(still_open)


def notice_with_state(notice_id: int) -> tuple[Notice | None, Explanation | None, bool]:
    """The explanation page's notice, with what it shows of it (issuing body, cases), and
    explanation_state's answer, in the same statement; (None, None, False): no such notice."""
    row = db.session.execute(
        _with_state(Notice, notice_id=notice_id)
        .options(joinedload(Notice.issuing_body), joinedload(Notice.cases))
    ).unique().one_or_none()
    if row is None:
        return None, None, False
    notice, explanation, still_open = row
    return notice, explanation, bool(still_open)


def explanation_refusal(notice: Notice, today: date) -> str | None:
    """Why no explanation can be sent now, or None when one can."""
    return refusal_given(notice, *explanation_state(notice), today)


def refusal_given(
    notice: Notice, explanation: Explanation | None, still_open: bool, today: date
) -> str | None:
    """explanation_refusal, with explanation_state read already (the page shows the explanation)."""
    if explanation is not None:
        return _l("Bạn đã gửi giải trình cho thông báo này; giải trình đã gửi không sửa được.")
    if past_deadline(notice, today):
        return _l("Đã quá hạn giải trình (hạn cuối ngày %(day)s); không nhận giải trình nữa.",
                  day=notice.reply_due_on.strftime("%d/%m/%Y"))
    if not still_open:
        return _l("Thông báo này đã được đính chính hoặc đã có đề xuất; không nhận giải trình nữa.")
    return None


def submit_explanation(actor: Employee, notice: Notice, text: str | None, *, today: date,
                       address: str | None) -> Explanation:
    if not can_explain(actor, notice):
        raise RuleViolation("text", _l("Chỉ người có tên trong thông báo mới gửi giải trình."))
    refusal = explanation_refusal(notice, today)
    if refusal is not None:
        raise RuleViolation("text", refusal)
    cleaned = clean_text(text)
    if not cleaned:
        raise RuleViolation("text", _l("Vui lòng nhập nội dung giải trình."))
    if len(cleaned) > TEXT_MAX:
        raise RuleViolation("text", _l("Tối đa %(max)d ký tự.", max=TEXT_MAX))
    explanation = Explanation(notice=notice, employee=actor, text=cleaned, submitted_from=address)
    db.session.add(explanation)
    db.session.flush()
    audit.record("explanation.create", actor=actor, obj=explanation, notice_id=notice.id)
    return explanation
