"""Rule violations raised by services, and how forms show them beside the right field
and in the summary at the top of the form."""
from __future__ import annotations

from dataclasses import dataclass

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    Field,
    FieldList,
    FormField,
    RadioField,
    SelectField,
    SelectMultipleField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import ListWidget


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


@dataclass(frozen=True)
class ErrorLink:
    """One line of a form's error summary: the field to go to, its label and the message."""

    target: str | None
    label: str
    message: str


def error_links(form: FlaskForm, entry_label: str = "{n}") -> list[ErrorLink]:
    """Every error of `form` in page order, each pointing at its input; form-wide errors
    first. A field in a list is named with its entry (`entry_label` with {n}: "Hồ sơ 2")."""
    links = [ErrorLink(None, "", str(message)) for message in form.form_errors]

    def walk(fields, prefix: str) -> None:
        for field in fields:
            if isinstance(field, FieldList):
                for n, entry in enumerate(field.entries, start=1):
                    name = entry_label.replace("{n}", str(n))
                    fields_of_entry = entry.form if isinstance(entry, FormField) else [entry]
                    walk(fields_of_entry, f"{prefix}{name} – ")
            elif isinstance(field, FormField):
                walk(field.form, prefix)
            else:
                # A group of radios or checkboxes: its first option is what a link can focus.
                target = field.id
                if isinstance(field.widget, ListWidget):
                    target = f"{field.id}-0" if field.choices else None
                # A checkbox's label is the whole sentence it confirms: its message says enough.
                if isinstance(field, BooleanField):
                    label = prefix.removesuffix(" – ")
                else:
                    label = f"{prefix}{field.label.text}"
                links.extend(ErrorLink(target, label, str(m)) for m in field.errors)

    walk(form, "")
    return links
