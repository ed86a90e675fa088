"""Demo notifications: the emails the scheduled job would send right after the demo is loaded (a
ballot open, a ratification and nominations open), queued in the outbox; and one person who has
turned off the optional emails about nominations, through the settings service."""

from __future__ import annotations

from gpvoice.accounts.models import User
from gpvoice.core.models import LeadershipGroup
from gpvoice.notifications.services import notices_send, preferences_update


def load_notifications(groups: list[LeadershipGroup]) -> int:
    """Returns how many notification emails were queued by this load (none on a second load)."""
    for group in groups:
        observer = User.objects.filter(email=f"observer@{group.slug}.example.nhs.uk").first()
        if observer is not None:
            preferences_update(user=observer, actor=observer, reminders=True, results=True, nominations=False)
    return notices_send(groups=groups)  # the demo's own events only, whatever else the database holds
