"""Per-group API tokens for partner systems: shown once, stored hashed, scoped, revocable, expiring."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from gpvoice.core.models import LeadershipGroup


class Scope(models.TextChoices):
    READ = "read", "Read"
    WRITE = "write", "Read and write"


class ApiToken(models.Model):
    group = models.ForeignKey(LeadershipGroup, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    # The token is "gpv_<prefix>_<secret>"; the prefix finds the row, the hash proves the secret.
    prefix = models.CharField(max_length=16, unique=True)
    token_hash = models.CharField(max_length=64)
    scope = models.CharField(max_length=5, choices=Scope.choices, default=Scope.READ)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "API token"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    def is_usable(self, *, at: object = None) -> bool:
        now = at or timezone.now()
        return self.revoked_at is None and self.expires_at > now  # type: ignore[operator]

    @property
    def allows_write(self) -> bool:
        return self.scope == Scope.WRITE
