"""The import's two steps as services: preview (read, match, keep a draft) and confirm
(make the notices), plus discarding a draft. Each takes the acting admin, adds its records and
audit row to the session and flushes; the caller commits once."""
from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError

from .. import audit
from ..access import is_admin
from ..extensions import db
from ..models import Employee, IssuingBody, Notice, NoticeCase, utcnow
from ..months import Month
from ..notices.routing import route_for, reply_due_on
from ..validation import RuleViolation
from ..vietnamese import normalize
from .matching import AMBIGUOUS, MATCHED, SUGGESTION, counts, dossier_key, match_rows, recorded_dossiers
from .models import ImportDraft, NoticeImport, notice_import_notice
from .parsing import parse_list
from .reading import open_table

# A draft nobody confirmed or discarded within a day no longer blocks the next upload.
DRAFT_LIFETIME = timedelta(hours=24)


class ImportBusy(RuntimeError):
    """Another list is being imported; `draft` is the one waiting for confirmation."""

    def __init__(self, draft: ImportDraft | None) -> None:
        super().__init__("import busy")
        self.draft = draft


@dataclass(frozen=True)
class Upload:
    data: bytes
    file_name: str
    issuing_body: IssuingBody | None
    month: Month | None
    reference_number: str | None
    notice_date: date | None
    columns: Mapping[str, int] | None = None  # the admin's mapping of unrecognised columns


def default_reference(month: Month) -> str:
    return f"Danh sách tháng {month.label}"


def _check_upload(actor: Employee, upload: Upload, today: date) -> tuple[IssuingBody, Month, str, date]:
    if not is_admin(actor):
        raise RuleViolation("", _l("Chỉ quản trị được nhập danh sách."))
    if upload.issuing_body is None or not upload.issuing_body.active:
        raise RuleViolation("issuing_body_id", _l("Vui lòng chọn cơ quan ban hành thông báo trong danh sách."))
    if upload.month is None:
        raise RuleViolation("month", _l("Vui lòng chọn tháng của danh sách."))
    notice_date = upload.notice_date or today
    if notice_date > today:
        raise RuleViolation("notice_date", _l("Ngày không được sau ngày hôm nay."))
    reference = normalize(upload.reference_number or "") or default_reference(upload.month)
    if len(reference) > 100:
        raise RuleViolation("reference_number", _l("Tối đa %(max)d ký tự.", max=100))
    return upload.issuing_body, upload.month, reference, notice_date


def pending_draft() -> ImportDraft | None:
    return db.session.scalar(select(ImportDraft))


@dataclass(frozen=True)
class Analysis:
    """What the list says, before anything is written."""

    issuing_body: IssuingBody
    month: Month
    reference_number: str
    notice_date: date
    rows: list[dict]


def _waiting_draft() -> ImportDraft | None:
    """The draft awaiting confirmation, if it is recent enough to block another upload."""
    waiting = pending_draft()
    if waiting is not None and utcnow() - waiting.created_at < DRAFT_LIFETIME:
        return waiting
    return None


def analyse_list(actor: Employee, upload: Upload, *, today: date) -> Analysis:
    """Read and match the list; reads only. Raises RuleViolation, FileRefused, MissingColumns
    or ImportBusy (another list awaits confirmation: no need to read this one)."""
    body, month, reference, notice_date = _check_upload(actor, upload, today)
    waiting = _waiting_draft()
    if waiting is not None:
        raise ImportBusy(waiting)
    parsed = parse_list(open_table(upload.data), today, upload.columns)
    return Analysis(body, month, reference, notice_date, match_rows(parsed.rows))


def keep_draft(actor: Employee, upload: Upload, analysis: Analysis) -> ImportDraft:
    """The analysed list as the one draft awaiting confirmation, and its audit row."""
    waiting = pending_draft()
    if waiting is not None:
        if utcnow() - waiting.created_at < DRAFT_LIFETIME:
            raise ImportBusy(waiting)
        # Abandoned a day ago: its names are not kept longer.
        audit.record("notice_import.expire", actor=actor, obj=waiting, file_name=waiting.file_name,
                     sha256=waiting.sha256, month=waiting.month)
        db.session.delete(waiting)
        db.session.flush()
    draft = ImportDraft(
        file_name=normalize(upload.file_name or "")[:255] or "danh-sach",
        sha256=hashlib.sha256(upload.data).hexdigest(),
        month=analysis.month.iso,
        issuing_body_id=analysis.issuing_body.id,
        reference_number=analysis.reference_number,
        notice_date=analysis.notice_date,
        rows=analysis.rows,
        counts=counts(analysis.rows),
        created_by_id=actor.id,
    )
    db.session.add(draft)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as error:  # another upload took the slot between our check and now
        raise ImportBusy(pending_draft()) from error
    audit.record("notice_import.preview", actor=actor, obj=draft, file_name=draft.file_name,
                 sha256=draft.sha256, month=draft.month, **draft.counts)
    return draft


def preview_import(actor: Employee, upload: Upload, *, today: date) -> ImportDraft:
    """Both steps in one transaction (the CLI, the tests); the page releases SQLite's write
    lock between them (imports/views.py)."""
    return keep_draft(actor, upload, analyse_list(actor, upload, today=today))


def earlier_imports(draft: ImportDraft) -> list[NoticeImport]:
    """Confirmed imports of the very same file."""
    return list(db.session.scalars(
        select(NoticeImport).where(NoticeImport.sha256 == draft.sha256).order_by(NoticeImport.id)
    ))


