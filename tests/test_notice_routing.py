"""Notices go to the head of the person's unit, or to the admin when about a head or a leader;
nobody acts on a notice about themselves; the queues put overdue notices first."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from intranet.access import can_act_on_notice
from intranet.extensions import db
from intranet.imports.names import name_key, plain_key
from intranet.models import Employee, IssuingBody, Notice, NoticeCase
from intranet.notices.queue import notices_awaiting, open_notices_page
from intranet.notices.routing import add_working_days, route_for

from .conftest import DEMO_ADMIN, DEMO_EMPLOYEE, DEMO_HEAD, csrf_token, signed_in_client
from .support.clock import agency_today
from .support.statements import recorded


def person(username: str) -> Employee:
    return db.session.scalar(select(Employee).filter_by(username=username))


def notice_about(username: str, *, due: date | None, by: str = DEMO_ADMIN, code: str = "H-1",
                 reference: str = "DS 11/2026") -> Notice:
    employee = person(username)
    notice = Notice(
        employee=employee, unit_id=employee.unit_id, issuing_body=db.session.scalar(select(IssuingBody)),
        reference_number=reference, notice_date=date(2026, 11, 20), recorded_by=person(by),
        route=route_for(employee), reply_due_on=due,
        cases=[NoticeCase(position=1, procedure_name="Thủ tục", dossier_code=code, filed_on=date(2026, 11, 3),
                          receiving_officer="")],
    )
    db.session.add(notice)
    db.session.commit()
    return notice


def test_working_days_skip_weekends() -> None:
    friday = date(2026, 11, 27)
    assert add_working_days(friday, 1) == date(2026, 11, 30)
    assert add_working_days(friday, 10) == date(2026, 12, 11)


def test_names_compare_whatever_the_spelling() -> None:
    assert name_key("Phạm Thị Hoà") == name_key("PHẠM THỊ HÒA") == name_key("Phạm  Thị Ho\u0300a")
    assert name_key("Hồ Thị Thuỷ") == name_key("Hồ Thị Thủy")
    assert name_key("Lê Văn Hùng") != name_key("Lê Văn Hưng")
    assert plain_key("Lê Văn Hùng") == plain_key("Lê Văn Hưng") == "le van hung"
    assert plain_key("Đinh") == "dinh"


def test_a_notice_about_a_head_goes_to_the_admin(synced_app: Flask) -> None:
    today = agency_today()
    with synced_app.app_context():
        about_head = notice_about(DEMO_HEAD, due=today + timedelta(days=3))
        about_staff = notice_about(DEMO_EMPLOYEE, due=today + timedelta(days=3), code="H-2")
        assert (about_head.route, about_staff.route) == ("admin", "unit")
        head, admin = person(DEMO_HEAD), person(DEMO_ADMIN)
        assert [r.notice.id for r in notices_awaiting(head, today)] == [about_staff.id]
        assert [r.notice.id for r in notices_awaiting(admin, today)] == [about_head.id]
        assert not can_act_on_notice(head, about_head) and can_act_on_notice(admin, about_head)
        assert {r.notice.id for r in open_notices_page(today, 1, 100)[0]} == {about_head.id, about_staff.id}


def test_the_queue_shows_overdue_notices_first(head_client: FlaskClient, synced_app: Flask) -> None:
    today = agency_today()
    with synced_app.app_context():
        later = notice_about(DEMO_EMPLOYEE, due=today + timedelta(days=5), code="Q-1")
        overdue = notice_about(DEMO_EMPLOYEE, due=today - timedelta(days=2), code="Q-2")
        rows = notices_awaiting(person(DEMO_HEAD), today)
        assert [r.notice.id for r in rows] == [overdue.id, later.id]
        assert rows[0].overdue and rows[0].days_left == -2 and not rows[1].overdue
    page = head_client.get("/notices/awaiting").get_data(as_text=True)
    assert "Quá hạn 2 ngày" in page
    assert page.index("Quá hạn 2 ngày") < page.index((today + timedelta(days=5)).strftime("%d/%m/%Y"))


def test_each_row_of_the_admins_list_shows_its_own_deadline(
    admin_client: FlaskClient, synced_app: Flask
) -> None:
    """The list writes each deadline once per day it falls on (queue_rows): rows sharing a
    day share its cell, and each other day gets its own."""
    today = agency_today()
    with synced_app.app_context():
        for code, days in (("D-1", -2), ("D-2", -2), ("D-3", -7), ("D-4", 5)):
            notice_about(DEMO_EMPLOYEE, due=today + timedelta(days=days), code=code)
    page = admin_client.get("/notices/open").get_data(as_text=True)
    soon = (today + timedelta(days=5)).strftime("%d/%m/%Y")
    two, seven = ((today - timedelta(days=n)).strftime("%d/%m/%Y") for n in (2, 7))
    assert page.count(f'{two} <span class="badge todo">Quá hạn 2 ngày</span>') == 2
    assert page.count(f'{seven} <span class="badge todo">Quá hạn 7 ngày</span>') == 1
    assert page.count(f'<td data-label="Hạn xử lý">{soon}</td>') == 1
    assert page.index("Quá hạn 7 ngày") < page.index("Quá hạn 2 ngày") < page.index(soon)
    # The label is translated once a page, then each day's count put in it.
    admin_client.post("/language", data={"lang": "en", "next": "/", "csrf_token": csrf_token(admin_client, "/")})
    page = admin_client.get("/notices/open").get_data(as_text=True)
    assert page.count(f'{two} <span class="badge todo">2 days overdue</span>') == 2
    assert page.count(f'{seven} <span class="badge todo">7 days overdue</span>') == 1


def test_the_admins_list_shows_a_hundred_notices_a_page_in_the_queues_order(
    admin_client: FlaskClient, synced_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Thousands are open at a province's month end: the list goes a page at a time, the most
    pressing first, each notice on exactly one page; a page past the end says so."""
    monkeypatch.setattr("intranet.notices.queue_views.PAGE_SIZE", 2)
    today = agency_today()
    with synced_app.app_context():
        for code, days in (("P-1", -9), ("P-2", -4), ("P-3", 1), ("P-4", 6), ("P-5", 12)):
            notice_about(DEMO_EMPLOYEE, due=today + timedelta(days=days), reference=f"{code}/TB")
    pages = [admin_client.get(f"/notices/open?page={n}").get_data(as_text=True) for n in (1, 2, 3)]
    shown = [[code for code in ("P-1", "P-2", "P-3", "P-4", "P-5") if f"{code}/TB" in page] for page in pages]
    assert shown == [["P-1", "P-2"], ["P-3", "P-4"], ["P-5"]]
    assert "Trang sau" in pages[0] and "Trang trước" not in pages[0]
    assert "Trang sau" in pages[1] and "Trang trước" in pages[1]
    assert "Trang sau" not in pages[2] and "Trang 3" in pages[2]
    past_the_end = admin_client.get("/notices/open?page=4")
    assert past_the_end.status_code == 200
    assert "Trang này không còn thông báo nào." in past_the_end.get_data(as_text=True)
    assert "P-1" in admin_client.get("/notices/open?page=abc").get_data(as_text=True)  # page 1


