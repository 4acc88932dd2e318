"""The directory servers: verified TLS, and an order that puts recently dead servers last."""
from __future__ import annotations

import ssl
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from ldap3 import NONE, Server, Tls


def tls_settings(ca_file: str | None) -> Tls:
    """Certificate and host name always checked: against `ca_file`, or the system's CAs."""
    # ldap3 checks the host name itself once the handshake is done (tls.check_hostname).
    return Tls(validate=ssl.CERT_REQUIRED, ca_certs_file=ca_file)


def is_plaintext(urls: Sequence[str], start_tls: bool) -> bool:
    """Would a password cross the network in clear to any of these servers?"""
    return not start_tls and any(not url.lower().startswith("ldaps://") for url in urls)


class DownServers:
    """Servers that timed out or refused lately, shared by every request of the process.

    A hung first server would otherwise cost a full timeout on every sign-in before the
    second is tried. Marked servers are tried last, not never: when every server is
    marked, they are still tried in order, so a recovered directory is noticed at once.
    """

    def __init__(self) -> None:
        self._until: dict[str, float] = {}
        self._lock = threading.Lock()

    def mark(self, url: str, retry_after: float) -> None:
        with self._lock:
            self._until[url] = time.monotonic() + retry_after

    def clear(self, url: str) -> None:
        with self._lock:
            self._until.pop(url, None)

    def is_down(self, url: str) -> bool:
        with self._lock:
            until = self._until.get(url)
            if until is None:
                return False
            if until <= time.monotonic():
                del self._until[url]
                return False
            return True

    def order(self, urls: Sequence[str]) -> list[str]:
        """`urls` in their configured order, servers marked down after the others."""
        return sorted(urls, key=self.is_down)  # sorted() is stable


DOWN = DownServers()


@dataclass
class ServerList:
    """The configured servers, each with verified TLS, and how long a dead one is passed over."""

    urls: list[str]
    timeout: int
    retry_after: int
    ca_file: str | None = None
    down: DownServers = field(default=DOWN)

    def __post_init__(self) -> None:
        tls = tls_settings(self.ca_file)
        self._servers = {
            url: Server(url, connect_timeout=self.timeout, get_info=NONE, tls=tls)
            for url in self.urls
        }

    def candidates(self) -> list[tuple[str, Server]]:
        return [(url, self._servers[url]) for url in self.down.order(self.urls)]

    def failed(self, url: str) -> None:
        self.down.mark(url, self.retry_after)

    def answered(self, url: str) -> None:
        self.down.clear(url)
