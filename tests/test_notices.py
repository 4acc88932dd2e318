"""Heads record one-stop-shop notices about their own staff; the rules, whole saves, corrections."""
from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from intranet.extensions import db
from intranet.models import AuditEvent, Employee, Notice, NoticeCase

from .conftest import DEMO_EMPLOYEE, DEMO_HEAD, signed_in_client
from .support.clock import agency_today
from .support.forms import (
    OTHER_HEAD, OTHER_UNIT_EMPLOYEE, case, decision_form, employee_id, notice_form, post_decision,
    post_notice, record_notice,
)
from .support.rows import count
from .support.statements import recorded

TODAY = agency_today()


def test_head_records_a_notice_with_two_cases(head_client: FlaskClient, synced_app: Flask) -> None:
    response = post_notice(head_client, notice_form(synced_app))
    assert response.status_code == 302, response.get_data(as_text=True)
    page = head_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "125/TB-TTPVHCC" in page and "H01.22-261101-0001" in page and "H01.22-261102-0002" in page
    assert "Chờ đề xuất" in page
    with synced_app.app_context():
        notice = db.session.scalar(select(Notice))
        assert [c.position for c in notice.cases] == [1, 2]
        assert notice.recorded_from == "127.0.0.1"
        assert notice.unit_id == notice.employee.unit_id
        assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.object_type == "Notice")) == "notice.create"


def test_blank_case_rows_are_ignored(head_client: FlaskClient, synced_app: Flask) -> None:
    blank = {k: "" for k in case(9)}
    assert post_notice(head_client, notice_form(synced_app, cases=[case(1), blank])).status_code == 302
    assert count(synced_app, NoticeCase) == 1


def test_add_case_button_adds_a_row_without_saving(head_client: FlaskClient, synced_app: Flask) -> None:
    data = notice_form(synced_app, cases=[case(1), case(2)])
    data.pop("submit")
    data["add_case"] = "Thêm một hồ sơ"
    response = post_notice(head_client, data)
    assert response.status_code == 200
    assert 'name="cases-2-dossier_code"' in response.get_data(as_text=True)
    assert count(synced_app, Notice) == 0


FUTURE = (TODAY + timedelta(days=3)).strftime("%d/%m/%Y")


@pytest.mark.parametrize(
    ("overrides", "cases", "message"),
    [
        ({"reference_number": ""}, None, "Vui lòng nhập số, ký hiệu văn bản."),
        ({"notice_date": ""}, None, "Vui lòng nhập ngày thông báo."),
        ({"notice_date": "30/02/2026"}, None, "Ngày không hợp lệ"),
        ({"notice_date": FUTURE}, None, "Ngày không được sau ngày hôm nay"),
        ({}, [case(1, filed_on=FUTURE)], "Ngày không được sau ngày hôm nay"),
        ({}, [case(1, filed_on="11/11/2026")], "Ngày tiếp nhận hồ sơ không được sau ngày thông báo."),
        ({}, [case(1, dossier_code="")], "Vui lòng nhập mã hồ sơ."),
        ({}, [case(1, procedure_name="")], "Vui lòng nhập tên thủ tục hành chính."),
        ({}, [case(1, receiving_officer="")], "Vui lòng nhập người tiếp nhận hồ sơ."),
        ({}, [case(1, filed_on="")], "Vui lòng nhập ngày tiếp nhận hồ sơ."),
        ({}, [case(1), case(2, dossier_code="h01.22-261101-0001 ")], "Mã hồ sơ này đã có ở trên"),
        ({}, [], "Thông báo phải có ít nhất một hồ sơ."),
        ({"reference_number": "x" * 101}, None, "Tối đa 100 ký tự."),
    ],
)
def test_each_rule_refuses_the_whole_notice(
    head_client: FlaskClient, synced_app: Flask, overrides: dict, cases, message: str
) -> None:
    if cases == []:
        cases = [{k: "" for k in case(1)}]
    response = post_notice(head_client, notice_form(synced_app, cases=cases, **overrides))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert count(synced_app, Notice) == 0 and count(synced_app, NoticeCase) == 0


