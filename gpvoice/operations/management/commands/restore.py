from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gpvoice.operations.backups import BackupRefused, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `gpvoice backup` into an empty database, then verify the audit "
        "chains, recount every closed ballot and recompute mandate coverage. Fails on any difference."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace a database that already holds data (everything in it).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = backup_restore(options["file"], force=options["force"])
        except BackupRefused as exc:
            raise CommandError(f"{exc} Nothing was changed.") from None
        m = report.manifest
        self.stdout.write(f"Restored {m['vendor']} backup of {m['created_at']} from {options['file']}.")
        if report.migrated:
            self.stdout.write(f"Applied {report.migrated} migrations newer than the backup.")
        for check in report.checks:
            mark = self.style.SUCCESS("ok  ") if check.ok else self.style.ERROR("FAIL")
            self.stdout.write(f"  {mark} {check.name}: {check.detail}")
        if not report.ok:
            raise CommandError("The restored data does not match the backup: do not use it; see above.")
        self.stdout.write(self.style.SUCCESS("Restore verified."))
