"""Background work's personal data (core.personal_data): the email outbox holds addresses."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django_tasks_db.models import DBTaskResult

from gpvoice.core import personal_data as pd

from .models import OutgoingEmail, ScheduledJob


def _emails_to(subject: pd.Subject) -> Q:
    """Messages sent to one of the subject's addresses: the database narrows by text, and the exact
    address is then matched in the (few) candidates, since ``to`` is a JSON list."""
    wanted = {address.lower() for address in subject.emails}
    if not wanted:
        return Q(pk__in=[])
    near = Q(pk__in=[])
    for address in wanted:
        near |= Q(to__icontains=address)
    rows = OutgoingEmail.objects.filter(near).values_list("pk", "to")
    return Q(pk__in=[pk for pk, to in rows if wanted & {str(a).lower() for a in to}])


pd.register(
    OutgoingEmail,
    find=_emails_to,
    export=("to", "subject", "state", "created_at", "sent_at"),
    erase=pd.delete,
    erasure="Deleted: a copy of a message, not a record of the group.",
)
pd.declare_none(ScheduledJob, reason="the schedule's own rows: a job's name and its last error text")
pd.declare_none(
    DBTaskResult,
    reason="django-tasks' queue: task paths and tracebacks; GP Voice's tasks take row ids, never names",
)


def _old_mail_and_tasks(now: datetime) -> int:
    cutoff = now - timedelta(days=settings.RETENTION_EMAILS_DAYS)
    done = OutgoingEmail.objects.filter(
        Q(sent_at__lt=cutoff) | Q(state=OutgoingEmail.State.FAILED, created_at__lt=cutoff)
    )
    finished = DBTaskResult.objects.filter(finished_at__lt=cutoff)
    return done.delete()[0] + finished.delete()[0]


pd.register_retention(
    name="sent emails and finished tasks",
    setting="RETENTION_EMAILS_DAYS",
    apply=_old_mail_and_tasks,
    description="the outbox's sent or given-up emails, and finished background tasks, older than the period",
)
