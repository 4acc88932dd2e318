"""`make deploy-check`: the shipped deployment, started on loopback, walked through as staff would.

Starts the production stack (scripts/production_stack.py: slapd, PostgreSQL, Redis, two
gunicorn instances with deploy/gunicorn.conf.py, Debian's nginx with the shipped site and a
certificate made here), then checks through nginx, from a client on 127.0.0.2:

  - HTTP is sent to HTTPS; HTTPS answers with HSTS once, no version banner;
  - a member of staff signs in (cookie Secure and HttpOnly) and declares; the audit log,
    read by an admin, shows the client's address (not the proxy's, not a forged one);
  - static files come from nginx (a year's cache; no app server saw the request);
  - the 6th wrong password for a username is refused whichever instance answers;
  - a session signed out on one instance is refused on the other;
  - request bodies over the limit are refused (by the app just over, by nginx far over);
  - each instance reloaded (SIGHUP, an upgrade) while staff keep working: nothing fails;
  - each instance stopped and started again (an outage): no GET fails (nginx retries them),
    every accepted declaration is in the database (a POST in flight may get the error page);
  - with both instances down, nginx answers with a page in Vietnamese;
  - deploy/intranet-backup dumps the database; the dump restores into a new database
    with the same rows.

Exits 1 if any check fails; prints one line per check.
"""
from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import redis
import requests
from requests.adapters import HTTPAdapter

from scripts.load import DECLARATIONS, Account, accounts
from scripts.production_stack import APP_ROLE, ProductionStack
from tests.support.backup import run_backup

ROOT = Path(__file__).resolve().parent.parent

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
STYLESHEET = re.compile(r'href="(/static/css/app\.css\?v=[0-9a-f]+)"')
CLIENT_ADDRESS = "127.0.0.2"  # the staff member's machine, as nginx sees it
ADMIN_ADDRESS = "127.0.0.3"
FORGED_ADDRESS = "203.0.113.9"  # what a client claims in X-Forwarded-For: never believed
TIMEOUT = 30
UNAVAILABLE_TEXT = "Vui lòng gửi lại"  # static/errors/unavailable.html, nginx's 502/504 page


class SourceAddressAdapter(HTTPAdapter):
    """Connections from a chosen loopback address, so the client is not the proxy's 127.0.0.1."""

    def __init__(self, source: str) -> None:
        self.source = source
        super().__init__()

    def init_poolmanager(self, *args: object, **kwargs: object) -> None:
        kwargs["source_address"] = (self.source, 0)
        super().init_poolmanager(*args, **kwargs)  # type: ignore[arg-type]


class Browser:
    """A staff member's browser: its own address, trusting only the check's certificate."""

    def __init__(self, base_url: str, cert: Path, source: str = CLIENT_ADDRESS) -> None:
        self.base_url = base_url
        self.session = requests.Session()
        self.session.trust_env = False
        self.session.verify = str(cert)
        adapter = SourceAddressAdapter(source)
        self.session.mount("https://", adapter)
        self.session.mount("http://", adapter)

    def get(self, path: str, **kwargs: object) -> requests.Response:
        return self.session.get(
            self.base_url + path, allow_redirects=False, timeout=TIMEOUT, **kwargs
        )

    def post(
        self,
        path: str,
        data: dict[str, str],
        headers: dict[str, str] | None = None,
        **kwargs: object,
    ) -> requests.Response:
        # A browser sends the form's page as Referer (same-origin policy): HTTPS forms need it.
        headers = {"Referer": self.base_url + path, **(headers or {})}
        return self.session.post(
            self.base_url + path,
            data=data,
            headers=headers,
            allow_redirects=False,
            timeout=TIMEOUT,
            **kwargs,
        )

    def token(self, path: str) -> str:
        page = self.get(path)
        match = TOKEN.search(page.text)
        if match is None:
            raise CheckFailed(f"no form token on {path} (HTTP {page.status_code})")
        return match.group(1)

    def sign_in(self, account: Account, password: str | None = None) -> requests.Response:
        return self.post(
            "/login",
            {
                "username": account.username,
                "password": account.password if password is None else password,
                "csrf_token": self.token("/login"),
            },
        )


