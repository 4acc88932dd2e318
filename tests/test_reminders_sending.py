"""Email reminders against a real SMTP server (aiosmtpd on a loopback port): what arrives,
and that no reminder is ever sent twice, whatever the server or the run does."""
from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from flask import Flask
from sqlalchemy import select, update

from intranet.extensions import db
from intranet.models import Employee, Unit, VneidStatus, utcnow
from intranet.months import Month
from intranet.reminders import send
from intranet.reminders.due import heads_due, notices_awaiting
from intranet.reminders.models import Reason, SendStatus
from intranet.reminders.transport import SmtpTransport

from .conftest import DEMO_ADMIN, DEMO_EMPLOYEE, DEMO_HEAD, make_app, mail_settings
from .support.clock import agency_today
from .support.factories import add_employee, add_notice
from .support.reminders import HUNG, active_addresses, declare, records, reminders
from .support.smtp_server import Recorder
from .support.statements import recorded

BASE = "https://intranet.kiemlam.gov.vn"


def set_email(app: Flask, username: str, email: str | None) -> None:
    with app.app_context():
        db.session.execute(update(Employee).where(Employee.username == username).values(email=email))
        db.session.commit()


def staff_arrivals(smtp: Recorder) -> list:
    return [m for m in smtp.arrived if "Nhắc việc: " in m.message["Subject"] and "thông báo" not in m.message["Subject"]]


# --- what arrives ---------------------------------------------------------------------


def test_each_staff_member_not_on_level2_gets_one_vietnamese_reminder_and_a_second_run_sends_nothing(
    mail_app: Flask, smtp: Recorder
) -> None:
    declare(mail_app, "annv", VneidStatus.LEVEL2_ACTIVE)
    first = reminders(mail_app, "--only", "staff")
    assert first.exit_code == 0, first.output
    expected = active_addresses(mail_app) - {"annv@kiemlam.gov.vn"}
    got = [m.recipients for m in smtp.arrived]
    assert sorted(r for (r,) in got) == sorted(expected)  # one recipient per message, once each
    assert smtp.connections == 1  # one connection for the whole batch

    (hung,) = smtp.to(HUNG)
    message = hung.message
    assert hung.mail_from == "intranet@kiemlam.gov.vn"
    assert message["Subject"] == "Nhắc việc: bạn chưa kê khai tài khoản định danh điện tử"
    assert message["To"].addresses[0].display_name == "Đinh Văn Hùng"
    assert message["Auto-Submitted"] == "auto-generated"
    text, html = hung.body("plain"), hung.body("html")
    assert message.get_body(("plain",)).get_content_charset() == "utf-8"
    assert "Kính gửi Đinh Văn Hùng," in text and "chưa kê khai tình trạng tài khoản định danh điện tử" in text
    assert f"{BASE}/declaration" in text and f'href="{BASE}/declaration"' in html
    # Nobody else's data in it.
    assert "Nguyễn Văn An" not in text and "annv" not in text

    assert "đã gửi " + str(len(expected)) in first.output
    assert all(r.status == SendStatus.SENT for r in records(mail_app).values())

    second = reminders(mail_app, "--only", "staff")
    assert second.exit_code == 0, second.output
    assert len(smtp.arrived) == len(expected)
    assert f"đã gửi 0, đã gửi trước đó {len(expected)}" in second.output


def test_reminders_stop_once_level2_is_declared_and_come_again_next_period(mail_app: Flask, smtp: Recorder) -> None:
    today = date(2026, 11, 20)
    with mail_app.app_context():
        send.run([Reason.STAFF], SmtpTransport(mail_app.config), today=today, now=utcnow())
    assert len(smtp.to(HUNG)) == 1
    declare(mail_app, DEMO_EMPLOYEE, VneidStatus.LEVEL2_ACTIVE)
    with mail_app.app_context():
        report = send.run([Reason.STAFF], SmtpTransport(mail_app.config), today=date(2026, 12, 1), now=utcnow())
    assert len(smtp.to(HUNG)) == 1  # declared level 2: no December reminder
    assert len(smtp.to("annv@kiemlam.gov.vn")) == 2  # still undeclared: one for each month
    assert report.tallies[Reason.STAFF].already == 0


