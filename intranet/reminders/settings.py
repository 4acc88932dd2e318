"""The reminder settings: checked at start-up, and the period a reminder belongs to."""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from email.utils import parseaddr
from typing import Any
from urllib.parse import urlsplit

from ..months import Month

PERIODS = ("monthly", "weekly")
DEVELOPMENT_BASE_URL = "http://127.0.0.1:5000"  # where `make run` serves


def problems(config: Mapping[str, Any]) -> list[str]:
    """What is wrong with the reminder settings, as messages for whoever starts the app."""
    found = []
    if config["REMINDERS_PERIOD"] not in PERIODS:
        found.append(f"REMINDERS_PERIOD={config['REMINDERS_PERIOD']!r}: monthly | weekly")
    if config["REMINDERS_PENDING_DAYS"] < 1:
        found.append("REMINDERS_PENDING_DAYS < 1")
    if config["MAIL_USE_TLS"] and config["MAIL_USE_SSL"]:
        found.append("MAIL_USE_TLS + MAIL_USE_SSL: chọn một / choose one")
    base = config["APP_BASE_URL"]
    if base and (urlsplit(base).scheme not in ("http", "https") or not urlsplit(base).netloc):
        found.append(f"APP_BASE_URL={base!r}: https://host[/path]")
    if config["MAIL_FROM"] and "@" not in parseaddr(config["MAIL_FROM"])[1]:
        found.append(f"MAIL_FROM={config['MAIL_FROM']!r}: Tên <dia-chi@co-quan.gov.vn>")
    if config["REMINDERS_ENABLED"]:
        production = config["INTRANET_ENV"] == "production"
        required = ("MAIL_FROM", "APP_BASE_URL") if production else ("MAIL_FROM",)
        found += [f"REMINDERS_ENABLED=1 needs {name}" for name in required if not config[name]]
    return found


def base_url(config: Mapping[str, Any]) -> str:
    return config["APP_BASE_URL"] or DEVELOPMENT_BASE_URL


def period_of(day: date, kind: str) -> str:
    """The period `day` falls in: "2026-11" for a month, "2026-W48" for an ISO week."""
    if kind == "weekly":
        year, week, _ = day.isocalendar()
        return f"{year:04d}-W{week:02d}"
    return Month.containing(day).iso


def closed_month(day: date) -> Month:
    """The month an admin's summary is about: the last one that has ended."""
    return Month.containing(day).previous()
