"""The shipped deployment files: nginx site, systemd units, backup script, versioned static URLs."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from flask import Flask, url_for

from .support.nginx_server import RENDER_SITE, Nginx, render_site, self_signed_certificate
from .support.backup import run_backup
from .support.process import free_port

ROOT = Path(__file__).resolve().parent.parent


def test_the_rendered_nginx_site_is_accepted_by_nginx(tmp_path: Path) -> None:
    cert, key = self_signed_certificate(tmp_path / "tls")
    site = render_site(
        server_name="intranet.example.vn",
        app_servers=["127.0.0.1:8001", "10.0.0.2:8000"],
        cert=cert,
        key=key,
        https_listen=f"127.0.0.1:{free_port()}",
        http_listen=f"127.0.0.1:{free_port()}",
        log_dir=tmp_path,
    )
    assert "@" not in site.replace("$", "")  # every field filled in
    assert "server 10.0.0.2:8000 max_fails=1 fail_timeout=3s;" in site
    assert f"alias {ROOT / 'static'}/;" in site
    assert "syntax is ok" in Nginx(tmp_path / "nginx", site).check()


@pytest.mark.parametrize(
    "args",
    [
        ["--server-name", "intranet.example.vn; include /etc/shadow"],
        ["--server-name", "intranet.example.vn", "--app", "127.0.0.1:8000;}"],
        ["--server-name", "intranet.example.vn", "--static-dir", "/srv/my static"],
    ],
)
def test_the_site_renderer_refuses_values_that_would_change_the_config(args: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, str(RENDER_SITE), *args], capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "is not a plain address, name or path" in result.stderr
    assert result.stdout == ""


def test_static_urls_carry_a_hash_of_the_file(app: Flask, tmp_path: Path) -> None:
    static = tmp_path / "static"
    (static / "css").mkdir(parents=True)
    (static / "css" / "app.css").write_text("body { color: black }")
    app.static_folder = str(static)
    with app.test_request_context():
        first = url_for("static", filename="css/app.css")
        assert first.startswith("/static/css/app.css?v=")
        (static / "css" / "app.css").write_text("body { color: green }")
        second = url_for("static", filename="css/app.css")
        assert second != first and second.startswith("/static/css/app.css?v=")
        assert url_for("static", filename="missing.css") == "/static/missing.css"
        assert url_for("static", filename="../config.py") == "/static/../config.py"


def test_pages_link_the_versioned_stylesheet(client) -> None:
    page = client.get("/login").get_data(as_text=True)
    assert 'href="/static/css/app.css?v=' in page


def test_the_systemd_units_are_valid(tmp_path: Path) -> None:
    units = sorted((ROOT / "deploy" / "systemd").iterdir())
    assert {u.name for u in units} >= {
        "intranet.service",
        "intranet-migrate.service",
        "intranet-sync.service",
        "intranet-sync.timer",
        "intranet-backup.service",
        "intranet-backup.timer",
        "intranet-reminders.service",
        "intranet-reminders.timer",
    }
    for unit in units:
        (tmp_path / unit.name).write_text(unit.read_text())
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *(str(tmp_path / u.name) for u in units)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    # The one thing this machine lacks is the installed app under /opt/intranet.
    complaints = [
        line
        for line in (result.stdout + result.stderr).splitlines()
        if line.strip() and not re.search(r"Command /opt/intranet/\S+ is not executable", line)
    ]
    assert complaints == []


def test_every_unit_runs_the_app_from_its_install_folder() -> None:
    for unit in (ROOT / "deploy" / "systemd").glob("*.service"):
        text = unit.read_text()
        assert "EnvironmentFile=/etc/intranet/intranet.env" in text, unit.name
        assert "User=intranet" in text and "ProtectSystem=strict" in text, unit.name
        for command in re.findall(r"^ExecStart=(\S+)", text, re.MULTILINE):
            shipped = command.removeprefix("/opt/intranet/")
            assert shipped.startswith(".venv/bin/") or (ROOT / shipped).is_file(), (
                unit.name,
                command,
            )


def test_the_nightly_backup_copies_sqlite_and_prunes_old_copies(tmp_path: Path) -> None:
    from .conftest import make_app

    database = tmp_path / "live.db"
    app = make_app(tmp_path, SQLALCHEMY_DATABASE_URI=f"sqlite:///{database}")
    with app.app_context():
        from intranet.extensions import db

        db.engine.dispose()
    backups = tmp_path / "backups"
    backups.mkdir()
    old, recent = backups / "intranet-2020-01-01T0130.db", backups / "intranet-yesterday.db"
    for path in (old, recent):
        path.write_bytes(b"an earlier copy")
    os.utime(old, (time.time() - 20 * 86400,) * 2)
    env = {
        "PATH": os.environ["PATH"],
        "DATABASE_URL": f"sqlite:///{database}",
        "BACKUP_DIR": str(backups),
        "SECRET_KEY": "k",
        "LDAP_URL": "",
    }
    result = run_backup(env)
    assert result.returncode == 0, result.stderr
    made = [p for p in backups.iterdir() if p not in (old, recent)]
    assert len(made) == 1 and made[0].name.startswith("intranet-") and made[0].suffix == ".db"
    assert made[0].stat().st_mode & 0o077 == 0  # readable by its owner only
    assert "kiểm tra toàn vẹn: ok" in result.stdout
    assert not old.exists() and recent.exists()


def test_the_backup_fails_loudly_when_postgresql_cannot_be_reached(tmp_path: Path) -> None:
    env = {
        "PATH": os.environ["PATH"],
        "BACKUP_DIR": str(tmp_path),
        "DATABASE_URL": f"postgresql+psycopg://intranet@127.0.0.1:{free_port()}/intranet",
    }
    result = run_backup(env)
    assert result.returncode != 0
    assert "pg_dump" in result.stderr
    assert list(tmp_path.glob("intranet-*")) == []  # no half-written file left as a "backup"
