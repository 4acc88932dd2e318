"""The queues' table body as HTML, written here rather than in the template: the admin's list
of every open notice holds thousands of rows, and Jinja's per-row work (a translation per cell
label, url_for, filters) took most of its time (make bench)."""
from __future__ import annotations

from datetime import date

from flask import url_for
from flask_babel import gettext as _
from markupsafe import Markup, escape

from .queue import AwaitingNotice


def queue_rows(rows: list[AwaitingNotice], everywhere: bool) -> Markup:
    """The <tr>s of a queue: deadline (and how overdue), person, with `everywhere` the unit and
    who acts on it, then the notice's number (its link), issuing body and number of cases.
    Labels are translated once per page; every value is escaped."""
    due, name, unit, handler, reference, body, cases = (str(escape(label)) for label in (
        _("Hạn xử lý"), _("Họ và tên"), _("Đơn vị"), _("Người xử lý"), _("Số, ký hiệu"),
        _("Cơ quan ban hành thông báo"), _("Số hồ sơ"),
    ))
    handlers = {"admin": str(escape(_("Quản trị")))}
    unit_head = str(escape(_("Thủ trưởng đơn vị")))
    link = url_for("notices.show", notice_id=1).removesuffix("1")  # then each notice's id
    names: dict[str, str] = {}  # units and issuing bodies: a few hundred names, thousands of rows
    # Deadlines: a few hundred days for thousands of rows, most of them overdue in the
    # admin's list; a translation and a strftime for each row cost more than the rest of it.
    deadlines: dict[date, str] = {}
    # Translated once (gettext without its variables gives the format), not for each of the
    # few hundred days: for the admin's list that was most of the deadlines' cost.
    late = str(escape(_("Quá hạn %(days)d ngày")))
    # A row is one f-string; the cells' openings, with their labels, are written once here.
    name_cell = f'<td data-label="{name}">'
    unit_cell, handler_cell = ("", "")
    if everywhere:
        unit_cell, handler_cell = f'</td><td data-label="{unit}">', f'</td><td data-label="{handler}">'
    reference_cell = f'</td><td data-label="{reference}"><a href="{link}'
    body_cell = f'</a></td><td data-label="{body}">'
    cases_cell = f'</td><td class="num" data-label="{cases}">'
    overdue = '<tr class="overdue">'
    out: list[str] = []
    append = out.append
    for row in rows:
        notice = row.notice
        if row.due_on is None:
            deadline = "—"
        else:
            deadline = deadlines.get(row.due_on)
            if deadline is None:
                deadline = deadlines[row.due_on] = _deadline(row, late)
        if everywhere:
            place, acting = _once(names, notice.unit_name), handlers.get(notice.route, unit_head)
        else:
            place = acting = ""
        append(
            f'{overdue if row.overdue else "<tr>"}<td data-label="{due}">{deadline}</td>'
            f'{name_cell}{escape(notice.employee_name)}{unit_cell}{place}{handler_cell}{acting}'
            f'{reference_cell}{notice.id}">{escape(notice.reference_number)}'
            f'{body_cell}{_once(names, notice.issuing_body)}{cases_cell}{notice.cases}</td></tr>\n'
        )
    return Markup("".join(out))


def _deadline(row: AwaitingNotice, late: str) -> str:
    """The deadline's cell: the day and, once it has passed, how many days late (the day
    decides both: every row of a page is measured against the same today). `late`: the
    translated, escaped "Quá hạn %(days)d ngày"."""
    if row.overdue:
        days = late % {"days": -(row.days_left or 0)}
        return f'{row.due_on:%d/%m/%Y} <span class="badge todo">{days}</span>'
    return f"{row.due_on:%d/%m/%Y}"


def _once(escaped: dict[str, str], text: str) -> str:
    value = escaped.get(text)
    if value is None:
        value = escaped[text] = str(escape(text))
    return value
