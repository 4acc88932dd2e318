"""/login and /logout."""
from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from ..directory import InvalidCredentials
from ..directory.demo import ROLE_LABELS, demo_accounts
from ..extensions import limiter
from .forms import LoginForm
from .service import sign_in, sign_out

bp = Blueprint("auth", __name__)


def safe_next(target: str | None) -> str:
    """A same-site path to go to after sign-in; anything else goes home."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("main.home")


def username_key() -> str:
    """The rate-limit key for a sign-in: the username as the directory would match it."""
    typed = request.form.get("username", "")
    return "login:" + unicodedata.normalize("NFKC", typed).strip().casefold()[:256]


def failed(response: Response) -> bool:
    return response.status_code != 302


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_USERNAME"],
    key_func=username_key,
    methods=["POST"],
    deduct_when=failed,
)
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"], methods=["POST"], deduct_when=failed
)
def login() -> Response | str | tuple[str, int]:
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        try:
            employee = sign_in(form.username.data, form.password.data)
        except InvalidCredentials:
            # The request still commits: the failed attempt's audit row is kept.
            form.form_errors.append(_("Tên đăng nhập hoặc mật khẩu không đúng."))
            status = 401
        else:
            next_url = safe_next(request.args.get("next"))
            # A language picked on the sign-in page is their latest choice; else their last
            # one. Kept on the person for the email reminders (the request commits it).
            lang = session.get("lang") or employee.language
            employee.language = lang
            session.clear()  # a fresh session at sign-in: no fixation
            if lang:
                session["lang"] = lang
            session.permanent = True
            login_user(employee)
            return redirect(next_url)
    elif request.method == "POST":
        status = 422
    accounts = demo_accounts() if current_app.config["DEMO_DIRECTORY"] else []
    return (
        render_template(
            "auth/login.html", form=form, demo_accounts=accounts, role_labels=ROLE_LABELS
        ),
        status,
    )


@bp.route("/logout", methods=["POST"])
@login_required
def logout() -> Response:
    sign_out(current_user._get_current_object())
    logout_user()
    session.clear()
    flash(_("Bạn đã đăng xuất."), "info")
    return redirect(url_for("auth.login"))
