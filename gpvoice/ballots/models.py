"""Ballots: a question, its frozen rules and electorate, and the ballots cast.

Open ballots keep every cast (``Vote``) against its elector, with history. Secret ballots keep
*who* voted (``Participation``) apart from *what* was chosen (``SealedChoice``): a choice row has
a random id, no timestamp, no link to an elector, and its weight sealed with a key held outside
the database (see docs/adr/0003-secret-ballots.md).
"""

from __future__ import annotations

import uuid
from fractions import Fraction
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from gpvoice.core.models import LeadershipGroup
from gpvoice.directory.models import Organisation, Person


class Method(models.TextChoices):
    YES_NO = "yes_no", "Yes, no or abstain"
    SINGLE = "single", "Single choice"
    APPROVAL = "approval", "Approval (choose any number)"
    SCHULZE = "schulze", "Ranked choice, counted by the Schulze method"
    IRV = "irv", "Ranked choice, counted by instant-runoff"
    POINTS = "points", "Points allocation"


RANKED_METHODS = frozenset({Method.SCHULZE, Method.IRV})
#: Methods where a single figure passes or fails against the threshold.
THRESHOLD_METHODS = frozenset({Method.YES_NO, Method.SINGLE})


class Electorate(models.TextChoices):
    PRACTICES = "practices", "The footprint's practices (one ballot each, cast by a signatory)"
    CORE = "core", "The group's core members (one ballot each)"


class Weighting(models.TextChoices):
    EQUAL = "equal", "One practice, one vote"
    LIST_SIZE = "list_size", "By registered list size"
    DOUBLE = "double", "Double majority (practices and patients)"


class Threshold(models.TextChoices):
    SIMPLE = "simple", "Simple majority (more than half)"
    TWO_THIRDS = "two_thirds", "Two thirds (at least)"
    CUSTOM = "custom", "A custom share (at least)"


class TieBreak(models.TextChoices):
    LISTED_FIRST = "listed_first", "The option listed first on the ballot wins a tie"
    SEEDED = "seeded", "A seeded draw, with the seed recorded on the ballot"


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    SCHEDULED = "scheduled", "Scheduled"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"
    PUBLISHED = "published", "Published"
    CANCELLED = "cancelled", "Cancelled"


class Kind(models.TextChoices):
    BALLOT = "ballot", "Ballot"
    RECORDED = "recorded", "Recorded show of hands"


EDITABLE = frozenset({Status.DRAFT})
#: What a ballot's electorate is told, and what cannot change once it opens.
FROZEN_FIELDS = (
    "question",
    "method",
    "electorate",
    "weighting",
    "is_secret",
    "threshold",
    "threshold_num",
    "threshold_den",
    "quorum_practices_percent",
    "quorum_patients_percent",
    "points_allowance",
    "tie_break",
    "tie_seed",
    "opens_at",
    "closes_at",
    "secret_min_turnout",
)


class FrozenBallot(Exception):
    """An attempt to change what was fixed when the ballot left draft."""


