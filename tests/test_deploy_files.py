"""The shipped deployment files: the nginx site nginx accepts, static URLs that name their content."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from flask import Flask, url_for

from .nginx_server import RENDER_SITE, Nginx, free_port, render_site, self_signed_certificate

ROOT = Path(__file__).resolve().parent.parent


def test_the_rendered_nginx_site_is_accepted_by_nginx(tmp_path: Path) -> None:
    cert, key = self_signed_certificate(tmp_path / "tls")
    site = render_site(
        server_name="intranet.example.vn", app_servers=["127.0.0.1:8001", "10.0.0.2:8000"],
        cert=cert, key=key, https_listen=f"127.0.0.1:{free_port()}",
        http_listen=f"127.0.0.1:{free_port()}", log_dir=tmp_path,
    )
    assert "@" not in site.replace("$", "")  # every field filled in
    assert "server 10.0.0.2:8000 max_fails=1" in site
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
    result = subprocess.run([sys.executable, str(RENDER_SITE), *args], capture_output=True, text=True)
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
