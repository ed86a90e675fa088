"""The back office sees ballots but cannot rewrite them: once a ballot leaves draft its rules,
options and casts are read-only here (and Ballot.save refuses the change anyway)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import EDITABLE, FROZEN_FIELDS, Ballot, Option, Reminder


class OptionInline(admin.TabularInline):
    model = Option
    extra = 0
    fields = ["position", "label", "description", "hands"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None or obj.status in EDITABLE

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None or obj.status in EDITABLE

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None or obj.status in EDITABLE


class ReminderInline(admin.TabularInline):
    model = Reminder
    extra = 0
    readonly_fields = ["sent_at", "recipients"]


@admin.register(Ballot)
class BallotAdmin(admin.ModelAdmin):
    list_display = ["title", "group", "kind", "method", "status", "opens_at", "closes_at"]
    list_filter = ["group", "kind", "status", "method", "is_secret"]
    search_fields = ["title"]
    inlines = [OptionInline, ReminderInline]
    exclude = ["present"]

    def get_readonly_fields(self, request: HttpRequest, obj: Ballot | None = None) -> list[str]:
        always = [
            "status",
            "owner",
            "opened_at",
            "closed_at",
            "published_at",
            "result",
            "created_by",
            "created_at",
        ]
        if obj is not None and obj.status not in EDITABLE:
            frozen = ["group", "kind", "title", *FROZEN_FIELDS, "publish_on_close", "held_on", "meeting"]
            return [*always, *frozen]
        return always

    def has_delete_permission(self, request: HttpRequest, obj: Ballot | None = None) -> bool:
        return obj is None or obj.status in EDITABLE
