"""Sign-in limits shared by every app server (Redis), and production refusing per-process ones."""
from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from intranet import ConfigurationError, create_app
from intranet.extensions import db

from .conftest import DEMO_ADMIN, DEMO_EMPLOYEE, DEMO_PASSWORD, make_app
from .support.app_server import GUNICORN_CONFIG, ROOT, AppServer
from .support.redis_server import Redis
from .support.production import DIRECTORY, SECRET, production_settings

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def production(tmp_path: Path, **env: str) -> dict:
    return production_settings(tmp_path, **{**SECRET, **DIRECTORY, **env})


def test_production_refuses_per_process_limits_with_several_workers(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="WEB_CONCURRENCY"):
        create_app(production(tmp_path, WEB_CONCURRENCY="4"))


@pytest.mark.parametrize(
    "env",
    [
        {"WEB_CONCURRENCY": "1"},  # one process: its memory is the only count there is
        {"WEB_CONCURRENCY": "4", "RATELIMIT_ALLOW_MEMORY": "1"},  # the operator said so
        {"WEB_CONCURRENCY": "4", "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0"},
    ],
)
def test_production_starts_when_the_limits_are_shared_or_allowed(tmp_path: Path, env: dict) -> None:
    create_app(production(tmp_path, **env))


def test_development_with_several_workers_keeps_memory_limits(tmp_path: Path) -> None:
    app = create_app(
        {"WEB_CONCURRENCY": 4, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'd.db'}"}
    )
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"


def gunicorn_env(**env: str) -> dict[str, str]:
    return {
        **{
            k: v
            for k, v in os.environ.items()
            if k not in ("WEB_CONCURRENCY", "RATELIMIT_STORAGE_URI")
        },
        "SECRET_KEY": "shared-" + secrets.token_hex(16),
        "LDAP_URL": "",
        **env,
    }


def refused(command: list[str], env: dict[str, str]) -> str:
    """What `command` says on stderr as it refuses to start."""
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    return result.stderr


def test_gunicorn_with_several_workers_refuses_per_process_limits_in_production(
    tmp_path: Path,
) -> None:
    # `--workers 2` on the command line, not WEB_CONCURRENCY: the config passes it on to the app.
    env = gunicorn_env(
        INTRANET_ENV="production",
        LDAP_URL="ldaps://dc1.example",
        DATABASE_URL=f"sqlite:///{tmp_path / 'g.db'}",
    )
    stderr = refused([sys.executable, "-m", "gunicorn", "--config", str(GUNICORN_CONFIG), "--workers", "2",
                      "--bind", "127.0.0.1:0", "wsgi:app"], env)
    assert "memory:// counts per process and 2 workers are configured" in stderr


class Visitor:
    """A browser-like session against one app server."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.session = requests.Session()
        self.session.trust_env = False

    def sign_in(self, username: str, password: str) -> int:
        page = self.session.get(self.base_url + "/login", timeout=10)
        token = TOKEN.search(page.text)
        assert token, page.text[:500]
        response = self.session.post(
            self.base_url + "/login",
            data={"username": username, "password": password, "csrf_token": token.group(1)},
            allow_redirects=False,
            timeout=10,
        )
        return response.status_code


@pytest.fixture
def two_app_servers(tmp_path: Path, redis_server: Redis) -> Iterator[list[AppServer]]:
    """Two gunicorn instances on one database and one Redis, like two hosts behind nginx."""
    app = make_app(tmp_path)
    with app.app_context():
        database_url = str(db.engine.url.render_as_string(hide_password=False))
        db.engine.dispose()
    env = gunicorn_env(
        DATABASE_URL=database_url,
        RATELIMIT_STORAGE_URI=redis_server.url,
        RATELIMIT_KEY_PREFIX="t" + secrets.token_hex(6),
    )
    servers = [AppServer(env, tmp_path / f"gunicorn-{n}.log", workers=1) for n in (1, 2)]
    try:
        for server in servers:
            server.start()
        yield servers
    finally:
        for server in servers:
            server.stop()


def test_the_sixth_wrong_password_is_refused_whichever_app_server_answers(
    two_app_servers: list[AppServer],
) -> None:
    first, second = (Visitor(server.url) for server in two_app_servers)
    # Five failures, alternating: each server saw at most three, so only a shared count stops it.
    for attempt in range(5):
        assert (first, second)[attempt % 2].sign_in(DEMO_EMPLOYEE, "sai") == 401
    assert first.sign_in(DEMO_EMPLOYEE, DEMO_PASSWORD) == 429
    assert second.sign_in(DEMO_EMPLOYEE, DEMO_PASSWORD) == 429
    assert second.sign_in(DEMO_ADMIN, DEMO_PASSWORD) == 302  # other staff are not locked out


def test_sign_in_keeps_working_and_limited_when_redis_goes_down(tmp_path: Path) -> None:
    redis = Redis(tmp_path / "redis").start()
    app = make_app(tmp_path)
    with app.app_context():
        database_url = str(db.engine.url.render_as_string(hide_password=False))
        db.engine.dispose()
    env = gunicorn_env(DATABASE_URL=database_url, RATELIMIT_STORAGE_URI=redis.url)
    server = AppServer(env, tmp_path / "gunicorn.log", workers=1)
    try:
        server.start()
        visitor = Visitor(server.url)
        assert visitor.sign_in(DEMO_EMPLOYEE, "sai") == 401  # counted in Redis
        redis.stop()
        assert Visitor(server.url).sign_in(DEMO_ADMIN, DEMO_PASSWORD) == 302
        for _ in range(5):
            assert visitor.sign_in(DEMO_EMPLOYEE, "sai") == 401
        # Counted in the process's memory meanwhile: still no sixth try.
        assert visitor.sign_in(DEMO_EMPLOYEE, DEMO_PASSWORD) == 429
        assert "falling back to in-memory storage" in server.log.read_text()
    finally:
        server.stop()
        redis.stop()


def test_the_command_line_names_the_wrong_setting_without_a_traceback(tmp_path: Path) -> None:
    env = gunicorn_env(
        INTRANET_ENV="production",
        LDAP_URL="ldaps://dc1.example",
        WEB_CONCURRENCY="3",
        DATABASE_URL=f"sqlite:///{tmp_path / 'c.db'}",
    )
    stderr = refused([sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"], env)
    assert "memory:// counts per process and 3 workers are configured" in stderr
    assert "Traceback" not in stderr


def test_health_says_whether_the_shared_limit_store_answers(
    tmp_path: Path, redis_server: Redis
) -> None:
    app = make_app(tmp_path, RATELIMIT_STORAGE_URI=redis_server.url)
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {
        "status": "ok",
        "database": "ok",
        "directory": "ok",
        "rate_limits": "ok",
    }


def test_health_is_degraded_not_failing_when_redis_is_down(tmp_path: Path) -> None:
    down = Redis(tmp_path / "down").start()
    url = down.url
    down.stop()
    app = make_app(tmp_path, RATELIMIT_STORAGE_URI=url)
    response = app.test_client().get("/healthz")
    assert response.status_code == 200  # staff keep working: restarting would not help
    assert response.get_json() == {
        "status": "degraded",
        "database": "ok",
        "directory": "ok",
        "rate_limits": "error",
    }
