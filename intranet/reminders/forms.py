"""The send button's choice, and the filters of the list of sends."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.validators import Length, Optional, Regexp

from .labels import REASONS, STATUSES
from .models import Reason


class SendForm(FlaskForm):
    only = SelectField(
        _l("Gửi loại thư"),
        choices=[("", _l("Tất cả thư đến hạn"))] + [(reason.value, REASONS[reason]) for reason in Reason],
        validate_choice=True,
    )


class SendFilterForm(FlaskForm):
    """Read from the query string; nothing is written, so no CSRF token."""

    class Meta:
        csrf = False

    status = SelectField(
        _l("Kết quả"), choices=[("", _l("Tất cả"))] + [(s.value, label) for s, label in STATUSES.items()],
        validators=[Optional()],
    )
    reason = SelectField(
        _l("Loại thư"), choices=[("", _l("Tất cả"))] + [(r.value, label) for r, label in REASONS.items()],
        validators=[Optional()],
    )
    period = SelectField(_l("Kỳ"), choices=[], validate_choice=False,
                         validators=[Optional(), Length(max=16),
                                     Regexp(r"^\d{4}-(\d{2}|W\d{2})$", message=_l("Kỳ không hợp lệ."))])
