"""Admin forms: adding an issuing body, filtering the audit log."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import InputRequired, Length

from ..fields import VietnameseDateField


class IssuingBodyForm(FlaskForm):
    name = StringField(
        _l("Tên cơ quan ban hành thông báo"),
        [InputRequired(_l("Vui lòng nhập tên.")), Length(max=300, message=_l("Tối đa %(max)d ký tự."))],
    )


class AuditFilterForm(FlaskForm):
    """Read from the query string; nothing is written, so no CSRF token."""

    class Meta:
        csrf = False

    action = StringField(_l("Thao tác"), [Length(max=64)])
    actor = StringField(_l("Người thực hiện (tên đăng nhập)"), [Length(max=150)])
    since = VietnameseDateField(_l("Từ ngày"), future_allowed=True)
    until = VietnameseDateField(_l("Đến ngày"), future_allowed=True)
