"""Admins see invitations not yet accepted, resend or withdraw them; a second invitation says why not."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from gpvoice.accounts import services
from gpvoice.accounts.models import Invitation, User
from gpvoice.core.models import AuditEntry, Membership, Role
from gpvoice.jobs.models import OutgoingEmail

BASE = "https://gpvoice.test/"


def _state():
    return (
        list(Invitation.objects.order_by("pk").values()),
        list(Membership.objects.order_by("pk").values_list("pk", "role")),
        list(AuditEntry.objects.order_by("pk").values_list("pk", "action")),
        OutgoingEmail.objects.count(),
    )


@pytest.fixture
def unchanged():
    class Guard:
        def __enter__(self):
            self.before = _state()

        def __exit__(self, *exc):
            assert _state() == self.before, "a refused write changed the database"

    return Guard


@pytest.fixture
def admin(personas):
    return personas[Role.ADMIN]


@pytest.fixture
def invitation(group, admin):
    return services.invitation_create(
        group=group, email="new.person@nhs.test", role="core", invited_by=admin, base_url=BASE
    )[0]


def _token(body: str) -> str:
    return body.split("/invitations/")[1].split("/")[0]


@pytest.mark.django_db
def test_inviting_an_address_already_invited_says_so_and_sends_nothing(group, admin, invitation, unchanged):
    with unchanged(), pytest.raises(services.InvitationError, match="already invited on .* Nothing was sent"):
        services.invitation_create(
            group=group, email="New.Person@NHS.test", role="core", invited_by=admin, base_url=BASE
        )


@pytest.mark.django_db
def test_inviting_a_member_says_so_whatever_the_case_of_the_address(group, admin, personas, unchanged):
    with unchanged(), pytest.raises(services.InvitationError, match="already a member"):
        services.invitation_create(
            group=group, email=personas[Role.CORE].email.upper(), role="core", invited_by=admin, base_url=BASE
        )


@pytest.mark.django_db
def test_an_expired_or_withdrawn_invitation_does_not_block_a_new_one(group, admin, invitation):
    with time_machine.travel(invitation.expires_at + timedelta(seconds=1)):
        services.invitation_create(
            group=group, email="new.person@nhs.test", role="core", invited_by=admin, base_url=BASE
        )
    # Back in the present the first is live again; with both withdrawn, a third may be sent.
    for open_one in Invitation.objects.all():
        services.invitation_revoke(invitation=open_one, actor=admin)
    services.invitation_create(
        group=group, email="new.person@nhs.test", role="core", invited_by=admin, base_url=BASE
    )


@pytest.mark.django_db
def test_resending_sends_a_new_link_and_the_old_one_stops_working(group, admin, invitation):
    old = _token(mail.outbox[-1].body)
    services.invitation_resend(invitation=invitation, actor=admin, base_url=BASE)
    new = _token(mail.outbox[-1].body)
    assert new != old and len(mail.outbox) == 2
    with pytest.raises(services.InvitationError, match="not valid"):
        services.invitation_find(token=old)
    _, user = services.invitation_accept(token=new, full_name="Pat Invitee")
    assert Membership.objects.get(group=group, user=user).role == Role.CORE
    invitation.refresh_from_db()
    assert invitation.sent_count == 2
    assert AuditEntry.objects.filter(action="accounts.invitation.resent").count() == 1


@pytest.mark.django_db
def test_a_withdrawn_invitations_link_is_refused(group, admin, invitation):
    token = _token(mail.outbox[-1].body)
    services.invitation_revoke(invitation=invitation, actor=admin)
    with pytest.raises(services.InvitationError, match="withdrawn"):
        services.invitation_accept(token=token, full_name="Pat Invitee")
    assert not User.objects.filter(email="new.person@nhs.test").exists()


@pytest.mark.django_db
def test_an_accepted_or_withdrawn_invitation_is_neither_resent_nor_withdrawn(
    group, admin, invitation, unchanged
):
    services.invitation_revoke(invitation=invitation, actor=admin)
    for call in (
        lambda: services.invitation_resend(invitation=invitation, actor=admin, base_url=BASE),
        lambda: services.invitation_revoke(invitation=invitation, actor=admin),
    ):
        with unchanged(), pytest.raises(services.InvitationError, match="already withdrawn"):
            call()


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.EXECUTIVE, Role.CORE, Role.PRACTICE_STAFF])
def test_only_an_admin_resends_or_withdraws(personas, invitation, unchanged, role, outsider):
    for actor in (personas[role], outsider):
        for call in (
            lambda a: services.invitation_resend(invitation=invitation, actor=a, base_url=BASE),
            lambda a: services.invitation_revoke(invitation=invitation, actor=a),
        ):
            with unchanged(), pytest.raises(services.InvitationError, match="Only an admin"):
                call(actor)


@pytest.mark.django_db
def test_the_admin_lists_resends_and_withdraws_from_the_page(client, group, admin, strong_login, invitation):
    strong_login(client, admin)
    url = f"/g/{group.slug}/people/invitations/"
    assert url in client.get(f"/g/{group.slug}/people/").content.decode()
    page = client.get(url).content.decode()
    assert "new.person@nhs.test" in page and "Resend" in page and "Withdraw" in page
    response = client.post(url, {"resend": str(invitation.pk)}, follow=True)
    assert "sent again to new.person@nhs.test" in response.content.decode()
    response = client.post(url, {"revoke": str(invitation.pk)}, follow=True)
    html = response.content.decode()
    assert "was withdrawn" in html and "Every invitation has been accepted or withdrawn" in html


@pytest.mark.django_db
def test_a_second_invitation_from_the_page_names_the_field(client, group, admin, strong_login, invitation):
    strong_login(client, admin)
    html = client.post(
        f"/g/{group.slug}/people/invite/", {"email": "new.person@nhs.test", "role": "core"}
    ).content.decode()
    assert "nhsuk-error-summary" in html and "#id_email" in html and "already invited" in html
    assert Invitation.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("chosen", ["", "abc", "10000000", "1\x00", "-1"])
def test_bad_or_foreign_ids_on_the_page_are_404_and_change_nothing(
    client, group, other_group, admin, strong_login, outsider, unchanged, chosen
):
    strong_login(client, admin)
    with unchanged():
        assert client.post(f"/g/{group.slug}/people/invitations/", {"revoke": chosen}).status_code == 404


@pytest.mark.django_db
def test_another_groups_invitation_is_a_404(
    client, group, other_group, admin, strong_login, outsider, unchanged
):
    from gpvoice.core.services import membership_set

    membership_set(group=other_group, user=outsider, role=Role.ADMIN, actor=None)
    theirs = services.invitation_create(
        group=other_group, email="theirs@nhs.test", role="core", invited_by=outsider, base_url=BASE
    )[0]
    strong_login(client, admin)
    with unchanged():
        response = client.post(f"/g/{group.slug}/people/invitations/", {"revoke": str(theirs.pk)})
    assert response.status_code == 404


@pytest.mark.django_db
def test_the_list_pages_through_many_invitations_in_constant_queries(
    client, group, admin, strong_login, django_assert_max_num_queries
):
    now = timezone.now()
    Invitation.objects.bulk_create(
        Invitation(
            group=group,
            email=f"p{i}@nhs.test",
            role="core",
            token_hash=f"{i:064d}",
            invited_by=admin,
            expires_at=now + timedelta(days=3),
        )
        for i in range(120)
    )
    strong_login(client, admin)
    with django_assert_max_num_queries(15):
        page = client.get(f"/g/{group.slug}/people/invitations/?page=3").content.decode()
    assert "120 invitations" in page and page.count("Resend<") == 20
