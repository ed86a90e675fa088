from typing import Any

from django.core.management.base import BaseCommand, CommandError

from gpvoice.core.audit import verify_chain


class Command(BaseCommand):
    help = "Recompute the audit log's hash chain and report the first entry that does not match."

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_chain()
        if not report.ok:
            raise CommandError(
                f"Audit chain broken at entry {report.first_broken_id} (after {report.checked} good entries)."
            )
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {report.checked} entries."))
