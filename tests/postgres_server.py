"""A real, throw-away PostgreSQL server for tests: Debian's PostgreSQL 15 binaries, one per session.

``initdb`` refuses to run as root (tests run as root in CI), so when the tests run as root the server
is set up and started as the ``postgres`` user (``runuser``), in a data directory that user owns
inside a temporary folder. It listens on 127.0.0.1 on a free port, keeps its unix socket in the same
folder, and asks for a password (scram-sha-256), so the loader's redaction is tested against a real
password that the server really checks.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import adbc_driver_postgresql.dbapi as pg_dbapi

PG_BIN_ENV = "SCORECARD_TEST_PG_BIN"
DEFAULT_PG_BIN = "/usr/lib/postgresql/15/bin"
SUPERUSER = "postgres"
INSTALL_HINT = (
    "the tests need a real PostgreSQL server, but {missing} is not there — install Debian's PostgreSQL "
    "(`apt-get install postgresql`, which provides /usr/lib/postgresql/15/bin/initdb and pg_ctl), or "
    "point SCORECARD_TEST_PG_BIN at the folder holding initdb and pg_ctl"
)


class PostgresUnavailableError(RuntimeError):
    """The server could not be set up: binaries missing, or initdb / pg_ctl failed."""


@dataclass(frozen=True)
class PostgresServer:
    """A running server: where it listens and the superuser's password."""

    root: Path
    port: int
    password: str

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    def uri(self, database: str = "postgres", *, password: str | None = None, host: str = "127.0.0.1") -> str:
        """A libpq connection URI for ``database`` (the real password unless another one is given)."""
        secret = self.password if password is None else password
        return f"postgresql://{SUPERUSER}:{secret}@{host}:{self.port}/{database}"

    def connect(self, database: str = "postgres") -> pg_dbapi.Connection:
        """An ADBC connection in autocommit mode, for setting up test data."""
        return pg_dbapi.connect(self.uri(database), autocommit=True)

    def create_database(self, name: str) -> str:
        """Create an empty database and return its URI."""
        with self.connect() as connection, connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        return self.uri(name)


def _as_server_user(command: list[str]) -> list[str]:
    # initdb and postgres refuse to run as root; as anyone else they run as that user.
    return ["runuser", "-u", SUPERUSER, "--", *command] if os.geteuid() == 0 else command


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _run(command: list[str], what: str) -> None:
    done = subprocess.run(_as_server_user(command), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise PostgresUnavailableError(f"{what} failed (exit {done.returncode}):\n{done.stdout}{done.stderr}")


def pg_bin() -> Path:
    """The folder holding ``initdb`` and ``pg_ctl``: ``SCORECARD_TEST_PG_BIN``, else Debian's."""
    return Path(os.environ.get(PG_BIN_ENV) or DEFAULT_PG_BIN)


def start_server() -> PostgresServer:
    """initdb a fresh cluster in a temporary folder and start it; ``stop_server`` removes it."""
    for binary in ("initdb", "pg_ctl"):
        if not (pg_bin() / binary).is_file():
            raise PostgresUnavailableError(INSTALL_HINT.format(missing=pg_bin() / binary))
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        raise PostgresUnavailableError("the tests run as root and need `runuser` to start PostgreSQL")
    root = Path(tempfile.mkdtemp(prefix="scorecard-pg-"))
    password = "pw-" + secrets.token_hex(8)
    server = PostgresServer(root, _free_port(), password)
    (root / "pwfile").write_text(password + "\n")
    if os.geteuid() == 0:
        shutil.chown(root, SUPERUSER)
        shutil.chown(root / "pwfile", SUPERUSER)
    try:
        initdb = ["--pgdata", str(server.data_dir), "--username", SUPERUSER, "--pwfile", str(root / "pwfile")]
        initdb += ["--auth", "scram-sha-256", "--encoding", "UTF8", "--no-locale", "--no-sync"]
        _run([str(pg_bin() / "initdb"), *initdb], "initdb")
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={server.port} -c unix_socket_directories={root} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=20 "
            "-c shared_buffers=16MB"
        )
        log = root / "server.log"
        _pg_ctl(
            server, "start", "--log", str(log), "--options", options, "--timeout", "60", what=f"see {log}"
        )
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise
    return server


def _pg_ctl(server: PostgresServer, action: str, *options: str, what: str = "") -> None:
    command = [str(pg_bin() / "pg_ctl"), "--pgdata", str(server.data_dir), "--wait", *options, action]
    _run(command, f"pg_ctl {action}" + (f" ({what})" if what else ""))


def stop_server(server: PostgresServer) -> None:
    """Stop the server immediately and remove its folder."""
    try:
        _pg_ctl(server, "stop", "--mode", "immediate")
    finally:
        shutil.rmtree(server.root, ignore_errors=True)
