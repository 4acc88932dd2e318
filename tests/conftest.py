"""Fixtures: an app per test on a fresh database, clients signed in as each role."""
from __future__ import annotations

from datetime import datetime, timedelta

import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from playwright.sync_api import Browser

from sqlalchemy import select

from intranet import create_app
from intranet.clock import local_today
from intranet.models import Employee, RosterEntry
from intranet.notices import reference_data
from intranet.directory import current_directory
from intranet.directory.sync import sync_people
from intranet.extensions import db

from .support import factories, netns
from .support.browser import chromium, live_server
from .support.ldap_server import Slapd
from .support.pg_server import FreshDatabase, Postgres
from .support.redis_server import Redis
from .support.silent_server import SilentServer
from .support.smtp_server import Recorder, SmtpServer

TESTS = Path(__file__).parent

# TEST_DATABASE=postgresql runs the suite on a PostgreSQL server the tests start
# (tests/support/pg_server.py); unset, every test has a SQLite file of its own.
TEST_DATABASE = os.environ.get("TEST_DATABASE", "").strip().lower() or "sqlite"
if TEST_DATABASE not in ("sqlite", "postgresql"):
    raise pytest.UsageError(f"TEST_DATABASE={TEST_DATABASE!r}: use sqlite or postgresql")
ON_POSTGRES = TEST_DATABASE == "postgresql"
PG_TEMPLATE = "tmpl"

# Demo directory accounts (intranet/directory/demo.ldif); every password is "demo123".
DEMO_PASSWORD = "demo123"
DEMO_EMPLOYEE = "hungdv"  # Đinh Văn Hùng, Hạt Kiểm lâm An Lão
DEMO_HEAD = "annv"  # Nguyễn Văn An, head of Hạt Kiểm lâm An Lão
DEMO_ADMIN = "huonglt"  # Lê Thị Hương, head of Phòng Tổ chức – Hành chính and admin


def base_config(tmp_path: Path, **overrides: Any) -> dict[str, Any]:
    config: dict[str, Any] = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "LDAP_URL": "",
    }
    config.update(overrides)
    if "SQLALCHEMY_DATABASE_URI" not in config:
        config["SQLALCHEMY_DATABASE_URI"] = database_url(tmp_path)
    return config


def make_app(tmp_path: Path, **overrides: Any) -> Flask:
    app = create_app(base_config(tmp_path, **overrides))
    with app.app_context():
        # A PostgreSQL test database is a copy of the migrated template, seeds included.
        if db.engine.dialect.name == "sqlite":
            db.create_all()
            reference_data.seed()
            db.session.commit()
    return app


_fresh_database: FreshDatabase | None = None  # the current test's, on PostgreSQL


def database_url(tmp_path: Path) -> str:
    """The current test's database: its own SQLite file, or its own PostgreSQL database."""
    if not ON_POSTGRES:
        return f"sqlite:///{tmp_path / 'test.db'}"
    if _fresh_database is None:
        raise RuntimeError("no PostgreSQL test database outside a test")
    return _fresh_database.url()


def pytest_collection_finish(session: pytest.Session) -> None:
    """Tests that need the Samba AD DC run in a private network namespace (support/netns.py).

    Run as root outside one, the whole run starts again inside a fresh namespace, which is
    removed when it ends; the DC then has its fixed ports and host name to itself.
    """
    wants_dc = any("samba" in getattr(item, "fixturenames", ()) for item in session.items)
    if not wants_dc or netns.INSIDE in os.environ or netns.UNAVAILABLE in os.environ:
        return
    if netns.unavailable_reason() is not None:
        return  # the fixture skips, saying why
    capture = session.config.pluginmanager.getplugin("capturemanager")
    if capture is not None:
        capture.stop_global_capturing()
    print("\n-- the Samba AD DC tests need a private network namespace: running again inside one --",
          flush=True)
    command = [sys.executable, *sys.orig_argv[1:]]
    os.execv(sys.executable, [sys.executable, str(Path(netns.__file__)), "--", *command])


@pytest.fixture(scope="session")
def postgres(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Postgres]:
    """The PostgreSQL server, with a template database built once through the migrations."""
    with Postgres() as server:
        server.create_database(PG_TEMPLATE)
        url = server.url(PG_TEMPLATE)
        app = create_app(base_config(tmp_path_factory.mktemp("pg"), SQLALCHEMY_DATABASE_URI=url))
        with app.app_context():
            upgrade()
            db.engine.dispose()  # a template is copied only while nobody is connected to it
        yield server


@pytest.fixture(scope="session")
def slapd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Slapd]:
    """One slapd serving the test directory (tests/ldap/test.ldif), for the tests that only read it."""
    with Slapd(TESTS / "ldap" / "test.ldif", tmp_path_factory.mktemp("slapd")) as server:
        yield server


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Redis]:
    """One real redis-server for the session; tests keep apart by their own key prefix."""
    with Redis(tmp_path_factory.mktemp("redis")) as server:
        yield server


