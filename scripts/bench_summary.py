"""The rating meeting's summary at province scale: a year of 5,000 notices among 20,000 staff.

`summary_figures(database, work)` (called by scripts/bench.py) copies the bench database,
adds 5,000 notices dated this year (one or two cases each; a third explained, half with a
standing proposal, some with points), and times the admin's page for the whole
sub-department and the year, in this process, as scripts/bench.py times the other pages.
Standalone:

    .venv/bin/python -m scripts.bench_summary --database .bench/intranet-20000-200.db
"""
from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import time
from datetime import datetime, timedelta
from pathlib import Path

NOTICES = 5000
REPEAT = 30
TARGETS = {"/appraisals/summary year, 5,000 notices": (200.0, "ms")}


def add_year_of_notices(database: Path, count: int = NOTICES, seed: int = 20261128) -> int:
    """The year's notices, with cases, explanations and proposals, in bulk; returns the year."""
    from sqlalchemy import insert, select

    from intranet.clock import local_today
    from intranet.explanations.models import Explanation
    from intranet.extensions import db
    from intranet.models import (
        Appraisal, AppraisalOutcome, Employee, IssuingBody, Notice, NoticeCase, appraisal_notice,
    )
    from scripts.bench_data import bench_app

    rng = random.Random(seed)
    app = bench_app(database)
    with app.app_context():
        today = local_today()
        start = datetime(today.year, 1, 1, 2)
        span = (datetime.combine(today, datetime.min.time()) - start).total_seconds()
        staff = db.session.execute(
            select(Employee.id, Employee.unit_id).where(Employee.active, Employee.unit_id.is_not(None))
        ).all()
        heads = dict(db.session.execute(select(Employee.unit_id, Employee.id).where(Employee.is_head)).all())
        body = db.session.scalar(select(IssuingBody.id))
        responses = db.session.scalars(select(AppraisalOutcome.id).where(AppraisalOutcome.active)).all()
        first = (db.session.scalar(select(db.func.max(Notice.id))) or 0) + 1
        first_appraisal = (db.session.scalar(select(db.func.max(Appraisal.id))) or 0) + 1
        notices, cases, explanations, appraisals, links = [], [], [], [], []
        for n in range(count):
            employee, unit = rng.choice(staff)
            recorded = start + timedelta(seconds=rng.uniform(0, span))
            notice_id = first + n
            notices.append({
                "id": notice_id, "employee_id": employee, "unit_id": unit, "issuing_body_id": body,
                "reference_number": f"{n + 1:05d}/TB-NAM", "notice_date": recorded.date(),
                "recorded_by_id": heads.get(unit, employee), "recorded_at": recorded, "route": "unit",
                "reply_due_on": recorded.date() + timedelta(days=7),
            })
            for position in range(1, rng.choice((1, 1, 2)) + 1):
                cases.append({
                    "notice_id": notice_id, "position": position, "procedure_name": "Đăng ký thường trú",
                    "dossier_code": f"Y-{notice_id}-{position}", "filed_on": recorded.date(),
                    "receiving_officer": "Trần Văn Nhận",
                })
            if rng.random() < 1 / 3:
                explanations.append({
                    "notice_id": notice_id, "employee_id": employee,
                    "text": "Cổng dịch vụ công không truy cập được hôm đó nên tôi nộp hồ sơ giấy.",
                    "submitted_at": recorded + timedelta(days=1),
                })
            if rng.random() < 0.5:
                appraisal_id = first_appraisal + len(appraisals)
                appraisals.append({
                    "id": appraisal_id, "employee_id": employee, "unit_id": unit, "period_kind": "month",
                    "period_year": recorded.year, "period_number": recorded.month,
                    "outcome_id": rng.choice(responses), "rationale": "Đã xem xét giải trình.",
                    "recorded_by_id": heads.get(unit, employee), "recorded_at": recorded + timedelta(days=2),
                })
                links.append({"appraisal_id": appraisal_id, "notice_id": notice_id})
        db.session.execute(insert(Notice), notices)
        db.session.execute(insert(NoticeCase), cases)
        db.session.execute(insert(Explanation), explanations)
        db.session.execute(insert(Appraisal), appraisals)
        db.session.execute(insert(appraisal_notice), links)
        db.session.commit()
        db.session.execute(db.text("ANALYZE"))
        db.session.commit()
        db.engine.dispose()
    return today.year