class Ballot(models.Model):
    group = models.ForeignKey(LeadershipGroup, on_delete=models.CASCADE, related_name="ballots")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.BALLOT)
    title = models.CharField(max_length=200)
    question = models.TextField(help_text="What the electorate is asked, in full.")
    method = models.CharField(max_length=10, choices=Method.choices, default=Method.YES_NO)
    electorate = models.CharField(max_length=10, choices=Electorate.choices, default=Electorate.PRACTICES)
    weighting = models.CharField(max_length=10, choices=Weighting.choices, default=Weighting.EQUAL)
    is_secret = models.BooleanField(default=False)
    threshold = models.CharField(max_length=10, choices=Threshold.choices, default=Threshold.SIMPLE)
    threshold_num = models.PositiveSmallIntegerField(default=1)
    threshold_den = models.PositiveSmallIntegerField(default=2)
    quorum_practices_percent = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Turnout needed, as a share of electors."
    )
    quorum_patients_percent = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Turnout needed, as a share of the electorate's patients."
    )
    points_allowance = models.PositiveSmallIntegerField(null=True, blank=True)
    tie_break = models.CharField(max_length=15, choices=TieBreak.choices, default=TieBreak.LISTED_FIRST)
    tie_seed = models.CharField(max_length=64, blank=True)
    opens_at = models.DateTimeField(null=True, blank=True)
    closes_at = models.DateTimeField(null=True, blank=True)
    secret_min_turnout = models.PositiveSmallIntegerField(
        default=5,
        help_text="Secret ballots: each option's figures are withheld while fewer electors than this "
        "have voted, so that a handful of votes cannot be told apart.",
    )
    publish_on_close = models.BooleanField(
        default=True, help_text="Publish the result as soon as the ballot closes."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    owner = models.CharField(
        max_length=200,
        blank=True,
        help_text="Set when another part of GP Voice runs this ballot (a priority round): "
        "its question and options are then changed only there.",
    )
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(null=True, blank=True, help_text="The figures computed at close.")
    # An officer may cancel a scheduled or open ballot: nothing is counted, and voters see why.
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.TextField(blank=True, help_text="Why the ballot was cancelled, shown to voters.")
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A show of hands: where and when, and who was in the room.
    held_on = models.DateField(null=True, blank=True)
    meeting = models.CharField(max_length=200, blank=True)
    present = models.ManyToManyField(Person, blank=True, related_name="hands_shown_at")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "opens_at"]), models.Index(fields=["status", "closes_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(threshold_den__gt=0), name="ballot_threshold_denominator"),
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True)
                | Q(closes_at__isnull=True)
                | Q(closes_at__gt=models.F("opens_at")),
                name="ballot_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=Q(quorum_practices_percent__isnull=True) | Q(quorum_practices_percent__lte=100),
                name="ballot_quorum_practices_percent",
            ),
            models.CheckConstraint(
                condition=Q(quorum_patients_percent__isnull=True) | Q(quorum_patients_percent__lte=100),
                name="ballot_quorum_patients_percent",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Refuse, at the lowest level, any change to frozen rules once the ballot has left draft
        (so the Django admin, a shell or a bug cannot alter a ballot people are voting in)."""
        if self.pk is not None:
            stored = Ballot.objects.filter(pk=self.pk).values("status", *FROZEN_FIELDS).first()
            if stored is not None and stored["status"] not in EDITABLE:
                changed = [f for f in FROZEN_FIELDS if stored[f] != getattr(self, f)]
                if changed:
                    raise FrozenBallot(
                        f"{', '.join(changed)} cannot change: the ballot is {stored['status']}."
                    )
        super().save(*args, **kwargs)

    @property
    def threshold_share(self) -> Fraction:
        if self.threshold == Threshold.SIMPLE:
            return Fraction(1, 2)
        if self.threshold == Threshold.TWO_THIRDS:
            return Fraction(2, 3)
        return Fraction(self.threshold_num, self.threshold_den)

    @property
    def is_recorded(self) -> bool:
        return self.kind == Kind.RECORDED

    @property
    def is_ranked(self) -> bool:
        return self.method in RANKED_METHODS

    def accepts_votes_at(self, when: Any) -> bool:
        return (
            self.status == Status.OPEN
            and self.closes_at is not None
            and self.opens_at is not None
            and self.opens_at <= when < self.closes_at
        )


class Option(models.Model):
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    # A show of hands records counts, not ballots.
    hands = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["ballot", "position"], name="option_position_unique"),
            models.UniqueConstraint(fields=["ballot", "label"], name="option_label_unique"),
        ]

    def __str__(self) -> str:
        return self.label

    def save(self, *args: Any, **kwargs: Any) -> None:
        self._check_editable()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        self._check_editable()
        return super().delete(*args, **kwargs)

    def _check_editable(self) -> None:
        stored = Ballot.objects.filter(pk=self.ballot_id).values_list("status", "kind").first()
        status, kind = stored or (None, None)
        if status is not None and status not in EDITABLE and kind == Kind.BALLOT:
            raise FrozenBallot(f"Options cannot change: the ballot is {status}.")


class Elector(models.Model):
    """One member of the electorate, frozen (with its weight) when the ballot opened."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="electors")
    practice = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    pcn = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    label = models.CharField(max_length=250)
    weight = models.PositiveIntegerField(help_text="Registered patients for a practice; 1 for a member.")

    class Meta:
        ordering = ["label"]
        constraints = [
            models.UniqueConstraint(fields=["ballot", "practice"], name="elector_practice_once"),
            models.UniqueConstraint(fields=["ballot", "person"], name="elector_person_once"),
            models.CheckConstraint(
                condition=Q(practice__isnull=True) ^ Q(person__isnull=True), name="elector_is_one_thing"
            ),
        ]
        # A page of a ballot's electors, or of its votes, by name reads 50 rows from here instead
        # of sorting the whole electorate (every practice in England for a national ballot).
        indexes = [models.Index(fields=["ballot", "label", "id"], name="elector_by_label")]

    def __str__(self) -> str:
        return self.label


class Vote(models.Model):
    """A cast in an open (non-secret) ballot. A later cast replaces the current one; both stay."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="votes")
    elector = models.ForeignKey(Elector, on_delete=models.CASCADE, related_name="votes")
    content = models.JSONField()
    is_current = models.BooleanField(default=True)
    cast_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    cast_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["cast_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["elector"], condition=Q(is_current=True), name="vote_one_current_per_elector"
            )
        ]

    def __str__(self) -> str:
        return f"Vote {self.pk} in ballot {self.ballot_id}"


class Participation(models.Model):
    """Secret ballots: that an elector has voted, and who cast it, never what they chose."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="participations")
    elector = models.OneToOneField(Elector, on_delete=models.CASCADE, related_name="participation")
    cast_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    casts = models.PositiveSmallIntegerField(default=1)

    def __str__(self) -> str:
        return f"{self.elector} voted"


class SealedChoice(models.Model):
    """Secret ballots: one counted choice, with nothing that says whose it is.

    ``seal`` (a keyed hash of ballot and elector) lets a later cast replace this one while the
    ballot is open; it is erased at close. ``sealed_weight`` is the elector's weight encrypted
    with a random nonce, so equal weights do not even look equal.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="sealed_choices")
    seal = models.CharField(max_length=64, null=True, blank=True)
    receipt_digest = models.CharField(max_length=64, unique=True)
    content = models.JSONField()
    sealed_weight = models.TextField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ballot", "seal"], name="sealed_choice_one_per_seal")]

    def __str__(self) -> str:
        return "A sealed choice"


class Reminder(models.Model):
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="reminders")
    send_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["send_at"]
        constraints = [models.UniqueConstraint(fields=["ballot", "send_at"], name="reminder_once_per_time")]

    def __str__(self) -> str:
        return f"Reminder at {self.send_at:%Y-%m-%d %H:%M}"
