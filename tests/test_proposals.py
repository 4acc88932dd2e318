"""From notice to rating: who proposes on whom (separation of duties), the staff member's
explanation, the responses the admin maintains, and the summary for the rating meeting."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from intranet.clock import local_today
from intranet.explanations.models import Explanation
from intranet.access import can_act_on_notice, can_act_on_person
from intranet.extensions import db
from intranet.models import utcnow
from intranet.models import Appraisal, AppraisalOutcome, AuditEvent, Employee, Notice
from intranet.notices.queue import notices_awaiting
from intranet.notices.routing import route_for

from .conftest import DEMO_ADMIN, DEMO_EMPLOYEE, DEMO_HEAD, csrf_token, signed_in_client
from .support.clock import agency_today
from .support.factories import add_notice, decide
from .support.forms import decision_form, employee_id, outcome_id, post_decision
from .support.report_forms import fill_settings

LEADER = "vinhtq"  # Trần Quang Vinh: heads his unit and is in the demo's leadership group


def today(app: Flask) -> date:
    with app.app_context():
        return local_today()


def person(username: str) -> Employee:
    return db.session.scalar(select(Employee).filter_by(username=username))


def proposals(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Appraisal.id)))


def notice_about(app: Flask, username: str, *, due: date | None = None, reference: str = "1/TB") -> int:
    """A notice about `username`, routed and due as the notice form would record it."""
    with app.app_context():
        employee = person(username)
        notice = add_notice(employee, employee.unit, local_today(), utcnow(),
                            route=route_for(employee), reply_due_on=due, reference=reference)
        db.session.commit()
        return notice.id


def test_the_directory_sync_reads_the_leadership_group(synced_app: Flask) -> None:
    with synced_app.app_context():
        leaders = db.session.scalars(select(Employee.username).where(Employee.is_leader)).all()
    assert leaders == [LEADER]


def test_a_head_is_refused_a_proposal_on_their_own_notice(head_client: FlaskClient, synced_app: Flask) -> None:
    own = notice_about(synced_app, DEMO_HEAD)
    with synced_app.app_context():
        head = person(DEMO_HEAD)
        head_id = head.id
        assert not can_act_on_person(head, head)
        assert not can_act_on_notice(head, db.session.get(Notice, own))
    path = f"/appraisals/new?employee={head_id}"
    assert head_client.get(path).status_code == 403
    response = head_client.post(path, data={**decision_form(synced_app, [own]),
                                            "csrf_token": csrf_token(head_client, "/")})
    assert response.status_code == 403
    assert proposals(synced_app) == 0


def test_the_leadership_proposes_on_a_head_and_a_plain_head_cannot(
    head_client: FlaskClient, synced_app: Flask
) -> None:
    about_head = notice_about(synced_app, DEMO_HEAD)
    with synced_app.app_context():
        head_id = person(DEMO_HEAD).id
        leader = person(LEADER)
        assert [row.notice.id for row in notices_awaiting(leader, agency_today())] == [about_head]
        # Another head (ducvm) is no leader: not theirs to propose on.
        assert not can_act_on_person(person("ducvm"), person(DEMO_HEAD))
    leader_client = signed_in_client(synced_app, LEADER)
    assert "Nguyễn Văn An" in leader_client.get("/notices/awaiting").get_data(as_text=True)
    path = f"/appraisals/new?employee={head_id}"
    response = leader_client.post(path, data={**decision_form(synced_app, [about_head]),
                                              "csrf_token": csrf_token(leader_client, "/")})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert signed_in_client(synced_app, "ducvm").get(path).status_code == 403
    # The leader is a head too; about himself he proposes nothing, the admin does.
    with synced_app.app_context():
        leader_id = person(LEADER).id
        assert can_act_on_person(person(DEMO_ADMIN), person(LEADER))
    assert leader_client.get(f"/appraisals/new?employee={leader_id}").status_code == 403


def explain(client: FlaskClient, notice: int, text: str = "Tôi nộp hồ sơ giấy vì Cổng dịch vụ công bị lỗi."):
    path = f"/notices/{notice}/explanation"
    return client.post(path, data={"text": text, "csrf_token": csrf_token(client, "/")})


def explanations(app: Flask) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(Explanation.text)))


def test_the_staff_member_explains_once_and_the_head_reads_it_before_proposing(
    employee_client: FlaskClient, head_client: FlaskClient, synced_app: Flask
) -> None:
    notice = notice_about(synced_app, DEMO_EMPLOYEE, due=today(synced_app) + timedelta(days=2))
    home = employee_client.get("/").get_data(as_text=True)
    assert "Gửi giải trình về thông báo 1/TB" in home
    response = explain(employee_client, notice)
    assert response.status_code == 302 and response.headers["Location"].endswith("/")
    home = employee_client.get("/").get_data(as_text=True)
    assert "Đã gửi giải trình" in home
    # The home page reads each notice's explanation with the notices (one statement).
    assert "Xem giải trình số 1/TB" in home and "Gửi giải trình về thông báo 1/TB" not in home
    # One only: a second is refused with a message, and the first stays as it was.
    second = explain(employee_client, notice, "Sửa lại")
    assert second.status_code == 422
    assert "giải trình đã gửi không sửa được" in second.get_data(as_text=True)
    assert explanations(synced_app) == ["Tôi nộp hồ sơ giấy vì Cổng dịch vụ công bị lỗi."]
    with synced_app.app_context():
        assert db.session.scalar(select(AuditEvent.action).where(
            AuditEvent.object_type == "Explanation")) == "explanation.create"
    shown = head_client.get(f"/notices/{notice}").get_data(as_text=True)
    assert "Cổng dịch vụ công bị lỗi" in shown
    employee = employee_id(synced_app, DEMO_EMPLOYEE)
    form = head_client.get(f"/appraisals/new?employee={employee}").get_data(as_text=True)
    assert "Giải trình của người có tên trong thông báo" in form and "Cổng dịch vụ công bị lỗi" in form


def test_an_explanation_after_the_deadline_is_refused(employee_client: FlaskClient, synced_app: Flask) -> None:
    yesterday = today(synced_app) - timedelta(days=1)
    notice = notice_about(synced_app, DEMO_EMPLOYEE, due=yesterday)
    assert "Đã quá hạn giải trình" in employee_client.get("/").get_data(as_text=True)
    page = employee_client.get(f"/notices/{notice}/explanation").get_data(as_text=True)
    assert f"Đã quá hạn giải trình (hạn cuối ngày {yesterday:%d/%m/%Y})" in page
    response = explain(employee_client, notice)
    assert response.status_code == 422
    assert "Đã quá hạn giải trình" in response.get_data(as_text=True)
    assert explanations(synced_app) == []


def test_only_the_person_explains_and_blank_is_refused(
    employee_client: FlaskClient, head_client: FlaskClient, synced_app: Flask
) -> None:
    notice = notice_about(synced_app, DEMO_EMPLOYEE, due=today(synced_app))
    assert explain(head_client, notice).status_code == 403
    assert explain(signed_in_client(synced_app, "binhdq"), notice).status_code == 403
    blank = explain(employee_client, notice, "   ")
    assert blank.status_code == 422 and "Vui lòng nhập nội dung giải trình." in blank.get_data(as_text=True)
    assert explain(employee_client, notice, "x" * 2001).status_code == 422
    assert explanations(synced_app) == []
    assert explain(employee_client, notice).status_code == 302  # the deadline day itself counts



def test_an_explanation_on_a_decided_or_corrected_notice_is_refused(
    employee_client: FlaskClient, synced_app: Flask
) -> None:
    decided = notice_about(synced_app, DEMO_EMPLOYEE, due=today(synced_app), reference="2/TB")
    corrected = notice_about(synced_app, DEMO_EMPLOYEE, due=today(synced_app), reference="3/TB")
    with synced_app.app_context():
        decide([db.session.get(Notice, decided)], person(DEMO_EMPLOYEE), utcnow())
        original = db.session.get(Notice, corrected)
        add_notice(original.employee, original.unit, local_today(), utcnow(), route=original.route,
                   reference="3/TB", corrects=original, correction_reason="Sai ngày")
        db.session.commit()
    for notice in (decided, corrected):
        page = employee_client.get(f"/notices/{notice}/explanation").get_data(as_text=True)
        assert "đã được đính chính hoặc đã có đề xuất" in page
        response = explain(employee_client, notice)
        assert response.status_code == 422
        assert "đã được đính chính hoặc đã có đề xuất" in response.get_data(as_text=True)
    assert explanations(synced_app) == []


def test_the_explanation_form_asks_for_the_notice_its_explanation_and_whether_it_is_open_at_once(
    employee_client: FlaskClient, synced_app: Flask
) -> None:
    """One statement for the notice with its cases, its explanation and whether it is still
    open (on PostgreSQL each statement is a round trip to the server); no notice: 404."""
    from .support.statements import recorded

    notice = notice_about(synced_app, DEMO_EMPLOYEE, due=today(synced_app))
    with recorded(synced_app) as seen:
        assert employee_client.get(f"/notices/{notice}/explanation").status_code == 200
    about_notice = [s for s in seen.seen if "FROM notice" in s]
    assert len(about_notice) == 1, about_notice
    assert all(part in about_notice[0] for part in ("explanation", "appraisal_notice", "notice_case"))
    assert employee_client.get(f"/notices/{notice + 1000}/explanation").status_code == 404

def test_an_explanation_is_append_only_in_the_database(employee_client: FlaskClient, synced_app: Flask) -> None:
    notice = notice_about(synced_app, DEMO_EMPLOYEE)
    assert explain(employee_client, notice).status_code == 302
    with synced_app.app_context():
        for statement in ("UPDATE explanation SET text = 'khác'", "DELETE FROM explanation"):
            with pytest.raises(DBAPIError):
                db.session.execute(text(statement))
            db.session.rollback()
    assert explanations(synced_app) == ["Tôi nộp hồ sơ giấy vì Cổng dịch vụ công bị lỗi."]


def response_id(app: Flask, label: str) -> int:
    with app.app_context():
        return db.session.scalar(select(AppraisalOutcome.id).where(AppraisalOutcome.label == label))


def add_response(client: FlaskClient, **fields: object):
    data = {"label": "Nhắc nhở bằng văn bản", "categories": ["cong_chuc", "vien_chuc", "nguoi_lao_dong"],
            "valid_from": "", "valid_to": "", "points": "", **fields}
    return client.post("/admin/responses", data={**data, "csrf_token": csrf_token(client, "/")})


def proposal_form(client: FlaskClient, app: Flask, username: str = DEMO_EMPLOYEE) -> str:
    return client.get(f"/appraisals/new?employee={employee_id(app, username)}").get_data(as_text=True)


def test_rating_levels_are_not_offered_as_responses(head_client: FlaskClient, synced_app: Flask) -> None:
    form = proposal_form(head_client, synced_app)
    assert "Nhắc nhở" in form and "Hạ một mức xếp loại" in form
    assert ">Hoàn thành xuất sắc nhiệm vụ</option>" not in form and "Hoàn thành tốt nhiệm vụ" not in form
    notice = notice_about(synced_app, DEMO_EMPLOYEE)
    excellent = decision_form(synced_app, [notice], outcome_id=outcome_id(synced_app, "rating_excellent"))
    response = post_decision(head_client, synced_app, excellent)
    assert response.status_code == 400  # never offered
    assert proposals(synced_app) == 0


def test_the_admin_adds_and_retires_a_response_and_a_retired_one_is_not_offered(
    admin_client: FlaskClient, head_client: FlaskClient, synced_app: Flask
) -> None:
    response = add_response(admin_client, points="-3", valid_from="01/01/2026")
    assert response.status_code == 302, response.get_data(as_text=True)
    page = admin_client.get("/admin/responses").get_data(as_text=True)
    assert "Nhắc nhở bằng văn bản" in page and "-3" in page and "01/01/2026" in page
    assert "Nhắc nhở bằng văn bản" in proposal_form(head_client, synced_app)
    added = response_id(synced_app, "Nhắc nhở bằng văn bản")
    retire = admin_client.post(f"/admin/responses/{added}/retire", data={"csrf_token": csrf_token(admin_client, "/")})
    assert retire.status_code == 302
    assert "Nhắc nhở bằng văn bản" not in proposal_form(head_client, synced_app)
    notice = notice_about(synced_app, DEMO_EMPLOYEE)
    refused = post_decision(head_client, synced_app, decision_form(synced_app, [notice], outcome_id=added))
    assert refused.status_code == 400 and proposals(synced_app) == 0
    with synced_app.app_context():
        actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("response.%"))).all()
        assert sorted(actions) == ["response.create", "response.retire"]
    # Someone not the admin cannot add or retire.
    assert add_response(head_client, label="Khác").status_code == 403
    assert head_client.post(f"/admin/responses/{added}/retire",
                            data={"csrf_token": csrf_token(head_client, "/")}).status_code == 403


def test_bad_responses_are_refused_with_a_message(admin_client: FlaskClient, synced_app: Flask) -> None:
    for fields, message in [
        ({"categories": []}, "Chọn ít nhất một đối tượng được áp dụng."),
        ({"valid_from": "10/01/2026", "valid_to": "01/01/2026"}, "Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực."),
        ({"points": "-150"}, "Điểm trong khoảng -100 đến 100."),
        ({"label": "Nhắc nhở"}, "Nội dung đề xuất này đã có trong danh sách."),
    ]:
        response = add_response(admin_client, **fields)
        assert response.status_code == 422, fields
        assert message in response.get_data(as_text=True)
    assert add_response(admin_client, categories=["quan_doi"]).status_code == 400
    assert response_id(synced_app, "Nhắc nhở bằng văn bản") is None


def test_a_response_is_not_offered_for_the_wrong_category(
    admin_client: FlaskClient, head_client: FlaskClient, synced_app: Flask
) -> None:
    five = "Trừ 5 điểm (thang 100 điểm, Nghị định 335/2025/NĐ-CP)"  # civil servants only
    employee = employee_id(synced_app, DEMO_EMPLOYEE)
    assert five not in proposal_form(head_client, synced_app)  # category not known yet
    person_page = admin_client.get(f"/staff/{employee}").get_data(as_text=True)
    assert "Đối tượng" in person_page and "Chưa xác định" in person_page

    def set_category(code: str):
        return admin_client.post(f"/admin/staff/{employee}/category",
                                 data={"category": code, "csrf_token": csrf_token(admin_client, "/")})

    assert set_category("vien_chuc").status_code == 302
    assert "Viên chức" in admin_client.get(f"/staff/{employee}").get_data(as_text=True)
    assert five not in proposal_form(head_client, synced_app)
    notice = notice_about(synced_app, DEMO_EMPLOYEE)
    refused = post_decision(head_client, synced_app, decision_form(
        synced_app, [notice], outcome_id=response_id(synced_app, five)))
    assert refused.status_code == 400 and proposals(synced_app) == 0
    assert set_category("cong_chuc").status_code == 302
    assert five in proposal_form(head_client, synced_app)
    assert set_category("quan_doi").status_code == 400
    assert head_client.post(f"/admin/staff/{employee}/category",
                            data={"category": "cong_chuc", "csrf_token": csrf_token(head_client, "/")}).status_code == 403
    with synced_app.app_context():
        assert db.session.get(Employee, employee).category == "cong_chuc"
        assert db.session.scalar(select(func.count(AuditEvent.id)).where(
            AuditEvent.action == "employee.category")) == 2


def test_the_directory_gives_the_category(tmp_path, synced_app: Flask) -> None:
    from intranet.categories import from_directory
    from intranet.directory.client import DirectoryPerson
    from intranet.directory.sync import sync_people

    assert from_directory("Công chức") == "cong_chuc" and from_directory("VIÊN CHỨC") == "vien_chuc"
    assert from_directory("người lao động") == "nguoi_lao_dong" and from_directory("khác") is None
    with synced_app.app_context():
        hung = person(DEMO_EMPLOYEE)
        entry = DirectoryPerson(dn=hung.directory_dn, username=hung.username, full_name=hung.full_name,
                                email=hung.email, title=hung.title, unit_name=hung.unit.name,
                                is_head=False, is_admin=False, category="Công chức")
        others = [p for p in db.session.scalars(select(Employee).where(Employee.active)) if p.id != hung.id]
        people = [entry] + [DirectoryPerson(
            dn=p.directory_dn, username=p.username, full_name=p.full_name, email=p.email, title=p.title,
            unit_name=p.unit.name if p.unit else None, is_head=p.is_head, is_admin=p.is_admin,
            is_leader=p.is_leader) for p in others]
        sync_people(people)
        db.session.commit()
        assert person(DEMO_EMPLOYEE).category == "cong_chuc"
        assert person(DEMO_EMPLOYEE).category_from_directory == "cong_chuc"


def test_notices_past_their_deadline_are_counted_on_the_compliance_table(
    admin_client: FlaskClient, head_client: FlaskClient, synced_app: Flask
) -> None:
    from intranet.compliance.figures import unit_compliance
    from intranet.months import Month

    day = today(synced_app)
    late = notice_about(synced_app, DEMO_EMPLOYEE, due=day - timedelta(days=1), reference="1/TB")
    notice_about(synced_app, DEMO_EMPLOYEE, due=day + timedelta(days=1), reference="2/TB")
    notice_about(synced_app, "binhdq", due=day - timedelta(days=3), reference="3/TB")
    with synced_app.app_context():
        totals = unit_compliance(Month(day.year, day.month)).totals
        assert (totals.awaiting, totals.overdue) == (3, 2)
    page = admin_client.get(f"/compliance?month={day:%Y-%m}").get_data(as_text=True)
    assert "thông báo quá hạn trả lời chưa có đề xuất" in page
    # A proposal on the late notice takes it off the count; the queue flags what is left.
    assert post_decision(head_client, synced_app, decision_form(synced_app, [late])).status_code == 302
    with synced_app.app_context():
        assert unit_compliance(Month(day.year, day.month)).totals.overdue == 1
    assert "Quá hạn 3 ngày" in admin_client.get("/notices/open").get_data(as_text=True)


def test_the_summary_for_the_rating_meeting_counts_cases_explanations_proposals_and_points(
    admin_client: FlaskClient, head_client: FlaskClient, employee_client: FlaskClient, synced_app: Flask
) -> None:
    from io import BytesIO

    from openpyxl import load_workbook

    day = today(synced_app)
    first = notice_about(synced_app, DEMO_EMPLOYEE, due=day + timedelta(days=2), reference="1/TB")
    second = notice_about(synced_app, DEMO_EMPLOYEE, due=day + timedelta(days=2), reference="2/TB")
    notice_about(synced_app, "binhdq", due=day + timedelta(days=2), reference="3/TB")  # Hoài Nhơn
    assert explain(employee_client, first).status_code == 302
    employee = employee_id(synced_app, DEMO_EMPLOYEE)
    assert admin_client.post(f"/admin/staff/{employee}/category", data={
        "category": "cong_chuc", "csrf_token": csrf_token(admin_client, "/")}).status_code == 302
    five = response_id(synced_app, "Trừ 5 điểm (thang 100 điểm, Nghị định 335/2025/NĐ-CP)")
    period = f"month-{day.year}-{day.month}"
    proposal = decision_form(synced_app, [first, second], outcome_id=five, period=period)
    assert post_decision(head_client, synced_app, proposal).status_code == 302

    year = f"year-{day.year}"
    page = head_client.get(f"/appraisals/summary?period={year}").get_data(as_text=True)
    assert "Trong kỳ có 1 người với 2 thông báo (2 hồ sơ); 1 thông báo có giải trình; 2 thông báo đã có đề xuất, 0 thông báo chờ xem xét; tổng điểm đề xuất: -5." in page
    assert "Đinh Văn Hùng" in page and "Cổng dịch vụ công bị lỗi" in page and "Đặng Quốc Bình" not in page
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in page and "Chi cục trưởng hoặc Hội đồng đánh giá quyết định" in page
    # The heading carries the names the admin set for documents (read with the signed-in user).
    assert fill_settings(admin_client).status_code == 302
    whole = admin_client.get(f"/appraisals/summary?period={year}").get_data(as_text=True)
    assert "<p>SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG</p>" in whole
    assert '<p class="strong">CHI CỤC KIỂM LÂM</p>' in whole
    assert "Trong kỳ có 2 người với 3 thông báo (3 hồ sơ); 1 thông báo có giải trình; 2 thông báo đã có đề xuất, 1 thông báo chờ xem xét; tổng điểm đề xuất: -5." in whole
    with synced_app.app_context():
        hoai_nhon = person("binhdq").unit_id
    # A head sees their own unit's only; a staff member none; a bad period is 400.
    assert head_client.get(f"/appraisals/summary?period={year}&unit={hoai_nhon}").status_code == 403
    assert employee_client.get("/appraisals/summary").status_code == 403
    assert head_client.get("/appraisals/summary?period=year-1999").status_code == 400
    assert "Trong kỳ có 2 người" in admin_client.get(f"/appraisals/summary?period={year}&unit=").get_data(as_text=True)
    assert admin_client.get(f"/appraisals/summary?period={year}&unit=abc").status_code == 404
    one_unit = admin_client.get(f"/appraisals/summary?period={year}&unit={hoai_nhon}").get_data(as_text=True)
    assert "Trong kỳ có 1 người với 1 thông báo" in one_unit
    # A month with none.
    empty = admin_client.get(f"/appraisals/summary?period=year-{day.year - 1}").get_data(as_text=True)
    assert "Không có thông báo nào trong kỳ." in empty

    xlsx = admin_client.get(f"/appraisals/summary.xlsx?period={year}")
    assert xlsx.status_code == 200
    sheet = load_workbook(BytesIO(xlsx.data)).active
    rows = [row for row in sheet.iter_rows(min_row=5, values_only=True) if row[0] is not None]
    assert [(r[1], r[4], r[9]) for r in rows[:3]] == [
        ("Đặng Quốc Bình", "3/TB", None), ("Đinh Văn Hùng", "1/TB", -5), ("Đinh Văn Hùng", "2/TB", -5),
    ] or [(r[1], r[4], r[9]) for r in rows[:3]] == [
        ("Đinh Văn Hùng", "1/TB", -5), ("Đinh Văn Hùng", "2/TB", -5), ("Đặng Quốc Bình", "3/TB", None),
    ]
    assert rows[-1][0] == "Cộng" and rows[-1][9] == -5


def test_the_summary_for_a_year_is_titled_for_the_year_though_its_proposals_cover_months(
    admin_client: FlaskClient, head_client: FlaskClient, synced_app: Flask
) -> None:
    # The period of the last proposal read used to replace the period asked for.
    day = today(synced_app)
    notice = notice_about(synced_app, DEMO_EMPLOYEE, due=day + timedelta(days=2))
    month = f"month-{day.year}-{day.month}"
    assert post_decision(head_client, synced_app, decision_form(synced_app, [notice], period=month)).status_code == 302

    page = admin_client.get(f"/appraisals/summary?period=year-{day.year}").get_data(as_text=True)
    assert f"<title>Tổng hợp cho họp đánh giá, xếp loại – Năm {day.year} ·" in page
    assert f'<option value="year-{day.year}" selected>' in page and f'value="{month}" selected' not in page
    assert f"summary.xlsx?period=year-{day.year}\"" in page
    assert f"Tháng {day.month:02d}/{day.year}: " in page  # the proposal still names its month
    xlsx = admin_client.get(f"/appraisals/summary.xlsx?period=year-{day.year}")
    assert f"tong-hop-de-xuat-year-{day.year}.xlsx" in xlsx.headers["Content-Disposition"]
