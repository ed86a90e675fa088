from django.contrib import admin
from django.http import HttpRequest

from .models import AccessRequest, Attachment, Category, Message, MonthlyServiceLevel, StatusChange


class ReadOnly(admin.ModelAdmin):
    """Requests and their history are written by the services only: the back office reads them."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(AccessRequest)
class AccessRequestAdmin(ReadOnly):
    list_display = ["reference", "group", "status", "organisation_name", "subject", "due_on", "received_at"]
    list_filter = ["group", "status"]
    search_fields = ["reference", "subject", "organisation_name"]
    exclude = ["verify_hash", "tracking_hash"]


@admin.register(Category)
class CategoryAdmin(ReadOnly):
    list_display = ["name", "group", "service_days"]


@admin.register(StatusChange)
class StatusChangeAdmin(ReadOnly):
    list_display = ["request", "status", "created_by", "created_at"]


@admin.register(Message)
class MessageAdmin(ReadOnly):
    list_display = ["request", "author", "is_answer", "created_at"]


@admin.register(Attachment)
class AttachmentAdmin(ReadOnly):
    list_display = ["request", "name", "content_type", "size", "uploaded_at"]


@admin.register(MonthlyServiceLevel)
class MonthlyServiceLevelAdmin(ReadOnly):
    list_display = ["group", "month", "received", "answered", "answered_in_time"]
