"""/compliance: the admin's per-unit table for a month, each unit's people, report and files."""
from __future__ import annotations

import io

from flask import Blueprint, render_template, request, send_file
from flask_babel import gettext as _
from flask_babel import get_locale, lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from ..access import admin_required, load_unit_for
from ..errors import render_error
from ..database.read_only import read_only
from . import exports
from .downloads import record_download
from .cells import FigureCells, UnitPages
from .chart import percent_chart
from .labels import COLUMNS, NO_UNIT, STAFF_FILTER_LABELS, WHOLE, figure_columns, unit_name
from ..months import Month, MonthError, current_month, parse_month
from .figures import unit_compliance, unit_figures
from .history import compliance_history, units_in
from .records import unit_decisions, unit_notices
from .results import STAFF_FILTERS, STATUS_GROUPS
from .sorting import SORTABLE, Sort
from .staff import non_compliant_staff, unit_staff
from .span import first_month

bp = Blueprint("compliance", __name__)

# Months the chart covers, ending with the month shown.
CHART_MONTHS = 12


@bp.errorhandler(MonthError)
def bad_month(error: MonthError):
    return render_error(400, str(error))


@bp.context_processor
def shared() -> dict[str, object]:
    columns = figure_columns()
    return {
        # Resolved once per page: a table shows each column's label in every row.
        "COLUMNS": {name: str(label) for name, label in COLUMNS.items()},
        "FIGURE_COLUMNS": columns,
        "table_cells": FigureCells(columns, str(get_locale())),
        "unit_pages": UnitPages,
        "STATUS_GROUPS": STATUS_GROUPS,
        "NO_UNIT": NO_UNIT,
        "WHOLE": WHOLE,
        "current_month": current_month(),
        "earliest_month": first_month(),
    }


def requested_month(default: Month | None = None) -> Month:
    """?month= (by default `default`, or the current month), refused before the figures begin."""
    month = parse_month(request.args.get("month"), default)
    if month < first_month():
        raise MonthError(
            _l("Chưa có số liệu cho tháng %(month)s: số liệu có từ tháng %(first)s, khi danh bạ "
               "được đồng bộ lần đầu.", month=month.label, first=first_month().label)
        )
    return month


def chart_months(month: Month) -> list[Month]:
    """The months a chart ending with `month` covers: none before the figures begin."""
    return [m for m in month.back(CHART_MONTHS) if m >= first_month()]


def requested_sort() -> Sort:
    return Sort.parse(request.args.get("sort"))


@bp.route("/compliance")
@read_only
@admin_required
def table() -> str:
    sort = requested_sort()
    table = unit_compliance(requested_month(), sort)
    return render_template("compliance/table.html", table=table, sort=sort, sortable=SORTABLE)


@bp.route("/compliance/trend")
@read_only
@admin_required
def trend() -> str:
    """The level-2 share month by month: the whole sub-department's chart, every unit's line
    in figures. Its own page: the history costs more than the month's table it comes from."""
    month = requested_month()
    history = compliance_history(chart_months(month))
    whole = (str(WHOLE), history.total)
    units = [(unit.name, history.of(unit.id)) for unit in units_in(history)]
    if None in history.by_unit:
        units.append((str(NO_UNIT), history.of(None)))
    return render_template(
        "compliance/trend.html", month=month, trend=[whole, *units], chart=percent_chart([whole])
    )


@bp.route("/compliance/unit/<id:unit_id>")
@bp.route("/compliance/unit/none", defaults={"unit_id": None})
@read_only
@admin_required
def unit(unit_id: int | None) -> str:
    """One unit's people behind each figure; /none: staff the directory puts in no unit."""
    month = requested_month()
    unit = load_unit_for(current_user, unit_id) if unit_id is not None else None
    group = request.args.get("status")
    group = group if group in STAFF_FILTERS else None
    history = compliance_history(chart_months(month))
    trend = [(unit_name(unit), history.of(unit_id)), (str(WHOLE), history.total)]
    return render_template(
        "compliance/unit.html",
        month=month,
        unit=unit,
        unit_id=unit_id,
        group=group,
        filters=STAFF_FILTER_LABELS,
        figures=unit_figures(month, unit_id),
        staff=unit_staff(month, unit_id, group),
        notices=unit_notices(month, unit_id) if unit_id is not None else None,
        decisions=unit_decisions(month, unit_id) if unit_id is not None else [],
        trend=trend,
        chart=percent_chart(trend),
    )


@bp.route("/compliance.xlsx")
@admin_required
def table_xlsx() -> Response:
    month = requested_month()
    table = unit_compliance(month, requested_sort())
    data = exports.compliance_xlsx(table, non_compliant_staff(month))
    return _download(data, exports.filename("tinh-hinh-thuc-hien-vneid", month, "xlsx"), exports.XLSX_MIMETYPE)


# ?variant=vi: the CSV for Excel with Vietnamese regional settings (';', decimal comma).
CSV_VARIANTS = {"": False, "vi": True}


class CsvVariantError(ValueError):
    pass


@bp.errorhandler(CsvVariantError)
def bad_variant(_error: CsvVariantError):
    return render_error(400, _("Kiểu tệp CSV không hợp lệ: chọn bản thường hoặc bản cho Excel tiếng Việt."))


def requested_csv_variant() -> tuple[bool, str]:
    """Whether the Vietnamese variant is asked for, and the suffix of its file name."""
    variant = (request.args.get("variant") or "").strip()
    if variant not in CSV_VARIANTS:
        raise CsvVariantError(variant)
    return CSV_VARIANTS[variant], f"-{variant}" if variant else ""


@bp.route("/compliance.csv")
@admin_required
def table_csv() -> Response:
    month = requested_month()
    vietnamese, suffix = requested_csv_variant()
    data = exports.compliance_csv(unit_compliance(month, requested_sort()), vietnamese)
    return _download(data, exports.filename("tinh-hinh-thuc-hien-vneid", month, "csv", suffix), exports.CSV_MIMETYPE)


@bp.route("/compliance-missing.csv")
@admin_required
def missing_csv() -> Response:
    month = requested_month()
    vietnamese, suffix = requested_csv_variant()
    data = exports.missing_csv(non_compliant_staff(month), vietnamese)
    return _download(data, exports.filename("chua-dat-vneid", month, "csv", suffix), exports.CSV_MIMETYPE)


def _download(data: bytes, name: str, mimetype: str) -> Response:
    record_download(current_user._get_current_object(), name)
    return send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=name)