@pytest.fixture(autouse=True)
def _test_database(request: pytest.FixtureRequest) -> Iterator[None]:
    """With PostgreSQL: a database per test, copied from the template on first use, then dropped."""
    global _fresh_database
    if not ON_POSTGRES:
        yield
        return
    _fresh_database = FreshDatabase(request.getfixturevalue("postgres"), template=PG_TEMPLATE)
    try:
        yield
    finally:
        _fresh_database.drop()
        _fresh_database = None


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Flask]:
    """The app on the demo directory, with a fresh database of its own."""
    app = make_app(tmp_path)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def synced_app(app: Flask) -> Flask:
    """The app after a directory sync: every demo staff member is in the database."""
    sync_demo_directory(app)
    return app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def csrf_token(client: FlaskClient, path: str = "/login") -> str:
    """The CSRF token a real browser would get from the form at `path`."""
    page = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def sign_in(client: FlaskClient, username: str, password: str = DEMO_PASSWORD, **kwargs: Any):
    return client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": csrf_token(client)},
        **kwargs,
    )


def signed_in_client(app: Flask, username: str) -> FlaskClient:
    client = app.test_client()
    response = sign_in(client, username)
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


@pytest.fixture
def employee_client(synced_app: Flask) -> FlaskClient:
    return signed_in_client(synced_app, DEMO_EMPLOYEE)


@pytest.fixture
def head_client(synced_app: Flask) -> FlaskClient:
    return signed_in_client(synced_app, DEMO_HEAD)


@pytest.fixture
def admin_client(synced_app: Flask) -> FlaskClient:
    return signed_in_client(synced_app, DEMO_ADMIN)


@pytest.fixture
def silent_directory() -> Iterator[str]:
    """A port that accepts connections and never answers, like a hung directory server."""
    with SilentServer() as server:
        yield server.url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One Chromium (the distribution's) for every browser journey."""
    with chromium() as browser:
        yield browser


@pytest.fixture
def base_url(synced_app: Flask) -> Iterator[str]:
    """The synced app served on a loopback port, for a browser; a module may serve another app."""
    with live_server(synced_app) as url:
        yield url


def sync_demo_directory(app: Flask) -> None:
    """Every demo staff member into `app`'s database, as a first sync does."""
    with app.app_context():
        sync_people(current_directory().people())
        db.session.commit()


@pytest.fixture
def lived_in_app(synced_app: Flask) -> Flask:
    """The demo directory with a past: on the roster for two months, declarations, two
    notices about the demo employee, one of them decided (its pages: app.config["DECIDED"])."""
    with synced_app.app_context():
        today = local_today()
        since = datetime.combine(today.replace(day=1), datetime.min.time()) - timedelta(days=40)
        for employee in db.session.scalars(select(Employee)):
            db.session.add(RosterEntry(employee_id=employee.id, unit_id=employee.unit_id, on_staff=True, at=since))
        employee = db.session.scalar(select(Employee).filter_by(username=DEMO_EMPLOYEE))
        now = datetime.now() - timedelta(hours=1)
        factories.declare(employee, "level1", now - timedelta(days=20))
        factories.declare(employee, "level2_pending", now - timedelta(days=2))
        first = factories.add_notice(employee, employee.unit, today, now, reference="12/TB-TTPVHCC")
        factories.add_notice(employee, employee.unit, today, now, reference="13/TB-TTPVHCC")
        db.session.flush()
        decision = factories.decide([first], employee, now)
        db.session.commit()
        synced_app.config["DECIDED"] = [f"/notices/{first.id}", f"/appraisals/{decision.id}"]
    return synced_app


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[SmtpServer]:
    """A real SMTP server (aiosmtpd) on a free loopback port, for the whole session."""
    with SmtpServer() as server:
        yield server


@pytest.fixture
def smtp(smtp_server: SmtpServer) -> Iterator[Recorder]:
    """The SMTP server's record of arrivals, emptied, its faults cleared, for this test."""
    smtp_server.recorder.reset()
    yield smtp_server.recorder
    smtp_server.recorder.reset()


def mail_settings(smtp_server: SmtpServer, **overrides: Any) -> dict[str, Any]:
    return {
        "REMINDERS_ENABLED": True,
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": smtp_server.port,
        "MAIL_FROM": "Chi cục Kiểm lâm <intranet@kiemlam.gov.vn>",
        "MAIL_TIMEOUT": 5,
        "APP_BASE_URL": "https://intranet.kiemlam.gov.vn",
        **overrides,
    }


@pytest.fixture
def mail_app(tmp_path: Path, smtp_server: SmtpServer, smtp: Recorder) -> Iterator[Flask]:
    """The demo directory synced, reminders on, sending to the test SMTP server."""
    app = make_app(tmp_path, **mail_settings(smtp_server))
    sync_demo_directory(app)
    yield app
    with app.app_context():
        db.engine.dispose()
