"""Reminding people on a group's roll whose declarations of interest are due for renewal."""

from __future__ import annotations

from django.core.mail import send_mass_mail

from gpvoice.core import audit
from gpvoice.core.models import LeadershipGroup

from .selectors import roll_rows


def declaration_reminders_send(*, group: LeadershipGroup) -> int:
    """Email everyone on the roll with no declaration, or one older than a year. Returns how many."""
    messages = []
    for row in roll_rows(group=group):
        person = row.entry.person
        if not row.declarations_due or not person.email:
            continue
        messages.append(
            (
                f"{group.name}: please renew your declaration of interests",
                f"Dear {person.full_name},\n\nAs a {row.entry.get_status_display().lower()} of {group.name} "
                "you "
                "are asked to declare your interests every year. Yours are due for renewal: please send your "
                "current interests to the group's admin, or confirm that nothing has changed.\n",
                None,
                [person.email],
            )
        )
    sent = send_mass_mail(messages, fail_silently=False) if messages else 0
    audit.record(action="governance.declarations.reminded", group=group, data={"sent": sent})
    return sent
