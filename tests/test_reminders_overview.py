"""The admin's reminders page counts in SQL: the same counts, list and samples as planning the
whole run (send.preview, the command line's --dry-run), in as many statements for many staff
as for a few."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from intranet.extensions import db
from intranet.models import NOTICE_ROLES_SQL, Employee, Notice, Unit, utcnow
from intranet.months import Month
from intranet.reminders.addresses import usable_address
from intranet.reminders.due import NOTICE_ROLES, heads_due
from intranet.reminders.links import Links
from intranet.reminders.models import Reason, ReminderSend, SendStatus
from intranet.reminders.overview import counted_preview
from intranet.reminders.send import preview
from intranet.reminders.settings import period_of

from .conftest import DEMO_ADMIN, DEMO_HEAD, csrf_token, signed_in_client
from .support.awaiting import notices_of_every_kind
from .support.clock import agency_today
from .support.factories import add_employee, add_notice, decide, declare
from .support.reminders import ADDRESSES
from .support.statements import recorded

def staff_with(app: Flask, addresses: tuple[str | None, ...], prefix: str = "Phạm Văn") -> None:
    """One person not on level 2 per address, some declared level 1, some never; every
    fourth on level 2 (not due)."""
    hired = datetime.now() - timedelta(days=400)
    with app.app_context():
        unit = db.session.scalars(select(Unit)).first()
        for n, address in enumerate(addresses):
            person = add_employee(f"{prefix} {n:03d}", unit, created_at=hired, email=address)
            if n % 4 == 1:
                declare(person, "level1", hired + timedelta(days=n))
            elif n % 4 == 3:
                declare(person, "level2_active", hired + timedelta(days=n))
        db.session.commit()


def judge_addresses(app: Flask, stale: bool = False) -> None:
    """Each stored address's verdict, as the directory sync writes it (usable_address). `stale`:
    then every address changes without its verdict (each person gets the address of the one
    before them), as a writer other than the sync would leave them."""
    with app.app_context():
        people = db.session.scalars(select(Employee).order_by(Employee.id)).all()
        for person in people:
            person.usable_email = usable_address(person.email)
        if stale:
            addresses = [person.email for person in people]
            for person, address in zip(people, addresses[-1:] + addresses[:-1]):
                person.email = address
        db.session.commit()


def record(app: Flask, statuses: dict[int, SendStatus]) -> None:
    """Earlier runs' outcomes this period for the n-th person due (by name)."""
    with app.app_context():
        period = period_of(agency_today(), app.config["REMINDERS_PERIOD"])
        due = preview([Reason.STAFF], agency_today(), utcnow(), ())[1]
        for n, status in statuses.items():
            db.session.add(ReminderSend(employee_id=due[n].recipient.employee_id, reason="staff",
                                        period=period, status=status.value, claimed_at=utcnow()))
        db.session.commit()


def awaiting_notices(app: Flask) -> None:
    """Notices in the demo head's unit, awaiting their proposal."""
    with app.app_context():
        head = db.session.scalar(select(Employee).filter_by(username=DEMO_HEAD))
        staff = [person for person in head.unit.staff if person.id != head.id]
        for n in range(3):
            add_notice(staff[n % len(staff)], head.unit, agency_today() - timedelta(days=n),
                       datetime.now() - timedelta(hours=n), reference=f"{n}/TB")
        db.session.commit()


def described(item) -> tuple:
    return item.reason, item.period, item.recipient


def assert_lists_what_planning_would(counted, planned, items, listed: int, app: Flask) -> dict:
    """The counted preview against the whole run planned: the counts, the first `listed`
    items, the first item of each reason and its message. Returns those first items."""
    assert counted.report.as_dict() == planned.as_dict()
    assert counted.pending == len(items)
    assert [described(item) for item in counted.items] == [described(item) for item in items[:listed]]
    first: dict[Reason, object] = {}
    for item in items:
        first.setdefault(item.reason, item)
    assert list(counted.first) == list(first)
    links = Links(app)
    for reason, item in first.items():  # the samples: the same messages
        assert counted.first[reason].compose(links) == item.compose(links)
    return first


