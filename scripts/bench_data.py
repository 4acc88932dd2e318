"""`make bench-data`: a province-scale data set built through the app's own models.

Writes `.bench/intranet-<staff>-<units>-v<DATA_VERSION>.db` (migrated by Alembic, filled with
bulk inserts) and the matching `.bench/staff-<staff>-<units>.ldif` for a real slapd. Both are
cached; --rebuild makes them again. Deterministic (seeded), so two runs build the same figures.

    .venv/bin/python -m scripts.bench_data --staff 20000 --units 200
"""
from __future__ import annotations

import argparse
import random
import sys
import time
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import current_app

from sqlalchemy import create_engine, insert, select, text

from intranet import create_app
from intranet.extensions import db
from intranet.notices.routing import reply_due_on
from intranet.reminders.addresses import usable_address
from intranet.models import (
    Appraisal,
    AppraisalOutcome,
    Declaration,
    Employee,
    IssuingBody,
    Notice,
    NoticeCase,
    Unit,
    appraisal_notice,
    utcnow,
)
from intranet.vietnamese import name_sort_key, text_sort_key
from tests.support import ldif
from tests.support.ldif import STAFF_BASE

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / ".bench"
PASSWORD = "Bench-mat-khau-1"
HISTORY_MONTHS = 24
# Notices recorded in the last year have a reply deadline, those before it were recorded before
# deadlines existed: about half of them, and of the open ones most overdue.
DEADLINE_MONTHS = 12
# Part of the cached files' names: a change to what fill() builds makes the next run build
# the data sets again (2: reply deadlines).
DATA_VERSION = 2

FAMILY = (
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Trương", "Lương", "Tạ",
)
MIDDLE = (
    "Văn", "Thị", "Minh", "Đức", "Thanh", "Quang", "Ngọc", "Hữu", "Xuân", "Thu", "Hoài",
    "Công", "Kim", "Bảo", "Thành", "Quốc",
)
GIVEN = (
    "An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hùng", "Lan", "Mai", "Nam", "Phúc", "Sơn",
    "Tâm", "Yến", "Hương", "Huệ", "Khoa", "Long", "Nga", "Oanh", "Quyên", "Thảo", "Trí", "Tuấn",
    "Vy", "Ánh", "Đạt", "Ý", "Lộc", "Nhơn",
)
KINDS = ("Hạt Kiểm lâm", "Trạm Kiểm lâm", "Đội Kiểm lâm cơ động", "Trạm Bảo vệ rừng")
PLACES = (
    "An Lão", "Hoài Nhơn", "Hoài Ân", "Phù Mỹ", "Phù Cát", "Tây Sơn", "Vĩnh Thạnh", "Vân Canh",
    "Tuy Phước", "An Nhơn", "Quy Nhơn", "Đắk Pơ", "Kbang", "Mang Yang", "Chư Sê", "Chư Prông",
    "Ia Grai", "Đức Cơ", "Krông Pa", "Phú Thiện", "Ayun Pa", "Kông Chro", "Đak Đoa", "Chư Păh",
    "Ia Pa", "Chư Pưh", "Sơn Hòa", "Đồng Xuân", "Sông Hinh", "Tuy An", "Phú Hòa", "Đông Hòa",
    "Tây Hòa", "Sông Cầu", "Ba Tơ", "Minh Long", "Sơn Hà", "Sơn Tây", "Trà Bồng", "Nghĩa Hành",
    "Mộ Đức", "Đức Phổ", "Bình Sơn", "Lý Sơn", "Tư Nghĩa", "Khánh Vĩnh", "Khánh Sơn",
    "Cam Lâm", "Vạn Ninh", "Diên Khánh",
)
STATUS_PATHS = (
    ("none", "level1", "level2_pending", "level2_active"),
    ("level1", "level2_pending", "level2_active"),
    ("level1", "level1", "level2_pending"),
    ("none", "none", "level1"),
)
PROCEDURES = (
    ("Cấp giấy phép khai thác gỗ rừng trồng", "1.000047"),
    ("Phê duyệt phương án quản lý rừng bền vững", "1.000055"),
    ("Xác nhận bảng kê lâm sản", "1.000065"),
    ("Chuyển loại rừng", "1.007919"),
)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@dataclass(frozen=True)
class Person:
    number: int
    username: str
    full_name: str
    unit: int  # index into the unit names
    is_head: bool
    is_admin: bool


