"""The declaration form: the four states, the activation date and the commitment."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from ..fields import VietnameseDateField
from .rules import NOTE_MAX, STATUS_LABELS


class DeclarationForm(FlaskForm):
    status = RadioField(
        _l("Tình trạng tài khoản VNeID của bạn"),
        choices=[SelectChoice(str(value), label) for value, label in STATUS_LABELS.items()],
        validators=[InputRequired(_l("Vui lòng chọn tình trạng tài khoản."))],
    )
    activated_on = VietnameseDateField(
        _l("Ngày kích hoạt mức độ 2 (ngày/tháng/năm)"), validators=[Optional()]
    )
    committed = BooleanField(
        _l(
            "Tôi cam kết sử dụng tài khoản định danh điện tử mức độ 2 để thực hiện dịch vụ "
            "công trực tuyến mỗi khi làm thủ tục hành chính."
        )
    )
    note = TextAreaField(
        _l("Ghi chú (không bắt buộc)"),
        validators=[Optional(), Length(max=NOTE_MAX, message=_l("Ghi chú tối đa %(max)d ký tự."))],
        render_kw={"maxlength": NOTE_MAX, "rows": 3},
    )
