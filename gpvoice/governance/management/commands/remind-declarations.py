from typing import Any

from django.core.management.base import BaseCommand

from gpvoice.core.models import LeadershipGroup
from gpvoice.governance.reminders import declaration_reminders_send


class Command(BaseCommand):
    help = "Email people on each group's roll whose declarations of interest are due (run daily or weekly)."

    def handle(self, *args: Any, **options: Any) -> None:
        for group in LeadershipGroup.objects.order_by("name"):
            sent = declaration_reminders_send(group=group)
            self.stdout.write(f"{group.name}: {sent} reminders sent")
