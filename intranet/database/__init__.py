"""The database layer: engine settings and SQLite's transaction policy, read-only
transactions, the request's one transaction, and the triggers that keep the records with
legal weight as the law needs them (append-only tables, each employee's latest status, the
roster), and the number that moves whenever a record the compliance figures count is written
(figures_version), with the days the records written since each number are dated on
(figures_dated); the declarations that move a level-2 count (level2_changes); and the
statements PostgreSQL plans for each run (planning). Importing it registers the engine
listeners."""
from __future__ import annotations

from sqlalchemy import MetaData

from . import (  # noqa: F401  engine: its listeners
    append_only, engine, figures_dated, figures_version, latest_status, level2_changes, planning,
    roster,
)
from .transaction import commit_each_request, discard  # noqa: F401  the request's transaction


def install_triggers(metadata: MetaData) -> None:
    """Have create_all build the same triggers as the migrations (tests, fresh tools)."""
    append_only.install_on(metadata)
    latest_status.install_on(metadata)
    roster.install_on(metadata)
    figures_version.install_on(metadata)
    figures_dated.install_on(metadata)
    level2_changes.install_on(metadata)
