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
import time
from pathlib import Path
from types import TracebackType

REDIS_SERVER = "redis-server"
_PORT_ATTEMPTS = 5


class RedisError(RuntimeError):
    """redis-server could not be found or started."""


class Redis:
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
        ports = (
            [self.port] if self.port is not None else [_free_port() for _ in range(_PORT_ATTEMPTS)]
        )
        for port in ports:
            if self._launch(port):
                self.port = port
                return self
        raise RedisError(f"redis-server did not start\n{self._log_tail()}")

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)

    def __enter__(self) -> Redis:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _launch(self, port: int) -> bool:
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
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
                cwd=self.workdir,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
            )
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.process = None
                return False  # e.g. the port was taken between the probe and the bind
            if _answers_ping(port):
                return True
            time.sleep(0.05)
        self.stop()
        return False

    def _log_tail(self) -> str:
        try:
            return "\n".join(self.log_path.read_text("utf-8", "replace").splitlines()[-20:])
        except OSError:
            return "(no log)"


def _answers_ping(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
