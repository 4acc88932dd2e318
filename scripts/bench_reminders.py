"""`make bench`'s reminder figures: 20,000 staff, 8,000 of them not on level 2, mailed by
`flask reminders send` to a local SMTP server (aiosmtpd, discarding, offering PIPELINING),
all on 127.0.0.1.

Measured from outside, as the timer runs it: the command's wall time (start-up included),
its peak memory, then a second run that must send nothing. Run alone with
`.venv/bin/python -m scripts.bench_reminders`; scripts/bench.py calls reminder_figures().
"""
from __future__ import annotations

import os
import random
import smtplib
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, insert, select

from intranet.extensions import db
from intranet.models import Declaration, Employee, Unit, VneidStatus, utcnow
from intranet.reminders.models import ReminderSend, SendStatus
from intranet.vietnamese import name_sort_key, text_sort_key
from scripts.bench_data import ROOT, bench_app
from tests.support.process import free_port, spawn, stop, wait_until

STAFF, NOT_LEVEL2, UNITS = 20_000, 8_000, 200
SENT_FIGURE = "reminders: 8,000 of 20,000 staff mailed"
RSS_FIGURE = "reminders: sending process peak RSS"
# figure -> (target, unit, whether higher is better), in scripts/bench.py's TARGETS shape
TARGETS = {SENT_FIGURE: (60, "s", False), RSS_FIGURE: (250, "MB", False)}


def build(database: Path, staff: int = STAFF, missing: int = NOT_LEVEL2, units: int = UNITS) -> None:
    """A fresh database: `staff` people with an address, `missing` of them not on level 2
    (never declared, level 1, no account, or pending for two months), the rest on level 2."""
    rng = random.Random(18)
    app = bench_app(database)
    start = utcnow() - timedelta(days=400)
    with app.app_context():
        db.create_all()
        db.session.execute(insert(Unit), [
            {"id": i + 1, "name": f"Hạt Kiểm lâm số {i + 1}", "sort_key": text_sort_key(f"Hạt Kiểm lâm số {i + 1}"),
             "active": True, "created_at": start} for i in range(units)
        ])
        db.session.execute(insert(Employee), [
            {"id": n + 1, "username": f"cb{n:05d}", "directory_dn": f"uid=cb{n:05d},ou=staff",
             "full_name": f"Nguyễn Văn Bền {n}", "sort_key": name_sort_key(f"Nguyễn Văn Bền {n}"),
             "email": f"cb{n:05d}@rangers.test", "unit_id": n % units + 1, "is_head": False,
             "is_admin": False, "active": True, "session_version": 1, "created_at": start,
             "synced_at": start, "language": "en" if n % 10 == 0 else None}
            for n in range(staff)
        ])
        off_level2 = set(rng.sample(range(staff), missing))
        statuses = (None, VneidStatus.LEVEL1, VneidStatus.NONE, VneidStatus.LEVEL2_PENDING)
        declarations = []
        for n in range(staff):
            status = rng.choice(statuses) if n in off_level2 else VneidStatus.LEVEL2_ACTIVE
            if status is None:
                continue
            at = start + timedelta(days=rng.randint(0, 330))  # a pending one: over 60 days ago
            declarations.append({
                "employee_id": n + 1, "status": status, "committed": True, "declared_at": at,
                "activated_on": at.date() if status == VneidStatus.LEVEL2_ACTIVE else None,
            })
        declarations.sort(key=lambda row: row["declared_at"])
        db.session.execute(insert(Declaration), declarations)
        db.session.commit()
        db.engine.dispose()


def smtp_sink(port: int, log: Path) -> subprocess.Popen:
    """aiosmtpd in a process of its own, accepting and discarding every message, offering
    PIPELINING as production servers do (scripts/bench_smtp_sink.py)."""
    sink = spawn(
        [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}", "-c", "scripts.bench_smtp_sink.Sink"],
        log, cwd=ROOT,
    )
    if wait_until(lambda: _answers(port), sink, 20, interval=0.1):
        return sink
    stop(sink)
    raise RuntimeError(f"aiosmtpd did not start: {log.read_text()}")


def _answers(port: int) -> bool:
    try:
        smtplib.SMTP("127.0.0.1", port, timeout=2).quit()
        return True
    except OSError:
        return False


def send_once(database: Path, port: int) -> tuple[float, float, float, str]:
    """Seconds, CPU seconds, peak RSS (MB) and output of one `flask reminders send --only staff`."""
    env = {
        **os.environ, "FLASK_APP": "wsgi", "DATABASE_URL": f"sqlite:///{database}",
        "SECRET_KEY": "bench-secret", "LDAP_URL": "", "REMINDERS_ENABLED": "1",
        "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(port), "MAIL_FROM": "Chi cục Kiểm lâm <intranet@rangers.test>",
        "APP_BASE_URL": "https://intranet.rangers.test",
    }
    peak = database.with_suffix(".peak")
    started = time.monotonic()
    process = subprocess.Popen(
        # Its own peak, not ru_maxrss: see scripts/peak_rss.py.
        [sys.executable, "-m", "scripts.peak_rss", str(peak), "flask", "reminders", "send", "--only", "staff"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    output = process.stdout.read().decode() if process.stdout else ""
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.monotonic() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"reminders send failed:\n{output}")
    cpu = usage.ru_utime + usage.ru_stime
    return elapsed, cpu, int(peak.read_text()) / 1024, output  # VmHWM is in KiB


def sent(database: Path) -> int:
    app = bench_app(database)
    with app.app_context():
        count = db.session.scalar(select(func.count()).where(ReminderSend.status == SendStatus.SENT))
        db.engine.dispose()
    return int(count or 0)


def reminder_figures(work: Path) -> list[tuple[str, float, str, str]]:
    """(name, value, unit, note) for each figure; raises if a message is missing or doubled."""
    database = work / "reminders.db"
    build(database)
    port = free_port()
    sink = smtp_sink(port, work / "aiosmtpd.log")
    try:
        first, cpu, rss, output = send_once(database, port)
        again, _cpu, rss_again, output_again = send_once(database, port)
    finally:
        sink.terminate()
        _pid, _status, server = os.wait4(sink.pid, 0)
    # The wall time depends on how busy the machine is (the two processes answer each other
    # in turn); the CPU seconds of each side do not, and their sum is the wall time's floor.
    server_cpu = server.ru_utime + server.ru_stime
    load = os.getloadavg()[0]
    delivered = sent(database)
    if delivered != NOT_LEVEL2 or f"đã gửi 0, đã gửi trước đó {NOT_LEVEL2}" not in output_again:
        raise RuntimeError(f"expected {NOT_LEVEL2} sent once: {delivered}\n{output}\n{output_again}")
    return [
        (SENT_FIGURE, first, "s", f"{NOT_LEVEL2 / first:.0f} messages/s, start-up included; CPU: "
                                  f"sender {cpu:.1f} s, SMTP server {server_cpu:.1f} s (both runs); "
                                  f"load average {load:.1f}; second run sent none in {again:.1f} s"),
        (RSS_FIGURE, max(rss, rss_again), "MB", "the whole `flask reminders send` process"),
    ]


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="intranet-bench-reminders-") as temporary:
        for name, value, unit, note in reminder_figures(Path(temporary)):
            target = TARGETS[name][0]
            verdict = "PASS" if value <= target else "MISS"
            print(f"{name:<42}{value:>10.1f} {unit:<3} target {target} {verdict}  {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
