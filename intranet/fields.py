"""Form fields shared by the features: dates typed the way people type them (intranet/dates.py)."""
from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import Field
from wtforms.widgets import TextInput

from .clock import local_today
from .dates import EARLIEST_DAY, TypedDateError, format_date, parse_typed_date

# The latest day a field that takes future dates accepts (a filter's end, say): far enough.
FAR_FUTURE = date(2099, 12, 31)


class VietnameseDateField(Field):
    """A date as day, month, year (15/11/2026, 15112026, 15-11-26 ...); empty is None, left to
    validators. Before EARLIEST_DAY, or after today (after FAR_FUTURE with `future_allowed`),
    it is refused with the date understood in the message."""

    widget = TextInput()

    def __init__(self, label=None, validators=None, *, future_allowed: bool = False, **kwargs):
        # "numeric" brings the digits keypad on phones; the parser takes 8 digits for that.
        # data-date-echo lets static/js/dates.js say which date it understood.
        render_kw = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off",
                     "data-date-echo": _l("Hiểu là: {weekday}, {date}")}
        render_kw.update(kwargs.pop("render_kw", None) or {})
        super().__init__(label, validators, render_kw=render_kw, **kwargs)
        self.future_allowed = future_allowed

    def raw_data_text(self) -> str:
        return (self.raw_data[0] if self.raw_data else "").strip()

    def _value(self) -> str:
        # Shown back as understood (15112026 comes back as 15/11/2026); what could not be
        # read comes back as typed, to be corrected.
        if isinstance(self.data, date):
            return format_date(self.data)
        return self.raw_data[0] if self.raw_data else ""

    def process_formdata(self, valuelist: list[str]) -> None:
        text = valuelist[0] if valuelist else ""
        self.data = None
        if not isinstance(text, str) or not text.strip():
            return
        try:
            day = parse_typed_date(text)
        except TypedDateError as error:
            raise ValueError(str(error)) from None
        self.check_bounds(day)
        self.data = day

    def check_bounds(self, day: date) -> None:
        latest = FAR_FUTURE if self.future_allowed else local_today()
        if day < EARLIEST_DAY:
            raise ValueError(
                _l("Ngày không được trước %(earliest)s (ngày Nghị định 59/2022/NĐ-CP có hiệu lực); "
                   "bạn đã nhập %(day)s.", day=format_date(day), earliest=format_date(EARLIEST_DAY))
            )
        if day > latest:
            if not self.future_allowed:
                message = _l("Ngày không được sau ngày hôm nay (%(today)s); bạn đã nhập %(day)s.",
                             day=format_date(day), today=format_date(latest))
            else:
                message = _l("Ngày không được sau %(latest)s; bạn đã nhập %(day)s.",
                             day=format_date(day), latest=format_date(latest))
            raise ValueError(message)
