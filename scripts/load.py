"""`make load`: the app under gunicorn (4 workers) on SQLite, used by many staff at once.

With --production: the same clients against PostgreSQL and Redis, two gunicorn instances
behind nginx with TLS (scripts/production_stack.py), the --workers split between them.

Starts a real slapd (tests/support/ldap_server.py) loaded with a generated directory of about
200 staff in six units, migrates and syncs a fresh SQLite database, serves the app with
gunicorn and the shipped settings on a free loopback port (tests/support/app_server.py), then
runs concurrent clients for --seconds: each signs in (GET /login for the CSRF token, POST),
declares (POST /declaration), reads (GET /, GET /declaration; heads GET /unit) and signs out,
again and again. Everything stays on 127.0.0.1. It ends with the figures and exits 1 if any
request failed or the number of declarations in the database differs from the number of
accepted POSTs.

    .venv/bin/python -m scripts.load --seconds 30 --clients 32
"""
from __future__ import annotations

import argparse
import os
import re
import secrets
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import requests

from tests.support import ldif
from tests.support.app_server import AppServer
from tests.support.ldap_server import DEFAULT_SERVICE_DN, DEFAULT_SERVICE_PASSWORD, Slapd
from tests.support.ldif import ADMINS_GROUP, HEADS_GROUP, STAFF_BASE

ROOT = Path(__file__).resolve().parent.parent
UNITS = (
    "Hạt Kiểm lâm An Lão",
    "Hạt Kiểm lâm Hoài Nhơn",
    "Hạt Kiểm lâm Tây Sơn",
    "Hạt Kiểm lâm Vĩnh Thạnh",
    "Đội Kiểm lâm cơ động và PCCCR",
    "Phòng Tổ chức – Hành chính",
)
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Võ", "Đặng", "Bùi")
MIDDLE = ("Văn", "Thị", "Minh", "Đức", "Thanh", "Quang", "Ngọc", "Hữu")
GIVEN = (
    "An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hùng", "Lan", "Mai", "Nam", "Phúc", "Sơn", "Tâm", "Yến",
)
DECLARATIONS = (
    {"status": "level2_active", "activated_on": "15/03/2024", "committed": "y"},
    {"status": "level2_pending"},
    {"status": "level1", "note": "Sẽ đăng ký mức độ 2 tại công an xã"},
    {"status": "none"},
)
ROUNDS_PER_SIGN_IN = 5
HTTP_TIMEOUT = 30
NO_INTEGRITY_CHECK = "n/a (PostgreSQL has no integrity_check)"
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


# -- the directory -------------------------------------------------------------


@dataclass(frozen=True)
class Account:
    username: str
    password: str
    unit: str
    is_head: bool


def accounts(count: int) -> list[Account]:
    """`count` staff spread over the units; the first of each unit is its head."""
    people = []
    for n in range(count):
        unit = UNITS[n % len(UNITS)]
        password = f"Mk-{n:03d}-{secrets.token_hex(3)}"
        people.append(Account(f"cb{n:03d}", password, unit, is_head=n < len(UNITS)))
    return people


def directory_ldif(people: list[Account]) -> str:
    # The last head stands for the organisation department's head: the admin.
    admin = max(n for n, account in enumerate(people) if account.is_head)
    return ldif.directory_ldif(
        (
            ldif.DirectoryPerson(
                account.username, f"{FAMILY[n % 10]} {MIDDLE[n // 10 % 8]} {GIVEN[n % 14]}",
                account.unit, ldif.ssha(account.password), is_head=account.is_head,
                is_admin=n == admin,
            )
            for n, account in enumerate(people)
        ),
        organisation="Load test directory",
    )


# -- the app -------------------------------------------------------------------


def app_environment(database_url: str, ldap_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "FLASK_APP": "wsgi",
        "INTRANET_ENV": "development",  # plain HTTP on loopback: cookies must not be Secure-only
        "SECRET_KEY": secrets.token_urlsafe(32),  # one key for every worker
        "DATABASE_URL": database_url,
        "LDAP_URL": ldap_url,
        "LDAP_BIND_DN": DEFAULT_SERVICE_DN,
        "LDAP_BIND_PASSWORD": DEFAULT_SERVICE_PASSWORD,
        "LDAP_USER_BASE": STAFF_BASE,
        "LDAP_HEAD_GROUP": HEADS_GROUP,
        "LDAP_ADMIN_GROUP": ADMINS_GROUP,
        "LDAP_TIMEOUT": "5",
    }


