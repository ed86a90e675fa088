"""The three things that make a group legitimate: an eligible roll, a ratified mandate, and an
executive that acts within delegated powers. History is kept as append-only rows."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from gpvoice.core.models import LeadershipGroup
from gpvoice.directory.models import Organisation, Person

from .coverage import Tally


class GovernanceSettings(models.Model):
    """Per-group rules: the mandate threshold and the extra roles the group counts as acting for practices."""

    group = models.OneToOneField(LeadershipGroup, on_delete=models.CASCADE, related_name="governance")
    # "More than" these shares of practices and of registered patients must have agreed.
    practices_share_num = models.PositiveSmallIntegerField(default=1)
    practices_share_den = models.PositiveSmallIntegerField(default=2)
    patients_share_num = models.PositiveSmallIntegerField(default=1)
    patients_share_den = models.PositiveSmallIntegerField(default=2)
    extra_eligible_roles = models.JSONField(default=list, blank=True)
    delegation_grace_days = models.PositiveSmallIntegerField(default=30)

    class Meta:
        verbose_name_plural = "governance settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(practices_share_den__gt=0) & Q(patients_share_den__gt=0),
                name="shares_have_denominators",
            )
        ]

    def __str__(self) -> str:
        return f"Governance settings for {self.group}"

    @property
    def practices_threshold(self) -> Fraction:
        return Fraction(self.practices_share_num, self.practices_share_den)

    @property
    def patients_threshold(self) -> Fraction:
        return Fraction(self.patients_share_num, self.patients_share_den)


class RollStatus(models.TextChoices):
    CORE = "core", "Core member"
    ATTENDEE = "attendee", "Attendee"
    OBSERVER = "observer", "Observer"


class RollEntry(models.Model):
    """A person on a group's roll, with a status and dates. Ending an entry keeps it in history."""

    group = models.ForeignKey(LeadershipGroup, on_delete=models.CASCADE, related_name="roll")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="roll_entries")
    status = models.CharField(max_length=10, choices=RollStatus.choices)
    start = models.DateField(default=date.today)
    end = models.DateField(null=True, blank=True)
    basis = models.CharField(
        max_length=300, blank=True, help_text="Why this status: the deciding appointment."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name_plural = "roll entries"
        ordering = ["status", "person__full_name"]
        constraints = [
            # One open entry per person per group; ended entries are history.
            models.UniqueConstraint(
                fields=["group", "person"], condition=Q(end__isnull=True), name="roll_one_open_entry"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_status_display()} of {self.group}"


class TermsOfReference(models.Model):
    """One version of the group's terms of reference; immutable once issued."""

    group = models.ForeignKey(LeadershipGroup, on_delete=models.CASCADE, related_name="terms")
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField(help_text="Markdown-style headings (#, ##) and paragraphs.")
    issued_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "terms of reference"
        verbose_name_plural = "terms of reference"
        ordering = ["-version"]
        constraints = [models.UniqueConstraint(fields=["group", "version"], name="terms_version_once")]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"

    @property
    def is_issued(self) -> bool:
        return self.issued_at is not None


class MandateRound(models.Model):
    """Terms put to the footprint's practices for ratification, with a closing date and an expiry."""

    group = models.ForeignKey(LeadershipGroup, on_delete=models.CASCADE, related_name="mandate_rounds")
    terms = models.ForeignKey(TermsOfReference, on_delete=models.PROTECT, related_name="rounds")
    number = models.PositiveIntegerField(help_text="1 for the group's first round, then 2, 3 …")
    opened_at = models.DateTimeField(default=timezone.now)
    closes_at = models.DateTimeField()
    expires_on = models.DateField(help_text="The mandate lapses after this date unless renewed.")

    class Meta:
        ordering = ["-number"]
        constraints = [
            # Rounds are numbered under the group's lock; two openings at once cannot both be
            # "the next round" (governance.services.mandate_open refuses a second open round).
            models.UniqueConstraint(fields=["group", "number"], name="mandate_round_number_once")
        ]

    def __str__(self) -> str:
        return f"Ratification of {self.terms}"

    def is_open(self, at: object = None) -> bool:
        return (at or timezone.now()) < self.closes_at  # type: ignore[operator]

    def has_expired(self, on: date | None = None) -> bool:
        return (on or timezone.localdate()) > self.expires_on


class Answer(models.TextChoices):
    AGREE = "agree", "Agree"
    DECLINE = "decline", "Decline"
    ABSTAIN = "abstain", "Abstain"
    WITHDRAWN = "withdrawn", "Agreement withdrawn"


class MandateAnswer(models.Model):
    """A practice's answer. Append-only: a new answer marks the previous one not current."""

    round = models.ForeignKey(MandateRound, on_delete=models.CASCADE, related_name="answers")
    practice = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="mandate_answers")
    answer = models.CharField(max_length=10, choices=Answer.choices)
    answered_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    is_current = models.BooleanField(default=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # Exactly one current answer per practice per round, whatever the concurrency.
            models.UniqueConstraint(
                fields=["round", "practice"], condition=Q(is_current=True), name="mandate_one_current_answer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.practice_id}: {self.answer}"


COVERAGE_STATES = ("agree", "decline", "abstain", "withdrawn", "none")  # coverage.ANSWERS


class CoverageCounts(models.Model):
    """Practices and their registered patients in each answer state ("none": not answered yet).

    Kept, not recomputed (ADR 0008): ``governance.aggregates`` moves one practice between two
    states in the transaction of each answer, and recounts a round in the transaction of each
    footprint or list-size change. ``gpvoice recount --check`` compares them with a full recount.
    """

    agree_practices = models.PositiveIntegerField(default=0)
    agree_patients = models.PositiveBigIntegerField(default=0)
    decline_practices = models.PositiveIntegerField(default=0)
    decline_patients = models.PositiveBigIntegerField(default=0)
    abstain_practices = models.PositiveIntegerField(default=0)
    abstain_patients = models.PositiveBigIntegerField(default=0)
    withdrawn_practices = models.PositiveIntegerField(default=0)
    withdrawn_patients = models.PositiveBigIntegerField(default=0)
    none_practices = models.PositiveIntegerField(default=0)
    none_patients = models.PositiveBigIntegerField(default=0)

    class Meta:
        abstract = True

    def counts(self) -> tuple[dict[str, int], dict[str, int]]:
        """(practices, patients) per state, as ``coverage.Tally`` holds them."""
        return (
            {a: getattr(self, f"{a}_practices") for a in COVERAGE_STATES},
            {a: getattr(self, f"{a}_patients") for a in COVERAGE_STATES},
        )

    def tally(self) -> Tally:
        practices, patients = self.counts()
        return Tally(practices, patients)


class RoundCoverage(CoverageCounts):
    """A mandate round's coverage over the whole footprint."""

    round = models.OneToOneField(MandateRound, on_delete=models.CASCADE, related_name="coverage")

    class Meta:
        verbose_name = "round coverage"
        verbose_name_plural = "round coverage"

    def __str__(self) -> str:
        return f"Coverage of round {self.round_id}"


class RoundPcnCoverage(CoverageCounts):
    """A mandate round's coverage among the footprint's practices of one PCN (or of none)."""

    round = models.ForeignKey(MandateRound, on_delete=models.CASCADE, related_name="pcn_coverage")
    pcn = models.ForeignKey(Organisation, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "round coverage in a PCN"
        verbose_name_plural = "round coverage by PCN"
        constraints = [
            models.UniqueConstraint(fields=["round", "pcn"], name="round_pcn_coverage_once"),
            # NULLs are distinct in a unique constraint: the practices with no PCN get their own.
            models.UniqueConstraint(
                fields=["round"], condition=Q(pcn__isnull=True), name="round_no_pcn_coverage_once"
            ),
        ]

    def __str__(self) -> str:
        return f"Coverage of round {self.round_id} in PCN {self.pcn_id}"


class Authority(models.TextChoices):
    EXECUTIVE = "executive", "The executive"
    GROUP = "group", "The group"
    BALLOT = "ballot", "Practices, by ballot"


class DecisionCategory(models.Model):
    """One line of the scheme of delegation."""

    group = models.ForeignKey(LeadershipGroup, on_delete=models.CASCADE, related_name="decision_categories")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    authority = models.CharField(max_length=10, choices=Authority.choices)
    spend_limit = models.DecimalField(
        max_digits=12, decimal_places=2, null=True, blank=True, help_text="Ceiling in pounds, if any."
    )
    review_date = models.DateField()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "decision categories"
        constraints = [models.UniqueConstraint(fields=["group", "name"], name="category_name_once")]

    def __str__(self) -> str:
        return self.name

    def review_overdue(self, on: date | None = None) -> bool:
        return (on or timezone.localdate()) > self.review_date

    def beyond_grace(self, grace_days: int, on: date | None = None) -> bool:
        return (on or timezone.localdate()) > self.review_date + timedelta(days=grace_days)


class CategoryChange(models.Model):
    """The history of one line of the scheme of delegation: append-only, one row per change.

    Each row holds the line as it stood after the change, so the history reads without replaying
    anything; ``kind`` says whether the line was set up, changed, or reviewed (a review records
    the date it was done and the next review date, even when nothing else changed)."""

    class Kind(models.TextChoices):
        CREATED = "created", "Set up"
        CHANGED = "changed", "Changed"
        REVIEWED = "reviewed", "Reviewed"

    category = models.ForeignKey(DecisionCategory, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    authority = models.CharField(max_length=10, choices=Authority.choices)
    spend_limit = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    review_date = models.DateField()
    note = models.TextField(blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.category}: {self.get_kind_display()} {self.changed_at:%Y-%m-%d}"


class DecisionStatus(models.TextChoices):
    TAKEN = "taken", "Taken by the executive"
    REFERRED = "referred", "Referred to the group"


class ExecutiveDecision(models.Model):
    group = models.ForeignKey(LeadershipGroup, on_delete=models.CASCADE, related_name="executive_decisions")
    category = models.ForeignKey(DecisionCategory, on_delete=models.PROTECT, related_name="decisions")
    title = models.CharField(max_length=200)
    rationale = models.TextField()
    amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    status = models.CharField(max_length=10, choices=DecisionStatus.choices)
    refusal_reason = models.CharField(max_length=300, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)
    noted_at = models.DateTimeField(null=True, blank=True, help_text="When the group noted it.")

    class Meta:
        ordering = ["-decided_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def for_noting(self) -> bool:
        """Taken by the executive and waiting for the group to note it."""
        return self.status == DecisionStatus.TAKEN and self.noted_at is None

    @property
    def amount_text(self) -> str:
        return f"£{self.amount:,.2f}" if self.amount is not None else ""


ZERO = Decimal("0")
