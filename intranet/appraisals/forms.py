"""Forms for a head's appraisal proposal about a staff member, and its correction."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from ..notices.forms import optional_int

TOO_LONG = _l("Tối đa %(max)d ký tự.")


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class AppraisalForm(FlaskForm):
    notice_ids = MultiCheckboxField(_l("Các thông báo được xem xét"), coerce=int)
    period = SelectField(_l("Kỳ đánh giá"), [InputRequired(_l("Vui lòng chọn kỳ đánh giá."))])
    outcome_id = SelectField(
        _l("Nội dung đề xuất"), [InputRequired(_l("Vui lòng chọn nội dung đề xuất."))], coerce=optional_int
    )
    rationale = TextAreaField(
        _l("Căn cứ, lý do"),
        [InputRequired(_l("Vui lòng nêu căn cứ, lý do của đề xuất.")), Length(max=2000, message=TOO_LONG)],
        render_kw={"rows": 4},
    )
    submit = SubmitField(_l("Lưu đề xuất"))


class AppraisalCorrectionForm(AppraisalForm):
    correction_reason = TextAreaField(
        _l("Lý do đính chính"),
        [InputRequired(_l("Vui lòng nêu lý do đính chính.")), Length(max=1000, message=TOO_LONG)],
        render_kw={"rows": 2},
    )
    submit = SubmitField(_l("Lưu bản đính chính"))