@pytest.mark.parametrize("verdicts", ["as synced", "stored for all", "stale"])
@pytest.mark.parametrize("retryable", [(SendStatus.FAILED, SendStatus.NO_ADDRESS), ()])
@pytest.mark.parametrize("listed", [0, 3, 1000])
def test_page_counts_and_lists_what_planning_the_whole_run_would(
    synced_app: Flask, listed: int, retryable: tuple[SendStatus, ...], verdicts: str
) -> None:
    """Whatever the stored verdicts of the addresses: none (staff added since the sync), the
    sync's for everyone, or left behind by addresses changed since."""
    staff_with(synced_app, ADDRESSES)
    if verdicts != "as synced":
        judge_addresses(synced_app, stale=verdicts == "stale")
    record(synced_app, {0: SendStatus.SENT, 1: SendStatus.FAILED, 2: SendStatus.REFUSED,
                        3: SendStatus.NO_ADDRESS, 4: SendStatus.UNKNOWN, 5: SendStatus.SENDING})
    awaiting_notices(synced_app)
    with synced_app.test_request_context():
        today, now = agency_today(), utcnow()
        planned, items = preview(list(Reason), today, now, retryable)
        counted = counted_preview(today, now, retryable, listed)
        assert_lists_what_planning_would(counted, planned, items, listed, synced_app)
        assert counted.report.tallies[Reason.STAFF].already == 4 + 2 * (not retryable)
        assert counted.report.tallies[Reason.STAFF].no_address > 0
        assert {Reason.STAFF, Reason.HEADS} <= set(planned.tallies)


def test_page_says_nothing_of_staff_when_everyone_is_on_level_2(synced_app: Flask) -> None:
    with synced_app.app_context():
        for person in db.session.scalars(select(Employee)):
            declare(person, "level2_active", datetime.now() - timedelta(days=1))
        db.session.commit()
    with synced_app.test_request_context():
        planned, items = preview(list(Reason), agency_today(), utcnow(), ())
        counted = counted_preview(agency_today(), utcnow(), (), 200)
    assert Reason.STAFF not in planned.tallies
    assert counted.report.as_dict() == planned.as_dict()
    assert counted.pending == len(items)
    assert [described(item) for item in counted.items] == [described(item) for item in items]
    assert Reason.STAFF not in counted.first


@pytest.mark.parametrize(("text", "usable"), [
    ("an@kiemlam.gov.vn", "an@kiemlam.gov.vn"), (" an@x.vn\n", "an@x.vn"), ("-@-", "-@-"),
    ("o'neil+1@x.vn", "o'neil+1@x.vn"), ("an!#$&*=?^`{|}~@x.vn", "an!#$&*=?^`{|}~@x.vn"),
    ("an.@x", "an.@x"), ("an@x.", "an@x."), ("\x1can@x.vn\x1f", "an@x.vn"),
    (None, None), ("", None), ("   ", None), ("@x.vn", None), ("an@", None), ("@", None),
    ("an@@x.vn", None), ("a@b@c", None), ("an@.x.vn", None), ("an @x.vn", None),
    ("an\t@x.vn", None), ("an\x1c@x.vn", None), ("an@kiểmlâm.vn", None), ("Bình@x.vn", None),
    ("an\u00a0@x.vn", None), ("an;b@x.vn", None), ("an,b@x.vn", None), ("<an@x.vn>", None),
    ('"an"@x.vn', None),
])
def test_addresses_a_mail_server_takes_as_they_are(text: str | None, usable: str | None) -> None:
    assert usable_address(text) == usable


@pytest.mark.parametrize("text", ADDRESSES + (" an@x.vn\n", "\x1can@x.vn\x1f", "   "))
def test_an_address_a_mail_server_takes_is_its_own_verdict(text: str | None) -> None:
    """What lets the page trust a stored verdict equal to the address (reminders/overview.py):
    judged again, a usable address is itself, whatever text it was judged from."""
    usable = usable_address(text)
    assert usable is None or usable_address(usable) == usable


def overview_statements(client: FlaskClient, app: Flask) -> int:
    with recorded(app) as seen:
        response = client.get("/admin/reminders/")
    assert response.status_code == 200
    return seen.count


