"""Files whose taking is logged (they name staff and their statuses): read and built in a
read-only transaction, then sent only once their audit row is committed.

Built under the request's usual transaction, a file held SQLite's write lock (BEGIN
IMMEDIATE) the whole time it took to build, so other users' writes queued behind an export,
and its figures could not be reused (compliance/memo.py reuses them in read-only
transactions only). A download that could not be recorded is never sent: if the audit row's
transaction fails, the user gets the error page instead of the file.
"""
from __future__ import annotations

import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from flask import send_file
from flask_login import current_user
from werkzeug.wrappers import Response

from . import audit
from .database.read_only import begin_read_only_snapshot
from .database.transaction import write_after_reading

# The action of a compliance file's audit row (the table, its people, the monthly report).
COMPLIANCE_EXPORT = "compliance.export"


@dataclass(frozen=True)
class Download:
    """A file an @audited_download view answers with, and what its audit row says."""

    data: bytes
    name: str
    mimetype: str
    action: str = COMPLIANCE_EXPORT
    details: Mapping[str, Any] = field(default_factory=dict)


def audited_download(view: Callable[..., Any]) -> Callable[..., Any]:
    """The view reads and builds its file (a Download) in a read-only transaction; its audit
    row is then written and committed in a short transaction of its own, and the file sent.
    Put it outside the access check, as @read_only; what else the view answers (a refusal,
    a redirect to sign in) passes as it is."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        begin_read_only_snapshot()
        result = view(*args, **kwargs)
        if not isinstance(result, Download):
            return result
        return _recorded(result)

    return wrapper


def _recorded(download: Download) -> Response:
    actor = current_user._get_current_object()
    write_after_reading(lambda: audit.record(
        download.action, actor=actor, file=download.name, **download.details))
    return send_file(io.BytesIO(download.data), mimetype=download.mimetype, as_attachment=True,
                     download_name=download.name)