def test_pending_activation_is_reminded_only_after_the_threshold(mail_app: Flask, smtp: Recorder) -> None:
    mail_app.config["REMINDERS_PENDING_DAYS"] = 30
    declare(mail_app, DEMO_EMPLOYEE, VneidStatus.LEVEL2_PENDING, days_ago=31)
    declare(mail_app, "annv", VneidStatus.LEVEL2_PENDING, days_ago=5)
    declare(mail_app, "anhtt", VneidStatus.LEVEL1)
    assert reminders(mail_app, "--only", "staff").exit_code == 0
    assert not smtp.to("annv@kiemlam.gov.vn")
    (hung,) = smtp.to(HUNG)
    assert hung.message["Subject"] == "Nhắc việc: hãy kích hoạt tài khoản định danh điện tử mức độ 2"
    assert "đang chờ kích hoạt" in hung.body()
    (anh,) = smtp.to("anhtt@kiemlam.gov.vn")
    assert anh.message["Subject"] == "Nhắc việc: hãy đăng ký tài khoản định danh điện tử mức độ 2"


def test_staff_who_chose_english_get_it_in_english(mail_app: Flask, smtp: Recorder) -> None:
    with mail_app.app_context():
        db.session.execute(update(Employee).where(Employee.username == DEMO_EMPLOYEE).values(language="en"))
        db.session.commit()
    reminders(mail_app, "--only", "staff")
    (hung,) = smtp.to(HUNG)
    assert hung.message["Subject"] == "Reminder: you have not declared your electronic identity account"
    assert hung.message["Content-Language"] == "en"
    assert "Dear Đinh Văn Hùng," in hung.body()
    (other,) = smtp.to("annv@kiemlam.gov.vn")
    assert other.message["Subject"].startswith("Nhắc việc")


def test_head_is_told_of_notices_awaiting_their_proposal_without_staff_names(
    mail_app: Flask, smtp: Recorder
) -> None:
    from .conftest import signed_in_client
    from .support.forms import decision_form, post_decision, record_notice

    head = signed_in_client(mail_app, DEMO_HEAD)
    first, second = record_notice(head, mail_app, 1), record_notice(head, mail_app, 2)
    result = reminders(mail_app, "--only", "heads")
    assert result.exit_code == 0, result.output
    (mail,) = smtp.arrived
    assert mail.recipients == ("annv@kiemlam.gov.vn",)
    assert mail.message["Subject"] == "Nhắc việc: 2 thông báo đang chờ bạn đề xuất đánh giá, xếp loại"
    text = mail.body()
    assert "1/TB" in text and "2/TB" in text
    assert "công chức, viên chức, người lao động của Hạt Kiểm lâm An Lão đã kích hoạt mức độ 2 (0,0%)" in text
    assert "Đinh Văn Hùng" not in text  # the staff member the notices name stays out of the email
    assert f"{BASE}/notices?status=open" in text
    # The head's home page shows the same two notices, named.
    home = head.get("/").get_data(as_text=True)
    assert "Việc cần làm" in home and "1/TB" in home and "2/TB" in home
    # A proposal covering both: nothing awaits, on the page and in the next period's email.
    assert post_decision(head, mail_app, decision_form(mail_app, [first, second])).status_code == 302
    assert "2/TB" not in head.get("/").get_data(as_text=True)
    with mail_app.app_context():
        report = send.run([Reason.HEADS], SmtpTransport(mail_app.config), today=date(2027, 1, 5), now=utcnow())
    assert report.tallies.get(Reason.HEADS) is None and len(smtp.arrived) == 1