class CheckFailed(Exception):
    """A step could not even be taken."""


@dataclass
class Results:
    lines: list[tuple[bool, str]] = field(default_factory=list)

    def expect(self, ok: bool, what: str, detail: object = "") -> bool:
        self.lines.append((ok, what))
        print(
            f"{'ok  ' if ok else 'FAIL'} {what}" + ("" if ok or detail == "" else f": {detail}"),
            flush=True,
        )
        return ok

    @property
    def failed(self) -> int:
        return sum(1 for ok, _ in self.lines if not ok)


# -- the journey ----------------------------------------------------------------


def check_site_in_debian_nginx_conf(stack: ProductionStack, r: Results) -> None:
    """The rendered site inside Debian's own nginx.conf, where an operator enables it."""
    main = Path("/etc/nginx/nginx.conf").read_text(encoding="utf-8")
    enabled = "include /etc/nginx/sites-enabled/*;"
    conf = stack.work / "debian-nginx.conf"
    conf.write_text(main.replace(enabled, f"include {stack.site};"), encoding="utf-8")
    result = subprocess.run(
        ["nginx", "-t", "-c", str(conf)], capture_output=True, text=True, timeout=30
    )
    r.expect(
        enabled in main and result.returncode == 0,
        "the site passes nginx -t inside Debian's /etc/nginx/nginx.conf",
        result.stderr[-1000:],
    )


def check_tls_and_headers(stack: ProductionStack, r: Results) -> None:
    plain = Browser(stack.http_url, stack.cert).get("/login")
    r.expect(
        plain.status_code == 301 and plain.headers.get("Location", "").startswith("https://"),
        "plain HTTP is redirected to HTTPS",
        f"{plain.status_code} {plain.headers.get('Location')}",
    )
    page = Browser(stack.https_url, stack.cert).get("/login")
    hsts = page.raw.headers.getlist("Strict-Transport-Security")
    r.expect(
        page.status_code == 200 and hsts == ["max-age=31536000"],
        "HTTPS sign-in page, with one HSTS header",
        f"{page.status_code} {hsts}",
    )
    r.expect(page.headers.get("Server") == "nginx", "no version banner", page.headers.get("Server"))
    health = Browser(stack.https_url, stack.cert).get("/healthz")
    r.expect(
        health.status_code == 200
        and health.json()
        == {"status": "ok", "database": "ok", "directory": "ok", "rate_limits": "ok"},
        "/healthz through nginx: database, directory and Redis answer",
        health.text[:200],
    )


def check_sign_in_and_declare(
    stack: ProductionStack, staff: Account, admin: Account, r: Results
) -> None:
    browser = Browser(stack.https_url, stack.cert)
    signed_in = browser.sign_in(staff)
    cookie = signed_in.headers.get("Set-Cookie", "")
    r.expect(
        signed_in.status_code == 302, "staff member signs in over HTTPS", signed_in.status_code
    )
    r.expect(
        "Secure" in cookie and "HttpOnly" in cookie, "session cookie is Secure and HttpOnly", cookie
    )
    home = browser.get("/")
    r.expect(
        home.status_code == 200 and home.headers.get("Cache-Control") == "no-store",
        "home page, not cached",
        f"{home.status_code} {home.headers.get('Cache-Control')}",
    )
    hsts = home.raw.headers.getlist("Strict-Transport-Security")
    r.expect(hsts == ["max-age=31536000"], "the app's pages carry HSTS once", hsts)
    declared = browser.post(
        "/declaration",
        {**DECLARATIONS[0], "csrf_token": browser.token("/declaration")},
        headers={"X-Forwarded-For": FORGED_ADDRESS},
    )
    r.expect(declared.status_code == 302, "declaration accepted", declared.status_code)
    stored = stack.scalar(
        "SELECT a.address FROM audit_event a JOIN employee e ON e.id = a.actor_id "
        f"WHERE a.action = 'declaration.create' AND e.username = '{staff.username}' "
        "ORDER BY a.id DESC LIMIT 1"
    )
    r.expect(stored == CLIENT_ADDRESS, "the audit row holds the client's address", stored)

    admin_browser = Browser(stack.https_url, stack.cert, source=ADMIN_ADDRESS)
    r.expect(admin_browser.sign_in(admin).status_code == 302, "admin signs in")
    log = admin_browser.get("/admin/audit", params={"action": "declaration.create"})
    r.expect(
        log.status_code == 200 and CLIENT_ADDRESS in log.text and FORGED_ADDRESS not in log.text,
        "the audit log page shows the client's address, not a forged one",
        log.status_code,
    )

    stylesheet = STYLESHEET.search(home.text)
    if not r.expect(stylesheet is not None, "the page links a versioned stylesheet"):
        return
    assert stylesheet is not None
    css = browser.get(stylesheet.group(1))
    on_disk = (ROOT / "static" / "css" / "app.css").read_bytes()
    r.expect(
        css.status_code == 200 and css.content == on_disk,
        "the stylesheet is served",
        css.status_code,
    )
    r.expect(
        "immutable" in css.headers.get("Cache-Control", ""),
        "static files: a year's cache",
        css.headers.get("Cache-Control"),
    )
    seen_by_app = sum(stack.gunicorn_log(n).count("/static/") for n in range(len(stack.instances)))
    r.expect(seen_by_app == 0, "static files come from nginx, no app server saw them", seen_by_app)


