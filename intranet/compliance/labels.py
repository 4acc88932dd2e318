"""The words the compliance page, the report and the exports share: one msgid per column."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..declarations.rules import NOT_DECLARED, SHORT_LABELS
from ..models import Unit, VneidStatus
from .queries import STATUS_GROUPS

# The table's columns, in the order the page, the report and the files show them.
COLUMNS = {
    "name": _l("Đơn vị"),
    "staff": _l("Số cán bộ"),
    "level2": SHORT_LABELS[VneidStatus.LEVEL2_ACTIVE],
    "percent": _l("Tỷ lệ mức độ 2"),
    "pending": SHORT_LABELS[VneidStatus.LEVEL2_PENDING],
    "level1": SHORT_LABELS[VneidStatus.LEVEL1],
    "no_account": SHORT_LABELS[VneidStatus.NONE],
    "undeclared": NOT_DECLARED,
    "notices": _l("Thông báo trong tháng"),
    "awaiting": _l("Thông báo chờ quyết định"),
    "decisions": _l("Quyết định trong tháng"),
}
# The filters of a unit's staff list: the status columns, and everyone not on level 2.
STAFF_FILTER_LABELS = {
    **{name: COLUMNS[name] for name in STATUS_GROUPS},
    "missing": _l("Chưa đạt mức độ 2"),
}
NO_UNIT = _l("Chưa thuộc đơn vị nào")
# The totals row and the chart line of the whole sub-department.
WHOLE = _l("Toàn Chi cục")


def unit_name(unit: Unit | None) -> str:
    return unit.name if unit is not None else str(NO_UNIT)


def status_labels() -> dict[str | None, str]:
    """Each status's short label in the current language; None for never declared."""
    labels: dict[str | None, str] = {status: str(label) for status, label in SHORT_LABELS.items()}
    labels[None] = str(NOT_DECLARED)
    return labels
