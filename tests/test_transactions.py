"""Transactions: SQLite writers from several processes take turns, and a failed request keeps nothing."""
from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from intranet import audit, create_app
from intranet.clock import local_today
from intranet.declarations import service
from intranet.extensions import db
from intranet.models import AuditEvent, Declaration, Employee

from .support.sqlite_lock import write_lock_held_elsewhere
from .conftest import ON_POSTGRES, DEMO_ADMIN, DEMO_EMPLOYEE, base_config, make_app, signed_in_client

WORKERS = 4
WRITES_PER_WORKER = 25


def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'shared.db'}"


def test_a_transaction_holds_the_sqlite_write_lock_from_its_first_read(tmp_path: Path) -> None:
    app = make_app(tmp_path, SQLALCHEMY_DATABASE_URI=sqlite_url(tmp_path))
    with app.app_context():
        db.session.scalar(select(func.count(AuditEvent.id)))  # a read only, yet BEGIN IMMEDIATE
        other = sqlite3.connect(tmp_path / "shared.db", timeout=0, isolation_level=None)
        try:
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
            db.session.rollback()
            other.execute("BEGIN IMMEDIATE")  # free again once the session ends
            other.execute("ROLLBACK")
        finally:
            other.close()
        db.engine.dispose()


def test_concurrent_read_then_write_transactions_never_see_database_is_locked(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    make_app(tmp_path, SQLALCHEMY_DATABASE_URI=url)
    # One app (one engine, one pool) per thread: like gunicorn workers, not sharing connections.
    apps = [create_app(base_config(tmp_path, SQLALCHEMY_DATABASE_URI=url)) for _ in range(WORKERS)]
    errors: list[BaseException] = []
    start = threading.Barrier(WORKERS)

    def worker(app: Flask, number: int) -> None:
        with app.app_context():
            start.wait()
            try:
                for i in range(WRITES_PER_WORKER):
                    # Read, then write in the same transaction: the pattern that fails deferred.
                    seen = db.session.scalar(select(func.count(AuditEvent.id)))
                    audit.record("test.write", actor_name=f"worker-{number}", seen=seen, i=i)
                    db.session.commit()
            except BaseException as error:  # noqa: BLE001 - reported by the main thread
                errors.append(error)
                db.session.rollback()
            finally:
                db.session.remove()
                db.engine.dispose()

    threads = [threading.Thread(target=worker, args=(app, n)) for n, app in enumerate(apps)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    assert errors == []
    with apps[0].app_context():
        seen = db.session.scalars(
            select(AuditEvent.details).where(AuditEvent.action == "test.write")
        ).all()
        db.engine.dispose()
    assert len(seen) == WORKERS * WRITES_PER_WORKER
    # Serialised: every transaction saw all the ones committed before it, so no count repeats.
    assert sorted(d["seen"] for d in seen) == list(range(WORKERS * WRITES_PER_WORKER))


@pytest.fixture
def failing_app(synced_app: Flask) -> Flask:
    """The app with one extra page that writes a declaration and its audit row, then fails."""

    @synced_app.route("/test/declare-then-fail", methods=["POST"])
    def declare_then_fail() -> str:
        employee = db.session.scalar(select(Employee).filter_by(username=DEMO_EMPLOYEE))
        service.declare(
            employee, status="level1", activated_on=None, committed=False, note=None,
            today=local_today(), address=None,
        )
        raise RuntimeError("failure after the write")

    synced_app.config["WTF_CSRF_ENABLED"] = False  # the extra page has no form
    return synced_app


def counts(app: Flask) -> tuple[int, int]:
    with app.app_context():
        return (
            db.session.scalar(select(func.count(Declaration.id))),
            db.session.scalar(
                select(func.count(AuditEvent.id)).where(AuditEvent.action == "declaration.create")
            ),
        )


def test_a_request_that_fails_after_writing_keeps_nothing(failing_app: Flask) -> None:
    client: FlaskClient = failing_app.test_client()
    response = client.post("/test/declare-then-fail")
    assert response.status_code == 500
    assert "Traceback" not in response.get_data(as_text=True)
    assert counts(failing_app) == (0, 0)
    # The same worker goes on: its connection was not left inside the failed transaction.
    failing_app.config["WTF_CSRF_ENABLED"] = True
    employee = signed_in_client(failing_app, DEMO_EMPLOYEE)
    assert employee.get("/declaration").status_code == 200



def write_lock_held_by_another_process(app: Flask):  # noqa: ANN201 - a context manager
    with app.app_context():
        path = db.engine.url.database
    return write_lock_held_elsewhere(path)

@pytest.mark.skipif(ON_POSTGRES, reason="SQLite's write lock")
def test_compliance_pages_read_while_another_process_holds_the_write_lock(
    admin_client: FlaskClient, synced_app: Flask
) -> None:
    # Read-only pages start a deferred transaction: they read WAL's snapshot, not queue.
    with write_lock_held_by_another_process(synced_app):
        for page in ("/compliance", "/compliance/unit/none", "/compliance/report"):
            assert admin_client.get(page).status_code == 200, page


@pytest.mark.skipif(ON_POSTGRES, reason="SQLite's write lock")
def test_home_queues_a_persons_page_and_the_responses_read_while_another_process_holds_the_write_lock(
    synced_app: Flask,
) -> None:
    # The most visited pages only read: under gunicorn they must not queue for the lock.
    from .conftest import DEMO_HEAD

    with synced_app.app_context():
        person = db.session.scalar(select(Employee.id).filter_by(username=DEMO_EMPLOYEE))
    pages = {DEMO_EMPLOYEE: ["/"],
             DEMO_HEAD: ["/", "/unit", "/notices", "/notices/awaiting", f"/staff/{person}"],
             DEMO_ADMIN: ["/notices/open", "/admin/responses"]}
    clients = {username: signed_in_client(synced_app, username) for username in pages}
    with write_lock_held_by_another_process(synced_app):
        for username, paths in pages.items():
            for page in paths:
                assert clients[username].get(page).status_code == 200, page


@pytest.fixture
def one_write_path_app(synced_app: Flask) -> Flask:
    """Pages that write a declaration and return, or write one then abort, or write one then
    break a rule, as views do (no commit of their own)."""
    from flask import abort

    from intranet.submit import submit
    from intranet.validation import RuleViolation

    def write() -> None:
        employee = db.session.scalar(select(Employee).filter_by(username=DEMO_EMPLOYEE))
        service.declare(
            employee, status="level1", activated_on=None, committed=False, note=None,
            today=local_today(), address=None,
        )

    @synced_app.route("/test/declare", methods=["POST"])
    def declare_and_return() -> str:
        write()
        return "ok"

    @synced_app.route("/test/declare-then-403", methods=["POST"])
    def declare_then_abort() -> str:
        write()
        abort(403)

    @synced_app.route("/test/declare-then-break-a-rule", methods=["POST"])
    def declare_then_break_a_rule() -> tuple[str, int]:
        from flask_wtf import FlaskForm

        def record() -> None:
            write()
            raise RuleViolation("note", "Không hợp lệ")

        form = FlaskForm()
        result = submit(form, record)
        return " ".join(form.form_errors), result

    synced_app.config["WTF_CSRF_ENABLED"] = False
    return synced_app


def test_the_request_commits_what_its_view_wrote_once_it_returns(one_write_path_app: Flask) -> None:
    client = one_write_path_app.test_client()
    assert client.post("/test/declare").status_code == 200
    assert counts(one_write_path_app) == (1, 1)


def test_an_error_page_or_a_broken_rule_keeps_nothing_of_what_was_written(
    one_write_path_app: Flask,
) -> None:
    client = one_write_path_app.test_client()
    assert client.post("/test/declare-then-403").status_code == 403
    response = client.post("/test/declare-then-break-a-rule")
    assert (response.status_code, response.get_data(as_text=True)) == (422, "Không hợp lệ")
    assert counts(one_write_path_app) == (0, 0)


def test_a_commit_the_database_refuses_is_an_error_page_with_no_saved_message(
    one_write_path_app: Flask,
) -> None:
    from flask import flash, redirect

    app = one_write_path_app
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production: the error page, not a raise

    @app.route("/test/edit-a-declaration", methods=["POST"])
    def edit_a_declaration():
        declaration = db.session.scalar(select(Declaration))
        declaration.note = "sửa"  # append-only: the database refuses it at the commit
        flash("Đã lưu.", "success")
        return redirect("/login")

    client = app.test_client()
    assert client.post("/test/declare").status_code == 200
    response = client.post("/test/edit-a-declaration")
    assert response.status_code == 500
    assert "Đã lưu." not in response.get_data(as_text=True)
    assert "Đã lưu." not in client.get("/login").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Declaration.note)) is None


