"""The back office sees ballots and cannot change them, even drafts.

Ballots and votes are governed records: every change goes through a service that checks the
actor, and records an audit entry (the ballot pages, for officers). Here they are read-only:
no adding, changing or deleting a ballot, its options or its reminders. Votes, electors and the
secret-ballot tables are not shown at all. ``Ballot.save`` refuses changes to frozen rules anyway.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Ballot, Option, Reminder


class ReadOnly:
    """No add, change or delete permission: the admin shows the record and nothing more."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class OptionInline(ReadOnly, admin.TabularInline):
    model = Option
    extra = 0
    fields = ["position", "label", "description", "hands"]


class ReminderInline(ReadOnly, admin.TabularInline):
    model = Reminder
    extra = 0
    fields = ["send_at", "sent_at", "recipients"]


@admin.register(Ballot)
class BallotAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["title", "group", "kind", "method", "status", "opens_at", "closes_at"]
    list_filter = ["group", "kind", "status", "method", "is_secret"]
    search_fields = ["title"]
    inlines = [OptionInline, ReminderInline]
    exclude = ["present"]
