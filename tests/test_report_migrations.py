"""Migrations 0012-0013 on a database that already holds data: report settings started, the
2025 reform's issuing bodies, sort keys recomputed."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from intranet import create_app
from intranet.extensions import db
from intranet.notices.reference_data import CURRENT_BODIES, ISSUING_BODIES
from intranet.vietnamese import name_sort_key, text_sort_key

from .conftest import ON_POSTGRES, base_config


@contextmanager
def database_at(tmp_path: Path, revision: str) -> Iterator[Flask]:
    """An app whose database stands at `revision` (built from nothing, or taken back to it)."""
    app = create_app(base_config(tmp_path))
    with app.app_context():
        if ON_POSTGRES:  # the test database is a copy of the migrated template
            downgrade(revision=revision)
        else:
            upgrade(revision=revision)
        yield app
        db.session.remove()
        db.engine.dispose()


def test_upgrade_recomputes_every_stored_sort_key(tmp_path: Path) -> None:
    with database_at(tmp_path, "0008"):
        db.session.execute(text(
            "INSERT INTO unit (id, name, sort_key, active, created_at) VALUES "
            "(901, 'Phòng Tổ chức – Hành chính', 'stale', true, '2026-01-01')"
        ))
        db.session.execute(text(
            "INSERT INTO employee (id, username, directory_dn, full_name, sort_key, unit_id, is_head, "
            "is_admin, active, session_version, created_at, synced_at) VALUES "
            "(901, 'lanc', 'uid=lanc', 'Chu Văn Hòa', 'stale', 901, false, false, true, 1, "
            "'2026-01-01', '2026-01-01')"
        ))
        db.session.commit()
        upgrade()
        units = dict(db.session.execute(text("SELECT name, sort_key FROM unit")).all())
        staff = dict(db.session.execute(text("SELECT full_name, sort_key FROM employee")).all())
        bodies = db.session.execute(text("SELECT name, sort_key FROM issuing_body")).all()
        active = set(db.session.scalars(text("SELECT name FROM issuing_body WHERE active")))
        settings = db.session.execute(text("SELECT agency_name, parent_agency_name FROM report_settings")).all()
        order = db.session.scalars(text(
            "SELECT u.name FROM unit_report_order o JOIN unit u ON u.id = o.unit_id ORDER BY o.position"
        )).all()
    assert units["Phòng Tổ chức – Hành chính"] == text_sort_key("Phòng Tổ chức – Hành chính")
    assert staff == {"Chu Văn Hòa": name_sort_key("Chu Văn Hoà")}
    assert bodies and all(key == text_sort_key(name) for name, key in bodies)
    # The 2025 reform: the abolished districts' one-stop shops retired, the merged province's bodies in.
    assert active == set(CURRENT_BODIES)
    assert set(ISSUING_BODIES) <= {name for name, _key in bodies}
    # The heading the environment gave before carries over; the units get an editable order.
    assert settings == [("Chi cục Kiểm lâm", "Sở Nông nghiệp và Môi trường")]
    assert order == ["Phòng Tổ chức – Hành chính"]
