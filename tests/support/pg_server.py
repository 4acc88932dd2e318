"""A real PostgreSQL server for the test suite.

``Postgres`` runs ``initdb`` into a fresh work directory and starts the cluster with
``pg_ctl`` on a free loopback port (Unix socket in the work directory, never the
system's), so the app's SQL meets a genuine PostgreSQL: its types, its string lengths,
its triggers.  Durability is switched off (``fsync=off``): the data is thrown away.

    with Postgres() as server:
        server.create_database("tmpl")
        url = server.url("tmpl")            # postgresql+psycopg://postgres@127.0.0.1:PORT/tmpl
        copy = FreshDatabase(server, template="tmpl")
        copy.url()                          # CREATE DATABASE t_1 TEMPLATE tmpl, on first use
        copy.drop()

Needs only the Debian package ``postgresql`` (``/usr/lib/postgresql/<version>/bin``;
``PG_BIN`` names another bin directory).  PostgreSQL refuses to run as root, so as root
the server runs as the ``postgres`` user the package creates (through ``runuser``), in a
work directory made under /tmp and handed to that user: pytest's own temporary
directories are private to root.  ``stop()`` stops the cluster and removes the work
directory; a later ``start()`` makes a new, empty cluster.
"""
from __future__ import annotations

import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
import weakref
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

import psycopg
from psycopg import sql

from . import process
from .process import Service

PG_ROOT = Path("/usr/lib/postgresql")
RUNUSER = Path("/usr/sbin/runuser")
SERVICE_USER = "postgres"  # the OS user the server runs as when we are root
SUPERUSER = "postgres"  # the database role initdb creates; trust auth, loopback only

_PORT_ATTEMPTS = 5
_LOG_TAIL_LINES = 40
_SERVER_SETTINGS = (
    "listen_addresses=127.0.0.1",
    "fsync=off",
    "synchronous_commit=off",
    "full_page_writes=off",
    "max_connections=200",
)


class PostgresError(RuntimeError):
    """PostgreSQL could not be set up, started, stopped or asked to do something."""


def pg_bin_dir() -> Path:
    """The newest installed server's bin directory, or $PG_BIN."""
    if os.environ.get("PG_BIN"):
        return Path(os.environ["PG_BIN"])
    candidates = [p for p in PG_ROOT.glob("*/bin") if (p / "initdb").exists()]
    if not candidates:
        raise PostgresError(
            f"no PostgreSQL server under {PG_ROOT}: install the postgresql package "
            "(apt-get install postgresql)"
        )
    return max(candidates, key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0)


