"""Dates as people type them, and what is not a date: shared by the form and browser tests."""
from __future__ import annotations

from datetime import date

# What people type, and the day it means; shared with the browser test of static/js/dates.js.
TYPED = {
    "15/11/2025": date(2025, 11, 15),
    "15112025": date(2025, 11, 15),
    "15-11-2025": date(2025, 11, 15),
    "15.11.2025": date(2025, 11, 15),
    "15 11 2025": date(2025, 11, 15),
    " 15 / 11 / 2025 ": date(2025, 11, 15),
    "5/3/2024": date(2024, 3, 5),
    "05/03/24": date(2024, 3, 5),
    "050324": date(2024, 3, 5),
    "5.3.24": date(2024, 3, 5),
    "29/02/2024": date(2024, 2, 29),
    "01/01/0001": date(1, 1, 1),
}
NOT_DATES = ["", "15/11", "2025-11-15", "1511202", "151120255", "15/11/202", "15/11/2025x",
             "a5/11/2025", "15//11/2025", "15/11/2025/1", "१५/११/२०२५", "１５/１１/２０２５"]
NOT_ON_THE_CALENDAR = ["31/02/2024", "29/02/2025", "00/01/2025", "15/13/2025", "15/00/2025", "01/01/0000"]
