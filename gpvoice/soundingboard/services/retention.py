"""Deleting submissions past their retention period, files and all, leaving only an audit entry."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction

from gpvoice.core import audit
from gpvoice.core.locking import lock_row

from ..models import Document, Status, Submission

BATCH = 200


def _due(now: datetime) -> list[int]:
    cutoff = now - timedelta(days=settings.RETENTION_SOUNDINGBOARD_DAYS)
    closed = (Status.RETURNED, Status.READ, Status.WITHDRAWN)
    return list(
        Submission.objects.filter(status__in=closed, closed_at__lt=cutoff)
        .order_by("pk")
        .values_list("pk", flat=True)[:BATCH]
    )


@transaction.atomic
def submission_expire(*, pk: int, now: datetime) -> bool:
    """Delete one submission past its period (and its documents' files once the delete commits)."""
    found = Submission.objects.filter(pk=pk).first()
    if found is None:
        return False  # another worker deleted it first
    submission = lock_row(Submission.objects.select_related("group", "organisation"), pk=pk)
    files = [d.file.name for d in Document.objects.filter(submission=submission)]
    kept = {
        "reference": submission.reference,
        "organisation": submission.organisation.ods_code,
        "submitted_at": submission.submitted_at,
        "closed_at": submission.closed_at,
        "status": submission.status,
        "documents": len(files),
    }
    group = submission.group
    storage = Document._meta.get_field("file").storage
    submission.delete()  # cascades to its documents, assignments and reviews

    def remove_files() -> None:
        for name in files:
            storage.delete(name)

    transaction.on_commit(remove_files)
    audit.record(action="soundingboard.submission.deleted", group=group, data=kept)
    return True


def submissions_expire(*, now: datetime) -> int:
    """Each due submission in its own transaction, so one failure holds up no other."""
    return sum(submission_expire(pk=pk, now=now) for pk in _due(now))
