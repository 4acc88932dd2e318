"""The process handling every test server shares (tests/support/process.py): a server that
half started or will not stop is never left running."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .support import process
from .support.process import Service

IGNORES_SIGTERM = (
    "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); print('up', flush=True); time.sleep(60)"
)


def test_a_process_deaf_to_sigterm_is_killed_after_the_timeout(tmp_path: Path) -> None:
    log = tmp_path / "deaf.log"
    deaf = process.spawn([sys.executable, "-c", IGNORES_SIGTERM], log)
    assert process.wait_until(lambda: "up" in log.read_text(), deaf, 10)
    process.stop(deaf, 0.5)
    assert deaf.returncode == -9  # SIGKILL


def test_waiting_ends_when_the_process_does(tmp_path: Path) -> None:
    gone = process.spawn([sys.executable, "-c", "raise SystemExit(3)"], tmp_path / "gone.log")
    assert not process.wait_until(lambda: False, gone, 30)
    assert gone.returncode == 3


def test_a_launch_refused_on_one_port_is_tried_on_another() -> None:
    tried: list[int] = []

    def launch(port: int) -> bool:  # the first port turns out to be taken
        tried.append(port)
        return len(tried) == 2

    port = process.launch_on_a_port(launch, None, 3)
    assert len(tried) == 2 and port == tried[1] and tried[0] != tried[1]
    assert process.launch_on_a_port(lambda p: False, 5000, 3) is None  # a restart keeps its port


def test_a_server_that_fails_half_way_through_start_is_stopped(tmp_path: Path) -> None:
    class HalfStarted(Service):
        child: subprocess.Popen[bytes] | None = None

        def start(self) -> HalfStarted:
            self.child = process.spawn([sys.executable, "-c", "import time; time.sleep(60)"], tmp_path / "h.log")
            raise RuntimeError("not ready")

        def stop(self) -> None:
            process.stop(self.child, 5)

    server = HalfStarted()
    with pytest.raises(RuntimeError, match="not ready"):
        with server:
            pass
    assert server.child is not None and server.child.poll() is not None
