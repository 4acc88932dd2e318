"""Settings: production refuses to start half-configured, and turns on its protections."""
from __future__ import annotations

from pathlib import Path

import pytest

from config import settings_from_env
from intranet import ConfigurationError, create_app

from .support.production import production_settings


def production(tmp_path: Path, **env: str) -> dict:
    return production_settings(tmp_path, **env)


@pytest.mark.parametrize(
    ("env", "missing"),
    [({"LDAP_URL": "ldaps://dc1"}, "SECRET_KEY"), ({"SECRET_KEY": "k" * 40}, "LDAP_URL")],
)
def test_production_without_secret_key_or_directory_does_not_start(
    tmp_path: Path, env: dict, missing: str
) -> None:
    with pytest.raises(ConfigurationError, match=missing):
        create_app(production(tmp_path, **env))


def test_production_sets_secure_cookies_and_hsts(tmp_path: Path) -> None:
    app = create_app(production(tmp_path, SECRET_KEY="k" * 40, LDAP_URL="ldaps://dc1.example"))
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert not app.debug
    response = app.test_client().get("/login")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_settings_come_from_the_environment() -> None:
    settings = settings_from_env(
        {"LDAP_URL": "ldap://a ldap://b", "LDAP_TIMEOUT": "3", "SESSION_IDLE_MINUTES": "10", "LDAP_START_TLS": "yes"}
    )
    assert settings["LDAP_URL"] == "ldap://a ldap://b"
    assert settings["LDAP_TIMEOUT"] == 3 and settings["LDAP_START_TLS"] is True
    assert settings["PERMANENT_SESSION_LIFETIME"].total_seconds() == 600


def test_development_keeps_one_secret_key_across_restarts(tmp_path: Path) -> None:
    first = create_app({"SECRET_KEY": "", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    second = create_app({"SECRET_KEY": "", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"] and len(first.config["SECRET_KEY"]) > 40


def test_behind_a_proxy_the_client_address_is_the_forwarded_one(tmp_path: Path) -> None:
    app = create_app({"PROXY_COUNT": 1, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}"})

    @app.route("/whoami")
    def whoami() -> str:
        from flask import request

        return request.remote_addr or ""

    response = app.test_client().get("/whoami", headers={"X-Forwarded-For": "10.1.2.3"})
    assert response.get_data(as_text=True) == "10.1.2.3"


def test_postgresql_statements_are_prepared_unless_turned_off_for_a_pooler(tmp_path: Path) -> None:
    assert settings_from_env({})["DATABASE_PREPARED_STATEMENTS"] is True
    assert settings_from_env({"DATABASE_PREPARED_STATEMENTS": "0"})["DATABASE_PREPARED_STATEMENTS"] is False
    url = "postgresql+psycopg://intranet@127.0.0.1:1/intranet"
    off = create_app({"SQLALCHEMY_DATABASE_URI": url, "DATABASE_PREPARED_STATEMENTS": False})
    assert off.config["SQLALCHEMY_ENGINE_OPTIONS"] == {
        "pool_pre_ping": True, "connect_args": {"prepare_threshold": None}}
    on = create_app({"SQLALCHEMY_DATABASE_URI": url})
    assert on.config["SQLALCHEMY_ENGINE_OPTIONS"] == {"pool_pre_ping": True}
    # SQLite has no such thing, and no server to end a pooled connection.
    sqlite = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}",
                         "DATABASE_PREPARED_STATEMENTS": False})
    assert sqlite.config["SQLALCHEMY_ENGINE_OPTIONS"] == {}