@pytest.mark.skipif(not ON_POSTGRES, reason="PostgreSQL's transactions")
def test_pages_that_only_read_send_postgresql_no_begin_or_commit(
    synced_app: Flask, employee_client: FlaskClient
) -> None:
    """A read-only page's statements each run on their own (AUTOCOMMIT: two round trips
    fewer); a page that writes still runs in one transaction, on the same pooled connection."""
    from sqlalchemy import event

    from .support.forms import declare

    autocommit: list[bool] = []

    def seen(connection, *_args) -> None:  # noqa: ANN001 - the engine's listener signature
        autocommit.append(connection.connection.dbapi_connection.autocommit)

    admin = signed_in_client(synced_app, DEMO_ADMIN)
    with synced_app.app_context():
        engine = db.engine
        notice = _notice_about_the_employee()
    event.listen(engine, "before_cursor_execute", seen)
    try:
        assert employee_client.get("/").status_code == 200  # home: read-only
        assert employee_client.get(f"/notices/{notice}/explanation").status_code == 200  # its GET
        assert admin.get("/admin/responses").status_code == 200  # its GET
        assert autocommit and all(autocommit)
        autocommit.clear()
        response = declare(employee_client, status="level1", committed="y")
        assert response.status_code == 302
        assert autocommit and not any(autocommit)
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    with synced_app.app_context():
        employee = db.session.scalar(select(Employee).filter_by(username=DEMO_EMPLOYEE))
        assert db.session.scalar(
            select(Declaration.status).where(Declaration.employee_id == employee.id)
            .order_by(Declaration.id.desc()).limit(1)
        ) == "level1"