def choosable(row: Mapping[str, object]) -> bool:
    return row["state"] in (AMBIGUOUS, SUGGESTION)


def confirm_import(
    actor: Employee, draft_id: int, choices: Mapping[int, int | None], *, today: date, address: str | None
) -> NoticeImport:
    """Matched rows and the rows the admin chose a person for become notices, one per person,
    with all their dossiers; the draft goes. `choices`: file row -> employee id (None: skip)."""
    if not is_admin(actor):
        raise RuleViolation("", _l("Chỉ quản trị được nhập danh sách."))
    draft = db.session.get(ImportDraft, draft_id)
    if draft is None:
        raise ImportBusy(None)
    rows, draft_counts = draft.rows, dict(draft.counts)
    record = NoticeImport(
        file_name=draft.file_name, sha256=draft.sha256, month=draft.month,
        issuing_body_id=draft.issuing_body_id, reference_number=draft.reference_number,
        notice_date=draft.notice_date, counts={}, uploaded_by_id=draft.created_by_id,
        uploaded_at=draft.created_at, confirmed_by_id=actor.id, confirmed_from=address,
    )
    # Deleting first: a second confirmation of the same draft (a double click, another admin)
    # finds nothing to delete and stops before writing anything.
    deleted = db.session.execute(
        delete(ImportDraft).where(ImportDraft.id == draft_id), execution_options={"synchronize_session": False}
    ).rowcount
    if deleted != 1:
        raise ImportBusy(None)
    db.session.expunge(draft)
    chosen: dict[int, list[dict]] = defaultdict(list)
    picked = 0
    for row in rows:
        if row["state"] == MATCHED:
            chosen[int(row["employee_id"])].append(row)
        elif choosable(row) and choices.get(int(row["row"])) is not None:
            pick = choices[int(row["row"])]
            if pick not in row["candidates"]:
                raise RuleViolation("", _l("Lựa chọn ở dòng %(row)d không hợp lệ.", row=row["row"]))
            chosen[int(pick)].append({**row, "employee_id": pick})
            picked += 1
    # Recorded since the preview (by a head, by hand)? Then not again.
    taken = recorded_dossiers({dossier_key(r["dossier_code"]) for rs in chosen.values() for r in rs})
    groups = {
        employee_id: sorted((r for r in rs if dossier_key(r["dossier_code"]) not in taken),
                            key=lambda r: (r["received_on"], r["row"]))
        for employee_id, rs in chosen.items()
    }
    groups = {employee_id: rs for employee_id, rs in groups.items() if rs}
    record.counts = {
        **draft_counts,
        "chosen": picked,
        "recorded_meanwhile": sum(len(rs) for rs in chosen.values()) - sum(len(rs) for rs in groups.values()),
        "notices": len(groups),
        "cases": sum(len(rs) for rs in groups.values()),
    }
    db.session.add(record)
    db.session.flush()
    if groups:
        _insert_notices(record, groups, actor, today, address)
    audit.record("notice_import.confirm", actor=actor, obj=record, file_name=record.file_name,
                 sha256=record.sha256, month=record.month, **record.counts)
    return record


def _insert_notices(
    record: NoticeImport, groups: Mapping[int, list[dict]], actor: Employee, today: date, address: str | None,
) -> None:
    """Bulk inserts: thousands of notices in a few statements, inside the request's transaction."""
    due = reply_due_on(today)
    now = utcnow()
    people = {e.id: e for e in db.session.scalars(select(Employee).where(Employee.id.in_(list(groups))))}
    order = list(groups)
    notice_values = [
        {
            "employee_id": employee_id,
            # The unit they are in now (whose head acts), else the one they were in that day.
            "unit_id": people[employee_id].unit_id or groups[employee_id][0]["units_then"][str(employee_id)],
            "issuing_body_id": record.issuing_body_id,
            "reference_number": record.reference_number,
            "notice_date": record.notice_date,
            "recorded_by_id": actor.id,
            "recorded_at": now,
            "recorded_from": address,
            "route": route_for(people[employee_id]),
            "reply_due_on": due,
        }
        for employee_id in order
    ]
    ids = db.session.scalars(
        insert(Notice).returning(Notice.id, sort_by_parameter_order=True), notice_values
    ).all()
    case_values = [
        {
            "notice_id": notice_id,
            "position": position,
            "procedure_name": row["procedure_name"],
            "procedure_code": row["procedure_code"] or None,
            "dossier_code": row["dossier_code"],
            "filed_on": date.fromisoformat(row["received_on"]),
            "receiving_officer": row["receiving_officer"] or "",
            "receiving_place": row["receiving_place"] or None,
            "channel": row["channel"] or "in_person",
            "online_level": row["online_level"],
        }
        for notice_id, employee_id in zip(ids, order)
        for position, row in enumerate(groups[employee_id], start=1)
    ]
    db.session.execute(insert(NoticeCase), case_values)
    db.session.execute(insert(notice_import_notice), [{"import_id": record.id, "notice_id": i} for i in ids])


def discard_import(actor: Employee, draft_id: int) -> None:
    """Drop the draft without making anything: the names it held go with it."""
    if not is_admin(actor):
        raise RuleViolation("", _l("Chỉ quản trị được nhập danh sách."))
    draft = db.session.get(ImportDraft, draft_id)
    if draft is None:
        raise ImportBusy(None)
    audit.record("notice_import.discard", actor=actor, obj=draft, file_name=draft.file_name,
                 sha256=draft.sha256, month=draft.month)
    db.session.delete(draft)
    db.session.flush()
