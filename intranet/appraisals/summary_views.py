"""The rating meeting's summary page (printable in the Decree 30 layout) and its XLSX file."""
from __future__ import annotations

from flask import abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..access import can_see_summary, proposes_on_leaders, summary_reader_required
from ..clock import local_today
from ..compliance.decree30 import decree30_date
from ..compliance.exports import XLSX_MIMETYPE
from ..extensions import db
from ..ids import id_arg
from ..models import PeriodKind, Unit
from ..reports.settings import agency_names
from ..database.read_only import read_only
from ..downloads import Download, audited_download
from . import bp
from .periods import Period, offered_periods
from .summary import Summary, rating_summary
from .summary_export import summary_xlsx
from .summary_rows import summary_rows


def requested_summary() -> Summary:
    """The period and unit the query string asks for: 400 if unreadable, 404/403 for a unit."""
    today = local_today()
    periods = offered_periods(today)
    text = request.args.get("period")
    period = Period.parse(text) if text else Period(PeriodKind.YEAR, today.year)
    if period is None or period not in periods:
        abort(400)
    if request.args.get("unit"):  # empty: the form's "whole sub-department"
        unit_id = id_arg("unit")
        unit = (db.session.get(Unit, unit_id) if unit_id is not None else None) or abort(404)
    else:
        # A head's own unit; the admin and the leadership start with the whole sub-department.
        unit = None if proposes_on_leaders(current_user) else db.session.get(Unit, current_user.unit_id)
    if not can_see_summary(current_user, unit):
        abort(403)
    return rating_summary(period, unit)


def scope_of(summary: Summary) -> str:
    return summary.unit.name if summary.unit is not None else _("Toàn Chi cục")


@bp.route("/appraisals/summary")
@read_only
@summary_reader_required
def summary() -> str:
    result = requested_summary()
    units = db.session.scalars(
        select(Unit).where(Unit.active.is_(True)).order_by(Unit.sort_key)
    ).all() if proposes_on_leaders(current_user) else []
    return render_template(
        "appraisals/summary.html", summary=result, totals=result.totals, scope=scope_of(result),
        periods=offered_periods(local_today()), units=units, issued=decree30_date(local_today()),
        # The names the admin set for printed documents (intranet/reports/settings.py).
        agency=agency_names(),
        # The words of the rows translated once, not once per row.
        rows=summary_rows(result, _("Số %(ref)s ngày %(date)s"), _("%(n)s hồ sơ"), _("Chờ xem xét")),
    )


@bp.route("/appraisals/summary.xlsx")
@audited_download
@summary_reader_required
def summary_file() -> Download:
    result = requested_summary()
    return Download(summary_xlsx(result, scope_of(result)), f"tong-hop-de-xuat-{result.period.value}.xlsx",
                    XLSX_MIMETYPE, action="summary.export",
                    details={"unit_id": result.unit.id if result.unit else None})
