"""Each employee's latest VNeID status, copied onto their row by the database, and guarded.

The compliance table of the current month needs everyone's latest status. Finding it in
the declaration history is a seek per person, most of the page's time at province scale;
reading it from the employee row is a scan of one index. A trigger writes the copy in the
transaction that records the declaration, for any client of the database, so it cannot
fall behind the history; the history stays the record (past months are read from it).

The copy carries the same weight as the declarations it mirrors, so a second trigger refuses
any other value in it: a direct `UPDATE employee SET vneid_status = 'level2_active'` would
otherwise count a never-declared person as level 2. Both triggers ask "the latest
declaration" through intranet/timelines.py, the definition every page uses, compiled to SQL.
Used by the models (create_all); migrations 0007 and 0009 hold the SQL as it was then.
"""
from __future__ import annotations

from sqlalchemy import MetaData, literal_column
from sqlalchemy.sql import ClauseElement
from sqlalchemy.dialects import postgresql, sqlite

from .append_only import create_with

TRIGGER = "declaration_sets_latest_status"
GUARD = "employee_latest_status_guard"
GUARD_MESSAGE = "employee.vneid_status is written by the database only"

_DIALECTS = {"sqlite": sqlite.dialect(), "postgresql": postgresql.dialect()}


def trigger_sql(element: ClauseElement, dialect: str) -> str:
    """`element` as SQL text for a trigger's body on `dialect`, its values written in."""
    compiled = element.compile(dialect=_DIALECTS[dialect], compile_kwargs={"literal_binds": True})
    return " ".join(str(compiled).split())


def latest_status_sql(employee_id: str, dialect: str) -> str:
    """The SQL of "the status of the employee's latest declaration", for a trigger's body."""
    from ..timelines import standing_declaration  # the models must be defined first

    return trigger_sql(standing_declaration(literal_column(employee_id)), dialect)


def _set_latest(dialect: str) -> str:
    latest = latest_status_sql("NEW.employee_id", dialect)
    return f"UPDATE employee SET vneid_status = {latest} WHERE id = NEW.employee_id"


def trigger_statements(dialect: str) -> list[str]:
    if dialect == "sqlite":
        return [f"CREATE TRIGGER {TRIGGER} AFTER INSERT ON declaration BEGIN {_set_latest(dialect)}; END"]
    if dialect == "postgresql":
        return [
            f"CREATE OR REPLACE FUNCTION {TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN {_set_latest(dialect)}; RETURN NULL; END $$",
            f"CREATE TRIGGER {TRIGGER} AFTER INSERT ON declaration "
            f"FOR EACH ROW EXECUTE FUNCTION {TRIGGER}()",
        ]
    return []


def guard_statements(dialect: str) -> list[str]:
    """Refuse a status on an employee row other than their latest declaration's."""
    if dialect == "sqlite":
        forged = f"NEW.vneid_status IS NOT {latest_status_sql('NEW.id', dialect)}"
        refuse = f"BEGIN SELECT RAISE(ABORT, '{GUARD_MESSAGE}'); END"
        return [
            f"CREATE TRIGGER {GUARD}_insert BEFORE INSERT ON employee WHEN {forged} {refuse}",
            f"CREATE TRIGGER {GUARD}_update BEFORE UPDATE OF vneid_status ON employee "
            f"WHEN {forged} {refuse}",
        ]
    if dialect == "postgresql":
        forged = f"NEW.vneid_status IS DISTINCT FROM {latest_status_sql('NEW.id', dialect)}"
        return [
            f"CREATE OR REPLACE FUNCTION {GUARD}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN IF {forged} THEN RAISE EXCEPTION '{GUARD_MESSAGE}'; END IF; RETURN NEW; END $$",
            f"CREATE TRIGGER {GUARD} BEFORE INSERT OR UPDATE OF vneid_status ON employee "
            f"FOR EACH ROW EXECUTE FUNCTION {GUARD}()",
        ]
    return []


def install_on(metadata: MetaData) -> None:
    create_with(metadata, "declaration", trigger_statements)
    create_with(metadata, "employee", guard_statements)
