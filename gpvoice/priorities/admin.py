from django.contrib import admin
from django.http import HttpRequest

from .models import AdoptedPriority, Candidate, DeliveryUpdate, Nomination, PhaseChange, PriorityRound


class ReadOnly(admin.ModelAdmin):
    """History is written by the services only: the back office reads it."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(PriorityRound)
class PriorityRoundAdmin(ReadOnly):
    list_display = ["title", "group", "phase", "method", "adopt_up_to", "created_at"]
    list_filter = ["group", "phase"]


@admin.register(PhaseChange)
class PhaseChangeAdmin(ReadOnly):
    list_display = ["round", "phase", "created_by", "created_at"]


@admin.register(Candidate)
class CandidateAdmin(ReadOnly):
    list_display = ["title", "round", "position"]


@admin.register(Nomination)
class NominationAdmin(ReadOnly):
    list_display = ["title", "round", "proposer_name", "on_behalf_of", "candidate", "created_at"]
    list_filter = ["round"]


@admin.register(AdoptedPriority)
class AdoptedPriorityAdmin(ReadOnly):
    list_display = ["title", "round", "rank", "lead", "review_date", "status"]


@admin.register(DeliveryUpdate)
class DeliveryUpdateAdmin(ReadOnly):
    list_display = ["priority", "status", "created_by", "created_at"]
