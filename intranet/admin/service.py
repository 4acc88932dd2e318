"""Admin writes on reference data: issuing bodies are added or retired, never deleted."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from .. import audit
from ..extensions import db
from ..models import Employee, IssuingBody
from ..validation import RuleViolation
from ..vietnamese import normalize


def add_issuing_body(actor: Employee, name: str) -> IssuingBody:
    name = normalize(name)
    if not name:
        raise RuleViolation("name", _l("Vui lòng nhập tên."))
    if db.session.scalar(select(IssuingBody.id).where(func.lower(IssuingBody.name) == name.lower())):
        raise RuleViolation("name", _l("Cơ quan này đã có trong danh sách."))
    body = IssuingBody(name)
    db.session.add(body)
    db.session.flush()
    audit.record("issuing_body.create", actor=actor, obj=body, name=name)
    return body


def set_issuing_body_active(actor: Employee, body: IssuingBody, active: bool) -> None:
    """Retired bodies stay for the notices that name them, but new notices can't pick them."""
    body.active = active
    audit.record("issuing_body.activate" if active else "issuing_body.retire", actor=actor, obj=body)