def test_reminders_page_sends_as_many_statements_for_many_staff_as_for_a_few(synced_app: Flask) -> None:
    admin = signed_in_client(synced_app, DEMO_ADMIN)
    awaiting_notices(synced_app)
    staff_with(synced_app, ADDRESSES[:4])
    few = overview_statements(admin, synced_app)
    staff_with(synced_app, ADDRESSES * 10, prefix="Võ Thị")
    record(synced_app, {n: SendStatus.SENT for n in range(0, 40, 3)})
    with synced_app.app_context():
        notices_of_every_kind(DEMO_HEAD, DEMO_ADMIN)
    assert overview_statements(admin, synced_app) == few <= 10


def record_others(app: Flask, statuses: dict[tuple[str, Reason], SendStatus]) -> None:
    """Earlier runs' outcomes this period of the heads' and the admins' reminders, by name."""
    with app.app_context():
        heads_period = period_of(agency_today(), app.config["REMINDERS_PERIOD"])
        summary_period = Month.containing(agency_today()).previous().iso
        for (name, reason), status in statuses.items():
            person = db.session.scalar(select(Employee).filter_by(full_name=name))
            db.session.add(ReminderSend(
                employee_id=person.id, reason=reason.value, status=status.value, claimed_at=utcnow(),
                period=heads_period if reason == Reason.HEADS else summary_period,
            ))
        db.session.commit()


@pytest.mark.parametrize("listed", [0, 1, 1000])
def test_page_counts_heads_and_admins_as_planning_the_whole_run_would(synced_app: Flask, listed: int) -> None:
    """Notices of every kind (about oneself, about heads, corrected, decided, undecided again),
    a leader, a head who left, and earlier outcomes of the heads' and admins' reminders: the
    page's counts, list and samples are the whole run's."""
    staff_with(synced_app, ADDRESSES[:3])  # on the roster last month: the admin's summary is due
    with synced_app.app_context():
        notices_of_every_kind(DEMO_HEAD, DEMO_ADMIN)
    record_others(synced_app, {
        ("Nguyễn Văn An", Reason.HEADS): SendStatus.SENT,
        ("Phó Chi cục trưởng Đếm", Reason.HEADS): SendStatus.FAILED,
        ("Lê Thị Hương", Reason.ADMIN): SendStatus.NO_ADDRESS,
    })
    for retryable in ((), (SendStatus.FAILED, SendStatus.NO_ADDRESS)):
        with synced_app.test_request_context():
            today, now = agency_today(), utcnow()
            planned, items = preview(list(Reason), today, now, retryable)
            counted = counted_preview(today, now, retryable, listed)
            first = assert_lists_what_planning_would(counted, planned, items, listed, synced_app)
            heads = planned.tallies[Reason.HEADS]
            assert heads.already == 1 + (not retryable) and heads.due >= 3
            assert planned.tallies[Reason.ADMIN].already == (not retryable)
            assert list(first) == [Reason.STAFF, Reason.HEADS] + ([Reason.ADMIN] if retryable else [])
            links = Links(synced_app)
            for reason, item in first.items():
                text_only = counted.first[reason].compose(links, html=False)
                assert (text_only.subject, text_only.text, text_only.html) == (
                    item.compose(links).subject, item.compose(links).text, "")


def test_page_counts_the_heads_notices_again_after_each_notice_and_decision(synced_app: Flask) -> None:
    """The heads' counts are kept between pages while nothing they read is written: a new
    notice, or a proposal on one, changes them on the next page."""
    admin = signed_in_client(synced_app, DEMO_ADMIN)

    def shown() -> str:
        return admin.get("/admin/reminders/").get_data(as_text=True)

    def due_line() -> str:
        with synced_app.app_context():  # who the run would remind, by its own planning
            count = len(heads_due(Month.containing(agency_today()), agency_today()))
        return f"Nhắc thủ trưởng: {count} đến hạn;"

    assert "Nhắc thủ trưởng:" not in shown()
    awaiting_notices(synced_app)
    assert due_line() == "Nhắc thủ trưởng: 1 đến hạn;" and due_line() in shown()
    assert due_line() in shown()  # shown again, kept
    with synced_app.app_context():
        notices_of_every_kind(DEMO_HEAD, DEMO_ADMIN)  # the admin's and a leader's too
    more = due_line()
    assert more != "Nhắc thủ trưởng: 1 đến hạn;" and more in shown()
    with synced_app.app_context():
        head = db.session.scalar(select(Employee).filter_by(username=DEMO_HEAD))
        for notice in [row.notice for row in queue_of(head)]:
            decide([db.session.get(Notice, notice.id)], head, datetime.now())
        db.session.commit()
        assert not queue_of(head)
    assert due_line() != more and due_line() in shown()