def check_shared_limit(stack: ProductionStack, target: Account, r: Results) -> None:
    browser = Browser(stack.https_url, stack.cert)
    token = browser.token("/login")
    before = [_failed_sign_ins(stack, n) for n in range(len(stack.instances))]
    # Five wrong passwords with one form token: nginx alternates the POSTs between instances.
    answers = [
        browser.post(
            "/login", {"username": target.username, "password": "sai-mat-khau", "csrf_token": token}
        ).status_code
        for _ in range(5)
    ]
    r.expect(answers == [401] * 5, "five wrong passwords, each refused as wrong", answers)
    after = [_failed_sign_ins(stack, n) for n in range(len(stack.instances))]
    answered = [b - a for a, b in zip(before, after)]
    r.expect(all(count > 0 for count in answered), "both instances answered some of them", answered)
    sixth = browser.post(
        "/login", {"username": target.username, "password": target.password, "csrf_token": token}
    )
    r.expect(
        sixth.status_code == 429,
        "the 6th try, even the right password, is refused through nginx",
        sixth.status_code,
    )
    for n, instance in enumerate(stack.instances):
        status = _direct_sign_in(instance.url, target)
        r.expect(status == 429, f"... and by instance {n + 1} asked directly", status)
    # The per-address limit counts the client's address, not nginx's.
    keys = [
        key.decode()
        for key in redis.Redis.from_url(stack.env["RATELIMIT_STORAGE_URI"]).keys("*auth.login*")
    ]
    r.expect(
        any(f"/{CLIENT_ADDRESS}/" in key for key in keys)
        and not any("/127.0.0.1/" in key for key in keys),
        "the per-address sign-in limit counts the client's address",
        keys,
    )


def _failed_sign_ins(stack: ProductionStack, n: int) -> int:
    return len(re.findall(r'"POST /login HTTP/1\.[01]" 401', stack.gunicorn_log(n)))


def _direct_headers(cookie: str | None = None, form_url: str | None = None) -> dict[str, str]:
    """What nginx adds; the session cookie by hand (requests keeps Secure cookies off http),
    and for a form the page it came from, as a browser would (the app sees https)."""
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": CLIENT_ADDRESS}
    if cookie:
        headers["Cookie"] = f"session={cookie}"
    if form_url:
        headers["Referer"] = form_url.replace("http://", "https://", 1)
    return headers


def _direct_sign_in(base_url: str, account: Account) -> int:
    page = requests.get(base_url + "/login", headers=_direct_headers(), timeout=TIMEOUT)
    match = TOKEN.search(page.text)
    if match is None:
        return page.status_code
    response = requests.post(
        base_url + "/login",
        headers=_direct_headers(page.cookies.get("session"), base_url + "/login"),
        data={
            "username": account.username,
            "password": account.password,
            "csrf_token": match.group(1),
        },
        allow_redirects=False,
        timeout=TIMEOUT,
    )
    return response.status_code


