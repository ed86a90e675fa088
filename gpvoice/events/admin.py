from django.contrib import admin
from django.http import HttpRequest

from .models import Booking, Session


class ReadOnly(admin.ModelAdmin):
    """Sessions and bookings are written by the services only (places are counted under a lock)."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Session)
class SessionAdmin(ReadOnly):
    list_display = ["title", "group", "kind", "starts_at", "capacity", "booked", "status"]
    list_filter = ["group", "kind", "status"]


@admin.register(Booking)
class BookingAdmin(ReadOnly):
    list_display = ["session", "user", "status", "position", "attended"]
    list_filter = ["status"]
