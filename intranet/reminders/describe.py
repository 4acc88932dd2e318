"""A run's report in words, in the current language: the CLI's output and the page's flash."""
from __future__ import annotations

from flask_babel import gettext as _

from .models import Reason
from .send import RunReport


def reasons_for(only: str | None) -> list[Reason]:
    return [Reason(only)] if only else list(Reason)


def describe(report: RunReport) -> list[str]:
    """The report as lines of text, in the current language (also the admin page's flash)."""
    names = {
        Reason.STAFF: _("Nhắc kê khai"),
        Reason.HEADS: _("Nhắc thủ trưởng"),
        Reason.ADMIN: _("Báo cáo tháng"),
    }
    lines = []
    for reason in Reason:
        tally = report.tallies.get(reason)
        if tally is None:
            continue
        if report.dry_run:
            line = _(
                "%(what)s: %(due)s đến hạn; sẽ gửi %(go)s, thiếu địa chỉ %(no_address)s, "
                "đã gửi trước đó %(already)s.",
                what=names[reason], due=tally.due, go=tally.delivered,
                no_address=tally.no_address, already=tally.already,
            )
        else:
            line = _(
                "%(what)s: %(due)s đến hạn; đã gửi %(sent)s, đã gửi trước đó %(already)s, "
                "thiếu địa chỉ %(no_address)s, bị từ chối %(refused)s, lỗi %(failed)s, "
                "không rõ kết quả %(unknown)s, chưa gửi %(left)s.",
                what=names[reason], due=tally.due, sent=tally.delivered, already=tally.already,
                no_address=tally.no_address, refused=tally.refused, failed=tally.failed,
                unknown=tally.unknown, left=tally.left,
            )
        lines.append(line)
    if not lines:
        lines.append(_("Không có thư nhắc nào đến hạn."))
    if report.stopped:
        lines.append(_("Đã dừng: %(error)s. Lần chạy sau sẽ gửi tiếp phần còn lại.", error=report.stopped))
    return lines
