import pytest

from gpvoice.core.models import AuditEntry, Membership, Role


def _url(group, membership):
    return f"/g/{group.slug}/people/{membership.pk}/"


@pytest.mark.django_db
def test_admin_changes_a_role_and_it_is_audited(client, group, personas, strong_login):
    strong_login(client, personas[Role.ADMIN])
    target = personas[Role.ATTENDEE].memberships.get(group=group)
    response = client.post(_url(group, target), {"role": "core"})
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.role == Role.CORE
    assert AuditEntry.objects.filter(action="core.membership.role_changed", object_id=str(target.pk)).exists()


@pytest.mark.django_db
def test_admin_removes_a_member(client, group, personas, strong_login):
    strong_login(client, personas[Role.ADMIN])
    target = personas[Role.OBSERVER].memberships.get(group=group)
    assert client.post(_url(group, target), {"remove": "1"}).status_code == 302
    assert not Membership.objects.filter(pk=target.pk).exists()
    assert AuditEntry.objects.filter(action="core.membership.removed").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("data", [{"role": "emperor"}, {"role": ""}, {"role": "x" * 10_000}, {}])
def test_bad_role_is_refused_with_an_error_summary(client, group, personas, strong_login, data):
    strong_login(client, personas[Role.ADMIN])
    target = personas[Role.ATTENDEE].memberships.get(group=group)
    response = client.post(_url(group, target), data)
    assert response.status_code == 200 and "nhsuk-error-summary" in response.content.decode()
    target.refresh_from_db()
    assert target.role == Role.ATTENDEE


@pytest.mark.django_db
def test_the_last_admin_cannot_leave_or_be_demoted(client, group, personas, strong_login):
    admin = personas[Role.ADMIN]
    strong_login(client, admin)
    own = admin.memberships.get(group=group)
    demote = client.post(_url(group, own), {"role": "core"})
    remove = client.post(_url(group, own), {"remove": "1"})
    for response in (demote, remove):
        assert "at least one admin" in response.content.decode()
    own.refresh_from_db()
    assert own.role == Role.ADMIN


@pytest.mark.django_db
def test_a_member_of_another_group_cannot_be_edited_from_this_one(
    client, group, other_group, personas, outsider, strong_login
):
    strong_login(client, personas[Role.ADMIN])
    theirs = outsider.memberships.get(group=other_group)
    assert client.post(_url(group, theirs), {"remove": "1"}).status_code == 404
    assert Membership.objects.filter(pk=theirs.pk).exists()
