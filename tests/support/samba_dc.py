"""A real Samba AD DC for the test suite, provisioned into a temporary folder.

    with SambaDC(tmp_path) as dc:          # provision, start, populate (tests/support/samba_admin.py)
        app.config["LDAP_URL"] = dc.ldaps_url
        dc.admin("disable", username="dathv")

Runs Debian's `samba` in the foreground under a PID we keep, inside the private network
namespace the test run is in (tests/support/netns.py): Samba needs the fixed ports 389/636 and
the host name its certificate names (dc1.kiemlam.gov.vn). Only its LDAP service runs: the app
binds and searches, nothing speaks Kerberos or SMB to it. Everything, TLS files included,
stays in the work folder; stop() ends the DC and its children.
"""
from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from .netns import DC_HOST, DC_REALM
from . import process
from .process import Service

SAMBA = Path("/usr/sbin/samba")
SAMBA_TOOL = Path("/usr/bin/samba-tool")
SYSTEM_PYTHON = Path("/usr/bin/python3")
ADMIN_SCRIPT = Path(__file__).with_name("samba_admin.py")
ADMIN_PASSWORD = "Quantri#2024-test"
NETBIOS = "KIEMLAM"


class SambaError(RuntimeError):
    """The DC could not be provisioned, started or changed."""


def missing_tools() -> list[str]:
    missing = [str(p) for p in (SAMBA, SAMBA_TOOL, SYSTEM_PYTHON) if not p.exists()]
    if SYSTEM_PYTHON.exists():
        probe = subprocess.run(
            [str(SYSTEM_PYTHON), "-c", "import samba.samdb"], capture_output=True, timeout=60
        )
        if probe.returncode != 0:
            missing.append("python3-samba")
    return missing


class SambaDC(Service):
    def __init__(self, workdir: Path, startup_timeout: float = 120.0) -> None:
        self.workdir = Path(workdir).resolve()
        self.startup_timeout = startup_timeout
        self.process: subprocess.Popen[bytes] | None = None
        self.layout: dict[str, Any] = {}

    # -- paths -----------------------------------------------------------------

    @property
    def smb_conf(self) -> Path:
        return self.workdir / "etc" / "smb.conf"

    @property
    def ca_file(self) -> Path:
        return self.workdir / "private" / "tls" / "ca.pem"

    @property
    def ldaps_url(self) -> str:
        return f"ldaps://{DC_HOST}"

    @property
    def ldap_url(self) -> str:
        return f"ldap://{DC_HOST}"

    # -- lifecycle -------------------------------------------------------------

    def start(self, attempts: int = 3) -> SambaDC:
        self.workdir.mkdir(parents=True, exist_ok=True)
        if not self.smb_conf.exists():
            self._provision()
        for attempt in range(1, attempts + 1):
            self.process = process.spawn(
                [str(SAMBA), "-s", str(self.smb_conf), "-F", "--no-process-group"],
                self.workdir / "samba.out",
                own_group=True,  # stop() ends the children too
            )
            try:
                self._wait_ready()
                break
            except SambaError:
                ended = self.process.poll() is not None  # not merely slow: start it again
                self.stop()
                if not ended or attempt == attempts:
                    raise
        if not self.layout:
            self.layout = self.admin("populate")
        return self

    def stop(self) -> None:
        running, self.process = self.process, None
        process.stop(running, 15, group=True)

    # -- changing the directory ------------------------------------------------

    def admin(self, command: str, **args: Any) -> dict[str, Any]:
        """Run a tests/support/samba_admin.py command on the DC's database (system Python)."""
        result = subprocess.run(
            [str(SYSTEM_PYTHON), str(ADMIN_SCRIPT), str(self.smb_conf), command, json.dumps(args)],
            capture_output=True, timeout=120,
        )
        if result.returncode != 0:
            raise SambaError(
                f"samba_admin {command} failed ({result.returncode}):\n"
                + (result.stdout + result.stderr).decode("utf-8", "replace")[-3000:]
            )
        return json.loads(result.stdout.decode().strip().splitlines()[-1])

    # -- internals -------------------------------------------------------------

    def _provision(self) -> None:
        w = self.workdir
        options = {
            "interfaces": "lo",
            "bind interfaces only": "yes",
            "log file": f"{w}/log.%m",
            "pid directory": f"{w}/pid",
            "lock directory": f"{w}/lock",
            "ncalrpc dir": f"{w}/ncalrpc",
            "winbindd socket directory": f"{w}/winbindd",
            "dns forwarder": "127.0.0.1",
            # Only what the tests talk to: binds and searches over LDAP/LDAPS. Samba ends
            # itself when any of its services fails to start, and smbd, winbindd and
            # ntp_signd keep sockets in the machine's shared /var/lib/samba.
            "server services": "ldap",
        }
        command = [
            str(SAMBA_TOOL), "domain", "provision",
            f"--targetdir={w}",
            "--server-role=dc",
            "--dns-backend=SAMBA_INTERNAL",
            "--use-rfc2307",
            f"--realm={DC_REALM.upper()}",
            f"--domain={NETBIOS}",
            f"--adminpass={ADMIN_PASSWORD}",
            "--host-name=DC1",
            "--host-ip=127.0.0.1",
            *(f"--option={name}={value}" for name, value in options.items()),
        ]
        result = subprocess.run(command, capture_output=True, timeout=600)
        if result.returncode != 0:
            raise SambaError(
                "samba-tool domain provision failed:\n"
                + (result.stdout + result.stderr).decode("utf-8", "replace")[-3000:]
            )

    def _wait_ready(self) -> None:
        assert self.process is not None

        def ready() -> bool:
            return all(process.accepts(port, 1) for port in (389, 636)) and self._answers()

        if process.wait_until(ready, self.process, self.startup_timeout, interval=0.5):
            return
        if self.process.poll() is not None:
            raise SambaError(f"samba exited with {self.process.returncode}:\n{self._log_tail()}")
        raise SambaError(f"samba not ready after {self.startup_timeout:g} s\n{self._log_tail()}")

    def _answers(self) -> bool:
        """The DC answers an LDAP search over LDAPS (its services start one after another)."""
        from ldap3 import NONE, Connection, Server, Tls
        import ssl

        from ldap3.core.exceptions import LDAPException

        tls = Tls(validate=ssl.CERT_REQUIRED, ca_certs_file=str(self.ca_file))
        server = Server(self.ldaps_url, get_info=NONE, tls=tls, connect_timeout=2)
        conn = Connection(server, user=f"Administrator@{DC_REALM}", password=ADMIN_PASSWORD,
                          receive_timeout=5, raise_exceptions=False)
        try:
            return bool(conn.bind())
        except LDAPException:
            return False
        finally:
            try:
                conn.unbind()
            except LDAPException:
                pass

    def _log_tail(self) -> str:
        """Samba writes its reasons to its log files (log.%m is the literal name the
        `samba` process uses), its standard output stays nearly empty."""
        logs = [self.workdir / "samba.out", *sorted(self.workdir.glob("log.*"))]
        return "\n".join(process.log_tail(log) for log in logs)

