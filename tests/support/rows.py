"""Reading the test database from outside a request."""
from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select

from intranet.extensions import db


def count(app: Flask, model: type) -> int:
    """How many rows `model`'s table holds."""
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))
