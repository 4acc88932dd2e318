"""The explanation form: its text only."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length

from .service import TEXT_MAX


class ExplanationForm(FlaskForm):
    text = TextAreaField(
        _l("Nội dung giải trình"),
        [InputRequired(_l("Vui lòng nhập nội dung giải trình.")),
         Length(max=TEXT_MAX, message=_l("Tối đa %(max)d ký tự."))],
        render_kw={"rows": 6},
    )
    submit = SubmitField(_l("Gửi giải trình"))
