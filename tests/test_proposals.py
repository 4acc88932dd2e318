"""From notice to rating: who proposes on whom (separation of duties), the staff member's
explanation, the responses the admin maintains, and the summary for the rating meeting."""
from __future__ import annotations

from datetime import date, datetime

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from intranet.access import can_act_on_notice, can_act_on_person
from intranet.extensions import db
from intranet.models import Appraisal, Employee, Notice
from intranet.notices.queue import notices_awaiting
from intranet.notices.routing import route_for

from .conftest import DEMO_ADMIN, DEMO_EMPLOYEE, DEMO_HEAD, csrf_token, signed_in_client
from .support.factories import add_notice
from .support.forms import decision_form

LEADER = "vinhtq"  # Trần Quang Vinh: heads his unit and is in the demo's leadership group


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