def _notice_about_the_employee() -> int:
    from datetime import datetime, timedelta

    from .support.factories import add_notice

    employee = db.session.scalar(select(Employee).filter_by(username=DEMO_EMPLOYEE))
    notice = add_notice(employee, employee.unit, local_today(), datetime.now() - timedelta(hours=1))
    db.session.commit()
    return notice.id


@pytest.mark.skipif(ON_POSTGRES, reason="SQLite's write lock")
def test_the_explanation_form_shows_while_another_process_holds_the_write_lock(
    synced_app: Flask, employee_client: FlaskClient
) -> None:
    """Showing the form only reads (its POST writes, in a transaction of its own)."""
    with synced_app.app_context():
        notice = _notice_about_the_employee()
    with write_lock_held_by_another_process(synced_app):
        assert employee_client.get(f"/notices/{notice}/explanation").status_code == 200


def test_a_read_only_page_that_tries_to_write_fails_and_keeps_nothing(synced_app: Flask) -> None:
    """On PostgreSQL such a page runs without a transaction: a write there must not land row
    by row, so it is refused (an error page) on both databases."""
    from intranet.database.read_only import read_only

    @read_only
    def writes_by_mistake() -> str:
        employee = db.session.scalar(select(Employee).filter_by(username=DEMO_EMPLOYEE))
        service.declare(
            employee, status="level1", activated_on=None, committed=False, note=None,
            today=local_today(), address=None,
        )
        db.session.flush()
        return "written"

    synced_app.add_url_rule("/test/read-only-writes", "read_only_writes", writes_by_mistake)
    before = counts(synced_app)
    response = synced_app.test_client().get("/test/read-only-writes")
    assert response.status_code == 500
    assert "Traceback" not in response.get_data(as_text=True)
    assert counts(synced_app) == before
