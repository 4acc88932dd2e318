"""A calendar month in the agency's time zone: parsing `?month=`, its bounds in stored UTC."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l

from .clock import local_today


_ISO = re.compile(r"(\d{4})-(\d{1,2})")  # what <input type="month"> sends
_VN = re.compile(r"(\d{1,2})/(\d{4})")  # what a person types where the browser has no month picker


class MonthError(ValueError):
    """A `month` the pages cannot show; the message is for the person who asked."""


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @classmethod
    def containing(cls, day: date) -> Month:
        return cls(day.year, day.month)

    @property
    def iso(self) -> str:
        """2026-11: the value of the month picker and the `?month=` parameter."""
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        """11/2026, as in "tháng 11/2026"."""
        return f"{self.month:02d}/{self.year}"

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return self.next().first_day - timedelta(days=1)

    @property
    def closed(self) -> bool:
        """Whether the month has ended (local time): its figures no longer change."""
        return self.last_day < local_today()

    @property
    def figures_until(self) -> date:
        """The last day the month's figures cover: its last day, or today while it runs
        (a page never states figures for a day that has not come)."""
        return min(self.last_day, local_today())

    def previous(self) -> Month:
        return Month(self.year - 1, 12) if self.month == 1 else Month(self.year, self.month - 1)

    def next(self) -> Month:
        return Month(self.year + 1, 1) if self.month == 12 else Month(self.year, self.month + 1)

    def back(self, count: int) -> list[Month]:
        """The `count` months ending with this one, oldest first, none before EARLIEST."""
        months = [self]
        while len(months) < count and months[0].previous() >= EARLIEST:
            months.insert(0, months[0].previous())
        return months

    def starts_utc(self) -> datetime:
        """Local midnight on the 1st, as the naive UTC the database stores."""
        return _naive_utc(datetime.combine(self.first_day, datetime.min.time(), _zone()))

    def ends_utc(self) -> datetime:
        """The last instant of the month, local time, as naive UTC: the `as_of` of its figures."""
        return self.next().starts_utc() - timedelta(microseconds=1)


# No level-2 account predates Decree 59/2022/NĐ-CP (in force 20/10/2022): nothing to show before.
EARLIEST = Month(2022, 10)


def _zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def _naive_utc(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


def current_month() -> Month:
    return Month.containing(local_today())


def last_closed_month() -> Month:
    """The month before this one: what a monthly report is about by default."""
    return max(current_month().previous(), EARLIEST)


def parse_month(text: str | None, default: Month | None = None) -> Month:
    """The month `?month=` names (when empty, `default` or the current one); MonthError when it
    cannot be shown."""
    current = current_month()
    text = (text or "").strip()
    if not text:
        return default or current
    iso, vn = _ISO.fullmatch(text), _VN.fullmatch(text)
    if iso:
        year, number = int(iso[1]), int(iso[2])
    elif vn:
        year, number = int(vn[2]), int(vn[1])
    else:
        raise MonthError(
            _l("Tháng không hợp lệ: hãy chọn tháng theo dạng năm-tháng, ví dụ %(example)s.",
               example=current.iso)
        )
    if not 1 <= number <= 12:
        raise MonthError(_l("Tháng không hợp lệ: tháng phải từ 01 đến 12."))
    month = Month(year, number)
    if month > current:
        raise MonthError(
            _l("Chưa có số liệu cho tháng %(month)s: hãy chọn tháng %(current)s hoặc trước đó.",
               month=month.label, current=current.label)
        )
    if month < EARLIEST:
        raise MonthError(
            _l("Chỉ có số liệu từ tháng %(earliest)s (khi Nghị định 59/2022/NĐ-CP có hiệu lực).",
               earliest=EARLIEST.label)
        )
    return month
