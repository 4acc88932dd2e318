"""The reminders in the app: the admin's preview-then-send page and list of sends, the home
page's "to do" (the same functions as the email), the language kept per person, settings."""
from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from config import settings_from_env
from intranet import ConfigurationError, create_app
from intranet.extensions import db
from intranet.models import AuditEvent, Employee, VneidStatus, utcnow
from intranet.declarations.service import current
from intranet.main.records import own_records
from intranet.notices.queries import person_and_notices
from intranet.reminders.due import staff_due

from .conftest import DEMO_ADMIN, DEMO_EMPLOYEE, DEMO_HEAD, csrf_token, sign_in, signed_in_client
from .support.clock import agency_today
from .support.smtp_server import Recorder
from .support.reminders import HUNG, active_addresses, declare, records, reminders
from .support.production import DIRECTORY, SECRET, production_settings


def post_send(client: FlaskClient, only: str = "staff"):
    return client.post(
        "/admin/reminders/send", data={"only": only, "csrf_token": csrf_token(client, "/admin/reminders/")}
    )


def test_admin_sees_what_would_be_sent_then_sends_it_in_bounded_batches(mail_app: Flask, smtp: Recorder) -> None:
    mail_app.config["REMINDERS_WEB_LIMIT"] = 15
    admin = signed_in_client(mail_app, DEMO_ADMIN)
    staff = len(active_addresses(mail_app))
    page = admin.get("/admin/reminders/")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f"Nhắc kê khai: {staff} đến hạn; sẽ gửi {staff}" in text
    assert "Thư mẫu:" in text and "Nhắc việc: bạn chưa kê khai tài khoản định danh điện tử" in text
    assert HUNG in text and "Chưa bật gửi thư" not in text
    assert smtp.arrived == [] and records(mail_app) == {}  # looking sends nothing

    response = post_send(admin)
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/reminders/sent")
    assert len(smtp.arrived) == 15
    listing = admin.get("/admin/reminders/sent").get_data(as_text=True)
    assert f"đã gửi 15, đã gửi trước đó 0, thiếu địa chỉ 0, bị từ chối 0, lỗi 0, không rõ kết quả 0, chưa gửi {staff - 15}" in listing
    assert listing.count("<td data-label=\"Kết quả\">Đã gửi") == 15
    for _ in range(3):
        post_send(admin)
    arrived = [r for m in smtp.arrived for r in m.recipients]
    assert len(arrived) == len(set(arrived)) == staff
    with mail_app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "reminders.send").limit(1))
        assert event.actor_name == DEMO_ADMIN and event.details["staff"]["delivered"] == 15


def test_sends_list_shows_refusals_and_refuses_bad_filters(mail_app: Flask, smtp: Recorder) -> None:
    smtp.refuse.add(HUNG)
    admin = signed_in_client(mail_app, DEMO_ADMIN)
    post_send(admin)
    refused = admin.get("/admin/reminders/sent?status=refused").get_data(as_text=True)
    assert "Đinh Văn Hùng" in refused and "Máy chủ thư từ chối" in refused and "550 5.1.1" in refused
    assert "Nguyễn Văn An" not in refused
    assert f'<td data-label="Kỳ">{agency_today():%m/%Y}</td>' in refused
    bad = admin.get("/admin/reminders/sent?period=tháng-11")
    assert bad.status_code == 400 and "Kỳ không hợp lệ." in bad.get_data(as_text=True)
    assert admin.get("/admin/reminders/sent?status=lost").status_code == 400


def test_an_unknown_kind_is_refused_and_nothing_is_sent(mail_app: Flask, smtp: Recorder) -> None:
    admin = signed_in_client(mail_app, DEMO_ADMIN)
    response = post_send(admin, only="everyone")
    assert response.status_code == 400
    assert "Lựa chọn không hợp lệ: hãy chọn một mục trong danh sách." in response.get_data(as_text=True)
    assert smtp.arrived == [] and records(mail_app) == {}


