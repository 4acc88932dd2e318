"""The agency's today, for tests that date records or read the pages' dates.

The app counts days where the agency is (intranet/clock.py, config.AGENCY_TIMEZONE); the
test machine's clock runs on UTC, a day behind from 17:00 UTC. Works outside an app context.
"""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from config import AGENCY_TIMEZONE


def agency_today() -> date:
    return datetime.now(ZoneInfo(AGENCY_TIMEZONE)).date()
