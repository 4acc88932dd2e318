"""Fixtures: an app per test on a fresh database, clients signed in as each role."""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from intranet import create_app, reference_data
from intranet.directory import current_directory
from intranet.directory.sync import sync_people
from intranet.extensions import db

TESTS = Path(__file__).parent

# Demo directory accounts (intranet/directory/demo.ldif); every password is "demo123".
DEMO_PASSWORD = "demo123"
DEMO_EMPLOYEE = "hungdv"  # Đinh Văn Hùng, Hạt Kiểm lâm An Lão
DEMO_HEAD = "annv"  # Nguyễn Văn An, head of Hạt Kiểm lâm An Lão
DEMO_ADMIN = "huonglt"  # Lê Thị Hương, head of Phòng Tổ chức – Hành chính and admin


def base_config(tmp_path: Path, **overrides: Any) -> dict[str, Any]:
    config: dict[str, Any] = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'test.db'}",
        "LDAP_URL": "",
    }
    config.update(overrides)
    return config


def make_app(tmp_path: Path, **overrides: Any) -> Flask:
    app = create_app(base_config(tmp_path, **overrides))
    with app.app_context():
        db.create_all()
        reference_data.seed()
        db.session.commit()
    return app


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Flask]:
    """The app on the demo directory, with a fresh SQLite database."""
    app = make_app(tmp_path)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def synced_app(app: Flask) -> Flask:
    """The app after a directory sync: every demo staff member is in the database."""
    with app.app_context():
        sync_people(current_directory().people())
        db.session.commit()
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
