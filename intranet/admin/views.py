"""/admin: the staff the directory gives, and running the directory sync from the web."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from ..access import admin_required
from ..directory import current_directory
from ..directory.sync import sync_people
from ..extensions import db
from .queries import last_sync, units_with_staff

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
    )


@bp.route("/directory/sync", methods=["POST"])
@admin_required
def run_sync() -> Response:
    # CSRFProtect has already checked the form's token.
    summary = sync_people(current_directory().people(), actor=current_user._get_current_object())
    db.session.commit()
    s = summary.as_dict()
    flash(
        _(
            "Đã đồng bộ danh bạ: %(seen)s cán bộ; thêm %(added)s, cập nhật %(updated)s, "
            "ngừng hoạt động %(deactivated)s.",
            **s,
        ),
        "success",
    )
    return redirect(url_for("admin.overview"))
