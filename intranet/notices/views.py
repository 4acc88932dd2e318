"""Notice pages: the unit's list, recording a notice, reading it, correcting it; a person's records."""
from __future__ import annotations


from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from ..access import (
    can_act_for_unit,
    can_act_on_person,
    head_or_admin_required,
    load_record_for,
    load_staff_member_to_act_on,
    load_unit_for,
    staff_member_for,
    unit_head_required,
)
from ..categories import CATEGORIES
from ..database.read_only import read_only
from ..errors import render_error
from ..explanations import service as explanations
from ..extensions import db
from ..ids import MAX_ID, id_arg
from ..models import Employee, IssuingBody, Notice
from ..months import MonthError, parse_month
from ..submit import FORGED, INVALID, form_problem, record_as_head
from . import bp, queries
from .forms import CHOOSE, NoticeCorrectionForm, NoticeForm, TooManyCases
from .service import CaseDraft, NoticeDraft, record_notice, too_many_cases


@bp.errorhandler(TooManyCases)
def refuse_too_many_cases(_error: TooManyCases) -> tuple[str, int]:
    return render_error(413, str(too_many_cases()))


def unit_staff(unit_id: int) -> list[Employee]:
    return list(
        db.session.scalars(
            select(Employee)
            .where(Employee.unit_id == unit_id, Employee.active.is_(True))
            .order_by(Employee.sort_key)
        )
    )


def guard_posted_staff(form: NoticeForm) -> None:
    """An id typed into the form body gets the same answer as one typed into a URL."""
    for raw in form.employee_id.raw_data or []:
        if raw == "":
            continue  # "choose": the form will ask for a choice
        if not (raw.isascii() and raw.isdigit() and int(raw) <= MAX_ID):
            abort(FORGED)
        employee = db.session.get(Employee, int(raw))
        if employee is not None and not can_act_for_unit(current_user, employee.unit_id):
            abort(403)


def prepare_notice_form(form: NoticeForm) -> dict[int, Employee]:
    # Not themselves, nor another head: notices about heads go to the admin (access.routed_to_admin).
    staff = [e for e in unit_staff(current_user.unit_id) if can_act_on_person(current_user, e)]
    form.employee_id.choices = [SelectChoice("", CHOOSE)] + [SelectChoice(e.id, e.full_name) for e in staff]
    bodies = db.session.scalars(
        select(IssuingBody).where(IssuingBody.active.is_(True)).order_by(IssuingBody.sort_key)
    ).all()
    form.issuing_body_id.choices = [SelectChoice("", CHOOSE)] + [SelectChoice(b.id, b.name) for b in bodies]
    return {e.id: e for e in staff}


def notice_draft(form: NoticeForm, staff: dict[int, Employee]) -> tuple[NoticeDraft, list[int]]:
    """The draft the form describes, and for each draft case the form row it came from."""
    rows = [i for i, entry in enumerate(form.cases.entries) if not entry.form.is_blank()]
    cases = [
        CaseDraft(
            procedure_name=entry.procedure_name.data or "",
            procedure_code=entry.procedure_code.data,
            dossier_code=entry.dossier_code.data or "",
            filed_on=entry.filed_on.data,
            receiving_officer=entry.receiving_officer.data or "",
        )
        for entry in (form.cases.entries[i].form for i in rows)
    ]
    draft = NoticeDraft(
        employee=staff[form.employee_id.data],
        issuing_body=db.session.get(IssuingBody, form.issuing_body_id.data),
        reference_number=form.reference_number.data or "",
        notice_date=form.notice_date.data,
        cases=cases,
        note=form.note.data,
    )
    return draft, rows


def save_notice(form: NoticeForm, staff: dict[int, Employee], corrects: Notice | None = None) -> Notice | int:
    """Validate and record; the saved notice, or the HTTP status to re-show the form with."""
    problem = form_problem(form)
    if problem:
        return problem
    draft, rows = notice_draft(form, staff)

    def form_row(field: str) -> str:
        if not field.startswith("cases."):
            return field
        _, index, name = field.split(".")
        return f"cases.{rows[int(index)]}.{name}"

    return record_as_head(form, record_notice, draft, corrects, form_row)


def notice_form_page(form: NoticeForm, template: str, status: int, **context) -> tuple[str, int]:
    if len(form.cases.entries) < 2 and request.method == "GET":
        form.cases.append_entry()
    return render_template(template, form=form, **context), status


@bp.route("/notices")
@read_only
@head_or_admin_required
def index() -> str:
    unit_id = id_arg("unit") if "unit" in request.args else current_user.unit_id
    if unit_id is None:
        abort(404)
    unit = load_unit_for(current_user, unit_id)
    try:
        month = parse_month(request.args["month"]) if request.args.get("month") else None
    except MonthError:
        abort(400)
    status = request.args.get("status") if request.args.get("status") in ("open", "decided") else None
    rows = queries.unit_notices(unit.id, month=month, status=status)
    return render_template("notices/index.html", unit=unit, rows=rows, month=month, status=status)


@bp.route("/notices/new", methods=["GET", "POST"])
@unit_head_required
def new() -> Response | tuple[str, int]:
    form = NoticeForm()
    guard_posted_staff(form)
    staff = prepare_notice_form(form)
    status = 200
    if request.method == "GET" and "employee" in request.args:
        chosen = id_arg("employee")
        form.employee_id.data = load_staff_member_to_act_on(current_user, chosen).id
    if request.method == "POST":
        if form.add_case.data:
            status = 200 if form.add_case_row() else INVALID
        else:
            result = save_notice(form, staff)
            if isinstance(result, Notice):
                flash(_("Đã ghi nhận thông báo."), "success")
                return redirect(url_for("notices.show", notice_id=result.id))
            status = result
    return notice_form_page(form, "notices/form.html", status)


@bp.route("/notices/<id:notice_id>")
@login_required
def show(notice_id: int) -> str:
    notice = load_record_for(current_user, Notice, notice_id)
    return render_template(
        "notices/show.html",
        notice=notice,
        row=queries.notice_row(notice),
        correction=queries.corrections_of(Notice, notice.id),
        decisions=queries.decisions_on(notice),
        explanation=explanations.explanation_of(notice),
    )


@bp.route("/notices/<id:notice_id>/correct", methods=["GET", "POST"])
@unit_head_required
def correct(notice_id: int) -> Response | tuple[str, int]:
    original = load_record_for(current_user, Notice, notice_id, write=True)
    if request.method == "GET":
        form = NoticeCorrectionForm(obj=original, employee_id=original.employee_id)
    else:
        form = NoticeCorrectionForm()
        guard_posted_staff(form)
    staff = prepare_notice_form(form)
    status = 200
    if request.method == "POST":
        if form.add_case.data:
            status = 200 if form.add_case_row() else INVALID
        else:
            result = save_notice(form, staff, corrects=original)
            if isinstance(result, Notice):
                flash(_("Đã lưu bản đính chính; bản cũ vẫn được giữ lại."), "success")
                return redirect(url_for("notices.show", notice_id=result.id))
            status = result
    return notice_form_page(form, "notices/form.html", status, original=original)


@bp.route("/staff/<id:employee_id>")
@read_only
@login_required
def person(employee_id: int) -> str:
    """Everything recorded about one person: for them, their unit's head and admins."""
    employee, notices, appraisals = queries.person_and_notices(employee_id)
    employee = staff_member_for(current_user, employee)
    return render_template(
        "notices/person.html",
        employee=employee,
        notices=notices,
        appraisals=appraisals,
        unit=employee.unit,
        categories=CATEGORIES,
    )
