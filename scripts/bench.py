"""`make bench`: server time, SQL statements, throughput and memory on a province-scale data set.

Uses the cached data sets of scripts/bench_data.py (20,000 staff in 200 units, and 1,000 staff
in 20 units), each copied to a temporary folder so the run never changes the cache, and a
real slapd (tests/support/ldap_server.py) holding the matching directory. Measures in-process with
the Flask test client (signed in through the directory), then under gunicorn with 2 workers
and 20 concurrent clients, then in-process again on a PostgreSQL copy of the data (a server
started for the run, tests/support/pg_server.py). Everything stays on 127.0.0.1 and each phase is
bounded in time. Prints one table and writes it to .bench/results.json.

    .venv/bin/python -m scripts.bench --repeat 30 --seconds 15
"""
from __future__ import annotations

import argparse
import json
import platform
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

import requests
from flask import Flask, render_template
from flask.testing import FlaskClient
from sqlalchemy import select

from intranet.access import admin_required
from intranet.compliance.figures import unit_compliance
from intranet.compliance.memo import EXTENSION as MEMO
from intranet.compliance.results import ComplianceTable, UnitLine, UnitRow
from intranet.compliance.sorting import SORTABLE, Sort
from intranet.database.read_only import read_only
from intranet.directory import current_directory
from intranet.directory.sync import sync_people
from intranet.extensions import db
from intranet.models import Employee
from intranet.months import current_month
from intranet.serving import settle_worker
from scripts.bench_data import BENCH, PASSWORD, bench_app, build, copy_to, counts
from scripts.bench_import import TARGETS as IMPORT_TARGETS, import_figures
from scripts.bench_reminders import TARGETS as REMINDER_TARGETS
from scripts.bench_reminders import reminder_figures
from scripts.bench_summary import (
    TARGETS as SUMMARY_TARGETS, add_year_of_notices, summary_figures, summary_figures_on,
)
from scripts.load import app_environment
from tests.support.app_server import AppServer
from tests.support.ldap_server import DEFAULT_SERVICE_DN, DEFAULT_SERVICE_PASSWORD, Slapd
from tests.support.ldif import ADMINS_GROUP, HEADS_GROUP, STAFF_BASE
from tests.support.pg_server import Postgres
from tests.support.statements import Statements

ROOT = Path(__file__).resolve().parent.parent
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
ADMIN, HEAD, EMPLOYEE = "cb00000", "cb00001", "cb00500"  # see bench_data.people
COLLEAGUE = 202  # the id of an employee of HEAD's unit (cb00201), for the person page
PAST_MONTHS_BACK = 6
RENDERING_ONLY = "/bench/rendering-only"
POSTGRESQL = " (PostgreSQL)"  # after the name of a figure measured on PostgreSQL
OVER_TCP = " (PostgreSQL over TCP)"  # the same, reached over TCP instead of the Unix socket
HTTP_TIMEOUT = 30
SUMMARY_FILE = "/appraisals/summary.xlsx year, 5,000 notices"

# figure -> (target, unit, whether higher is better); issue 20's targets for this round.
HTML_PAGE = 50  # ms, p95: every HTML page
EXPORT = 300  # ms, p95: every file
TARGETS: dict[str, tuple[float, str, bool]] = {
    "/compliance current month": (25, "ms", False),
    "/compliance past month": (HTML_PAGE, "ms", False),
    "employee home /": (20, "ms", False),
    "POST /declaration": (20, "ms", False),
    "head's /unit (100 staff)": (HTML_PAGE, "ms", False),
    "head's /notices (queue)": (HTML_PAGE, "ms", False),
    "/staff/<id> (person page)": (HTML_PAGE, "ms", False),
    "head's /notices/awaiting (queue)": (HTML_PAGE, "ms", False),
    "/notices/open (all units' queue)": (HTML_PAGE, "ms", False),
    "/admin/reminders": (HTML_PAGE, "ms", False),
    "rating summary, this month": (HTML_PAGE, "ms", False),
    "rating summary, this quarter": (HTML_PAGE, "ms", False),
    "explanation form": (HTML_PAGE, "ms", False),
    "/admin/responses": (HTML_PAGE, "ms", False),
    "/compliance/trend (12 months)": (HTML_PAGE, "ms", False),
    "/compliance/unit/<id> (100 staff)": (HTML_PAGE, "ms", False),
    "/compliance past month, after a declaration": (HTML_PAGE, "ms", False),
    "/compliance/trend (12 months), after a declaration": (HTML_PAGE, "ms", False),
    "/compliance/unit/<id> (100 staff), after a declaration": (HTML_PAGE, "ms", False),
    "/compliance/report (printed)": (HTML_PAGE, "ms", False),
    "/compliance.xlsx": (EXPORT, "ms", False),
    "/compliance.csv": (EXPORT, "ms", False),
    "/compliance-missing.csv": (EXPORT, "ms", False),
    "/compliance-missing.csv?variant=vi (Excel in Vietnamese)": (EXPORT, "ms", False),
    "/compliance.xlsx past month": (EXPORT, "ms", False),
    "/compliance/report.docx (Word)": (EXPORT, "ms", False),
    "/notices/imports/template.xlsx": (EXPORT, "ms", False),
    SUMMARY_FILE: (EXPORT, "ms", False),
    "ratio 20,000 / 1,000 staff": (3, "x", False),
    "ratio /compliance / rendering only": (1.5, "x", False),
    "sign-in (POST /login)": (50, "ms", False),
    "directory sync, first": (30, "s", False),
    "gunicorn worker RSS": (150, "MB", False),
    "throughput GET /compliance": (80, "req/s", True),
    "throughput GET /": (300, "req/s", True),
    **{name: (target, unit, False) for name, (target, unit) in IMPORT_TARGETS.items()},
    **REMINDER_TARGETS,
    **{name: (target, unit, False) for name, (target, unit) in SUMMARY_TARGETS.items()},
}
PG_RATIO = 1.3  # PostgreSQL's p95 at most this many times SQLite's, figure by figure
QUERY_LIMIT = 10


