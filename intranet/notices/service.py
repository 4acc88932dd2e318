"""Recording notices and their corrections: the rules and the writes.

Every function takes the acting head, checks the rules, adds the records and their audit
row to the session and flushes; the request commits once. Nothing is updated or deleted.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import insert, select

from .. import audit
from ..dates import EARLIEST_DAY, format_date
from ..extensions import db
from ..models import (
    Appraisal,
    Employee,
    IssuingBody,
    Notice,
    NoticeCase,
    appraisal_notice,
)
from ..recording import check_correctable, check_staff, clean_text, required_reason
from ..validation import RuleViolation
from ..vietnamese import normalize
from .routing import reply_due_on, route_for
from .state import appraisal_stands, notice_decided, notice_stands

# A real list can name dozens of dossiers for one person. Past this bound a notice is refused
# whole, never kept in part: the head splits it into several notices with the same reference.
MAX_CASES = 200


def too_many_cases() -> str:
    return _l(
        "Một thông báo ghi nhận tối đa %(max)d hồ sơ. Văn bản nêu nhiều hơn thì hãy ghi nhận "
        "thành nhiều thông báo (cùng số, ký hiệu văn bản).",
        max=MAX_CASES,
    )


@dataclass(frozen=True)
class CaseDraft:
    procedure_name: str
    procedure_code: str | None
    dossier_code: str
    filed_on: date | None
    receiving_officer: str


@dataclass(frozen=True)
class NoticeDraft:
    employee: Employee
    issuing_body: IssuingBody | None
    reference_number: str
    notice_date: date | None
    cases: list[CaseDraft]
    note: str | None


def _dossier_key(code: str) -> str:
    return normalize(code).casefold()


def _check_day(field: str, day: date | None, today: date, missing: str) -> date:
    """A notice's or a case's date: given, not in the future, not before any notice could be."""
    if day is None:
        raise RuleViolation(field, missing)
    if day > today:
        raise RuleViolation(field, _l("Ngày không được sau ngày hôm nay."))
    if day < EARLIEST_DAY:
        raise RuleViolation(
            field,
            _l("Ngày không được trước %(earliest)s (ngày Nghị định 59/2022/NĐ-CP có hiệu lực).",
               earliest=format_date(EARLIEST_DAY)),
        )
    return day


def _taken_dossier_codes(employee: Employee, ignoring: Notice | None) -> set[str]:
    """Dossier codes already in this person's standing notices."""
    query = (
        select(NoticeCase.dossier_code)
        .join(Notice, Notice.id == NoticeCase.notice_id)
        .where(Notice.employee_id == employee.id, notice_stands())
    )
    if ignoring is not None:
        query = query.where(Notice.id != ignoring.id)
    return {_dossier_key(code) for code in db.session.scalars(query)}


def _check_cases(draft: NoticeDraft, today: date, corrects: Notice | None) -> list[NoticeCase]:
    if not draft.cases:
        raise RuleViolation("", _l("Thông báo phải có ít nhất một hồ sơ."))
    if len(draft.cases) > MAX_CASES:
        raise RuleViolation("", too_many_cases())
    taken = _taken_dossier_codes(draft.employee, corrects)
    seen: set[str] = set()
    cases = []
    for index, case in enumerate(draft.cases):
        prefix = f"cases.{index}."
        for name, message in (
            ("procedure_name", _l("Vui lòng nhập tên thủ tục hành chính.")),
            ("dossier_code", _l("Vui lòng nhập mã hồ sơ.")),
            ("receiving_officer", _l("Vui lòng nhập người tiếp nhận hồ sơ.")),
        ):
            if not clean_text(getattr(case, name)):
                raise RuleViolation(prefix + name, message)
        filed_on = _check_day(
            prefix + "filed_on", case.filed_on, today, _l("Vui lòng nhập ngày tiếp nhận hồ sơ.")
        )
        if draft.notice_date and filed_on > draft.notice_date:
            raise RuleViolation(prefix + "filed_on", _l("Ngày tiếp nhận hồ sơ không được sau ngày thông báo."))
        key = _dossier_key(case.dossier_code)
        if key in seen:
            raise RuleViolation(prefix + "dossier_code", _l("Mã hồ sơ này đã có ở trên trong cùng thông báo."))
        if key in taken:
            raise RuleViolation(
                prefix + "dossier_code",
                _l("Mã hồ sơ này đã được ghi nhận trong một thông báo khác về cùng người."),
            )
        seen.add(key)
        cases.append(
            NoticeCase(
                position=index + 1,
                procedure_name=clean_text(case.procedure_name),
                procedure_code=clean_text(case.procedure_code),
                dossier_code=normalize(case.dossier_code),
                filed_on=filed_on,
                receiving_officer=clean_text(case.receiving_officer),
            )
        )
    return cases


