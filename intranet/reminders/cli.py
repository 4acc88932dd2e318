"""`flask --app wsgi reminders send [--dry-run] [--only staff|heads|admin]`, for a timer."""
from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import force_locale
from sqlalchemy.exc import SQLAlchemyError

from ..clock import local_today
from ..extensions import db
from ..models import utcnow
from .models import Reason
from .describe import describe, reasons_for
from .send import preview, run
from .transport import retryable_for, transport_for

reminders_cli = AppGroup("reminders", help="Thư nhắc việc qua email.")

PROBLEMS_SHOWN = 50


@reminders_cli.command("send")
@click.option("--dry-run", is_flag=True, help="Chỉ liệt kê thư sẽ gửi; không gửi, không ghi gì.")
@click.option(
    "--only", type=click.Choice([reason.value for reason in Reason]),
    help="Chỉ một loại: staff (cán bộ chưa mức độ 2), heads (thủ trưởng), admin (báo cáo tháng).",
)
def send_command(dry_run: bool, only: str | None) -> None:
    """Gửi thư nhắc việc đến hạn (mỗi người, mỗi lý do, mỗi kỳ một lần)."""
    config = current_app.config
    reasons = reasons_for(only)
    transport = transport_for(config, sys.stdout)
    with force_locale("vi"):
        try:
            if dry_run:
                report, items = preview(reasons, local_today(), utcnow(), retryable_for(transport))
                db.session.rollback()
                for item in items:
                    click.echo(f"{item.reason.value}\t{item.period}\t{item.recipient.email or '-'}\t{item.recipient.full_name}")
            elif transport is None:
                click.echo("REMINDERS_ENABLED tắt: không gửi thư nào. Đặt REMINDERS_ENABLED=1 và MAIL_* để gửi.")
                return
            else:
                if not config["REMINDERS_ENABLED"]:
                    click.echo("REMINDERS_ENABLED tắt: thư được in ra đây, không gửi qua email.", err=True)
                report = run(reasons, transport, today=local_today(), now=utcnow())
        except SQLAlchemyError as error:
            # What was claimed stays recorded; the next run picks up the rest.
            db.session.rollback()
            raise click.ClickException(
                f"Lỗi cơ sở dữ liệu, đã dừng; lần chạy sau sẽ gửi tiếp: {type(error).__name__}: "
                f"{str(getattr(error, 'orig', error)).splitlines()[0] if str(error) else ''}"
            ) from error
        for line in describe(report):
            click.echo(line)
        shown = report.problems[:PROBLEMS_SHOWN]
        for problem in shown:
            click.echo(
                f"  {problem.status.value}: {problem.recipient.full_name} "
                f"<{problem.address or '-'}> {problem.detail or ''}".rstrip()
            )
        if len(report.problems) > len(shown):
            click.echo(f"  … và {len(report.problems) - len(shown)} trường hợp nữa (Quản trị → Thư nhắc việc).")
    if report.stopped:
        sys.exit(1)
