"""The back office cannot go round the rules: governed records are read-only there."""

import pytest
from django.contrib import admin
from django.test import RequestFactory

from gpvoice.accounts.models import Invitation, User
from gpvoice.core.admin import LeadershipGroupAdmin, MembershipInline
from gpvoice.core.models import LeadershipGroup
from gpvoice.governance import models

GOVERNED = [
    models.GovernanceSettings,
    models.RollEntry,
    models.TermsOfReference,
    models.MandateRound,
    models.MandateAnswer,
    models.DecisionCategory,
    models.ExecutiveDecision,
    Invitation,
]


@pytest.fixture
def superuser_request(db):
    request = RequestFactory().get("/admin/")
    request.user = User.objects.create_superuser(email="root@nhs.test", password="x" * 20)
    return request


@pytest.mark.parametrize("model", GOVERNED, ids=lambda m: m.__name__)
def test_governed_records_are_read_only_even_for_a_superuser(superuser_request, model):
    model_admin = admin.site._registry[model]
    assert model_admin.has_view_permission(superuser_request)
    assert not model_admin.has_add_permission(superuser_request)
    assert not model_admin.has_change_permission(superuser_request)
    assert not model_admin.has_delete_permission(superuser_request)


def test_memberships_cannot_be_changed_through_the_groups_admin(superuser_request, group):
    inline = MembershipInline(LeadershipGroup, admin.site)
    assert isinstance(admin.site._registry[LeadershipGroup], LeadershipGroupAdmin)
    assert not inline.has_add_permission(superuser_request, group)
    assert not inline.has_change_permission(superuser_request, group)
    assert not inline.has_delete_permission(superuser_request, group)


@pytest.mark.django_db
def test_a_post_to_a_governed_change_page_changes_nothing(client, group, personas, strong_login, unchanged):
    from gpvoice.governance import services

    user = User.objects.create_superuser(email="root2@nhs.test", password="x" * 20)
    strong_login(client, user)
    entry = services.roll_add(group=group, person=_person(), status="observer", actor=None)
    with unchanged():
        response = client.post(
            f"/admin/governance/rollentry/{entry.pk}/change/", {"status": "core", "group": group.pk}
        )
        assert response.status_code in (200, 403)
        assert client.post(
            f"/admin/governance/rollentry/{entry.pk}/delete/", {"post": "yes"}
        ).status_code in (
            200,
            403,
        )


def _person():
    from gpvoice.directory.tests.factories import PersonFactory

    return PersonFactory()
