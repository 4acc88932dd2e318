"""Heads record appraisal decisions on notices (or without one); corrections keep the original."""
from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from intranet.extensions import db
from intranet.models import Appraisal, AuditEvent, Notice
from intranet.appraisals.periods import Period, offered_periods
from intranet.models import PeriodKind

from .conftest import DEMO_EMPLOYEE, signed_in_client
from .support.forms import (
    OTHER_HEAD, case, decision_form, employee_id, notice_form, outcome_id, post_decision, post_notice,
    record_notice,
)


def appraisal_count(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Appraisal.id)))


def test_decision_on_two_notices_marks_both_decided(head_client: FlaskClient, synced_app: Flask) -> None:
    first, second = record_notice(head_client, synced_app, 1), record_notice(head_client, synced_app, 2)
    form = head_client.get(f"/appraisals/new?employee={employee_id(synced_app, DEMO_EMPLOYEE)}&notice={first}")
    assert form.status_code == 200
    page = form.get_data(as_text=True)
    assert "1/TB" in page and "2/TB" in page and "Tháng 11/2026" in page
    response = post_decision(head_client, synced_app, decision_form(synced_app, [first, second]))
    assert response.status_code == 302, response.get_data(as_text=True)
    shown = head_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Hạ một mức xếp loại" in shown and "Nộp hồ sơ giấy" in shown
    assert "Đã có đề xuất" in head_client.get("/notices?status=decided").get_data(as_text=True)
    assert "1/TB" not in head_client.get("/notices?status=open").get_data(as_text=True)
    with synced_app.app_context():
        appraisal = db.session.scalar(select(Appraisal))
        assert [n.id for n in appraisal.notices] == [first, second]
        assert (appraisal.period_kind, appraisal.period_year, appraisal.period_number) == ("month", 2026, 11)
        assert db.session.scalar(
            select(AuditEvent.action).where(AuditEvent.object_type == "Appraisal")
        ) == "appraisal.create"


def test_decided_notice_cannot_be_decided_again(head_client: FlaskClient, synced_app: Flask) -> None:
    notice = record_notice(head_client, synced_app)
    assert post_decision(head_client, synced_app, decision_form(synced_app, [notice])).status_code == 302
    response = post_decision(head_client, synced_app, decision_form(synced_app, [notice]))
    assert response.status_code == 400  # no longer among the offered notices
    assert appraisal_count(synced_app) == 1


def test_decision_without_a_notice_needs_a_rationale(head_client: FlaskClient, synced_app: Flask) -> None:
    response = post_decision(head_client, synced_app, decision_form(synced_app, [], rationale="  "))
    assert response.status_code == 422
    assert "Vui lòng nêu căn cứ, lý do" in response.get_data(as_text=True)
    response = post_decision(
        head_client, synced_app,
        decision_form(synced_app, [], rationale="Kiểm tra trực tiếp ngày 05/11", outcome_id=outcome_id(synced_app, "no_effect")),
    )
    assert response.status_code == 302
    assert appraisal_count(synced_app) == 1


def test_period_and_outcome_must_be_offered(head_client: FlaskClient, synced_app: Flask) -> None:
    for bad in ({"period": "month-2030-01"}, {"period": "month-2026-13"}, {"outcome_id": 9999}, {"period": ""}):
        response = post_decision(head_client, synced_app, decision_form(synced_app, [], **bad))
        assert response.status_code in (400, 422), bad
    assert appraisal_count(synced_app) == 0


def test_offered_periods_are_past_or_current() -> None:
    from datetime import date

    periods = offered_periods(date(2026, 5, 20))
    assert Period(PeriodKind.MONTH, 2026, 5) in periods and Period(PeriodKind.MONTH, 2026, 6) not in periods
    assert Period(PeriodKind.QUARTER, 2026, 2) in periods and Period(PeriodKind.QUARTER, 2026, 3) not in periods
    assert Period(PeriodKind.YEAR, 2025) in periods
    assert Period.parse("quarter-2026-4") == Period(PeriodKind.QUARTER, 2026, 4)
    assert Period.parse("quarter-2026-5") is None and Period.parse("x") is None


def test_correction_keeps_the_original_and_both_are_visible(head_client: FlaskClient, synced_app: Flask) -> None:
    notice = record_notice(head_client, synced_app)
    location = post_decision(head_client, synced_app, decision_form(synced_app, [notice])).headers["Location"]
    original = int(location.rsplit("/", 1)[1])
    prefilled = head_client.get(f"/appraisals/{original}/correct").get_data(as_text=True)
    assert "Nộp hồ sơ giấy" in prefilled
    data = decision_form(
        synced_app, [notice], outcome_id=outcome_id(synced_app, "not_eligible_top"),
        correction_reason="Chọn nhầm mức",
    )
    response = post_decision(head_client, synced_app, data, f"/appraisals/{original}/correct")
    assert response.status_code == 302, response.get_data(as_text=True)
    with synced_app.app_context():
        rows = db.session.scalars(select(Appraisal).order_by(Appraisal.id)).all()
        assert [r.outcome.code for r in rows] == ["one_level_lower", "not_eligible_top"]
        assert rows[1].corrects_id == original
    assert "đã được đính chính" in head_client.get(location).get_data(as_text=True)
    person = head_client.get(f"/staff/{employee_id(synced_app, DEMO_EMPLOYEE)}").get_data(as_text=True)
    assert "Hạ một mức xếp loại" in person and "Không xét mức Hoàn thành xuất sắc" in person
    # The notice is still decided (by the correction), and the original cannot be corrected twice.
    assert "Đã có đề xuất" in head_client.get(f"/notices/{notice}").get_data(as_text=True)
    again = post_decision(head_client, synced_app, data, f"/appraisals/{original}/correct")
    assert again.status_code == 422
    assert appraisal_count(synced_app) == 2