@dataclass
class Figure:
    name: str
    median: float | None = None  # ms, or the unit the target names
    p95: float | None = None
    queries: list[int] = field(default_factory=list)  # distinct statement counts seen
    unit: str = "ms"
    note: str = ""

    @property
    def target(self) -> float | None:
        # The same targets on PostgreSQL.
        name = self.name.removesuffix(POSTGRESQL)
        if name.startswith("ratio PostgreSQL / SQLite"):
            return PG_RATIO
        return TARGETS[name][0] if name in TARGETS else None

    @property
    def higher_is_better(self) -> bool:
        name = self.name.removesuffix(POSTGRESQL)
        return name in TARGETS and TARGETS[name][2]

    @property
    def verdict(self) -> str:
        verdicts = []
        if self.target is not None and self.p95 is not None:
            met = self.p95 >= self.target if self.higher_is_better else self.p95 <= self.target
            verdicts.append("PASS" if met else "MISS")
        if self.queries:
            verdicts.append("PASS" if max(self.queries) <= QUERY_LIMIT else "MISS")
        return "/".join(verdicts) or "-"


# -- measuring in-process ---------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def timed(
    name: str, call: Callable[[], object], counter: Statements, repeat: int, warmup: int = 15,
    before: Callable[[], object] | None = None,
) -> Figure:
    """Median and p95 server time of `call` over `repeat` runs after `warmup`, in ms;
    `before()` (not timed) before each. The warm-up is the steady state a worker serves in:
    psycopg prepares a statement on its 6th run on a connection (a round trip more, once),
    PostgreSQL still plans a prepared statement anew on each of its first 5 runs and only
    then keeps to one plan (the home page: 5.0, then 4.4, then 3.3 ms from its 12th view),
    and the pool hands its connections out in turn."""
    for _ in range(warmup):
        if before is not None:
            before()
        call()
    times, seen = [], set()
    for _ in range(repeat):
        if before is not None:
            before()
        counter.clear()
        started = time.perf_counter()
        call()
        times.append(1000 * (time.perf_counter() - started))
        seen.add(counter.count)
    return Figure(name, statistics.median(times), percentile(times, 0.95), sorted(seen))


def expect(status: int, response) -> None:  # noqa: ANN001 - a test client response
    if response.status_code != status:
        raise SystemExit(f"{response.request.method} {response.request.path}: "
                         f"HTTP {response.status_code}, expected {status}")


def token(client: FlaskClient, path: str) -> str:
    match = TOKEN.search(client.get(path).get_data(as_text=True))
    if match is None:
        raise SystemExit(f"no CSRF token on {path}")
    return match.group(1)


def sign_in(client: FlaskClient, username: str) -> None:
    data = {"username": username, "password": PASSWORD, "csrf_token": token(client, "/login")}
    expect(302, client.post("/login", data=data))


