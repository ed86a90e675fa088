from django.contrib import admin
from django.http import HttpRequest

from .models import Action, AgendaItem, Invitation, ItemInterest, Meeting, MeetingDecision


class ReadOnly(admin.ModelAdmin):
    """Meetings and their records are written by the services only: the back office reads them."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Meeting)
class MeetingAdmin(ReadOnly):
    list_display = ["title", "group", "body", "starts_at", "status"]
    list_filter = ["group", "status", "body"]


@admin.register(Invitation)
class InvitationAdmin(ReadOnly):
    list_display = ["meeting", "person", "status", "apologies_at", "attended"]


@admin.register(AgendaItem)
class AgendaItemAdmin(ReadOnly):
    list_display = ["meeting", "position", "title", "source", "noted_at"]


@admin.register(MeetingDecision)
class MeetingDecisionAdmin(ReadOnly):
    list_display = ["item", "quorate", "created_at"]


@admin.register(Action)
class ActionAdmin(ReadOnly):
    list_display = ["description", "owner", "due_on", "status"]
    list_filter = ["group", "status"]


@admin.register(ItemInterest)
class ItemInterestAdmin(ReadOnly):
    list_display = ["item", "person", "withdrew", "created_at"]
