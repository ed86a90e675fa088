"""Requests made straight in the database, for tests that need one without the front door's limits."""

from __future__ import annotations

from itertools import count

from django.core.files.base import ContentFile
from django.utils import timezone

from gpvoice.intake.models import AccessRequest, Attachment, Status

_numbers = count(9000)


def received_request(group, *, with_file: bool = False, **fields) -> AccessRequest:
    """A received request of ``group`` (reference SPA-<year>-9xxx), optionally with one text file."""
    now = timezone.now()
    request = AccessRequest.objects.create(
        group=group,
        reference=f"SPA-{now.year}-{next(_numbers):04d}",
        status=Status.RECEIVED,
        organisation_name="Test ICB",
        requester_name="Sam Requester",
        requester_email="sam@icb.nhs.test",
        subject="A test request",
        body="What is asked.",
        received_at=now,
        **fields,
    )
    if with_file:
        attachment = Attachment(request=request, name="a.txt", content_type="text/plain", size=4)
        attachment.file.save("a.txt", ContentFile(b"text"), save=False)
        attachment.save()
    return request