def ldap_config(slapd: Slapd) -> dict[str, object]:
    return {
        "LDAP_URL": slapd.url, "LDAP_BIND_DN": DEFAULT_SERVICE_DN,
        "LDAP_BIND_PASSWORD": DEFAULT_SERVICE_PASSWORD, "LDAP_USER_BASE": STAFF_BASE,
        "LDAP_HEAD_GROUP": HEADS_GROUP, "LDAP_ADMIN_GROUP": ADMINS_GROUP,
        # Sign-in is measured many times; only failures count towards these limits anyway.
        "RATELIMIT_ENABLED": False,
    }


def page(client: FlaskClient, path: str) -> Callable[[], None]:
    return lambda: expect(200, client.get(path))


def worked_out(app: Flask, client: FlaskClient, path: str) -> Callable[[], None]:
    """The page as the first request after a write finds it: the figures the worker keeps
    per figures version (intranet/compliance/memo.py) forgotten before each run."""
    def call() -> None:
        memo = app.extensions.get(MEMO)
        if memo is not None:
            memo.clear()
        expect(200, client.get(path))

    return call


def past_month(app: Flask) -> str:
    with app.app_context():  # the month is local time, in the app's time zone
        return current_month().back(PAST_MONTHS_BACK + 1)[0].iso


def serving(app: Flask) -> Flask:
    """The app as wsgi.py leaves it for a worker (intranet/serving.py): what is loaded by now
    frozen out of the garbage collector's passes, its full passes made rarer."""
    settle_worker()
    return app


def compliance_figures(app: Flask, repeat: int, suffix: str = "") -> list[Figure]:
    counter = Statements(app)
    admin = app.test_client()
    sign_in(admin, ADMIN)
    return [
        timed(f"/compliance current month{suffix}", page(admin, "/compliance"), counter, repeat),
        timed(f"/compliance past month{suffix}",
              page(admin, f"/compliance?month={past_month(app)}"), counter, repeat),
    ]


