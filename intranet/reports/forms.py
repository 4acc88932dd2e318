"""Forms of the report's settings, of a month's notes and of the units' order."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import Length


def _length(limit: int) -> Length:
    return Length(max=limit, message=_l("Tối đa %(max)d ký tự."))


class SettingsForm(FlaskForm):
    agency_name = StringField(_l("Tên cơ quan ban hành báo cáo"), [_length(200)])
    parent_agency_name = StringField(_l("Tên cơ quan cấp trên trực tiếp"), [_length(200)])
    province = StringField(_l("Tỉnh, thành phố (in sau tên cơ quan cấp trên)"), [_length(100)])
    place = StringField(_l("Địa danh (in trước ngày tháng)"), [_length(100)])
    symbol = StringField(_l("Ký hiệu báo cáo (sau số)"), [_length(50)])
    legal_basis = TextAreaField(_l("Căn cứ (mỗi văn bản một dòng)"), [_length(3000)])
    signer_title = StringField(_l("Chức vụ người đứng đầu"), [_length(100)])
    signs_for_head = BooleanField(_l("Cấp phó ký thay (KT.)"))
    deputy_title = StringField(_l("Chức vụ cấp phó ký thay"), [_length(100)])
    signer_name = StringField(_l("Họ và tên người ký"), [_length(100)])
    recipients = TextAreaField(_l("Nơi nhận (mỗi nơi một dòng)"), [_length(2000)])


class MonthNotesForm(FlaskForm):
    number = StringField(_l("Số báo cáo (để trống nếu văn thư ghi khi ban hành)"), [_length(20)])
    difficulties = TextAreaField(_l("Khó khăn, vướng mắc"), [_length(5000)])
    recommendations = TextAreaField(_l("Kiến nghị, đề xuất"), [_length(5000)])


MAX_POSITION = 999


def read_positions(form: dict[str, str], unit_ids: list[int]) -> tuple[dict[int, int], list[int]]:
    """Each unit's number from the order form (`position-<id>`); blank leaves it unplaced.
    Returns the positions and the ids whose value is not a whole number from 1 to 999."""
    positions: dict[int, int] = {}
    wrong: list[int] = []
    for unit_id in unit_ids:
        text = (form.get(f"position-{unit_id}") or "").strip()
        if not text:
            continue
        if text.isascii() and text.isdigit() and 1 <= int(text) <= MAX_POSITION:
            positions[unit_id] = int(text)
        else:
            wrong.append(unit_id)
    return positions, wrong
