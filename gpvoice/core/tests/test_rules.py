"""Membership and invitation services check the actor themselves, under the group's lock."""

import pytest

from gpvoice.accounts.models import Invitation, User
from gpvoice.accounts.services import InvitationError, invitation_create
from gpvoice.core import rules
from gpvoice.core.models import AuditEntry, Membership, Role
from gpvoice.core.services import MembershipError, membership_remove, membership_set

from .threads import run_together


def _state():
    return (
        list(Membership.objects.order_by("pk").values()),
        list(Invitation.objects.order_by("pk").values()),
        AuditEntry.objects.count(),
    )


@pytest.mark.django_db
@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMIN])
def test_only_an_admin_changes_roles_removes_or_invites(group, personas, outsider, role):
    target = personas[Role.OBSERVER]
    before = _state()
    for actor in (personas[role], outsider):
        with pytest.raises(MembershipError, match="Only an admin of Northvale"):
            membership_set(group=group, user=target, role=Role.ADMIN, actor=actor)
        with pytest.raises(MembershipError, match="Only an admin of Northvale"):
            membership_remove(membership=target.memberships.get(group=group), actor=actor)
        with pytest.raises(InvitationError, match="Only an admin of Northvale"):
            invitation_create(
                group=group, email="new@nhs.test", role=Role.ADMIN, invited_by=actor, base_url="x"
            )
    assert _state() == before


@pytest.mark.django_db
def test_the_last_admin_cannot_be_demoted_or_removed_by_any_caller(group, personas):
    admin = personas[Role.ADMIN]
    own = admin.memberships.get(group=group)
    before = _state()
    for actor in (admin, rules.SYSTEM):
        with pytest.raises(MembershipError, match="at least one admin"):
            membership_set(group=group, user=admin, role=Role.CORE, actor=actor)
        with pytest.raises(MembershipError, match="at least one admin"):
            membership_remove(membership=own, actor=actor)
    assert _state() == before


@pytest.mark.django_db
def test_setting_the_same_role_records_nothing(group, personas):
    before = _state()
    membership_set(group=group, user=personas[Role.CORE], role=Role.CORE, actor=personas[Role.ADMIN])
    assert _state() == before


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["emperor", "", None, "admin\x00"])
def test_an_unknown_role_is_refused(group, personas, role):
    before = _state()
    with pytest.raises(MembershipError, match="Choose a role"):
        membership_set(group=group, user=personas[Role.CORE], role=role, actor=personas[Role.ADMIN])
    with pytest.raises(InvitationError, match="Choose a role"):
        invitation_create(
            group=group, email="n@nhs.test", role=role, invited_by=personas[Role.ADMIN], base_url="x"
        )
    assert _state() == before


@pytest.mark.django_db
def test_removal_is_recorded_last_with_the_membership_it_removed(group, personas):
    target = personas[Role.OBSERVER].memberships.get(group=group)
    membership_remove(membership=target, actor=personas[Role.ADMIN])
    entry = AuditEntry.objects.order_by("-id").first()
    assert entry.action == "core.membership.removed" and entry.object_id == str(target.pk)


@pytest.mark.django_db(transaction=True)
def test_two_admins_demoting_each_other_at_once_leave_one_admin(group):
    first = User.objects.create_user(email="first@nhs.test")
    second = User.objects.create_user(email="second@nhs.test")
    membership_set(group=group, user=first, role=Role.ADMIN)
    membership_set(group=group, user=second, role=Role.ADMIN)
    for _ in range(3):
        errors = run_together(
            [
                lambda: membership_set(group=group, user=first, role=Role.CORE, actor=second),
                lambda: membership_set(group=group, user=second, role=Role.CORE, actor=first),
            ],
            refusals=(MembershipError,),
        )
        assert errors == []
        admins = Membership.objects.filter(group=group, role=Role.ADMIN)
        assert admins.count() == 1
        # Restore both as admins for the next try (the system may).
        for user in (first, second):
            membership_set(group=group, user=user, role=Role.ADMIN)


@pytest.mark.django_db
def test_only_the_platform_creates_groups(personas):
    from gpvoice.core.models import LeadershipGroup
    from gpvoice.core.services import group_create

    before = (LeadershipGroup.objects.count(), AuditEntry.objects.count())
    with pytest.raises(MembershipError, match="platform's administrators"):
        group_create(name="Mine", slug="mine", actor=personas[Role.ADMIN])
    assert (LeadershipGroup.objects.count(), AuditEntry.objects.count()) == before
    staff = User.objects.create_user(email="staff@nhs.test")
    staff.is_staff = True
    staff.save()
    assert group_create(name="Platform's", slug="platforms", actor=staff).slug == "platforms"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("check", "allowed"),
    [
        (rules.require_member, set(Role)),
        (rules.require_officer, {Role.ADMIN, Role.EXECUTIVE}),
        (rules.require_admin, {Role.ADMIN}),
    ],
)
def test_each_rule_admits_exactly_its_roles_and_the_system(group, personas, outsider, check, allowed):
    from django.contrib.auth.models import AnonymousUser

    for role, user in personas.items():
        if role in allowed:
            assert check(group, user).role == role
        else:
            with pytest.raises(rules.NotAllowed):
                check(group, user)
    for stranger in (outsider, AnonymousUser()):
        with pytest.raises(rules.NotAllowed):
            check(group, stranger)
    assert check(group, rules.SYSTEM) is None  # the system: commands and the demo loader


@pytest.mark.django_db
def test_priority_setting_refuses_the_system_actor(group):
    from gpvoice.priorities.services import PriorityError, round_create

    before = _state()
    with pytest.raises(PriorityError, match="Only the officers"):
        round_create(group=group, title="By nobody", actor=None, method="points")
    assert _state() == before
