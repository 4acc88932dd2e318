"""What a declaration must satisfy, whoever submits it (form, CLI or test)."""
from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l

from ..dates import EARLIEST_DAY
from ..models import VneidStatus
from ..validation import RuleViolation

# Decree 59/2022/NĐ-CP took effect on 20/10/2022: no level-2 account predates it.
EARLIEST_ACTIVATION = EARLIEST_DAY
NOTE_MAX = 500

STATUS_LABELS = {
    VneidStatus.LEVEL2_ACTIVE: _l("Đã kích hoạt tài khoản định danh điện tử mức độ 2"),
    VneidStatus.LEVEL2_PENDING: _l("Đã đăng ký mức độ 2, đang chờ kích hoạt"),
    VneidStatus.LEVEL1: _l("Mới có tài khoản mức độ 1"),
    VneidStatus.NONE: _l("Chưa có tài khoản định danh điện tử"),
}
SHORT_LABELS = {
    VneidStatus.LEVEL2_ACTIVE: _l("Mức độ 2"),
    VneidStatus.LEVEL2_PENDING: _l("Chờ kích hoạt mức độ 2"),
    VneidStatus.LEVEL1: _l("Mức độ 1"),
    VneidStatus.NONE: _l("Chưa có tài khoản"),
}
NOT_DECLARED = _l("Chưa kê khai")


def check(status: str, activated_on: date | None, committed: bool, note: str | None, today: date) -> None:
    if status not in set(VneidStatus):
        raise RuleViolation("status", _l("Tình trạng tài khoản không nằm trong danh sách."))
    if status == VneidStatus.LEVEL2_ACTIVE:
        if activated_on is None:
            raise RuleViolation("activated_on", _l("Vui lòng nhập ngày kích hoạt tài khoản mức độ 2."))
        if activated_on > today:
            raise RuleViolation("activated_on", _l("Ngày kích hoạt không được sau ngày hôm nay."))
        if activated_on < EARLIEST_ACTIVATION:
            raise RuleViolation(
                "activated_on",
                _l("Ngày kích hoạt không được trước 20/10/2022 (ngày Nghị định 59/2022/NĐ-CP có hiệu lực)."),
            )
        if not committed:
            raise RuleViolation(
                "committed",
                _l("Vui lòng xác nhận cam kết sử dụng tài khoản mức độ 2 khi thực hiện thủ tục hành chính."),
            )
    elif activated_on is not None:
        raise RuleViolation("activated_on", _l("Chỉ nhập ngày kích hoạt khi đã kích hoạt tài khoản mức độ 2."))
    if note is not None and len(note) > NOTE_MAX:
        raise RuleViolation("note", _l("Ghi chú tối đa %(n)s ký tự.", n=NOTE_MAX))
