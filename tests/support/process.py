"""What every server the tests and scripts start has in common: a free loopback port (another
process may take it before the server binds it, so a launch is tried on a few), a process with
its output in a log, the wait until it serves, the stop (a signal, then SIGKILL), the end of
its log for an error message, and `with Server(...) as server:`."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Self

HOST = "127.0.0.1"


class Service:
    """A server with start() and stop(); `with` starts it and always stops it, also when
    start() fails half way (a server that half started must not outlive the run)."""

    def start(self) -> Self:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def free_port() -> int:
    """A loopback port nobody listens on now."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def launch_on_a_port(launch: Callable[[int], bool], port: int | None, attempts: int) -> int | None:
    """The port `launch(port)` succeeded on: `port` alone when given (a restart keeps its
    URL), else up to `attempts` free ports, since a launch fails when another process took
    the probed port first. None when every launch failed."""
    for candidate in [port] if port is not None else (free_port() for _ in range(attempts)):
        if launch(candidate):
            return candidate
    return None


def spawn(
    command: Sequence[str],
    log: Path,
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    own_group: bool = False,
) -> subprocess.Popen[bytes]:
    """`command` in the background, its output appended to `log`; with `own_group` in a
    process group of its own, so that stop(..., group=True) ends its children too."""
    with log.open("ab") as out:
        return subprocess.Popen(
            list(command),
            cwd=cwd,
            env=None if env is None else dict(env),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=out,
            start_new_session=own_group,
        )


def wait_until(
    ready: Callable[[], bool], process: subprocess.Popen[bytes], timeout: float, interval: float = 0.05
) -> bool:
    """True once `ready()`; False when the process ends first or `timeout` seconds pass
    (`process.poll()` tells which)."""
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            return False
        if ready():
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(interval)


def stop(
    process: subprocess.Popen[bytes] | None,
    timeout: float = 10,
    *,
    sig: signal.Signals = signal.SIGTERM,
    group: bool = False,
) -> None:
    """`sig` (to the process group with `group`), then SIGKILL if it is still there after
    `timeout` seconds; nothing if it has ended already."""
    if process is None or process.poll() is not None:
        return
    send = (lambda s: os.killpg(process.pid, s)) if group else process.send_signal
    try:
        send(sig)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            send(signal.SIGKILL)
            process.wait(timeout)
    except ProcessLookupError:
        process.wait(timeout)  # it ended between the poll and the signal


def accepts(port: int, timeout: float = 0.5) -> bool:
    """Something listens on the loopback `port`."""
    try:
        with socket.create_connection((HOST, port), timeout=timeout):
            return True
    except OSError:
        return False


def log_tail(path: Path, lines: int = 40) -> str:
    """The last `lines` of a server's log, to put in an error message."""
    try:
        tail = path.read_text("utf-8", "replace").splitlines()[-lines:]
    except OSError:
        return f"(no log at {path})"
    return f"--- last lines of {path} ---\n" + "\n".join(tail)