def run(database: Path, year: int, repeat: int = REPEAT) -> dict[str, object]:
    """The admin's year summary, whole sub-department: median and p95 in ms, after a warm-up."""
    from sqlalchemy import select

    from intranet.extensions import db
    from intranet.models import Employee
    from intranet.serving import settle_worker
    from scripts.bench_data import bench_app

    app = bench_app(database, RATELIMIT_ENABLED=False)
    with app.app_context():
        admin = db.session.scalar(select(Employee).where(Employee.is_admin.is_(True), Employee.active.is_(True)))
        session_id = f"{admin.id}:{admin.session_version}"
    settle_worker()  # as wsgi.py leaves a worker (and scripts/bench.py its apps)
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = session_id
        session["_fresh"] = True
    path = f"/appraisals/summary?period=year-{year}"
    times = []
    for n in range(repeat + 3):
        started = time.perf_counter()
        response = client.get(path)
        elapsed = 1000 * (time.perf_counter() - started)
        if response.status_code != 200:
            raise SystemExit(f"{path}: HTTP {response.status_code}")
        if n >= 3:
            times.append(elapsed)
    page = response.get_data(as_text=True)
    ordered = sorted(times)
    with app.app_context():
        db.engine.dispose()
    return {
        "median_ms": statistics.median(times), "p95_ms": ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))],
        "rows": page.count('<td class="prewrap">'), "page_kb": len(page.encode()) / 1024,
    }


def summary_figures(database: Path, work: Path, count: int = NOTICES) -> list[dict[str, object]]:
    """The figure, as a dict of scripts/bench.py's Figure fields."""
    copy = (work / "summary-bench.db").resolve()
    database = database.resolve()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{copy}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(database, copy)
    year = add_year_of_notices(copy, count)
    result = run(copy, year)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{copy}{suffix}").unlink(missing_ok=True)
    return [{
        "name": "/appraisals/summary year, 5,000 notices", "median": result["median_ms"], "p95": result["p95_ms"],
        "note": f"admin, whole sub-department; {result['rows']} notice rows, {result['page_kb']:.0f} KB page",
    }]


def summary_figures_on(url: str, suffix: str, count: int = NOTICES) -> list[dict[str, object]]:
    """The same figure on a database the caller owns and gives up (scripts/bench.py's
    PostgreSQL copy, once its other figures are measured): the year's notices are added to it,
    then vacuumed and analysed as autovacuum would leave them."""
    from sqlalchemy import create_engine, text

    year = add_year_of_notices(url, count)  # type: ignore[arg-type]  # bench_app takes a URL too
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("SET synchronous_commit = on"))  # see bench_data.copy_to
        connection.execute(text("VACUUM ANALYZE notice, notice_case, explanation, appraisal, appraisal_notice"))
    engine.dispose()
    result = run(url, year)  # type: ignore[arg-type]
    return [{
        "name": "/appraisals/summary year, 5,000 notices" + suffix, "median": result["median_ms"],
        "p95": result["p95_ms"],
        "note": f"admin, whole sub-department; {result['rows']} notice rows, {result['page_kb']:.0f} KB page",
    }]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", type=Path, required=True, help="a bench database (copied, not written)")
    parser.add_argument("--work", type=Path, default=Path(".bench"))
    parser.add_argument("--notices", type=int, default=NOTICES)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    figures = summary_figures(args.database, args.work, args.notices)
    for figure in figures:
        print(json.dumps(figure) if args.json else
              f"{figure['name']}: median {figure['median']:.1f} ms, p95 {figure['p95']:.1f} ms ({figure['note']})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