def test_a_head_cannot_act_on_a_notice_about_themselves(head_client: FlaskClient, synced_app: Flask) -> None:
    with synced_app.app_context():
        own = notice_about(DEMO_HEAD, due=None)
        own_id, head_id = own.id, own.employee_id
    assert head_client.get(f"/notices/{own_id}/correct").status_code == 403
    assert head_client.get(f"/appraisals/new?employee={head_id}").status_code == 403
    page = head_client.get(f"/notices/{own_id}").get_data(as_text=True)  # reading stays allowed
    assert "Đính chính thông báo" not in page
    form = head_client.get("/notices/new").get_data(as_text=True)
    assert "Nguyễn Văn An</option>" not in form and "Đinh Văn Hùng</option>" in form
    response = head_client.post("/notices/new", data={
        "csrf_token": csrf_token(head_client, "/"), "employee_id": head_id, "issuing_body_id": 1,
        "reference_number": "1/TB", "notice_date": "10/11/2026", "cases-0-procedure_name": "Thủ tục",
        "cases-0-dossier_code": "S-1", "cases-0-filed_on": "03/11/2026", "cases-0-receiving_officer": "A",
        "submit": "Lưu thông báo",
    })
    assert response.status_code in (400, 403, 422)
    with synced_app.app_context():
        assert db.session.scalar(select(Notice.id).where(Notice.reference_number == "1/TB")) is None


def test_the_admin_sees_every_open_notice(admin_client: FlaskClient, synced_app: Flask) -> None:
    with synced_app.app_context():
        notice_about(DEMO_EMPLOYEE, due=agency_today(), code="E-1")
        notice_about("binhdq", due=agency_today(), code="E-2")
    page = admin_client.get("/notices/open").get_data(as_text=True)
    assert "Đinh Văn Hùng" in page and "Đặng Quốc Bình" in page
    assert signed_in_client(synced_app, DEMO_HEAD).get("/notices/open").status_code == 403


def test_the_admin_decides_on_a_notice_about_a_head(admin_client: FlaskClient, head_client: FlaskClient,
                                                    synced_app: Flask) -> None:
    from .support.forms import decision_form

    with synced_app.app_context():
        about_head = notice_about(DEMO_HEAD, due=agency_today())
        notice_id, head_id = about_head.id, about_head.employee_id
    page = admin_client.get(f"/notices/{notice_id}").get_data(as_text=True)
    assert "Ghi nhận đề xuất" in page and "Đính chính thông báo" not in page
    form = decision_form(synced_app, [notice_id])
    path = f"/appraisals/new?employee={head_id}"
    response = admin_client.post(path, data={**form, "csrf_token": csrf_token(admin_client, path)})
    assert response.status_code == 302, response.get_data(as_text=True)
    appraisal_path = response.headers["Location"]
    assert "Đính chính đề xuất" in admin_client.get(appraisal_path).get_data(as_text=True)
    assert admin_client.get(appraisal_path + "/correct").status_code == 200
    with synced_app.app_context():
        assert notices_awaiting(person(DEMO_ADMIN), agency_today()) == []
    # The head it is about can neither decide nor correct it.
    assert head_client.get(path).status_code == 403
    assert head_client.get(appraisal_path + "/correct").status_code == 403


