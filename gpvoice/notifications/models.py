"""What a person wants to be emailed about, and which notices have gone out (so each goes once).

See docs/adr/0010-notifications.md: the notice that a vote or a ratification has opened for your
practice is always sent; reminders, results and nomination openings can be turned off.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Preferences(models.Model):
    """One person's choices. No row means the defaults: every optional notice on."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    reminders = models.BooleanField(
        default=True,
        help_text="A reminder before a vote or ratification closes, if my practice has not answered.",
    )
    results = models.BooleanField(
        default=True, help_text="When the result of a ballot I could vote in is published."
    )
    nominations = models.BooleanField(
        default=True, help_text="When a priority-setting round opens nominations."
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "notification preferences"
        verbose_name_plural = "notification preferences"

    def __str__(self) -> str:
        return f"Notification preferences of user {self.user_id}"


class Kind(models.TextChoices):
    BALLOT_OPENED = "ballot-opened", "A ballot opened"
    BALLOT_REMINDER = "ballot-reminder", "A ballot closes soon"
    BALLOT_RESULT = "ballot-result", "A ballot's result was published"
    RATIFICATION_OPENED = "ratification-opened", "A ratification opened"
    RATIFICATION_REMINDER = "ratification-reminder", "A ratification closes soon"
    NOMINATIONS_OPENED = "nominations-opened", "A priority round opened nominations"


#: The kinds a person may turn off, and the preference that does it. The others always go.
OPTIONAL = {
    Kind.BALLOT_REMINDER: "reminders",
    Kind.RATIFICATION_REMINDER: "reminders",
    Kind.BALLOT_RESULT: "results",
    Kind.NOMINATIONS_OPENED: "nominations",
}


class Notice(models.Model):
    """One event announced (a ballot opening, a reminder for a round): claimed once by inserting this
    row, so two workers, or a rerun, never announce it twice. Each email also has its own outbox key."""

    kind = models.CharField(max_length=30, choices=Kind.choices)
    subject_id = models.PositiveBigIntegerField(help_text="The ballot, mandate round or priority round.")
    group = models.ForeignKey("core.LeadershipGroup", on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            # The claim: one notice per event, whatever the concurrency.
            models.UniqueConstraint(fields=["kind", "subject_id"], name="notice_once_per_event")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.subject_id})"
