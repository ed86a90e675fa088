from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gpvoice.core.models import LeadershipGroup
from gpvoice.operations.derived import derived_differences, rebuild_derived


class Command(BaseCommand):
    help = (
        "Rebuild the aggregates kept for pages (each group's resolved footprint, each mandate "
        "round's coverage, each group's monthly service levels) from the rows. With --check, "
        "change nothing: report every difference from a full recount and fail if there is one."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check", action="store_true", help="Compare only; exit non-zero on a difference."
        )
        parser.add_argument("--group", metavar="SLUG", help="Only this group (default: every group).")

    def handle(self, *args: Any, **options: Any) -> None:
        group = None
        if options["group"]:
            group = LeadershipGroup.objects.filter(slug=options["group"]).first()
            if group is None:
                raise CommandError(f"There is no group {options['group']!r}.")
        if options["check"]:
            problems = derived_differences(group)
            for problem in problems:
                self.stdout.write(f"  {self.style.ERROR('DIFF')} {problem}")
            if problems:
                raise CommandError(
                    f"{len(problems)} difference(s) from a full recount; run `gpvoice recount` to rebuild."
                )
            self.stdout.write(self.style.SUCCESS("The kept aggregates equal a full recount."))
            return
        rebuilt = rebuild_derived(group)
        self.stdout.write(
            self.style.SUCCESS(
                f"Rebuilt the footprints of {rebuilt.groups} group(s) and the coverage of "
                f"{rebuilt.rounds} mandate round(s), and {rebuilt.service_months} month(s) of service levels."
            )
        )