def test_with_mail_off_the_page_says_so(mail_app: Flask, smtp: Recorder) -> None:
    mail_app.config["REMINDERS_ENABLED"] = False
    admin = signed_in_client(mail_app, DEMO_ADMIN)
    assert "Chưa bật gửi thư (REMINDERS_ENABLED)" in admin.get("/admin/reminders/").get_data(as_text=True)


def test_only_admins_reach_the_reminder_pages(mail_app: Flask, smtp: Recorder) -> None:
    for username in (DEMO_HEAD, DEMO_EMPLOYEE):
        client = signed_in_client(mail_app, username)
        assert client.get("/admin/reminders/").status_code == 403
        assert client.get("/admin/reminders/sent").status_code == 403
        token = csrf_token(client, "/")
        assert client.post("/admin/reminders/send", data={"only": "", "csrf_token": token}).status_code == 403
    assert smtp.arrived == []


# --- the home page shows what the email says --------------------------------------------


def test_home_page_shows_the_same_reminder_as_the_email(mail_app: Flask, smtp: Recorder) -> None:
    employee = signed_in_client(mail_app, DEMO_EMPLOYEE)
    home = employee.get("/").get_data(as_text=True)
    assert "Việc cần làm" in home and "Bạn chưa kê khai tình trạng tài khoản định danh điện tử (VNeID)." in home
    declare(mail_app, DEMO_EMPLOYEE, VneidStatus.LEVEL2_PENDING, days_ago=45)
    assert "đang chờ kích hoạt" in employee.get("/").get_data(as_text=True)
    declare(mail_app, DEMO_EMPLOYEE, VneidStatus.LEVEL2_PENDING, days_ago=2)  # said again lately
    assert "Việc cần làm" not in employee.get("/").get_data(as_text=True)
    declare(mail_app, DEMO_EMPLOYEE, VneidStatus.LEVEL2_ACTIVE)
    assert "Việc cần làm" not in employee.get("/").get_data(as_text=True)
    # Whoever the page reminds, the email reminds, and no one else.
    declare(mail_app, "annv", VneidStatus.LEVEL1)
    with mail_app.app_context():
        due = {d.recipient.email for d in staff_due(utcnow(), mail_app.config["REMINDERS_PENDING_DAYS"])}
    for username in ("annv", DEMO_EMPLOYEE, DEMO_ADMIN):
        page = signed_in_client(mail_app, username).get("/").get_data(as_text=True)
        assert ("Việc cần làm" in page) == (f"{username}@kiemlam.gov.vn" in due)
    reminders(mail_app, "--only", "staff")
    assert {r for m in smtp.arrived for r in m.recipients} == due


def test_home_page_reads_the_latest_declaration_and_the_reminder_as_their_own_functions_do(
    mail_app: Flask, smtp: Recorder
) -> None:
    """The home page reads both in one statement with the person's notices (own_records): the
    same declaration as declarations.current, the same reminder as staff_due and the same
    notices as the person's page, whoever the person is: never declared, level 1, waiting
    lately or long, on level 2, or no longer on the staff."""
    declare(mail_app, "annv", VneidStatus.LEVEL1)
    declare(mail_app, DEMO_HEAD, VneidStatus.LEVEL2_PENDING, days_ago=45)
    declare(mail_app, DEMO_ADMIN, VneidStatus.LEVEL2_PENDING, days_ago=2)
    declare(mail_app, DEMO_EMPLOYEE, VneidStatus.LEVEL1, days_ago=3)
    declare(mail_app, DEMO_EMPLOYEE, VneidStatus.LEVEL2_ACTIVE, days_ago=1)
    days = mail_app.config["REMINDERS_PENDING_DAYS"]
    with mail_app.app_context():
        gone = db.session.scalar(select(Employee).filter_by(username="binhdq"))
        gone.left_at = utcnow()
        db.session.commit()
        now = utcnow()
        due = {d.recipient.employee_id: d for d in staff_due(now, days)}
        people = db.session.scalars(select(Employee)).all()
        seen = set()
        for person in people:
            own = own_records(person, now, agency_today(), days)
            assert own.declaration is current(person), person.username
            assert own.reminders.staff == due.get(person.id), person.username
            assert own.notices == person_and_notices(person.id)[1], person.username
            seen.add((own.declaration is None, own.reminders.staff is None))
    assert seen == {(True, True), (True, False), (False, True), (False, False)}


