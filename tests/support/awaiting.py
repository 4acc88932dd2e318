"""Notices of every kind the queues tell apart, for the tests that count them: about staff, about
a head or a leader (the admin's), about oneself, corrected, decided, decided by a decision that
was corrected since, in a unit without a head; and a leader who is neither head nor admin."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from intranet.extensions import db
from intranet.models import Employee, Unit

from .clock import agency_today
from .factories import add_employee, add_notice, decide


def notices_of_every_kind(head_username: str, admin_username: str) -> None:
    """Committed; the head and the admin are the synced demo directory's."""
    today, now = agency_today(), datetime.now() - timedelta(hours=1)
    head = db.session.scalar(select(Employee).filter_by(username=head_username))
    admin = db.session.scalar(select(Employee).filter_by(username=admin_username))
    unit = head.unit
    staff = [person for person in unit.staff if person.active and not person.is_head][:2]
    add_employee("Phó Chi cục trưởng Đếm", unit, is_leader=True, email="pho.dem@kiemlam.gov.vn")
    headless = Unit("Trạm Kiểm lâm không có trưởng")
    alone = add_employee("Nhân viên Trạm Không Trưởng", headless)
    gone_head = add_employee("Trưởng Trạm Đã Nghỉ", headless, is_head=True, active=False)
    db.session.flush()

    def notice(about: Employee, where: Unit, reference: str, **kwargs: object):
        return add_notice(about, where, today - timedelta(days=1), now, reference=reference, **kwargs)

    for n, person in enumerate(staff):  # the head's, twice each
        notice(person, unit, f"{n}/TB-NV")
        notice(person, unit, f"{n}/TB-NV2")
    notice(head, unit, "1/TB-TT", route="admin")  # about the head: the admin's and the leader's
    notice(admin, admin.unit, "1/TB-QT", route="admin")  # about the admin: never their own
    notice(head, unit, "2/TB-TT")  # routed to the unit before they were its head: nobody's
    corrected = notice(staff[0], unit, "3/TB-SAI")
    notice(staff[0], unit, "3/TB-DUNG", corrects=corrected, correction_reason="Sai số")
    decide([notice(staff[1], unit, "4/TB-XONG")], head, now)
    undone = decide([notice(staff[1], unit, "5/TB-MO")], head, now)
    decide([], head, now + timedelta(minutes=1), corrects=undone, correction_reason="Nhầm thông báo")
    notice(alone, headless, "6/TB-KT")  # its head has left: nobody is reminded of it
    notice(gone_head, headless, "7/TB-KT", route="admin")
    db.session.commit()
