"""Rule violations raised by services, and how forms show them beside the right field."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import Field, RadioField, SelectField, SelectMultipleField
from wtforms.fields.choices import SelectChoice


class RuleViolation(ValueError):
    """A write that breaks a domain rule; `field` is the form field it belongs to
    (a dotted path such as "cases.1.dossier_code" for a field in a list)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def field_at(form: FlaskForm, path: str) -> Field | None:
    node: object = form
    for part in path.split("."):
        if part.isdigit():
            entries = getattr(node, "entries", [])
            node = entries[int(part)] if int(part) < len(entries) else None
        else:
            node = getattr(getattr(node, "form", node), part, None)
        if node is None:
            return None
    return node if isinstance(node, Field) else None


def show_violation(form: FlaskForm, violation: RuleViolation) -> None:
    """Put the message beside its field, or at the top of the form if there is none."""
    field = field_at(form, violation.field)
    if field is None:
        form.form_errors.append(violation.message)
    else:
        field.errors = [*field.errors, violation.message]


def forged_choices(form: FlaskForm) -> list[Field]:
    """Choice fields sent a value the form never offered: a forged request, not a slip."""
    forged = []
    for field in form:
        if not isinstance(field, (SelectField, RadioField, SelectMultipleField)) or not field.raw_data:
            continue
        offered = {str(c.value if isinstance(c, SelectChoice) else c[0]) for c in field.choices}
        if any(value not in offered for value in field.raw_data):
            forged.append(field)
    return forged