def check_sign_out_everywhere(stack: ProductionStack, account: Account, r: Results) -> None:
    browser = Browser(stack.https_url, stack.cert)
    if not r.expect(browser.sign_in(account).status_code == 302, "another staff member signs in"):
        return
    cookie = browser.session.cookies.get("session")
    first, second = (instance.url for instance in stack.instances[:2])
    pages = [
        requests.get(
            url + "/", headers=_direct_headers(cookie), allow_redirects=False, timeout=TIMEOUT
        )
        for url in (first, second)
    ]
    r.expect(
        [p.status_code for p in pages] == [200, 200],
        "the session works on both instances",
        [p.status_code for p in pages],
    )
    # The page may have added a form token to the session: use the cookie that carries it.
    cookie = pages[0].cookies.get("session") or cookie
    token = TOKEN.search(pages[0].text)
    out = requests.post(
        first + "/logout",
        headers=_direct_headers(cookie, first + "/"),
        data={"csrf_token": token.group(1) if token else ""},
        allow_redirects=False,
        timeout=TIMEOUT,
    )
    r.expect(out.status_code == 302, "signed out on instance 1", out.status_code)
    replay = requests.get(
        second + "/", headers=_direct_headers(cookie), allow_redirects=False, timeout=TIMEOUT
    )
    r.expect(
        replay.status_code == 302 and "/login" in replay.headers.get("Location", ""),
        "the old cookie is refused by instance 2",
        replay.status_code,
    )
    through_nginx = [browser.get("/").status_code for _ in range(4)]
    r.expect(
        through_nginx == [302] * 4,
        "... and through nginx, whichever instance answers",
        through_nginx,
    )


def check_body_limits(stack: ProductionStack, r: Results) -> None:
    browser = Browser(stack.https_url, stack.cert)
    token = browser.token("/login")
    just_over = browser.post(
        "/login", {"username": "x", "password": "y" * (1536 * 1024), "csrf_token": token}
    )
    r.expect(
        just_over.status_code == 413 and "Dữ liệu quá lớn" in just_over.text,
        "a body just over 1 MiB: the app's page, in Vietnamese",
        just_over.status_code,
    )
    try:
        far_over = browser.post(
            "/login", {"username": "x", "password": "y" * (3 * 1024 * 1024), "csrf_token": token}
        ).status_code
    except requests.ConnectionError:
        far_over = "connection closed while sending"  # nginx answered 413 and hung up
    r.expect(
        far_over in (413, "connection closed while sending"),
        "a body over nginx's limit is stopped by nginx",
        far_over,
    )
    app_413s = sum(
        len(re.findall(r'"POST /login HTTP/1\.[01]" 413', stack.gunicorn_log(n)))
        for n in range(len(stack.instances))
    )
    r.expect(app_413s == 1, "... before any app server saw it", f"{app_413s} seen by the app")


# -- staff at work while the instances restart ------------------------------------


@dataclass
class Work:
    lock: threading.Lock = field(default_factory=threading.Lock)
    failures: Counter[str] = field(default_factory=Counter)
    requests: Counter[str] = field(default_factory=Counter)
    accepted: Counter[str] = field(default_factory=Counter)  # username -> declarations accepted


def staff_at_work(
    stack: ProductionStack, account: Account, work: Work, stop: threading.Event
) -> None:
    """Home page, declaration form, a declaration; again and again until `stop`."""
    browser = Browser(stack.https_url, stack.cert)
    if browser.sign_in(account).status_code != 302:
        with work.lock:
            work.failures["sign-in before the run"] += 1
        return
    n = 0
    while not stop.is_set():
        page_get(browser, "/", work)
        form = page_get(browser, "/declaration", work)
        match = TOKEN.search(form.text) if form is not None else None
        if match is None:
            continue
        data = {**DECLARATIONS[n % len(DECLARATIONS)], "csrf_token": match.group(1)}
        try:
            status: int | str = browser.post("/declaration", data).status_code
        except requests.RequestException as error:
            status = type(error).__name__
        with work.lock:
            work.requests["POST /declaration"] += 1
            if status == 302:
                work.accepted[account.username] += 1
            else:
                work.failures[f"POST /declaration {status}"] += 1
        n += 1


