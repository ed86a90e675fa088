"""Each database's own way to copy itself: pg_dump / pg_restore, and SQLite's online backup API."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess  # noqa: S404 - runs PostgreSQL's own client tools, with argument lists
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.db import connection

from .manifest import BackupRefused

PG_CLIENT_HINT = "Install PostgreSQL's client tools (Debian: postgresql-client, or `make pg-client-deps`)."


def vendor() -> str:
    return str(connection.vendor)


# SQLite ----------------------------------------------------------------------------------------


@contextmanager
def sqlite_read_snapshot() -> Iterator[None]:
    """A read transaction on Django's own connection: queries and the page copy made inside it
    see one snapshot (WAL), and writers are not held up. Not a write transaction: SQLite refuses
    to copy from a connection that is writing."""
    if connection.in_atomic_block:
        raise BackupRefused("A backup cannot run inside another transaction.")
    connection.ensure_connection()
    raw = connection.connection
    raw.execute("BEGIN DEFERRED")
    try:
        yield
    finally:
        raw.execute("COMMIT")


def sqlite_dump(payload: Path) -> None:
    """Copy the live database page by page into ``payload`` (consistent even while in use)."""
    connection.ensure_connection()
    target = sqlite3.connect(payload)
    try:
        connection.connection.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
    finally:
        target.close()


def sqlite_check(payload: Path) -> None:
    try:
        source = sqlite3.connect(f"file:{payload}?mode=ro", uri=True)
        try:
            ok = source.execute("PRAGMA integrity_check").fetchone()[0]
            has_migrations = source.execute(
                "SELECT 1 FROM sqlite_master WHERE type='table' AND name='django_migrations'"
            ).fetchone()
        finally:
            source.close()
    except sqlite3.DatabaseError as exc:
        raise BackupRefused(f"The backup's SQLite database cannot be read: {exc}.") from None
    if ok != "ok" or not has_migrations:
        raise BackupRefused("The backup's SQLite database is damaged or not a GP Voice database.")


def sqlite_load(payload: Path) -> None:
    """Replace the live database's content with the backup's, through the same connection."""
    source = sqlite3.connect(f"file:{payload}?mode=ro", uri=True)
    try:
        connection.close()
        connection.ensure_connection()
        source.backup(connection.connection)
    finally:
        source.close()
        connection.close()


# PostgreSQL ------------------------------------------------------------------------------------


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupRefused(f"{name} was not found. {PG_CLIENT_HINT}")
    return path


def _pg_env() -> dict[str, str]:
    s: dict[str, Any] = connection.settings_dict
    env = {**os.environ, "PGDATABASE": str(s["NAME"])}
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if s.get(key):
            env[var] = str(s[key])
    return env


def _run(args: list[str], what: str) -> None:
    done = subprocess.run(args, env=_pg_env(), capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupRefused(f"{what} failed: {done.stderr.strip() or done.returncode}")


@contextmanager
def pg_snapshot() -> Iterator[str]:
    """A repeatable-read, read-only transaction whose snapshot pg_dump shares, so that what the
    manifest records and what the dump holds are the same moment."""
    with connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        yield str(cursor.fetchone()[0])


def pg_dump(payload: Path, *, snapshot: str | None) -> None:
    args = [_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={payload}"]
    if snapshot:
        args.append(f"--snapshot={snapshot}")
    _run(args, "pg_dump")


def pg_check(payload: Path) -> None:
    _run([_tool("pg_restore"), "--list", str(payload)], "Reading the backup's PostgreSQL archive")


def pg_load(payload: Path) -> None:
    """All or nothing: pg_restore in one transaction, stopping at the first error."""
    connection.close()
    _run(
        [
            _tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={connection.settings_dict['NAME']}",
            str(payload),
        ],
        "pg_restore",
    )
