"""The background tasks (django-tasks): running a scheduled job, delivering one email."""

from __future__ import annotations

import logging

from django.core.mail import EmailMultiAlternatives
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from . import schedule
from .models import OutgoingEmail, ScheduledJob
from .retry import MAX_ATTEMPTS, enqueue_retry, retry_at

logger = logging.getLogger(__name__)


def _error_text(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:2000]


@task()
def run_scheduled_job(name: str, attempt: int = 1) -> str:
    job = schedule.job_named(name)
    now = timezone.now()
    try:
        outcome = job.run(now)
    except Exception as error:
        ScheduledJob.objects.filter(name=name).update(
            last_failed_at=now,
            last_error=_error_text(error),
            consecutive_failures=F("consecutive_failures") + 1,
        )
        enqueue_retry(run_scheduled_job, name, attempt=attempt, at=retry_at(attempt, now))
        raise
    ScheduledJob.objects.filter(name=name).update(
        last_succeeded_at=timezone.now(), last_error="", consecutive_failures=0
    )
    return str(outcome)


@task()
def deliver_email(email_id: int, attempt: int = 1) -> str:
    now = timezone.now()
    # Claim before sending, committed on its own: if this worker dies mid-send, the row stays
    # "sending" and no later attempt sends it again.
    claimed = OutgoingEmail.objects.filter(pk=email_id, state=OutgoingEmail.State.QUEUED).update(
        state=OutgoingEmail.State.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    if claimed != 1:
        return "not queued (already sent, being sent or given up)"
    email = OutgoingEmail.objects.get(pk=email_id)
    message = EmailMultiAlternatives(email.subject, email.body, email.from_email or None, email.to)
    if email.html:
        message.attach_alternative(email.html, "text/html")
    if email.calendar:
        method = "CANCEL" if "METHOD:CANCEL" in email.calendar else "REQUEST"
        message.attach("meeting.ics", email.calendar, f"text/calendar; method={method}")
    try:
        message.send(fail_silently=False)
    except Exception as error:
        give_up = attempt >= MAX_ATTEMPTS
        OutgoingEmail.objects.filter(pk=email_id).update(
            state=OutgoingEmail.State.FAILED if give_up else OutgoingEmail.State.QUEUED,
            last_error=_error_text(error),
            next_attempt_at=None if give_up else retry_at(attempt, now),
        )
        enqueue_retry(deliver_email, email_id, attempt=attempt, at=retry_at(attempt, now))
        raise
    erased = {"body": "(erased once sent)", "html": ""} if email.erase_after_send else {}
    OutgoingEmail.objects.filter(pk=email_id).update(
        state=OutgoingEmail.State.SENT, sent_at=timezone.now(), **erased
    )
    return "sent"
