"""The app under gunicorn with the shipped settings (deploy/gunicorn.conf.py), as in production.

    server = AppServer(env, log_path, workers=1).start()   # on a free loopback port
    requests.get(server.url + "/healthz")
    server.stop()                                          # SIGTERM: requests in flight finish

Used by the tests, `make load` and `make deploy-check`.
"""
from __future__ import annotations

import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from pathlib import Path

from . import process
from .process import Service

ROOT = Path(__file__).resolve().parents[2]
GUNICORN_CONFIG = ROOT / "deploy" / "gunicorn.conf.py"
_PORT_ATTEMPTS = 3


class AppServerError(RuntimeError):
    """gunicorn did not start, or stopped on its own."""


class AppServer(Service):
    def __init__(
        self,
        env: Mapping[str, str],
        log: Path,
        *,
        workers: int | None = None,
        extra_args: tuple[str, ...] = (),
        startup_timeout: float = 60,
    ) -> None:
        self.env = dict(env)
        self.log = log
        self.workers = workers
        self.extra_args = extra_args
        self.startup_timeout = startup_timeout
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

    def start(self) -> AppServer:
        port = process.launch_on_a_port(self._launch, self.port, _PORT_ATTEMPTS)
        if port is None:
            raise AppServerError(f"gunicorn did not start; see {self.log}:\n{self.log_tail()}")
        return self

    def _launch(self, port: int) -> bool:
        self.port = port
        self.process = process.spawn(self.command(port), self.log, cwd=ROOT, env=self.env)
        if process.wait_until(self._healthy, self.process, self.startup_timeout, interval=0.2):
            return True
        self.stop()
        return False

    def _healthy(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/healthz", timeout=5) as response:
                return response.status == 200
        except (OSError, urllib.error.URLError):
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
        running, self.process = self.process, None
        process.stop(running, timeout)

    def log_tail(self, lines: int = 40) -> str:
        return process.log_tail(self.log, lines)
