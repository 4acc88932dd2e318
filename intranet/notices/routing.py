"""Who acts on a notice, and by when: the rules fixed when the notice is recorded.

A notice goes to the head of the person's unit; one about a head or a leader (an admin), or
about someone no longer on the staff or in no unit, goes to the admin (the leadership decides
about heads). The reply is due a number of working days (Monday to Friday) after recording.
"""
from __future__ import annotations

from datetime import date, timedelta

from flask import current_app

from ..access import routed_to_admin
from ..models import Employee

UNIT = "unit"
ADMIN = "admin"


def route_for(employee: Employee) -> str:
    """The route a notice about `employee` takes (the rule is access.routed_to_admin)."""
    return ADMIN if routed_to_admin(employee) else UNIT


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start` (weekends skipped, no holiday table)."""
    day = start
    while days > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def reply_due_on(recorded_on: date) -> date:
    return add_working_days(recorded_on, current_app.config["NOTICE_REPLY_WORKING_DAYS"])
