"""The home page (what each role does first) and the language choice."""
from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, session
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from ..auth.views import safe_next
from ..clock import local_today
from ..database.read_only import read_only
from ..models import utcnow
from .records import own_records

bp = Blueprint("main", __name__)


@bp.route("/")
@read_only  # the most visited page: on SQLite it does not queue for the write lock
@login_required
def home() -> str:
    today = local_today()
    own = own_records(current_user, utcnow(), today, current_app.config["REMINDERS_PENDING_DAYS"])
    return render_template(
        "main/home.html",
        employee=current_user,
        declaration=own.declaration,
        notices=own.notices,
        explanations=own.explanations,
        today=today,
        appraisals=own.appraisals,
        reminders=own.reminders,
    )


@bp.route("/language", methods=["POST"])
def set_language() -> Response:
    lang = request.form.get("lang", "")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
        if current_user.is_authenticated and current_user.language != lang:
            # Kept on the person, so that the email reminders reach them in it too.
            current_user.language = lang
    return redirect(safe_next(request.form.get("next")))