def test_admin_gets_the_closed_months_summary_once(mail_app: Flask, smtp: Recorder) -> None:
    declare(mail_app, DEMO_EMPLOYEE, VneidStatus.LEVEL2_ACTIVE)
    # Early next month: this month (the staff's first, since the demo synced today) has closed.
    this_month = agency_today().replace(day=1)
    next_month = (this_month + timedelta(days=32)).replace(day=1)
    with mail_app.app_context():
        # Last month, before the first sync, nobody was on the roster: no empty summary.
        send.run([Reason.ADMIN], SmtpTransport(mail_app.config), today=agency_today(), now=utcnow())
        assert smtp.arrived == []
        for _ in range(2):
            send.run([Reason.ADMIN], SmtpTransport(mail_app.config), today=next_month, now=utcnow())
    assert [m.recipients for m in smtp.arrived] == [("huonglt@kiemlam.gov.vn",)]
    (summary,) = smtp.arrived
    assert summary.message["Subject"] == (
        f"Tình hình thực hiện tháng {this_month:%m/%Y}: tài khoản định danh điện tử mức độ 2"
    )
    text = summary.body()
    staff = len(active_addresses(mail_app))
    assert f"Đã kích hoạt mức độ 2: 1/{staff} người" in text
    assert "- Hạt Kiểm lâm An Lão: 1/" in text
    assert f"{BASE}/compliance?month={this_month:%Y-%m}" in text
    assert records(mail_app, Reason.ADMIN)[DEMO_ADMIN].period == f"{this_month:%Y-%m}"


# --- addresses and the server's refusals ----------------------------------------------


def test_missing_and_refused_addresses_are_listed_not_fatal(mail_app: Flask, smtp: Recorder) -> None:
    set_email(mail_app, "annv", None)
    set_email(mail_app, "anhtt", "không phải địa chỉ")
    smtp.refuse.add(HUNG)
    result = reminders(mail_app, "--only", "staff")
    assert result.exit_code == 0, result.output
    assert "thiếu địa chỉ 2, bị từ chối 1" in result.output
    assert "refused: Đinh Văn Hùng <hungdv@kiemlam.gov.vn> 550 5.1.1" in result.output
    saved = records(mail_app)
    assert saved["annv"].status == SendStatus.NO_ADDRESS
    assert saved["anhtt"].status == SendStatus.NO_ADDRESS and saved["anhtt"].detail == "không phải địa chỉ"
    assert saved[DEMO_EMPLOYEE].status == SendStatus.REFUSED and "User unknown" in saved[DEMO_EMPLOYEE].detail
    sent = len(smtp.arrived)
    assert sent == len(active_addresses(mail_app)) - 3
    # The directory gets fixed: the next run sends to the two, and not again to the refused one.
    set_email(mail_app, "annv", "annv@kiemlam.gov.vn")
    set_email(mail_app, "anhtt", "anhtt@kiemlam.gov.vn")
    assert reminders(mail_app, "--only", "staff").exit_code == 0
    assert len(smtp.arrived) == sent + 2 and not smtp.to(HUNG)
    assert records(mail_app)["annv"].attempts == 2


def test_a_deferred_recipient_is_tried_again_next_run(mail_app: Flask, smtp: Recorder) -> None:
    smtp.defer.add(HUNG)
    reminders(mail_app, "--only", "staff")
    assert records(mail_app)[DEMO_EMPLOYEE].status == SendStatus.FAILED
    assert records(mail_app)[DEMO_EMPLOYEE].detail.startswith("451")
    smtp.defer.clear()
    reminders(mail_app, "--only", "staff")
    assert len(smtp.to(HUNG)) == 1 and records(mail_app)[DEMO_EMPLOYEE].status == SendStatus.SENT


