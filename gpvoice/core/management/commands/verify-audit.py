from typing import Any

from django.core.management.base import BaseCommand, CommandError

from gpvoice.core.audit import verify_all_chains


class Command(BaseCommand):
    help = (
        "Recompute every audit chain (the platform's and each group's); report each one, with the "
        "first entry that does not match, and fail if any chain is broken."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        reports = verify_all_chains()
        for report in reports:
            if report.ok:
                self.stdout.write(
                    f"Audit chain intact: {report.chain}, {report.checked} entries, head {report.last_hash}"
                )
            else:
                where = f"entry {report.first_broken_id}" if report.first_broken_id else "its end"
                self.stdout.write(
                    self.style.ERROR(
                        f"Audit chain BROKEN: {report.chain} at {where} after {report.checked} good "
                        f"entries: {report.problem}"
                    )
                )
        broken = [report.chain for report in reports if not report.ok]
        if broken:
            raise CommandError(f"{len(broken)} of {len(reports)} audit chains broken: {', '.join(broken)}.")
        total = sum(report.checked for report in reports)
        self.stdout.write(self.style.SUCCESS(f"All {len(reports)} audit chains intact: {total} entries."))
