"""Template filters: Vietnamese dates (dd/mm/yyyy) and numbers, in the user's language."""
from __future__ import annotations

from datetime import date, datetime
from functools import cache

from babel.numbers import get_decimal_symbol, get_group_symbol
from flask import Flask
from flask_babel import format_datetime, get_locale
from jinja2 import pass_context
from jinja2.runtime import Context

from .validation import error_links


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


@cache
def _separators(locale: str) -> dict[int, str]:
    """Python's ',' and '.' mapped to the locale's group and decimal symbols (vi: '.' and ',')."""
    return str.maketrans({",": get_group_symbol(locale), ".": get_decimal_symbol(locale)})


def number(value: float | int | None, digits: int = 0, locale: str | None = None) -> str:
    # Python's formatting with the locale's symbols: a table page formats thousands of
    # figures, and Babel's pattern formatting costs twenty times as much per figure.
    if value is None:
        return ""
    return format(value, f",.{digits}f").translate(_separators(locale or str(get_locale())))


@pass_context
def number_filter(context: Context, value: float | int | None, digits: int = 0) -> str:
    # The page's locale from its context (see globals_ below): asking Flask-Babel for it
    # for each of a table's figures costs more than the formatting.
    return number(value, digits, context.get("current_locale"))


def register(app: Flask) -> None:
    app.add_template_filter(date_vn)
    app.add_template_filter(datetime_vn)
    app.add_template_filter(month_vn)
    app.add_template_filter(number_filter, "number")
    app.add_template_global(error_links)

    @app.context_processor
    def globals_() -> dict[str, object]:
        return {
            "current_locale": str(get_locale()),
        }
