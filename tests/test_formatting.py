"""Numbers in the user's language: Vietnamese groups thousands with '.' and writes ',' for the decimal."""
from __future__ import annotations

import pytest
from flask import Flask, render_template_string, session
from babel.numbers import format_decimal
from flask_babel import refresh

from intranet.formatting import number


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("vi", "20.000 cán bộ, 44,4% – 0,0% – 100,0%"), ("en", "20,000 cán bộ, 44.4% – 0.0% – 100.0%")],
)
def test_figures_on_a_page_follow_the_language(app: Flask, lang: str, expected: str) -> None:
    with app.test_request_context():
        session["lang"] = lang
        refresh()
        page = render_template_string(
            "{{ 20000|number }} cán bộ, {{ (400 / 9)|number(1) }}% – {{ 0|number(1) }}% – {{ 100|number(1) }}%"
        )
    assert page == expected


@pytest.mark.parametrize("value", [0, 7, 999, 1000, 1234567, 44.444, 2.25, 99.95, 100.0])
@pytest.mark.parametrize("digits", [0, 1])
@pytest.mark.parametrize("locale", ["vi", "en"])
def test_the_same_digits_as_babel(value: float, digits: int, locale: str) -> None:
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    assert number(value, digits, locale) == format_decimal(value, format=pattern, locale=locale)


def test_nothing_for_no_value(app: Flask) -> None:
    with app.test_request_context():
        assert number(None) == ""
