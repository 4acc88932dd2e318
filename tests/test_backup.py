"""`flask backup PATH`: a consistent, checked copy of the live SQLite database, and its restore."""
from __future__ import annotations

import shutil
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from intranet import create_app
from intranet.clock import local_today
from intranet.declarations import service
from intranet.directory import current_directory
from intranet.directory.sync import sync_people
from intranet.extensions import db
from intranet.models import AuditEvent, Declaration, Employee

from .conftest import DEMO_EMPLOYEE, base_config, csrf_token, make_app, signed_in_client

MAX_BACKGROUND_WRITES = 5000  # the writer stops at the signal, or here at the latest


def sqlite_app(tmp_path: Path, name: str = "live.db") -> Flask:
    """The app on a SQLite file of its own (backup is for SQLite, whichever the suite runs on)."""
    return make_app(tmp_path, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / name}")


def backup(app: Flask, *args: str):
    return app.test_cli_runner().invoke(args=["backup", *args])


class Writer(threading.Thread):
    """Declares for every employee in turn, one committed transaction each, until stopped."""

    def __init__(self, app: Flask) -> None:
        super().__init__(daemon=True)
        self.app = app
        self.committed: list[int] = []
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.started_writing = threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        with self.app.app_context():
            try:
                ids = db.session.scalars(select(Employee.id).order_by(Employee.id)).all()
                for i in range(MAX_BACKGROUND_WRITES):
                    if self.stop.is_set():
                        break
                    employee = db.session.get(Employee, ids[i % len(ids)])
                    declaration = service.declare(
                        employee, status="level1", activated_on=None, committed=False,
                        note=f"ghi nền {i}", today=local_today(), address=None,
                    )
                    db.session.commit()
                    with self.lock:
                        self.committed.append(declaration.id)
                    if i >= 20:
                        self.started_writing.set()
            except BaseException as error:  # noqa: BLE001 - reported by the test
                self.error = error
            finally:
                self.started_writing.set()
                db.session.remove()

    def wrote_more_than(self, count: int, timeout: float) -> None:
        """Wait (bounded) until the writer has committed more than `count`: it kept going."""
        deadline = time.monotonic() + timeout
        while len(self.snapshot()) <= count and self.error is None:
            assert time.monotonic() < deadline, "the writer stopped writing"
            time.sleep(0.01)

    def snapshot(self) -> set[int]:
        with self.lock:
            return set(self.committed)


def records(app: Flask) -> tuple[set[str], dict[int, str | None], set[str]]:
    """(usernames, declaration id -> note, ids named by declaration audit rows)."""
    with app.app_context():
        usernames = set(db.session.scalars(select(Employee.username)))
        rows = db.session.execute(select(Declaration.id, Declaration.note))
        notes = {row.id: row.note for row in rows}
        audited = set(
            db.session.scalars(
                select(AuditEvent.object_id).where(AuditEvent.action == "declaration.create")
            )
        )
    return usernames, notes, audited


def test_backup_while_writing_then_restore_finds_every_record(tmp_path: Path) -> None:
    app = sqlite_app(tmp_path)
    with app.app_context():
        sync_people(current_directory().people())
        db.session.commit()
    employee = signed_in_client(app, DEMO_EMPLOYEE)
    response = employee.post(
        "/declaration",
        data={"status": "level2_active", "activated_on": "15/03/2024", "committed": "y",
              "note": "qua biểu mẫu", "csrf_token": csrf_token(employee, "/declaration")},
    )
    assert response.status_code == 302

    writer = Writer(app)
    writer.start()
    assert writer.started_writing.wait(timeout=30)
    before = writer.snapshot()
    result = backup(app, str(tmp_path / "backup.db"))
    writer.wrote_more_than(len(before), timeout=30)
    writer.stop.set()
    writer.join(timeout=30)
    assert writer.error is None
    assert result.exit_code == 0, result.output
    assert result.output.count("\n") == 1 and "kiểm tra toàn vẹn: ok" in result.output

    # Restore as the README says: stop the app, copy the backup over the database file,
    # remove any stale -wal/-shm, start again.
    live_usernames, live_notes, _ = records(app)
    with app.app_context():
        db.engine.dispose()
    live = tmp_path / "live.db"
    shutil.copyfile(tmp_path / "backup.db", live)
    for stale in (tmp_path / "live.db-wal", tmp_path / "live.db-shm"):
        stale.unlink(missing_ok=True)
    restored_app = create_app(base_config(tmp_path, SQLALCHEMY_DATABASE_URI=f"sqlite:///{live}"))
    usernames, notes, audited = records(restored_app)

    assert usernames == live_usernames and DEMO_EMPLOYEE in usernames
    assert "qua biểu mẫu" in notes.values()
    assert before <= set(notes)  # everything committed before the backup began
    assert set(notes) <= set(live_notes)  # and nothing that never was
    # One moment's state: every declaration came with its audit row, none half-written.
    assert audited == {str(i) for i in notes}
    # The restored app works: the employee signs in and sees their declaration.
    page = signed_in_client(restored_app, DEMO_EMPLOYEE).get("/declaration").get_data(as_text=True)
    assert "qua biểu mẫu" in page
    with restored_app.app_context():
        db.engine.dispose()

