"""The admin's one write on the record of sends: letting an unclear one go again."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .. import audit
from ..models import Employee, utcnow
from ..validation import RuleViolation
from .models import ReminderSend, SendStatus
from .queries import STALE_AFTER


def releasable(send: ReminderSend) -> bool:
    """Unclear whether it arrived: the connection broke after the hand-over, or the run died."""
    return send.status == SendStatus.UNKNOWN or (
        send.status == SendStatus.SENDING and send.claimed_at < utcnow() - STALE_AFTER
    )


def release(actor: Employee, send: ReminderSend) -> None:
    """Let the next run send it again: the admin has checked it did not arrive (or accepts
    a second copy). Runs never do this by themselves, so that nobody gets a duplicate."""
    if not releasable(send):
        raise RuleViolation("send", _l("Chỉ gửi lại được thư không rõ kết quả."))
    previous = send.status
    send.status = SendStatus.FAILED.value
    send.detail = str(_l("Quản trị cho gửi lại (trước đó: %(detail)s)", detail=send.detail or previous))[:500]
    audit.record("reminders.release", actor=actor, obj=send, previous=previous)