def unit_names(count: int) -> list[str]:
    names = [nfc(f"{kind} {place}") for place in PLACES for kind in KINDS]
    if count > len(names):
        names += [nfc(f"Tổ Kiểm lâm số {n}") for n in range(count - len(names))]
    return names[:count]


def people(staff: int, units: int) -> list[Person]:
    """`staff` people spread evenly over `units`; the first of each unit is its head, and the
    head of the first unit is the admin."""
    out = []
    for n in range(staff):
        unit, position = n % units, n // units
        name = nfc(f"{FAMILY[n * 7 % 20]} {MIDDLE[n // 20 % 16]} {GIVEN[n * 13 % 30]}")
        out.append(Person(n, f"cb{n:05d}", name, unit, position == 0, n == 0))
    return out


def paths(staff: int, units: int) -> tuple[Path, Path]:
    return (BENCH / f"intranet-{staff}-{units}-v{DATA_VERSION}.db",
            BENCH / f"staff-{staff}-{units}.ldif")


# -- the LDIF --------------------------------------------------------------------------


def directory_ldif(staff: list[Person], names: list[str]) -> str:
    password = ldif.ssha(PASSWORD, b"benchslt")  # one salt: 20,000 hashes of one password
    return ldif.directory_ldif(
        (ldif.DirectoryPerson(p.username, p.full_name, names[p.unit], password,
                              is_head=p.is_head, is_admin=p.is_admin) for p in staff),
        organisation="Bench directory",
        service_salt=b"svcsalt1",
    )


# -- the database ----------------------------------------------------------------------


def bench_app(database: Path | str, **config: object):
    """The app on a SQLite file (a Path) or on any SQLAlchemy URL."""
    url = f"sqlite:///{database}" if isinstance(database, Path) else database
    return create_app({
        "TESTING": True, "SECRET_KEY": "bench-secret", "LDAP_URL": "",
        "SQLALCHEMY_DATABASE_URI": url, **config,
    })


def copy_to(database: Path, url: str) -> None:
    """The rows of a built SQLite data set into the migrated, still empty database at `url`
    (PostgreSQL). Triggers are off while copying (session_replication_role): the rows are
    copies, each employee's latest status included. Then each id sequence moves past the
    copied ids, and VACUUM ANALYZE does what autovacuum would in time: the planner's
    statistics, and the visibility map that lets an index-only scan skip the table.

    Both commit synchronously. The bench's server runs with synchronous_commit=off, and
    VACUUM marks a page all-visible only once its rows' commit is known flushed to the WAL.
    For an asynchronous commit PostgreSQL keeps one LSN per 32 transaction ids, the newest
    of the group: ANALYZE's own asynchronous commits moved it past the flushed WAL, so the
    first tables VACUUM ANALYZE reached (unit, employee) were left unmarked, and every
    index-only scan of them went on reading the table."""
    source, target = create_engine(f"sqlite:///{database}"), create_engine(url)
    tables = db.metadata.sorted_tables
    with source.connect() as read, target.begin() as write:
        write.execute(text("SET LOCAL synchronous_commit = on"))
        write.execute(text("SET session_replication_role = replica"))
        write.execute(text("TRUNCATE " + ", ".join(table.name for table in tables)))
        for table in tables:
            rows = [dict(row._mapping) for row in read.execute(table.select())]
            for start in range(0, len(rows), 5000):
                write.execute(table.insert(), rows[start:start + 5000])
            if "id" in table.c and rows:
                write.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), max(id)) "
                    f"FROM {table.name}"
                ))
    with target.connect() as maintain:  # VACUUM runs outside a transaction
        maintain = maintain.execution_options(isolation_level="AUTOCOMMIT")
        maintain.execute(text("SET synchronous_commit = on"))
        maintain.execute(text("VACUUM ANALYZE"))
        # The load left ~100 MB of pages to write: written now, not by the checkpointer
        # while the first pages are timed (a load is not what a serving server is doing).
        maintain.execute(text("CHECKPOINT"))
    source.dispose()
    target.dispose()


