"""The upload form, and reading the admin's choices on the preview."""
from __future__ import annotations

from collections.abc import Iterable, Mapping

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, StringField, SubmitField
from wtforms.validators import InputRequired, Length, Optional

from ..fields import VietnameseDateField
from ..ids import MAX_ID
from ..notices.forms import optional_int


class ImportForm(FlaskForm):
    file = FileField(_l("Tệp danh sách (.xlsx hoặc .csv, tối đa 10 MB)"),
                     [FileRequired(_l("Vui lòng chọn tệp danh sách."))])
    issuing_body_id = SelectField(_l("Cơ quan gửi danh sách"),
                                  [InputRequired(_l("Vui lòng chọn cơ quan ban hành thông báo."))], coerce=optional_int)
    month = StringField(_l("Tháng của danh sách"), [InputRequired(_l("Vui lòng chọn tháng của danh sách."))],
                        render_kw={"type": "month", "placeholder": "yyyy-mm"})
    reference_number = StringField(_l("Số, ký hiệu văn bản gửi kèm (không bắt buộc)"),
                                   [Optional(), Length(max=100, message=_l("Tối đa %(max)d ký tự."))])
    notice_date = VietnameseDateField(_l("Ngày văn bản (không bắt buộc; mặc định hôm nay)"), [Optional()])
    submit = SubmitField(_l("Đọc danh sách và xem trước"))


class ConfirmForm(FlaskForm):
    """Only the CSRF token: the choices are read by `posted_choices`."""


class Forged(ValueError):
    """A choice the preview never offered."""


def posted_choices(form: Mapping[str, str], rows: Iterable[Mapping[str, object]]) -> dict[int, int | None]:
    """File row -> the person chosen for it (None: set aside), for the rows that offer a choice."""
    choices: dict[int, int | None] = {}
    for row in rows:
        number = int(row["row"])  # type: ignore[arg-type]
        raw = form.get(f"row-{number}", "")
        if raw == "":
            choices[number] = None
            continue
        if not (raw.isascii() and raw.isdigit() and int(raw) <= MAX_ID) or int(raw) not in row["candidates"]:  # type: ignore[operator]
            raise Forged(number)
        choices[number] = int(raw)
    return choices
