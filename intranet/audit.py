"""The one way to write the audit log; rows are only ever added."""
from __future__ import annotations

from typing import Any

from flask import has_request_context, request

from .extensions import db
from .models import AuditEvent, Employee


def client_address() -> str | None:
    return request.remote_addr if has_request_context() else None


def record(
    action: str,
    *,
    actor: Employee | None = None,
    actor_name: str | None = None,
    obj: Any = None,
    **details: Any,
) -> AuditEvent:
    """Add an audit row to the current transaction; the caller commits with its own writes."""
    event = AuditEvent(
        action=action,
        actor=actor,
        actor_name=(actor.username if actor is not None else actor_name),
        object_type=type(obj).__name__ if obj is not None else None,
        object_id=str(obj.id) if obj is not None and getattr(obj, "id", None) is not None else None,
        address=client_address(),
        details=details,
    )
    db.session.add(event)
    return event
