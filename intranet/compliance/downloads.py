"""Taking a compliance file: the files name staff and their statuses, so who took which is logged."""
from __future__ import annotations

from .. import audit
from ..models import Employee


def record_download(actor: Employee, name: str) -> None:
    audit.record("compliance.export", actor=actor, file=name)
