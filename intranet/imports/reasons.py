"""Why a row of the list is where it is, kept as a code and its values in the draft, and put
into words in the reader's language only when shown (the draft outlives the upload's locale)."""
from __future__ import annotations

from collections.abc import Mapping

from flask_babel import lazy_gettext as _l

MESSAGES = {
    # A cell that could not be read (its reference goes before the message).
    "cell_error": _l("ô chứa lỗi %(error)s"),
    "too_long": _l("dài quá %(max)d ký tự"),
    "no_name": _l("thiếu họ và tên"),
    "no_code": _l("thiếu mã hồ sơ"),
    "no_procedure": _l("thiếu tên thủ tục hành chính"),
    "no_date": _l("thiếu ngày tiếp nhận"),
    "bad_date": _l("không đọc được ngày “%(text)s” (cần dạng ngày/tháng/năm)"),
    "future_date": _l("ngày tiếp nhận %(date)s sau ngày hôm nay"),
    "old_date": _l("ngày tiếp nhận %(date)s không hợp lệ"),
    "bad_channel": _l("không rõ hình thức nộp (trực tiếp, trực tuyến, bưu chính)"),
    "bad_level": _l("không rõ mức độ DVC (toàn trình, một phần)"),
    # What matching made of a row.
    "online": _l("Nộp trực tuyến: không phải trường hợp nộp hồ sơ giấy."),
    "recorded": _l("Đã ghi nhận trong thông báo số %(ref)s."),
    "duplicate": _l("Trùng mã hồ sơ với dòng %(row)d."),
    "not_staff": _l("Không có ai tên này trong danh sách công chức, viên chức, người lao động ngày %(date)s."),
    "unit_told": _l("Trùng tên; phân biệt theo đơn vị công tác."),
    "same_name": _l("%(count)d người cùng tên: hãy chọn đúng người."),
    "near_name": _l("Tên gần giống (khác dấu hoặc một chữ): hãy xác nhận nếu đúng người."),
}


def reason(code: str, **args: object) -> list[object]:
    """A reason as the draft keeps it (JSON)."""
    return [code, args]


def problem(cell: str, code: str, **args: object) -> list[object]:
    """An unreadable cell as the draft keeps it: its reference, a code, the values."""
    return [cell, code, args]


def _words(code: str, args: Mapping[str, object]) -> str:
    return str(MESSAGES[code] % dict(args)) if args else str(MESSAGES[code])


def describe(row: Mapping[str, object]) -> str:
    """The row's reason, or its unreadable cells, in the current language."""
    if row.get("problems"):
        return "; ".join(f"{cell}: {_words(code, args)}" for cell, code, args in row["problems"])  # type: ignore[misc,union-attr]
    if row.get("reason"):
        code, args = row["reason"]  # type: ignore[misc]
        return _words(code, args)
    return ""