def test_a_bad_third_case_saves_none_of_the_three(head_client: FlaskClient, synced_app: Flask) -> None:
    cases = [case(1), case(2), case(3, filed_on=FUTURE)]
    response = post_notice(head_client, notice_form(synced_app, cases=cases))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    # The message sits beside the third case's date (and in the summary, linking to it),
    # and what was typed is kept.
    assert page.rindex("Ngày không được sau ngày hôm nay") > page.index('name="cases-2-filed_on"')
    assert '<a href="#cases-2-filed_on">Hồ sơ 3 – Ngày tiếp nhận hồ sơ: Ngày không được sau' in page
    assert "H01.22-261102-0002" in page
    assert count(synced_app, Notice) == 0 and count(synced_app, NoticeCase) == 0


def test_same_dossier_code_twice_for_one_person_is_refused(head_client: FlaskClient, synced_app: Flask) -> None:
    assert post_notice(head_client, notice_form(synced_app)).status_code == 302
    again = notice_form(synced_app, cases=[case(5, dossier_code="H01.22-261101-0001")], reference_number="130/TB")
    response = post_notice(head_client, again)
    assert response.status_code == 422
    assert "Mã hồ sơ này đã được ghi nhận trong một thông báo khác" in response.get_data(as_text=True)
    assert count(synced_app, Notice) == 1


