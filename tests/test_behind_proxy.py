"""Behind one reverse proxy (PROXY_COUNT=1): the client's address and scheme, not the proxy's."""
from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from intranet.extensions import db
from intranet.models import AuditEvent

from .conftest import DEMO_ADMIN, DEMO_EMPLOYEE, DEMO_PASSWORD, make_app

PROXY = "127.0.0.1"  # nginx, as the app server sees it


def through_proxy(client: FlaskClient, client_address: str, forged: str | None = None) -> None:
    """Every request as nginx passes it on: X-Forwarded-For ends with the address it saw."""
    chain = f"{forged}, {client_address}" if forged else client_address
    client.environ_base.update(
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=chain,
        HTTP_X_FORWARDED_PROTO="https",
        HTTP_X_FORWARDED_HOST="intranet.example.vn",
        HTTP_REFERER="https://intranet.example.vn/login",  # HTTPS forms need their page
    )


def sign_in(client: FlaskClient, password: str, username: str = DEMO_EMPLOYEE) -> int:
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token"', 1)[1].split('value="', 1)[1].split('"', 1)[0]
    response = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token},
    )
    return response.status_code


def proxied_app(tmp_path: Path, **config: object) -> Flask:
    return make_app(tmp_path, PROXY_COUNT=1, **config)


def test_behind_the_proxy_sign_in_is_audited_with_the_client_address(
    tmp_path: Path,
) -> None:
    app = proxied_app(tmp_path)
    client = app.test_client()
    through_proxy(client, "10.20.30.40", forged="203.0.113.9")
    assert sign_in(client, DEMO_PASSWORD) == 302
    with app.app_context():
        addresses = db.session.scalars(select(AuditEvent.address)).all()
    assert addresses == ["10.20.30.40"]  # not the proxy's, not what the client claimed


def test_the_per_address_limit_counts_each_client_not_the_proxy(tmp_path: Path) -> None:
    app = proxied_app(tmp_path, LOGIN_LIMIT_PER_ADDRESS="3 per 15 minutes")
    first = app.test_client()
    through_proxy(first, "10.20.30.40")
    for _ in range(3):
        assert sign_in(first, "sai") == 401
    assert sign_in(first, DEMO_PASSWORD, username=DEMO_ADMIN) == 429  # this address is held back
    # Another member of staff behind the same proxy is not held back by the first one.
    second = app.test_client()
    through_proxy(second, "10.20.30.41")
    assert sign_in(second, DEMO_PASSWORD, username=DEMO_ADMIN) == 302
