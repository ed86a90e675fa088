"""Groups (leadership groups / confederations), who belongs to them, and the audit log."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone


class LeadershipGroup(models.Model):
    """One workspace: the leadership group of a Place. Every group-owned record points here."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=60,
        unique=True,
        validators=[RegexValidator(r"^[a-z0-9][a-z0-9-]*$", "Use lower-case letters, digits and hyphens.")],
    )
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Opt-in: the group's public page (/p/<slug>/) exists only while an officer has switched it on;
    # until then it is a 404 that reveals nothing (issue 18).
    public_page = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    ADMIN = "admin", "Group admin"
    EXECUTIVE = "executive", "Executive member"
    CORE = "core", "Core member"
    ATTENDEE = "attendee", "Attendee"
    OBSERVER = "observer", "Observer"
    PRACTICE_STAFF = "practice_staff", "Practice staff"


# Roles whose pages need a password and a second factor (see accounts.officers).
OFFICER_ROLES = frozenset({Role.ADMIN, Role.EXECUTIVE})


class Membership(models.Model):
    """A user's place in one group. One role per user per group, enforced by the database."""

    group = models.ForeignKey(LeadershipGroup, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(default=timezone.now)
    # The person's own consent to be named (name and role, never contact details) on the group's
    # public page; None until they agree, cleared when they withdraw.
    named_publicly_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["group__name"]
        constraints = [models.UniqueConstraint(fields=["group", "user"], name="membership_one_per_group")]

    def __str__(self) -> str:
        return f"{self.user} in {self.group} as {self.get_role_display()}"

    @property
    def is_officer(self) -> bool:
        return self.role in OFFICER_ROLES


GENESIS_HASH = "0" * 64
PLATFORM_CHAIN = "platform"


class AuditChain(models.Model):
    """The tip of one hash chain: one per group, and one (``platform``) for events of no group.

    Appending locks only this row, so writers in different groups never wait for each other.
    """

    key = models.CharField(max_length=40, unique=True)  # "platform" or "group:<id>"; unique: one per group
    group = models.OneToOneField(
        LeadershipGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="audit_chain"
    )
    last_sequence = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.key

    @staticmethod
    def key_for(group_id: int | None) -> str:
        return PLATFORM_CHAIN if group_id is None else f"group:{group_id}"


class AuditEntry(models.Model):
    """Append-only, hash-chained record of the events that matter (see core.audit)."""

    chain = models.ForeignKey(AuditChain, on_delete=models.PROTECT, related_name="entries")
    sequence = models.PositiveBigIntegerField()  # 1, 2, 3 … within the chain, no gaps
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=254, blank=True)
    group = models.ForeignKey(
        LeadershipGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="audit_entries"
    )
    action = models.CharField(max_length=100)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    data = models.JSONField(default=dict, blank=True)
    previous_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "audit entries"
        constraints = [
            # Two appenders can never both take the same place in a chain, whatever the locks do.
            models.UniqueConstraint(fields=["chain", "sequence"], name="audit_entry_one_per_place"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AuditLogIsAppendOnly("Audit entries cannot be changed once written.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AuditLogIsAppendOnly("Audit entries cannot be deleted.")


class AuditLogIsAppendOnly(Exception):
    pass
