"""Debian's nginx on loopback, running a rendered site of ours, for the tests and checks.

    cert, key = self_signed_certificate(tmp_path / "tls")
    site = render_site(server_name="localhost", app_servers=["127.0.0.1:8001"], cert=cert, ...)
    with Nginx(tmp_path / "nginx", site) as nginx:          # its own prefix, config and logs
        ...

The main configuration is a minimal one of our own (Debian's would listen on port 80 and
log to /var/log/nginx); the site itself is deploy/nginx/intranet.conf.in as shipped,
rendered by deploy/render_nginx_site.py. Needs the Debian packages nginx and openssl.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from . import process
from .process import Service

ROOT = Path(__file__).resolve().parents[2]
RENDER_SITE = ROOT / "deploy" / "render_nginx_site.py"
MIME_TYPES = Path("/etc/nginx/mime.types")


class NginxError(RuntimeError):
    """nginx or openssl could not be found, refused the configuration or did not start."""


def nginx_binary() -> str:
    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
    if found is None:
        raise NginxError("no nginx: install the nginx package")
    return found


def self_signed_certificate(directory: Path, name: str = "localhost") -> tuple[Path, Path]:
    """A certificate for `name` and 127.0.0.1 (its own CA: give it to the client as `verify`)."""
    directory.mkdir(parents=True, exist_ok=True)
    cert, key = directory / "cert.pem", directory / "key.pem"
    result = subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-sha256",
            "-days",
            "2",
            "-subj",
            f"/CN={name}",
            "-addext",
            f"subjectAltName=DNS:{name},IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    if result.returncode != 0:
        raise NginxError(f"openssl failed:\n{result.stderr}")
    return cert, key


def render_site(
    *,
    server_name: str,
    app_servers: list[str],
    cert: Path,
    key: Path,
    https_listen: str,
    http_listen: str,
    log_dir: Path,
    max_body: str = "2m",
) -> str:
    """The shipped site, rendered by the shipped command an operator runs."""
    args = [
        sys.executable,
        str(RENDER_SITE),
        "--server-name",
        server_name,
        "--cert",
        str(cert),
        "--key",
        str(key),
        "--https-listen",
        https_listen,
        "--http-listen",
        http_listen,
        "--log-dir",
        str(log_dir),
        "--max-body",
        max_body,
    ]
    for server in app_servers:
        args += ["--app", server]
    result = subprocess.run(args, capture_output=True, text=True, timeout=30)
    if result.returncode != 0:
        raise NginxError(f"render_nginx_site.py failed:\n{result.stderr}")
    return result.stdout


class Nginx(Service):
    """One nginx master (in the foreground) with its own prefix under `workdir`."""

    def __init__(self, workdir: Path, site: str) -> None:
        self.workdir = Path(workdir).resolve()
        self.site = site
        self.binary = nginx_binary()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def conf(self) -> Path:
        return self.workdir / "nginx.conf"

    @property
    def error_log(self) -> Path:
        return self.workdir / "logs" / "error.log"

    def write_config(self) -> None:
        for sub in ("logs", "temp"):
            (self.workdir / sub).mkdir(parents=True, exist_ok=True)
        (self.workdir / "site.conf").write_text(self.site, encoding="utf-8")
        temp = self.workdir / "temp"
        # Workers run as the user who started us: as root, root (nginx's default, nobody,
        # could not write the temp folders here nor read a worktree it does not own).
        user = "user root root;\n" if os.geteuid() == 0 else ""
        self.conf.write_text(
            f"""{user}worker_processes 1;
pid {self.workdir / "nginx.pid"};
error_log {self.error_log} warn;
events {{ worker_connections 512; }}
http {{
    include {MIME_TYPES};
    default_type application/octet-stream;
    sendfile on;
    client_body_temp_path {temp / "body"};
    proxy_temp_path {temp / "proxy"};
    fastcgi_temp_path {temp / "fastcgi"};
    uwsgi_temp_path {temp / "uwsgi"};
    scgi_temp_path {temp / "scgi"};
    access_log {self.workdir / "logs" / "access.log"};
    include {self.workdir / "site.conf"};
}}
""",
            encoding="utf-8",
        )

    def _args(self) -> list[str]:
        return [self.binary, "-p", str(self.workdir), "-c", str(self.conf)]

    def check(self) -> str:
        """`nginx -t` on the configuration; its report, or NginxError."""
        self.write_config()
        result = subprocess.run([*self._args(), "-t"], capture_output=True, text=True, timeout=30)
        if result.returncode != 0:
            raise NginxError(f"nginx -t refused the configuration:\n{result.stderr}")
        return result.stderr

    def start(self, ports: tuple[int, ...] = (), timeout: float = 15) -> Nginx:
        self.check()
        # Its messages go to the error log; the master's own output is only start-up noise.
        self.process = process.spawn([*self._args(), "-g", "daemon off;"], self.workdir / "nginx.out")
        if process.wait_until(lambda: all(process.accepts(port) for port in ports), self.process, timeout, 0.1):
            return self
        stopped = self.process.poll() is not None
        self.stop()
        if stopped:
            raise NginxError(f"nginx stopped at start:\n{self.log_tail()}")
        raise NginxError(f"nginx did not listen on {ports}:\n{self.log_tail()}")

    def stop(self) -> None:
        running, self.process = self.process, None
        process.stop(running, 20, sig=signal.SIGQUIT)  # graceful: finish the requests in flight

    def log_tail(self, lines: int = 30) -> str:
        return process.log_tail(self.error_log, lines)
