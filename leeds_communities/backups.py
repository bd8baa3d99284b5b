"""Backups of the whole service, the database and the uploaded files, and restoring one.

A backup is one tar archive, `leeds-communities-<UTC time>.tar`, holding:

- `database.dump` (PostgreSQL: `pg_dump --format=custom`) or `database.sqlite3` (SQLite, a
  developer's machine and the local test suite: Python's sqlite3 backup API);
- `media/…`: every file under MEDIA_ROOT (uploaded PDF appendices, built board packs);
- `MANIFEST.json`: the SHA-256 and size of each of those, checked before anything is restored.

A restore verifies the whole archive first, then restores the database (PostgreSQL:
`pg_restore --clean --if-exists --no-owner --single-transaction`, so a failed restore changes
nothing), then swaps in the backup's MEDIA_ROOT whole, so afterwards it holds exactly the files
it held at the backup. A bare `.dump`/`.sqlite3` from before archives restores the database only.
`make backup` / `make restore BACKUP=…` run the `backup_database` / `restore_database` commands.
"""

import datetime
import hashlib
import io
import json
import os
import secrets
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import connections

POSTGRES_MAGIC = b"PGDMP"
SQLITE_MAGIC = b"SQLite format 3\x00"
MANIFEST = "MANIFEST.json"
MEDIA = "media"
DATABASE_FILES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
_CHUNK = 1 << 20


class BackupError(Exception):
    """The backup or restore could not be done; the message says why and what to do."""


def backup_database(directory: Path, *, using: str = "default", now=None) -> Path:
    """Write a backup of the database and MEDIA_ROOT into `directory`; returns its path."""
    connection = connections[using]
    now = now or datetime.datetime.now(tz=datetime.UTC)
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    database_file = DATABASE_FILES.get(connection.vendor)
    if database_file is None:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {connection.vendor}.")
    path = directory / f"leeds-communities-{now:%Y%m%dT%H%M%SZ}.tar"
    if path.exists():
        raise BackupError(f"{path} already exists; wait a second and try again.")
    partial = path.with_name(path.name + ".partial")
    try:
        with tempfile.TemporaryDirectory(dir=directory) as scratch:
            dump = Path(scratch) / database_file
            if connection.vendor == "postgresql":
                _pg_dump(connection.settings_dict, dump)
            else:
                _sqlite_backup(connection, dump)
            files = {}
            with tarfile.open(partial, "w") as archive:
                files[database_file] = _add(archive, dump, database_file)
                media_root = Path(settings.MEDIA_ROOT)
                for file in sorted(_media_files(media_root)):
                    name = f"{MEDIA}/{file.relative_to(media_root).as_posix()}"
                    files[name] = _add(archive, file, name)
                manifest = {
                    "format": 1,
                    "created_at": now.isoformat(),
                    "database": {"vendor": connection.vendor, "name": database_file},
                    "files": files,
                }
                body = json.dumps(manifest, indent=1, sort_keys=True).encode("utf-8")
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime = len(body), int(now.timestamp())
                archive.addfile(info, io.BytesIO(body))
        partial.rename(path)
    finally:
        partial.unlink(missing_ok=True)
    return path


def backup_contents(path: Path) -> dict:
    """The manifest of the backup at `path`: what it holds, with each file's checksum."""
    with tarfile.open(path) as archive:
        return _manifest(archive, path)


def restore_database(path: Path, *, using: str = "default") -> None:
    """Replace every record in the database, and every file under MEDIA_ROOT, with those in
    the backup at `path`."""
    connection = connections[using]
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"There is no backup file at {path}.")
    if connection.in_atomic_block:
        raise BackupError("Restore outside a transaction: it replaces the whole database.")
    if connection.vendor not in DATABASE_FILES:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {connection.vendor}.")
    if not tarfile.is_tarfile(path):
        _restore_database_file(connection, path)  # a database-only backup from before archives
        return
    media_root = Path(settings.MEDIA_ROOT)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    # Unpacked beside MEDIA_ROOT, so that swapping it in is a rename on one file system.
    with tempfile.TemporaryDirectory(
        dir=media_root.parent, prefix=f".{media_root.name}-restoring-"
    ) as scratch:
        scratch = Path(scratch)
        manifest = _unpack_verified(path, scratch)
        vendor = manifest["database"]["vendor"]
        if vendor != connection.vendor:
            raise BackupError(f"{path} holds a {vendor} database; this one is {connection.vendor}.")
        _restore_database_file(connection, scratch / manifest["database"]["name"])
        _swap_media(scratch / MEDIA, media_root)


