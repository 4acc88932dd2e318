"""The province list's import at scale: a 5,000-row list against 20,000 staff.

`import_figures(database, work)` (called by scripts/bench.py) copies the bench database and
runs the import in a fresh Python process, as a worker would: upload and preview (POST, then
the preview page), then confirm, through the app's pages; the process reports its times and
its peak memory (ru_maxrss). Standalone:

    .venv/bin/python -m scripts.bench_import --database .bench/intranet-20000-200.db
"""
from __future__ import annotations

import argparse
import io
import json
import random
import resource
import shutil
import subprocess
import sys
import time
import unicodedata
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

ROWS = 5000
# figure -> (target, unit)
TARGETS = {
    "import preview, 5,000 rows": (3.0, "s"),
    "import confirm, 5,000 rows": (5.0, "s"),
    "import worker peak RSS": (250.0, "MB"),
}


def _old_tone(name: str) -> str:
    """The old tone placement (hoà, thuỷ) where the name allows it, in NFD: how another
    system may spell it."""
    for new, old in (("òa", "oà"), ("óa", "oá"), ("ỏa", "oả"), ("õa", "oã"), ("ọa", "oạ"), ("ủy", "uỷ"), ("úy", "uý")):
        name = name.replace(new, old)
    return unicodedata.normalize("NFD", name)


