"""Engagement: consultations (questionnaires to practices), bulletins (news by email and on the web),
and the kept figures of the engagement view (who took part, per practice and PCN)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from gpvoice.core.models import LeadershipGroup
from gpvoice.directory.models import Organisation, Person

TITLE_MAX = 200
TEXT_MAX = 20_000
ANSWER_MAX = 5_000


class Template(models.TextChoices):
    CUSTOM = "custom", "Questions of our own"
    RELATIONSHIP = "relationship", "PCN relationship check"
    SUSTAINABILITY = "sustainability", "Practice sustainability outlook"


class ConsultationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Consultation(models.Model):
    """A questionnaire put to the footprint's practices (or to their people) with a deadline."""

    group = models.ForeignKey(LeadershipGroup, on_delete=models.CASCADE, related_name="consultations")
    title = models.CharField(max_length=TITLE_MAX)
    introduction = models.TextField(blank=True, help_text="Markdown.")
    template = models.CharField(max_length=20, choices=Template.choices, default=Template.CUSTOM)
    per_person = models.BooleanField(
        default=False, help_text="Each person answers for themselves, not one answer per practice."
    )
    confidential = models.BooleanField(
        default=False, help_text="Answers seen only by officers; members see the totals."
    )
    status = models.CharField(
        max_length=10, choices=ConsultationStatus.choices, default=ConsultationStatus.DRAFT
    )
    opened_at = models.DateTimeField(null=True, blank=True)
    closes_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    responses_count = models.PositiveIntegerField(default=0)  # kept with each first answer
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-closes_at", "-pk"]
        indexes = [models.Index(fields=["group", "status", "closes_at"])]

    def __str__(self) -> str:
        return self.title

    def accepts_answers(self, at: object = None) -> bool:
        return self.status == ConsultationStatus.OPEN and (at or timezone.now()) < self.closes_at  # type: ignore[operator]


class QuestionKind(models.TextChoices):
    SHORT = "short", "Short text"
    LONG = "long", "Long text"
    SINGLE = "single", "One choice"
    MULTIPLE = "multiple", "Several choices"
    SCALE = "scale", "A scale"


CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE)


class Question(models.Model):
    """One typed question. ``shown_if`` makes it conditional: asked only when the answer to that
    earlier question is one of ``shown_values``."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField(default=0)
    key = models.CharField(max_length=40, blank=True, help_text="A built-in template's name for it.")
    kind = models.CharField(max_length=10, choices=QuestionKind.choices)
    text = models.CharField(max_length=500)
    hint = models.CharField(max_length=500, blank=True)
    choices = models.JSONField(default=list, blank=True)  # [[value, label], ...] for choice kinds
    scale_min = models.SmallIntegerField(default=1)
    scale_max = models.SmallIntegerField(default=5)
    required = models.BooleanField(default=True)
    shown_if = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    shown_values = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scale_max__gt=models.F("scale_min")), name="question_scale_rises"
            )
        ]

    def __str__(self) -> str:
        return self.text


class Response(models.Model):
    """One practice's (or person's) answers. Append-only: a new answer marks the previous one not current."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="responses")
    practice = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    pcn = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="consultation_responses")
    answers = models.JSONField(default=dict)  # question pk (str) -> str | list[str]
    # True: the practice's answer, given by a signatory. False: the person's own (``per_person``).
    for_practice = models.BooleanField(default=True)
    is_current = models.BooleanField(default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One current answer per practice (or per person, when each person answers), whatever
            # the concurrency: the last line behind the consultation lock in responses.response_submit.
            models.UniqueConstraint(
                fields=["consultation", "practice"],
                condition=Q(is_current=True, for_practice=True),
                name="consultation_one_current_per_practice",
            ),
            models.UniqueConstraint(
                fields=["consultation", "person"],
                condition=Q(is_current=True, for_practice=False),
                name="consultation_one_current_per_person",
            ),
        ]
        indexes = [models.Index(fields=["consultation", "is_current", "pcn"])]

    def __str__(self) -> str:
        return f"Response {self.pk} to {self.consultation_id}"


class AnswerCount(models.Model):
    """Kept tally: how many current responses gave ``value`` to ``question``, per PCN (null: no PCN).
    Updated in the same transaction as each response, so results pages never read every answer.
    Text questions count under value ``""`` (answered)."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="counts")
    pcn = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    value = models.CharField(max_length=100)
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["question", "pcn", "value"], name="answer_count_once"),
            models.UniqueConstraint(
                fields=["question", "value"], condition=Q(pcn__isnull=True), name="answer_count_once_no_pcn"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question_id}/{self.pcn_id}/{self.value}: {self.count}"


class ConsultationReminder(models.Model):
    """A reminder sent to one practice (or person): the row is the claim, so each goes once."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="reminders")
    practice = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "practice"], name="consultation_reminded_practice_once"
            ),
            models.UniqueConstraint(
                fields=["consultation", "person"], name="consultation_reminded_person_once"
            ),
        ]

    def __str__(self) -> str:
        return f"Reminder for {self.consultation_id}"


# Bulletins ------------------------------------------------------------------------------------


class Category(models.TextChoices):
    NEWS = "news", "News from the group"
    OPPORTUNITIES = "opportunities", "Opportunities and funding"
    EVENTS = "events", "Events and sessions"
    POLICY = "policy", "Policy and contract changes"