def fill(staff: list[Person], names: list[str], scale: float, rng: random.Random) -> None:
    """Units, staff, declaration history, notices with cases, decisions: bulk inserts."""
    now = utcnow()
    start = now - timedelta(days=HISTORY_MONTHS * 30 + 20)
    span = (now - start).total_seconds()

    def moment(low: float = 0.0, high: float = 1.0) -> datetime:
        return start + timedelta(seconds=span * rng.uniform(low, high))

    db.session.execute(insert(Unit), [
        {"id": i + 1, "name": name, "sort_key": text_sort_key(name), "active": True,
         "created_at": start} for i, name in enumerate(names)
    ])
    db.session.execute(insert(Employee), [
        {"id": p.number + 1, "username": p.username, "directory_dn": f"uid={p.username},{STAFF_BASE}",
         "full_name": p.full_name, "sort_key": name_sort_key(p.full_name),
         "email": f"{p.username}@rangers.test", "title": "Hạt trưởng" if p.is_head else "Kiểm lâm viên",
         "unit_id": p.unit + 1, "is_head": p.is_head, "is_admin": p.is_admin, "active": True,
         "session_version": 1, "created_at": start, "synced_at": start,
         # As the directory sync writes it with the address (a cached data set built before
         # gets it from migration 0018).
         "usable_email": usable_address(f"{p.username}@rangers.test")}
        for p in staff
    ])

    # About three declarations each, moving towards level 2; one in ten never declared.
    declarations = []
    for p in staff:
        if rng.random() < 0.1:
            continue
        path = rng.choice(STATUS_PATHS)
        count = rng.choice((1, 2, 3, 3, 4, 4, 4)) if len(path) >= 3 else 2
        steps = list(path[len(path) - count:]) if count <= len(path) else list(path)
        steps += [steps[-1]] * rng.choice((0, 1, 1, 2))  # the same status declared again
        for status, at in zip(steps, sorted(moment() for _ in steps)):
            declarations.append({
                "employee_id": p.number + 1, "status": status,
                "activated_on": (at.date() - timedelta(days=3)) if status == "level2_active" else None,
                "committed": status == "level2_active", "note": None,
                "declared_at": at, "declared_from": "127.0.0.1",
            })
    declarations.sort(key=lambda row: row["declared_at"])  # ids in time order, as in real life
    db.session.execute(insert(Declaration), declarations)

    heads = {p.unit: p.number + 1 for p in staff if p.is_head}
    bodies = list(db.session.scalars(select(IssuingBody.id)))
    outcomes = list(db.session.scalars(select(AppraisalOutcome.id)))
    notice_count, decision_count = round(5000 * scale), round(2000 * scale)
    notices, cases = [], []
    for n in range(notice_count):
        p = staff[rng.randrange(len(staff))]
        recorded = moment(0.0, 0.995)
        notices.append({
            "id": n + 1, "employee_id": p.number + 1, "unit_id": p.unit + 1,
            "issuing_body_id": rng.choice(bodies), "reference_number": f"{n + 1:05d}/TB-BPMC",
            "notice_date": (recorded - timedelta(days=rng.randint(0, 5))).date(),
            "note": None, "corrects_id": None, "correction_reason": None,
            "recorded_by_id": heads[p.unit], "recorded_at": recorded, "recorded_from": "127.0.0.1",
        })
    notices.sort(key=lambda row: row["recorded_at"])
    for new_id, row in enumerate(notices, start=1):
        row["id"] = new_id
    # One notice in fifty is corrected by a later one about the same person.
    corrections = []
    for original in rng.sample(notices[: notice_count * 9 // 10], notice_count // 50):
        corrections.append({
            **original, "id": None, "corrects_id": original["id"],
            "correction_reason": "Sai số hiệu thông báo",
            "recorded_at": original["recorded_at"] + timedelta(days=rng.randint(1, 20)),
            "reference_number": original["reference_number"] + "-DC",
        })
    for row in corrections:
        row["recorded_at"] = min(row["recorded_at"], now - timedelta(hours=1))
    corrections.sort(key=lambda row: row["recorded_at"])
    for new_id, row in enumerate(corrections, start=len(notices) + 1):
        row["id"] = new_id
    # The correction replaces its original; keep the originals' count at notice_count.
    all_notices = notices[: notice_count - len(corrections)] + corrections
    kept = {row["id"] for row in all_notices}
    all_notices = [r for r in all_notices if r["corrects_id"] is None or r["corrects_id"] in kept]
    with_deadlines(all_notices, now - timedelta(days=DEADLINE_MONTHS * 30))
    db.session.execute(insert(Notice), all_notices)

    case_target = round(8000 * scale)
    extra = case_target - len(all_notices)  # notices with a second case
    for i, row in enumerate(all_notices):
        for position in range(2 if i < extra else 1):
            name, code = rng.choice(PROCEDURES)
            cases.append({
                "notice_id": row["id"], "position": position + 1, "procedure_name": name,
                "procedure_code": code, "dossier_code": f"H09.{row['id']:05d}.{position + 1}",
                "filed_on": row["notice_date"], "receiving_officer": "Trần Thị Bích",
            })
    db.session.execute(insert(NoticeCase), cases)

    # Decisions: each on one standing, not yet decided notice, recorded after it.
    corrected = {row["corrects_id"] for row in all_notices if row["corrects_id"]}
    open_notices = [row for row in all_notices if row["id"] not in corrected]
    appraisals, links = [], []
    for n, notice in enumerate(rng.sample(open_notices, min(decision_count, len(open_notices)))):
        recorded = min(notice["recorded_at"] + timedelta(days=rng.randint(1, 30)),
                       now - timedelta(minutes=5))
        appraisals.append({
            "employee_id": notice["employee_id"], "unit_id": notice["unit_id"],
            "period_kind": "month", "period_year": notice["notice_date"].year,
            "period_number": notice["notice_date"].month, "outcome_id": rng.choice(outcomes),
            "rationale": "Nộp hồ sơ giấy cho thủ tục đã có dịch vụ công trực tuyến.",
            "corrects_id": None, "correction_reason": None,
            "recorded_by_id": notice["recorded_by_id"], "recorded_at": recorded,
            "recorded_from": "127.0.0.1", "_notice": notice["id"],
        })
    appraisals.sort(key=lambda row: row["recorded_at"])
    for new_id, row in enumerate(appraisals, start=1):
        row["id"] = new_id
        links.append({"appraisal_id": new_id, "notice_id": row.pop("_notice")})
    db.session.execute(insert(Appraisal), appraisals)
    db.session.execute(insert(appraisal_notice), links)


def with_deadlines(notices: list[dict], since: datetime) -> None:
    """Each notice recorded since `since` gets the reply deadline the app gives it when it is
    recorded (notices/routing.py: working days after the local day of recording); the others
    none. Draws nothing from the random generator: the rest of the data stays as it was."""
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    for row in notices:
        recorded = row["recorded_at"]
        local_day = recorded.replace(tzinfo=timezone.utc).astimezone(zone).date()
        row["reply_due_on"] = reply_due_on(local_day) if recorded >= since else None


def build(staff_count: int, unit_count: int, rebuild: bool = False) -> tuple[Path, Path]:
    """The cached database and LDIF for this size, built if missing (or asked to)."""
    from flask_migrate import upgrade

    database, ldif = paths(staff_count, unit_count)
    if database.exists() and ldif.exists() and not rebuild:
        # A cache built before the latest migration gets it, as a production database would.
        with bench_app(database).app_context():
            upgrade()
            db.session.execute(db.text("ANALYZE"))
            db.session.commit()
            db.engine.dispose()
        return database, ldif
    BENCH.mkdir(exist_ok=True)
    started = time.perf_counter()
    names = unit_names(unit_count)
    staff = people(staff_count, unit_count)
    partial = database.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    app = bench_app(partial)
    with app.app_context():
        upgrade()
        fill(staff, names, staff_count / 20000, random.Random(20261125 + staff_count))
        db.session.commit()
        db.session.execute(db.text("ANALYZE"))
        db.session.commit()
        db.engine.dispose()
    partial.replace(database)
    ldif.write_text(directory_ldif(staff, names), encoding="utf-8")
    print(f"built {database.name} and {ldif.name} in {time.perf_counter() - started:.1f} s")
    return database, ldif


def counts(database: Path) -> dict[str, int]:
    import sqlite3

    with sqlite3.connect(database) as conn:
        return {table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in (
            "unit", "employee", "declaration", "notice", "notice_case", "appraisal")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--staff", type=int, default=20000)
    parser.add_argument("--units", type=int, default=200)
    parser.add_argument("--rebuild", action="store_true", help="build again even if cached")
    args = parser.parse_args(argv)
    database, _ = build(args.staff, args.units, args.rebuild)
    print(counts(database))
    return 0


if __name__ == "__main__":
    sys.exit(main())
