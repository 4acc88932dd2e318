"""On the PostgreSQL pass: what a page costs in round trips to the server, a pooled connection
the server ended, prepared statements (on by default, off for a pooler, never for the compliance
figures)."""
from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, select, text

from intranet.extensions import db
from intranet.models import Employee

from .conftest import DEMO_HEAD, ON_POSTGRES, make_app, signed_in_client, sync_demo_directory
from .support.round_trips import Tracer
from .support.statements import recorded

pytestmark = pytest.mark.skipif(not ON_POSTGRES, reason="only with TEST_DATABASE=postgresql")


def _end_the_app_s_sessions(app: Flask) -> int:
    """pg_terminate_backend on every session of the app's database but the caller's, waiting
    (up to 5 s) until each has ended, as a restart of the server would end them."""
    with app.app_context():
        url = db.engine.url
    other = create_engine(url)
    try:
        with other.connect() as connection:
            return connection.execute(text(
                "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 5000)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )).scalar_one()
    finally:
        other.dispose()


def test_a_page_sends_postgresql_its_statements_and_nothing_else(
    synced_app: Flask, employee_client: FlaskClient
) -> None:
    """No BEGIN or COMMIT around a page that only reads: one round trip per statement, each
    ~0.1-0.3 ms of a 4-6 ms page on loopback (make bench), one for pool_pre_ping's empty
    statement, and one more, once, for a statement psycopg prepares on the server (on its 5th
    run on a connection)."""
    head = signed_in_client(synced_app, DEMO_HEAD)
    with synced_app.app_context():
        person = db.session.scalar(select(Employee.id).filter_by(username="hungdv"))
    tracer = Tracer(synced_app)
    try:
        for client, page in ((employee_client, "/"), (head, "/unit"), (head, "/notices"),
                             (head, f"/staff/{person}")):
            assert client.get(page).status_code == 200  # opens the pooled connection
            with recorded(synced_app) as statements, tracer.sent() as sent:
                assert client.get(page).status_code == 200
            assert sent.plain_text == ['";"'], page  # the pre-ping
            assert sent.round_trips == statements.count + 1 + sent.prepares, page
    finally:
        tracer.stop()


def test_a_write_still_runs_in_one_transaction(
    synced_app: Flask, employee_client: FlaskClient
) -> None:
    from .support.forms import declare

    assert employee_client.get("/").status_code == 200
    tracer = Tracer(synced_app)
    try:
        assert employee_client.get("/").status_code == 200
        with tracer.sent() as sent:
            assert declare(employee_client, status="level1", committed="y").status_code == 302
        assert sent.plain_text[0] == '";"'  # the pre-ping
        assert sent.plain_text[1].startswith('"BEGIN') and sent.plain_text[-1] == '"COMMIT"'
    finally:
        tracer.stop()


def test_a_connection_the_server_ended_in_the_pool_is_replaced_before_a_page_uses_it(
    synced_app: Flask, employee_client: FlaskClient
) -> None:
    """A database restart (here: each session ended by the server) costs nobody an error page:
    the pool's pre-ping finds the connection ended and opens another."""
    assert employee_client.get("/").status_code == 200
    assert _end_the_app_s_sessions(synced_app) >= 1
    for _ in range(3):
        assert employee_client.get("/").status_code == 200
    with synced_app.app_context():
        assert db.engine.pool.checkedin() >= 1


def _parsed_in_six_views(app: Flask) -> list[str]:
    """The statements' names Parse messages gave while a head's queue was shown six times:
    psycopg prepares a statement on the server, named, on its 5th run on a connection."""
    head = signed_in_client(app, DEMO_HEAD)
    tracer = Tracer(app)
    try:
        assert head.get("/notices").status_code == 200
        with tracer.sent() as sent:
            for _ in range(6):
                assert head.get("/notices").status_code == 200
        return [text for kind, text in sent.messages if kind == "Parse"]
    finally:
        tracer.stop()


def test_statements_are_prepared_on_the_server_by_default(synced_app: Flask) -> None:
    assert any(name.startswith('"_pg3_') for name in _parsed_in_six_views(synced_app))


def test_prepared_statements_can_be_turned_off_for_a_pooler(tmp_path: Path) -> None:
    """Behind PgBouncer in transaction mode (before 1.21, or without max_prepared_statements)
    a statement prepared in one server session would be looked for in another."""
    app = make_app(tmp_path, DATABASE_PREPARED_STATEMENTS=False)
    sync_demo_directory(app)
    try:
        parsed = _parsed_in_six_views(app)
        assert parsed and all(name.startswith('""') for name in parsed)  # unnamed: not kept
    finally:
        with app.app_context():
            db.engine.dispose()


def test_the_compliance_figures_are_planned_for_each_run_and_never_prepared(
    synced_app: Flask, admin_client: FlaskClient
) -> None:
    """A plan PostgreSQL makes once for every month's ends read far more than the month's own
    (database/planning.py): the figures' statement is parsed unnamed each time it is worked
    out, while the page's small statements are still prepared."""
    from intranet.compliance.memo import EXTENSION as MEMO, Memo

    tracer = Tracer(synced_app)
    try:
        assert admin_client.get("/compliance/trend").status_code == 200  # opens the connection
        with tracer.sent() as sent:
            for _ in range(7):
                synced_app.extensions.setdefault(MEMO, Memo()).clear()  # worked out, not kept
                assert admin_client.get("/compliance/trend").status_code == 200
        parsed = [text for kind, text in sent.messages if kind == "Parse"]
        figures = [text for text in parsed if "by_status.unit_id" in text]
        assert len(figures) == 7
        assert all(text.startswith('""') for text in figures)
        assert any(text.startswith('"_pg3_') for text in parsed)
    finally:
        tracer.stop()
