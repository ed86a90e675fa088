"""Demo of officers correcting what they set: a cancelled ballot, an extended one, a delegation
line changed and one reviewed (with history), an invitation pending and one withdrawn."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from gpvoice.accounts.models import User
from gpvoice.accounts.services import invitation_create, invitation_revoke
from gpvoice.ballots import services as ballots
from gpvoice.ballots.models import Ballot, Status
from gpvoice.core.models import LeadershipGroup
from gpvoice.governance import services as governance
from gpvoice.governance.models import Authority, CategoryChange, DecisionCategory

CANCELLED_TITLE = "Move the leaders' event to March"


def load_corrections(group: LeadershipGroup) -> None:
    if Ballot.objects.filter(group=group, title=CANCELLED_TITLE).exists():
        return  # loaded before
    admin = User.objects.get(email=f"admin@{group.slug}.example.nhs.uk")
    _ballots(group, admin)
    _delegation(group, admin)
    _invitations(group, admin)


def _ballots(group: LeadershipGroup, admin: User) -> None:
    now = timezone.now()
    draft = ballots.Draft(
        title=CANCELLED_TITLE,
        question="Should the leaders' event move from February to March?",
        method="yes_no",
        electorate="practices",
        opens_at=now + timedelta(days=3),
        closes_at=now + timedelta(days=10),
    )
    scheduled = ballots.ballot_schedule(
        ballot=ballots.ballot_create(group=group, draft=draft, actor=admin), actor=admin
    )
    ballots.ballot_cancel(
        ballot=scheduled,
        reason="The venue confirmed February after all, so there is nothing to decide.",
        actor=admin,
    )
    running = Ballot.objects.filter(group=group, status=Status.OPEN, owner="").order_by("closes_at").first()
    if running is not None and running.closes_at is not None:
        ballots.ballot_extend(ballot=running, closes_at=running.closes_at + timedelta(days=2), actor=admin)


def _delegation(group: LeadershipGroup, admin: User) -> None:
    categories = DecisionCategory.objects.filter(group=group)
    positions = categories.filter(name="Agreed positions on system proposals").first()
    if (
        positions is not None
        and not CategoryChange.objects.filter(category=positions, kind="changed").exists()
    ):
        governance.category_update(
            category=positions,
            actor=admin,
            authority=Authority.EXECUTIVE,
            spend_limit=Decimal("0"),
            review_date=date.today() + timedelta(days=90),
            note="The executive may agree positions between meetings; the group notes each one.",
        )
    spend = categories.filter(name="Spending from the group's budget").first()
    if spend is not None:
        governance.category_review_done(
            category=spend,
            actor=admin,
            next_review=date.today() + timedelta(days=365),
            note="Reviewed at the core group meeting: the £5,000 ceiling stays.",
        )


def _invitations(group: LeadershipGroup, admin: User) -> None:
    base = settings.SITE_URL
    invitation_create(
        group=group,
        email=f"new.partner@{group.slug}.example.nhs.uk",
        role="core",
        invited_by=admin,
        base_url=base,
    )
    withdrawn, _ = invitation_create(
        group=group,
        email=f"wrong.address@{group.slug}.example.nhs.uk",
        role="observer",
        invited_by=admin,
        base_url=base,
    )
    invitation_revoke(invitation=withdrawn, actor=admin)
