"""Reads for meetings, scoped to a group; each page runs a fixed number of queries however big it gets."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from gpvoice.core import rules
from gpvoice.core.models import LeadershipGroup, Membership, Role
from gpvoice.directory.models import Declaration

from .models import (
    Action,
    ActionStatus,
    AgendaItem,
    CalendarFeed,
    Invitation,
    ItemInterest,
    Meeting,
    MeetingDecision,
    MeetingSettings,
    MeetingStatus,
    MinutesCorrection,
    Paper,
)
from .quorum import Quorum, quorum

PAPER_ROLES = frozenset({Role.ADMIN, Role.EXECUTIVE, Role.CORE, Role.ATTENDEE})


def settings_for(*, group: LeadershipGroup) -> MeetingSettings:
    """The group's settings, or the defaults unsaved: a read never writes."""
    return MeetingSettings.objects.filter(group=group).first() or MeetingSettings(group=group)


def can_see_papers(membership: Membership | None, settings: MeetingSettings) -> bool:
    """Officers, core members and attendees read agendas, papers and minutes; observers if allowed."""
    if membership is None:
        return False
    if membership.role in PAPER_ROLES:
        return True
    return membership.role == Role.OBSERVER and settings.observers_see_papers


def can_manage(membership: Membership | None) -> bool:
    return rules.is_officer(membership)


def meetings_for(*, group: LeadershipGroup) -> QuerySet[Meeting]:
    return Meeting.objects.filter(group=group).select_related("group", "chair").order_by("-starts_at", "-id")


def meeting_for(*, group: LeadershipGroup, pk: int) -> Meeting | None:
    return Meeting.objects.filter(group=group, pk=pk).select_related("group", "chair").first()


