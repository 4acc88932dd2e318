"""A reminder run: who is due, claim each reminder, hand it over, record what happened.

Idempotent by construction: a reminder is claimed (its unique row inserted as "sending"
and committed) before the mail server hears of it, and marked with the outcome after it
(committed with the next claim, or at the end). A second run, concurrent or later, finds
the claim and skips it; a run that died half-way leaves the rest unclaimed for the next
run, and at most its last message "sending" (never resent: it may have gone). Because each claim
must be visible to other runs before the message goes, this module commits as it goes,
unlike the request-bound services.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from datetime import date, datetime

from flask import current_app
from sqlalchemy import bindparam, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from .. import audit
from ..extensions import db
from ..models import Employee, utcnow
from .addresses import usable_address
from .compose import Draft, admin_draft, build_message, head_draft, staff_draft
from .due import MonthSummary, Recipient, StaffDue, admin_due, heads_due, staff_due
from .links import Links
from .models import Reason, ReminderSend, SendStatus
from .settings import closed_month, period_of
from ..months import Month
from ..reports.settings import agency_name
from .transport import Transport, TransportUnavailable


@dataclass(frozen=True)
class Item:
    """A reminder someone is due: to whom, why, for which period, and how to write it."""

    reason: Reason
    period: str
    recipient: Recipient
    compose: Callable[..., Draft]  # compose(links, html=True): html=False leaves out the HTML part


def plan(reasons: Iterable[Reason], today: date, now: datetime) -> list[Item]:
    """Every reminder due today for `reasons`, staff first, each list by name."""
    reasons = list(reasons)
    items: list[Item] = []
    if Reason.STAFF in reasons:
        period = period_of(today, current_app.config["REMINDERS_PERIOD"])
        for due in staff_due(now, current_app.config["REMINDERS_PENDING_DAYS"]):
            items.append(staff_item(period, due))
    return items + plan_few(reasons, today)


def staff_item(period: str, due: StaffDue) -> Item:
    return Item(Reason.STAFF, period, due.recipient,
                lambda links, html=True: staff_draft(due, links, html))


def plan_few(reasons: Iterable[Reason], today: date) -> list[Item]:
    """The heads' and the admins' reminders due today for `reasons`: as many as there are
    heads and admins, whatever the staff (the admin's preview counts them instead:
    reminders/overview.py)."""
    period = period_of(today, current_app.config["REMINDERS_PERIOD"])
    items: list[Item] = []
    if Reason.HEADS in reasons:
        for head in heads_due(Month.containing(today), today):
            items.append(Item(Reason.HEADS, period, head.recipient,
                              lambda links, html=True, h=head: head_draft(h, links, html)))
    if Reason.ADMIN in reasons:
        month = closed_month(today)
        due = admin_due(month)
        items += admin_items(due.summary, due.recipients)
    return items


def admin_items(summary: MonthSummary, recipients: Iterable[Recipient]) -> list[Item]:
    """The month's summary for each admin; none for a month before anyone was on the roster
    (the app was installed since): it has nothing to say."""
    if not summary.totals.staff:
        return []
    return [Item(Reason.ADMIN, summary.month.iso, recipient,
                 lambda links, html=True, r=recipient: admin_draft(r, summary, links, html))
            for recipient in recipients]


def recorded(items: list[Item]) -> dict[tuple[int, str, str], str]:
    """The status already recorded for each item's (person, reason, period), one query per key."""
    keys = {(item.reason.value, item.period) for item in items}
    found: dict[tuple[int, str, str], str] = {}
    for reason, period in keys:
        rows = db.session.execute(
            select(ReminderSend.employee_id, ReminderSend.status).where(
                ReminderSend.reason == reason, ReminderSend.period == period
            )
        )
        found.update({(employee_id, reason, period): status for employee_id, status in rows})
    return found


@dataclass
class Tally:
    due: int = 0
    delivered: int = 0  # sent, or printed when mail is off
    already: int = 0  # recorded earlier (or claimed by a concurrent run)
    no_address: int = 0
    refused: int = 0
    failed: int = 0
    unknown: int = 0
    left: int = 0  # not tried: the run stopped or reached its limit


@dataclass(frozen=True)
class Problem:
    reason: Reason
    recipient: Recipient
    address: str | None
    status: SendStatus
    detail: str | None


@dataclass
class RunReport:
    tallies: dict[Reason, Tally] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    stopped: str | None = None  # why the run stopped early, if it did
    dry_run: bool = False

    def tally(self, reason: Reason) -> Tally:
        return self.tallies.setdefault(reason, Tally())

    @property
    def left(self) -> int:
        return sum(t.left for t in self.tallies.values())

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {reason.value: vars(tally).copy() for reason, tally in self.tallies.items()}


