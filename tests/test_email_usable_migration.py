"""Migration 0018 on a database that already holds staff: each stored address judged by the
rule the reminders use (its frozen copy must agree with usable_address on every kind)."""
from __future__ import annotations

from pathlib import Path

from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from intranet import create_app
from intranet.extensions import db
from intranet.reminders.addresses import usable_address

from .conftest import ON_POSTGRES, base_config
from .support.reminders import ADDRESSES


def test_upgrade_judges_every_stored_address_as_the_reminders_do(tmp_path: Path) -> None:
    app = create_app(base_config(tmp_path))
    addresses = (*ADDRESSES, " an@x.vn\n", "\x1can@x.vn\x1f", "x" * 240 + "@rangers.test")
    with app.app_context():
        if ON_POSTGRES:  # the test database is a copy of the migrated template
            downgrade(revision="0017_figures_dated")
        else:
            upgrade(revision="0017_figures_dated")
        for n, address in enumerate(addresses):
            db.session.execute(text(
                "INSERT INTO employee (id, username, directory_dn, full_name, sort_key, email, "
                "is_head, is_admin, active, session_version, created_at, synced_at) VALUES "
                "(:id, :username, :username, 'Lê Văn Tám', 'tam', :email, false, false, true, 1, "
                "'2026-01-01', '2026-01-01')"
            ), {"id": 900 + n, "username": f"nv{n}", "email": address})
        db.session.commit()
        upgrade()
        stored = db.session.execute(text(
            "SELECT email, usable_email FROM employee WHERE id >= 900 ORDER BY id"
        )).all()
        db.session.remove()
        db.engine.dispose()
    assert [email for email, _usable in stored] == list(addresses)
    assert [usable for _email, usable in stored] == [usable_address(a) for a in addresses]
    assert any(usable for _email, usable in stored) and not all(usable for _email, usable in stored)