def page_get(browser: Browser, path: str, work: Work) -> requests.Response | None:
    """GET `path`; the response if it is the page (200), counted as a failure otherwise."""
    try:
        response = browser.get(path)
        failure = None if response.status_code == 200 else str(response.status_code)
    except requests.RequestException as error:
        response, failure = None, type(error).__name__
    with work.lock:
        work.requests[f"GET {path}"] += 1
        if failure:
            work.failures[f"GET {path} {failure}"] += 1
    return None if failure else response


def check_rolling_restart(
    stack: ProductionStack, staff: list[Account], seconds: float, r: Results
) -> None:
    def declarations() -> Counter[str]:
        with stack.database() as conn:
            rows = conn.execute(
                "SELECT e.username, count(*) FROM declaration d "
                "JOIN employee e ON e.id = d.employee_id GROUP BY e.username"
            ).fetchall()
        return Counter({username: count for username, count in rows})

    before = declarations()
    work, stop = Work(), threading.Event()
    threads = [
        threading.Thread(target=staff_at_work, args=(stack, a, work, stop), daemon=True)
        for a in staff
    ]
    for thread in threads:
        thread.start()
    step = seconds / 8
    events = []
    # An upgrade: `systemctl reload` (SIGHUP) on each instance. The listening socket stays
    # open while new workers replace the old ones, so nothing at all may fail here.
    for n, instance in enumerate(stack.instances[:2]):
        time.sleep(step)
        events.append(f"reload {n + 1}")
        instance.reload()
    time.sleep(step)
    with work.lock:
        during_reloads = dict(work.failures)
    # An outage: each instance stopped (SIGTERM, as `systemctl stop`), then started again.
    for n, instance in enumerate(stack.instances[:2]):
        time.sleep(step)
        events.append(f"stop {n + 1}")
        instance.stop()
        time.sleep(step)
        instance.start()
        events.append(f"start {n + 1}")
    time.sleep(step)
    stop.set()
    for thread in threads:
        thread.join(2 * TIMEOUT)
    r.expect(
        not during_reloads,
        "nothing failed while each instance reloaded its workers",
        during_reloads,
    )
    written = declarations() - before
    gets = {k: v for k, v in work.failures.items() if k.startswith("GET")}
    posts = {k: v for k, v in work.failures.items() if k.startswith("POST")}
    total = sum(work.requests.values())
    print(
        f"     {len(staff)} staff, {total} requests during: {', '.join(events)}; "
        f"{sum(work.accepted.values())} declarations accepted",
        flush=True,
    )
    r.expect(
        not gets and "sign-in before the run" not in work.failures,
        "no GET failed while each instance was stopped and started",
        dict(work.failures),
    )
    r.expect(
        work.requests["POST /declaration"] > 0 and sum(work.accepted.values()) > 0,
        "declarations were made during the restarts",
        dict(work.requests),
    )
    lost = {u: n for u, n in work.accepted.items() if written[u] < n}
    r.expect(not lost, "every accepted declaration is in the database", lost)
    # A POST already sent to an instance that then closed is not retried by nginx (it could
    # have been written): the person sees an error page and sends it again.
    print(
        f"     POSTs not accepted (shown an error, not retried by nginx): "
        f"{sum(posts.values())} {posts}",
        flush=True,
    )


def check_both_instances_down(stack: ProductionStack, r: Results) -> None:
    for instance in stack.instances:
        instance.stop()
    browser = Browser(stack.https_url, stack.cert)
    page = browser.get("/")
    r.expect(
        page.status_code == 502 and UNAVAILABLE_TEXT in page.text,
        "with no app server up, nginx answers with a page in Vietnamese",
        page.status_code,
    )
    css = browser.get("/static/css/app.css")
    r.expect(css.status_code == 200, "... and still serves static files", css.status_code)