def test_the_open_notices_page_sends_as_many_statements_for_600_notices_as_for_3(
    admin_client: FlaskClient, synced_app: Flask
) -> None:
    def notices(count: int, start: int) -> None:
        with synced_app.app_context():
            employee = person(DEMO_EMPLOYEE)
            body = db.session.scalar(select(IssuingBody))
            db.session.add_all(
                Notice(employee=employee, unit_id=employee.unit_id, issuing_body=body,
                       reference_number=f"{n}/TB", notice_date=date(2026, 11, 20), recorded_by=employee,
                       route=route_for(employee),
                       cases=[NoticeCase(position=1, procedure_name="Thủ tục", dossier_code=f"Q-{n}",
                                         filed_on=date(2026, 11, 3), receiving_officer="")])
                for n in range(start, start + count)
            )
            db.session.commit()

    def sent() -> tuple[int, str]:
        with recorded(synced_app) as seen:
            page = admin_client.get("/notices/open").get_data(as_text=True)
        return seen.count, page

    notices(3, 0)
    few, _page = sent()
    notices(600, 3)
    many, page = sent()
    assert page.count('/TB</a>') == 100  # the first page, each with its link
    assert many == few <= 10


def test_everyones_queue_from_one_statement_is_each_persons_own_queue(synced_app: Flask) -> None:
    from intranet.notices.queue import notices_awaiting_each

    with synced_app.app_context():
        for n, (username, due) in enumerate([
            (DEMO_EMPLOYEE, agency_today() - timedelta(days=2)), (DEMO_EMPLOYEE, None),
            (DEMO_HEAD, agency_today() + timedelta(days=1)), ("binhdq", agency_today()), ("vinhtq", None),
        ]):
            notice_about(username, due=due, code=f"EACH-{n}")
        people = db.session.scalars(select(Employee).where(Employee.active).order_by(Employee.id)).all()
        each = notices_awaiting_each(people, agency_today())
        for user in people:
            assert [r.notice.id for r in each[user.id]] == [r.notice.id for r in notices_awaiting(user, agency_today())]
        assert sum(len(rows) for rows in each.values()) >= 5  # every notice is someone's


def test_the_reminders_page_asks_for_every_heads_queue_at_once(admin_client: FlaskClient, synced_app: Flask) -> None:
    from intranet.models import Unit

    from .support.factories import add_employee

    def heads_with_notices(count: int) -> None:
        with synced_app.app_context():
            for n in range(count):
                unit = Unit(f"Trạm Kiểm lâm {count}-{n}")
                add_employee(f"Lê Văn Trưởng {count} {n}", unit, is_head=True)
                staff = add_employee(f"Lê Thị Mai {count} {n}", unit)
                db.session.flush()
                db.session.add(Notice(
                    employee=staff, unit_id=unit.id, issuing_body=db.session.scalar(select(IssuingBody)),
                    reference_number=f"{count}-{n}/TB", notice_date=date(2026, 11, 20), recorded_by=staff,
                    route="unit",
                ))
            db.session.commit()

    def sent() -> int:
        with recorded(synced_app) as seen:
            assert admin_client.get("/admin/reminders/").status_code == 200
        return seen.count

    heads_with_notices(2)
    few = sent()
    heads_with_notices(20)
    assert sent() == few


def test_each_persons_count_of_notices_awaiting_them_is_the_length_of_their_queue(synced_app: Flask) -> None:
    """The reminders page counts everyone's notices in one grouped statement: the same answer
    as each person's queue, for notices of every kind, asked for everyone or for a few."""
    from intranet.notices.queue import notices_awaiting_counts

    from .support.awaiting import notices_of_every_kind

    today = agency_today()
    with synced_app.app_context():
        notices_of_every_kind(DEMO_HEAD, DEMO_ADMIN)
        everyone = db.session.scalars(select(Employee).order_by(Employee.id)).all()
        proposers = [p for p in everyone if p.is_head or p.is_admin or p.is_leader]
        for people in (everyone, proposers, proposers[:1], [person(DEMO_HEAD)]):
            counts = notices_awaiting_counts(people)
            assert counts == {user.id: len(notices_awaiting(user, today)) for user in people}
        counts = notices_awaiting_counts(everyone)
        leader = db.session.scalar(select(Employee).filter_by(full_name="Phó Chi cục trưởng Đếm"))
        # The head: four about their staff, a correction, one whose decision was corrected.
        assert (counts[person(DEMO_HEAD).id], counts[person(DEMO_ADMIN).id], counts[leader.id]) == (6, 2, 3)
        assert notices_awaiting_counts([]) == {}
