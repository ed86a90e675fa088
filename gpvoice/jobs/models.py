"""Rows that make background work safe to repeat: the schedule's next run, and the email outbox."""

from __future__ import annotations

from django.db import models


class ScheduledJob(models.Model):
    """One registered job (see jobs.schedule). ``next_run_at`` is the occurrence a worker claims by
    compare-and-swap: only the worker whose UPDATE still sees the old value enqueues it."""

    name = models.CharField(max_length=100, unique=True)
    next_run_at = models.DateTimeField()
    last_enqueued_at = models.DateTimeField(null=True, blank=True)
    last_succeeded_at = models.DateTimeField(null=True, blank=True)
    last_failed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OutgoingEmail(models.Model):
    """Every email the application sends, queued here and delivered by a task.

    ``key`` names the message (e.g. ``ballot-reminder:12:someone@example.org``), so queueing the same
    message twice stores it once. Delivery claims the row (queued → sending) before handing it to the
    mail backend: a worker killed mid-send leaves it ``sending``, which is never sent again (at most once),
    and an operator sees it in the back office.
    """

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed (gave up)"

    key = models.CharField(max_length=200, unique=True)
    to = models.JSONField(default=list)
    from_email = models.CharField(max_length=254, blank=True)
    subject = models.CharField(max_length=998)
    body = models.TextField()
    html = models.TextField(blank=True)
    # An iCalendar invitation or cancellation sent as an attachment (text/calendar), if any.
    calendar = models.TextField(blank=True)
    # Messages that carry a credential (sign-in codes, invitation links) keep their text only until sent.
    erase_after_send = models.BooleanField(default=False)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "created_at"])]

    def __str__(self) -> str:
        return f"{self.subject} ({self.get_state_display()})"