def flask(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "flask", *args], cwd=ROOT, env=env,
        capture_output=True, text=True, timeout=300,
    )
    if result.returncode != 0:
        raise SystemExit(f"flask {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout.strip()


# -- the clients ---------------------------------------------------------------


@dataclass
class Tally:
    """What every client did; shared, so guarded by a lock."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter[str] = field(default_factory=Counter)
    declarations_accepted: int = 0

    def record(self, name: str, seconds: float, ok: bool, detail: str = "") -> None:
        with self.lock:
            self.latencies[name].append(seconds)
            if not ok:
                self.errors[f"{name}: {detail}"] += 1


class RequestFailed(Exception):
    """A request answered something other than what a working app answers."""


class Client:
    """One member of staff with a browser-like session, against one base URL."""

    def __init__(
        self, base_url: str, account: Account, tally: Tally, deadline: float, verify: str | bool = True
    ) -> None:
        self.base_url, self.account, self.tally, self.deadline = base_url, account, tally, deadline
        self.session = requests.Session()
        self.session.trust_env = False  # loopback only: no proxy from the environment
        self.session.verify = verify  # behind nginx: the certificate the stack made

    def call(
        self, name: str, method: str, path: str, expect: int, **kwargs: object
    ) -> requests.Response:
        started = time.monotonic()
        # A browser names the form's page (HTTPS forms are refused without it).
        headers = {"Referer": self.base_url + path} if method == "POST" else {}
        try:
            response = self.session.request(
                method, self.base_url + path, allow_redirects=False, timeout=HTTP_TIMEOUT,
                headers=headers, **kwargs
            )
        except requests.RequestException as error:
            self.tally.record(name, time.monotonic() - started, False, type(error).__name__)
            raise RequestFailed(name) from error
        ok = response.status_code == expect
        self.tally.record(name, time.monotonic() - started, ok, f"HTTP {response.status_code}")
        if not ok:
            raise RequestFailed(name)
        return response

    def token(self, response: requests.Response) -> str:
        match = TOKEN.search(response.text)
        if match is None:
            self.tally.record("csrf token", 0.0, False, "missing")
            raise RequestFailed("csrf token")
        return match.group(1)

    def run(self) -> None:
        while time.monotonic() < self.deadline:
            try:
                self.one_sign_in()
            except RequestFailed:
                self.session.cookies.clear()  # start again as a fresh visitor

    def one_sign_in(self) -> None:
        login = self.call("GET /login", "GET", "/login", 200)
        self.call("POST /login", "POST", "/login", 302, data={
            "username": self.account.username, "password": self.account.password,
            "csrf_token": self.token(login),
        })
        home = None
        for round_number in range(ROUNDS_PER_SIGN_IN):
            if time.monotonic() >= self.deadline:
                break
            home = self.call("GET /", "GET", "/", 200)
            form = self.call("GET /declaration", "GET", "/declaration", 200)
            choice = DECLARATIONS[round_number % len(DECLARATIONS)]
            data = {**choice, "csrf_token": self.token(form)}
            self.call("POST /declaration", "POST", "/declaration", 302, data=data)
            with self.tally.lock:
                self.tally.declarations_accepted += 1
            if self.account.is_head:
                self.call("GET /unit", "GET", "/unit", 200)
        page = home if home is not None else self.call("GET /", "GET", "/", 200)
        self.call("POST /logout", "POST", "/logout", 302, data={"csrf_token": self.token(page)})


def run_clients(
    base_url: str, people: list[Account], clients: int, seconds: float, verify: str | bool = True
) -> Tally:
    tally = Tally()
    deadline = time.monotonic() + seconds
    # Every head is among the clients, so /unit is read too; the rest are employees.
    chosen = [a for a in people if a.is_head] + [a for a in people if not a.is_head]
    threads = [
        threading.Thread(target=Client(base_url, account, tally, deadline, verify).run, daemon=True)
        for account in chosen[:clients]
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 2 * HTTP_TIMEOUT)
    return tally


# -- the report ----------------------------------------------------------------


def milliseconds(values: list[float], fraction: float) -> float:
    """The `fraction` percentile of `values` (seconds), in milliseconds."""
    ordered = sorted(values)
    return 1000 * ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


def database_counts(database: Path) -> tuple[int, int, str]:
    """(declarations, their audit rows, integrity_check) read straight from the file."""
    with sqlite3.connect(database) as conn:
        declarations = conn.execute("SELECT count(*) FROM declaration").fetchone()[0]
        audited = conn.execute(
            "SELECT count(*) FROM audit_event WHERE action = 'declaration.create'"
        ).fetchone()[0]
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
    return declarations, audited, integrity


def postgres_counts(stack: object) -> tuple[int, int, str]:
    """(declarations, their audit rows, "n/a") from the stack's PostgreSQL database."""
    declarations = stack.scalar("SELECT count(*) FROM declaration")  # type: ignore[attr-defined]
    audited = stack.scalar(  # type: ignore[attr-defined]
        "SELECT count(*) FROM audit_event WHERE action = 'declaration.create'"
    )
    return int(declarations), int(audited), NO_INTEGRITY_CHECK


def report(tally: Tally, seconds: float, declarations: int, audited: int, integrity: str) -> bool:
    everything = [s for values in tally.latencies.values() for s in values]
    errors = sum(tally.errors.values())
    print(f"\n{'request':<20}{'count':>8}{'p50 ms':>9}{'p95 ms':>9}")
    for name in sorted(tally.latencies):
        values = tally.latencies[name]
        p50, p95 = milliseconds(values, .5), milliseconds(values, .95)
        print(f"{name:<20}{len(values):>8}{p50:>9.0f}{p95:>9.0f}")
    print(f"\nrequests: {len(everything)} in {seconds:.0f} s ({len(everything) / seconds:.0f}/s)")
    print(f"errors: {errors}")
    for detail, count in tally.errors.most_common(10):
        print(f"  {count} x {detail}")
    print(f"records written: {declarations} declarations ({audited} audit rows); "
          f"expected {tally.declarations_accepted} (accepted POSTs)")
    print(f"latency: p50 {milliseconds(everything, .5):.0f} ms, "
          f"p95 {milliseconds(everything, .95):.0f} ms")
    print(f"integrity_check: {integrity}")
    written_as_expected = declarations == audited == tally.declarations_accepted
    return errors == 0 and written_as_expected and integrity in ("ok", NO_INTEGRITY_CHECK)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0, help="how long the clients run (30)")
    parser.add_argument("--clients", type=int, default=32, help="concurrent clients (32)")
    parser.add_argument("--staff", type=int, default=200, help="staff in the directory (200)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers in all (4)")
    parser.add_argument(
        "--production", action="store_true",
        help="PostgreSQL and Redis, two gunicorn instances behind nginx with TLS "
             "(scripts/production_stack.py), the workers split between them",
    )
    args = parser.parse_args(argv)
    if not 0 < args.clients <= args.staff:
        # Two clients as one person would sign each other out (sign-out ends every session).
        parser.error("--clients must be between 1 and --staff")
    if args.production:
        return main_production(args)

    with tempfile.TemporaryDirectory(prefix="intranet-load-") as temporary:
        work = Path(temporary)
        people = accounts(args.staff)
        (work / "staff.ldif").write_text(directory_ldif(people), encoding="utf-8")
        with Slapd(work / "staff.ldif", work / "slapd") as slapd:
            database = work / "intranet.db"
            env = app_environment(f"sqlite:///{database}", slapd.url)
            flask(env, "db", "upgrade")
            print(flask(env, "directory", "sync"))
            with AppServer(env, work / "gunicorn.log", workers=args.workers) as server:
                print(f"{args.clients} clients, {args.workers} gunicorn workers, {args.seconds:g} s "
                      f"on {server.url}")
                started = time.monotonic()
                tally = run_clients(server.url, people, args.clients, args.seconds)
                elapsed = time.monotonic() - started
            ok = report(tally, elapsed, *database_counts(database))
            if not ok:
                print(f"\n--- gunicorn log ---\n{(work / 'gunicorn.log').read_text()[-4000:]}")
    return 0 if ok else 1


def main_production(args: argparse.Namespace) -> int:
    from scripts.production_stack import ProductionStack

    with tempfile.TemporaryDirectory(prefix="intranet-load-") as temporary:
        people = accounts(args.staff)
        per_instance = max(1, args.workers // 2)
        with ProductionStack(Path(temporary), people, workers=per_instance) as stack:
            print(f"{args.clients} clients, 2 gunicorn instances x {per_instance} workers on "
                  f"PostgreSQL, behind nginx {stack.https_url}, {args.seconds:g} s")
            started = time.monotonic()
            tally = run_clients(stack.https_url, people, args.clients, args.seconds, str(stack.cert))
            elapsed = time.monotonic() - started
            ok = report(tally, elapsed, *postgres_counts(stack))
            if not ok:
                for n in range(len(stack.instances)):
                    print(f"\n--- gunicorn {n + 1} ---\n{stack.instances[n].log_tail(40)}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
