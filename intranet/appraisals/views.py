"""Appraisal pages: recording a head's proposal on a person's notices, reading and correcting it."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from ..access import decision_maker_required, load_record_for, load_staff_member_to_act_on
from ..clock import local_today
from ..explanations import service as explanations
from ..extensions import db
from ..ids import id_arg, id_args
from ..models import Appraisal, AppraisalOutcome, Employee
from ..notices import queries
from ..notices.forms import CHOOSE
from ..notices.service import open_notices
from ..submit import form_problem, record_as_head
from . import bp
from .forms import AppraisalCorrectionForm, AppraisalForm
from .periods import Period, offered_periods, period_of
from .responses import offered_responses
from .service import AppraisalDraft, record_appraisal


def prepare_appraisal_form(form: AppraisalForm, employee: Employee, corrects: Appraisal | None) -> dict:
    notices = open_notices(employee, also_decided_by=corrects)
    form.notice_ids.choices = [
        SelectChoice(n.id, _("Số %(ref)s ngày %(date)s", ref=n.reference_number, date=n.notice_date.strftime("%d/%m/%Y")))
        for n in notices
    ]
    periods = offered_periods(local_today())
    if corrects is not None:
        original = period_of(corrects.period_kind, corrects.period_year, corrects.period_number)
        if original not in periods:
            periods.append(original)
    # No period chosen for the head: the current month is a guess a slip would keep.
    form.period.choices = [SelectChoice("", CHOOSE)] + [SelectChoice(p.value, p.label()) for p in periods]
    outcomes = offered_responses(employee, local_today())
    form.outcome_id.choices = [SelectChoice("", CHOOSE)] + [SelectChoice(o.id, o.label) for o in outcomes]
    return {n.id: n for n in notices}


def save_appraisal(
    form: AppraisalForm, employee: Employee, notices: dict, corrects: Appraisal | None = None
) -> Appraisal | int:
    problem = form_problem(form)
    if problem:
        return problem
    draft = AppraisalDraft(
        employee=employee,
        notices=[notices[i] for i in form.notice_ids.data or []],
        period=Period.parse(form.period.data or ""),
        outcome=db.session.get(AppraisalOutcome, form.outcome_id.data),
        rationale=form.rationale.data or "",
    )
    return record_as_head(form, record_appraisal, draft, corrects)


@bp.route("/appraisals/new", methods=["GET", "POST"])
@decision_maker_required
def new() -> Response | tuple[str, int]:
    employee = load_staff_member_to_act_on(current_user, id_arg("employee"))
    form = AppraisalForm()
    notices = prepare_appraisal_form(form, employee, None)
    status = 200
    if request.method == "GET":
        chosen = id_args("notice")
        form.notice_ids.data = [i for i in chosen if i in notices]
    else:
        result = save_appraisal(form, employee, notices)
        if isinstance(result, Appraisal):
            flash(_("Đã ghi nhận đề xuất."), "success")
            return redirect(url_for("appraisals.show", appraisal_id=result.id))
        status = result
    return render_template("appraisals/form.html", form=form, employee=employee,
                           explanations=explanations.explanations_for(list(notices))), status


@bp.route("/appraisals/<id:appraisal_id>")
@login_required
def show(appraisal_id: int) -> str:
    appraisal = load_record_for(current_user, Appraisal, appraisal_id)
    return render_template(
        "appraisals/show.html",
        appraisal=appraisal,
        period=period_of(appraisal.period_kind, appraisal.period_year, appraisal.period_number),
        correction=queries.corrections_of(Appraisal, appraisal.id),
    )


@bp.route("/appraisals/<id:appraisal_id>/correct", methods=["GET", "POST"])
@decision_maker_required
def correct(appraisal_id: int) -> Response | tuple[str, int]:
    original = load_record_for(current_user, Appraisal, appraisal_id, write=True)
    employee = original.employee
    form = AppraisalCorrectionForm()
    notices = prepare_appraisal_form(form, employee, original)
    status = 200
    if request.method == "GET":
        form.notice_ids.data = [n.id for n in original.notices if n.id in notices]
        form.period.data = period_of(original.period_kind, original.period_year, original.period_number).value
        form.outcome_id.data = original.outcome_id
        form.rationale.data = original.rationale
    else:
        result = save_appraisal(form, employee, notices, corrects=original)
        if isinstance(result, Appraisal):
            flash(_("Đã lưu bản đính chính; bản cũ vẫn được giữ lại."), "success")
            return redirect(url_for("appraisals.show", appraisal_id=result.id))
        status = result
    return (
        render_template("appraisals/form.html", form=form, employee=employee, original=original,
                        explanations=explanations.explanations_for(list(notices))),
        status,
    )
