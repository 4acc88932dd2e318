"""`flask --app wsgi notices import FILE --body NAME --month YYYY-MM`: the same path as the pages.

Prints the preview as a table and one summary line. Without --dry-run the list waits for
confirmation on the pages (or, with --confirm-matched, its matched rows become notices now).
"""
from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from ..clock import local_today
from ..extensions import db
from ..models import Employee, IssuingBody
from ..months import MonthError, parse_month
from ..validation import RuleViolation
from .columns import BY_FIELD, header_key
from .parsing import MissingColumns
from .reading import MAX_BYTES, FileRefused
from .reasons import describe
from .service import ImportBusy, Upload, confirm_import, preview_import

notices_cli = AppGroup("notices", help="Thông báo trường hợp nộp hồ sơ giấy.")

LABELS = {
    "matched": "khớp", "ambiguous": "trùng tên", "suggestion": "gợi ý", "not_staff": "không có trong danh sách",
    "already_recorded": "đã ghi nhận", "online": "trực tuyến", "unreadable": "không đọc được",
}


def summary_line(counts: dict[str, int]) -> str:
    return (
        f"rows {counts['rows']}: matched {counts['matched']}, ambiguous {counts['ambiguous']}, "
        f"suggestions {counts['suggestion']}, not staff {counts['not_staff']}, "
        f"already recorded {counts['already_recorded']}, online {counts['online']}, "
        f"unreadable {counts['unreadable']}"
    )


def _body(name: str) -> IssuingBody:
    bodies = db.session.scalars(select(IssuingBody).where(IssuingBody.active.is_(True))).all()
    for body in bodies:
        if header_key(body.name) == header_key(name):
            return body
    names = "; ".join(sorted(b.name for b in bodies))
    raise click.ClickException(f"Không có cơ quan ban hành thông báo “{name}”. Các cơ quan: {names}")


def _actor(username: str | None) -> Employee:
    query = select(Employee).where(Employee.is_admin.is_(True), Employee.active.is_(True))
    if username:
        query = query.where(Employee.username == username.casefold())
    actor = db.session.scalars(query.order_by(Employee.id)).first()
    if actor is None:
        raise click.ClickException("Không có quản trị nào (đang hoạt động) để ghi nhận việc nhập; dùng --as TÊN_ĐĂNG_NHẬP.")
    return actor


def _columns(pairs: tuple[str, ...]) -> dict[str, int]:
    """--column full_name=C: a required column by its letter in the file."""
    chosen = {}
    for pair in pairs:
        name, _, letter = pair.partition("=")
        letter = letter.strip().upper()
        if name not in BY_FIELD or not letter.isalpha() or not letter.isascii():
            raise click.ClickException(f"--column {pair}: dùng dạng TRƯỜNG=CHỮ_CỘT, ví dụ full_name=C")
        index = 0
        for char in letter:
            index = index * 26 + ord(char) - 64
        chosen[name] = index - 1
    return chosen


def _table(rows: list[dict], people: dict[int, str]) -> str:
    lines = [f"{'Dòng':>5}  {'Họ và tên':<28} {'Mã hồ sơ':<24} {'Ngày TN':<10}  {'Kết quả':<18} Người / lý do"]
    for row in rows:
        day = row["received_on"] or ""
        if day:
            y, m, d = day.split("-")
            day = f"{d}/{m}/{y}"
        who = people.get(row["employee_id"], "") if row["employee_id"] else describe(row)
        lines.append(f"{row['row']:>5}  {row['full_name'][:28]:<28} {row['dossier_code'][:24]:<24} {day:<10}  "
                     f"{LABELS[row['state']]:<18} {who}")
    return "\n".join(lines)


@notices_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--body", required=True, help="Cơ quan gửi danh sách, đúng tên trong danh mục.")
@click.option("--month", required=True, help="Tháng của danh sách, YYYY-MM.")
@click.option("--reference", default=None, help="Số, ký hiệu văn bản gửi kèm.")
@click.option("--dry-run", is_flag=True, help="Chỉ đọc và đối chiếu; không ghi gì.")
@click.option("--confirm-matched", is_flag=True, help="Ghi ngay thông báo cho các dòng khớp.")
@click.option("--column", "columns", multiple=True, help="Cột bắt buộc chưa nhận ra: TRƯỜNG=CHỮ_CỘT.")
@click.option("--as", "username", default=None, help="Quản trị đứng tên việc nhập (mặc định: quản trị đầu tiên).")
def import_command(file: Path, **options: object) -> None:
    """Nhập danh sách hồ sơ nộp trực tiếp của tỉnh (XLSX hoặc CSV)."""
    # Messages are translated for a locale chosen per request; a terminal gets the default (vi).
    with current_app.test_request_context():
        _import(file, **options)  # type: ignore[arg-type]


def _import(file: Path, body: str, month: str, reference: str | None, dry_run: bool,
            confirm_matched: bool, columns: tuple[str, ...], username: str | None) -> None:
    try:
        the_month = parse_month(month)
    except MonthError as error:
        raise click.ClickException(str(error)) from error
    if file.stat().st_size > MAX_BYTES:
        raise click.ClickException("Tệp lớn hơn 10 MB; hãy chia danh sách thành nhiều tệp.")
    actor = _actor(username)
    upload = Upload(
        data=file.read_bytes(), file_name=file.name, issuing_body=_body(body), month=the_month,
        reference_number=reference, notice_date=None, columns=_columns(columns) or None,
    )
    try:
        draft = preview_import(actor, upload, today=local_today())
    except FileRefused as refused:
        db.session.rollback()
        raise click.ClickException(str(refused.message)) from refused
    except MissingColumns as missing:
        db.session.rollback()
        found = ", ".join(f"{chr(65 + i) if i < 26 else i}: {h}" for i, h in missing.headers)
        raise click.ClickException(
            f"Chưa nhận ra cột bắt buộc: {', '.join(missing.missing)}. Các cột trong tệp: {found}. "
            "Dùng --column TRƯỜNG=CHỮ_CỘT."
        ) from missing
    except ImportBusy as busy:
        db.session.rollback()
        raise click.ClickException("Đang có một danh sách khác chờ xác nhận trên trang Nhập danh sách; "
                                   "hãy xác nhận hoặc huỷ nó trước.") from busy
    except RuleViolation as violation:
        db.session.rollback()
        raise click.ClickException(str(violation.message)) from violation
    ids = {r["employee_id"] for r in draft.rows if r["employee_id"]}
    people = {i: n for i, n in db.session.execute(select(Employee.id, Employee.full_name).where(Employee.id.in_(ids)))}
    click.echo(_table(draft.rows, people))
    counts = dict(draft.counts)
    if dry_run:
        db.session.rollback()
        click.echo("Chạy thử: không ghi gì.")
    elif confirm_matched:
        record = confirm_import(actor, draft.id, {}, today=local_today(), address=None)
        db.session.commit()
        click.echo(f"Đã ghi {record.counts['notices']} thông báo, {record.counts['cases']} hồ sơ (lần nhập số {record.id}).")
    else:
        db.session.commit()
        click.echo(f"Danh sách chờ xác nhận tại /notices/imports/{draft.id}.")
    click.echo(summary_line(counts))
