"""Which notices and decisions stand, and which notices are decided: the shared definitions.

A record that a later record corrects is *superseded*: it stays visible, but figures
count only the records that stand. A notice is *decided* when a standing decision
covers it. With `as_of`, each question is asked as it stood at that moment (records
made later do not count yet), which is how a past month's figures are computed.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, and_, exists, select
from sqlalchemy.orm import aliased

from ..models import Appraisal, Notice, appraisal_notice


def _not_corrected(model: type[Notice] | type[Appraisal], record, as_of: datetime | None) -> ColumnElement[bool]:
    correction = aliased(model)
    conditions = [correction.corrects_id == record.id]
    if as_of is not None:
        conditions.append(correction.recorded_at <= as_of)
    return ~exists(select(correction.id).where(*conditions))


def notice_stands(as_of: datetime | None = None) -> ColumnElement[bool]:
    return _not_corrected(Notice, Notice, as_of)


def appraisal_stands(as_of: datetime | None = None) -> ColumnElement[bool]:
    return _not_corrected(Appraisal, Appraisal, as_of)


def notice_decided(as_of: datetime | None = None) -> ColumnElement[bool]:
    """A standing decision (recorded by `as_of`, when given) covers the notice."""
    decision = aliased(Appraisal)
    conditions = [
        appraisal_notice.c.notice_id == Notice.id,
        decision.id == appraisal_notice.c.appraisal_id,
        _not_corrected(Appraisal, decision, as_of),
    ]
    if as_of is not None:
        conditions.append(decision.recorded_at <= as_of)
    return exists(select(appraisal_notice.c.notice_id).where(*conditions))


def notice_open() -> ColumnElement[bool]:
    """Awaiting a proposal: the notice stands and no standing decision covers it. One
    condition for the queues, the reminders' counts and the explanation form."""
    return and_(notice_stands(), ~notice_decided())