def test_a_failure_in_the_middle_of_the_write_leaves_nothing(
    head_client: FlaskClient, synced_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    from intranet import audit

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(audit, "record", broken)
    synced_app.config["PROPAGATE_EXCEPTIONS"] = False
    response = post_notice(head_client, notice_form(synced_app))
    assert response.status_code == 500
    assert count(synced_app, Notice) == 0 and count(synced_app, NoticeCase) == 0


def test_inactive_staff_member_cannot_be_named(head_client: FlaskClient, synced_app: Flask) -> None:
    with synced_app.app_context():
        person = db.session.scalar(select(Employee).filter_by(username=DEMO_EMPLOYEE))
        person.active = False
        db.session.commit()
    response = post_notice(head_client, notice_form(synced_app))
    assert response.status_code == 400  # not among the choices the form offered
    assert count(synced_app, Notice) == 0


def test_forged_issuing_body_is_refused(head_client: FlaskClient, synced_app: Flask) -> None:
    assert post_notice(head_client, notice_form(synced_app, issuing_body_id=99999)).status_code == 400
    assert post_notice(head_client, notice_form(synced_app, employee_id="abc")).status_code == 400
    assert count(synced_app, Notice) == 0


def test_head_cannot_record_for_another_units_staff(head_client: FlaskClient, synced_app: Flask) -> None:
    other = employee_id(synced_app, OTHER_UNIT_EMPLOYEE)
    assert head_client.get(f"/notices/new?employee={other}").status_code == 403
    response = post_notice(head_client, notice_form(synced_app, username=OTHER_UNIT_EMPLOYEE))
    assert response.status_code == 403
    assert count(synced_app, Notice) == 0


def test_employee_gets_403_on_head_pages(employee_client: FlaskClient, synced_app: Flask) -> None:
    for path in ("/notices", "/notices/new", f"/appraisals/new?employee={employee_id(synced_app, DEMO_EMPLOYEE)}"):
        assert employee_client.get(path).status_code == 403, path
    assert post_notice(employee_client, notice_form(synced_app)).status_code == 403


def test_correction_is_a_new_notice_and_the_original_stays(head_client: FlaskClient, synced_app: Flask) -> None:
    first = post_notice(head_client, notice_form(synced_app)).headers["Location"]
    original_id = int(first.rsplit("/", 1)[1])
    form_page = head_client.get(f"/notices/{original_id}/correct").get_data(as_text=True)
    assert "125/TB-TTPVHCC" in form_page and "H01.22-261102-0002" in form_page  # prefilled

    data = notice_form(synced_app, reference_number="125/TB-TTPVHCC (đính chính)")
    data["correction_reason"] = "Sai số hiệu văn bản"
    missing_reason = {**data, "correction_reason": ""}
    assert post_notice(head_client, missing_reason, f"/notices/{original_id}/correct").status_code == 422
    response = post_notice(head_client, data, f"/notices/{original_id}/correct")
    assert response.status_code == 302
    with synced_app.app_context():
        notices = db.session.scalars(select(Notice).order_by(Notice.id)).all()
        assert [n.reference_number for n in notices] == ["125/TB-TTPVHCC", "125/TB-TTPVHCC (đính chính)"]
        assert notices[1].corrects_id == original_id and notices[1].correction_reason == "Sai số hiệu văn bản"
    old_page = head_client.get(first).get_data(as_text=True)
    assert "đã được đính chính" in old_page
    # The corrected one cannot be corrected again; the list shows only the standing one.
    assert post_notice(head_client, data, f"/notices/{original_id}/correct").status_code == 422
    listing = head_client.get("/notices").get_data(as_text=True)
    assert "(đính chính)" in listing and listing.count("125/TB-TTPVHCC") == 1


def test_notices_and_cases_cannot_be_changed_in_the_database(head_client: FlaskClient, synced_app: Flask) -> None:
    post_notice(head_client, notice_form(synced_app))
    with synced_app.app_context():
        for statement in ("UPDATE notice SET reference_number = 'x'", "DELETE FROM notice_case"):
            with pytest.raises(DatabaseError, match="append-only"):
                db.session.execute(text(statement))
            db.session.rollback()


def test_unit_list_filters_by_month_and_status(head_client: FlaskClient, synced_app: Flask) -> None:
    post_notice(head_client, notice_form(synced_app))
    october = notice_form(
        synced_app, reference_number="99/TB-OCT", notice_date="15/10/2026",
        cases=[case(7, filed_on="01/10/2026")],
    )
    post_notice(head_client, october)
    november = head_client.get("/notices?month=2026-11").get_data(as_text=True)
    assert "125/TB-TTPVHCC" in november and "99/TB-OCT" not in november
    assert "99/TB-OCT" in head_client.get("/notices?month=2026-10&status=open").get_data(as_text=True)
    assert "99/TB-OCT" not in head_client.get("/notices?status=decided").get_data(as_text=True)
    assert head_client.get("/notices?month=2026-13").status_code == 400
    assert head_client.get("/notices?month=abc").status_code == 400


def test_unit_page_shows_each_persons_notices(head_client: FlaskClient, synced_app: Flask) -> None:
    post_notice(head_client, notice_form(synced_app))
    page = head_client.get("/unit").get_data(as_text=True)
    assert "1 thông báo" in page and "1 chờ đề xuất" in page


def test_unit_page_counts_only_standing_decisions(head_client: FlaskClient, synced_app: Flask) -> None:
    first, second = record_notice(head_client, synced_app, 1), record_notice(head_client, synced_app, 2)
    location = post_decision(head_client, synced_app, decision_form(synced_app, [first, second])).headers["Location"]
    page = head_client.get("/unit").get_data(as_text=True)
    assert "2 thông báo" in page and "chờ đề xuất" not in page
    # The correction covers the first notice only: the second awaits a proposal again.
    original = int(location.rsplit("/", 1)[1])
    data = {**decision_form(synced_app, [first]), "correction_reason": "Chỉ một thông báo"}
    assert post_decision(head_client, synced_app, data, f"/appraisals/{original}/correct").status_code == 302
    page = head_client.get("/unit").get_data(as_text=True)
    assert "2 thông báo" in page and "1 chờ đề xuất" in page


def test_unit_page_reads_its_staff_and_their_notices_in_one_statement(
    head_client: FlaskClient, synced_app: Flask
) -> None:
    record_notice(head_client, synced_app)
    with recorded(synced_app) as seen:
        page = head_client.get("/unit").get_data(as_text=True)
    assert "1 thông báo" in page and "1 chờ đề xuất" in page
    about_notices = [statement for statement in seen.seen if "FROM notice" in statement]
    assert len(about_notices) == 1 and "FROM employee" in about_notices[0], about_notices


def test_head_of_another_unit_cannot_read_or_correct(synced_app: Flask, head_client: FlaskClient) -> None:
    location = post_notice(head_client, notice_form(synced_app)).headers["Location"]
    notice_id = int(location.rsplit("/", 1)[1])
    other = signed_in_client(synced_app, OTHER_HEAD)
    person = employee_id(synced_app, DEMO_EMPLOYEE)
    for path in (location, f"/notices/{notice_id}/correct", f"/staff/{person}", f"/appraisals/new?employee={person}"):
        assert other.get(path).status_code == 403, path
    data = {**notice_form(synced_app), "correction_reason": "x"}
    assert post_notice(other, data, f"/notices/{notice_id}/correct").status_code == 403
    with synced_app.app_context():
        own_unit = db.session.scalar(select(Employee.unit_id).filter_by(username=DEMO_HEAD))
    assert other.get(f"/notices?unit={own_unit}").status_code == 403
    assert other.get("/notices/99999").status_code == 404
    assert other.get("/staff/99999").status_code == 404
    assert count(synced_app, Notice) == 1


def test_the_persons_page_reads_them_and_their_notices_as_their_home_page_does(synced_app: Flask) -> None:
    """The person's page reads the person and their notices in one statement
    (queries.person_and_notices): the same rows, states and order as the person's home page
    (main/records.own_records), for someone with a decided, a corrected and a correcting
    notice, and for someone with none."""
    from datetime import datetime

    from intranet.main.records import own_records
    from intranet.notices import queries

    from .support.factories import add_notice, decide

    now = datetime.now() - timedelta(hours=3)
    with synced_app.app_context():
        employee = db.session.scalar(select(Employee).filter_by(username=DEMO_EMPLOYEE))
        first, second = (add_notice(employee, employee.unit, TODAY, now, reference=f"{n}/TB")
                         for n in (1, 2))
        add_notice(employee, employee.unit, TODAY, now, reference="2/TB", corrects=second,
                   correction_reason="Sai ngày")
        decide([first], employee, now)
        db.session.commit()
        first_id, person_id, unit_id = first.id, employee.id, employee.unit_id
        for person in db.session.scalars(select(Employee)).all():
            db.session.expunge_all()
            read, notices, appraisals = queries.person_and_notices(person.id)
            assert read is not None and read.id == person.id and read.unit_id == person.unit_id
            expected = own_records(read, now, TODAY, 30).notices
            assert appraisals == queries.appraisals_about(read)
            assert [(r.notice.id, r.stands, r.decided, [c.id for c in r.notice.cases]) for r in notices] == \
                [(r.notice.id, r.stands, r.decided, [c.id for c in r.notice.cases]) for r in expected]
        read, notices, appraisals = queries.person_and_notices(person_id)
        assert [(r.stands, r.decided) for r in notices] == [(True, False), (False, False), (True, True)]
        assert [[n.id for n in row.appraisal.notices] for row in appraisals] == [[first_id]]
        assert queries.person_and_notices(99999) == (None, [], [])
        # The unit's list keeps the standing ones only, decided or not, and says they stand.
        listed = queries.unit_notices(unit_id)
        assert [(r.notice.reference_number, r.stands, r.decided) for r in listed
                if r.notice.employee_id == person_id] == [("2/TB", True, False), ("1/TB", True, True)]
        assert [r.notice.id for r in queries.unit_notices(unit_id, status="decided")] == [first_id]


def test_nothing_is_preselected_where_a_slip_would_matter(head_client: FlaskClient, synced_app: Flask) -> None:
    page = head_client.get("/notices/new").get_data(as_text=True)
    assert '<option selected value="">— Chọn —</option>' in page
    response = post_notice(head_client, notice_form(synced_app, issuing_body_id="", employee_id=""))
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "Vui lòng chọn cơ quan ban hành thông báo." in body and "Vui lòng chọn người có tên trong thông báo." in body
