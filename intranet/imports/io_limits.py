"""Request size limits of the import pages, set before anything reads the body.

The app accepts 1 MiB per request; the upload takes a list of up to 10 MB (plus the form's
few fields), and the confirmation one choice per row. URL value preprocessors run before any
before_request function (CSRF included) parses the form, so the limits apply to it."""
from __future__ import annotations

from flask import Blueprint, request

from .reading import MAX_BYTES, MAX_ROWS

FORM_OVERHEAD = 64 * 1024


def install(bp: Blueprint) -> None:
    @bp.url_value_preprocessor
    def limits(endpoint: str | None, _values: dict | None) -> None:
        if endpoint == "imports.new":
            request.max_content_length = MAX_BYTES + FORM_OVERHEAD
        elif endpoint == "imports.confirm":
            request.max_content_length = 40 * MAX_ROWS
            request.max_form_parts = MAX_ROWS + 100
