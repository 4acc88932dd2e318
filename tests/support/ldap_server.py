"""A real OpenLDAP ``slapd`` for the test suite.

``Slapd`` writes a static ``slapd.conf`` into a work directory, loads an LDIF
file with ``slapadd`` and runs ``slapd`` in the foreground on a free loopback
port, so the app's LDAP code talks to a genuine server: password hashes are
really checked, ACLs really refuse anonymous searches and the size limit really
forces paged searches.

    with Slapd(Path("tests/ldap/test.ldif"), tmp_path) as server:
        app.config["LDAP_URL"] = server.url
        server.modify(group_dn, {"member": [(MODIFY_DELETE, [user_dn])]})

``add``, ``modify``, ``rename`` and ``delete`` act as the root DN and raise ldap3's
``LDAPOperationResult`` subclasses (``LDAPNoSuchObjectResult``, ...) on failure.

``tls=TlsFiles(...)`` (tests/support/tls_certs.py makes them) also serves LDAPS on ``ldaps_port``
and StartTLS; ``limits=[...]`` adds slapd ``limits`` lines, e.g. a total for paged searches
so that a later page fails as a real server's would.

Needs only the Debian packages ``slapd`` and ``ldap-utils``.  After ``stop()``
a second ``start()`` restarts the same server on the same port with the data as
it was left (an outage and a recovery); a fresh directory needs a fresh work
directory.
"""
from __future__ import annotations

import shutil
import subprocess
import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ldap3 import NONE, Connection, Server
from ldap3.core.exceptions import LDAPException

from . import process
from .process import Service, free_port

SLAPD = Path("/usr/sbin/slapd")
SLAPADD = Path("/usr/sbin/slapadd")
SCHEMA_DIR = Path("/etc/ldap/schema")
MODULE_DIR = Path("/usr/lib/ldap")
SCHEMAS = ("core", "cosine", "inetorgperson", "nis")

DEFAULT_SUFFIX = "dc=rangers,dc=test"
DEFAULT_ROOT_DN = "cn=admin,dc=rangers,dc=test"
DEFAULT_ROOT_PASSWORD = "root-secret"
DEFAULT_SERVICE_DN = "cn=svc-intranet,ou=services,dc=rangers,dc=test"
DEFAULT_SERVICE_PASSWORD = "svc-secret"

_PORT_ATTEMPTS = 5
_LOG_TAIL_LINES = 40


class SlapdError(RuntimeError):
    """slapd could not be configured, loaded, started or asked to do something."""


@dataclass(frozen=True)
class TlsFiles:
    """PEM files for slapd's TLS: the CA that signed `cert`, the cert, its key."""

    ca: Path
    cert: Path
    key: Path


