"""`flask --app wsgi directory sync`: bring every staff entry into the database."""
import click
from flask.cli import AppGroup

from ..extensions import db
from . import DirectoryUnavailable, current_directory
from .sync import sync_people

directory_cli = AppGroup("directory", help="Danh bạ (LDAP).")


@directory_cli.command("sync")
def sync_command() -> None:
    """Đồng bộ công chức, viên chức, người lao động và đơn vị từ danh bạ."""
    try:
        summary = sync_people(current_directory().people())
    except DirectoryUnavailable as exc:
        db.session.rollback()
        raise click.ClickException(f"Không kết nối được danh bạ: {exc}") from exc
    db.session.commit()
    s = summary.as_dict()
    click.echo(
        f"Đồng bộ danh bạ: {s['seen']} người; thêm {s['added']}, cập nhật {s['updated']}, "
        f"kích hoạt lại {s['reactivated']}, ngừng hoạt động {s['deactivated']}, "
        f"không đổi {s['unchanged']}; đơn vị mới {s['units_added']}."
    )
