"""Back office: the directory's records, and NHS file upload with preview then confirm."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path

from .importers import IMPORTERS
from .importers.reading import MAX_BYTES
from .models import Appointment, Declaration, ListSize, Organisation, Person
from .uploads import PreviewGone, pending_import_confirm, pending_import_create


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label="Which file", choices=[(k, i.title) for k, i in IMPORTERS.items()])
    file = forms.FileField(label="File")

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB.")
        return upload


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["ods_code", "name", "org_type", "status", "pcn", "list_size"]
    list_filter = ["org_type", "status"]
    search_fields = ["ods_code", "name", "postcode"]
    raw_id_fields = ["pcn", "sub_icb", "icb", "region"]
    list_select_related = ["pcn"]

    def get_urls(self) -> list[URLPattern]:
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="directory_import"),
            *super().get_urls(),
        ]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """Upload → dry-run preview → confirm. The file waits in the database meanwhile (uploads)."""
        if not self.has_change_permission(request):
            return HttpResponse(status=403)
        if request.method == "POST" and "confirm" in request.POST:
            return self._confirm(request)
        form = UploadForm(request.POST or None, request.FILES or None)
        context: dict[str, Any] = {
            **self.admin_site.each_context(request),
            "form": form,
            "title": "Import NHS file",
        }
        if request.method == "POST" and form.is_valid():
            pending, report = pending_import_create(
                kind=form.cleaned_data["kind"], chunks=form.cleaned_data["file"].chunks(), user=request.user
            )
            context.update(report=report, token=pending.token if report.ok else "", title="Check the import")
        return TemplateResponse(request, "admin/directory/import.html", context)

    def _confirm(self, request: HttpRequest) -> HttpResponse:
        try:
            report = pending_import_confirm(token=request.POST.get("token", ""), user=request.user)
        except PreviewGone:
            messages.error(request, "That preview has expired or was already applied. Upload the file again.")
            return redirect("admin:directory_import")
        level = messages.SUCCESS if report.ok else messages.ERROR
        messages.add_message(request, level, " · ".join(report.summary_lines()))
        return redirect("admin:directory_organisation_changelist")


@admin.register(ListSize)
class ListSizeAdmin(admin.ModelAdmin):
    list_display = ["organisation", "extract_date", "patients"]
    raw_id_fields = ["organisation"]


class AppointmentInline(admin.TabularInline):
    """Read-only: who may act (and vote) for a practice changes only on the group admin's
    appointments page, through audited services (issue 9: the back office cannot go round the rules)."""

    model = Appointment
    extra = 0
    readonly_fields = ["role", "organisation", "title", "start", "end", "is_signatory"]
    fields = ("role", "organisation", "title", "start", "end", "is_signatory")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class DeclarationInline(admin.TabularInline):
    model = Declaration
    extra = 0
    raw_id_fields = ["organisation"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["full_name", "email"]
    search_fields = ["full_name", "email"]
    raw_id_fields = ["user"]
    inlines = [AppointmentInline, DeclarationInline]
