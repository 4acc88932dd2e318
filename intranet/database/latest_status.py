"""Each employee's latest VNeID status, copied onto their row by the database.

The compliance table of the current month needs everyone's latest status. Finding it in
the declaration history is a seek per person, most of the page's time at province scale;
reading it from the employee row is a scan of one index. A trigger writes the copy in the
transaction that records the declaration, for any client of the database, so it cannot
fall behind the history; the history stays the record (past months are read from it).
Used by the models (create_all) and by migration 0007, so both build the same trigger.
"""
from __future__ import annotations

from sqlalchemy import MetaData

from .append_only import create_with

TRIGGER = "declaration_sets_latest_status"

# The latest declaration, by the same rule as the compliance figures: latest time, then id.
_SET_LATEST = (
    "UPDATE employee SET vneid_status = ("
    "SELECT status FROM declaration WHERE employee_id = NEW.employee_id "
    "ORDER BY declared_at DESC, id DESC LIMIT 1) "
    "WHERE id = NEW.employee_id"
)

BACKFILL = (
    "UPDATE employee SET vneid_status = ("
    "SELECT status FROM declaration WHERE employee_id = employee.id "
    "ORDER BY declared_at DESC, id DESC LIMIT 1)"
)


def trigger_statements(dialect: str) -> list[str]:
    if dialect == "sqlite":
        return [f"CREATE TRIGGER {TRIGGER} AFTER INSERT ON declaration BEGIN {_SET_LATEST}; END"]
    if dialect == "postgresql":
        return [
            f"CREATE OR REPLACE FUNCTION {TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN {_SET_LATEST}; RETURN NULL; END $$",
            f"CREATE TRIGGER {TRIGGER} AFTER INSERT ON declaration "
            f"FOR EACH ROW EXECUTE FUNCTION {TRIGGER}()",
        ]
    return []


def drop_statements(dialect: str) -> list[str]:
    if dialect == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {TRIGGER}"]
    if dialect == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {TRIGGER} ON declaration", f"DROP FUNCTION IF EXISTS {TRIGGER}()"]
    return []


def install_on(metadata: MetaData) -> None:
    create_with(metadata, "declaration", trigger_statements)
