"""The compliance table as files (XLSX, CSV), built as bytes here; the views only send them."""
from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, timedelta, timezone, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask_babel import gettext as _
from flask_babel import get_timezone

from ..months import Month
from . import xlsx
from .labels import COLUMNS, NO_UNIT, WHOLE, status_labels, unit_name
from .results import ComplianceTable, Figures, MissingLine
from .xlsx import Column
from .xlsx_rows import FORMULA_STARTS

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Flask adds "; charset=utf-8" to any text/* type itself; naming it here sent it twice.
CSV_MIMETYPE = "text/csv"

# Every column after the unit's name.
FIGURES = tuple(COLUMNS)[1:]
# Column of the percentage in the table's rows: after STT and the unit's name.
PERCENT = 2 + FIGURES.index("percent")
DAY, TICK = timedelta(days=1), timedelta(microseconds=1)
MISSING: Any = object()


def neutralise(value: Any) -> Any:
    """For CSV, which has no cell types: text a spreadsheet would run as a formula, made plain
    text with a leading apostrophe (the XLSX uses string cells and the quote-prefix style)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def filename(stem: str, month: Month, extension: str, suffix: str = "") -> str:
    return f"{stem}-{month.iso}{suffix}.{extension}"


# --- the rows, shared by both formats --------------------------------------------------


def _table_header() -> list[str]:
    return [_("STT"), str(COLUMNS["name"]), *(_header(name) for name in FIGURES)]


def _header(name: str) -> str:
    return str(COLUMNS[name])  # the percentage's label says "(%)" itself


def _figure_cells(figures: Figures) -> list[int | float | None]:
    return [figures.percent if name == "percent" else getattr(figures, name) for name in FIGURES]


def _table_rows(table: ComplianceTable) -> list[list[Any]]:
    rows = [
        [number, unit_name(row.unit), *_figure_cells(row.figures)]
        for number, row in enumerate(table.rows, start=1)
    ]
    rows.append([None, str(WHOLE), *_figure_cells(table.totals)])
    return rows


def _staff_header() -> list[str]:
    return [_("STT"), str(COLUMNS["name"]), _("Họ và tên"), _("Chức danh"), _("Tình trạng VNeID"),
            _("Ngày kê khai")]


def _staff_rows(staff: Sequence[MissingLine]) -> list[list[Any]]:
    labels = status_labels()
    no_unit = str(NO_UNIT)
    local_date = _local_dates()
    return [
        [
            number,
            line.unit_name if line.unit_id is not None else no_unit,
            line.full_name,
            line.title,
            labels.get(line.status, line.status),
            local_date(line.declared_at) if line.declared_at is not None else None,
        ]
        for number, line in enumerate(staff, start=1)
    ]


def _local_dates() -> Callable[[datetime], date]:
    """The day a stored moment (UTC) falls on where the users are; the zone is looked up once,
    not for each of thousands of lines, and converted by zoneinfo (C) rather than pytz
    (Python), a third of the time. A UTC day through which the zone's offset stays the same
    (every day but those of a clock change) is converted by adding that offset, a third of
    the time again."""
    zone: tzinfo = get_timezone()
    try:
        zone = ZoneInfo(str(zone))
    except (ZoneInfoNotFoundError, ValueError):
        pass  # a zone only pytz knows: slower, the same answer
    offsets: dict[date, timedelta | None] = {}  # by UTC day; None: the offset changes that day

    def offset_through(day: date) -> timedelta | None:
        start = datetime(day.year, day.month, day.day, tzinfo=timezone.utc)
        first = start.astimezone(zone).utcoffset()
        return first if (start + DAY - TICK).astimezone(zone).utcoffset() == first else None

    def local_date(moment: datetime) -> date:
        if moment.tzinfo is None:
            day = moment.date()
            offset = offsets.get(day, MISSING)
            if offset is MISSING:
                offset = offsets[day] = offset_through(day)
            if offset is not None:
                return (moment + offset).date()
            moment = moment.replace(tzinfo=timezone.utc)
        return moment.astimezone(zone).date()

    return local_date


# --- XLSX ------------------------------------------------------------------------------


def compliance_xlsx(table: ComplianceTable, missing: Sequence[MissingLine]) -> bytes:
    """Two sheets: the table with its totals, then everyone not on level 2, unit by unit."""
    figures = [Column(header, "percent" if name == "percent" else "int", min_width=10, max_width=14)
               for name, header in zip(FIGURES, _table_header()[2:], strict=True)]
    staff_header = _staff_header()
    return xlsx.workbook([
        xlsx.Table(
            sheet_name=_("Tổng hợp"),
            title=_("Tình hình kích hoạt tài khoản định danh điện tử mức độ 2 – tháng %(month)s",
                    month=table.month.label),
            columns=[Column(_("STT"), "int", width=6), Column(str(COLUMNS["name"]), min_width=20),
                     *figures],
            rows=_table_rows(table),
            totals=True,
        ),
        xlsx.Table(
            sheet_name=_("Chưa đạt"),
            title=_("Công chức, viên chức, người lao động chưa kích hoạt tài khoản mức độ 2 – tháng %(month)s",
                    month=table.month.label),
            columns=[Column(staff_header[0], "int", width=7), Column(staff_header[1], min_width=20),
                     Column(staff_header[2], min_width=16, max_width=36),
                     Column(staff_header[3], min_width=12, max_width=36),
                     Column(staff_header[4], min_width=14, max_width=26),
                     Column(staff_header[5], "date")],
            rows=_staff_rows(missing),
        ),
    ])


# --- CSV -------------------------------------------------------------------------------


def compliance_csv(table: ComplianceTable, vietnamese: bool = False) -> bytes:
    """The table with its totals row; the percentage rounded to one decimal."""
    rows = _table_rows(table)
    for row in rows:
        if row[PERCENT] is not None:
            row[PERCENT] = round(row[PERCENT], 1)
    return _csv(_table_header(), rows, vietnamese)


def missing_csv(missing: Sequence[MissingLine], vietnamese: bool = False) -> bytes:
    """Everyone not on level 2 at the month's end; dates written dd/mm/yyyy."""
    rows = _staff_rows(missing)
    written: dict[date, str] = {}  # ~11,000 lines, a few hundred days
    for row in rows:
        day = row[-1]
        if day is not None:
            text = written.get(day)
            if text is None:
                text = written[day] = day.strftime("%d/%m/%Y")
            row[-1] = text
    return _csv(_staff_header(), rows, vietnamese)


def _csv(header: list[str], rows: Iterable[list[Any]], vietnamese: bool = False) -> bytes:
    """Comma-separated with a decimal point; or, for Excel with Vietnamese regional settings
    (whose list separator is ';' and decimal symbol ','), semicolons and decimal commas."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if vietnamese else ",")
    writer.writerow(header)
    if vietnamese:  # floats only, tested inline: a call for each of ~66,000 values cost more
        rows = ([str(value).replace(".", ",") if type(value) is float else value for value in row]
                for row in rows)
    # Only text can run as a formula: numbers pass without a call each.
    writer.writerows([neutralise(value) if type(value) is str else value for value in row]
                     for row in rows)
    # The byte-order mark is what makes Excel read the file as UTF-8.
    return buffer.getvalue().encode("utf-8-sig")
