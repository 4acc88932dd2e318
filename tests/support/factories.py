"""Records made by hand for tests: staff, declarations, notices and decisions at given
times, and the small data set the compliance figures are checked against.

Dates are UTC as stored; the month boundaries are local time (UTC+7): March 2024 ends at
2024-03-31 16:59:59.999999 UTC.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select

from intranet.extensions import db
from intranet.months import Month
from intranet.models import (
    Appraisal,
    AppraisalOutcome,
    Declaration,
    Employee,
    IssuingBody,
    Notice,
    NoticeCase,
    Unit,
)
from intranet.vietnamese import name_sort_key

# The months the data set is about.
MARCH, APRIL = Month(2024, 3), Month(2024, 4)
HIRED = datetime(2024, 1, 1)


def add_employee(name: str, unit: Unit | None, *, created_at: datetime = HIRED, **kwargs) -> Employee:
    username = f"u{db.session.query(Employee).count() + 1}"
    employee = Employee(
        username=username, directory_dn=f"uid={username}", full_name=name,
        sort_key=name_sort_key(name), unit=unit, created_at=created_at, **kwargs,
    )
    db.session.add(employee)
    return employee


def declare(employee: Employee, status: str, at: datetime) -> None:
    db.session.add(
        Declaration(
            employee=employee, status=status, declared_at=at, committed=status == "level2_active",
            activated_on=at.date() if status == "level2_active" else None,
        )
    )


def add_notice(employee: Employee, unit: Unit, dated: date, recorded: datetime, **kwargs) -> Notice:
    notice = Notice(
        employee=employee, unit=unit, issuing_body=db.session.scalars(select(IssuingBody)).first(),
        reference_number=kwargs.pop("reference", f"{dated:%d%m}/TB"), notice_date=dated,
        recorded_by=employee, recorded_at=recorded, **kwargs,
    )
    notice.cases.append(
        NoticeCase(position=1, procedure_name="Đăng ký thường trú", dossier_code=f"H-{dated}-{recorded}",
                   filed_on=dated, receiving_officer="Trần Thị B")
    )
    db.session.add(notice)
    return notice


def decide(notices: list[Notice], employee: Employee, recorded: datetime, **kwargs) -> Appraisal:
    appraisal = Appraisal(
        employee=employee, unit=notices[0].unit if notices else employee.unit, period_kind="month",
        period_year=recorded.year, period_number=recorded.month,
        outcome=db.session.scalars(select(AppraisalOutcome)).first(), rationale="Đã xem xét",
        recorded_by=employee, recorded_at=recorded, **kwargs,
    )
    appraisal.notices.extend(notices)
    db.session.add(appraisal)
    return appraisal


@dataclass
class DataSet:
    units: dict[str, int] = field(default_factory=dict)
    people: dict[str, int] = field(default_factory=dict)
    notices: dict[str, int] = field(default_factory=dict)


def build_data_set() -> DataSet:
    """Units A (mixed), B (all on level 2), C (no staff), D (retired, one notice), E (retired,
    nothing); staff in no unit; notices and decisions around the end of March 2024."""
    # Names the demo directory does not use, so the set also fits beside a synced directory.
    a, b = Unit("Hạt Kiểm lâm Hoài Ân"), Unit("Phòng Sử dụng và phát triển rừng")
    c = Unit("Hạt Kiểm lâm Phù Mỹ")
    d, e = Unit("Hạt Kiểm lâm Phù Cát", active=False), Unit("Trạm Kiểm lâm đã giải thể", active=False)
    db.session.add_all([a, b, c, d, e])
    p = {
        "on_level2": add_employee("Nguyễn Văn An", a),
        "level2_after_month": add_employee("Trần Thị Bình", a),
        "level2_last_evening": add_employee("Lê Văn Cường", a),
        "level2_after_midnight": add_employee("Phạm Thị Dung", a),
        "left_before": add_employee("Hồ Văn Em", a, left_at=datetime(2024, 2, 15), active=False),
        "joined_after": add_employee("Võ Thị Giang", a, created_at=datetime(2024, 4, 5)),
        "pending": add_employee("Đặng Văn Hải", a),
        "no_account": add_employee("Bùi Thị Hoa", a),
        "b1": add_employee("Đỗ Văn Khánh", b),
        "b2": add_employee("Ngô Thị Lan", b),
        "no_unit": add_employee("Lý Văn Minh", None),
    }
    declare(p["on_level2"], "level2_active", datetime(2024, 2, 10))
    declare(p["level2_after_month"], "level1", datetime(2024, 2, 1))
    declare(p["level2_after_month"], "level2_active", datetime(2024, 4, 2))
    declare(p["level2_last_evening"], "level1", datetime(2024, 3, 1))
    declare(p["level2_last_evening"], "level2_active", datetime(2024, 3, 31, 16, 30))  # 23:30 local
    declare(p["level2_after_midnight"], "level2_active", datetime(2024, 3, 31, 17, 30))  # 1 April, 00:30
    declare(p["left_before"], "level1", datetime(2024, 1, 10))
    declare(p["pending"], "level2_pending", datetime(2024, 3, 5))
    declare(p["no_account"], "none", datetime(2024, 3, 6))
    declare(p["b1"], "level2_active", datetime(2024, 1, 20))
    declare(p["b2"], "level2_active", datetime(2024, 3, 1))

    who = p["on_level2"]
    n = {
        "decided": add_notice(who, a, date(2024, 3, 5), datetime(2024, 3, 6)),
        "corrected": add_notice(who, a, date(2024, 3, 10), datetime(2024, 3, 11)),
        "older_awaiting": add_notice(who, a, date(2024, 2, 20), datetime(2024, 2, 21)),
        "recorded_after": add_notice(who, a, date(2024, 3, 25), datetime(2024, 4, 3)),
        "decided_after": add_notice(who, a, date(2024, 2, 10), datetime(2024, 2, 11)),
        "old_decided": add_notice(who, a, date(2024, 1, 10), datetime(2024, 1, 11)),
        "corrected_in_april": add_notice(who, a, date(2024, 3, 20), datetime(2024, 3, 21)),
        "retired_unit": add_notice(p["b1"], d, date(2024, 3, 15), datetime(2024, 3, 15)),
    }
    db.session.flush()
    n["correction"] = add_notice(
        who, a, date(2024, 3, 12), datetime(2024, 3, 15), corrects=n["corrected"], correction_reason="Sai ngày"
    )
    n["april_correction"] = add_notice(
        who, a, date(2024, 3, 20), datetime(2024, 4, 2), corrects=n["corrected_in_april"], correction_reason="Sai số"
    )
    decide([n["decided"]], who, datetime(2024, 3, 20))
    decide([n["old_decided"]], who, datetime(2024, 1, 20))
    # 17:00 UTC on 31 March is midnight local: a decision of April.
    decide([n["decided_after"]], who, datetime(2024, 3, 31, 17, 0))
    first = decide([], who, datetime(2024, 3, 21))
    db.session.flush()
    decide([], who, datetime(2024, 3, 22), corrects=first, correction_reason="Sửa kết quả")
    db.session.commit()
    return DataSet(
        units={"A": a.id, "B": b.id, "C": c.id, "D": d.id, "E": e.id},
        people={key: person.id for key, person in p.items()},
        notices={key: notice.id for key, notice in n.items()},
    )
