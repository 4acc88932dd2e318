"""Run a command inside a private network namespace made for it, then remove the namespace.

    python tests/support/netns.py -- .venv/bin/python -m pytest ...

The Samba AD DC of the tests (tests/support/samba_dc.py) needs the fixed ports 389, 636, 88, ...
and a host name of its own that its certificate names. In a namespace of its own it has
both without touching the machine: only a loopback interface, and a hosts file that
`ip netns exec` mounts over /etc/hosts for everything started inside (slapd, PostgreSQL,
Chromium and the test process itself all talk over that loopback). Needs root and `ip`
(iproute2); without them the command runs as is, and the AD tests skip saying why.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

# The test DC's name (tests/support/samba_dc.py provisions it with this realm and host name).
DC_REALM = "kiemlam.gov.vn"
DC_HOST = f"dc1.{DC_REALM}"
INSIDE = "INTRANET_TEST_NETNS"  # set for the command: the namespace it runs in
UNAVAILABLE = "INTRANET_TEST_NETNS_UNAVAILABLE"  # set instead: why there is none
NETNS_ETC = Path("/etc/netns")


def _ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True, timeout=30)


def unavailable_reason() -> str | None:
    if os.geteuid() != 0:
        return "a private network namespace needs root"
    if shutil.which("ip") is None:
        return "the `ip` command (iproute2) is not installed"
    return None


def create(name: str) -> None:
    _ip("netns", "add", name)
    _ip("netns", "exec", name, "ip", "link", "set", "lo", "up")
    folder = NETNS_ETC / name
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "hosts").write_text(
        "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"
        f"127.0.0.1\t{DC_HOST} dc1\n",
        encoding="ascii",
    )


def remove(name: str) -> None:
    subprocess.run(["ip", "netns", "del", name], capture_output=True, timeout=30)
    shutil.rmtree(NETNS_ETC / name, ignore_errors=True)


def run(command: list[str]) -> int:
    env = dict(os.environ)
    reason = unavailable_reason()
    name = f"intranet-test-{os.getpid()}"
    if reason is None:
        try:
            create(name)
        except (OSError, subprocess.SubprocessError) as error:
            remove(name)
            reason = f"could not create a network namespace: {error}"
    if reason is not None:
        env[UNAVAILABLE] = reason
        return subprocess.call(command, env=env)
    env[INSIDE] = name
    child = subprocess.Popen(["ip", "netns", "exec", name, *command], env=env)

    def forward(signum: int, _frame: object) -> None:
        child.send_signal(signum)

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, forward)
    try:
        return child.wait()
    finally:
        remove(name)


def main(argv: list[str]) -> int:
    if "--" in argv:
        argv = argv[argv.index("--") + 1:]
    if not argv:
        print("usage: python tests/support/netns.py -- COMMAND ...", file=sys.stderr)
        return 2
    return run(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
