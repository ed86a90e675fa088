from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gpvoice.operations.backups import BackupRefused, backup_create


class Command(BaseCommand):
    help = (
        "Back up the database to FILE: pg_dump (custom format) or SQLite's online backup, with a "
        "manifest (deployment, checksum, row counts, results) that `gpvoice restore` checks."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = backup_create(options["file"])
        except BackupRefused as exc:
            raise CommandError(str(exc)) from None
        expected = manifest["expected"]
        rows = sum(expected["rows"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up {manifest['vendor']} to {options['file']}: {rows} rows, "
                f"{len(expected['results'])} counted ballots, {len(expected['coverage'])} mandate rounds."
            )
        )
        self.stdout.write(
            "Keep BALLOT_SEAL_KEY, SECRET_KEY and DEPLOYMENT_ID with it (see the README runbook)."
        )
