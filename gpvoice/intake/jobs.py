"""Scheduled work: delete unconfirmed submissions, and warn officers before a request breaches."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from gpvoice.jobs import schedule

from . import emails, reports, selectors
from .models import AccessRequest, Attachment


def delete_unverified(now: datetime) -> str:
    """Submissions whose email was never confirmed, and their files, are deleted once the link expires."""
    deleted = 0
    for request in selectors.expired_unverified(now=now).iterator(chunk_size=200):
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
    for request in selectors.breach_candidates(up_to=up_to).iterator(chunk_size=200):
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
