"""The month a compliance statement asks about, passed as parameters, so that each
statement is built and compiled once and then run for any month."""
from __future__ import annotations

from sqlalchemy import Date, DateTime, Integer, bindparam

from ..clock import local_today
from ..models import utcnow
from ..months import Month

# The month a statement asks about, as named parameters: each statement is built and
# compiled once, then run for any month with month_params(month).
MONTH_START = bindparam("month_start", type_=DateTime)  # its first instant, in stored UTC
MONTH_END = bindparam("month_end", type_=DateTime)  # its last instant
FIRST_DAY = bindparam("first_day", type_=Date)
LAST_DAY = bindparam("last_day", type_=Date)
# A notice due before this day and still awaiting is overdue: the month's last day, or today.
DUE_BEFORE = bindparam("due_before", type_=Date)
# The unit a unit's page asks about (its figures, staff, notices and decisions), passed as
# "unit_id" beside month_params(month), for the same reason.
UNIT = bindparam("unit_id", type_=Integer)


def month_params(month: Month) -> dict[str, object]:
    """The parameters of a statement built on MONTH_START, MONTH_END, FIRST_DAY and LAST_DAY."""
    return {
        "month_start": month.starts_utc(), "month_end": month.ends_utc(),
        "first_day": month.first_day, "last_day": month.last_day,
        "due_before": min(month.last_day, local_today()),
    }


def is_running(month: Month) -> bool:
    """Whether the month has not ended yet: nothing recorded can be dated after its end."""
    return month.ends_utc() >= utcnow()
