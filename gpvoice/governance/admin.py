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


@admin.register(GovernanceSettings)
class GovernanceSettingsAdmin(admin.ModelAdmin):
    list_display = [
        "group",
        "practices_share_num",
        "practices_share_den",
        "patients_share_num",
        "patients_share_den",
    ]


@admin.register(RollEntry)
class RollEntryAdmin(admin.ModelAdmin):
    list_display = ["person", "group", "status", "start", "end"]
    list_filter = ["group", "status"]
    raw_id_fields = ["person"]


@admin.register(TermsOfReference)
class TermsAdmin(admin.ModelAdmin):
    list_display = ["title", "group", "version", "issued_at"]

    def get_readonly_fields(self, request: HttpRequest, obj: TermsOfReference | None = None) -> list[str]:
        # An issued version is immutable, in the back office too.
        return ["group", "version", "title", "body", "issued_at"] if obj and obj.is_issued else ["issued_at"]


@admin.register(MandateRound)
class MandateRoundAdmin(admin.ModelAdmin):
    list_display = ["terms", "group", "opened_at", "closes_at", "expires_on"]


@admin.register(MandateAnswer)
class MandateAnswerAdmin(admin.ModelAdmin):
    """History of answers: read-only, since answers are changed only by signatories."""

    list_display = ["practice", "round", "answer", "answered_by", "created_at", "is_current"]
    list_filter = ["answer", "is_current"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(DecisionCategory)
class DecisionCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "group", "authority", "spend_limit", "review_date"]


@admin.register(ExecutiveDecision)
class ExecutiveDecisionAdmin(admin.ModelAdmin):
    list_display = ["title", "group", "category", "status", "decided_at", "noted_at"]
    readonly_fields = ["status", "refusal_reason", "decided_by", "decided_at"]