class Postgres(Service):
    """One throw-away PostgreSQL cluster, reached over TCP on 127.0.0.1 as ``postgres``."""

    def __init__(self, *, startup_timeout: int = 60) -> None:
        self.bin_dir = pg_bin_dir()
        self.startup_timeout = startup_timeout
        self.as_root = os.geteuid() == 0
        self.workdir: Path | None = None
        self.port: int | None = None
        self._finalizer: weakref.finalize[..., Postgres] | None = None

    # -- paths ---------------------------------------------------------------

    @property
    def data_dir(self) -> Path:
        return self._work() / "data"

    @property
    def socket_dir(self) -> Path:
        return self._work() / "socket"

    @property
    def log_path(self) -> Path:
        return self._work() / "postgres.log"

    def url(self, database: str, driver: str = "postgresql+psycopg") -> str:
        """The SQLAlchemy URL of `database` on this server."""
        return f"{driver}://{SUPERUSER}@127.0.0.1:{self._port()}/{database}"

    def socket_url(self, database: str, driver: str = "postgresql+psycopg") -> str:
        """`database` over the server's Unix socket, as the app reaches a server on its own
        host (README, "Production")."""
        return f"{driver}://{SUPERUSER}@/{database}?host={self.socket_dir}&port={self._port()}"

    # -- lifecycle -----------------------------------------------------------

    def start(self) -> Postgres:
        """initdb (first start only) and start the cluster; return once it accepts connections."""
        if self.port is not None:
            return self
        if self.workdir is None:
            self._make_workdir()
            self._initdb()
        port = process.launch_on_a_port(self._launch_unless_taken, None, _PORT_ATTEMPTS)
        if port is None:
            self._fail("PostgreSQL found no free port")
        self.port = port
        return self

    def stop(self) -> None:
        """Stop the cluster (fast shutdown) and remove the work directory."""
        if self._finalizer is not None:
            self._finalizer()  # runs _shutdown once, then detaches itself
            self._finalizer = None
        self.port = None
        self.workdir = None

    # -- databases -----------------------------------------------------------

    def connect(self, database: str = "postgres") -> psycopg.Connection:
        """An autocommit connection as the superuser; the caller closes it."""
        return psycopg.connect(
            host="127.0.0.1", port=self._port(), user=SUPERUSER, dbname=database,
            autocommit=True, connect_timeout=10,
        )

    def create_database(self, name: str, template: str | None = None) -> None:
        statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template is not None:
            # FILE_COPY copies the files whole; its checkpoint costs nothing with fsync off,
            # and it is quicker than WAL_LOG's page-by-page copy for a small template.
            statement = sql.SQL("{} TEMPLATE {} STRATEGY FILE_COPY").format(
                statement, sql.Identifier(template)
            )
        with self.connect() as conn:
            conn.execute(statement)

    def drop_database(self, name: str) -> None:
        """Drop `name`, ending any session still connected to it (an engine nobody disposed)."""
        with self.connect() as conn:
            statement = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
            conn.execute(statement.format(sql.Identifier(name)))

    # -- internals -----------------------------------------------------------

    def _work(self) -> Path:
        if self.workdir is None:
            raise PostgresError("PostgreSQL has not been started")
        return self.workdir

    def _port(self) -> int:
        if self.port is None:
            raise PostgresError("PostgreSQL has not been started")
        return self.port

    def _make_workdir(self) -> None:
        self.workdir = Path(tempfile.mkdtemp(prefix="intranet-pg-"))
        self.socket_dir.mkdir()
        if self.as_root:
            user = pwd.getpwnam(SERVICE_USER)  # KeyError: no postgres user, no package
            for path in (self.workdir, self.socket_dir):
                os.chown(path, user.pw_uid, user.pw_gid)
        # pg_ctl hands the -o options to a shell: keep its paths plain.
        if any(ch in str(self.workdir) for ch in " '\"\\$`"):
            raise PostgresError(f"unsupported character in work directory {self.workdir}")
        self._finalizer = weakref.finalize(
            self, _shutdown, self._command_prefix(), self.bin_dir, self.workdir
        )

    def _command_prefix(self) -> list[str]:
        return [str(RUNUSER), "-u", SERVICE_USER, "--"] if self.as_root else []

    def _run(self, args: Sequence[str], timeout: float) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [*self._command_prefix(), *args],
            cwd=self._work(),  # a directory the postgres user may enter
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=timeout,
        )

    def _initdb(self) -> None:
        result = self._run(
            [
                str(self.bin_dir / "initdb"),
                "-D", str(self.data_dir),
                "-U", SUPERUSER,
                "--auth=trust",
                "--encoding=UTF8",
                # Binary collation, as SQLite's: the app orders by its own sort keys.
                "--locale=C",
                "--no-sync",
            ],
            timeout=120,
        )
        if result.returncode != 0:
            raise PostgresError(f"initdb failed ({result.returncode}):\n{_output(result)}")

    def _launch(self, port: int) -> bool:
        settings = (f"-c {setting}" for setting in _SERVER_SETTINGS)
        options = " ".join([f"-p {port}", f"-k {self.socket_dir}", *settings])
        result = self._run(
            [
                str(self.bin_dir / "pg_ctl"),
                "-D", str(self.data_dir),
                "-l", str(self.log_path),
                "-o", options,
                "-w", "-t", str(self.startup_timeout),
                "start",
            ],
            timeout=self.startup_timeout + 10,
        )
        return result.returncode == 0

    def _launch_unless_taken(self, port: int) -> bool:
        """Start on `port`; False if another process took it between our probe and the bind."""
        if self._launch(port):
            return True
        if "Address already in use" not in self._log_tail():
            self._fail(f"PostgreSQL did not start on port {port}")
        return False

    def _fail(self, message: str) -> NoReturn:
        tail = self._log_tail()  # before stop() removes the work directory and its log
        self.stop()
        raise PostgresError(f"{message}\n{tail}")

    def _log_tail(self) -> str:
        return process.log_tail(self.log_path, _LOG_TAIL_LINES)


class FreshDatabase:
    """A database of one's own, copied from `template` on first use and dropped at the end.

    Copying a small template is far quicker than building the schema again.
    """

    _numbers = itertools.count(1)

    def __init__(self, server: Postgres, template: str) -> None:
        self.server = server
        self.template = template
        self.name: str | None = None

    def url(self) -> str:
        if self.name is None:
            name = f"t_{next(self._numbers)}"
            self.server.create_database(name, template=self.template)
            self.name = name
        return self.server.url(self.name)

    def drop(self) -> None:
        if self.name is not None:
            self.server.drop_database(self.name)
            self.name = None


def _shutdown(prefix: list[str], bin_dir: Path, workdir: Path) -> None:
    """Stop the cluster if it runs, then remove its files; safe to call at interpreter exit."""
    data_dir = workdir / "data"
    # "fast" ends the sessions and shuts down cleanly; "immediate" is for a server stuck in it.
    for mode in ("fast", "immediate"):
        if not (data_dir / "postmaster.pid").exists():
            break
        pg_ctl = str(bin_dir / "pg_ctl")
        subprocess.run(
            [*prefix, pg_ctl, "-D", str(data_dir), "-m", mode, "-w", "-t", "30", "stop"],
            cwd=workdir,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=60,
        )
    shutil.rmtree(workdir, ignore_errors=True)


def _output(result: subprocess.CompletedProcess[bytes]) -> str:
    return (result.stdout + result.stderr).decode("utf-8", "replace")
