"""One transaction per request, committed in one place: when the view has returned.

A view and the services it calls only add and flush; the request's writes (and the audit
row that goes with them) are committed together here, after the view returns. A request
that fails never gets here with anything to commit: every error page (intranet/errors.py)
rolls the transaction back first, and a rule violation shown beside a form is rolled back
by intranet/submit.py. Commands and scripts (no request) commit for themselves.
"""
from __future__ import annotations

from flask import Flask, Response

from ..extensions import db


def commit_each_request(app: Flask) -> None:
    @app.after_request
    def commit(response: Response) -> Response:
        # A failed commit raises here and becomes the error page, after its rollback.
        db.session.commit()
        return response


def discard() -> None:
    """Roll back the request's writes: it failed, or showed a rule violation."""
    db.session.rollback()
