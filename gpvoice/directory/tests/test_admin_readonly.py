"""The back office shows appointments but cannot change who may act for a practice."""

import pytest
from django.contrib import admin
from django.test import RequestFactory

from gpvoice.directory.admin import AppointmentInline, PersonAdmin
from gpvoice.directory.models import Person


@pytest.mark.django_db
def test_appointments_in_the_back_office_cannot_be_added_changed_or_deleted():
    request = RequestFactory().get("/admin/")
    inline = AppointmentInline(Person, admin.site)
    assert not inline.has_add_permission(request, None)
    assert not inline.has_change_permission(request, None)
    assert not inline.has_delete_permission(request, None)
    assert "is_signatory" in inline.readonly_fields
    assert AppointmentInline in PersonAdmin.inlines