def queue_of(user: Employee) -> list:
    from intranet.notices.queue import notices_awaiting

    return notices_awaiting(user, agency_today())


def test_admins_summary_gives_each_units_notices_awaiting_a_proposal_in_both_languages(synced_app: Flask) -> None:
    from intranet.compliance.results import Figures
    from intranet.reminders.compose import admin_draft
    from intranet.reminders.due import MonthSummary, Recipient, UnitLine

    unit = Figures(staff=5, level2=2, awaiting=3)
    summary = MonthSummary(Month(2026, 10), unit + Figures(staff=1), [
        UnitLine("Hạt Kiểm lâm An Lão", unit), UnitLine(None, Figures(staff=1)),
    ])
    with synced_app.test_request_context():
        for language, lines in (
            ("vi", ["- Hạt Kiểm lâm An Lão: 2/5 (40,0%); chờ đề xuất: 3", "- Chưa có đơn vị: 0/1 (0,0%)"]),
            ("en", ["- Hạt Kiểm lâm An Lão: 2/5 (40.0%); awaiting a proposal: 3", "- No unit: 0/1 (0.0%)"]),
        ):
            draft = admin_draft(Recipient(1, "Lê Thị Hương", "huonglt@kiemlam.gov.vn", language),
                                summary, Links(synced_app))
            assert all(line in draft.text.splitlines() for line in lines), draft.text


def test_page_lists_each_recipient_with_the_kind_period_name_and_address(synced_app: Flask) -> None:
    """One row a recipient, labels in the page's language, names escaped, a missing address said."""
    staff_with(synced_app, (None, "an@kiemlam.gov.vn"), prefix="Đỗ <b>Văn</b>")
    admin = signed_in_client(synced_app, DEMO_ADMIN)
    period = f"{agency_today():%m/%Y}"
    page = admin.get("/admin/reminders/").get_data(as_text=True)
    assert (
        '<tr><td data-label="Loại thư">Nhắc kê khai (người chưa kích hoạt mức độ 2)</td>'
        f'<td data-label="Kỳ">{period}</td><td data-label="Người nhận">Đỗ &lt;b&gt;Văn&lt;/b&gt; 000</td>'
        '<td data-label="Email">(thiếu địa chỉ)</td></tr>'
    ) in page
    assert ('<td data-label="Người nhận">Đỗ &lt;b&gt;Văn&lt;/b&gt; 001</td>'
            '<td data-label="Email">an@kiemlam.gov.vn</td></tr>') in page
    admin.post("/language", data={"lang": "en", "next": "/", "csrf_token": csrf_token(admin, "/")})
    page = admin.get("/admin/reminders/").get_data(as_text=True)
    assert (
        '<tr><td data-label="Kind">Declaration reminder (staff not on level 2)</td>'
        f'<td data-label="Period">{period}</td><td data-label="Recipient">Đỗ &lt;b&gt;Văn&lt;/b&gt; 000</td>'
        '<td data-label="Email">(no address)</td></tr>'
    ) in page


@pytest.mark.parametrize("dialect", [sqlite.dialect(), postgresql.dialect()])
def test_the_roles_index_is_written_as_the_page_asks_for_the_roles(dialect) -> None:
    """SQLite reads the heads, admins and leaders from ix_employee_notice_roles only when the
    statement holds a term of the index's very form (models.NOTICE_ROLES_SQL)."""
    asked = str(NOTICE_ROLES.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
    assert asked.replace("employee.", "") == NOTICE_ROLES_SQL[dialect.name]
