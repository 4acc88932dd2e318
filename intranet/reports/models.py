"""What the admin sets for the printed report: names, place, signer, recipients, unit order."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..models import utcnow

# The one row of report_settings: the agency has one heading, one signer, one list of recipients.
SETTINGS_ID = 1


class ReportSettings(db.Model):
    """The agency's names and the report's fixed parts; empty until the admin fills them.

    Data rather than code, since names, the province and the signer change (the 2025 reform
    merged provinces and renamed parent departments).
    """

    __tablename__ = "report_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_name: Mapped[str] = mapped_column(String(200), default="")
    parent_agency_name: Mapped[str] = mapped_column(String(200), default="")
    # "tỉnh …" or "thành phố …": printed after the parent agency's name.
    province: Mapped[str] = mapped_column(String(100), default="")
    # Place of issue (địa danh) before the date: "…, ngày … tháng … năm …".
    place: Mapped[str] = mapped_column(String(100), default="")
    # Symbol after the number: the document kind and the agency, abbreviated ("BC-…").
    symbol: Mapped[str] = mapped_column(String(50), default="")
    # The documents the report answers, one per line ("Căn cứ Công văn số …").
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    signer_title: Mapped[str] = mapped_column(String(100), default="")
    # "KT." (ký thay): a deputy signs for the head, under the deputy's own title.
    signs_for_head: Mapped[bool] = mapped_column(default=False)
    deputy_title: Mapped[str] = mapped_column(String(100), default="")
    signer_name: Mapped[str] = mapped_column(String(100), default="")
    # One recipient per line, as printed under "Nơi nhận:".
    recipients: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime | None] = mapped_column()
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"))


class ReportMonth(db.Model):
    """What the officer writes for one month's report before printing it: a working draft,
    edited until the report is signed (the signed paper is the record)."""

    __tablename__ = "report_month"

    id: Mapped[int] = mapped_column(primary_key=True)
    # "2026-10"
    month: Mapped[str] = mapped_column(String(7), unique=True)
    # The number the registry gives the signed report; blank until then.
    number: Mapped[str] = mapped_column(String(20), default="")
    difficulties: Mapped[str] = mapped_column(Text, default="")
    recommendations: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"))


class UnitReportOrder(db.Model):
    """Where a unit comes in the report's tables: the order the agency lists its units in
    (departments, then the team, then the stations), not the alphabet."""

    __tablename__ = "unit_report_order"

    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), primary_key=True)
    position: Mapped[int] = mapped_column()
