"""Who was on the staff of which unit, when: one record each time that changes.

The directory only tells where people are now. So that a past month counts each person in
the unit they were in then (not the one they moved to since) and not at all while they were
away, the database appends a roster entry whenever an employee row is created, changes unit,
leaves or comes back, whoever writes the row (the sync, a sign-in, a script). Entries are
append-only like the other records. Used by the models (create_all) and by migration 0008.
"""
from __future__ import annotations

from sqlalchemy import MetaData

from .append_only import create_with

TRIGGER = "employee_roster"

_COLUMNS = "roster_entry (employee_id, unit_id, on_staff, at)"
# A move or a return is known from the sync that saw it (synced_at); a departure has its time.
_CHANGED_AT = "COALESCE(NEW.left_at, NEW.synced_at)"
_SQLITE_CHANGED = "OLD.unit_id IS NOT NEW.unit_id OR (OLD.left_at IS NULL) <> (NEW.left_at IS NULL)"
_PG_CHANGED = "OLD.unit_id IS DISTINCT FROM NEW.unit_id OR (OLD.left_at IS NULL) <> (NEW.left_at IS NULL)"

BACKFILL = [
    f"INSERT INTO {_COLUMNS} SELECT id, unit_id, true, created_at FROM employee",
    f"INSERT INTO {_COLUMNS} SELECT id, unit_id, false, left_at FROM employee "
    "WHERE left_at IS NOT NULL",
]


def trigger_statements(dialect: str) -> list[str]:
    if dialect == "sqlite":
        return [
            f"CREATE TRIGGER {TRIGGER}_insert AFTER INSERT ON employee BEGIN "
            f"INSERT INTO {_COLUMNS} VALUES (NEW.id, NEW.unit_id, 1, NEW.created_at); "
            f"INSERT INTO {_COLUMNS} SELECT NEW.id, NEW.unit_id, 0, NEW.left_at "
            "WHERE NEW.left_at IS NOT NULL; END",
            f"CREATE TRIGGER {TRIGGER}_update AFTER UPDATE OF unit_id, left_at ON employee "
            f"WHEN {_SQLITE_CHANGED} BEGIN "
            f"INSERT INTO {_COLUMNS} VALUES (NEW.id, NEW.unit_id, NEW.left_at IS NULL, {_CHANGED_AT}); "
            "END",
        ]
    if dialect == "postgresql":
        return [
            f"CREATE OR REPLACE FUNCTION {TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "IF TG_OP = 'INSERT' THEN "
            f"INSERT INTO {_COLUMNS} VALUES (NEW.id, NEW.unit_id, true, NEW.created_at); "
            "IF NEW.left_at IS NOT NULL THEN "
            f"INSERT INTO {_COLUMNS} VALUES (NEW.id, NEW.unit_id, false, NEW.left_at); "
            "END IF; "
            f"ELSIF {_PG_CHANGED} THEN "
            f"INSERT INTO {_COLUMNS} VALUES (NEW.id, NEW.unit_id, NEW.left_at IS NULL, {_CHANGED_AT}); "
            "END IF; RETURN NULL; END $$",
            f"CREATE TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OF unit_id, left_at ON employee "
            f"FOR EACH ROW EXECUTE FUNCTION {TRIGGER}()",
        ]
    return []


def drop_statements(dialect: str) -> list[str]:
    if dialect == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {TRIGGER}_insert", f"DROP TRIGGER IF EXISTS {TRIGGER}_update"]
    if dialect == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {TRIGGER} ON employee", f"DROP FUNCTION IF EXISTS {TRIGGER}()"]
    return []


def install_on(metadata: MetaData) -> None:
    create_with(metadata, "employee", trigger_statements)
