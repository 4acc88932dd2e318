"""Files whose taking is logged: built without the write lock, logged once per download, and
never sent without their log row (intranet/downloads.py)."""
from __future__ import annotations

import importlib
import sqlite3
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, text

from intranet import audit
from intranet.database.transaction import NotReadOnly, write_after_reading
from intranet.extensions import db
from intranet.models import AuditEvent

from .conftest import DEMO_ADMIN, ON_POSTGRES
from .support.factories import DataSet, build_data_set
from .support.statements import recorded

# Each audited download: its address, the function that builds it (module, name, as the
# view calls it), its audit row's action and file name.
DOWNLOADS = [
    ("/compliance.xlsx?month=2024-03", "intranet.compliance.exports", "compliance_xlsx",
     "compliance.export", "tinh-hinh-thuc-hien-vneid-2024-03.xlsx"),
    ("/compliance.csv?month=2024-03", "intranet.compliance.exports", "compliance_csv",
     "compliance.export", "tinh-hinh-thuc-hien-vneid-2024-03.csv"),
    ("/compliance-missing.csv?month=2024-03", "intranet.compliance.exports", "missing_csv",
     "compliance.export", "chua-dat-vneid-2024-03.csv"),
    ("/compliance/report.docx?month=2024-03", "intranet.reports.views", "report_docx",
     "compliance.export", "bao-cao-vneid-2024-03.docx"),
    ("/appraisals/summary.xlsx", "intranet.appraisals.summary_views", "summary_xlsx",
     "summary.export", None),
]
IDS = [download[0].split("?")[0] for download in DOWNLOADS]


@pytest.fixture
def data(synced_app: Flask) -> DataSet:
    with synced_app.app_context():
        return build_data_set()


def logged(app: Flask) -> list[tuple[str, str]]:
    with app.app_context():
        return [(action, details["file"]) for action, details in db.session.execute(
            select(AuditEvent.action, AuditEvent.details)
            .where(AuditEvent.action.in_(["compliance.export", "summary.export"]))
            .order_by(AuditEvent.id)
        )]


def wrap_builder(monkeypatch: pytest.MonkeyPatch, module: str, name: str,
                 during: Callable[[], None]) -> None:
    """Have the file's builder call during() while it builds."""
    target = importlib.import_module(module)
    build = getattr(target, name)

    def building(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202 - the builder's own
        during()
        return build(*args, **kwargs)

    monkeypatch.setattr(target, name, building)


def another_writer_may_write(app: Flask) -> bool:
    """SQLite: whether another connection takes the write lock at once; PostgreSQL: whether
    the request's transaction is read-only (it can hold no write lock)."""
    if ON_POSTGRES:
        return db.session.scalar(text("SHOW transaction_read_only")) == "on"
    with app.app_context():
        path = db.engine.url.database
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        other.close()


@pytest.mark.parametrize(("url", "module", "builder", "action", "name"), DOWNLOADS, ids=IDS)
def test_a_file_is_built_while_other_users_may_write(
    admin_client: FlaskClient, synced_app: Flask, data: DataSet, monkeypatch: pytest.MonkeyPatch,
    url: str, module: str, builder: str, action: str, name: str | None,
) -> None:
    # Built under BEGIN IMMEDIATE, an export kept every other user's writes waiting.
    seen: list[bool] = []
    wrap_builder(monkeypatch, module, builder, lambda: seen.append(another_writer_may_write(synced_app)))
    response = admin_client.get(url)
    assert response.status_code == 200
    assert seen == [True]
    assert [row[0] for row in logged(synced_app)] == [action]


@pytest.mark.parametrize(("url", "module", "builder", "action", "name"), DOWNLOADS, ids=IDS)
def test_each_download_is_logged_once(
    admin_client: FlaskClient, synced_app: Flask, data: DataSet,
    url: str, module: str, builder: str, action: str, name: str | None,
) -> None:
    first = admin_client.get(url)
    second = admin_client.get(url)
    assert first.status_code == second.status_code == 200
    sent = first.headers["Content-Disposition"].removeprefix("attachment; filename=")
    assert name is None or sent == name
    rows = logged(synced_app)
    assert rows == [(action, sent), (action, sent)]
    with synced_app.app_context():
        actors = db.session.scalars(select(AuditEvent.actor_name).where(AuditEvent.action == action)).all()
    assert actors == [DEMO_ADMIN, DEMO_ADMIN]


@pytest.mark.parametrize(("url", "module", "builder", "action", "name"), DOWNLOADS, ids=IDS)
def test_a_file_that_fails_to_build_is_not_logged(
    admin_client: FlaskClient, synced_app: Flask, data: DataSet, monkeypatch: pytest.MonkeyPatch,
    url: str, module: str, builder: str, action: str, name: str | None,
) -> None:
    synced_app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production: the error page

    def fail() -> None:
        raise RuntimeError("the file could not be built")

    wrap_builder(monkeypatch, module, builder, fail)
    response = admin_client.get(url)
    assert response.status_code == 500
    assert "Content-Disposition" not in response.headers
    assert logged(synced_app) == []


@pytest.mark.parametrize(("url", "module", "builder", "action", "name"), DOWNLOADS, ids=IDS)
def test_a_download_that_cannot_be_logged_is_not_sent(
    admin_client: FlaskClient, synced_app: Flask, data: DataSet, monkeypatch: pytest.MonkeyPatch,
    url: str, module: str, builder: str, action: str, name: str | None,
) -> None:
    synced_app.config["PROPAGATE_EXCEPTIONS"] = False
    record = audit.record

    def record_then_break(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202 - audit.record's
        event = record(*args, **kwargs)
        db.session.add(AuditEvent(action=None))  # NOT NULL: the commit fails
        return event

    monkeypatch.setattr(audit, "record", record_then_break)
    response = admin_client.get(url)
    assert response.status_code == 500
    assert "Content-Disposition" not in response.headers
    assert "Lỗi hệ thống" in response.get_data(as_text=True)
    assert logged(synced_app) == []
    monkeypatch.undo()
    assert admin_client.get(url).status_code == 200  # the worker goes on
    assert [row[0] for row in logged(synced_app)] == [action]


def test_writing_after_reading_refuses_a_transaction_that_may_hold_writes(synced_app: Flask) -> None:
    # Ending such a transaction would drop or commit out of turn what the request wrote.
    with synced_app.test_request_context():
        audit.record("test.pending", actor_name="someone")
        db.session.flush()
        with pytest.raises(NotReadOnly):
            write_after_reading(lambda: audit.record("test.after", actor_name="someone"))
        db.session.rollback()
        assert db.session.scalar(select(func.count(AuditEvent.id))
                                 .where(AuditEvent.action.like("test.%"))) == 0



@pytest.mark.parametrize(("url", "module", "builder", "action", "name"), DOWNLOADS, ids=IDS)
def test_logging_a_download_reads_the_signed_in_user_once(
    admin_client: FlaskClient, synced_app: Flask, data: DataSet,
    url: str, module: str, builder: str, action: str, name: str | None,
) -> None:
    # The admin is read when the request starts; the log row written after the file is built
    # names them without reading them again (a statement more on every download).
    admin_client.get(url)
    with recorded(synced_app) as statements:
        assert admin_client.get(url).status_code == 200
    assert sum("employee.session_version" in statement for statement in statements.seen) == 1
    assert sum(statement.startswith("INSERT INTO audit_event") for statement in statements.seen) == 1
