"""Messages from templates, in the recipient's language: text and HTML, one link each."""
from __future__ import annotations

from dataclasses import dataclass
from email.header import Header
from email.message import Message
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formataddr, formatdate, make_msgid, parseaddr

from flask import current_app
from flask_babel import force_locale, gettext as _

from ..models import VneidStatus
from ..reports.settings import agency_name
from ..months import Month
from .due import HeadDue, MonthSummary, Recipient, StaffDue
from .links import Links
from .models import Reason


@dataclass(frozen=True)
class Draft:
    recipient: Recipient
    reason: Reason
    subject: str
    text: str
    html: str  # "" when composed without it (the admin's page shows the text alone)


def _render(name: str, recipient: Recipient, html: bool, **context: object) -> tuple[str, str]:
    """Both parts of a message. Rendered by Jinja alone, without the pages' context
    processors: a run must not read the database while it sends (on SQLite a read would take
    the write lock its claims need), and a message needs nothing from a request. The agency's
    name is read once, before the run starts (see send.run: agency_name() caches it)."""
    context = {
        "recipient": recipient, "agency_name": agency_name(),
        "current_locale": recipient.language, **context,
    }
    environment = current_app.jinja_env
    return (
        environment.get_template(f"reminders/email/{name}.txt").render(context),
        environment.get_template(f"reminders/email/{name}.html").render(context) if html else "",
    )


def staff_draft(due: StaffDue, links: Links, html: bool = True) -> Draft:
    recipient = due.recipient
    with force_locale(recipient.language):
        if due.status is None:
            subject = _("Nhắc việc: bạn chưa kê khai tài khoản định danh điện tử")
        elif due.status == VneidStatus.LEVEL2_PENDING:
            subject = _("Nhắc việc: hãy kích hoạt tài khoản định danh điện tử mức độ 2")
        else:
            subject = _("Nhắc việc: hãy đăng ký tài khoản định danh điện tử mức độ 2")
        text, part = _render(
            "staff", recipient, html, due=due, link=links.url("declarations.declare")
        )
    return Draft(recipient, Reason.STAFF, subject, text, part)


def head_draft(due: HeadDue, links: Links, html: bool = True) -> Draft:
    recipient = due.recipient
    with force_locale(recipient.language):
        subject = _(
            "Nhắc việc: %(count)s thông báo đang chờ bạn đề xuất đánh giá, xếp loại",
            count=len(due.notices),
        )
        text, part = _render(
            "heads", recipient, html, due=due, link=links.url("notices.index", status="open")
        )
    return Draft(recipient, Reason.HEADS, subject, text, part)


def admin_draft(
    recipient: Recipient, summary: MonthSummary, links: Links, html: bool = True
) -> Draft:
    month: Month = summary.month
    with force_locale(recipient.language):
        subject = _("Tình hình thực hiện tháng %(month)s: tài khoản định danh điện tử mức độ 2",
                    month=month.label)
        text, part = _render(
            "admin", recipient, html, summary=summary,
            link=links.url("compliance.table", month=month.iso),
        )
    return Draft(recipient, Reason.ADMIN, subject, text, part)


def _one_line(text: str) -> str:
    # A name from the directory goes into a header: no line breaks or other controls.
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())


def build_message(draft: Draft, sender: str, to: str) -> Message:
    """The MIME message: plain text, with the HTML as its alternative, all UTF-8.

    Built with the email package's classic API: its headers serialise five times faster than
    EmailMessage's, which at 8,000 messages a run is seconds.
    """
    sender_name, sender_address = parseaddr(sender)
    message = MIMEMultipart("alternative")
    message["Subject"] = Header(_one_line(draft.subject), "utf-8")
    message["From"] = formataddr((_one_line(sender_name), sender_address), "utf-8")
    message["To"] = formataddr((_one_line(draft.recipient.full_name), to), "utf-8")
    message["Date"] = formatdate(usegmt=True)
    # Given the domain, make_msgid does not ask the resolver for this host's name.
    message["Message-ID"] = make_msgid(domain=sender_address.rpartition("@")[2] or "localhost")
    # RFC 3834: no auto-replies ("out of office") back to a machine.
    message["Auto-Submitted"] = "auto-generated"
    message["Content-Language"] = draft.recipient.language
    message.attach(MIMEText(draft.text, "plain", "utf-8"))
    message.attach(MIMEText(draft.html, "html", "utf-8"))
    return message
