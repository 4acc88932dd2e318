"""Admin pages: issuing bodies as editable data, and the read-only audit log."""
from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from intranet.extensions import db
from intranet.models import IssuingBody

from .conftest import DEMO_ADMIN, csrf_token
from .support.forms import notice_form, post_notice


def test_admin_adds_a_body_and_heads_can_pick_it(admin_client: FlaskClient, head_client: FlaskClient) -> None:
    token = csrf_token(admin_client, "/admin/issuing-bodies")
    name = "Bộ phận Một cửa UBND phường Quy Nhơn Nam"
    response = admin_client.post("/admin/issuing-bodies", data={"name": f"  {name} ", "csrf_token": token})
    assert response.status_code == 302
    assert name in head_client.get("/notices/new").get_data(as_text=True)
    again = admin_client.post("/admin/issuing-bodies", data={"name": name.upper(), "csrf_token": token})
    assert again.status_code == 422 and "đã có trong danh sách" in again.get_data(as_text=True)
    blank = admin_client.post("/admin/issuing-bodies", data={"name": "", "csrf_token": token})
    assert blank.status_code == 422


def test_retired_body_is_kept_but_cannot_be_picked(
    admin_client: FlaskClient, head_client: FlaskClient, synced_app: Flask
) -> None:
    with synced_app.app_context():
        body = db.session.scalar(select(IssuingBody).where(IssuingBody.active.is_(True)).order_by(IssuingBody.id).limit(1))
        body_id, name = body.id, body.name
    assert post_notice(head_client, notice_form(synced_app)).status_code == 302
    token = csrf_token(admin_client, "/admin/issuing-bodies")
    admin_client.post(f"/admin/issuing-bodies/{body_id}/active", data={"active": "0", "csrf_token": token})
    assert f">{name}</option>" not in head_client.get("/notices/new").get_data(as_text=True)
    assert name in head_client.get("/notices/1").get_data(as_text=True)  # the old notice still names it
    assert post_notice(head_client, notice_form(synced_app, reference_number="2/TB", issuing_body_id=body_id)).status_code == 400
    admin_client.post(f"/admin/issuing-bodies/{body_id}/active", data={"active": "1", "csrf_token": token})
    assert f">{name}</option>" in head_client.get("/notices/new").get_data(as_text=True)


def test_audit_log_lists_and_filters(admin_client: FlaskClient, head_client: FlaskClient, synced_app: Flask) -> None:
    post_notice(head_client, notice_form(synced_app))
    page = admin_client.get("/admin/audit").get_data(as_text=True)
    assert "notice.create" in page and "auth.sign_in" in page and "127.0.0.1" in page
    only = admin_client.get("/admin/audit?action=notice").get_data(as_text=True)
    assert "<code>notice.create</code>" in only and "<code>auth.sign_in</code>" not in only
    mine = admin_client.get(f"/admin/audit?actor={DEMO_ADMIN.upper()}").get_data(as_text=True)
    assert "<code>notice.create</code>" not in mine and "<code>auth.sign_in</code>" in mine
    assert admin_client.get("/admin/audit?since=99/99/2026").status_code == 400


def test_audit_log_has_no_way_to_change_it(synced_app: Flask) -> None:
    rules = [r for r in synced_app.url_map.iter_rules() if "audit" in r.rule]
    assert [(r.rule, sorted(r.methods - {"HEAD", "OPTIONS"})) for r in rules] == [("/admin/audit", ["GET"])]


def test_heads_and_employees_get_403_on_admin_pages(head_client: FlaskClient, employee_client: FlaskClient) -> None:
    for client in (head_client, employee_client):
        for path in ("/admin/", "/admin/issuing-bodies", "/admin/audit"):
            assert client.get(path).status_code == 403, path


def test_audit_log_pages_back_through_older_events(admin_client: FlaskClient, synced_app: Flask) -> None:
    from intranet import audit

    with synced_app.app_context():
        for n in range(120):
            audit.record("test.event", actor_name=f"user{n}")
        db.session.commit()
    first = admin_client.get("/admin/audit?action=test").get_data(as_text=True)
    assert "Cũ hơn" in first and "user119" in first and "user0<" not in first
    second = admin_client.get("/admin/audit?action=test&page=2").get_data(as_text=True)
    assert "Mới hơn" in second and "user0</code>" in second