def test_server_closing_mid_batch_fails_one_then_the_batch_goes_on(mail_app: Flask, smtp: Recorder) -> None:
    smtp.drop_at_rcpt.add(HUNG)
    result = reminders(mail_app, "--only", "staff")
    assert result.exit_code == 0, result.output
    everyone = active_addresses(mail_app)
    assert {r for m in smtp.arrived for r in m.recipients} == everyone - {HUNG}
    assert smtp.connections == 2  # reopened after the drop
    assert records(mail_app)[DEMO_EMPLOYEE].status == SendStatus.FAILED
    reminders(mail_app, "--only", "staff")
    assert sorted(r for m in smtp.arrived for r in m.recipients) == sorted(everyone)  # each once


def test_connection_lost_after_the_message_is_never_sent_twice(mail_app: Flask, smtp: Recorder) -> None:
    smtp.drop_after_data.add(HUNG)
    reminders(mail_app, "--only", "staff")
    record = records(mail_app)[DEMO_EMPLOYEE]
    assert record.status == SendStatus.UNKNOWN and "SMTPServerDisconnected" in record.detail
    reminders(mail_app, "--only", "staff")
    assert len(smtp.to(HUNG)) == 1
    assert sorted(r for m in smtp.arrived for r in m.recipients) == sorted(active_addresses(mail_app))


def test_server_not_answering_times_out_into_a_clear_record(mail_app: Flask, smtp: Recorder) -> None:
    mail_app.config["MAIL_TIMEOUT"] = 1
    smtp.stall = 3
    smtp.stall_after_data.add(HUNG)
    result = reminders(mail_app, "--only", "staff")
    assert result.exit_code == 0, result.output
    record = records(mail_app)[DEMO_EMPLOYEE]
    assert record.status == SendStatus.UNKNOWN and "timed out" in record.detail
    assert "không rõ kết quả 1" in result.output
    reminders(mail_app, "--only", "staff")
    assert len(smtp.to(HUNG)) == 1
    assert sorted(r for m in smtp.arrived for r in m.recipients) == sorted(active_addresses(mail_app))


def test_unreachable_server_stops_the_run_before_claiming_anything(
    mail_app: Flask, smtp: Recorder, silent_directory: str
) -> None:
    port = int(silent_directory.rsplit(":", 1)[1])  # accepts connections, never says a word
    good_port = mail_app.config["MAIL_PORT"]
    mail_app.config.update(MAIL_PORT=port, MAIL_TIMEOUT=1)
    result = reminders(mail_app, "--only", "staff")
    assert result.exit_code == 1
    assert "Đã dừng: 127.0.0.1:" in result.output and "Lần chạy sau sẽ gửi tiếp" in result.output
    assert "Traceback" not in result.output
    assert records(mail_app) == {}
    mail_app.config["MAIL_PORT"] = good_port
    assert reminders(mail_app, "--only", "staff").exit_code == 0
    assert len(smtp.arrived) == len(active_addresses(mail_app))


# --- runs: concurrent, interrupted, dry, console --------------------------------------