# --- The archive --------------------------------------------------------------------------------


def _media_files(root: Path):
    if not root.is_dir():
        return
    for directory, _dirs, names in os.walk(root):
        for name in names:
            file = Path(directory) / name
            if file.is_file() and not file.is_symlink():
                yield file


def _add(archive: tarfile.TarFile, file: Path, name: str) -> dict:
    """Add `file` as `name`; its checksum and size, from the very bytes added."""
    digest, size = hashlib.sha256(), 0
    with file.open("rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(chunk)
            size += len(chunk)
        handle.seek(0)
        info = tarfile.TarInfo(name)
        info.size, info.mtime, info.mode = size, int(file.stat().st_mtime), 0o644
        archive.addfile(info, handle)
    return {"sha256": digest.hexdigest(), "size": size}


def _manifest(archive: tarfile.TarFile, path: Path) -> dict:
    try:
        manifest = json.load(archive.extractfile(archive.getmember(MANIFEST)))
        complete = isinstance(manifest["files"], dict) and manifest["database"]["name"]
    except (KeyError, ValueError, TypeError, AttributeError):
        complete = False
    if not complete:
        raise BackupError(f"{path} is not a Leeds Communities backup (no manifest).")
    return manifest


def _safe_name(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return bool(parts) and not PurePosixPath(name).is_absolute() and ".." not in parts


def _unpack_verified(path: Path, target: Path) -> dict:
    """Unpack the archive's files into `target`, refusing it unless every file is in the
    manifest with the same checksum and size, and every file of the manifest is there."""
    with tarfile.open(path) as archive:
        manifest = _manifest(archive, path)
        expected = manifest["files"]
        seen = set()
        for member in archive.getmembers():
            if member.name == MANIFEST:
                continue
            if member.name not in expected or not member.isfile() or not _safe_name(member.name):
                raise BackupError(
                    f"{path} holds {member.name!r}, which its manifest does not list."
                )
            destination = target / member.name
            destination.parent.mkdir(parents=True, exist_ok=True)
            digest, size = hashlib.sha256(), 0
            with archive.extractfile(member) as source, destination.open("wb") as out:
                for chunk in iter(lambda: source.read(_CHUNK), b""):
                    digest.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
            want = expected[member.name]
            if (digest.hexdigest(), size) != (want["sha256"], want["size"]):
                raise BackupError(
                    f"{path} is damaged: {member.name} does not match its checksum. "
                    "Nothing was restored."
                )
            seen.add(member.name)
        missing = sorted(set(expected) - seen)
        if missing:
            raise BackupError(
                f"{path} is incomplete: {missing[0]} is missing. Nothing was restored."
            )
    (target / MEDIA).mkdir(exist_ok=True)
    return manifest


def _swap_media(new: Path, media_root: Path) -> None:
    """Put the backup's media in MEDIA_ROOT's place whole, then remove the old files."""
    old = media_root.with_name(f".{media_root.name}-replaced-{secrets.token_hex(4)}")
    if media_root.exists():
        media_root.rename(old)
    new.rename(media_root)
    shutil.rmtree(old, ignore_errors=True)


def _restore_database_file(connection, path: Path) -> None:
    with path.open("rb") as file:
        head = file.read(len(SQLITE_MAGIC))
    if connection.vendor == "postgresql":
        if not head.startswith(POSTGRES_MAGIC):
            raise BackupError(f"{path} is not a pg_dump custom-format backup.")
        # Nothing of ours may hold the tables while pg_restore drops and recreates them.
        connection.close()
        _pg_restore(connection.settings_dict, path)
    else:
        if head != SQLITE_MAGIC:
            raise BackupError(f"{path} is not an SQLite database backup.")
        _sqlite_restore(connection, path)


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
