"""What the compliance queries answer: one result type per question."""
from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from operator import attrgetter
from typing import NamedTuple

from ..models import Appraisal, Declaration, Employee, Unit, VneidStatus
from ..months import Month
from ..notices.queries import NoticeRow

# The columns a staff member can fall in; exactly one each (see staff.status_groups).
STATUS_GROUPS = ("level2", "pending", "level1", "no_account", "undeclared")
# `?status=` on a unit's page: one of the groups, or everyone not on level 2.
STAFF_FILTERS = (*STATUS_GROUPS, "missing")


@dataclass(frozen=True)
class Figures:
    """A unit's (or the whole sub-department's) figures for a month."""

    staff: int = 0
    level2: int = 0
    pending: int = 0
    level1: int = 0
    no_account: int = 0
    undeclared: int = 0
    notices: int = 0
    awaiting: int = 0
    decisions: int = 0
    # Awaiting a proposal past their reply deadline (at the month's end, or today if running).
    overdue: int = 0

    def __getitem__(self, name: str) -> int:
        # figures["level2"]: templates look figures up by column name.
        return getattr(self, name)

    @property
    def missing(self) -> int:
        return self.staff - self.level2

    @property
    def percent(self) -> float | None:
        """Share of staff on level 2, 0-100; None when there is nobody to count."""
        return 100 * self.level2 / self.staff if self.staff else None

    @property
    def complete(self) -> bool:
        return self.staff > 0 and self.level2 == self.staff

    @property
    def below_target(self) -> bool:
        return self.staff > 0 and self.level2 < self.staff

    def __add__(self, other: Figures) -> Figures:
        return Figures(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))


# A Figures' numbers in field order.
_VALUES = attrgetter(*(f.name for f in fields(Figures)))


class UnitLine(NamedTuple):
    """A unit as the figures name it."""

    id: int
    name: str
    active: bool


@dataclass(frozen=True)
class UnitRow:
    # None: staff the directory puts in no unit. A unit read with the figures, or named
    # from every_unit() when they were kept.
    unit: Unit | UnitLine | None
    figures: Figures

    @property
    def unit_id(self) -> int | None:
        return self.unit.id if self.unit is not None else None


@dataclass(frozen=True)
class ComplianceTable:
    month: Month
    rows: list[UnitRow]

    @property
    def totals(self) -> Figures:
        # The rows share no one, so the whole sub-department is their sum: column by column
        # (adding 200 Figures one by one walked their fields 200 times).
        columns = zip(*(_VALUES(row.figures) for row in self.rows))
        return Figures(*map(sum, columns)) if self.rows else Figures()

    @property
    def units_with_staff(self) -> list[UnitRow]:
        return [row for row in self.rows if row.figures.staff]

    @property
    def units_below_target(self) -> list[UnitRow]:
        return [row for row in self.rows if row.figures.below_target]

    @property
    def units_complete(self) -> list[UnitRow]:
        return [row for row in self.rows if row.figures.complete]


@dataclass(frozen=True)
class StaffLine:
    employee: Employee
    # The declaration that stood at the month's end, if any.
    declaration: Declaration | None
    unit: Unit | None

    @property
    def status(self) -> str | None:
        return self.declaration.status if self.declaration is not None else None

    @property
    def compliant(self) -> bool:
        return self.status == VneidStatus.LEVEL2_ACTIVE


class MissingLine(NamedTuple):
    """A person not on level 2 at a month's end, as the files list them: plain columns, not
    entities (the files list ~11,000 people at province scale)."""

    employee_id: int
    unit_id: int | None  # None: staff the directory puts in no unit
    unit_name: str | None
    full_name: str
    title: str | None
    # The status and the moment (stored UTC) of the declaration standing at the month's end.
    status: str | None
    declared_at: datetime | None

    @property
    def compliant(self) -> bool:
        return self.status == VneidStatus.LEVEL2_ACTIVE


@dataclass(frozen=True)
class MonthNotices:
    """A unit's notices on its month page, as they stood at the month's end: those dated in
    the month, and those still awaiting a decision then (a notice can be in both)."""

    dated: list[NoticeRow]
    awaiting: list[NoticeRow]


@dataclass(frozen=True)
class DecisionLine:
    appraisal: Appraisal
    employee_name: str
    outcome: str
    notices: int


@dataclass(frozen=True)
class MonthPoint:
    month: Month
    staff: int
    level2: int

    @property
    def percent(self) -> float | None:
        return 100 * self.level2 / self.staff if self.staff else None


@dataclass(frozen=True)
class History:
    months: list[Month]
    # Per unit id (None: no unit), one point per month, oldest first.
    by_unit: dict[int | None, list[MonthPoint]]
    # Per month, the units whose counts the records dated in it moved (someone joined, left,
    # moved or declared); the first month's is empty. A history brought up to date keeps
    # the lines of these units of the months it keeps (history._refreshed); for the running
    # month, which it never keeps, it may know only those the roster moved.
    moved: tuple[frozenset[int | None], ...] = ()

    def of(self, unit_id: int | None) -> list[MonthPoint]:
        return self.by_unit.get(unit_id) or [MonthPoint(m, 0, 0) for m in self.months]

    @property
    def total(self) -> list[MonthPoint]:
        points = []
        for index, month in enumerate(self.months):
            staff = sum(series[index].staff for series in self.by_unit.values())
            level2 = sum(series[index].level2 for series in self.by_unit.values())
            points.append(MonthPoint(month, staff, level2))
        return points
