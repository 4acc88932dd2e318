"""Dates typed by people: every shape a keyboard or a phone keypad gives, the bounds, the echo."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from intranet.clock import local_today
from intranet.dates import TypedDateError, parse_typed_date
from intranet.extensions import db
from intranet.models import Declaration, Employee, IssuingBody, NoticeCase
from intranet.notices.service import CaseDraft, NoticeDraft, record_notice
from intranet.validation import RuleViolation

from .conftest import DEMO_EMPLOYEE, DEMO_HEAD, csrf_token
from .support.dates import NOT_DATES, NOT_ON_THE_CALENDAR, TYPED
from .support.forms import case, notice_form, post_notice



@pytest.mark.parametrize(("text", "day"), TYPED.items())
def test_every_shape_people_type_reads_as_the_same_day(text: str, day: date) -> None:
    assert parse_typed_date(text) == day


@pytest.mark.parametrize("text", NOT_DATES + NOT_ON_THE_CALENDAR)
def test_what_is_not_a_date_gets_a_message_saying_what_to_type(app: Flask, text: str) -> None:
    with app.test_request_context(), pytest.raises(TypedDateError) as error:
        parse_typed_date(text)
    assert str(error.value).startswith("Ngày không hợp lệ")


def declare(client: FlaskClient, **fields: str):
    return client.post("/declaration", data={**fields, "csrf_token": csrf_token(client, "/declaration")})


def activation_dates(app: Flask) -> list[date]:
    with app.app_context():
        return list(db.session.scalars(
            select(Declaration.activated_on).join(Employee).where(Employee.username == DEMO_EMPLOYEE)
        ))


@pytest.mark.parametrize("typed", ["15032024", "15-03-2024", "15.03.2024", "15 03 2024", "15/3/24"])
def test_an_iphone_user_declares_level2_with_the_date_as_the_keypad_types_it(
    employee_client: FlaskClient, synced_app: Flask, typed: str
) -> None:
    response = declare(employee_client, status="level2_active", activated_on=typed, committed="y")
    assert response.status_code == 302
    assert activation_dates(synced_app) == [date(2024, 3, 15)]
    assert "15/03/2024" in employee_client.get("/").get_data(as_text=True)


def test_the_form_shows_back_the_date_it_understood(employee_client: FlaskClient) -> None:
    # Refused for the missing commitment: the date comes back as understood, not as typed.
    page = declare(employee_client, status="level2_active", activated_on="15032024").get_data(as_text=True)
    assert 'value="15/03/2024"' in page
    assert "Vui lòng xác nhận cam kết" in page


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("01/01/0001", "Ngày không được trước 20/10/2022 (ngày Nghị định 59/2022/NĐ-CP có hiệu lực); bạn đã nhập 01/01/0001."),
        ("01/01/99", "Ngày không được sau ngày hôm nay"),
        ("31/12/9999", "Ngày không được sau ngày hôm nay"),
        ("30/02/2025", "Ngày không hợp lệ: 30/02/2025 không có trên lịch"),
    ],
)
def test_dates_out_of_bounds_are_refused_saying_the_date_understood(
    employee_client: FlaskClient, synced_app: Flask, typed: str, message: str
) -> None:
    response = declare(employee_client, status="level2_active", activated_on=typed, committed="y")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    assert activation_dates(synced_app) == []


def test_a_future_date_message_names_today_and_the_date_understood(
    employee_client: FlaskClient, synced_app: Flask
) -> None:
    with synced_app.app_context():
        tomorrow = local_today() + timedelta(days=1)
    page = declare(employee_client, status="level2_active", activated_on=tomorrow.strftime("%d%m%Y"),
                   committed="y").get_data(as_text=True)
    assert f"bạn đã nhập {tomorrow:%d/%m/%Y}" in page


def test_a_notice_takes_dates_typed_on_a_keypad(head_client: FlaskClient, synced_app: Flask) -> None:
    data = notice_form(synced_app, notice_date="10112026",
                       cases=[case(1, filed_on="03-11-26"), case(2, filed_on="3.11.2026")])
    assert post_notice(head_client, data).status_code == 302
    with synced_app.app_context():
        assert set(db.session.scalars(select(NoticeCase.filed_on))) == {date(2026, 11, 3)}


@pytest.mark.parametrize("field", ["notice_date", "cases-0-filed_on"])
def test_a_notice_or_case_dated_01_01_0001_is_refused_and_nothing_is_saved(
    head_client: FlaskClient, synced_app: Flask, field: str
) -> None:
    response = post_notice(head_client, {**notice_form(synced_app), field: "01/01/0001"})
    assert response.status_code == 422
    assert "không được trước 20/10/2022" in response.get_data(as_text=True)
    with synced_app.app_context():
        assert db.session.scalars(select(NoticeCase)).all() == []


def test_the_service_refuses_a_filing_date_before_any_notice_could_exist(synced_app: Flask) -> None:
    # The rule holds for every caller, not only the form: the CLI and the import call it too.
    with synced_app.test_request_context():
        head = db.session.scalar(select(Employee).filter_by(username=DEMO_HEAD))
        employee = db.session.scalar(select(Employee).filter_by(username=DEMO_EMPLOYEE))
        body = db.session.scalar(select(IssuingBody).where(IssuingBody.active.is_(True)).limit(1))
        draft = NoticeDraft(
            employee=employee, issuing_body=body, reference_number="1/TB", notice_date=date(2026, 11, 10),
            cases=[CaseDraft("Thủ tục", None, "H01", date(1, 1, 1), "Người nhận")], note=None,
        )
        with pytest.raises(RuleViolation) as violation:
            record_notice(head, draft, today=date(2026, 11, 28), address=None)
        assert violation.value.field == "cases.0.filed_on"
        assert "20/10/2022" in violation.value.message


def test_the_audit_filter_takes_a_future_end_but_not_past_2099(admin_client: FlaskClient) -> None:
    assert admin_client.get("/admin/audit?until=31122026").status_code == 200
    response = admin_client.get("/admin/audit?until=31/12/9999")
    assert response.status_code in (200, 400)
    assert "Ngày không được sau 31/12/2099" in response.get_data(as_text=True)
