"""Builds the demo workspace: two groups, someone in every role, synthetic names only."""

from __future__ import annotations

from dataclasses import dataclass, field

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.db import transaction

from gpvoice.accounts.models import User
from gpvoice.core.models import LeadershipGroup, Role
from gpvoice.core.services import group_create, membership_set

DEMO_PASSWORD = "demo-officer-password-2026"  # demo only; officers also need the TOTP secret
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

GROUPS = [
    ("northvale", "Northvale General Practice Leadership Group", "The confederation for Northvale Place."),
    ("southmere", "Southmere Confederation", "The leadership group for Southmere Place."),
]


@dataclass
class DemoSummary:
    groups: list[LeadershipGroup] = field(default_factory=list)
    users: dict[str, str] = field(default_factory=dict)  # email -> description
    people: int = 0
    tokens: dict[str, str] = field(default_factory=dict)  # group slug -> a new API token, shown once


def _user(email: str, name: str, *, officer: bool) -> User:
    """A demo account. ``create_user`` (never a bare ``create``, which stores an empty, "usable"
    password that matches nothing) leaves members without a password; officers get the printed one,
    reset on every load so that the printed password always signs in."""
    user = User.objects.filter(email=email).first() or User.objects.create_user(email, full_name=name)
    if officer and not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    elif not officer and user.password == "":
        user.set_unusable_password()
        user.save(update_fields=["password"])
    if officer and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, DEMO_TOTP_SECRET)
    return user


@transaction.atomic
def load_demo() -> DemoSummary:
    summary = DemoSummary()
    for slug, name, description in GROUPS:
        group = LeadershipGroup.objects.filter(slug=slug).first() or group_create(
            name=name, slug=slug, description=description
        )
        summary.groups.append(group)
        for role in Role:
            email = f"{role.value.replace('_', '.')}@{slug}.example.nhs.uk"
            person = f"Demo {role.label} ({group.name.split()[0]})"
            user = _user(email, person, officer=role in (Role.ADMIN, Role.EXECUTIVE))
            membership_set(group=group, user=user, role=role)
            summary.users[email] = f"{role.label}, {group.name}"
    # Someone in both groups, to show the group switcher.
    both = _user("member.both@example.nhs.uk", "Demo member of both groups", officer=False)
    for group in summary.groups:
        membership_set(group=group, user=both, role=Role.CORE)
    summary.users[both.email] = "Core member of both groups"
    platform = _user("platform.admin@example.nhs.uk", "Demo platform administrator", officer=True)
    if not platform.is_staff:
        platform.is_staff = platform.is_superuser = True
        platform.save(update_fields=["is_staff", "is_superuser"])
    summary.users[platform.email] = "Platform administrator (Django admin back office)"
    from .area import load_area

    summary.people = load_area({g.slug: g for g in summary.groups})
    from .api_demo import load_tokens
    from .ballots_demo import load_ballots
    from .corrections_demo import load_corrections
    from .engagement_demo import load_engagement
    from .events_demo import load_events
    from .governance_demo import load_governance
    from .intake_demo import load_intake
    from .meetings_demo import load_meetings
    from .notifications_demo import load_notifications
    from .priorities_demo import load_priorities
    from .representation_demo import load_representation
    from .soundingboard_demo import load_soundingboard

    for group in summary.groups:
        load_governance(group)
        load_ballots(group)
        load_priorities(group)
        load_intake(group)
        load_meetings(group)
        load_soundingboard(group)
        load_events(group)
        load_representation(group)
        load_corrections(group)
        load_engagement(group)
        if token := load_tokens(group):
            summary.tokens[group.slug] = token
    load_notifications(summary.groups)
    from .glance_demo import load_glance

    load_glance(summary.groups[0])  # the first group publishes its public page
    from .accounts_demo import load_own_declarations

    load_own_declarations()
    return summary