def _insert(dialect: str):
    return pg_insert if dialect == "postgresql" else sqlite_insert


# The ledger's statements, built once with named parameters: a run executes them thousands
# of times, and building a statement costs more than running it.
_CLAIM_COLUMNS = ("employee_id", "reason", "period", "status", "address", "language", "claimed_at")


@cache
def _claim_new(dialect: str):
    return (
        _insert(dialect)(ReminderSend)
        .values(**{name: bindparam(name) for name in _CLAIM_COLUMNS}, attempts=1)
        .on_conflict_do_nothing(index_elements=["employee_id", "reason", "period"])
        .returning(ReminderSend.id)
    )


@cache
def _claim_again():
    # Parameters named b_<column>: an UPDATE reserves the columns' own names for its SET.
    return (
        update(ReminderSend)
        .where(
            ReminderSend.employee_id == bindparam("b_employee_id"),
            ReminderSend.reason == bindparam("b_reason"),
            ReminderSend.period == bindparam("b_period"),
            ReminderSend.status.in_(bindparam("b_retryable", expanding=True)),
        )
        .values(
            status=bindparam("b_status"), address=bindparam("b_address"),
            language=bindparam("b_language"), claimed_at=bindparam("b_claimed_at"),
            attempts=ReminderSend.attempts + 1, finished_at=None, detail=None,
        )
        .returning(ReminderSend.id)
    )


@cache
def _settle():
    return (
        update(ReminderSend)
        .where(ReminderSend.id == bindparam("b_id"))
        .values(status=bindparam("b_status"), detail=bindparam("b_detail"),
                finished_at=bindparam("b_finished_at"))
    )


class Ledger:
    """The run's own database connection, for claiming and settling reminders one by one.

    A claim is committed before its message goes (that is the idempotency); the outcome of
    the message before it rides in the same commit, so a batch makes one commit per message.
    Flushed to disk each time, that would still be most of the run's time; on this
    connection alone, commits are made durable against a crash of the process (all that
    "resumable" needs) but not flushed to the disk each time: SQLite's synchronous=NORMAL in
    WAL mode, PostgreSQL's synchronous_commit=off. A power cut could lose the last few
    outcomes; a killed run loses nothing, at worst leaving its last message "sending".
    """

    def __init__(self) -> None:
        self.connection = db.engine.connect()
        self.dialect = self.connection.dialect.name
        if self.dialect == "sqlite":
            # Outside any transaction: set on the driver's connection, before the first BEGIN.
            raw = self.connection.connection.dbapi_connection
            self._restore = f"PRAGMA synchronous={raw.execute('PRAGMA synchronous').fetchone()[0]}"
            raw.execute("PRAGMA synchronous=NORMAL")
        elif self.dialect == "postgresql":
            self.connection.exec_driver_sql("SET synchronous_commit TO off")
            self.connection.commit()
            self._restore = "RESET synchronous_commit"
        self._outcome: dict[str, object] | None = None  # the last outcome, not yet committed

    def claim(self, item: Item, address: str | None, retryable: Iterable[SendStatus]) -> int | None:
        """Take the reminder for this run: the id of its row, now "sending" and committed;
        None if another run has it or it is settled. Safe under concurrent runs: the insert
        yields to the unique key, and a retry only takes a row still in a retryable status."""
        self._write_outcome()
        params = {
            "employee_id": item.recipient.employee_id, "reason": item.reason.value, "period": item.period,
            "status": SendStatus.SENDING.value, "address": address,
            "language": item.recipient.language, "claimed_at": utcnow(),
            "retryable": [status.value for status in retryable],
        }
        row_id = self.connection.execute(_claim_new(self.dialect), params).scalar()
        if row_id is None:
            row_id = self.connection.execute(
                _claim_again(), {f"b_{name}": value for name, value in params.items()}
            ).scalar()
        self.connection.commit()
        return row_id

    def finish(self, row_id: int, status: SendStatus, detail: str | None) -> None:
        """Record a message's outcome; committed with the next claim, or at close()."""
        if self._outcome is not None:  # not in run()'s order; never leave a write uncommitted
            self._write_outcome()
            self.connection.commit()
        self._outcome = {"b_id": row_id, "b_status": status.value, "b_detail": detail,
                         "b_finished_at": utcnow()}

    def _write_outcome(self) -> None:
        if self._outcome is not None:
            outcome, self._outcome = self._outcome, None
            self.connection.execute(_settle(), outcome)

    def close(self) -> None:
        try:
            self._write_outcome()
            self.connection.commit()
        finally:
            self.connection.rollback()
        try:
            if self.dialect == "sqlite":
                self.connection.connection.dbapi_connection.execute(self._restore)
            elif self.dialect == "postgresql":
                self.connection.exec_driver_sql(self._restore)
                self.connection.commit()
        finally:
            self.connection.close()


