"""Reminding people on a group's roll whose declarations of interest are due for renewal."""

from __future__ import annotations

from django.utils import timezone

from gpvoice.core import audit
from gpvoice.core.models import LeadershipGroup
from gpvoice.jobs.mail import queue_email

from .selectors import roll_rows


def declaration_reminders_send(*, group: LeadershipGroup) -> int:
    """Email everyone on the roll with no declaration, or one older than a year. Returns how many."""
    year, week, _ = timezone.localdate().isocalendar()
    sent = 0
    for row in roll_rows(group=group):
        person = row.entry.person
        if not row.declarations_due or not person.email:
            continue
        # At most one reminder a person a week, however often the job runs.
        sent += queue_email(
            key=f"declaration-reminder:{group.pk}:{person.pk}:{year}-W{week}",
            to=[person.email],
            subject=f"{group.name}: please renew your declaration of interests",
            body=(
                f"Dear {person.full_name},\n\nAs a {row.entry.get_status_display().lower()} of {group.name} "
                "you "
                "are asked to declare your interests every year. Yours are due for renewal: please send your "
                "current interests to the group's admin, or confirm that nothing has changed.\n"
            ),
        )[1]
    audit.record(action="governance.declarations.reminded", group=group, data={"sent": sent})
    return sent
