"""/healthz tells a probe whether the database and the directory answer, and nothing else."""
from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from intranet import audit, create_app
from intranet.extensions import db
from intranet.models import AuditEvent

from .conftest import base_config, make_app
from .support.process import free_port
from .support.sqlite_lock import write_lock_held_elsewhere

ALL_OK = {"status": "ok", "database": "ok", "directory": "ok"}


def closed_port_url() -> str:
    """An LDAP URL on a loopback port nobody listens on."""
    return f"ldap://127.0.0.1:{free_port()}"


def outside_directory(url: str, timeout: int = 1) -> dict[str, object]:
    return {
        "LDAP_URL": url,
        "LDAP_BIND_DN": "cn=svc-intranet,ou=services,dc=rangers,dc=test",
        "LDAP_BIND_PASSWORD": "svc-secret",
        "LDAP_USER_BASE": "ou=staff,dc=rangers,dc=test",
        "LDAP_TIMEOUT": timeout,
    }


def test_all_ok_on_the_demo_directory_without_signing_in(app: Flask) -> None:
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.is_json and response.get_json() == ALL_OK
    assert response.headers["Cache-Control"] == "no-store"


def test_directory_down_is_degraded_but_still_200(tmp_path: Path) -> None:
    app = make_app(tmp_path, **outside_directory(closed_port_url()))
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "degraded", "database": "ok", "directory": "error"}


def test_hung_directory_answers_within_the_ldap_timeout(tmp_path: Path, silent_directory: str) -> None:
    app = make_app(tmp_path, **outside_directory(silent_directory, timeout=1))
    started = time.monotonic()
    response = app.test_client().get("/healthz")
    assert time.monotonic() - started < 4
    assert response.status_code == 200
    assert response.get_json()["directory"] == "error"


def test_database_unreachable_is_503(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-directory" / "intranet.db"
    app = create_app(base_config(tmp_path, SQLALCHEMY_DATABASE_URI=f"sqlite:///{missing}"))
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "degraded", "database": "error", "directory": "ok"}


def test_nothing_but_the_three_words_is_revealed(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-directory" / "intranet.db"
    config = base_config(tmp_path, SQLALCHEMY_DATABASE_URI=f"sqlite:///{missing}")
    config.update(outside_directory(closed_port_url()))
    response = create_app(config).test_client().get("/healthz")
    body = response.get_data(as_text=True)
    assert response.get_json() == {"status": "degraded", "database": "error", "directory": "error"}
    for secret in ("127.0.0.1", "sqlite", "no-such-directory", "Error", "Traceback", "svc-intranet"):
        assert secret not in body
    assert "Set-Cookie" not in response.headers


def test_only_get(app: Flask) -> None:
    assert app.test_client().post("/healthz").status_code == 405


def test_probe_does_not_wait_for_a_sqlite_writer(tmp_path: Path) -> None:
    path = tmp_path / "busy.db"
    app = make_app(tmp_path, SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}")
    with write_lock_held_elsewhere(path):  # a long write elsewhere holds the lock
        started = time.monotonic()
        response = app.test_client().get("/healthz")
        assert response.status_code == 200 and response.get_json() == ALL_OK
        assert time.monotonic() - started < 2  # not the 10 s busy timeout


def test_after_a_probe_the_pooled_connection_still_starts_with_begin_immediate(tmp_path: Path) -> None:
    path = tmp_path / "pooled.db"
    app = make_app(tmp_path, SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}")
    assert app.test_client().get("/healthz").status_code == 200  # AUTOCOMMIT, then back to the pool
    with app.app_context():
        db.session.scalar(select(func.count(AuditEvent.id)))
        other = sqlite3.connect(path, timeout=0, isolation_level=None)
        try:
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        finally:
            other.close()
        audit.record("test.after_probe", actor_name="probe")
        db.session.commit()
        db.engine.dispose()
