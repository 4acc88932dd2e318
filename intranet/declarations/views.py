"""/declaration: the employee declares their own VNeID status and sees their history."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from ..audit import client_address
from ..clock import local_today
from . import service
from .forms import DeclarationForm
from ..submit import submit
from .rules import NOT_DECLARED, SHORT_LABELS, STATUS_LABELS

bp = Blueprint("declarations", __name__)


@bp.route("/declaration", methods=["GET", "POST"])
@login_required
def declare() -> Response | tuple[str, int]:
    # Always the signed-in employee: no id in the URL or the form can point elsewhere.
    employee = current_user._get_current_object()
    form = DeclarationForm()
    history = service.history(employee)
    status = 200
    if request.method == "GET" and history:
        # An update starts from what stands; the commitment is given anew each time.
        form.status.data = history[0].status
        form.activated_on.data = history[0].activated_on
    if request.method == "POST":
        result = submit(form, lambda: service.declare(
            employee,
            status=form.status.data,
            activated_on=form.activated_on.data,
            committed=form.committed.data,
            note=form.note.data,
            today=local_today(),
            address=client_address(),
        ), forged_message=_("Tình trạng tài khoản không nằm trong danh sách."))
        if not isinstance(result, int):
            flash(_("Đã ghi nhận kê khai của bạn."), "success")
            return redirect(url_for("main.home"))
        status = result
    return (
        render_template("declarations/form.html", form=form, history=history),
        status,
    )


@bp.app_context_processor
def status_labels() -> dict[str, object]:
    return {"STATUS_LABELS": STATUS_LABELS, "SHORT_LABELS": SHORT_LABELS,
            "NOT_DECLARED": NOT_DECLARED, "SHORT_LABEL_WORDS": short_label_words}


def short_label_words() -> dict[str, str]:
    """SHORT_LABELS in the current language, for a list that shows one in every row."""
    return {status: str(label) for status, label in SHORT_LABELS.items()}
