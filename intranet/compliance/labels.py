"""The words the compliance page, the report and the exports share: one msgid per column."""
from __future__ import annotations

from typing import NamedTuple

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from ..declarations.rules import NOT_DECLARED, SHORT_LABELS
from ..models import Unit, VneidStatus
from .results import STATUS_GROUPS, UnitLine

# The table's columns, in the order the page, the report and the files show them.
COLUMNS = {
    "name": _l("Đơn vị"),
    "staff": _l("Số CC, VC, NLĐ"),
    "level2": _l("Đã kích hoạt mức độ 2"),
    "percent": _l("Tỷ lệ đã kích hoạt (%)"),
    "pending": SHORT_LABELS[VneidStatus.LEVEL2_PENDING],
    "level1": _l("Mới có mức độ 1"),
    "no_account": SHORT_LABELS[VneidStatus.NONE],
    "undeclared": NOT_DECLARED,
    "notices": _l("Thông báo trong tháng"),
    "awaiting": _l("Thông báo chờ đề xuất"),
    "decisions": _l("Đề xuất trong tháng"),
}
# The filters of a unit's staff list: the status columns, and everyone not on level 2.
STAFF_FILTER_LABELS = {
    **{name: COLUMNS[name] for name in STATUS_GROUPS},
    "missing": _l("Chưa kích hoạt mức độ 2"),
}
NO_UNIT = _l("Chưa thuộc đơn vị nào")
# The totals row and the chart line of the whole sub-department.
WHOLE = _l("Toàn Chi cục")


class FigureColumn(NamedTuple):
    name: str
    label: Markup  # escaped once here rather than in every row
    # What a count's link adds to its unit's page URL: the column's filter and section.
    link: Markup


def figure_columns() -> list[FigureColumn]:
    """The table's figure columns with their labels in the current language."""
    sections = {"notices": "notices", "awaiting": "notices", "decisions": "decisions"}
    columns = []
    for name, label in COLUMNS.items():
        if name == "name":
            continue
        status = f"&status={name}" if name in STATUS_GROUPS else ""
        link = Markup("{}#{}").format(status, sections.get(name, "staff"))
        columns.append(FigureColumn(name, escape(str(label)), link))
    return columns


def unit_name(unit: Unit | UnitLine | None) -> str:
    return unit.name if unit is not None else str(NO_UNIT)


def status_labels() -> dict[str | None, str]:
    """Each status's short label in the current language; None for never declared."""
    labels: dict[str | None, str] = {status: str(label) for status, label in SHORT_LABELS.items()}
    labels[None] = str(NOT_DECLARED)
    return labels
