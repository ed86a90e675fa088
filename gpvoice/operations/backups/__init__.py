"""``gpvoice backup`` and ``gpvoice restore``: the database's own copy, wrapped in a manifest that
lets a restore refuse the wrong file before it changes anything, and check the data after."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from gpvoice.core import audit

from . import engines
from .checks import Check, snapshot, verify
from .manifest import FORMAT, BackupRefused, check_belongs_here, deployment_id, read, write

__all__ = ["BackupRefused", "Check", "RestoreReport", "backup_create", "backup_restore", "verify"]

# Tables Django fills by itself on a new, migrated database: a target holding only these is empty.
FRAMEWORK_TABLES = {"django_migrations", "django_content_type", "auth_permission", "django_session"}


@dataclass(frozen=True)
class RestoreReport:
    manifest: dict[str, Any]
    migrated: int
    checks: list[Check]

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)


@contextmanager
def _workdir(near: Path) -> Iterator[Path]:
    """Beside the backup file when that directory is writable (a large payload then stays on its
    file system), else in the system's temporary directory (a read-only backup volume)."""
    try:
        work = tempfile.TemporaryDirectory(prefix=".gpvoice-backup-", dir=near.parent)
    except OSError:
        work = tempfile.TemporaryDirectory(prefix="gpvoice-backup-")
    with work as tmp:
        yield Path(tmp)


def _applied_migrations() -> list[str]:
    return sorted(f"{app}.{name}" for app, name in MigrationLoader(connection).applied_migrations)


def backup_create(path: Path) -> dict[str, Any]:
    """Write a backup of the default database to ``path`` (which must not exist)."""
    path = path.absolute()
    if path.exists():
        raise BackupRefused(f"{path} already exists: give a new file name (backups are never overwritten).")
    if not path.parent.is_dir():
        raise BackupRefused(f"{path.parent}: no such directory.")
    with _workdir(path) as tmp:
        payload = tmp / "payload"
        # One moment for the manifest and the dump, while writers carry on: PostgreSQL shares its
        # snapshot with pg_dump; on SQLite the figures and the page copy read in one transaction.
        if engines.vendor() == "postgresql":
            with transaction.atomic(), engines.pg_snapshot() as snap:
                expected = snapshot()
                engines.pg_dump(payload, snapshot=snap)
        else:
            with engines.sqlite_read_snapshot():
                expected = snapshot()
                engines.sqlite_dump(payload)
        manifest = {
            "format": FORMAT,
            "vendor": engines.vendor(),
            "deployment": deployment_id(),
            "created_at": timezone.now(),
            "migrations": _applied_migrations(),
            "expected": expected,
        }
        write(path, manifest, payload)
    return manifest


def target_is_empty() -> bool:
    """True when no table but Django's own bookkeeping holds a row (never migrated, or just migrated)."""
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if table in FRAMEWORK_TABLES:
                continue
            cursor.execute(f"SELECT 1 FROM {qn(table)} LIMIT 1")  # noqa: S608 - introspected table names
            if cursor.fetchone() is not None:
                return False
    return True


def _check_migrations(manifest: dict[str, Any], path: Path) -> None:
    known = {
        f"{app}.{name}" for app, name in MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    }
    unknown = sorted(set(manifest.get("migrations", [])) - known)
    if unknown:
        raise BackupRefused(
            f"{path} was made by a newer GP Voice (unknown migrations: {', '.join(unknown[:5])}). "
            "Restore it with that version or later."
        )


def _migrate() -> int:
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        call_command("migrate", interactive=False, verbosity=0)
    return len(pending)


def backup_restore(path: Path, *, force: bool = False) -> RestoreReport:
    """Check the file, load it into an empty database (or any, with ``force``), then verify."""
    path = path.absolute()
    vendor = engines.vendor()
    with _workdir(path) as tmp:
        payload = tmp / "payload"
        manifest = read(path, payload)
        check_belongs_here(manifest, vendor=vendor, path=path)
        _check_migrations(manifest, path)
        (engines.pg_check if vendor == "postgresql" else engines.sqlite_check)(payload)
        if not force and not target_is_empty():
            raise BackupRefused(
                "The database already holds data. Restore into an empty database, or pass --force "
                "to replace everything in it with the backup."
            )
        (engines.pg_load if vendor == "postgresql" else engines.sqlite_load)(payload)
    migrated = _migrate()
    report = RestoreReport(manifest=manifest, migrated=migrated, checks=verify(manifest.get("expected")))
    if report.ok:
        # On the record of the restored database itself, after the checks compared it with the file.
        audit.record(
            action="operations.database.restored",
            data={"file": path.name, "made_at": manifest.get("created_at"), "migrated": migrated},
        )
    return report
