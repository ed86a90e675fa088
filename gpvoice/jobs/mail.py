"""Sending email: every message is queued in the outbox and delivered by a background task."""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.db import IntegrityError, transaction

from .models import OutgoingEmail


def queue_email(
    *,
    key: str,
    to: Sequence[str],
    subject: str,
    body: str,
    html: str = "",
    from_email: str = "",
    erase_after_send: bool = False,
    calendar: str = "",
) -> tuple[OutgoingEmail, bool]:
    """Store the message once under ``key`` and queue its delivery; (email, whether it was new).

    The delivery task is queued in the same transaction as the row (the database task backend keeps
    tasks in the same database), so a rolled-back write sends nothing.
    """
    from .tasks import deliver_email

    recipients = [address for address in to if address]
    try:
        with transaction.atomic():
            email = OutgoingEmail.objects.create(
                key=key[:200],
                to=recipients,
                subject=" ".join(subject.split())[:998],
                body=body,
                html=html,
                from_email=from_email or settings.DEFAULT_FROM_EMAIL,
                erase_after_send=erase_after_send,
                calendar=calendar,
            )
            deliver_email.enqueue(email.pk)
    except IntegrityError:
        # Queued before under the same key (a rerun, or a racing worker): never a second copy.
        return OutgoingEmail.objects.get(key=key[:200]), False
    return email, True
