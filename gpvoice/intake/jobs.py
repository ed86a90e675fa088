"""Scheduled work: delete unconfirmed submissions, and warn officers before a request breaches."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from gpvoice.jobs import schedule

from . import emails, reports, selectors
from .models import AccessRequest, Attachment

BATCH = 2000  # rows per run; an hourly job catches up on the next run


def delete_unverified(now: datetime) -> str:
    """Submissions whose email was never confirmed, and their files, are deleted once the link expires."""
    deleted = 0
    for request in list(selectors.expired_unverified(now=now)[:BATCH]):  # the rest on the next run
        files = [a.file.name for a in Attachment.objects.filter(request=request)]
        with transaction.atomic():
            # Compare-and-swap: a confirmation racing this job wins, and the row is kept.
            gone, _ = AccessRequest.objects.filter(pk=request.pk, status="unverified").delete()
        if gone:
            deleted += 1
            for name in files:
                Attachment.file.field.storage.delete(name)
    return f"{deleted} unconfirmed requests deleted"


def warn_breaches(now: datetime) -> str:
    """Email the officers (and the lead) once per request, before its due date passes."""
    warned = 0
    up_to = reports.warn_before(timezone.localdate(now))
    for request in list(selectors.breach_candidates(up_to=up_to)[:BATCH]):
        with transaction.atomic():
            # Compare-and-swap: only one worker marks (and so emails about) each request.
            won = AccessRequest.objects.filter(pk=request.pk, breach_warned_at__isnull=True).update(
                breach_warned_at=now
            )
            if won == 1:
                emails.breach_warning(request, selectors.officer_emails(group=request.group))
                warned += 1
    return f"{warned} breach warnings queued"


def register() -> None:
    schedule.register("intake-delete-unverified", every=timedelta(hours=1), run=delete_unverified)
    schedule.register("intake-breach-warnings", every=timedelta(hours=1), run=warn_breaches)
