"""/compliance/report (page, Word file, the month's notes) and /admin/report-settings."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..access import admin_required
from ..compliance.span import first_month
from ..compliance.views import requested_month as compliance_month
from ..database.read_only import read_only
from ..downloads import Download, audited_download
from ..errors import render_error
from ..months import MonthError, current_month, last_closed_month
from ..submit import submit
from . import settings as service
from .content import NATION, monthly_report
from .docx import DOCX_MIMETYPE, report_docx
from .forms import MAX_POSITION, MonthNotesForm, SettingsForm, read_positions

bp = Blueprint("reports", __name__)


@bp.app_context_processor
def agency() -> dict[str, object]:
    # Every page's header names the agency as the admin set it.
    return {"agency_name": service.agency_name()}


@bp.context_processor
def months() -> dict[str, object]:
    # What the month picker (compliance/_macros.html) offers.
    return {"current_month": current_month(), "earliest_month": first_month()}


@bp.errorhandler(MonthError)
def bad_month(error: MonthError):
    return render_error(400, str(error))


def requested_month():
    """?month=, by default the last month that has ended (a report is about a closed month),
    or the first month with figures if that is later."""
    return compliance_month(default=max(last_closed_month(), first_month()))


def _report_page(month, form: MonthNotesForm, notes, status: int = 200):
    return render_template(
        "reports/monthly.html", report=monthly_report(month, notes), month=month, form=form,
        NATION=NATION,
    ), status


@bp.route("/compliance/report")
@read_only
@admin_required
def monthly():
    month = requested_month()
    notes = service.month_notes(month)
    return _report_page(month, MonthNotesForm(obj=notes), notes)


@bp.route("/compliance/report/notes", methods=["POST"])
@admin_required
def save_notes():
    month = requested_month()
    form = MonthNotesForm()
    actor = current_user._get_current_object()
    result = submit(form, lambda: service.save_month_notes(actor, month, form.data))
    if isinstance(result, int):
        return _report_page(month, form, service.month_notes(month), result)
    flash(_("Đã lưu nội dung báo cáo tháng %(month)s.", month=month.label), "success")
    return redirect(url_for("reports.monthly", month=month.iso))


@bp.route("/compliance/report.docx")
@audited_download
@admin_required
def monthly_docx() -> Download:
    month = requested_month()
    data = report_docx(monthly_report(month, service.month_notes(month)))
    return Download(data, f"bao-cao-vneid-{month.iso}.docx", DOCX_MIMETYPE)


def _settings_page(form: SettingsForm, status: int = 200, wrong_positions: tuple[int, ...] = ()):
    units = service.units_in_report_order()
    positions = service.unit_positions()
    return render_template(
        "reports/settings.html", form=form, units=units, positions=positions,
        wrong_positions=wrong_positions, max_position=MAX_POSITION,
    ), status


@bp.route("/admin/report-settings", methods=["GET", "POST"])
@admin_required
def settings():
    if request.method == "GET":
        return _settings_page(SettingsForm(obj=service.report_settings()))
    form = SettingsForm()
    actor = current_user._get_current_object()
    result = submit(form, lambda: service.save_settings(actor, form.data))
    if isinstance(result, int):
        return _settings_page(form, result)
    flash(_("Đã lưu cài đặt báo cáo."), "success")
    return redirect(url_for("reports.settings"))


@bp.route("/admin/report-settings/unit-order", methods=["POST"])
@admin_required
def unit_order():
    units = service.units_in_report_order()
    positions, wrong = read_positions(request.form, [unit.id for unit in units])
    if wrong:
        flash(_("Thứ tự phải là số nguyên từ 1 đến %(max)s.", max=MAX_POSITION), "error")
        return _settings_page(SettingsForm(obj=service.report_settings()), 422, tuple(wrong))
    service.save_unit_order(current_user._get_current_object(), positions)
    flash(_("Đã lưu thứ tự đơn vị trong báo cáo."), "success")
    return redirect(url_for("reports.settings") + "#unit-order")
