"""From notice to rating: who proposes on whom (separation of duties), the staff member's
explanation, the responses the admin maintains, and the summary for the rating meeting."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from intranet.clock import local_today
from intranet.explanations.models import Explanation
from intranet.access import can_act_on_notice, can_act_on_person
from intranet.extensions import db
from intranet.models import Appraisal, AuditEvent, Employee, Notice
from intranet.notices.queue import notices_awaiting
from intranet.notices.routing import route_for

from .conftest import DEMO_ADMIN, DEMO_EMPLOYEE, DEMO_HEAD, csrf_token, signed_in_client
from .support.factories import add_notice
from .support.forms import decision_form, employee_id

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
        notice = add_notice(employee, employee.unit, date(2026, 11, 20), datetime(2026, 11, 20, 3),
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
        assert [row.notice.id for row in notices_awaiting(leader, date.today())] == [about_head]
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
    assert "Đã gửi giải trình" in employee_client.get("/").get_data(as_text=True)
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
    assert "Giải trình của cán bộ" in form and "Cổng dịch vụ công bị lỗi" in form


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


def test_an_explanation_is_append_only_in_the_database(employee_client: FlaskClient, synced_app: Flask) -> None:
    notice = notice_about(synced_app, DEMO_EMPLOYEE)
    assert explain(employee_client, notice).status_code == 302
    with synced_app.app_context():
        for statement in ("UPDATE explanation SET text = 'khác'", "DELETE FROM explanation"):
            with pytest.raises(DBAPIError):
                db.session.execute(text(statement))
            db.session.rollback()
    assert explanations(synced_app) == ["Tôi nộp hồ sơ giấy vì Cổng dịch vụ công bị lỗi."]