def test_correcting_a_decided_notice_keeps_it_decided(head_client: FlaskClient, synced_app: Flask) -> None:
    notice = record_notice(head_client, synced_app)
    post_decision(head_client, synced_app, decision_form(synced_app, [notice]))
    data = {**notice_form(synced_app, reference_number="1/TB-ĐC", cases=[case(1)]), "correction_reason": "Sai số"}
    location = post_notice(head_client, data, f"/notices/{notice}/correct").headers["Location"]
    assert "Đã có đề xuất" in head_client.get(location).get_data(as_text=True)
    assert "1/TB-ĐC" not in head_client.get("/notices?status=open").get_data(as_text=True)


def test_employee_reads_their_own_records_only(synced_app: Flask, head_client: FlaskClient) -> None:
    notice = record_notice(head_client, synced_app)
    location = post_decision(head_client, synced_app, decision_form(synced_app, [notice])).headers["Location"]
    employee = signed_in_client(synced_app, DEMO_EMPLOYEE)
    home = employee.get("/").get_data(as_text=True)
    assert "1/TB" in home and "Hạ một mức xếp loại" in home
    assert employee.get(f"/notices/{notice}").status_code == 200
    assert employee.get(location).status_code == 200
    assert "Đính chính" not in employee.get(location).get_data(as_text=True)
    assert employee.get(f"/notices/{notice}/correct").status_code == 403
    original = int(location.rsplit("/", 1)[1])
    assert employee.get(f"/appraisals/{original}/correct").status_code == 403
    colleague = signed_in_client(synced_app, "thuylt")
    assert colleague.get(f"/notices/{notice}").status_code == 403
    assert colleague.get(location).status_code == 403


def test_head_of_another_unit_gets_403_on_decisions(synced_app: Flask, head_client: FlaskClient) -> None:
    notice = record_notice(head_client, synced_app)
    location = post_decision(head_client, synced_app, decision_form(synced_app, [notice])).headers["Location"]
    appraisal = int(location.rsplit("/", 1)[1])
    other = signed_in_client(synced_app, OTHER_HEAD)
    assert other.get(location).status_code == 403
    assert other.get(f"/appraisals/{appraisal}/correct").status_code == 403
    assert post_decision(other, synced_app, decision_form(synced_app, [notice])).status_code == 403
    data = {**decision_form(synced_app, [notice]), "correction_reason": "x"}
    assert post_decision(other, synced_app, data, f"/appraisals/{appraisal}/correct").status_code == 403
    # A notice id of another unit slipped into one's own staff member's form is refused too.
    own = employee_id(synced_app, "binhdq")
    response = post_decision(other, synced_app, decision_form(synced_app, [notice]), f"/appraisals/new?employee={own}")
    assert response.status_code == 400
    assert appraisal_count(synced_app) == 1


def test_admin_reads_but_does_not_write_for_other_units(synced_app: Flask, head_client: FlaskClient, admin_client: FlaskClient) -> None:
    notice = record_notice(head_client, synced_app)
    assert admin_client.get(f"/notices/{notice}").status_code == 200
    assert admin_client.get(f"/notices/{notice}/correct").status_code == 403
    with synced_app.app_context():
        assert db.session.get(Notice, notice) is not None


def test_appraisal_pages_sit_under_the_notices_menu_item(head_client: FlaskClient, synced_app: Flask) -> None:
    # Proposals are made on notices: their pages keep the head's "notices" menu item current.
    notice = record_notice(head_client, synced_app)
    form_page = head_client.get(f"/appraisals/new?employee={employee_id(synced_app, DEMO_EMPLOYEE)}")
    response = post_decision(head_client, synced_app, decision_form(synced_app, [notice]))
    shown = head_client.get(response.headers["Location"])
    for page in (form_page, shown):
        assert page.status_code == 200
        assert '<a href="/notices" aria-current="page">' in page.get_data(as_text=True)


def test_the_heads_act_is_a_proposal_and_the_page_says_who_decides(
    head_client: FlaskClient, synced_app: Flask
) -> None:
    notice = record_notice(head_client, synced_app)
    employee = employee_id(synced_app, DEMO_EMPLOYEE)
    form = head_client.get(f"/appraisals/new?employee={employee}&notice={notice}").get_data(as_text=True)
    assert "Ghi nhận đề xuất đánh giá, xếp loại" in form and "Lưu đề xuất" in form
    assert "Chi cục trưởng hoặc Hội đồng đánh giá quyết định" in form
    response = post_decision(head_client, synced_app, decision_form(synced_app, [notice]))
    shown = head_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Đã ghi nhận đề xuất." in shown and "Chi cục trưởng hoặc Hội đồng đánh giá" in shown
    person = head_client.get(f"/staff/{employee}").get_data(as_text=True)
    # "quyết định" names only the rating itself, decided by others, never the head's act.
    for page in (form, shown, person):
        assert page.lower().count("quyết định") == page.count("Hội đồng đánh giá quyết định")
