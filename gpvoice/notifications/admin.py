"""Notifications in the back office: read-only. A person changes their own settings on their page."""

from django.contrib import admin

from gpvoice.jobs.admin import ReadOnly

from .models import Notice, Preferences


@admin.register(Notice)
class NoticeAdmin(ReadOnly):
    list_display = ["sent_at", "kind", "group", "subject_id", "recipients"]
    list_filter = ["kind"]


@admin.register(Preferences)
class PreferencesAdmin(ReadOnly):
    list_display = ["user", "reminders", "results", "nominations", "updated_at"]
