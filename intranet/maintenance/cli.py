"""`flask --app wsgi backup PATH`: a checked copy of the live SQLite database."""
from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from ..extensions import db
from .backup import BackupError, backup_sqlite, sqlite_path


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=True, path_type=Path))
@click.option("--force", is_flag=True, help="Ghi đè PATH nếu tệp đã tồn tại.")
@with_appcontext
def backup_command(path: Path, force: bool) -> None:
    """Sao lưu cơ sở dữ liệu SQLite đang chạy vào PATH và kiểm tra toàn vẹn bản sao."""
    try:
        report = backup_sqlite(sqlite_path(db.engine.url), path, force=force)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(report.summary())
