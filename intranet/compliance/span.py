"""From which month the figures exist: the month of the roster's first entry.

Past months place each person by the roster, and the roster starts at the first directory
sync (or at each person's creation, for databases migrated from before it): earlier months
would only show zeros, so the pages neither offer nor show them.
"""
from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from flask import current_app, g
from sqlalchemy import func, select

from ..extensions import db
from ..models import RosterEntry
from ..months import EARLIEST, Month, current_month
from .memo import remembered


def first_month() -> Month:
    """The first month with figures; the current month before any sync. Once per request."""
    if "first_month" not in g:
        # Any roster write moves the figures version (database/figures_version.py): a page
        # shown again at the same number asks the database one statement fewer.
        first_at = remembered("first roster entry", _first_roster_entry)
        if first_at is None:
            g.first_month = current_month()
        else:
            zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
            local = first_at.replace(tzinfo=timezone.utc).astimezone(zone)
            g.first_month = min(max(Month.containing(local.date()), EARLIEST), current_month())
    return g.first_month


def _first_roster_entry() -> datetime | None:
    return db.session.scalar(select(func.min(RosterEntry.at)))
