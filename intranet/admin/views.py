"""/admin: the staff the directory gives, the directory sync, issuing bodies, the responses a head
may propose and staff categories, the audit log."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from ..access import admin_required
from ..clock import local_today
from ..directory import DirectoryUnavailable, current_directory
from ..directory.messages import SECTIONS, item_detail, needs_confirmation, sync_failure
from ..directory.sync import (
    SyncAborted,
    SyncNeedsConfirmation,
    SyncPlan,
    apply_plan,
    plan_sync,
    record_failure,
)
from ..database import discard
from ..database.read_only import read_only_unless_posted
from ..errors import render_error
from ..extensions import db
from ..models import AppraisalOutcome, Employee, IssuingBody
from ..paging import requested_page
from ..submit import submit
from . import responses, service
from .forms import AuditFilterForm, CategoryForm, IssuingBodyForm, ResponseForm
from .queries import (
    all_responses,
    audit_actions,
    audit_events,
    issuing_bodies,
    last_sync,
    last_sync_failure,
    units_with_staff,
)

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/")
@admin_required
def overview() -> str:
    units = units_with_staff()
    return render_template(
        "admin/overview.html",
        units=units,
        total_staff=sum(u.staff for u in units),
        last_sync=last_sync(),
        sync_failure=last_sync_failure(),
    )


def _sync_stopped(error: Exception, reason: str) -> Response:
    """Nothing of the sync is kept but its audit row (the request commits it); the admin
    reads why on the overview."""
    discard()
    record_failure(current_user._get_current_object(), reason, error=str(error)[:500])
    flash(sync_failure(error), "error")
    return redirect(url_for("admin.overview"))


def _preview(plan: SyncPlan, status: int = 200, warning: str | None = None) -> tuple[str, int]:
    discard()  # a preview writes nothing
    max_share = current_app.config["LDAP_SYNC_MAX_LEAVERS"]
    return render_template(
        "admin/sync_preview.html",
        plan=plan,
        sections=SECTIONS,
        item_detail=item_detail,
        held=plan.needs_confirmation(max_share),
        warning=warning or (
            needs_confirmation(plan, max_share) if plan.needs_confirmation(max_share) else None
        ),
    ), status


@bp.route("/directory/sync", methods=["GET", "POST"])
@admin_required
def run_sync() -> Response | tuple[str, int]:
    """GET: the changes a sync would make. POST (CSRF checked): make them."""
    actor = current_user._get_current_object()
    try:
        plan = plan_sync(current_directory().people())
        if request.method == "GET":
            return _preview(plan)
        summary = apply_plan(
            plan,
            actor,
            max_share=current_app.config["LDAP_SYNC_MAX_LEAVERS"],
            confirm=request.form.get("confirm"),
        )
    except SyncNeedsConfirmation as held:
        return _preview(held.plan, 409)
    except SyncAborted as error:
        return _sync_stopped(error, error.reason)
    except DirectoryUnavailable as error:
        return _sync_stopped(error, "directory")
    s = summary.as_dict()
    flash(
        _(
            "Đã đồng bộ danh bạ: %(seen)s người; thêm %(added)s, cập nhật %(updated)s, "
            "ngừng hoạt động %(deactivated)s.",
            **s,
        ),
        "success",
    )
    return redirect(url_for("admin.overview"))


@bp.route("/issuing-bodies", methods=["GET", "POST"])
@admin_required
def bodies() -> Response | tuple[str, int]:
    form = IssuingBodyForm()
    status = 200
    if request.method == "POST":
        actor = current_user._get_current_object()
        result = submit(form, lambda: service.add_issuing_body(actor, form.name.data))
        if not isinstance(result, int):
            flash(_("Đã thêm cơ quan ban hành thông báo."), "success")
            return redirect(url_for("admin.bodies"))
        status = result
    return render_template("admin/issuing_bodies.html", form=form, bodies=issuing_bodies()), status


@bp.route("/issuing-bodies/<id:body_id>/active", methods=["POST"])
@admin_required
def set_body_active(body_id: int) -> Response:
    body = db.session.get(IssuingBody, body_id) or abort(404)
    active = request.form.get("active") == "1"
    service.set_issuing_body_active(current_user._get_current_object(), body, active)
    flash(_("Đã cập nhật danh sách cơ quan ban hành thông báo."), "success")
    return redirect(url_for("admin.bodies"))


@bp.route("/audit")
@admin_required
def audit_log() -> tuple[str, int]:
    form = AuditFilterForm(request.args)
    valid = form.validate()
    page = requested_page()
    events, more = audit_events(**form.filters(valid), page=page)
    return (
        render_template(
            "admin/audit.html", form=form, events=events, more=more, page=page, actions=audit_actions()
        ),
        200 if valid else 400,
    )


@bp.route("/responses", methods=["GET", "POST"])
@read_only_unless_posted  # the list only reads: no SQLite write lock, no PostgreSQL BEGIN/COMMIT
@admin_required
def responses_page() -> Response | tuple[str, int]:
    form = ResponseForm()
    status = 200
    if request.method == "POST":
        actor = current_user._get_current_object()
        result = submit(form, lambda: responses.add_response(
            actor, form.label.data, form.categories.data or [], form.valid_from.data, form.valid_to.data,
            form.points.data,
        ))
        if not isinstance(result, int):
            flash(_("Đã thêm nội dung đề xuất."), "success")
            return redirect(url_for("admin.responses_page"))
        status = result
    return render_template(
        "admin/responses.html", form=form, responses=all_responses(), today=local_today()
    ), status


@bp.route("/responses/<id:response_id>/retire", methods=["POST"])
@admin_required
def retire_response(response_id: int) -> Response:
    response = db.session.get(AppraisalOutcome, response_id) or abort(404)
    responses.retire_response(current_user._get_current_object(), response, local_today())
    flash(_("Đã ngừng áp dụng nội dung đề xuất; các đề xuất cũ vẫn giữ nguyên."), "success")
    return redirect(url_for("admin.responses_page"))


@bp.route("/staff/<id:employee_id>/category", methods=["POST"])
@admin_required
def set_category(employee_id: int) -> Response | tuple[str, int]:
    employee = db.session.get(Employee, employee_id) or abort(404)
    form = CategoryForm()
    result = submit(form, lambda: responses.set_category(
        current_user._get_current_object(), employee, form.category.data or None
    ))
    if isinstance(result, int):
        return render_error(result, form.category.errors[0] if form.category.errors else None)
    flash(_("Đã cập nhật đối tượng."), "success")
    return redirect(url_for("notices.person", employee_id=employee.id))
