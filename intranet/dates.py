"""Dates typed by people: the one parser every date field uses, and the bounds of any record's date.

People type what their keyboard offers: an iPhone's numeric keypad has no "/", so
"15112026" must work as well as "15/11/2026", "15-11-2026", "15.11.2026" or "15 11 2026".
static/js/dates.js reads the same shapes to show the date understood as one types;
tests/test_browser_forms.py checks the two agree.
"""
from __future__ import annotations

import re
from datetime import date

from flask_babel import lazy_gettext as _l

# Decree 59/2022/NĐ-CP took effect on 20/10/2022: no level-2 account, and so no notice about
# not using one, predates it. Nothing a person types here can be earlier.
EARLIEST_DAY = date(2022, 10, 20)

_SEPARATED = re.compile(r"(\d{1,2})\s*[/.\-\s]\s*(\d{1,2})\s*[/.\-\s]\s*(\d{4}|\d{2})", re.ASCII)
# ddmmyyyy or ddmmyy, as a digits-only keypad types them.
_DIGITS = re.compile(r"(\d{2})(\d{2})(\d{4}|\d{2})", re.ASCII)


class TypedDateError(ValueError):
    """Text that is not a date; the message says what to type instead."""


def parse_typed_date(text: str) -> date:
    """The day `text` names as day, month, year (dd/mm/yyyy and the shapes above).

    A two-digit year is 20yy: every date this product asks for is after 2000, so "26" can
    only mean 2026.
    """
    cleaned = text.strip()
    match = _SEPARATED.fullmatch(cleaned) or _DIGITS.fullmatch(cleaned)
    if match is None:
        raise TypedDateError(
            _l("Ngày không hợp lệ: hãy nhập ngày/tháng/năm, ví dụ 05/03/2024 hoặc 05032024.")
        )
    day, month, year = (int(part) for part in match.groups())
    if len(match[3]) == 2:
        year += 2000
    try:
        return date(year, month, day)
    except ValueError:
        raise TypedDateError(
            _l("Ngày không hợp lệ: %(day)02d/%(month)02d/%(year)04d không có trên lịch; "
               "hãy kiểm tra ngày và tháng.", day=day, month=month, year=year)
        ) from None


def format_date(day: date) -> str:
    """dd/mm/yyyy: how the interface writes a date back."""
    # Not strftime: it writes year 1 as "1", and the person typed "0001".
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"
