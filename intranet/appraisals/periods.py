"""The period an appraisal proposal applies to: a month, a quarter or a year."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _

from ..models import PeriodKind

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@dataclass(frozen=True)
class Period:
    kind: PeriodKind
    year: int
    number: int | None = None  # month 1-12, quarter 1-4, None for a year

    def start(self) -> date:
        if self.kind == PeriodKind.MONTH:
            return date(self.year, self.number or 1, 1)
        if self.kind == PeriodKind.QUARTER:
            return date(self.year, 3 * ((self.number or 1) - 1) + 1, 1)
        return date(self.year, 1, 1)

    def end(self) -> date:
        """The period's last day."""
        if self.kind == PeriodKind.MONTH:
            month = self.number or 1
            following = date(self.year + month // 12, month % 12 + 1, 1)
        elif self.kind == PeriodKind.QUARTER:
            last = 3 * (self.number or 1)
            following = date(self.year + last // 12, last % 12 + 1, 1)
        else:
            following = date(self.year + 1, 1, 1)
        return following - timedelta(days=1)

    @property
    def value(self) -> str:
        return f"{self.kind}-{self.year}" + (f"-{self.number}" if self.number else "")

    def label(self) -> str:
        if self.kind == PeriodKind.MONTH:
            return _("Tháng %(month)s/%(year)s", month=f"{self.number:02d}", year=self.year)
        if self.kind == PeriodKind.QUARTER:
            return _("Quý %(quarter)s/%(year)s", quarter=ROMAN[self.number or 1], year=self.year)
        return _("Năm %(year)s", year=self.year)

    @classmethod
    def from_record(cls, kind: str, year: int, number: int | None) -> Period:
        return cls(PeriodKind(kind), year, number)

    @classmethod
    def parse(cls, value: str) -> Period | None:
        """The period a form value names, or None if it names none."""
        parts = value.split("-")
        try:
            kind = PeriodKind(parts[0])
            numbers = [int(p) for p in parts[1:]]
        except (ValueError, IndexError):
            return None
        limits = {PeriodKind.MONTH: 12, PeriodKind.QUARTER: 4}
        if kind == PeriodKind.YEAR and len(numbers) == 1:
            return cls(kind, numbers[0])
        if kind in limits and len(numbers) == 2 and 1 <= numbers[1] <= limits[kind]:
            return cls(kind, numbers[0], numbers[1])
        return None


def offered_periods(today: date) -> list[Period]:
    """What a head may choose: the months and quarters of this year and last, and both years."""
    periods: list[Period] = []
    for year in (today.year, today.year - 1):
        last_month = today.month if year == today.year else 12
        periods += [Period(PeriodKind.MONTH, year, m) for m in range(last_month, 0, -1)]
        last_quarter = (last_month - 1) // 3 + 1
        periods += [Period(PeriodKind.QUARTER, year, q) for q in range(last_quarter, 0, -1)]
        periods.append(Period(PeriodKind.YEAR, year))
    return periods


def period_of(kind: str, year: int, number: int | None) -> Period:
    return Period(PeriodKind(kind), year, number)