class Audience(models.TextChoices):
    ALL_STAFF = "all_staff", "Everyone at the footprint's practices"
    SIGNATORIES = "signatories", "Practice signatories"
    PARTNERS = "partners", "Partners"
    MANAGERS = "managers", "Practice managers"
    ROLL = "roll", "The group's roll (core members, attendees and observers)"


class BulletinStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"


class Bulletin(models.Model):
    group = models.ForeignKey(LeadershipGroup, on_delete=models.CASCADE, related_name="bulletins")
    title = models.CharField(max_length=TITLE_MAX)
    body = models.TextField(help_text="Markdown.")
    category = models.CharField(max_length=20, choices=Category.choices, default=Category.NEWS)
    essential = models.BooleanField(
        default=False, help_text="Goes to everyone in the audience at once, whatever their choices."
    )
    audience = models.CharField(max_length=20, choices=Audience.choices, default=Audience.ALL_STAFF)
    status = models.CharField(max_length=10, choices=BulletinStatus.choices, default=BulletinStatus.DRAFT)
    recipients = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        indexes = [models.Index(fields=["group", "status", "sent_at"])]

    def __str__(self) -> str:
        return self.title


class Frequency(models.TextChoices):
    EACH = "each", "Each bulletin as it is sent"
    DAILY = "daily", "A daily digest"
    WEEKLY = "weekly", "A weekly digest"
    NONE = "none", "None (essential bulletins only)"


class BulletinPreference(models.Model):
    """One person's choice for one category; no row means each bulletin as it is sent."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="bulletin_preferences")
    category = models.CharField(max_length=20, choices=Category.choices)
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.EACH)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "category"], name="bulletin_preference_once")
        ]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.category} {self.frequency}"


class DeliveryState(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"  # claimed by a worker; back to queued if never attempted
    SENT = "sent", "Sent"
    DIGEST = "digest", "Held for a digest"
    SKIPPED = "skipped", "Not sent (the person chose none)"
    FAILED = "failed", "Failed"
    BOUNCED = "bounced", "Bounced"
    # Attempted by a worker that died before recording the outcome: perhaps sent, never resent.
    UNCERTAIN = "uncertain", "Uncertain (the sender stopped mid-send; not sent again)"


class BulletinDelivery(models.Model):
    """One bulletin to one person. Created once per recipient (unique), claimed queued → sending in
    a batch, then ``attempted_at`` is set (compare-and-swap, committed) just before its own send
    and the outcome recorded just after. A worker killed mid-batch leaves at most one row attempted
    but not recorded: the clock marks it uncertain (never resent) and requeues the rest."""

    bulletin = models.ForeignKey(Bulletin, on_delete=models.CASCADE, related_name="deliveries")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="bulletin_deliveries")
    practice = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    address = models.EmailField(max_length=254)
    state = models.CharField(max_length=10, choices=DeliveryState.choices, default=DeliveryState.QUEUED)
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.EACH)
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempted_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    bounced_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name_plural = "bulletin deliveries"
        constraints = [models.UniqueConstraint(fields=["bulletin", "person"], name="bulletin_delivery_once")]
        indexes = [
            models.Index(fields=["bulletin", "state"]),
            models.Index(fields=["state", "frequency"]),
            models.Index(fields=["practice", "bulletin"]),
        ]

    def __str__(self) -> str:
        return f"Bulletin {self.bulletin_id} to person {self.person_id}"


class Digest(models.Model):
    """One digest email to one person for one period: the row is the claim (sent once)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(LeadershipGroup, on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=40)  # "daily:2026-12-06:news" or "weekly:2026-W49:news"
    bulletins = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "group", "period"], name="digest_once")]

    def __str__(self) -> str:
        return f"Digest {self.period} for {self.person_id}"


# The engagement view's kept figures -------------------------------------------------------------


class PracticeEngagement(models.Model):
    """One practice's taking part in one period (a calendar year), per registered signal, computed
    by the refresh job from the signals (core.engagement) so that pages read a bounded page of rows."""

    group = models.ForeignKey(LeadershipGroup, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    practice = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    pcn = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    figures = models.JSONField(default=dict)  # signal key -> [took part, asked]
    took = models.PositiveIntegerField(default=0)
    asked = models.PositiveIntegerField(default=0)
    share = models.FloatField(null=True, blank=True)  # took / asked; None when never asked
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["share", "practice__name"]
        constraints = [
            models.UniqueConstraint(fields=["group", "year", "practice"], name="practice_engagement_once")
        ]
        indexes = [
            models.Index(fields=["group", "year", "share"]),
            models.Index(fields=["group", "year", "pcn"]),
        ]

    def __str__(self) -> str:
        return f"{self.practice_id} in {self.year}"


class PcnEngagement(models.Model):
    """The same per PCN (summed over its footprint practices)."""

    group = models.ForeignKey(LeadershipGroup, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    pcn = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    practices = models.PositiveIntegerField(default=0)
    figures = models.JSONField(default=dict)
    took = models.PositiveIntegerField(default=0)
    asked = models.PositiveIntegerField(default=0)
    share = models.FloatField(null=True, blank=True)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "PCN engagement"
        ordering = ["share", "pk"]
        constraints = [models.UniqueConstraint(fields=["group", "year", "pcn"], name="pcn_engagement_once")]

    def __str__(self) -> str:
        return f"PCN {self.pcn_id} in {self.year}"
