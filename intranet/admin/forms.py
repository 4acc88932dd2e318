"""Admin forms: adding an issuing body or a response, a person's category, filtering the audit log."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from ..appraisals.forms import MultiCheckboxField
from ..categories import CATEGORIES
from ..fields import VietnameseDateField
from ..paging import ListFilterForm


class IssuingBodyForm(FlaskForm):
    name = StringField(
        _l("Tên cơ quan ban hành thông báo"),
        [InputRequired(_l("Vui lòng nhập tên.")), Length(max=300, message=_l("Tối đa %(max)d ký tự."))],
    )


class AuditFilterForm(ListFilterForm):
    action = StringField(_l("Thao tác"), [Length(max=64)])
    actor = StringField(_l("Người thực hiện (tên đăng nhập)"), [Length(max=150)])
    since = VietnameseDateField(_l("Từ ngày"), future_allowed=True)
    until = VietnameseDateField(_l("Đến ngày"), future_allowed=True)


class ResponseForm(FlaskForm):
    label = StringField(
        _l("Nội dung đề xuất"),
        [InputRequired(_l("Vui lòng nhập nội dung đề xuất.")), Length(max=300, message=_l("Tối đa %(max)d ký tự."))],
    )
    categories = MultiCheckboxField(
        _l("Áp dụng cho"), choices=[SelectChoice(code, label) for code, label in CATEGORIES.items()]
    )
    valid_from = VietnameseDateField(_l("Hiệu lực từ ngày"), [Optional()], future_allowed=True)
    valid_to = VietnameseDateField(_l("Đến ngày (để trống nếu chưa có)"), [Optional()], future_allowed=True)
    points = IntegerField(
        _l("Điểm trên thang 100 điểm (Nghị định 335/2025/NĐ-CP), âm là trừ điểm; để trống nếu không"),
        [Optional(), NumberRange(min=-100, max=100, message=_l("Điểm trong khoảng -100 đến 100."))],
    )


class CategoryForm(FlaskForm):
    category = SelectField(
        _l("Đối tượng"),
        choices=[SelectChoice("", _l("Chưa xác định"))]
        + [SelectChoice(code, label) for code, label in CATEGORIES.items()],
    )