# --- the language each person chose -----------------------------------------------------


def test_language_chosen_is_kept_for_the_person_and_their_next_sign_in(synced_app: Flask) -> None:
    client = signed_in_client(synced_app, DEMO_EMPLOYEE)
    client.post("/language", data={"lang": "en", "next": "/", "csrf_token": csrf_token(client, "/")})
    with synced_app.app_context():
        assert db.session.scalar(select(Employee.language).filter_by(username=DEMO_EMPLOYEE)) == "en"
    fresh = synced_app.test_client()  # another browser: no language in its session
    assert sign_in(fresh, DEMO_EMPLOYEE).status_code == 302
    assert '<html lang="en">' in fresh.get("/").get_data(as_text=True)
    fresh.post("/language", data={"lang": "vi", "next": "/", "csrf_token": csrf_token(fresh, "/")})
    with synced_app.app_context():
        assert db.session.scalar(select(Employee.language).filter_by(username=DEMO_EMPLOYEE)) == "vi"


# --- settings ---------------------------------------------------------------------------


def production(tmp_path: Path, **env: str) -> dict:
    return production_settings(tmp_path, **{**SECRET, **DIRECTORY, **env})


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"REMINDERS_ENABLED": "1", "MAIL_FROM": "intranet@kiemlam.gov.vn"}, "APP_BASE_URL"),
        ({"REMINDERS_ENABLED": "1", "APP_BASE_URL": "https://intranet.kiemlam.gov.vn"}, "MAIL_FROM"),
        ({"REMINDERS_PERIOD": "daily"}, "REMINDERS_PERIOD"),
        ({"MAIL_USE_TLS": "1", "MAIL_USE_SSL": "1"}, "MAIL_USE_TLS"),
        ({"APP_BASE_URL": "intranet.kiemlam.gov.vn"}, "APP_BASE_URL"),
        ({"MAIL_FROM": "Chi cục Kiểm lâm"}, "MAIL_FROM"),
    ],
)
def test_production_refuses_half_set_reminders(tmp_path: Path, env: dict, message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        create_app(production(tmp_path, **env))


def test_reminder_settings_defaults_and_environment() -> None:
    defaults = settings_from_env({})
    assert defaults["REMINDERS_ENABLED"] is False and defaults["REMINDERS_PERIOD"] == "monthly"
    assert defaults["REMINDERS_PENDING_DAYS"] == 30 and defaults["MAIL_TIMEOUT"] == 30
    chosen = settings_from_env({"REMINDERS_ENABLED": "yes", "MAIL_PORT": "2525", "REMINDERS_PERIOD": "Weekly",
                                "APP_BASE_URL": "https://intranet.example/vneid/"})
    assert chosen["REMINDERS_ENABLED"] and chosen["MAIL_PORT"] == 2525
    assert chosen["REMINDERS_PERIOD"] == "weekly" and chosen["APP_BASE_URL"] == "https://intranet.example/vneid"


def test_period_labels(synced_app: Flask) -> None:
    from intranet.reminders.labels import period_label

    with synced_app.test_request_context():
        assert period_label("2026-11") == "11/2026"
        assert period_label("2026-W48") == "tuần 48/2026"


def test_links_follow_the_base_url_path(tmp_path: Path) -> None:
    from intranet.reminders.links import Links

    from .conftest import make_app

    app = make_app(tmp_path, APP_BASE_URL="https://intranet.example/vneid")
    with app.app_context():
        assert Links(app).url("declarations.declare") == "https://intranet.example/vneid/declaration"
        assert Links(app).url("notices.index", status="open") == "https://intranet.example/vneid/notices?status=open"


def test_in_production_with_reminders_off_nothing_is_sent_printed_or_recorded(
    mail_app: Flask, smtp: Recorder
) -> None:
    mail_app.config.update(INTRANET_ENV="production", REMINDERS_ENABLED=False)
    admin = signed_in_client(mail_app, DEMO_ADMIN)
    page = admin.get("/admin/reminders/").get_data(as_text=True)
    assert "trang này chỉ cho xem trước" in page and "Gửi ngay" not in page
    refused = admin.post("/admin/reminders/send", data={"only": "", "csrf_token": csrf_token(admin, "/")})
    assert refused.status_code == 409 and "không gửi được" in refused.get_data(as_text=True)
    result = reminders(mail_app)
    assert result.exit_code == 0 and "REMINDERS_ENABLED tắt: không gửi thư nào" in result.output
    assert "Kính gửi" not in result.output  # no one's reminder in the service's log
    assert smtp.arrived == [] and records(mail_app) == {}
    assert "staff\t" in reminders(mail_app, "--dry-run").output  # the preview still works


def test_admin_lets_an_unclear_send_go_again_and_only_that(mail_app: Flask, smtp: Recorder) -> None:
    smtp.drop_after_data.add(HUNG)
    reminders(mail_app, "--only", "staff")
    unclear = records(mail_app)[DEMO_EMPLOYEE]
    sent = records(mail_app)["annv"]
    admin = signed_in_client(mail_app, DEMO_ADMIN)
    listing = admin.get("/admin/reminders/sent?status=unknown").get_data(as_text=True)
    assert "Không rõ đã gửi chưa (mất kết nối)" in listing and "Cho gửi lại" in listing
    token = csrf_token(admin, "/admin/reminders/sent")
    not_unclear = admin.post(f"/admin/reminders/sent/{sent.id}/release", data={"csrf_token": token})
    assert not_unclear.status_code == 409
    assert "Chỉ gửi lại được thư không rõ kết quả." in not_unclear.get_data(as_text=True)
    assert admin.post("/admin/reminders/sent/99999/release", data={"csrf_token": token}).status_code == 404
    employee = signed_in_client(mail_app, DEMO_EMPLOYEE)
    forbidden = employee.post(f"/admin/reminders/sent/{unclear.id}/release",
                              data={"csrf_token": csrf_token(employee, "/")})
    assert forbidden.status_code == 403
    released = admin.post(f"/admin/reminders/sent/{unclear.id}/release", data={"csrf_token": token})
    assert released.status_code == 302
    assert records(mail_app)[DEMO_EMPLOYEE].status == "failed"
    reminders(mail_app, "--only", "staff")
    assert len(smtp.to(HUNG)) == 2 and len(smtp.to("annv@kiemlam.gov.vn")) == 1
    assert records(mail_app)[DEMO_EMPLOYEE].status == "sent"
    with mail_app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "reminders.release"))
        assert event.actor_name == DEMO_ADMIN and event.details["previous"] == "unknown"


def test_a_run_that_died_leaves_a_claim_shown_as_interrupted_after_an_hour(mail_app: Flask, smtp: Recorder) -> None:
    from datetime import timedelta

    from sqlalchemy import update

    from intranet.reminders.models import ReminderSend
    reminders(mail_app, "--only", "staff")
    with mail_app.app_context():  # as a run killed while sending would leave it
        db.session.execute(update(ReminderSend).where(ReminderSend.id == 1).values(
            status="sending", claimed_at=utcnow() - timedelta(hours=2)))
        db.session.commit()
    admin = signed_in_client(mail_app, DEMO_ADMIN)
    listing = admin.get("/admin/reminders/sent?status=sending").get_data(as_text=True)
    assert "Bị gián đoạn, không rõ đã gửi chưa" in listing and "Cho gửi lại" in listing
    token = csrf_token(admin, "/admin/reminders/sent")
    assert admin.post("/admin/reminders/sent/1/release", data={"csrf_token": token}).status_code == 302
