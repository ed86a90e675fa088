"""Back office: governed records are read-only here. Every change goes through an audited
service with its permission check, on the product pages (roll, terms, mandate, delegation,
decisions, governance settings), so the back office cannot go round the rules."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import (
    DecisionCategory,
    ExecutiveDecision,
    GovernanceSettings,
    MandateAnswer,
    MandateRound,
    RollEntry,
    TermsOfReference,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """View only: no add, change or delete, whatever the staff user's Django permissions."""

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(GovernanceSettings)
class GovernanceSettingsAdmin(ReadOnlyAdmin):
    list_display = [
        "group",
        "practices_share_num",
        "practices_share_den",
        "patients_share_num",
        "patients_share_den",
        "delegation_grace_days",
    ]


@admin.register(RollEntry)
class RollEntryAdmin(ReadOnlyAdmin):
    list_display = ["person", "group", "status", "start", "end"]
    list_filter = ["group", "status"]


@admin.register(TermsOfReference)
class TermsAdmin(ReadOnlyAdmin):
    list_display = ["title", "group", "version", "issued_at"]


@admin.register(MandateRound)
class MandateRoundAdmin(ReadOnlyAdmin):
    list_display = ["terms", "group", "number", "opened_at", "closes_at", "expires_on"]


@admin.register(MandateAnswer)
class MandateAnswerAdmin(ReadOnlyAdmin):
    list_display = ["practice", "round", "answer", "answered_by", "created_at", "is_current"]
    list_filter = ["answer", "is_current"]


@admin.register(DecisionCategory)
class DecisionCategoryAdmin(ReadOnlyAdmin):
    list_display = ["name", "group", "authority", "spend_limit", "review_date"]


@admin.register(ExecutiveDecision)
class ExecutiveDecisionAdmin(ReadOnlyAdmin):
    list_display = ["title", "group", "category", "status", "decided_at", "noted_at"]
