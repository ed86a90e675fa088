"""Delete back-office uploads previewed but never confirmed, older than a day."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from gpvoice.directory.uploads import ABANDONED_AFTER, pending_imports_clear_abandoned


class Command(BaseCommand):
    help = "Delete uploaded NHS files that were previewed but not confirmed within a day."

    def handle(self, *args: Any, **options: Any) -> None:
        cleared = pending_imports_clear_abandoned()
        hours = int(ABANDONED_AFTER.total_seconds() // 3600)
        self.stdout.write(f"Cleared {cleared} upload(s) left unconfirmed for more than {hours} hours.")
