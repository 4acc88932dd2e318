"""The app as an agency runs it, on one machine's loopback: for `make deploy-check` and `make load`.

slapd (a generated directory), PostgreSQL, Redis, two gunicorn instances with the shipped
deploy/gunicorn.conf.py in production mode, and Debian's nginx running the shipped site
(deploy/nginx/intranet.conf.in) with a certificate made here. Every server listens on
127.0.0.1 on a free port; everything lives in one work directory.

    with ProductionStack(work, people) as stack:
        stack.https_url, stack.instances[0].url, stack.database()
"""
from __future__ import annotations

import os
import secrets
import subprocess
import sys
from contextlib import ExitStack
from pathlib import Path

import psycopg

from scripts.load import Account, directory_ldif
from tests.support.app_server import AppServer
from tests.support.ldap_server import DEFAULT_SERVICE_DN, DEFAULT_SERVICE_PASSWORD, Slapd
from tests.support.ldif import ADMINS_GROUP, HEADS_GROUP, STAFF_BASE
from tests.support.nginx_server import Nginx, render_site, self_signed_certificate
from tests.support.pg_server import Postgres
from tests.support.process import Service, free_port
from tests.support.redis_server import Redis
from tests.support.tls_certs import CertificateAuthority

ROOT = Path(__file__).resolve().parent.parent

DATABASE = "intranet"
APP_ROLE = "intranet"
SERVER_NAME = "localhost"


class ProductionStack(Service):
    def __init__(
        self, work: Path, people: list[Account], *, instances: int = 2, workers: int = 2
    ) -> None:
        self.work = work
        self.people = people
        self.instance_count = instances
        self.workers = workers
        self.instances: list[AppServer] = []
        self.https_port = 0
        self.http_port = 0
        self.cert = Path()
        self.site = Path()  # the rendered nginx site
        self.env: dict[str, str] = {}
        self.postgres: Postgres | None = None
        self._resources = ExitStack()

    @property
    def https_url(self) -> str:
        return f"https://127.0.0.1:{self.https_port}"

    @property
    def http_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    def start(self) -> ProductionStack:
        try:
            self._start()
        except BaseException:
            self.stop()
            raise
        return self

    def _start(self) -> None:
        ldif = self.work / "staff.ldif"
        ldif.write_text(directory_ldif(self.people), encoding="utf-8")
        # The directory over LDAPS, its certificate verified against our own CA, as production requires.
        ca = CertificateAuthority(self.work / "ldap-ca")
        tls = ca.server_files(self.work / "ldap-tls", dns=["localhost"], ips=["127.0.0.1"])
        slapd = self._resources.enter_context(Slapd(ldif, self.work / "slapd", tls=tls))
        self.postgres = self._resources.enter_context(Postgres())
        # The app connects as a role of its own that owns its database, not as a superuser.
        with self.postgres.connect() as conn:
            conn.execute(f"CREATE ROLE {APP_ROLE} LOGIN")
            conn.execute(f"CREATE DATABASE {DATABASE} OWNER {APP_ROLE}")
        redis = self._resources.enter_context(Redis(self.work / "redis"))
        self.env = {
            **{k: v for k, v in os.environ.items() if k != "WEB_CONCURRENCY"},
            "FLASK_APP": "wsgi",
            "INTRANET_ENV": "production",
            "SECRET_KEY": secrets.token_urlsafe(48),  # one key for every instance
            "DATABASE_URL": self.app_database_url(DATABASE),
            "LDAP_URL": slapd.url_for("localhost", ldaps=True),
            "LDAP_CA_FILE": str(tls.ca),
            "LDAP_BIND_DN": DEFAULT_SERVICE_DN,
            "LDAP_BIND_PASSWORD": DEFAULT_SERVICE_PASSWORD,
            "LDAP_USER_BASE": STAFF_BASE,
            "LDAP_HEAD_GROUP": HEADS_GROUP,
            "LDAP_ADMIN_GROUP": ADMINS_GROUP,
            "RATELIMIT_STORAGE_URI": redis.url,
            "PROXY_COUNT": "1",
        }
        self.flask("db", "upgrade")
        self.flask("directory", "sync")
        for n in range(1, self.instance_count + 1):
            server = AppServer(self.env, self.work / f"gunicorn-{n}.log", workers=self.workers)
            self._resources.callback(server.stop)
            self.instances.append(server.start())
        self.cert, key = self_signed_certificate(self.work / "tls", SERVER_NAME)
        self.https_port, self.http_port = free_port(), free_port()
        site = render_site(
            server_name=SERVER_NAME,
            app_servers=[s.address for s in self.instances],
            cert=self.cert,
            key=key,
            https_listen=f"127.0.0.1:{self.https_port}",
            http_listen=f"127.0.0.1:{self.http_port}",
            log_dir=self.work / "nginx-logs",
        )
        (self.work / "nginx-logs").mkdir(exist_ok=True)
        self.site = self.work / "site.conf"
        self.site.write_text(site, encoding="utf-8")
        nginx = Nginx(self.work / "nginx", site)
        self._resources.callback(nginx.stop)
        nginx.start(ports=(self.https_port, self.http_port))

    def stop(self) -> None:
        self._resources.close()

    def flask(self, *args: str, env: dict[str, str] | None = None) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "flask", *args],
            cwd=ROOT,
            env=env or self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if result.returncode != 0:
            raise SystemExit(f"flask {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
        return result.stdout.strip()

    def app_database_url(self, name: str) -> str:
        assert self.postgres is not None and self.postgres.port is not None
        return f"postgresql+psycopg://{APP_ROLE}@127.0.0.1:{self.postgres.port}/{name}"

    def database(self, name: str = DATABASE) -> psycopg.Connection:
        assert self.postgres is not None
        return self.postgres.connect(name)

    def scalar(self, query: str, name: str = DATABASE) -> object:
        with self.database(name) as conn:
            row = conn.execute(query).fetchone()
        return row[0] if row else None

    def gunicorn_log(self, n: int) -> str:
        return self.instances[n].log.read_text("utf-8", "replace")
