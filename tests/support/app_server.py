"""The app under gunicorn with the shipped settings (deploy/gunicorn.conf.py), as in production.

    server = AppServer(env, log_path, workers=1).start()   # on a free loopback port
    requests.get(server.url + "/healthz")
    server.stop()                                          # SIGTERM: requests in flight finish

Used by the tests, `make load` and `make deploy-check`.
"""
from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GUNICORN_CONFIG = ROOT / "deploy" / "gunicorn.conf.py"
_PORT_ATTEMPTS = 3


class AppServerError(RuntimeError):
    """gunicorn did not start, or stopped on its own."""


class AppServer:
    def __init__(
        self,
        env: Mapping[str, str],
        log: Path,
        *,
        workers: int | None = None,
        extra_args: tuple[str, ...] = (),
    ) -> None:
        self.env = dict(env)
        self.log = log
        self.workers = workers
        self.extra_args = extra_args
        self.port: int | None = None
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def command(self, port: int) -> list[str]:
        args = [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            str(GUNICORN_CONFIG),
            "--bind",
            f"127.0.0.1:{port}",
        ]
        if self.workers is not None:
            args += ["--workers", str(self.workers)]
        return [*args, *self.extra_args, "wsgi:app"]

    def launch(self, port: int) -> subprocess.Popen[bytes]:
        with self.log.open("ab") as log:
            return subprocess.Popen(
                self.command(port),
                cwd=ROOT,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
            )

    def start(self, timeout: float = 60) -> AppServer:
        ports = (
            [self.port] if self.port is not None else [_free_port() for _ in range(_PORT_ATTEMPTS)]
        )
        for port in ports:  # another process may take a probed port before gunicorn binds it
            self.port, self.process = port, self.launch(port)
            if self._ready(timeout):
                return self
            self.stop()
        raise AppServerError(f"gunicorn did not start; see {self.log}:\n{self.log_tail()}")

    def _ready(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                return False
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=5) as response:
                    if response.status == 200:
                        return True
            except (OSError, urllib.error.URLError):
                pass
            time.sleep(0.2)
        return False

    def reload(self, timeout: float = 60) -> None:
        """SIGHUP, as `systemctl reload`: new workers (new code), the old ones finish and go.

        Returns once every worker running is one started after the signal.
        """
        if self.process is None:
            raise AppServerError("gunicorn is not running")
        before = self._workers()
        self.process.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            now = self._workers()
            if now and not now & before:
                return
            time.sleep(0.2)
        raise AppServerError(f"gunicorn did not replace its workers:\n{self.log_tail()}")

    def _workers(self) -> set[int]:
        if self.process is None:
            return set()
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return {int(pid) for pid in path.read_text().split()}
        except OSError:
            return set()

    def stop(self, timeout: float = 40) -> None:
        """SIGTERM, as systemd stops it: workers finish their request, then exit."""
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text("utf-8", "replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