def previous_held_start(*, meeting: Meeting) -> datetime | None:
    """When the last held meeting of the same body began: items since then are due."""
    return (
        Meeting.objects.filter(
            group_id=meeting.group_id,
            body=meeting.body,
            status=MeetingStatus.HELD,
            starts_at__lt=meeting.starts_at,
        )
        .order_by("-starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )


def invitations(*, meeting: Meeting) -> list[Invitation]:
    return list(
        Invitation.objects.filter(meeting=meeting).select_related("person").order_by("person__full_name")
    )


def quorum_of(*, meeting: Meeting, rows: list[Invitation] | None = None) -> Quorum:
    rows = rows if rows is not None else list(Invitation.objects.filter(meeting=meeting))
    rule = settings_for(group=meeting.group)
    counted = [r for r in rows if r.counts_for_quorum]
    return quorum(len(counted), sum(r.attended for r in counted), rule.quorum_num, rule.quorum_den)


def items(*, meeting: Meeting) -> list[AgendaItem]:
    """The agenda with everything each item shows, in a fixed number of queries."""
    return list(
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("minutes", "organisation", "meeting__group")
        .prefetch_related(
            Prefetch("decisions", queryset=MeetingDecision.objects.select_related("ballot__group")),
            "papers",
            Prefetch("actions", queryset=Action.objects.select_related("owner")),
            Prefetch("interests", queryset=ItemInterest.objects.select_related("person")),
            Prefetch("minutes__corrections", queryset=MinutesCorrection.objects.order_by("created_at", "id")),
        )
        .order_by("position", "id")
    )


def declarations_by_organisation(
    *, items: list[AgendaItem], people: list[int], on: date | None = None
) -> dict[int, list[Declaration]]:
    """Current declarations by the people invited that name an organisation an item concerns."""
    organisations = {item.organisation_id for item in items if item.organisation_id}
    if not organisations or not people:
        return {}
    on = on or timezone.localdate()
    found: dict[int, list[Declaration]] = {}
    for declaration in (
        Declaration.objects.filter(person_id__in=people, organisation_id__in=organisations, start__lte=on)
        .filter(Q(end__isnull=True) | Q(end__gte=on))
        .select_related("person")
        .order_by("person__full_name")
    ):
        found.setdefault(declaration.organisation_id or 0, []).append(declaration)
    return found


def open_actions(*, group: LeadershipGroup) -> QuerySet[Action]:
    return (
        Action.objects.filter(group=group, status=ActionStatus.OPEN)
        .select_related("owner", "item__meeting")
        .order_by("due_on", "id")
    )


def overdue_actions_of(*, user: Any, group: LeadershipGroup, on: date | None = None) -> QuerySet[Action]:
    """The user's own open actions in the group that are past their due date."""
    on = on or timezone.localdate()
    return open_actions(group=group).filter(owner__user=user, due_on__lt=on)


def action_for(*, group: LeadershipGroup, pk: Any) -> Action | None:
    try:
        return Action.objects.filter(group=group, pk=int(pk)).select_related("owner", "group").first()
    except (TypeError, ValueError):
        return None


def item_for(*, meeting: Meeting, pk: Any) -> AgendaItem | None:
    try:
        return AgendaItem.objects.filter(meeting=meeting, pk=int(pk)).select_related("meeting").first()
    except (TypeError, ValueError):
        return None


def paper_for(*, meeting: Meeting, pk: int) -> Paper | None:
    return Paper.objects.filter(item__meeting=meeting, pk=pk).first()


def invitation_of(*, meeting: Meeting, user: Any) -> Invitation | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Invitation.objects.filter(meeting=meeting, person__user=user).select_related("person").first()


def meetings_for_user(*, user: Any, limit: int = 500) -> list[Meeting]:
    """Meetings of every group the user belongs to, recent and coming: a personal calendar feed."""
    since = timezone.now() - timedelta(days=365)
    return list(
        Meeting.objects.filter(group__memberships__user=user, starts_at__gte=since)
        .select_related("group")
        .order_by("-starts_at")[:limit]
    )


def feed_owner(*, token_hash: str) -> Any:
    feed = (
        CalendarFeed.objects.filter(token_hash=token_hash, revoked_at__isnull=True)
        .select_related("user")
        .first()
    )
    return feed.user if feed is not None and feed.user.is_active else None


def live_feed(*, user: Any) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()


# A decision may rest on a ballot of the group that has opened: open, closed or published (not a draft,
# scheduled or cancelled one). The model comes from the decision's field: meetings imports no ballots code.
LINKABLE_BALLOT_STATUSES = ("open", "closed", "published")
LINKABLE_BALLOTS_SHOWN = 10  # the most recent, as suggestions; any other is found by number or title
BALLOT_MATCHES_SHOWN = 5


def _ballots() -> Any:
    return MeetingDecision._meta.get_field("ballot").related_model


def _linkable(group: LeadershipGroup) -> Any:
    return (
        _ballots()
        .objects.filter(group=group, status__in=LINKABLE_BALLOT_STATUSES)
        .only("pk", "title", "status")
        .order_by("-created_at", "-pk")
    )


def linkable_ballots(*, group: LeadershipGroup) -> list[Any]:
    """The group's most recent ballots a decision may link to, newest first; one query, at most 10."""
    return list(_linkable(group)[:LINKABLE_BALLOTS_SHOWN])


def linkable_ballots_titled(*, group: LeadershipGroup, words: str) -> list[Any]:
    """The group's linkable ballots whose title holds every word, newest first; one more than shown, so a
    caller can tell there are more."""
    found = _linkable(group)
    for word in words.split()[:10]:
        found = found.filter(title__icontains=word)
    return list(found[: BALLOT_MATCHES_SHOWN + 1])


def ballot_label(ballot: Any) -> str:
    """A ballot a decision may rest on, as officers see it: its number (what they type), title and status."""
    return f"No. {ballot.pk}: {ballot.title} ({ballot.get_status_display().lower()})"


def linkable_ballot(*, group: LeadershipGroup, pk: int) -> Any:
    """The group's ballot ``pk`` if a decision may link to it, else None (another group's: None)."""
    return _ballots().objects.filter(group=group, status__in=LINKABLE_BALLOT_STATUSES, pk=pk).first()
