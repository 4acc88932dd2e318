"""A real Redis server for the tests and the production checks.

``Redis`` runs the distribution's ``redis-server`` in the foreground on a free loopback
port, with no persistence and its files in a work directory of its own:

    with Redis(tmp_path) as server:
        app.config["RATELIMIT_STORAGE_URI"] = server.url   # redis://127.0.0.1:PORT/0

Needs only the Debian package ``redis-server``.  ``stop()`` ends it; a later ``start()``
starts an empty server on the same port (an outage and a recovery).
"""
from __future__ import annotations

import shutil
import socket
import subprocess
from pathlib import Path

from . import process
from .process import Service

REDIS_SERVER = "redis-server"
_PORT_ATTEMPTS = 5


class RedisError(RuntimeError):
    """redis-server could not be found or started."""


class Redis(Service):
    def __init__(self, workdir: Path, *, startup_timeout: float = 10.0) -> None:
        executable = shutil.which(REDIS_SERVER) or shutil.which(REDIS_SERVER, path="/usr/bin")
        if executable is None:
            raise RedisError("no redis-server: install the redis-server package")
        self.executable = executable
        self.workdir = Path(workdir)
        self.startup_timeout = startup_timeout
        self.port: int | None = None
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        if self.port is None:
            raise RedisError("Redis has not been started")
        return f"redis://127.0.0.1:{self.port}/0"

    @property
    def log_path(self) -> Path:
        return self.workdir / "redis.log"

    def start(self) -> Redis:
        self.workdir.mkdir(parents=True, exist_ok=True)
        port = process.launch_on_a_port(self._launch, self.port, _PORT_ATTEMPTS)
        if port is None:
            raise RedisError(f"redis-server did not start\n{process.log_tail(self.log_path, 20)}")
        self.port = port
        return self

    def stop(self) -> None:
        running, self.process = self.process, None
        process.stop(running, 10)

    def _launch(self, port: int) -> bool:
        self.process = process.spawn(
            [
                self.executable,
                "--bind",
                "127.0.0.1",
                "--port",
                str(port),
                "--dir",
                str(self.workdir),
                "--save",
                "",
                "--appendonly",
                "no",
                "--protected-mode",
                "yes",
                "--daemonize",
                "no",
            ],
            self.log_path,
            cwd=self.workdir,
        )
        if process.wait_until(lambda: _answers_ping(port), self.process, self.startup_timeout):
            return True
        self.stop()  # ended by itself (e.g. the port was taken between the probe and the bind), or hung
        return False


def _answers_ping(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False
