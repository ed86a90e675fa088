from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from gpvoice.intake.jobs import delete_unverified, warn_breaches


class Command(BaseCommand):
    help = (
        "Run the single point of access's scheduled work now: delete expired unconfirmed submissions and "
        "email officers about requests close to their due date (each at most once)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        self.stdout.write(delete_unverified(now))
        self.stdout.write(warn_breaches(now))