def pages(app: Flask, repeat: int, suffix: str = "") -> list[Figure]:
    """The request figures on the big data set, each signed in as the role that uses it."""
    counter = Statements(app)
    employee, head, admin = app.test_client(), app.test_client(), app.test_client()
    for client, username in ((employee, EMPLOYEE), (head, HEAD), (admin, ADMIN)):
        sign_in(client, username)
    declaration = {"status": "level2_active", "activated_on": "15/03/2024", "committed": "y",
                   "csrf_token": token(employee, "/declaration")}

    def declare() -> None:
        expect(302, employee.post("/declaration", data=declaration))

    files = max(5, repeat // 3)
    return [
        timed("employee home /" + suffix, page(employee, "/"), counter, repeat),
        timed("POST /declaration" + suffix, declare, counter, repeat),
        timed("head's /unit (100 staff)" + suffix, page(head, "/unit"), counter, repeat),
        timed("head's /notices (queue)" + suffix, page(head, "/notices"), counter, repeat),
        timed("/staff/<id> (person page)" + suffix, page(head, f"/staff/{COLLEAGUE}"), counter,
              repeat),
        timed("head's /notices/awaiting (queue)" + suffix, page(head, "/notices/awaiting"),
              counter, repeat),
        timed("/notices/open (all units' queue)" + suffix, page(admin, "/notices/open"), counter,
              repeat),
        timed("/admin/reminders" + suffix, page(admin, "/admin/reminders/"), counter, repeat),
        *proposal_figures(app, admin, counter, repeat, suffix),
        *compliance_figures(app, repeat, suffix),
        timed("rendering only (same table)" + suffix, page(admin, RENDERING_ONLY), counter, repeat),
        timed("/compliance/trend (12 months)" + suffix, page(admin, "/compliance/trend"), counter,
              repeat),
        timed("/compliance/unit/<id> (100 staff)" + suffix, page(admin, "/compliance/unit/1"),
              counter, repeat),
        *(timed(f"{name}, figures worked out{suffix}", worked_out(app, admin, path), counter, repeat)
          for name, path in (("/compliance current month", "/compliance"),
                             ("/compliance past month", f"/compliance?month={past_month(app)}"),
                             ("/compliance/trend (12 months)", "/compliance/trend"),
                             ("/compliance/unit/<id> (100 staff)", "/compliance/unit/1"))),
        # The first view after the most common write, someone declaring now: months that
        # ended before it keep their figures (database/figures_dated.py).
        *(timed(f"{name}, after a declaration{suffix}", page(admin, path), counter, repeat,
                before=declare)
          for name, path in (("/compliance past month", f"/compliance?month={past_month(app)}"),
                             ("/compliance/trend (12 months)", "/compliance/trend"),
                             ("/compliance/unit/<id> (100 staff)", "/compliance/unit/1"))),
        timed("/compliance/report (printed)" + suffix, page(admin, "/compliance/report"), counter,
              repeat),
        timed("/compliance.xlsx" + suffix, page(admin, "/compliance.xlsx"), counter, files),
        timed("/compliance.csv" + suffix, page(admin, "/compliance.csv"), counter, files),
        timed("/compliance-missing.csv" + suffix, page(admin, "/compliance-missing.csv"), counter,
              files),
        *other_files(app, admin, counter, files, suffix),
    ]


def proposal_figures(app: Flask, admin: FlaskClient, counter: Statements, repeat: int,
                     suffix: str = "") -> list[Figure]:
    """Issue 16's pages: the rating meeting's summary for this month and this quarter (the
    admin's, whole sub-department; a year of 5,000 notices is scripts/bench_summary.py's), the
    explanation form of the latest standing notice about a staff member (signed in as them),
    and the admin's list of responses."""
    from intranet.models import Employee, Notice
    from intranet.notices.state import notice_stands

    with app.app_context():
        month = current_month()
        notice, username = db.session.execute(
            db.select(Notice.id, Employee.username).join(Employee, Employee.id == Notice.employee_id)
            .where(notice_stands(), Employee.active, ~Employee.is_head, ~Employee.is_admin)
            .order_by(Notice.recorded_at.desc(), Notice.id.desc()).limit(1)
        ).one()
    subject = app.test_client()
    sign_in(subject, username)
    quarter = f"quarter-{month.year}-{(month.month - 1) // 3 + 1}"
    return [
        timed("rating summary, this month" + suffix,
              page(admin, f"/appraisals/summary?period=month-{month.year}-{month.month}"), counter, repeat),
        timed("rating summary, this quarter" + suffix,
              page(admin, f"/appraisals/summary?period={quarter}"), counter, repeat),
        timed("explanation form" + suffix, page(subject, f"/notices/{notice}/explanation"), counter,
              repeat),
        timed("/admin/responses" + suffix, page(admin, "/admin/responses"), counter, repeat),
    ]


def other_files(app: Flask, admin: FlaskClient, counter: Statements, files: int,
                suffix: str = "") -> list[Figure]:
    """The other downloads, each ≤ 300 ms like the three above (issue 20)."""
    past = past_month(app)
    return [
        timed("/compliance-missing.csv?variant=vi (Excel in Vietnamese)" + suffix,
              page(admin, "/compliance-missing.csv?variant=vi"), counter, files),
        timed("/compliance.xlsx past month" + suffix, page(admin, f"/compliance.xlsx?month={past}"),
              counter, files),
        timed("/compliance/report.docx (Word)" + suffix, page(admin, "/compliance/report.docx"),
              counter, files),
        timed("/notices/imports/template.xlsx" + suffix, page(admin, "/notices/imports/template.xlsx"),
              counter, files),
    ]


def summary_file(database: Path, work: Path, repeat: int) -> Figure:
    """The rating summary's XLSX for the year, whole sub-department, on a copy of the data with
    a year of notices (scripts/bench_summary.py's, the page's own bench)."""
    copy = work / "summary-file.db"
    shutil.copyfile(database, copy)
    year = add_year_of_notices(copy)
    # As a worker runs it (wsgi.py): what is loaded by now out of the collector's full passes,
    # which otherwise took ~100 ms of the year's ~7,000 rows on the bench's heap.
    app = serving(bench_app(copy, RATELIMIT_ENABLED=False))
    with app.app_context():
        admin = db.session.scalar(select(Employee).where(Employee.username == ADMIN))
        session_id = f"{admin.id}:{admin.session_version}"
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = session_id, True
    figure = timed(SUMMARY_FILE, page(client, f"/appraisals/summary.xlsx?period=year-{year}"),
                   Statements(app), max(5, repeat // 3))
    with app.app_context():
        db.engine.dispose()
    copy.unlink()
    return figure


def on_postgresql(
    data: Path, slapd: Slapd, repeat: int, seconds: float | None, work: Path
) -> list[Figure]:
    """The same request figures with the data set copied into a PostgreSQL server started for
    the run (tests/support/pg_server.py: fsync off, so writes cost less than on a production
    server), its schema built by the migrations. The app reaches it over its Unix socket, as
    README's production does on one host; the smallest pages again over TCP, as from another
    host. Throughput under gunicorn too unless `seconds` is None."""
    from flask_migrate import upgrade

    with Postgres() as server:
        server.create_database("bench")
        url = server.socket_url("bench")
        app = bench_app(url, **ldap_config(slapd))
        with app.app_context():
            upgrade()
            db.engine.dispose()
        copy_to(data, url)
        visible = all_visible(url)
        print(f"all-visible pages after the load: {visible}", flush=True)
        add_rendering_only_page(app)
        figures = pages(serving(app), repeat, POSTGRESQL)
        figures.append(Figure("pages all-visible after the load" + POSTGRESQL,
                              unit="%", note=visible))
        figures.append(round_trip(url))
        with app.app_context():
            db.engine.dispose()
        figures += over_tcp(bench_app(server.url("bench"), **ldap_config(slapd)), repeat)
        if seconds is not None:
            figures += under_gunicorn(url, slapd, seconds, work, POSTGRESQL)
        # Last: it adds a year of notices to this copy.
        figures += [Figure(**f) for f in summary_figures_on(url, POSTGRESQL)]
    return figures


def over_tcp(app: Flask, repeat: int) -> list[Figure]:
    """The pages where a round trip weighs most, with PostgreSQL reached over loopback TCP."""
    counter = Statements(serving(app))
    employee, head = app.test_client(), app.test_client()
    sign_in(employee, EMPLOYEE)
    sign_in(head, HEAD)
    figures = [timed("employee home /" + OVER_TCP, page(employee, "/"), counter, repeat),
               timed("/staff/<id> (person page)" + OVER_TCP, page(head, f"/staff/{COLLEAGUE}"),
                     counter, repeat)]
    with app.app_context():
        db.engine.dispose()
    return figures


def round_trip(url: str, runs: int = 1000) -> Figure:
    """One round trip to the server, measured apart from any page: the empty statement of the
    pool's pre-ping, which every request sends before its own (one round trip each). The
    floor under PostgreSQL's time on the small pages, where SQLite answers inside the worker."""
    from sqlalchemy import create_engine

    engine = create_engine(url)
    try:
        connection = engine.raw_connection()
        connection.dbapi_connection.autocommit = True
        cursor = connection.dbapi_connection.cursor()
        times = []
        for n in range(100 + runs):  # the first 100 warm up
            started = time.perf_counter()
            cursor.execute(";")
            if n >= 100:
                times.append(1e6 * (time.perf_counter() - started))
        connection.close()
    finally:
        engine.dispose()
    return Figure("round trip (the pre-ping's empty statement)" + POSTGRESQL,
                  statistics.median(times), percentile(times, 0.95), unit="µs",
                  note=f"{len(times)} runs on one connection over the Unix socket")


def all_visible(url: str) -> str:
    """How much of each big table the visibility map marks all-visible (pg_class, as VACUUM
    left it): an index-only scan reads the table for every page that is not."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(text(
            "SELECT relname, relallvisible, relpages FROM pg_class "
            "WHERE relname IN ('employee', 'roster_entry', 'declaration', 'level2_change', 'unit') "
            "ORDER BY relname"
        )).all()
    engine.dispose()
    return ", ".join(f"{name} {visible}/{pages}" for name, visible, pages in rows)


def add_rendering_only_page(app: Flask) -> None:
    """A page of the app that renders /compliance's template from a table computed once
    beforehand: the same request (session, access check, transaction, layout) and the same
    rows, without the queries. Its endpoint is in the compliance blueprint's namespace, so
    it gets that blueprint's template context. Added before the app's first request."""
    with app.app_context():
        # What the table page passes its template (compliance/views.table), computed once,
        # its units named as the page names them while its figures are kept (every_unit()).
        table = unit_compliance(current_month(), Sort())
        rows = [UnitRow(row.unit and UnitLine(row.unit.id, row.unit.name, row.unit.active),
                        row.figures) for row in table.rows]
        context = {"table": ComplianceTable(table.month, rows), "sort": Sort(),
                   "sortable": SORTABLE}

    @read_only
    @admin_required
    def rendering_only() -> str:
        return render_template("compliance/table.html", **context)

    app.add_url_rule(RENDERING_ONLY, "compliance.bench_rendering_only", rendering_only)


def sign_ins(app: Flask, repeat: int) -> Figure:
    counter = Statements(app)
    clients = []

    def one() -> None:
        client = app.test_client()
        data = {"username": f"cb{1000 + len(clients):05d}", "password": PASSWORD,
                "csrf_token": token(client, "/login")}
        clients.append(client)
        counter.clear()
        started = time.perf_counter()
        expect(302, client.post("/login", data=data))
        times.append(1000 * (time.perf_counter() - started))
        seen.add(counter.count)

    times: list[float] = []
    seen: set[int] = set()
    for _ in range(3 + repeat):
        one()
    times = times[3:]
    return Figure("sign-in (POST /login)", statistics.median(times), percentile(times, 0.95),
                  note=f"{len(times)} sign-ins, SQL statements {sorted(seen)}")


def directory_sync(database: Path, slapd: Slapd, staff: int) -> list[Figure]:
    """A first sync into an empty database (every entry added), then a second (unchanged)."""
    from flask_migrate import upgrade

    app = bench_app(database, **ldap_config(slapd))
    figures = []
    with app.app_context():
        upgrade()
        for name in ("directory sync, first", "directory sync, again"):
            started = time.perf_counter()
            summary = sync_people(current_directory().people())
            db.session.commit()
            seconds = time.perf_counter() - started
            figures.append(Figure(name, seconds, seconds, unit="s",
                                  note=f"{staff} entries, one run: {summary.as_dict()}"))
            db.session.remove()
        db.engine.dispose()
    return figures


# -- under gunicorn ---------------------------------------------------------------------


def http_sign_in(session: requests.Session, base: str, username: str) -> None:
    login = session.get(f"{base}/login", timeout=HTTP_TIMEOUT)
    data = {"username": username, "password": PASSWORD,
            "csrf_token": TOKEN.search(login.text).group(1)}  # type: ignore[union-attr]
    response = session.post(f"{base}/login", data=data, allow_redirects=False, timeout=HTTP_TIMEOUT)
    if response.status_code != 302:
        raise SystemExit(f"sign-in of {username} under gunicorn: HTTP {response.status_code}")


# wrk's script: each request carries the next signed-in client's cookies (round robin within
# each of wrk's threads); any answer but 200 is an error, as are wrk's socket errors.
WRK_SCRIPT = """
local cookies = {%s}
sent, errors = 0, 0  -- globals: done() reads each thread's errors with thread:get
local threads = {}
function setup(thread) table.insert(threads, thread) end
function request()
  sent = sent + 1
  return wrk.format("GET", nil, {["Cookie"] = cookies[(sent %% #cookies) + 1]})
end
function response(status, headers, body) if status ~= 200 then errors = errors + 1 end end
function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do bad = bad + thread:get("errors") end
  local e = summary.errors
  io.write(string.format("RESULT %%d %%d %%d %%d %%d %%d %%d\\n", summary.requests, summary.duration,
    bad, e.connect, e.read, e.write, e.timeout))
end
"""


def throughput(
    base: str, path: str, usernames: list[str], seconds: float, work: Path, suffix: str = ""
) -> Figure:
    """Requests per second of GET `path` by len(usernames) signed-in clients for `seconds`,
    sent by wrk (C, 2 threads, one connection per client): the load generator shares the
    machine's cores with the workers, and Python threads spent more of them than the app."""
    cookies = []
    for username in usernames:
        session = requests.Session()
        session.trust_env = False  # loopback only: no proxy from the environment
        http_sign_in(session, base, username)
        # One visit first, as a browser's: the page puts the CSRF token of its forms (sign-out,
        # language) in the session, and wrk, which keeps no cookies, would otherwise have the
        # app make and sign a new one on every request.
        session.get(base + path, allow_redirects=False, timeout=HTTP_TIMEOUT)
        cookies.append("; ".join(f"{c.name}={c.value}" for c in session.cookies))
    script = work / "wrk.lua"
    script.write_text(WRK_SCRIPT % ", ".join(json.dumps(c) for c in cookies))
    result = subprocess.run(
        ["wrk", "--threads", "2", "--connections", str(len(usernames)), "--duration", f"{seconds:g}s",
         "--timeout", f"{HTTP_TIMEOUT}s", "--script", str(script), base + path],
        capture_output=True, text=True, timeout=seconds + 2 * HTTP_TIMEOUT, check=True,
    )
    line = next(line for line in result.stdout.splitlines() if line.startswith("RESULT "))
    done, microseconds, bad, *socket_errors = map(int, line.split()[1:])
    elapsed = microseconds / 1e6
    rate = done / elapsed
    kinds = dict(zip(("connect", "read", "write", "timeout"), socket_errors))
    errors = bad + sum(kinds.values())
    return Figure(f"throughput GET {path}{suffix}", rate, rate, unit="req/s",
                  note=f"{len(usernames)} clients (wrk), 2 workers, {elapsed:.0f} s, "
                       f"{done} requests, {errors} errors"
                       + (f" ({bad} not HTTP 200)" if bad else "")
                       + "".join(f", {count} x {kind}" for kind, count in kinds.items() if count))


def worker_rss(master: int) -> list[float]:
    """VmRSS of each gunicorn worker (children of the master), in MB."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    sizes = []
    for pid in children:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(int(line.split()[1]) / 1024)
    return sizes


def under_gunicorn(
    database_url: str, slapd: Slapd, seconds: float, work: Path, suffix: str = ""
) -> list[Figure]:
    env = app_environment(database_url, slapd.url)
    server = AppServer(env, work / f"gunicorn{suffix.strip()}.log", workers=2)
    server.start()
    try:
        figures = [
            throughput(server.url, "/compliance", [ADMIN] * 20, seconds, work, suffix),
            throughput(server.url, "/", [f"cb{2000 + n:05d}" for n in range(20)], seconds, work,
                       suffix),
        ]
        sizes = worker_rss(server.process.pid)  # type: ignore[union-attr]
        figures.append(Figure("gunicorn worker RSS" + suffix, max(sizes), max(sizes), unit="MB",
                              note="workers: " + ", ".join(f"{s:.0f} MB" for s in sizes)))
    finally:
        server.stop()
    return figures


# -- the report -------------------------------------------------------------------------


def machine() -> dict[str, str]:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo
                if line.startswith("model name")), "?")
    memory = next(line.split(":", 1)[1].strip() for line in
                  Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
    import os

    return {"nproc": str(os.cpu_count()), "cpu": cpu, "ram": memory,
            "python": platform.python_version(), "sqlite": sqlite3.sqlite_version}


def ratio(name: str, numerator: Figure, denominator: Figure, note: str) -> Figure:
    median = numerator.median / denominator.median  # type: ignore[operator]
    p95 = numerator.p95 / denominator.p95  # type: ignore[operator]
    return Figure(name, median, p95, unit="x", note=note)


def table(figures: list[Figure]) -> str:
    lines = [f"{'figure':<42}{'median':>10}{'p95':>10}  {'unit':<6}{'SQL':>8}"
             f"{'target':>9}  verdict"]
    for f in figures:
        queries = ",".join(map(str, f.queries)) if f.queries else "-"
        target = f"{f.target:g}" if f.target is not None else "-"
        median = f"{f.median:.1f}" if f.median is not None else "-"
        p95 = f"{f.p95:.1f}" if f.p95 is not None else "-"
        lines.append(f"{f.name:<42}{median:>10}{p95:>10}  {f.unit:<6}{queries:>8}"
                     f"{target:>9}  {f.verdict}")
    return "\n".join(lines)


def markdown(results: dict) -> str:
    """The results as the Markdown table BENCHMARKS.md holds."""
    lines = ["| figure | median | p95 | SQL statements | target | verdict | note |",
             "| --- | ---: | ---: | ---: | ---: | --- | --- |"]
    for f in results["figures"]:
        unit = f["unit"]
        median = f"{f['median']:.1f} {unit}" if f["median"] is not None else "-"
        p95 = f"{f['p95']:.1f} {unit}" if f["p95"] is not None else "-"
        queries = ", ".join(map(str, f["queries"])) or "-"
        target = f"≤ {f['target']:g} {unit}" if f["target"] is not None else "-"
        if f["queries"]:
            sql = f"SQL ≤ {QUERY_LIMIT}"
            target = f"{target} ({sql})" if f["target"] is not None else sql
        lines.append(f"| {f['name']} | {median} | {p95} | {queries} | {target} | {f['verdict']} "
                     f"| {f['note']} |")
    return "\n".join(lines)


@contextmanager
def copy_of(database: Path, work: Path) -> Iterator[Path]:
    copy = work / database.name
    shutil.copyfile(database, copy)
    yield copy


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30, help="timed runs per figure (30)")
    parser.add_argument("--seconds", type=float, default=15.0, help="each throughput run (15)")
    parser.add_argument("--staff", type=int, default=20000)
    parser.add_argument("--units", type=int, default=200)
    parser.add_argument("--rebuild", action="store_true", help="rebuild the cached data sets")
    parser.add_argument("--skip-gunicorn", action="store_true", help="in-process figures only")
    parser.add_argument("--skip-postgresql", action="store_true",
                        help="not the request figures again on a PostgreSQL copy of the data")
    parser.add_argument("--markdown", action="store_true",
                        help="print the last results (.bench/results.json) as Markdown, and stop")
    args = parser.parse_args(argv)
    if args.markdown:
        print(markdown(json.loads((BENCH / "results.json").read_text())))
        return 0

    big, big_ldif = build(args.staff, args.units, args.rebuild)
    # 1,000 staff in as many units (the ratio: what more staff costs, the page the same size),
    # and in 20 units (the SQL statement count must not depend on the number of units).
    small_sets = {"(1,000 staff)": build(1000, args.units, args.rebuild),
                  "(1,000 staff, 20 units)": build(1000, 20, args.rebuild)}
    print(f"data: {counts(big)}", flush=True)
    figures: list[Figure] = []
    small_figures: dict[str, list[Figure]] = {}
    with tempfile.TemporaryDirectory(prefix="intranet-bench-") as temporary:
        work = Path(temporary)
        for n, (label, (small, small_ldif)) in enumerate(small_sets.items()):
            with Slapd(small_ldif, work / f"slapd-small-{n}") as slapd, \
                    copy_of(small, work) as database:
                app = serving(bench_app(database, **ldap_config(slapd)))
                small_figures[label] = compliance_figures(app, args.repeat, f" {label}")
                with app.app_context():
                    db.engine.dispose()
        print("small data sets measured", flush=True)
        with Slapd(big_ldif, work / "slapd-big", startup_timeout=60) as slapd:
            with copy_of(big, work) as database:
                app = bench_app(database, **ldap_config(slapd))
                add_rendering_only_page(app)
                figures += pages(serving(app), args.repeat)
                figures.append(sign_ins(app, args.repeat))
                with app.app_context():
                    db.engine.dispose()
                print("in-process figures measured", flush=True)
                figures += [Figure(**f) for f in import_figures(database, work)]
                print("import figures measured", flush=True)
                figures += [Figure(**f) for f in summary_figures(database, work)]
                figures.append(summary_file(database, work, args.repeat))
                print("rating summary measured", flush=True)
                if not args.skip_gunicorn:
                    figures += under_gunicorn(f"sqlite:///{database}", slapd, args.seconds, work)
            if not args.skip_postgresql:
                figures += on_postgresql(big, slapd, args.repeat,
                                         None if args.skip_gunicorn else args.seconds, work)
                print("PostgreSQL figures measured", flush=True)
            figures += directory_sync(work / "sync.db", slapd, args.staff)
        figures += [Figure(name, value, value, unit=unit, note=note)
                    for name, value, unit, note in reminder_figures(work)]
        print("reminder figures measured", flush=True)
    by_name = {f.name: f for f in figures}
    current = by_name["/compliance current month"]
    same_units, few_units = small_figures.values()
    figures += same_units + few_units
    figures.append(ratio("ratio 20,000 / 1,000 staff", current, same_units[0],
                         f"/compliance current month, {args.units} units in both"))
    figures.append(ratio("ratio /compliance / rendering only", current,
                         by_name["rendering only (same table)"], "current month, 200 units"))
    if not args.skip_postgresql:
        figures.append(ratio("ratio /compliance / rendering only" + POSTGRESQL,
                             by_name["/compliance current month" + POSTGRESQL],
                             by_name["rendering only (same table)" + POSTGRESQL],
                             "current month, 200 units"))
    if not args.skip_postgresql:
        for figure in list(figures):
            twin = by_name.get(figure.name + POSTGRESQL)
            if figure.unit == "ms" and twin is not None:
                figures.append(ratio(f"ratio PostgreSQL / SQLite, {figure.name}", twin, figure,
                                     f"target ≤ {PG_RATIO:g}; PostgreSQL "
                                     f"{twin.median - figure.median:+.1f} ms (median)"))
            if figure.unit == "req/s" and twin is not None:  # time per request, as above
                figures.append(ratio(f"ratio PostgreSQL / SQLite, {figure.name}", figure, twin,
                                     f"SQLite's rate / PostgreSQL's, target ≤ {PG_RATIO:g}"))
            twin = by_name.get(figure.name + OVER_TCP)
            if figure.unit == "ms" and twin is not None:
                figures.append(ratio(f"ratio PostgreSQL over TCP / SQLite, {figure.name}", twin,
                                     figure, "another host's connection, for comparison"))
    same = (few_units[0].queries == current.queries
            and few_units[1].queries == by_name["/compliance past month"].queries)
    print(table(figures))
    print(f"SQL statements per /compliance the same at {args.units} and 20 units: {same}")
    print("machine: " + ", ".join(f"{k} {v}" for k, v in machine().items()))
    results = {"machine": machine(), "repeat": args.repeat, "seconds": args.seconds,
               "data": counts(big), "queries_same_at_both_sizes": same,
               "figures": [{**asdict(f), "target": f.target, "verdict": f.verdict}
                           for f in figures]}
    BENCH.mkdir(exist_ok=True)
    (BENCH / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=2))
    print(f"written to {BENCH / 'results.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
