"""A consistent copy of a live SQLite database, checked before it is trusted.

SQLite's online backup API copies the pages inside one read transaction, so the copy is
the database as of one commit even while workers keep writing (WAL lets them). A plain
file copy would not be: it can catch the main file and its -wal file at different
moments. The copy is made beside the target under a temporary name, checked with
`PRAGMA integrity_check`, and only then renamed over the target, so a failed backup
never leaves a half-written file where the last good one was.
"""
from __future__ import annotations

import os
import sqlite3
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from sqlalchemy.engine import URL

# A writer holding SQLite's lock past this long makes the backup give up, not wait forever.
BUSY_LIMIT_SECONDS = 60.0
_BUSY_CODES = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}


class BackupError(Exception):
    """The backup was refused or failed; the message says why, for the operator."""


@dataclass(frozen=True)
class BackupReport:
    path: Path
    size_bytes: int
    tables: int
    employees: int | None
    declarations: int | None
    seconds: float

    def summary(self) -> str:
        """One line for the operator (and a cron mail)."""
        counts = ", ".join(
            f"{n} {label}"
            for n, label in ((self.employees, "người"), (self.declarations, "kê khai"))
            if n is not None
        )
        detail = f"{self.tables} bảng" + (f" ({counts})" if counts else "")
        return (
            f"Đã sao lưu cơ sở dữ liệu vào {self.path}: "
            f"{_decimal(self.size_bytes / 1_000_000)} MB, {detail}; "
            f"kiểm tra toàn vẹn: ok; {_decimal(self.seconds)} giây."
        )


def _decimal(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")  # Vietnamese writes a decimal comma


def sqlite_path(url: URL) -> Path:
    """The database file behind `url`; refuses anything that is not a SQLite file."""
    backend = url.get_backend_name()
    if backend != "sqlite":
        raise BackupError(
            f"Lệnh này chỉ sao lưu SQLite; cơ sở dữ liệu đang dùng là {backend}. "
            "Với PostgreSQL hãy sao lưu bằng pg_dump "
            "(ví dụ: pg_dump -Fc -f intranet.dump TÊN_CSDL)."
        )
    database = url.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        raise BackupError(
            "Cơ sở dữ liệu SQLite này không nằm trong một tệp nên không sao lưu được."
        )
    return Path(database)


def backup_sqlite(source: Path, target: Path, *, force: bool = False) -> BackupReport:
    """Copy the live database `source` to `target` and check the copy; raises BackupError."""
    started = time.monotonic()
    target = target.expanduser().absolute()
    _check_paths(source, target, force)
    handle, temporary = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".partial", dir=target.parent
    )
    os.close(handle)  # mkstemp made it 0600: the copy holds personal data
    partial = Path(temporary)
    try:
        _copy(source, partial)
        tables, employees, declarations = _check_copy(partial)
        _fsync(partial)
        os.replace(partial, target)
        _fsync(target.parent)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return BackupReport(
        path=target,
        size_bytes=target.stat().st_size,
        tables=tables,
        employees=employees,
        declarations=declarations,
        seconds=time.monotonic() - started,
    )


def _check_paths(source: Path, target: Path, force: bool) -> None:
    if not source.is_file():
        raise BackupError(f"Không tìm thấy tệp cơ sở dữ liệu {source}.")
    if target.exists() or target.is_symlink():
        if target.resolve() == source.resolve():
            raise BackupError(
                f"{target} là chính tệp cơ sở dữ liệu đang chạy; hãy chọn đường dẫn khác."
            )
        if target.is_dir():
            raise BackupError(f"{target} là một thư mục; hãy cho tên tệp sao lưu.")
        if not force:
            raise BackupError(f"Tệp {target} đã tồn tại; thêm --force để ghi đè.")
    if not target.parent.is_dir():
        raise BackupError(f"Thư mục {target.parent} không tồn tại.")


def _copy(source: Path, partial: Path) -> None:
    # mode=rw: a database that vanished is an error, never a new empty file.
    src = sqlite3.connect(f"file:{quote(str(source))}?mode=rw", uri=True)
    dst = sqlite3.connect(partial)
    deadline = time.monotonic() + BUSY_LIMIT_SECONDS

    def give_up_when_busy_too_long(status: int, _remaining: int, _total: int) -> None:
        if status in _BUSY_CODES and time.monotonic() > deadline:
            raise BackupError(
                f"Cơ sở dữ liệu bận quá {BUSY_LIMIT_SECONDS:.0f} giây; "
                "chưa sao lưu được, hãy thử lại."
            )

    try:
        # pages=-1: every page in one step, inside one read transaction: one moment's state.
        src.backup(dst, pages=-1, progress=give_up_when_busy_too_long)
        # The copy inherits WAL mode from the live file; a backup is better as one file.
        dst.execute("PRAGMA journal_mode=DELETE")
    except sqlite3.Error as error:
        raise BackupError(f"Sao lưu thất bại: {error}.") from error
    finally:
        dst.close()
        src.close()


def _check_copy(partial: Path) -> tuple[int, int | None, int | None]:
    """Integrity of the copy, and what it holds: (tables, employees, declarations)."""
    copy = sqlite3.connect(f"file:{quote(str(partial))}?mode=ro", uri=True)
    try:
        try:
            problems = [str(row[0]) for row in copy.execute("PRAGMA integrity_check")]
        except sqlite3.DatabaseError as error:  # damage bad enough that the check cannot run
            problems = [str(error)]
        if problems != ["ok"]:
            shown = "; ".join(problems[:3])
            raise BackupError(
                f"Bản sao không qua kiểm tra toàn vẹn (PRAGMA integrity_check): {shown}."
            )
        names = {
            row[0]
            for row in copy.execute(
                "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        }
        return len(names), _count(copy, "employee", names), _count(copy, "declaration", names)
    except sqlite3.Error as error:
        raise BackupError(f"Không đọc được bản sao: {error}.") from error
    finally:
        copy.close()


def _count(connection: sqlite3.Connection, table: str, tables: set[str]) -> int | None:
    if table not in tables:
        return None
    return int(connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])


def _fsync(path: Path) -> None:
    """Make the copy (or its directory entry) reach the disk before we say it exists."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
