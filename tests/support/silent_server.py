"""A directory server that hangs: it accepts connections on a loopback port and never answers,
counting who came (for failover and time-out tests)."""
from __future__ import annotations

import socket
import threading

from .process import HOST, Service


class SilentServer(Service):
    def __init__(self) -> None:
        self.listener: socket.socket | None = None
        self.held: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        assert self.listener is not None, "not started"
        return f"ldap://{HOST}:{self.listener.getsockname()[1]}"

    @property
    def connections(self) -> int:
        return len(self.held)

    def start(self) -> SilentServer:
        self.listener = socket.socket()
        self.listener.bind((HOST, 0))
        self.listener.listen()
        self.listener.settimeout(0.1)
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()
        return self

    def _accept(self) -> None:
        assert self.listener is not None
        while not self._stop.is_set():
            try:
                self.held.append(self.listener.accept()[0])
            except OSError:
                continue

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        for conn in self.held:
            conn.close()
        if self.listener is not None:
            self.listener.close()
