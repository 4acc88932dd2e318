"""The words the reminder pages use for reasons and statuses."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .models import Reason, SendStatus

REASONS = {
    Reason.STAFF: _l("Nhắc kê khai (cán bộ chưa đạt mức độ 2)"),
    Reason.HEADS: _l("Nhắc thủ trưởng (thông báo chờ đề xuất)"),
    Reason.ADMIN: _l("Báo cáo tháng cho quản trị"),
}
STATUSES = {
    SendStatus.SENDING: _l("Đang gửi"),
    SendStatus.SENT: _l("Đã gửi"),
    SendStatus.PRINTED: _l("Chỉ in ra màn hình (chưa bật gửi thư)"),
    SendStatus.NO_ADDRESS: _l("Thiếu địa chỉ email"),
    SendStatus.REFUSED: _l("Máy chủ thư từ chối"),
    SendStatus.FAILED: _l("Lỗi, sẽ gửi lại lần sau"),
    SendStatus.UNKNOWN: _l("Không rõ đã gửi chưa (mất kết nối)"),
}
INTERRUPTED = _l("Bị gián đoạn, không rõ đã gửi chưa")


def period_label(period: str) -> str:
    """"2026-11" as 11/2026, "2026-W48" as "tuần 48/2026" (week 48/2026)."""
    year, _, rest = period.partition("-")
    if rest.startswith("W"):
        return str(_l("tuần %(week)s/%(year)s", week=rest[1:], year=year))
    return f"{rest}/{year}"
