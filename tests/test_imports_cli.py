"""`flask notices import`: the same path as the pages, for a terminal."""
from __future__ import annotations

from pathlib import Path

from flask import Flask
from sqlalchemy import func, select

from intranet.extensions import db
from intranet.imports.models import ImportDraft, NoticeImport
from intranet.models import Notice

from .support.import_files import province_xlsx, row

BODY = "Trung tâm Phục vụ hành chính công tỉnh Gia Lai"  # an active body since the 2025 reform


def write_list(tmp_path: Path) -> Path:
    path = tmp_path / "ds.xlsx"
    path.write_bytes(province_xlsx([
        row("Đinh Văn Hùng", "K-1"), row("Dinh Van Hung", "K-2"), row("Người Ngoài", "K-3"),
        row("Đinh Văn Hùng", "K-1"), row("Đinh Văn Hùng", "K-4", channel="Trực tuyến"),
        row("Đinh Văn Hùng", "K-5", received="hôm qua"),
    ]))
    return path


def counts(app: Flask) -> tuple[int, int, int]:
    with app.app_context():
        return tuple(db.session.scalar(select(func.count()).select_from(m)) for m in (ImportDraft, NoticeImport, Notice))


def test_dry_run_prints_the_preview_and_writes_nothing(synced_app: Flask, tmp_path: Path) -> None:
    result = synced_app.test_cli_runner().invoke(
        args=["notices", "import", str(write_list(tmp_path)), "--body", BODY.upper(), "--month", "2026-11", "--dry-run"])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines[-1] == ("rows 6: matched 1, ambiguous 0, suggestions 1, not staff 1, already recorded 1, "
                         "online 1, unreadable 1")
    assert "Trùng mã hồ sơ với dòng 8" in result.output and "I13:" in result.output
    assert counts(synced_app) == (0, 0, 0)


def test_confirm_matched_records_the_notices(synced_app: Flask, tmp_path: Path) -> None:
    result = synced_app.test_cli_runner().invoke(
        args=["notices", "import", str(write_list(tmp_path)), "--body", BODY, "--month", "2026-11", "--confirm-matched"])
    assert result.exit_code == 0, result.output
    assert counts(synced_app) == (0, 1, 1)


def test_without_flags_the_list_waits_for_the_pages(synced_app: Flask, tmp_path: Path) -> None:
    result = synced_app.test_cli_runner().invoke(
        args=["notices", "import", str(write_list(tmp_path)), "--body", BODY, "--month", "2026-11"])
    assert result.exit_code == 0 and "/notices/imports/" in result.output
    assert counts(synced_app) == (1, 0, 0)


def test_bad_input_gives_a_message_not_a_traceback(synced_app: Flask, tmp_path: Path) -> None:
    bad = tmp_path / "ds.xlsx"
    bad.write_bytes(b"PK\x03\x04 broken")
    runner = synced_app.test_cli_runner()
    result = runner.invoke(args=["notices", "import", str(bad), "--body", BODY, "--month", "2026-11"])
    assert result.exit_code == 1 and "bị hỏng" in result.output and "Traceback" not in result.output
    result = runner.invoke(args=["notices", "import", str(write_list(tmp_path)), "--body", "Không có", "--month", "2026-11"])
    assert result.exit_code == 1 and "Không có cơ quan ban hành thông báo" in result.output
    result = runner.invoke(args=["notices", "import", str(write_list(tmp_path)), "--body", BODY, "--month", "13/2026"])
    assert result.exit_code == 1 and "Tháng không hợp lệ" in result.output
    assert counts(synced_app) == (0, 0, 0)
