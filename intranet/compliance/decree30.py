"""How Decree 30/2020/NĐ-CP (administrative documents) writes the printed report's parts."""
from __future__ import annotations

from datetime import date


def decree30_date(day: date) -> tuple[str, str, str]:
    """Day, month, year as Decree 30/2020/NĐ-CP writes a document's date: a leading zero on
    days below 10 and on months 1 and 2 ("ngày 05 tháng 02 năm 2026", "ngày 25 tháng 11")."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{day.day:02d}", month, str(day.year)