def record_notice(
    actor: Employee,
    draft: NoticeDraft,
    *,
    today: date,
    address: str | None,
    corrects: Notice | None = None,
    reason: str | None = None,
) -> Notice:
    """A new notice with all its cases, or nothing (RuleViolation) if any rule fails."""
    check_staff(actor, draft.employee)
    if corrects is not None:
        check_correctable(actor, corrects, notice_stands)
        reason = required_reason(reason)
    if draft.issuing_body is None or not draft.issuing_body.active:
        raise RuleViolation("issuing_body_id", _l("Vui lòng chọn cơ quan ban hành thông báo trong danh sách."))
    reference = clean_text(draft.reference_number)
    if not reference:
        raise RuleViolation("reference_number", _l("Vui lòng nhập số, ký hiệu văn bản."))
    notice_date = _check_day("notice_date", draft.notice_date, today, _l("Vui lòng nhập ngày thông báo."))
    cases = _check_cases(draft, today, corrects)
    notice = Notice(
        employee=draft.employee,
        unit_id=draft.employee.unit_id,
        issuing_body=draft.issuing_body,
        reference_number=reference,
        notice_date=notice_date,
        note=clean_text(draft.note),
        cases=cases,
        corrects=corrects,
        correction_reason=reason,
        recorded_by=actor,
        recorded_from=address,
        route=route_for(draft.employee),
        reply_due_on=reply_due_on(today),
    )
    db.session.add(notice)
    db.session.flush()
    if corrects is not None and corrects.employee_id == notice.employee_id:
        _carry_decisions(corrects, notice)
    audit.record(
        "notice.correct" if corrects else "notice.create",
        actor=actor,
        obj=notice,
        employee_id=notice.employee_id,
        cases=len(cases),
        **({"corrects": corrects.id} if corrects else {}),
    )
    return notice


def _carry_decisions(original: Notice, correction: Notice) -> None:
    """A decision taken on a notice still stands for the notice that corrects it."""
    decision_ids = db.session.scalars(
        select(appraisal_notice.c.appraisal_id)
        .join(Appraisal, Appraisal.id == appraisal_notice.c.appraisal_id)
        .where(appraisal_notice.c.notice_id == original.id, appraisal_stands())
    ).all()
    if decision_ids:
        db.session.execute(
            insert(appraisal_notice),
            [{"appraisal_id": a, "notice_id": correction.id} for a in decision_ids],
        )


def open_notices(employee: Employee, *, also_decided_by: Appraisal | None = None) -> list[Notice]:
    """The person's standing notices that no standing decision covers yet
    (plus, when correcting a decision, those that decision covers)."""
    query = select(Notice).where(Notice.employee_id == employee.id, notice_stands())
    if also_decided_by is not None:
        covered = select(appraisal_notice.c.notice_id).where(
            appraisal_notice.c.appraisal_id == also_decided_by.id
        )
        query = query.where(~notice_decided() | Notice.id.in_(covered))
    else:
        query = query.where(~notice_decided())
    return list(db.session.scalars(query.order_by(Notice.notice_date, Notice.id)))
