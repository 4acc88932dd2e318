"""Import pages: upload and preview, confirm or discard, the template, the imports made."""
from __future__ import annotations

import io

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from ..access import admin_required
from ..audit import client_address
from ..clock import local_today
from ..extensions import db
from ..models import Employee, IssuingBody, Notice, Unit
from ..months import MonthError, parse_month
from ..notices.forms import CHOOSE
from ..database.read_only import read_only
from ..database.transaction import discard as roll_back
from ..request_guards import accepts_files
from ..validation import RuleViolation, forged_choices, show_violation
from . import io_limits
from .columns import BY_FIELD, COLUMNS, REQUIRED
from .forms import ConfirmForm, Forged, ImportForm, posted_choices
from .matching import STATES
from .models import ImportDraft, NoticeImport, notice_import_notice
from .parsing import MissingColumns
from .reading import FileRefused, MAX_BYTES
from .reasons import describe
from .service import (
    ImportBusy,
    Upload,
    analyse_list,
    choosable,
    confirm_import,
    discard_import,
    earlier_imports,
    keep_draft,
    pending_draft,
)
from .template_file import template_xlsx

bp = Blueprint("imports", __name__, url_prefix="/notices/imports")
io_limits.install(bp)
bp.add_app_template_filter(describe, "import_reason")


def _prepare(form: ImportForm) -> None:
    bodies = db.session.scalars(
        select(IssuingBody).where(IssuingBody.active.is_(True)).order_by(IssuingBody.sort_key)
    ).all()
    form.issuing_body_id.choices = [SelectChoice("", CHOOSE)] + [SelectChoice(b.id, b.name) for b in bodies]


def _posted_columns() -> dict[str, int]:
    """The admin's mapping of required columns to the file's columns (`column-<field>`)."""
    chosen: dict[str, int] = {}
    for name in REQUIRED:
        raw = request.form.get(f"column-{name}", "")
        if raw.isascii() and raw.isdigit() and int(raw) < 1000:
            chosen[name] = int(raw)
    return chosen


def _recent_imports() -> list[NoticeImport]:
    return list(db.session.scalars(select(NoticeImport).order_by(NoticeImport.id.desc()).limit(20)))


def _upload_page(form: ImportForm, status: int, **context) -> tuple[str, int]:
    return render_template(
        "imports/new.html", form=form, columns=COLUMNS, pending=pending_draft(),
        imports=_recent_imports(), **context,
    ), status


@bp.route("/new", methods=["GET", "POST"])
@accepts_files  # the list itself; every other view refuses file parts (request_guards.py)
@read_only  # reading and matching the list must not hold SQLite's write lock; see below
@admin_required
def new() -> Response | tuple[str, int]:
    form = ImportForm()
    _prepare(form)
    if request.method == "GET":
        return _upload_page(form, 200)
    if forged_choices(form):
        abort(400)
    if not form.validate():
        return _upload_page(form, 422)
    try:
        month = parse_month(form.month.data)
    except MonthError as error:
        form.month.errors = [str(error)]
        return _upload_page(form, 422)
    data = form.file.data.read(MAX_BYTES + 1)
    upload = Upload(
        data=data, file_name=form.file.data.filename or "", month=month,
        issuing_body=db.session.get(IssuingBody, form.issuing_body_id.data),
        reference_number=form.reference_number.data, notice_date=form.notice_date.data,
        columns=_posted_columns() or None,
    )
    try:
        analysis = analyse_list(current_user, upload, today=local_today())
        # Seconds of reading and matching are done on a snapshot; the draft is then written in
        # a transaction of its own (BEGIN IMMEDIATE), holding the write lock only that long,
        # which the request commits as usual (database/transaction.py).
        db.session.commit()
        draft = keep_draft(current_user, upload, analysis)
    except FileRefused as refused:
        roll_back()
        form.file.errors = [str(refused.message)]
        return _upload_page(form, refused.status)
    except MissingColumns as missing:
        roll_back()
        form.file.errors = [_("Chưa nhận ra cột bắt buộc: %(columns)s. Hãy chọn cột tương ứng trong tệp bên dưới, chọn lại tệp rồi gửi.",
                              columns=", ".join(str(BY_FIELD[m].label) for m in missing.missing))]
        return _upload_page(form, 422, missing=missing, by_field=BY_FIELD)
    except ImportBusy as busy:
        roll_back()
        if busy.draft is None:  # the other upload has not committed yet
            form.form_errors.append(_("Một danh sách khác đang được tải lên cùng lúc. Hãy đợi một lát rồi tải lại trang."))
        return _upload_page(form, 409, busy=busy.draft)
    except RuleViolation as violation:
        roll_back()
        show_violation(form, violation)
        return _upload_page(form, 422)
    return redirect(url_for("imports.preview", draft_id=draft.id))


