"""Priority setting: a round moves through five phases, from nominations to delivery.

Who proposed what is never lost: a nomination keeps its proposer (and the practice or PCN it
was made for) after the executive merges it into a candidate, and the scoring ballot's options
are the candidates. Phase changes and delivery updates are append-only rows.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from gpvoice.ballots.models import Ballot
from gpvoice.core.models import LeadershipGroup
from gpvoice.directory.models import Organisation, Person

TITLE_MAX = 150  # leaves room for "Scoring: " in the ballot's 200-character title
TEXT_MAX = 5_000
MAX_ADOPT = 20
MAX_CANDIDATES = 100  # the ballot engine's limit on options


class Phase(models.TextChoices):
    NOMINATIONS = "nominations", "Nominations"
    CONSOLIDATION = "consolidation", "Consolidation"
    SCORING = "scoring", "Scoring"
    ADOPTION = "adoption", "Adoption"
    DELIVERY = "delivery", "Delivery"


PHASES: tuple[Phase, ...] = tuple(Phase)


def next_phase(phase: str) -> Phase | None:
    index = PHASES.index(Phase(phase))
    return PHASES[index + 1] if index + 1 < len(PHASES) else None


class ScoringMethod(models.TextChoices):
    POINTS = "points", "Points: each practice shares out a number of points"
    SCHULZE = "schulze", "Ranking: each practice ranks the options (counted by the Schulze method)"


class PriorityRound(models.Model):
    group = models.ForeignKey(LeadershipGroup, on_delete=models.CASCADE, related_name="priority_rounds")
    title = models.CharField(max_length=TITLE_MAX)
    description = models.TextField(blank=True)
    phase = models.CharField(max_length=15, choices=Phase.choices, default=Phase.NOMINATIONS)
    method = models.CharField(max_length=10, choices=ScoringMethod.choices, default=ScoringMethod.POINTS)
    points_allowance = models.PositiveSmallIntegerField(default=100)
    adopt_up_to = models.PositiveSmallIntegerField(default=3)
    scoring_ballot = models.OneToOneField(
        Ballot, null=True, blank=True, on_delete=models.PROTECT, related_name="priority_round"
    )
    # Kept, not recomputed: how many practices and PCNs supported each option, counted from the
    # scoring ballot's votes once, when the published result moves the round to adoption (the
    # ballot is frozen by then). {option id: [practices, PCNs]}; None before that.
    support = models.JSONField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(Lower("title"), "group", name="priority_round_title_once"),
            models.CheckConstraint(condition=Q(phase__in=Phase.values), name="priority_round_phase_known"),
            models.CheckConstraint(
                condition=Q(method__in=ScoringMethod.values), name="priority_round_method_known"
            ),
            models.CheckConstraint(
                condition=Q(points_allowance__gte=1, points_allowance__lte=10_000),
                name="priority_round_points_allowance",
            ),
            models.CheckConstraint(
                condition=Q(adopt_up_to__gte=1, adopt_up_to__lte=MAX_ADOPT), name="priority_round_adopt_up_to"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class PhaseChange(models.Model):
    """When a round entered a phase, and who moved it. Append-only: the round's history."""

    round = models.ForeignKey(PriorityRound, on_delete=models.CASCADE, related_name="phase_changes")
    phase = models.CharField(max_length=15, choices=Phase.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            # Phases move forward only, so each is entered at most once.
            models.UniqueConstraint(fields=["round", "phase"], name="phase_change_once")
        ]

    def __str__(self) -> str:
        return f"{self.round_id} → {self.phase}"


class Candidate(models.Model):
    """One option for scoring: one or more nominations, merged by the executive."""

    round = models.ForeignKey(PriorityRound, on_delete=models.CASCADE, related_name="candidates")
    title = models.CharField(max_length=TITLE_MAX)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position"]
        constraints = [
            # Ballot options need distinct labels; differing only in case would confuse voters too.
            models.UniqueConstraint(Lower("title"), "round", name="candidate_title_once_per_round"),
            models.UniqueConstraint(fields=["round", "position"], name="candidate_position_once"),
        ]

    def __str__(self) -> str:
        return self.title


class Nomination(models.Model):
    round = models.ForeignKey(PriorityRound, on_delete=models.CASCADE, related_name="nominations")
    title = models.CharField(max_length=TITLE_MAX)
    rationale = models.TextField()
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposer_name = models.CharField(max_length=200, help_text="As it was when the nomination was made.")
    on_behalf_of = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The practice or PCN it was proposed for; empty when proposed as a member.",
    )
    candidate = models.ForeignKey(
        Candidate, null=True, blank=True, on_delete=models.PROTECT, related_name="nominations"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def proposed_for(self) -> str:
        return f"for {self.on_behalf_of.name}" if self.on_behalf_of else "as a member of the group"


class DeliveryStatus(models.TextChoices):
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    DELIVERED = "delivered", "Delivered"
    PAUSED = "paused", "Paused"


class AdoptedPriority(models.Model):
    round = models.ForeignKey(PriorityRound, on_delete=models.CASCADE, related_name="adopted")
    candidate = models.OneToOneField(Candidate, on_delete=models.PROTECT, related_name="adoption")
    title = models.CharField(max_length=TITLE_MAX)
    rank = models.PositiveSmallIntegerField(help_text="Its place in the scoring result when adopted.")
    lead = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="priorities_led")
    review_date = models.DateField()
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.ON_TRACK)
    adopted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    adopted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["rank", "id"]
        verbose_name_plural = "adopted priorities"
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=DeliveryStatus.values), name="adopted_priority_status_known"
            )
        ]

    def __str__(self) -> str:
        return self.title


class DeliveryUpdate(models.Model):
    """A status update on an adopted priority, visible to every member. Append-only."""

    priority = models.ForeignKey(AdoptedPriority, on_delete=models.CASCADE, related_name="updates")
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices)
    text = models.TextField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=DeliveryStatus.values), name="delivery_update_status_known"
            )
        ]

    def __str__(self) -> str:
        return f"{self.priority_id}: {self.status}"
