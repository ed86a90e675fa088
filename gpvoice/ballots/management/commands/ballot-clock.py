from typing import Any

from django.core.management.base import BaseCommand

from gpvoice.ballots.reminders import reminders_due
from gpvoice.ballots.services import advance_due


class Command(BaseCommand):
    help = "Open and close due ballots and queue due reminders, once (the worker does it every minute)."

    def handle(self, *args: Any, **options: Any) -> None:
        refusals: list[str] = []
        for ballot in advance_due(refusals=refusals):
            self.stdout.write(
                f"{ballot.group.slug}: ballot {ballot.pk} '{ballot.title}' is now {ballot.status}"
            )
        for refusal in refusals:
            self.stderr.write(self.style.ERROR(refusal))
        sent = reminders_due()
        self.stdout.write(f"{sent} reminders sent")
