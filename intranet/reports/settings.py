"""Reading and writing what the admin sets for the report; every change is in the audit log."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

from flask import g, has_app_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import ScalarSelect, delete, select
from sqlalchemy.exc import SQLAlchemyError

from .. import audit
from ..extensions import db
from ..models import Employee, Unit, utcnow
from ..months import Month
from ..validation import RuleViolation
from ..vietnamese import normalize
from .models import SETTINGS_ID, ReportMonth, ReportSettings, UnitReportOrder

# The one-line texts of the settings; legal_basis and recipients are several lines each.
LINE_FIELDS = (
    "agency_name", "parent_agency_name", "province", "place", "symbol",
    "signer_title", "deputy_title", "signer_name",
)
TEXT_FIELDS = ("legal_basis", "recipients")


class AgencyNames(NamedTuple):
    """The agency's name and its parent agency's, as the admin set them for documents."""

    agency_name: str
    parent_agency_name: str


_NO_NAMES = AgencyNames("", "")
_NAME_COLUMNS = (ReportSettings.agency_name, ReportSettings.parent_agency_name)


def report_settings() -> ReportSettings:
    """The settings row; a blank, unsaved one on a database that has none yet."""
    settings = db.session.get(ReportSettings, SETTINGS_ID)
    # The page's header (agency_names) need not read the row again: the report, one
    # statement fewer.
    names = _NO_NAMES if settings is None else (settings.agency_name, settings.parent_agency_name)
    remember_agency_names(*names)
    if settings is None:
        settings = ReportSettings(id=SETTINGS_ID, **{name: "" for name in LINE_FIELDS + TEXT_FIELDS})
        settings.signs_for_head = False
    return settings


def agency_names() -> AgencyNames:
    """The agency's names, read once per request: every page's header shows the agency's, the
    rating summary both.

    An error page must still render when the database does not answer: then no names.
    """
    if not has_app_context():
        return _NO_NAMES
    if "agency_names" not in g:  # kept in g for the rest of the request
        try:
            row = db.session.execute(
                select(*_NAME_COLUMNS).where(ReportSettings.id == SETTINGS_ID)
            ).first()
        except SQLAlchemyError:
            db.session.rollback()
            row = None
        remember_agency_names(*(row or _NO_NAMES))
    return g.agency_names


def agency_name() -> str:
    return agency_names().agency_name


def agency_name_columns() -> list[ScalarSelect[str | None]]:
    """The agency's names as columns, for a statement every page sends anyway (the signed-in
    user's, auth/session.py) to bring along: one statement fewer per page."""
    return [select(column).where(ReportSettings.id == SETTINGS_ID).scalar_subquery()
            for column in _NAME_COLUMNS]


def remember_agency_names(agency_name: str | None, parent_agency_name: str | None) -> None:
    """What agency_names() answers for the rest of the request, read by another statement."""
    if has_app_context() and "agency_names" not in g:
        g.agency_names = AgencyNames(agency_name or "", parent_agency_name or "")


def _lines(text: str) -> str:
    """Each line tidied, blank lines dropped: what the report prints one per line."""
    return "\n".join(line for line in (normalize(part) for part in text.splitlines()) if line)


def save_settings(actor: Employee, values: Mapping[str, object]) -> ReportSettings:
    settings = report_settings()
    changed = []
    for name in LINE_FIELDS + TEXT_FIELDS:
        raw = str(values.get(name) or "")
        value = _lines(raw) if name in TEXT_FIELDS else normalize(raw)
        if getattr(settings, name) != value:
            changed.append(name)
        setattr(settings, name, value)
    signs_for_head = bool(values.get("signs_for_head"))
    if signs_for_head and not settings.deputy_title:
        raise RuleViolation("deputy_title", _l("Khi ký thay (KT.), hãy nhập chức vụ của người ký."))
    if settings.signs_for_head != signs_for_head:
        changed.append("signs_for_head")
    settings.signs_for_head = signs_for_head
    settings.updated_at = utcnow()
    settings.updated_by_id = actor.id
    db.session.add(settings)
    db.session.flush()
    audit.record("report.settings", actor=actor, obj=settings, changed=changed)
    return settings


def month_notes(month: Month) -> ReportMonth | None:
    return db.session.scalar(select(ReportMonth).where(ReportMonth.month == month.iso))


def save_month_notes(actor: Employee, month: Month, values: Mapping[str, object]) -> ReportMonth:
    """The month's number, difficulties and recommendations, as the officer last wrote them."""
    notes = month_notes(month) or ReportMonth(month=month.iso)
    notes.number = normalize(str(values.get("number") or ""))
    notes.difficulties = _lines(str(values.get("difficulties") or ""))
    notes.recommendations = _lines(str(values.get("recommendations") or ""))
    notes.updated_at = utcnow()
    notes.updated_by_id = actor.id
    db.session.add(notes)
    db.session.flush()
    audit.record("report.month_notes", actor=actor, obj=notes, month=month.iso)
    return notes


def unit_positions() -> dict[int, int]:
    return dict(db.session.execute(select(UnitReportOrder.unit_id, UnitReportOrder.position)).all())


def units_in_report_order() -> list[Unit]:
    """Active units in the agency's order; those it has not placed yet come last, by name."""
    positions = unit_positions()
    units = db.session.scalars(select(Unit).where(Unit.active.is_(True)).order_by(Unit.sort_key))
    return sorted(units, key=lambda unit: (unit.id not in positions, positions.get(unit.id, 0)))


def save_unit_order(actor: Employee, positions: Mapping[int, int]) -> None:
    """Place the units as numbered (1 first); equal numbers keep the name order."""
    known = set(db.session.scalars(select(Unit.id).where(Unit.id.in_(list(positions)))))
    unknown = set(positions) - known
    if unknown:
        raise RuleViolation("order", _l("Đơn vị không có trong danh sách."))
    db.session.execute(delete(UnitReportOrder))
    db.session.add_all(UnitReportOrder(unit_id=unit_id, position=position) for unit_id, position in positions.items())
    db.session.flush()
    audit.record("report.unit_order", actor=actor, units=len(positions))


def ordered_rows(rows: Sequence, positions: Mapping[int, int]) -> list:
    """Table rows (with .unit_id) in the agency's order; the no-unit row and units it has not
    placed last, in the order they came (by name)."""
    def key(item: tuple[int, object]) -> tuple[bool, int, int]:
        index, row = item
        unit_id = row.unit_id
        placed = unit_id is not None and unit_id in positions
        return (not placed, positions.get(unit_id, 0) if placed else 0, index)
    return [row for _index, row in sorted(enumerate(rows), key=key)]
