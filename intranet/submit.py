"""The one way a view posts a form: check it, call the service, show what the rules refuse.

Success is the caller's (flash, redirect); the request commits (database/transaction.py).
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask_login import current_user
from flask_wtf import FlaskForm

from .audit import client_address
from .clock import local_today
from .database.transaction import discard
from .validation import RuleViolation, forged_choices, show_violation

T = TypeVar("T")

# The status a form is shown again with: a choice it never offered (a forged request), or
# input the form or the rules refuse.
FORGED = 400
INVALID = 422


def form_problem(form: FlaskForm, forged_message: str | None = None) -> int | None:
    """The status to re-show a form with, or None when it is well-formed and valid; a forged
    choice gets `forged_message` beside it, if given, instead of the validator's."""
    forged = forged_choices(form)
    if forged:
        form.validate()
        if forged_message is not None:
            for field in forged:
                field.errors = [forged_message]
        return FORGED
    return None if form.validate() else INVALID


def attempt(form: FlaskForm, record: Callable[[], T],
            field_of: Callable[[str], str] = lambda field: field) -> T | int:
    """record()'s result, or INVALID with the rule it broke shown beside its field (named by
    field_of) and whatever it wrote rolled back. The request commits the rest."""
    try:
        return record()
    except RuleViolation as violation:
        discard()
        violation.field = field_of(violation.field)
        show_violation(form, violation)
        return INVALID


def submit(form: FlaskForm, record: Callable[[], T], field_of: Callable[[str], str] = lambda field: field,
           *, forged_message: str | None = None) -> T | int:
    """A posted form: form_problem(), then attempt(record)."""
    return form_problem(form, forged_message) or attempt(form, record, field_of)


def record_as_head(form: FlaskForm, recorder: Callable[..., T], draft: object, corrects: object,
                   field_of: Callable[[str], str] = lambda field: field) -> T | int:
    """attempt() a notice or appraisal recorder as the signed-in head, today, from their
    address; a correction form's reason goes with it."""
    return attempt(form, lambda: recorder(
        current_user,
        draft,
        today=local_today(),
        address=client_address(),
        corrects=corrects,
        reason=form.correction_reason.data if "correction_reason" in form else None,
    ), field_of)
