"""The queues: a head's (or the admin's) notices awaiting them, and the admin's view of all."""
from __future__ import annotations

from flask import render_template
from flask_login import current_user

from ..access import admin_required, proposer_required
from ..clock import local_today
from ..database.read_only import read_only
from ..paging import PAGE_SIZE, requested_page
from . import bp
from .queue import notices_awaiting, open_notices_page
from .queue_rows import queue_rows


@bp.route("/notices/awaiting")
@read_only
@proposer_required
def awaiting() -> str:
    rows = notices_awaiting(current_user, local_today())
    return render_template("notices/queue.html", rows=rows, everywhere=False, body=queue_rows(rows, False))


@bp.route("/notices/open")
@read_only
@admin_required
def everywhere() -> str:
    page = requested_page()
    rows, more = open_notices_page(local_today(), page, PAGE_SIZE)
    return render_template("notices/queue.html", rows=rows, everywhere=True, body=queue_rows(rows, True),
                           page=page, more=more)
