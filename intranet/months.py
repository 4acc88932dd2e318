"""Months as the interface names them: `?month=YYYY-MM`, shown as "tháng 11/2026"."""
from __future__ import annotations

import re
from datetime import date

from flask import abort

MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")


def parse_month(value: str | None) -> date | None:
    """The first day of the month named `YYYY-MM`; None if empty; 400 if malformed."""
    if not value:
        return None
    match = MONTH_PATTERN.match(value.strip())
    if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1900:
        abort(400)
    return date(int(match.group(1)), int(match.group(2)), 1)


def next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)
