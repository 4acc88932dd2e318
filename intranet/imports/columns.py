"""The columns of the province's list: what each is called, which are needed, which are never kept.

Headers are compared without accents, case, punctuation or spacing; a header is also tried
without its part in brackets ("Họ và tên (người nộp)" is "Họ và tên"). README lists them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from .names import plain_key


@dataclass(frozen=True)
class Column:
    field: str
    label: object  # a lazy string: the column's name on the pages and in the template
    required: bool
    synonyms: tuple[str, ...]


COLUMNS = (
    Column("full_name", _l("Họ và tên"), True, (
        "Họ và tên", "Họ tên", "Họ và tên người nộp", "Họ tên người nộp", "Tên người nộp",
        "Người nộp", "Người nộp hồ sơ", "Họ và tên người nộp hồ sơ", "Chủ hồ sơ",
        "Tên chủ hồ sơ", "Họ và tên công chức", "Họ và tên cán bộ", "Tên công dân",
    )),
    Column("unit_text", _l("Cơ quan, đơn vị công tác"), False, (
        "Cơ quan, đơn vị công tác", "Cơ quan đơn vị", "Cơ quan công tác", "Đơn vị công tác",
        "Đơn vị", "Cơ quan", "Nơi công tác", "Cơ quan, đơn vị",
    )),
    Column("procedure_name", _l("Tên thủ tục hành chính"), True, (
        "Tên thủ tục hành chính", "Tên thủ tục", "Thủ tục hành chính", "Tên TTHC", "Thủ tục",
        "Tên dịch vụ công", "Tên thủ tục hành chính (TTHC)",
    )),
    Column("procedure_code", _l("Mã thủ tục"), False, (
        "Mã thủ tục", "Mã TTHC", "Mã thủ tục hành chính", "Mã DVC", "Mã dịch vụ công",
    )),
    Column("dossier_code", _l("Mã hồ sơ"), True, (
        "Mã hồ sơ", "Số hồ sơ", "Mã số hồ sơ", "Số biên nhận", "Mã biên nhận", "Mã HS",
    )),
    Column("received_on", _l("Ngày tiếp nhận"), True, (
        "Ngày tiếp nhận", "Ngày tiếp nhận hồ sơ", "Ngày nhận", "Ngày nhận hồ sơ", "Ngày nộp",
        "Ngày nộp hồ sơ", "Thời gian tiếp nhận", "Thời điểm tiếp nhận",
    )),
    Column("receiving_place", _l("Nơi tiếp nhận"), False, (
        "Nơi tiếp nhận", "Nơi tiếp nhận hồ sơ", "Nơi nộp", "Nơi nộp hồ sơ", "Đơn vị tiếp nhận",
        "Cơ quan tiếp nhận", "Bộ phận tiếp nhận",
    )),
    Column("receiving_officer", _l("Người tiếp nhận"), False, (
        "Người tiếp nhận", "Người tiếp nhận hồ sơ", "Cán bộ tiếp nhận", "Công chức tiếp nhận",
        "Cán bộ tiếp nhận hồ sơ", "Công chức tiếp nhận hồ sơ",
    )),
    Column("channel", _l("Hình thức nộp"), False, (
        "Hình thức nộp", "Hình thức nộp hồ sơ", "Hình thức tiếp nhận", "Hình thức", "Kênh nộp",
        "Kênh tiếp nhận",
    )),
    Column("online_level", _l("Mức độ DVC"), False, (
        "Mức độ DVC", "Mức độ", "Mức độ dịch vụ công", "Mức độ DVCTT", "Mức độ DVC trực tuyến",
        "Loại DVC", "Loại dịch vụ công",
    )),
    # Recognised so that a header row is found by it, never read.
    Column("position", _l("STT"), False, ("STT", "Số TT", "TT", "Số thứ tự")),
)
BY_FIELD = {column.field: column for column in COLUMNS}
REQUIRED = tuple(column.field for column in COLUMNS if column.required)
# What a row keeps (the position column is the file's own numbering).
KEPT = tuple(column.field for column in COLUMNS if column.field != "position")

# Personal data the product must not keep (DOMAIN.md): the columns are recognised so that
# they are never read, whatever else they might match.
FORBIDDEN = (
    "cccd", "cmnd", "dinh danh", "can cuoc", "chung minh", "ho chieu", "ngay sinh", "nam sinh",
    "sinh ngay", "dien thoai", "sdt", "so dt", "di dong", "email", "thu dien tu", "dia chi",
    "noi cu tru", "thuong tru", "que quan",
)


def header_key(text: str) -> str:
    """A header as compared: no accents, lower case, letters and digits only, single spaces."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", plain_key(text)).split())


_SYNONYMS = {header_key(s): column.field for column in COLUMNS for s in column.synonyms}
_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]")


def is_forbidden(text: str) -> bool:
    key = f" {header_key(text)} "
    return any(f" {word} " in key for word in FORBIDDEN)


def field_of(text: str) -> str | None:
    """The field a header names, None for a column the import neither needs nor keeps."""
    if not text or is_forbidden(text):
        return None
    return _SYNONYMS.get(header_key(text)) or _SYNONYMS.get(header_key(_BRACKETS.sub(" ", text)))
