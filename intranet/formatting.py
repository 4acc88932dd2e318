"""Template filters: Vietnamese dates (dd/mm/yyyy) and numbers, in the user's language."""
from __future__ import annotations

from datetime import date, datetime

from flask import Flask, current_app
from flask_babel import format_datetime, format_decimal, get_locale


def date_vn(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_datetime(value, "dd/MM/yyyy")
    return value.strftime("%d/%m/%Y")


def datetime_vn(value: datetime | None) -> str:
    return format_datetime(value, "dd/MM/yyyy HH:mm") if value else ""


def month_vn(value: date | None) -> str:
    return f"{value.month:02d}/{value.year}" if value else ""


def number(value: float | int | None, digits: int = 0) -> str:
    if value is None:
        return ""
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern)


def register(app: Flask) -> None:
    app.add_template_filter(date_vn)
    app.add_template_filter(datetime_vn)
    app.add_template_filter(month_vn)
    app.add_template_filter(number)

    @app.context_processor
    def globals_() -> dict[str, object]:
        return {
            "agency_name": current_app.config["AGENCY_NAME"],
            "current_locale": str(get_locale()),
        }
