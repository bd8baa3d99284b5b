"""Backups of the whole database, and restoring one over it.

PostgreSQL (production): `pg_dump --format=custom`, restored with `pg_restore --clean --if-exists
--no-owner --single-transaction`, so a restore that fails part-way changes nothing. SQLite (a
developer's machine, the local test suite): Python's sqlite3 backup API on the open connection.
`make backup` / `make restore BACKUP=…` run the `backup_database` / `restore_database` commands.
"""

import datetime
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connections

POSTGRES_MAGIC = b"PGDMP"
SQLITE_MAGIC = b"SQLite format 3\x00"


class BackupError(Exception):
    """The backup or restore could not be done; the message says why and what to do."""


def backup_database(directory: Path, *, using: str = "default", now=None) -> Path:
    """Write a backup of the database into `directory`; returns the new file's path."""
    connection = connections[using]
    now = now or datetime.datetime.now(tz=datetime.UTC)
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    extension = {"postgresql": "dump", "sqlite": "sqlite3"}.get(connection.vendor)
    if extension is None:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {connection.vendor}.")
    path = directory / f"leeds-communities-{now:%Y%m%dT%H%M%SZ}.{extension}"
    if path.exists():
        raise BackupError(f"{path} already exists; wait a second and try again.")
    partial = path.with_name(path.name + ".partial")
    try:
        if connection.vendor == "postgresql":
            _pg_dump(connection.settings_dict, partial)
        else:
            _sqlite_backup(connection, partial)
        partial.rename(path)
    finally:
        partial.unlink(missing_ok=True)
    return path


def restore_database(path: Path, *, using: str = "default") -> None:
    """Replace every record in the database with those in the backup at `path`."""
    connection = connections[using]
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"There is no backup file at {path}.")
    if connection.in_atomic_block:
        raise BackupError("Restore outside a transaction: it replaces the whole database.")
    with path.open("rb") as file:
        head = file.read(len(SQLITE_MAGIC))
    if connection.vendor == "postgresql":
        if not head.startswith(POSTGRES_MAGIC):
            raise BackupError(f"{path} is not a pg_dump custom-format backup.")
        # Nothing of ours may hold the tables while pg_restore drops and recreates them.
        connection.close()
        _pg_restore(connection.settings_dict, path)
    elif connection.vendor == "sqlite":
        if head != SQLITE_MAGIC:
            raise BackupError(f"{path} is not an SQLite database backup.")
        _sqlite_restore(connection, path)
    else:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {connection.vendor}.")


# --- PostgreSQL ---------------------------------------------------------------------------------


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed: install the PostgreSQL client tools.")
    return found


def _pg_connection(settings_dict: dict) -> tuple[list[str], dict]:
    """Connection arguments for the client tools; the password goes in the environment only."""
    arguments = ["--no-password", f"--dbname={settings_dict['NAME']}"]
    if settings_dict.get("HOST"):
        arguments.append(f"--host={settings_dict['HOST']}")
    if settings_dict.get("PORT"):
        arguments.append(f"--port={settings_dict['PORT']}")
    if settings_dict.get("USER"):
        arguments.append(f"--username={settings_dict['USER']}")
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    sslmode = (settings_dict.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = sslmode
    return arguments, env


def _run(command: list[str], env: dict, what: str) -> None:
    # The program is pg_dump or pg_restore found on PATH; the arguments are built above, never
    # passed through a shell.
    result = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{what} failed: {result.stderr.strip() or result.returncode}")


def _pg_dump(settings_dict: dict, path: Path) -> None:
    arguments, env = _pg_connection(settings_dict)
    command = [_pg_tool("pg_dump"), "--format=custom", f"--file={path}", *arguments]
    _run(command, env, "pg_dump")


def _pg_restore(settings_dict: dict, path: Path) -> None:
    arguments, env = _pg_connection(settings_dict)
    options = ["--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error"]
    _run([_pg_tool("pg_restore"), *options, *arguments, str(path)], env, "pg_restore")


# --- SQLite -------------------------------------------------------------------------------------


def _sqlite_backup(connection, path: Path) -> None:
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
    finally:
        target.close()


def _sqlite_restore(connection, path: Path) -> None:
    connection.ensure_connection()
    source = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        source.backup(connection.connection)
    finally:
        source.close()
