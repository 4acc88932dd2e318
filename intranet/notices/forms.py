"""Forms for notices (with their cases) and their corrections."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.exceptions import RequestEntityTooLarge
from wtforms import FieldList, Form, FormField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.utils import unset_value
from wtforms.validators import InputRequired, Length, Optional

from ..fields import VietnameseDateField
from .service import MAX_CASES, too_many_cases
CASE_TEXT_FIELDS = ("procedure_name", "procedure_code", "dossier_code", "receiving_officer")


def _length(limit: int) -> Length:
    return Length(max=limit, message=_l("Tối đa %(max)d ký tự."))


def _required(message: str) -> InputRequired:
    return InputRequired(message)


def optional_int(value: object) -> int | None:
    """Coerce a choice to an id; the blank "choose" option stays None for InputRequired."""
    if value in (None, ""):
        return None
    return int(value)  # type: ignore[arg-type]


CHOOSE = _l("— Chọn —")


class CaseForm(Form):
    """One dossier of a notice. A row left entirely blank is ignored."""

    procedure_name = StringField(_l("Tên thủ tục hành chính"), [Optional(), _length(500)])
    procedure_code = StringField(_l("Mã TTHC (nếu có)"), [Optional(), _length(50)])
    dossier_code = StringField(_l("Mã hồ sơ"), [Optional(), _length(100)])
    filed_on = VietnameseDateField(_l("Ngày tiếp nhận hồ sơ"), [Optional()])
    receiving_officer = StringField(_l("Người tiếp nhận"), [Optional(), _length(200)])

    def is_blank(self) -> bool:
        texts = [(getattr(self, name).data or "").strip() for name in CASE_TEXT_FIELDS]
        return not any(texts) and not self.filed_on.raw_data_text()


class TooManyCases(RequestEntityTooLarge):
    """More case rows than the form can ever show: a crafted request, refused whole (413)."""


class CaseList(FieldList):
    """The case rows. No max_entries: WTForms would keep the first rows and drop the rest
    without a word, and assert on append_entry(). Past MAX_CASES rows the whole request is
    refused instead, before any row is built, since the page never offers more."""

    def _extract_indices(self, prefix, formdata):
        # WTForms' own takes any str.isdigit() text to int(): "①" or 5,000 digits raise.
        offset = len(prefix) + 1
        for key in formdata:
            if key.startswith(prefix):
                index = key[offset:].split(self._field_separator, 1)[0]
                if index.isascii() and index.isdigit() and len(index) <= 9:
                    yield int(index)

    def process(self, formdata, data=unset_value, extra_filters=None):
        if formdata and len(set(self._extract_indices(self.name, formdata))) > MAX_CASES:
            raise TooManyCases()
        super().process(formdata, data, extra_filters)


class NoticeForm(FlaskForm):
    employee_id = SelectField(
        _l("Người có tên trong thông báo"),
        [InputRequired(_l("Vui lòng chọn người có tên trong thông báo."))],
        coerce=optional_int,
    )
    issuing_body_id = SelectField(
        _l("Cơ quan ban hành thông báo"),
        [InputRequired(_l("Vui lòng chọn cơ quan ban hành thông báo."))],
        coerce=optional_int,
    )
    reference_number = StringField(
        _l("Số, ký hiệu văn bản thông báo"),
        [_required(_l("Vui lòng nhập số, ký hiệu văn bản.")), _length(100)],
    )
    notice_date = VietnameseDateField(
        _l("Ngày thông báo"), [_required(_l("Vui lòng nhập ngày thông báo."))]
    )
    cases = CaseList(FormField(CaseForm), min_entries=1)
    note = TextAreaField(_l("Ghi chú (không bắt buộc)"), [Optional(), _length(1000)], render_kw={"rows": 2})
    add_case = SubmitField(_l("Thêm một hồ sơ"))
    submit = SubmitField(_l("Lưu thông báo"))

    def add_case_row(self) -> bool:
        """One more blank case row, unless the notice already has as many as it may."""
        if len(self.cases.entries) >= MAX_CASES:
            self.form_errors.append(too_many_cases())
            return False
        self.cases.append_entry()
        return True


class NoticeCorrectionForm(NoticeForm):
    correction_reason = TextAreaField(
        _l("Lý do đính chính"),
        [_required(_l("Vui lòng nêu lý do đính chính.")), _length(1000)],
        render_kw={"rows": 2},
    )
    submit = SubmitField(_l("Lưu bản đính chính"))