def test_the_copy_is_one_self_contained_private_file(tmp_path: Path) -> None:
    app = sqlite_app(tmp_path)
    assert backup(app, str(tmp_path / "copy.db")).exit_code == 0
    copy = tmp_path / "copy.db"
    assert not (tmp_path / "copy.db-wal").exists() and not (tmp_path / "copy.db-shm").exists()
    assert copy.stat().st_mode & 0o077 == 0
    with sqlite3.connect(copy) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert [p.name for p in tmp_path.iterdir() if ".partial" in p.name] == []


def test_an_existing_file_is_kept_unless_forced(tmp_path: Path) -> None:
    app = sqlite_app(tmp_path)
    target = tmp_path / "copy.db"
    target.write_text("an older backup")
    result = backup(app, str(target))
    assert result.exit_code != 0
    assert "đã tồn tại" in result.output and "--force" in result.output
    assert target.read_text() == "an older backup"
    result = backup(app, str(target), "--force")
    assert result.exit_code == 0, result.output
    with sqlite3.connect(target) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_the_live_database_itself_is_never_a_target(tmp_path: Path) -> None:
    app = sqlite_app(tmp_path)
    size = (tmp_path / "live.db").stat().st_size
    result = backup(app, str(tmp_path / "live.db"), "--force")
    assert result.exit_code != 0 and "chính tệp cơ sở dữ liệu" in result.output
    assert (tmp_path / "live.db").stat().st_size == size


def test_a_missing_folder_is_refused(tmp_path: Path) -> None:
    result = backup(sqlite_app(tmp_path), str(tmp_path / "nowhere" / "copy.db"))
    assert result.exit_code != 0 and "không tồn tại" in result.output


def test_postgresql_is_refused_with_a_pointer_to_pg_dump(tmp_path: Path) -> None:
    url = "postgresql+psycopg://intranet:s3cret-pw@127.0.0.1:1/intranet"
    app = create_app(base_config(tmp_path, SQLALCHEMY_DATABASE_URI=url))
    result = backup(app, str(tmp_path / "copy.db"))
    assert result.exit_code != 0
    assert "pg_dump" in result.output and "s3cret-pw" not in result.output
    assert not (tmp_path / "copy.db").exists()


def test_a_corrupt_database_gives_no_backup(tmp_path: Path) -> None:
    path = tmp_path / "corrupt.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE t (x TEXT)")
        connection.execute("CREATE INDEX ix_t_x ON t (x)")
        connection.executemany("INSERT INTO t VALUES (?)", [(f"hàng {i:05}",) for i in range(2000)])
        query = "SELECT rootpage FROM sqlite_schema WHERE name = 'ix_t_x'"
        root = connection.execute(query).fetchone()[0]
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
    with path.open("r+b") as file:  # scribble over the index's root page, past its header
        file.seek((root - 1) * page_size + 100)
        file.write(b"\xff" * (page_size - 200))
    app = create_app(base_config(tmp_path, SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}"))
    result = backup(app, str(tmp_path / "copy.db"))
    assert result.exit_code != 0 and "integrity_check" in result.output
    assert not (tmp_path / "copy.db").exists()
    assert [p.name for p in tmp_path.iterdir() if ".partial" in p.name] == []


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:"])
def test_an_in_memory_database_is_refused(tmp_path: Path, url: str) -> None:
    app = create_app(base_config(tmp_path, SQLALCHEMY_DATABASE_URI=url))
    result = backup(app, str(tmp_path / "copy.db"))
    assert result.exit_code != 0 and "không nằm trong một tệp" in result.output