def province_list(names: list[str], rows: int, seed: int = 20261128) -> bytes:
    """An XLSX list as the province sends it: titles, a numbering row, a footer; mostly staff
    (some upper case or in the old spelling), some not staff, online rows, duplicates, bad dates."""
    from openpyxl import Workbook

    from tests.support.import_files import HEADERS

    rng = random.Random(seed)
    book = Workbook()  # shared strings, as Excel writes them
    sheet = book.active
    sheet.append(["UBND TỈNH"])
    sheet.append(["DANH SÁCH NỘP HỒ SƠ TRỰC TIẾP"])
    sheet.append([])
    sheet.append(HEADERS)
    sheet.append([f"({i})" for i in range(1, len(HEADERS) + 1)])
    start = date.today().replace(day=1) - timedelta(days=28)
    for n in range(1, rows + 1):
        roll = rng.random()
        name = rng.choice(names)
        if roll < 0.05:
            name = name.upper()
        elif roll < 0.10:
            name = _old_tone(name)
        elif roll < 0.16:
            name = f"{rng.choice(('Châu', 'Mạc', 'Thân'))} Văn {rng.choice(('Xuyến', 'Khuê', 'Tường'))}"
        code = f"H08.22-{n:06d}" if rng.random() > 0.02 else f"H08.22-{max(1, n - 1):06d}"
        received = start + timedelta(days=rng.randrange(27))
        sheet.append([
            n, name, "01/01/1980", "052090001234", "Chi cục Kiểm lâm", "Đăng ký thường trú", "1.004227",
            code, received if rng.random() > 0.01 else "31/02/2026", "Bộ phận Một cửa xã", "Trần Văn Nhận",
            "Trực tuyến" if rng.random() < 0.04 else "Trực tiếp", "Toàn trình",
        ])
    sheet.append([])
    sheet.append([None, "Người lập biểu"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def prepare(database: Path, rows: int, seed: int = 20261128) -> bytes:
    """Give the copy's staff names as varied as a province's (the bench data set repeats a few
    hundred names; real staff of 20,000 share some, not most), and make the list from them."""
    import sqlite3

    from scripts.bench_data import FAMILY, GIVEN, MIDDLE
    from intranet.vietnamese import name_sort_key

    rng = random.Random(seed)
    with sqlite3.connect(database) as conn:
        ids = [i for (i,) in conn.execute("SELECT id FROM employee ORDER BY id")]
        names = {i: f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}" for i in ids}
        conn.executemany("UPDATE employee SET full_name = ?, sort_key = ? WHERE id = ?",
                         [(n, name_sort_key(n), i) for i, n in names.items()])
    return province_list(list(names.values()), rows, seed)


def run(database: Path, data: bytes) -> dict[str, float]:
    """In this process: the app on `database`, an admin's session, the two screens timed."""
    from sqlalchemy import select

    from intranet.extensions import db
    from intranet.models import Employee, IssuingBody
    from scripts.bench_data import bench_app

    app = bench_app(database, RATELIMIT_ENABLED=False)
    with app.app_context():
        admin = db.session.scalar(select(Employee).where(Employee.is_admin.is_(True), Employee.active.is_(True)))
        # One still in use: since migration 0013 the first seeded bodies are retired, and
        # the form refuses a retired one as a choice it never offered (400).
        body = db.session.scalar(select(IssuingBody.id).where(IssuingBody.active.is_(True)))
        session_id = f"{admin.id}:{admin.session_version}"
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = session_id
        session["_fresh"] = True
    page = client.get("/notices/imports/new").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="', 1)[1].split('"', 1)[0]
    started, cpu = time.perf_counter(), time.process_time()
    response = client.post("/notices/imports/new", content_type="multipart/form-data", data={
        "csrf_token": token, "file": (io.BytesIO(data), "bench.xlsx"), "issuing_body_id": str(body),
        "month": (date.today().replace(day=1) - timedelta(days=1)).strftime("%Y-%m"),
    })
    if response.status_code != 302:
        raise SystemExit(f"upload: HTTP {response.status_code}")
    location = response.headers["Location"]
    preview = client.get(location)
    preview_s, preview_cpu = time.perf_counter() - started, time.process_time() - cpu
    if preview.status_code != 200:
        raise SystemExit(f"preview: HTTP {preview.status_code}")
    started, cpu = time.perf_counter(), time.process_time()
    response = client.post(location + "/confirm", data={"csrf_token": token})
    confirm_s, confirm_cpu = time.perf_counter() - started, time.process_time() - cpu
    if response.status_code != 302:
        raise SystemExit(f"confirm: HTTP {response.status_code}")
    with app.app_context():
        from intranet.imports.models import NoticeImport

        counts = db.session.scalar(select(NoticeImport.counts))
    return {"preview_s": preview_s, "confirm_s": confirm_s, "preview_cpu_s": preview_cpu,
            "confirm_cpu_s": confirm_cpu, "page_mb": len(preview.data) / 1024 / 1024,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "file_mb": len(data) / 1024 / 1024, "counts": counts}


def _remove(database: Path) -> None:
    """The copy and its WAL files: a stale -wal beside a new copy would corrupt it."""
    for path in (database, database.with_name(database.name + "-wal"), database.with_name(database.name + "-shm")):
        path.unlink(missing_ok=True)


def import_figures(database: Path, work: Path, rows: int = ROWS) -> list[dict[str, object]]:
    """The three figures, as dicts of scripts/bench.py's Figure fields."""
    copy, listing = work / "import-bench.db", work / "import-bench.xlsx"
    _remove(copy)
    shutil.copyfile(database, copy)
    listing.write_bytes(prepare(copy, rows))
    worker = subprocess.run(
        [sys.executable, "-m", "scripts.bench_import", "--database", str(copy), "--list", str(listing), "--json"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    if worker.returncode != 0:
        raise SystemExit(f"import bench failed:\n{worker.stderr[-3000:]}")
    output = worker.stdout
    result = json.loads(output.strip().splitlines()[-1])
    _remove(copy)
    listing.unlink()
    note = f"{rows:,} rows, {result['file_mb']:.1f} MB xlsx; " + ", ".join(
        f"{k} {v}" for k, v in result["counts"].items() if k in ("matched", "ambiguous", "notices"))
    return [
        {"name": "import preview, 5,000 rows", "median": result["preview_s"], "p95": result["preview_s"],
         "unit": "s", "note": f"upload, read, match, preview page (CPU {result['preview_cpu_s']:.2f} s); " + note},
        {"name": "import confirm, 5,000 rows", "median": result["confirm_s"], "p95": result["confirm_s"],
         "unit": "s", "note": f"CPU {result['confirm_cpu_s']:.2f} s; " + note},
        {"name": "import worker peak RSS", "median": result["peak_rss_mb"], "p95": result["peak_rss_mb"],
         "unit": "MB", "note": "one process: app, list, preview, confirm"},
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", type=Path, required=True, help="a bench database (it is written to)")
    parser.add_argument("--list", type=Path, help="the list to import (default: made from the database)")
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--json", action="store_true", help="one line of JSON (for scripts/bench.py)")
    args = parser.parse_args(argv)
    data = args.list.read_bytes() if args.list else prepare(args.database, args.rows)
    result = run(args.database, data)
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key}: {value:.2f}" if isinstance(value, float) else f"{key}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