def _to_try(item: Item, tally: Tally, done: dict[tuple[int, str, str], str], retryable: set[str]) -> bool:
    """Counts `item` as due; False, counted as already sent, when an earlier run's outcome for
    it stands (anything but a retryable failure)."""
    tally.due += 1
    previous = done.get((item.recipient.employee_id, item.reason.value, item.period))
    if outcome_stands(previous, retryable):
        tally.already += 1
        return False
    return True


def outcome_stands(previous: str | None, retryable: set[str]) -> bool:
    """Whether the status an earlier run recorded for a reminder stands (nothing to try):
    anything but a retryable failure."""
    return previous is not None and previous not in retryable


def run(
    reasons: Iterable[Reason],
    transport: Transport,
    *,
    today: date,
    now: datetime,
    limit: int | None = None,
    actor: Employee | None = None,
) -> RunReport:
    """Send every reminder due (at most `limit` this time) and record each; see the module."""
    config = current_app.config
    items = plan(list(reasons), today, now)
    done = recorded(items)
    agency_name()  # read now, kept for the run: composing must not open a transaction
    # End the session's transaction (on SQLite it holds the write lock): from here on the
    # ledger's connection writes, and the items hold plain data, so nothing reads through it.
    db.session.commit()
    links = Links(current_app._get_current_object())  # type: ignore[attr-defined]
    sender = config["MAIL_FROM"] or f"intranet@{Links.host_of(config)}"
    report = RunReport()
    retryable = {status.value for status in transport.retryable}
    attempted = 0
    ledger = Ledger()
    try:
        for item in items:
            tally = report.tally(item.reason)
            if not _to_try(item, tally, done, retryable):
                continue
            if report.stopped or (limit is not None and attempted >= limit):
                tally.left += 1
                continue
            address = usable_address(item.recipient.email)
            if address is not None:
                try:
                    transport.ready()  # connect before claiming: if we can't, nothing is taken
                except TransportUnavailable as error:
                    report.stopped = str(error)
                    tally.left += 1
                    continue
            row_id = ledger.claim(item, address, transport.retryable)
            if row_id is None:
                tally.already += 1
                continue
            attempted += 1
            if address is None:
                detail = (item.recipient.email or "")[:500] or None
                ledger.finish(row_id, SendStatus.NO_ADDRESS, detail)
                tally.no_address += 1
                report.problems.append(Problem(item.reason, item.recipient, item.recipient.email,
                                               SendStatus.NO_ADDRESS, detail))
                continue
            try:
                message = build_message(item.compose(links), sender, address)
            except Exception as error:  # a template or header fault: the row must not stay "sending"
                ledger.finish(row_id, SendStatus.FAILED, f"{type(error).__name__}: {error}"[:500])
                raise
            try:
                outcome = transport.send(message, address)
            except TransportUnavailable as error:
                ledger.finish(row_id, SendStatus.FAILED, str(error)[:500])
                tally.failed += 1
                report.stopped = str(error)
                continue
            ledger.finish(row_id, outcome.status, outcome.detail)
            if outcome.status == transport.delivered:
                tally.delivered += 1
            else:
                setattr(tally, outcome.status.value, getattr(tally, outcome.status.value) + 1)
                report.problems.append(Problem(item.reason, item.recipient, address, outcome.status, outcome.detail))
    finally:
        transport.close()
        ledger.close()
    audit.record("reminders.send", actor=actor, stopped=report.stopped, **report.as_dict())
    db.session.commit()
    return report


def preview(
    reasons: Iterable[Reason], today: date, now: datetime, retryable: Iterable[SendStatus]
) -> tuple[RunReport, list[Item]]:
    """What run() would do, without claiming, sending or recording anything: the counts,
    and the items it would still try."""
    items = plan(list(reasons), today, now)
    done = recorded(items)
    again = {status.value for status in retryable}
    report = RunReport(dry_run=True)
    pending = []
    for item in items:
        tally = report.tally(item.reason)
        if not _to_try(item, tally, done, again):
            continue
        pending.append(item)
        if usable_address(item.recipient.email) is None:
            tally.no_address += 1
            report.problems.append(Problem(item.reason, item.recipient, item.recipient.email,
                                           SendStatus.NO_ADDRESS, None))
        else:
            tally.delivered += 1
    return report, pending
