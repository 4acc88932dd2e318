"""The migrations build the same schema as the models, on a fresh database."""
from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

from intranet import create_app
from intranet.extensions import db

from .conftest import base_config


def test_migrations_match_the_models(tmp_path: Path) -> None:
    app = create_app(base_config(tmp_path))
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), db.metadata)
    assert diff == []
