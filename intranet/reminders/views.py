"""/admin/reminders: what would be sent, the button that sends it, and the record of sends."""
from __future__ import annotations

import sys

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from ..access import admin_required
from ..clock import local_today
from ..database.read_only import read_only
from ..models import utcnow
from ..paging import requested_page
from .describe import describe, reasons_for
from .forms import SendFilterForm, SendForm
from .labels import INTERRUPTED, REASONS, STATUSES, period_label
from .links import Links
from . import service
from ..extensions import db
from ..validation import RuleViolation
from .models import ReminderSend, SendStatus
from .queries import periods, sends, status_counts
from .overview import counted_preview
from .rows import recipient_rows
from .send import run
from .transport import SmtpTransport, retryable_for, transport_for

bp = Blueprint("reminders", __name__, url_prefix="/admin/reminders")
bp.add_app_template_filter(period_label, "reminder_period")

LISTED = 200  # recipients listed in the preview


def transport_port(config) -> int:
    return SmtpTransport(config).port


def overview_page(form: SendForm, status: int = 200) -> tuple[str, int]:
    config = current_app.config
    transport = transport_for(config, sys.stdout)
    preview = counted_preview(local_today(), utcnow(), retryable_for(transport), LISTED)
    links = Links(current_app._get_current_object())  # type: ignore[attr-defined]
    reasons = {reason: str(label) for reason, label in REASONS.items()}  # translated once
    page = render_template(
        "reminders/overview.html",
        items=preview.items,
        rows=recipient_rows(preview.items, reasons),
        more=max(preview.pending - LISTED, 0),
        # The page shows each sample's subject and text: the HTML part is left out.
        samples={reason: item.compose(links, html=False) for reason, item in preview.first.items()},
        form=form,
        reasons=reasons,
        summary=describe(preview.report),
        enabled=config["REMINDERS_ENABLED"],
        can_send=transport is not None,
        web_limit=config["REMINDERS_WEB_LIMIT"],
        mail_server=f"{config['MAIL_SERVER']}:{transport_port(config)}",
    )
    return page, status


@bp.route("/")
@read_only
@admin_required
def overview() -> tuple[str, int]:
    return overview_page(SendForm())


@bp.route("/send", methods=["POST"])
@admin_required
def send() -> Response | tuple[str, int]:
    form = SendForm()
    if not form.validate():
        return overview_page(form, 400)
    config = current_app.config
    transport = transport_for(config, sys.stdout)
    if transport is None:
        form.form_errors.append(_("Chưa bật gửi thư (REMINDERS_ENABLED): không gửi được."))
        return overview_page(form, 409)
    report = run(
        reasons_for(form.only.data or None),
        transport,
        today=local_today(),
        now=utcnow(),
        limit=config["REMINDERS_WEB_LIMIT"],
        actor=current_user._get_current_object(),
    )
    flash(" ".join(describe(report)), "error" if report.stopped else "success")
    return redirect(url_for("reminders.sent"))


@bp.route("/sent")
@admin_required
def sent() -> tuple[str, int]:
    return sent_page()


def sent_page(problem: str | None = None) -> tuple[str, int]:
    form = SendFilterForm(request.args)
    valid = form.validate()
    page = requested_page()
    filters = form.filters(valid)
    rows, more = sends(**filters, page=page)
    return (
        render_template(
            "reminders/sent.html", form=form, rows=rows, more=more, page=page,
            periods=periods(), counts=status_counts(filters["period"]),
            reasons=REASONS, statuses=STATUSES, interrupted=INTERRUPTED,
            SendStatus=SendStatus, problem=problem,
        ),
        409 if problem else 200 if valid else 400,
    )


@bp.route("/sent/<id:send_id>/release", methods=["POST"])
@admin_required
def release(send_id: int) -> Response | tuple[str, int]:
    send = db.session.get(ReminderSend, send_id) or abort(404)
    try:
        service.release(current_user._get_current_object(), send)
    except RuleViolation as violation:
        db.session.rollback()
        return sent_page(str(violation.message))
    flash(_("Đã cho gửi lại thư đến %(name)s ở lượt gửi sau.", name=send.employee.full_name), "success")
    return redirect(url_for("reminders.sent", **request.args))
