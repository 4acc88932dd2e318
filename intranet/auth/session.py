"""How a session cookie maps back to an employee, and how a session ends."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_login import LoginManager
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import Employee
from ..reports.settings import agency_name_columns, remember_agency_names


def load_employee(session_id: str) -> Employee | None:
    """The employee behind "id:version"; a cookie from before the last sign-out is refused."""
    employee_id, _, version = session_id.partition(":")
    if not (employee_id.isdigit() and version.isdigit()):
        return None
    # With their unit (the home page and a head's pages show it) and the agency's names (every
    # page's header, the rating summary's heading): one statement instead of three.
    row = db.session.execute(
        select(Employee, *agency_name_columns()).options(joinedload(Employee.unit))
        .where(Employee.id == int(employee_id))
    ).first()
    if row is None:
        return None
    employee, *names = row
    remember_agency_names(*names)
    if employee.session_version != int(version) or not employee.active:
        return None
    return employee


def end_all_sessions(employee: Employee) -> None:
    employee.session_version += 1


def configure_login(manager: LoginManager) -> None:
    manager.user_loader(load_employee)
    manager.login_view = "auth.login"
    manager.login_message = _l("Vui lòng đăng nhập để tiếp tục.")
    manager.login_message_category = "info"
    manager.session_protection = "basic"
