"""The province list's import pages driven as the admin's browser would: upload, then confirm."""
from __future__ import annotations

import io

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from intranet.extensions import db
from intranet.imports.models import ImportDraft

from ..conftest import csrf_token
from .forms import body_id

NEW = "/notices/imports/new"


def upload(client: FlaskClient, app: Flask, data: bytes, name: str = "ds-thang-11.xlsx", **fields):
    form = {"csrf_token": csrf_token(client, NEW), "file": (io.BytesIO(data), name),
            "issuing_body_id": body_id(app), "month": "2026-11", **fields}
    return client.post(NEW, data=form, content_type="multipart/form-data")


def confirm(client: FlaskClient, location: str, **choices: str):
    return client.post(location + "/confirm", data={"csrf_token": csrf_token(client, location), **choices})


def draft_rows(app: Flask) -> dict[str, dict]:
    """The draft's rows awaiting confirmation, by dossier code."""
    with app.app_context():
        draft = db.session.scalar(select(ImportDraft))
        return {r["dossier_code"]: r for r in draft.rows}
