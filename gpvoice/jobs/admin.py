"""Background work in the back office: read-only, so operators see failures without changing them."""

from django.contrib import admin
from django.http import HttpRequest

from .models import OutgoingEmail, ScheduledJob


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(ScheduledJob)
class ScheduledJobAdmin(ReadOnly):
    list_display = ["name", "next_run_at", "last_succeeded_at", "last_failed_at", "consecutive_failures"]


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(ReadOnly):
    list_display = ["created_at", "subject", "state", "attempts", "next_attempt_at", "last_error"]
    list_filter = ["state"]
    search_fields = ["key", "subject"]