def test_two_concurrent_runs_send_nothing_twice(mail_app: Flask, smtp: Recorder) -> None:
    reports: list[send.RunReport] = []
    start = threading.Barrier(2)

    def one_run() -> None:
        with mail_app.app_context():
            start.wait()
            reports.append(send.run([Reason.STAFF], SmtpTransport(mail_app.config), today=agency_today(), now=utcnow()))

    threads = [threading.Thread(target=one_run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    everyone = active_addresses(mail_app)
    assert sorted(r for m in smtp.arrived for r in m.recipients) == sorted(everyone)
    assert sum(r.tallies[Reason.STAFF].delivered for r in reports) == len(everyone)


class DiesAfter(SmtpTransport):
    """A run killed while handing over its third message."""

    def __init__(self, config, messages: int) -> None:
        super().__init__(config)
        self.messages = messages

    def send(self, message, to):
        if self.messages == 0:
            raise KeyboardInterrupt
        self.messages -= 1
        return super().send(message, to)


def test_a_run_that_died_half_way_is_resumed_by_the_next(mail_app: Flask, smtp: Recorder) -> None:
    with mail_app.app_context(), pytest.raises(KeyboardInterrupt):
        send.run([Reason.STAFF], DiesAfter(mail_app.config, 2), today=agency_today(), now=utcnow())
    assert len(smtp.arrived) == 2
    in_flight = [name for name, r in records(mail_app).items() if r.status == SendStatus.SENDING]
    assert len(in_flight) == 1
    result = reminders(mail_app, "--only", "staff")
    assert result.exit_code == 0
    everyone = active_addresses(mail_app)
    arrived = [r for m in smtp.arrived for r in m.recipients]
    assert len(arrived) == len(set(arrived)) == len(everyone) - 1  # the one in flight is not resent
    assert records(mail_app)[in_flight[0]].status == SendStatus.SENDING


def test_dry_run_lists_and_sends_and_records_nothing(mail_app: Flask, smtp: Recorder) -> None:
    set_email(mail_app, "annv", None)
    result = reminders(mail_app, "--dry-run")
    assert result.exit_code == 0, result.output
    assert f"staff\t{agency_today():%Y-%m}\t{HUNG}\tĐinh Văn Hùng" in result.output
    assert "thiếu địa chỉ 1" in result.output and "sẽ gửi" in result.output
    assert smtp.arrived == [] and records(mail_app) == {}


def test_with_reminders_off_messages_go_to_the_console_then_a_real_run_sends_them(
    mail_app: Flask, smtp: Recorder
) -> None:
    mail_app.config["REMINDERS_ENABLED"] = False
    printed = reminders(mail_app, "--only", "staff")
    assert printed.exit_code == 0
    assert f"----- {HUNG}\nSubject: Nhắc việc: bạn chưa kê khai" in printed.output
    assert smtp.arrived == []
    assert records(mail_app)[DEMO_EMPLOYEE].status == SendStatus.PRINTED
    again = reminders(mail_app, "--only", "staff")
    assert f"----- {HUNG}" not in again.output  # printed once per period too
    mail_app.config["REMINDERS_ENABLED"] = True
    reminders(mail_app, "--only", "staff")
    assert len(smtp.to(HUNG)) == 1 and records(mail_app)[DEMO_EMPLOYEE].status == SendStatus.SENT


def test_bad_only_choice_is_a_usage_error(mail_app: Flask) -> None:
    result = reminders(mail_app, "--only", "everyone")
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_weekly_period(tmp_path, smtp_server, smtp: Recorder) -> None:
    from intranet.reminders.settings import period_of

    assert period_of(date(2026, 11, 28), "weekly") == "2026-W48"
    assert period_of(date(2026, 11, 28), "monthly") == "2026-11"
    app = make_app(tmp_path, **mail_settings(smtp_server, REMINDERS_PERIOD="weekly"))
    from intranet.directory import current_directory
    from intranet.directory.sync import sync_people

    with app.app_context():
        sync_people(current_directory().people())
        db.session.commit()
        for day in (date(2026, 11, 23), date(2026, 11, 29), date(2026, 11, 30)):
            send.run([Reason.STAFF], SmtpTransport(app.config), today=day, now=utcnow())
        db.engine.dispose()
    assert len(smtp.to(HUNG)) == 2  # weeks 48 and 49


@pytest.mark.parametrize(
    ("settings", "said"),
    [
        ({"MAIL_USE_TLS": True}, "STARTTLS extension not supported by server"),
        ({"MAIL_USERNAME": "intranet", "MAIL_PASSWORD": "x"}, "SMTP AUTH extension not supported by server"),
    ],
)
def test_a_server_without_tls_or_sign_in_stops_the_run_with_its_reason(
    mail_app: Flask, smtp: Recorder, settings: dict, said: str
) -> None:
    mail_app.config.update(settings)
    result = reminders(mail_app, "--only", "staff")
    assert result.exit_code == 1 and said in result.output and "Traceback" not in result.output
    assert smtp.arrived == [] and records(mail_app) == {}


def test_a_name_cannot_add_headers_or_recipients(mail_app: Flask, smtp: Recorder) -> None:
    with mail_app.app_context():
        db.session.execute(update(Employee).where(Employee.username == DEMO_EMPLOYEE)
                           .values(full_name="Hùng\r\nBcc: attacker@example.com"))
        db.session.commit()
    reminders(mail_app, "--only", "staff")
    (hung,) = smtp.to(HUNG)
    assert hung.recipients == (HUNG,) and hung.message["Bcc"] is None
    assert not smtp.to("attacker@example.com")
    assert hung.message["To"].addresses[0].display_name == "Hùng Bcc: attacker@example.com"


def test_a_database_failure_mid_run_is_one_clear_line(
    mail_app: Flask, smtp: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy.exc import OperationalError

    claim = send.Ledger.claim
    calls = []

    def flaky(self, item, address, retryable):
        calls.append(item)
        if len(calls) == 3:
            raise OperationalError("INSERT INTO reminder_send", {}, Exception("database is locked"))
        return claim(self, item, address, retryable)

    monkeypatch.setattr(send.Ledger, "claim", flaky)
    result = reminders(mail_app, "--only", "staff")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "Lỗi cơ sở dữ liệu, đã dừng; lần chạy sau sẽ gửi tiếp: OperationalError: database is locked" in result.output
    assert len(smtp.arrived) == 2
    monkeypatch.setattr(send.Ledger, "claim", claim)
    assert reminders(mail_app, "--only", "staff").exit_code == 0
    arrived = [r for m in smtp.arrived for r in m.recipients]
    assert sorted(arrived) == sorted(active_addresses(mail_app))


def test_with_pipelining_the_envelope_goes_in_one_packet_and_outcomes_stay_exact(
    mail_app: Flask, smtp: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    import smtplib

    step_by_step = []
    monkeypatch.setattr(smtplib.SMTP, "mail", lambda *args, **kw: step_by_step.append(args))
    smtp.pipelining = True
    smtp.refuse.add(HUNG)
    smtp.defer.add("annv@kiemlam.gov.vn")
    smtp.drop_after_data.add("anhtt@kiemlam.gov.vn")
    result = reminders(mail_app, "--only", "staff")
    assert result.exit_code == 0, result.output
    assert step_by_step == []  # MAIL FROM was never sent on its own
    saved = records(mail_app)
    assert saved[DEMO_EMPLOYEE].status == SendStatus.REFUSED and saved[DEMO_EMPLOYEE].detail.startswith("550")
    assert saved["annv"].status == SendStatus.FAILED and saved["annv"].detail.startswith("451")
    assert saved["anhtt"].status == SendStatus.UNKNOWN
    everyone = active_addresses(mail_app)
    arrived = [r for m in smtp.arrived for r in m.recipients]
    assert sorted(arrived) == sorted(everyone - {HUNG, "annv@kiemlam.gov.vn"})
    (message,) = smtp.to("binhdq@kiemlam.gov.vn")
    assert "Kính gửi Đặng Quốc Bình," in message.body()


def test_heads_email_puts_overdue_notices_first_as_their_queue_does(mail_app: Flask, smtp: Recorder) -> None:
    from .conftest import signed_in_client
    from .support import factories

    today = agency_today()
    with mail_app.app_context():
        hung = db.session.scalar(select(Employee).filter_by(username=DEMO_EMPLOYEE))
        factories.add_notice(hung, hung.unit, today - timedelta(days=5), utcnow(), reference="5/TB",
                             reply_due_on=today + timedelta(days=5))
        factories.add_notice(hung, hung.unit, today - timedelta(days=3), utcnow(), reference="3/TB",
                             reply_due_on=today - timedelta(days=1))
        db.session.commit()
    assert reminders(mail_app, "--only", "heads").exit_code == 0
    (mail,) = smtp.to("annv@kiemlam.gov.vn")
    text = mail.body()
    overdue = f"{today - timedelta(days=3):%d/%m/%Y} · số 3/TB"
    assert text.index(overdue) < text.index("số 5/TB")
    assert f"hạn trả lời {today - timedelta(days=1):%d/%m/%Y} · quá hạn" in text
    assert f"hạn trả lời {today + timedelta(days=5):%d/%m/%Y}\n" in text
    assert "Hạn trả lời" in mail.body("html")
    home = signed_in_client(mail_app, DEMO_HEAD).get("/").get_data(as_text=True)
    assert home.index("3/TB") < home.index("5/TB") and "quá hạn" in home


def test_heads_due_asks_the_database_as_much_for_many_heads_as_for_one(synced_app: Flask) -> None:
    """Each head gets the notices their own queue shows, and adding heads with notices adds
    no statement (it was two more per head)."""

    def add_unit_with_notices(n: int) -> None:
        unit = Unit(f"Trạm Kiểm lâm số {n}")
        head = add_employee(f"Trưởng Trạm {n}", unit, is_head=True, email=f"tram{n}@kiemlam.gov.vn")
        staff = add_employee(f"Nhân viên Trạm {n}", unit)
        add_notice(staff, unit, today, now, reference=f"{n}/TB")
        add_notice(head, unit, today, now, reference=f"{n}/TB-TT", route="admin")  # the admin's
        db.session.commit()

    def statements_and_answer() -> tuple[int, dict[str, list[int]]]:
        with recorded(synced_app) as seen:
            due = heads_due(Month.containing(today), today)
        answer = {head.recipient.full_name: [n.notice_id for n in head.notices] for head in due}
        return seen.count, answer

    today, now = agency_today(), utcnow()
    with synced_app.app_context():
        add_unit_with_notices(1)
        few, answer = statements_and_answer()
        assert "Trưởng Trạm 1" in answer and "Lê Thị Hương" in answer  # and the admin for the head's
        for n in range(2, 7):
            add_unit_with_notices(n)
        many, more = statements_and_answer()
        assert set(more) - set(answer) == {f"Trưởng Trạm {n}" for n in range(2, 7)}
        answer = more
        for person in db.session.scalars(select(Employee).where(Employee.full_name.in_(answer))):
            assert answer[person.full_name] == [n.notice_id for n in notices_awaiting(person, today)]
    assert many == few


def test_a_leader_who_is_neither_head_nor_admin_is_reminded_of_notices_about_heads(
    synced_app: Flask,
) -> None:
    """Notices about a head are proposed on by the admin or the leadership: a deputy head of
    the sub-department is reminded of them like an admin is, and of nothing else."""
    today, now = agency_today(), utcnow()
    with synced_app.app_context():
        unit = Unit("Trạm Kiểm lâm Lãnh đạo thử")
        leader = add_employee("Phó Chi cục trưởng Thử", unit, is_leader=True, email="pho@kiemlam.gov.vn")
        head = add_employee("Trưởng Trạm Thử", unit, is_head=True, email="truongtram@kiemlam.gov.vn")
        about_head = add_notice(head, unit, today, now, reference="9/TB-LĐ", route="admin")
        db.session.commit()
        due = {d.recipient.full_name: [n.notice_id for n in d.notices]
               for d in heads_due(Month.containing(today), today)}
        assert due["Phó Chi cục trưởng Thử"] == [about_head.id]
        assert about_head.id not in due.get("Trưởng Trạm Thử", [])  # never about oneself
        assert due["Phó Chi cục trưởng Thử"] == [n.notice_id for n in notices_awaiting(leader, today)]
