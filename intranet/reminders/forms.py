"""The send button's choice, and the filters of the list of sends."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, Length, Optional, Regexp

from ..paging import ListFilterForm
from .labels import REASONS, STATUSES
from .models import Reason, SendStatus

CHOOSE_AGAIN = _l("Lựa chọn không hợp lệ: hãy chọn một mục trong danh sách.")


def _select(label, choices: list[SelectChoice]) -> SelectField:
    # Our own check and message (in Vietnamese) rather than WTForms' English one.
    return SelectField(
        label, choices=choices, validate_choice=False, default="",
        validators=[AnyOf([c.value for c in choices], message=CHOOSE_AGAIN)],
    )


class SendForm(FlaskForm):
    only = _select(
        _l("Gửi loại thư"),
        [SelectChoice("", _l("Tất cả thư đến hạn"))]
        + [SelectChoice(reason.value, REASONS[reason]) for reason in Reason],
    )


class SendFilterForm(ListFilterForm):
    status = _select(
        _l("Kết quả"),
        [SelectChoice("", _l("Tất cả"))] + [SelectChoice(s.value, STATUSES[s]) for s in SendStatus],
    )
    reason = _select(
        _l("Loại thư"),
        [SelectChoice("", _l("Tất cả"))] + [SelectChoice(r.value, REASONS[r]) for r in Reason],
    )
    period = SelectField(_l("Kỳ"), choices=[], validate_choice=False,
                         validators=[Optional(), Length(max=16),
                                     Regexp(r"^\d{4}-(\d{2}|W\d{2})$", message=_l("Kỳ không hợp lệ."))])
