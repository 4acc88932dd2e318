"""Request shapes no page takes, refused before any view runs: NUL bytes, stray file parts,
and bodies that are not HTML forms."""
from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import Flask, abort, current_app, request
from flask_babel import lazy_gettext as _l

from .errors import render_error

View = TypeVar("View", bound=Callable)

FILES_ALLOWED = "accepts_files"
# What a browser sends for a <form>; Flask-WTF would also read a JSON body as form data.
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def accepts_files(*names: str) -> Callable[[View], View]:
    """Mark a view whose form has file fields, by name: a file part under any other name (a
    text field sent as a file) is refused there too, as on every other view."""

    def mark(view: View) -> View:
        setattr(view, FILES_ALLOWED, frozenset(names))
        return view

    return mark


def register(app: Flask) -> None:
    app.before_request(refuse_other_bodies)
    app.before_request(refuse_nul_bytes)
    app.before_request(refuse_stray_files)


def refuse_other_bodies():
    """A body that is not a form (JSON, XML, ...): the forms would get numbers, lists or
    objects where they expect text. No page sends one."""
    if request.method not in ("GET", "HEAD", "OPTIONS") and request.mimetype not in ("", *FORM_TYPES):
        return render_error(415)
    return None


def refuse_nul_bytes() -> None:
    # No text a person types contains NUL, and PostgreSQL cannot store one. Sign-in is
    # exempt: there the directory's answer ("wrong username or password") is the right one.
    values = [v for _, vs in request.args.lists() for v in vs]
    if request.endpoint != "auth.login":
        values += [v for _, vs in request.form.lists() for v in vs]
    if any("\x00" in value for value in values):
        abort(400)


def refuse_stray_files():
    """A text field sent as a multipart file part is a crafted request, not a slip: the
    forms would get a file object where they expect text. Answer 400 before they see it."""
    if not request.files:
        return None
    view = current_app.view_functions.get(request.endpoint or "")
    allowed = getattr(view, FILES_ALLOWED, frozenset())
    if all(name in allowed for name in request.files):
        return None
    return render_error(400, _l("Biểu mẫu này không nhận tệp đính kèm."))