# -- backup and restore -----------------------------------------------------------


def check_backup_and_restore(stack: ProductionStack, work_dir: Path, r: Results) -> None:
    backups = work_dir / "backups"
    env = {**stack.env, "BACKUP_DIR": str(backups), "APP_DIR": str(ROOT)}
    result = run_backup(env, timeout=300)
    dumps = sorted(backups.glob("intranet-*.dump"))
    if not r.expect(
        result.returncode == 0 and len(dumps) == 1,
        "deploy/intranet-backup dumps the database",
        result.stdout + result.stderr,
    ):
        return
    assert stack.postgres is not None
    with stack.database("postgres") as conn:
        conn.execute(f"CREATE DATABASE restored OWNER {APP_ROLE}")
    # The README's restore, as the postgres superuser: triggers off while rows go back in (the
    # roster and latest-status triggers would otherwise add rows the dump already holds).
    restore = subprocess.run(
        [
            "pg_restore",
            "--disable-triggers",
            "--single-transaction",
            "--exit-on-error",
            "--host",
            "127.0.0.1",
            "--port",
            str(stack.postgres.port),
            "--username",
            "postgres",
            "--dbname",
            "restored",
            str(dumps[0]),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if not r.expect(restore.returncode == 0, "pg_restore restores it", restore.stderr[-2000:]):
        return
    tables = [
        row[0]
        for row in stack.database()
        .execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        .fetchall()
    ]

    def counts(name: str) -> dict[str, int]:
        with stack.database(name) as conn:
            return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}

    original, restored = counts("intranet"), counts("restored")
    r.expect(
        original == restored and original.get("declaration", 0) > 0,
        f"the restored database has the same rows ({len(tables)} tables)",
        {t: (original[t], restored[t]) for t in tables if original[t] != restored[t]},
    )
    owner = stack.scalar(
        "SELECT tableowner FROM pg_tables WHERE tablename = 'declaration'", "restored"
    )
    r.expect(owner == APP_ROLE, "restored tables belong to the app's role", owner)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--seconds", type=float, default=30, help="length of the rolling-restart run (30)"
    )
    parser.add_argument("--clients", type=int, default=8, help="staff working during it (8)")
    parser.add_argument("--keep", action="store_true", help="keep the work directory (logs)")
    args = parser.parse_args(argv)
    people = accounts(40)
    heads = [a for a in people if a.is_head]
    staff = [a for a in people if not a.is_head]
    admin = heads[-1]  # the organisation department's head (scripts/load.py)
    results = Results()
    work_dir = Path(tempfile.mkdtemp(prefix="intranet-deploy-check-"))
    started = time.monotonic()
    try:
        with ProductionStack(work_dir, people) as stack:
            print(
                f"nginx {stack.https_url} -> gunicorn "
                f"{', '.join(s.address for s in stack.instances)}; work in {work_dir}",
                flush=True,
            )
            try:
                check_site_in_debian_nginx_conf(stack, results)
                check_tls_and_headers(stack, results)
                check_sign_in_and_declare(stack, staff[0], admin, results)
                check_shared_limit(stack, staff[1], results)
                check_sign_out_everywhere(stack, staff[2], results)
                check_body_limits(stack, results)
                check_rolling_restart(stack, staff[3 : 3 + args.clients], args.seconds, results)
                check_both_instances_down(stack, results)
                check_backup_and_restore(stack, work_dir, results)
            except (CheckFailed, requests.RequestException) as error:
                results.expect(False, "the journey could go on", error)
            if results.failed:
                for n in range(len(stack.instances)):
                    print(
                        f"--- gunicorn {n + 1} (last lines) ---\n{stack.instances[n].log_tail(20)}"
                    )
    finally:
        if args.keep or results.failed:
            print(f"work directory kept: {work_dir}")
        else:
            subprocess.run(["rm", "-rf", str(work_dir)], check=False)
    print(
        f"\n{len(results.lines) - results.failed}/{len(results.lines)} checks passed "
        f"in {time.monotonic() - started:.0f} s"
    )
    return 1 if results.failed else 0


if __name__ == "__main__":
    sys.exit(main())
