from typing import Any

from django.core.management.base import BaseCommand, CommandError

from gpvoice.operations.backups import verify


class Command(BaseCommand):
    help = (
        "Verify the audit chains, recount every closed ballot, and recompute footprints and mandate "
        "coverage and compare them with the stored ones."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        checks = verify()
        for check in checks:
            mark = self.style.SUCCESS("ok  ") if check.ok else self.style.ERROR("FAIL")
            self.stdout.write(f"  {mark} {check.name}: {check.detail}")
        if not all(c.ok for c in checks):
            raise CommandError("The data does not verify; see above.")
