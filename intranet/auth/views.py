"""/login and /logout."""
from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from ..directory import AccountRefused, InvalidCredentials
from ..directory.messages import SIGN_IN_REFUSALS
from ..directory.settings import DirectorySettings, login_name
from ..directory.demo import ROLE_LABELS, demo_accounts
from ..extensions import limiter
from .forms import LoginForm
from .service import sign_in, sign_out

bp = Blueprint("auth", __name__)


def _unprintable(character: str) -> bool:
    # Controls (CR, LF, tab, NUL), format characters and the Unicode line and paragraph
    # separators: no real path has them, and a redirect would copy them into its header.
    return unicodedata.category(character) in ("Cc", "Cf", "Zl", "Zp")


def safe_next(target: str | None) -> str:
    """A same-site path to go to after sign-in; anything else goes home.

    The raw string is checked, not only what `urlsplit` sees: it drops tabs, CR and LF
    before parsing, so "/" + CR LF + "X-Injected: 1" would pass as a path, then break
    the Location header.
    """
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
        and not any(_unprintable(c) for c in target)
    ):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("main.home")


def username_key() -> str:
    """The rate-limit key for a sign-in: the account as the directory would match it.

    "dathv", "KIEMLAM\\dathv" and "dathv@kiemlam.gov.vn" are one account: one count.
    """
    typed = unicodedata.normalize("NFKC", request.form.get("username", ""))[:256]
    name = login_name(typed, DirectorySettings.from_config(current_app.config))
    return "login:" + (name.key if name is not None else typed.strip().casefold())


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
        except AccountRefused as refused:
            # The request still commits: the audit row keeps the directory's reason.
            form.form_errors.append(str(SIGN_IN_REFUSALS[refused.reason]))
            status = 403
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