def _load_draft(draft_id: int) -> ImportDraft:
    draft = db.session.get(ImportDraft, draft_id)
    if draft is None:
        abort(404)
    return draft


def _people(rows: list[dict]) -> dict[int, tuple[Employee, str]]:
    ids = {int(r["employee_id"]) for r in rows if r["employee_id"]} | {int(i) for r in rows for i in r["candidates"]}
    found = db.session.execute(
        select(Employee, Unit.name).outerjoin(Unit, Unit.id == Employee.unit_id).where(Employee.id.in_(ids))
    ) if ids else []
    return {employee.id: (employee, unit or "") for employee, unit in found}


@bp.route("/<id:draft_id>")
@admin_required
def preview(draft_id: int) -> tuple[str, int]:
    draft = _load_draft(draft_id)
    state = request.args.get("state") if request.args.get("state") in STATES else None
    rows = [r for r in draft.rows if state is None or r["state"] == state]
    return render_template(
        "imports/preview.html", draft=draft, rows=rows, state=state, states=STATES,
        people=_people(rows), form=ConfirmForm(), earlier=earlier_imports(draft),
        choosable=choosable,
    ), 200


@bp.route("/<id:draft_id>/confirm", methods=["POST"])
@admin_required
def confirm(draft_id: int) -> Response | tuple[str, int]:
    draft = db.session.get(ImportDraft, draft_id)
    if draft is None:
        return _gone()
    try:
        choices = posted_choices(request.form, [r for r in draft.rows if choosable(r)])
        record = confirm_import(current_user, draft_id, choices, today=local_today(), address=client_address())
    except Forged:
        roll_back()
        abort(400)
    except ImportBusy:
        roll_back()
        return _gone()
    flash(_("Đã nhập danh sách: %(notices)d thông báo, %(cases)d hồ sơ.",
            notices=record.counts["notices"], cases=record.counts["cases"]), "success")
    return redirect(url_for("imports.record", import_id=record.id))


def _gone() -> tuple[str, int]:
    form = ImportForm()
    _prepare(form)
    form.form_errors.append(_("Danh sách này đã được xác nhận hoặc huỷ (có thể ở một cửa sổ khác). Không có gì được ghi thêm."))
    return _upload_page(form, 409)


@bp.route("/<id:draft_id>/discard", methods=["POST"])
@admin_required
def discard(draft_id: int) -> Response | tuple[str, int]:
    try:
        discard_import(current_user, draft_id)
    except ImportBusy:
        roll_back()
        return _gone()
    flash(_("Đã huỷ danh sách chờ xác nhận; không có thông báo nào được ghi."), "success")
    return redirect(url_for("imports.new"))


@bp.route("/record/<id:import_id>")
@admin_required
def record(import_id: int) -> str:
    made = db.session.get(NoticeImport, import_id)
    if made is None:
        abort(404)
    notices = db.session.scalars(
        select(Notice)
        .join(notice_import_notice, notice_import_notice.c.notice_id == Notice.id)
        .where(notice_import_notice.c.import_id == made.id)
        .order_by(Notice.id)
        .options(joinedload(Notice.employee), joinedload(Notice.unit), selectinload(Notice.cases))
    ).unique().all()
    return render_template("imports/record.html", made=made, notices=notices)


@bp.route("/template.xlsx")
@admin_required
def template() -> Response:
    return send_file(
        io.BytesIO(template_xlsx()), as_attachment=True,
        download_name="mau-danh-sach-nop-ho-so-truc-tiep.xlsx",
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@bp.errorhandler(RequestEntityTooLarge)
def too_large(_error: RequestEntityTooLarge) -> tuple[str, int]:
    form = ImportForm(formdata=None)
    _prepare(form)
    form.file.errors = [_("Tệp lớn hơn 10 MB; hãy chia danh sách thành nhiều tệp.")]
    return _upload_page(form, 413)
