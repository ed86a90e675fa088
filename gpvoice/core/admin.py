from django.contrib import admin
from django.http import HttpRequest

from gpvoice.accounts.officers import has_strong_sign_in

from .models import AuditEntry, LeadershipGroup, Membership


def _admin_has_permission(request: HttpRequest) -> bool:
    """The back office is an officer page: staff status *and* a password + second-factor sign-in."""
    user = request.user
    return bool(user.is_active and user.is_staff and has_strong_sign_in(request))


admin.site.has_permission = _admin_has_permission  # type: ignore[method-assign]
admin.site.site_header = "GP Voice back office"


class MembershipInline(admin.TabularInline):
    """Read-only: roles change on the group's People page, through the audited service that keeps
    the "last admin" rule (core.services.membership_set)."""

    model = Membership
    extra = 0
    fields = ("user", "role", "created_at")
    readonly_fields = ("user", "role", "created_at")

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(LeadershipGroup)
class LeadershipGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    inlines = [MembershipInline]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_label", "group", "action", "object_type", "object_id"]
    list_filter = ["action"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
