"""/unit: the head's own unit; /unit/<id>: any unit, for an admin."""
from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_login import current_user

from ..access import head_required, load_unit_for
from ..notices.queries import open_counts
from .queries import unit_roster

bp = Blueprint("units", __name__)


@bp.route("/unit")
@head_required
def own_unit() -> str:
    if current_user.unit_id is None:
        abort(404)
    return show(current_user.unit_id)


@bp.route("/unit/<id:unit_id>")
@head_required
def show(unit_id: int) -> str:
    unit = load_unit_for(current_user, unit_id)
    roster = unit_roster(unit)
    only_missing = request.args.get("filter") == "not_compliant"
    shown = [s for s in roster.staff if not s.compliant] if only_missing else roster.staff
    return render_template(
        "units/show.html",
        roster=roster,
        shown=shown,
        only_missing=only_missing,
        notice_counts=open_counts(unit.id),
    )