class Slapd(Service):
    """One throw-away slapd holding one suffix in an mdb database."""

    def __init__(
        self,
        ldif_path: Path,
        workdir: Path,
        *,
        suffix: str = DEFAULT_SUFFIX,
        root_dn: str = DEFAULT_ROOT_DN,
        root_password: str = DEFAULT_ROOT_PASSWORD,
        service_dn: str | None = DEFAULT_SERVICE_DN,
        service_password: str = DEFAULT_SERVICE_PASSWORD,
        startup_timeout: float = 15.0,
        tls: TlsFiles | None = None,
        limits: Sequence[str] = (),
    ) -> None:
        self.ldif_path = Path(ldif_path).resolve()
        self.workdir = Path(workdir).resolve()
        self.suffix = suffix
        self.root_dn = root_dn
        self.root_password = root_password
        # The readiness check binds as this account (as the app will); with
        # None it binds as the root DN instead.
        self.service_dn = service_dn
        self.service_password = service_password
        self.startup_timeout = startup_timeout
        # With TLS files slapd also serves LDAPS (on ldaps_port) and StartTLS.
        self.tls = tls
        # slapd "limits" lines for the database, e.g. a total for paged searches.
        self.limits = list(limits)
        self.port: int | None = None
        self.ldaps_port: int | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._root: Connection | None = None
        self._finalizer: (
            weakref.finalize[[subprocess.Popen[bytes], float], Slapd] | None
        ) = None

    # -- paths ---------------------------------------------------------------

    @property
    def config_path(self) -> Path:
        return self.workdir / "slapd.conf"

    @property
    def data_dir(self) -> Path:
        return self.workdir / "data"

    @property
    def log_path(self) -> Path:
        return self.workdir / "slapd.log"

    @property
    def url(self) -> str:
        if self.port is None:
            raise SlapdError("slapd has not been started")
        return f"ldap://127.0.0.1:{self.port}"

    def url_for(self, host: str, *, ldaps: bool = False) -> str:
        """The URL by another name for 127.0.0.1 (a TLS host-name check looks at it)."""
        if ldaps:
            return f"ldaps://{host}:{self.ldaps_port}"
        return f"ldap://{host}:{self.port}"

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    # -- lifecycle -----------------------------------------------------------

    def start(self) -> Slapd:
        """Configure, load (first start only) and run slapd; wait until it serves."""
        if self.running:
            return self
        self.stop()  # reap a slapd that died on its own
        for tool in (SLAPD, SLAPADD):
            if not tool.exists():
                raise SlapdError(f"{tool} not found: install the slapd package")
        if not self.ldif_path.is_file():
            raise SlapdError(f"LDIF file not found: {self.ldif_path}")
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.data_dir.mkdir(exist_ok=True)
        self.config_path.write_text(self._config(), encoding="utf-8")
        if not (self.data_dir / "data.mdb").exists():
            self._load()

        port = process.launch_on_a_port(self._launch_unless_taken, self.port, _PORT_ATTEMPTS)
        if port is None:
            raise SlapdError(f"slapd found no free port\n{self._log_tail()}")
        self.port = port
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Stop slapd (SIGTERM, then SIGKILL after ``timeout`` seconds)."""
        if self._root is not None:
            try:
                self._root.unbind()
            except LDAPException:
                pass
            self._root = None
        if self._finalizer is not None:
            self._finalizer.detach()
            self._finalizer = None
        running, self._process = self._process, None
        process.stop(running, timeout)

    # -- directory access ----------------------------------------------------

    def server(self) -> Server:
        return Server(self.url, get_info=NONE, connect_timeout=5)

    def connect(
        self, user: str | None, password: str | None, *, raise_exceptions: bool = True
    ) -> Connection:
        """A connection bound as ``user`` (anonymous when None); raises if the bind fails."""
        conn = Connection(
            self.server(),
            user=user,
            password=password,
            receive_timeout=10,
            raise_exceptions=raise_exceptions,
        )
        if not conn.bind():
            message = f"bind as {user or 'anonymous'} failed: {conn.result}"
            conn.unbind()
            raise SlapdError(message)
        return conn

    def root_connection(self, *, raise_exceptions: bool = True) -> Connection:
        """A new connection bound as the root DN; the caller unbinds it."""
        return self.connect(self.root_dn, self.root_password, raise_exceptions=raise_exceptions)

    def add(
        self,
        dn: str,
        object_class: str | Sequence[str],
        attributes: Mapping[str, Any] | None = None,
    ) -> None:
        """Add an entry as the root DN, e.g. ``add(dn, "inetOrgPerson", {...})``."""
        classes = [object_class] if isinstance(object_class, str) else list(object_class)
        self._check(self._root_conn().add(dn, classes, dict(attributes or {})), "add", dn)

    def modify(self, dn: str, changes: Mapping[str, Any]) -> None:
        """Modify an entry as the root DN; ``changes`` as for ldap3's ``Connection.modify``.

        ``{"member": [(MODIFY_DELETE, [user_dn])]}`` removes one member.
        """
        self._check(self._root_conn().modify(dn, dict(changes)), "modify", dn)

    def delete(self, dn: str) -> None:
        """Delete a leaf entry as the root DN."""
        self._check(self._root_conn().delete(dn), "delete", dn)

    def rename(self, dn: str, new_rdn: str) -> None:
        """Give an entry a new RDN (``uid=new``), as an administrator renames an account.

        slapd keeps its entryUUID; the old RDN value is removed from the entry.
        """
        conn = self._root_conn()
        self._check(conn.modify_dn(dn, new_rdn, delete_old_dn=True), "rename", dn)

    # -- internals -----------------------------------------------------------

    def _root_conn(self) -> Connection:
        if not self.running:
            raise SlapdError("slapd is not running")
        if self._root is None or self._root.closed:
            self._root = self.root_connection()
        return self._root

    def _check(self, ok: bool, operation: str, dn: str) -> None:
        # The root connection raises on errors already; this is the backstop.
        if not ok:
            result = self._root.result if self._root is not None else None
            raise SlapdError(f"{operation} {dn} failed: {result}")

    def _config(self) -> str:
        for value in (self.suffix, self.root_dn, self.root_password, str(self.workdir)):
            if '"' in value or "\\" in value or "\n" in value:
                raise SlapdError(f"unsupported character in slapd.conf value: {value!r}")
        lines = [f"include {_quote(SCHEMA_DIR / f'{name}.schema')}" for name in SCHEMAS]
        if not _mdb_is_builtin():
            lines += [f"modulepath {_quote(MODULE_DIR)}", "moduleload back_mdb"]
        lines += [
            f"pidfile {_quote(self.workdir / 'slapd.pid')}",
            f"argsfile {_quote(self.workdir / 'slapd.args')}",
            # Without the paged results control a search returns at most 500
            # entries, as on a default OpenLDAP; the page count is unlimited.
            "sizelimit size.soft=500 size.hard=500 size.prtotal=unlimited",
            # The root DSE (supportedControl etc.) and the schema stay
            # readable by anyone, as on any real server.
            'access to dn.base="" by * read',
            'access to dn.base="cn=Subschema" by * read',
        ]
        if self.tls is not None:
            lines += [
                f"TLSCACertificateFile {_quote(self.tls.ca)}",
                f"TLSCertificateFile {_quote(self.tls.cert)}",
                f"TLSCertificateKeyFile {_quote(self.tls.key)}",
            ]
        lines += [
            "",
            "database mdb",
            f"suffix {_quote(self.suffix)}",
            f"rootdn {_quote(self.root_dn)}",
            f"rootpw {_quote(self.root_password)}",
            f"directory {_quote(self.data_dir)}",
            "maxsize 104857600",
            "index objectClass eq",
            "index uid,mail,member eq",
            *self.limits,
            "access to attrs=userPassword",
            "    by self write",
            "    by anonymous auth",
            "    by * none",
            "access to *",
            "    by users read",
            "    by * none",
            "",
        ]
        return "\n".join(lines)

    def _load(self) -> None:
        result = subprocess.run(
            [str(SLAPADD), "-f", str(self.config_path), "-l", str(self.ldif_path)],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=60,
        )
        if result.returncode != 0:
            output = (result.stdout + result.stderr).decode("utf-8", "replace")
            shutil.rmtree(self.data_dir, ignore_errors=True)
            self.data_dir.mkdir()
            raise SlapdError(
                f"slapadd failed ({result.returncode}) for {self.ldif_path}:\n{output}"
            )

    def _launch_unless_taken(self, port: int) -> bool:
        """Launch on `port`; False if another process took it between our probe and slapd's
        bind (a restart on its old port fails for real), SlapdError for anything else."""
        try:
            self._launch(port)
        except SlapdError:
            if self.port is not None or not self._port_was_taken():
                raise
            return False
        return True

    def _launch(self, port: int) -> None:
        # "-d none" keeps slapd in the foreground and logs only errors and
        # start/stop lines; "-d 0" would log nothing, not even a config error.
        listen = f"ldap://127.0.0.1:{port}/"
        if self.tls is not None:
            if self.ldaps_port is None:
                self.ldaps_port = free_port()
            listen += f" ldaps://127.0.0.1:{self.ldaps_port}/"
        self._process = process.spawn(
            [str(SLAPD), "-f", str(self.config_path), "-h", listen, "-d", "none"], self.log_path
        )
        # Never leave an orphan slapd behind, even if a test forgets stop().
        self._finalizer = weakref.finalize(self, process.stop, self._process, 5.0)
        try:
            self._wait_ready(port)
        except BaseException:
            self.stop()
            raise

    def _wait_ready(self, port: int) -> None:
        user, password = (
            (self.service_dn, self.service_password)
            if self.service_dn is not None
            else (self.root_dn, self.root_password)
        )
        last_error = "no attempt"

        def binds() -> bool:
            nonlocal last_error
            # A new Server each time: ldap3 marks an address that refused a
            # connection as unavailable for 5 s and would not retry it sooner.
            server = Server(f"ldap://127.0.0.1:{port}", get_info=NONE, connect_timeout=1)
            conn = Connection(server, user=user, password=password, receive_timeout=2)
            try:
                if conn.bind():
                    return True
                last_error = f"bind as {user} refused: {conn.result}"
            except LDAPException as exc:
                last_error = f"{type(exc).__name__}: {exc}"
            finally:
                try:
                    conn.unbind()
                except LDAPException:
                    pass
            return False

        assert self._process is not None
        if process.wait_until(binds, self._process, self.startup_timeout):
            return
        returncode = self._process.poll()
        if returncode is not None:
            raise SlapdError(
                f"slapd exited with status {returncode} before serving port {port}"
                f"\n{self._log_tail()}"
            )
        raise SlapdError(
            f"slapd on port {port} not ready after {self.startup_timeout:g} s"
            f" (last error: {last_error})\n{self._log_tail()}"
        )

    def _log_tail(self) -> str:
        return process.log_tail(self.log_path, _LOG_TAIL_LINES)

    def _port_was_taken(self) -> bool:
        try:
            text = self.log_path.read_text("utf-8", "replace")
        except OSError:
            return False
        return "errno=98" in text[-4000:] or "Address already in use" in text[-4000:]


def _quote(value: object) -> str:
    return f'"{value}"'


_builtin_mdb: bool | None = None


def _mdb_is_builtin() -> bool:
    """True when this slapd has back-mdb compiled in (Debian builds it as a module)."""
    global _builtin_mdb
    if _builtin_mdb is None:
        result = subprocess.run(
            [str(SLAPD), "-VVV"], stdin=subprocess.DEVNULL, capture_output=True, timeout=10
        )
        output = (result.stdout + result.stderr).decode("utf-8", "replace")
        static = output.partition("Included static backends:")[2]
        static = static.partition("Included static overlays:")[0]
        _builtin_mdb = "mdb" in static.split()
    return _builtin_mdb
