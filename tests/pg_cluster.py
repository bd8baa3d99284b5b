"""A throwaway PostgreSQL cluster for fault tests: initdb in a temporary directory, its own port
(5439 or the next free one) and socket directory, started and stopped with pg_ctl. Tests that
stop or restart PostgreSQL use this, never the shared cluster on 5432.

Needs the server binaries (initdb, pg_ctl, postgres): PG_BIN, or `pg_config --bindir`, or
/usr/lib/postgresql/<version>/bin. As root, the server runs as the `postgres` user (initdb
refuses root).
"""

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

FIRST_PORT = 5439


def server_binaries() -> Path | None:
    candidates = [os.environ.get("PG_BIN", "")]
    pg_config = shutil.which("pg_config")
    if pg_config:
        candidates.append(
            subprocess.run(  # noqa: S603 - pg_config from PATH, no arguments from outside
                [pg_config, "--bindir"], capture_output=True, text=True
            ).stdout.strip()
        )
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for candidate in filter(None, candidates):
        if all((Path(candidate) / tool).exists() for tool in ("initdb", "pg_ctl", "postgres")):
            return Path(candidate)
    return None


def _free_port(start: int = FIRST_PORT) -> int:
    for port in range(start, start + 40):
        with socket.socket() as probe, contextlib.suppress(OSError):
            probe.bind(("127.0.0.1", port))
            return port
    raise RuntimeError(f"No free port from {start}")


class Cluster:
    def __init__(self, binaries: Path):
        self.bin = binaries
        self.port = _free_port()
        self.root = Path(tempfile.mkdtemp(prefix="lc-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "postgres.log"
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            os.chown(self.root, user.pw_uid, user.pw_gid)
            self.as_user = [shutil.which("runuser") or "runuser", "-u", "postgres", "--"]

    def _pg(self, tool: str, *arguments: str) -> None:
        command = [*self.as_user, str(self.bin / tool), *arguments]
        subprocess.run(command, check=True, capture_output=True, timeout=120)  # noqa: S603

    def create(self) -> "Cluster":
        self._pg(
            "initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
            "--locale=C", "--no-sync",
        )  # fmt: skip
        self.start()
        return self

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off"
        )
        self._pg("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "start")

    def stop(self) -> None:
        self._pg("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> None:
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')

    def destroy(self) -> None:
        with contextlib.suppress(Exception):
            self.stop()
        shutil.rmtree(self.root, ignore_errors=True)
