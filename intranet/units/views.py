"""/unit: the head's own unit; /unit/<id>: any unit, for an admin."""
from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_login import current_user

from ..access import head_or_admin_required, load_unit_for
from ..database.read_only import read_only
from ..months import current_month
from .staff import staff_and_notices

bp = Blueprint("units", __name__)


# Both only read: no SQLite write lock, no PostgreSQL BEGIN and COMMIT (database/read_only.py).
@bp.route("/unit")
@read_only
@head_or_admin_required
def own_unit() -> str:
    if current_user.unit_id is None:
        abort(404)
    return unit_page(current_user.unit_id)


@bp.route("/unit/<id:unit_id>")
@read_only
@head_or_admin_required
def show(unit_id: int) -> str:
    return unit_page(unit_id)


def unit_page(unit_id: int) -> str:
    unit = load_unit_for(current_user, unit_id)
    # Today's staff: the same question, and answer, as the compliance pages' current month.
    staff, notice_counts = staff_and_notices(current_month(), unit.id)
    level2 = sum(1 for line in staff if line.compliant)
    only_missing = request.args.get("filter") == "not_compliant"
    shown = [line for line in staff if not line.compliant] if only_missing else staff
    return render_template(
        "units/show.html",
        unit=unit,
        staff=staff,
        level2=level2,
        percent=100 * level2 / len(staff) if staff else 0.0,
        shown=shown,
        only_missing=only_missing,
        notice_counts=notice_counts,
    )
