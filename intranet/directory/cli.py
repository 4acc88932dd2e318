"""`flask --app wsgi directory sync`: bring every staff entry into the database."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from ..extensions import db
from . import DirectoryUnavailable, current_directory
from .messages import needs_confirmation, plan_lines, sync_failure
from .sync import SyncAborted, SyncNeedsConfirmation, apply_plan, plan_sync, record_failure

directory_cli = AppGroup("directory", help="Danh bạ (LDAP).")


def _fail(reason: str, message: str, **details: object) -> None:
    """Nothing of the sync is kept; its audit row is. One line, a non-zero exit."""
    db.session.rollback()
    record_failure(None, reason, **details)
    db.session.commit()
    raise click.ClickException(message)


@directory_cli.command("sync")
@click.option("--dry-run", is_flag=True, help="Chỉ in các thay đổi, không ghi gì.")
@click.option(
    "--confirm",
    metavar="MÃ",
    help="Xác nhận danh sách ngừng hoạt động đã xem (mã in ra khi đồng bộ bị giữ lại).",
)
def sync_command(dry_run: bool, confirm: str | None) -> None:
    """Đồng bộ công chức, viên chức, người lao động và đơn vị từ danh bạ."""
    max_share = current_app.config["LDAP_SYNC_MAX_LEAVERS"]
    try:
        plan = plan_sync(current_directory().people())
        if dry_run:
            for line in plan_lines(plan):
                click.echo(line)
            click.echo(
                f"Chạy thử: {plan.listed} người trong danh bạ, {len(plan.leavers)} sẽ ngừng "
                "hoạt động; chưa ghi gì."
            )
            db.session.rollback()
            return
        summary = apply_plan(plan, max_share=max_share, confirm=confirm)
    except SyncNeedsConfirmation as held:
        for line in plan_lines(held.plan):
            click.echo(line)
        _fail(
            "needs_confirmation",
            needs_confirmation(held.plan, max_share)
            + f" Chạy lại với --confirm {held.plan.digest} để xác nhận.",
            leaving=len(held.plan.leavers),
        )
    except SyncAborted as error:
        _fail(error.reason, sync_failure(error))
    except DirectoryUnavailable as error:
        _fail("directory", sync_failure(error), error=str(error)[:500])
    db.session.commit()
    s = summary.as_dict()
    click.echo(
        f"Đồng bộ danh bạ: {s['seen']} người; thêm {s['added']}, cập nhật {s['updated']}, "
        f"đổi tên đăng nhập {s['renamed']}, kích hoạt lại {s['reactivated']}, "
        f"ngừng hoạt động {s['deactivated']}, không đổi {s['unchanged']}; "
        f"đơn vị mới {s['units_added']}."
    )
