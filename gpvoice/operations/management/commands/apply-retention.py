from typing import Any

from django.core.management.base import BaseCommand

from gpvoice.core import personal_data
from gpvoice.operations.services.retention import retention_apply


class Command(BaseCommand):
    help = "Delete personal data past its retention period (the RETENTION_* settings). Run it daily."

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = retention_apply()
        for rule in personal_data.retention_rules():
            self.stdout.write(f"  {rule.description} ({rule.setting}): {deleted[rule.name]} deleted")
