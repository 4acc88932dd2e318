"""The staff member's explanation page: the notice, then the form or why there is none."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from ..access import can_explain, record_for
from ..audit import client_address
from ..clock import local_today
from ..database.read_only import read_only_unless_posted
from ..submit import submit
from .forms import ExplanationForm
from .service import explanation_state, notice_with_state, refusal_given, submit_explanation

bp = Blueprint("explanations", __name__)


@bp.route("/notices/<id:notice_id>/explanation", methods=["GET", "POST"])
@read_only_unless_posted  # showing the form only reads: no SQLite write lock, no PostgreSQL BEGIN
@login_required
def explain(notice_id: int) -> Response | tuple[str, int]:
    # With what the page shows of it and its explanation's state: one statement, not two.
    notice, explanation, still_open = notice_with_state(notice_id)
    notice = record_for(current_user, notice)
    if not can_explain(current_user, notice):
        abort(403)
    form = ExplanationForm()
    status = 200
    if request.method == "POST":
        result = submit(form, lambda: submit_explanation(
            current_user, notice, form.text.data, today=local_today(), address=client_address()
        ))
        if not isinstance(result, int):
            flash(_("Đã gửi giải trình. Thủ trưởng sẽ xem trước khi đề xuất."), "success")
            return redirect(url_for("main.home"))
        status = result
        # A refused post: show the state its own checks saw (the one read above may be older).
        explanation, still_open = explanation_state(notice)
    return render_template(
        "explanations/form.html", form=form, notice=notice, explanation=explanation,
        refusal=refusal_given(notice, explanation, still_open, local_today()),
    ), status
