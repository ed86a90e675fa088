"""Reads, always scoped to the asking group; each runs a fixed number of queries at any size."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db.models import Exists, F, Func, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from gpvoice.core.models import LeadershipGroup
from gpvoice.directory.models import Person

from .models import (
    Briefing,
    BriefingItem,
    Forum,
    ForumMeeting,
    Holder,
    Position,
    PositionStatus,
    ReportBack,
    Seat,
    SeatAppointment,
)

TERM_WARNING = timedelta(days=92)  # "terms ending within three months"
RELEVANT_LIMIT = 30
ITEMS_LIMIT = 50


def _pk(value: object) -> int | None:
    text = str(value)
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None


def _count(qs: QuerySet[Any]) -> Coalesce:
    """A correlated COUNT(*) of ``qs`` for annotating each row of another query (one query in all)."""
    counted = qs.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


# One record of the group ----------------------------------------------------------------------


def forums_for(*, group: LeadershipGroup) -> QuerySet[Forum]:
    return Forum.objects.filter(group=group).select_related("organiser").order_by("name", "pk")


def forum_for(*, group: LeadershipGroup, pk: object) -> Forum | None:
    found = _pk(pk)
    return forums_for(group=group).filter(pk=found).first() if found else None


def seat_for(*, group: LeadershipGroup, pk: object) -> Seat | None:
    found = _pk(pk)
    if not found:
        return None
    return Seat.objects.filter(forum__group=group, pk=found).select_related("forum__organiser").first()


def meeting_for(*, group: LeadershipGroup, pk: object) -> ForumMeeting | None:
    found = _pk(pk)
    if not found:
        return None
    return ForumMeeting.objects.filter(forum__group=group, pk=found).select_related("forum__group").first()


def position_for(*, group: LeadershipGroup, pk: object) -> Position | None:
    found = _pk(pk)
    return Position.objects.filter(group=group, pk=found).first() if found else None


def appointment_for(*, seat: Seat, pk: object) -> SeatAppointment | None:
    found = _pk(pk)
    if not found:
        return None
    return (
        SeatAppointment.objects.filter(seat=seat, pk=found, ended_at__isnull=True)
        .select_related("person")
        .first()
    )


# Who holds seats ----------------------------------------------------------------------------


def current_appointments(on: date | None = None) -> QuerySet[SeatAppointment]:
    """Appointments in force on ``on`` (today): started, not ended, term not run out."""
    on = on or timezone.localdate()
    return SeatAppointment.objects.filter(ended_at__isnull=True, starts_on__lte=on, term_ends_on__gte=on)


def holders(*, seats: list[Seat]) -> dict[int, dict[str, SeatAppointment]]:
    """For each seat (by id), its current representative and deputy, by holder (one query)."""
    found: dict[int, dict[str, SeatAppointment]] = {s.pk: {} for s in seats}
    for a in current_appointments().filter(seat__in=seats).select_related("person"):
        found[a.seat_id][a.holder] = a
    return found


def past_holders(*, seat: Seat, limit: int = 10) -> list[SeatAppointment]:
    """The seat's ended appointments, latest first (a bounded page of its history)."""
    rows = SeatAppointment.objects.filter(seat=seat, ended_at__isnull=False).select_related("person")
    return list(rows.order_by("-ended_at", "-pk")[:limit])


def seats_of(*, forum: Forum) -> list[Seat]:
    return list(Seat.objects.filter(forum=forum).order_by("title", "pk")[:50])


def person_of(*, user: Any) -> Person | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Person.objects.filter(user=user).first()


def holds_seat_at(*, user: Any, forum: Forum) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return current_appointments().filter(seat__forum=forum, person__user=user).exists()


def briefed_person(*, forum: Forum) -> Person | None:
    """Who gets the forum's briefing: its representative, or its deputy when no one represents it."""
    found = (
        current_appointments()
        .filter(seat__forum=forum)
        .select_related("person")
        .order_by("-holder", "seat__title", "pk")  # "representative" sorts after "deputy"; reversed
        .first()
    )
    return found.person if found else None


def holder_emails(*, forum: Forum) -> set[str]:
    rows = current_appointments().filter(seat__forum=forum).exclude(person__email="")
    return set(rows.values_list("person__email", flat=True)[:20])


# Positions ---------------------------------------------------------------------------------


def positions_for(*, group: LeadershipGroup, status: str = "") -> QuerySet[Position]:
    rows = Position.objects.filter(group=group)
    if status in PositionStatus.values:
        rows = rows.filter(status=status)
    return rows.order_by("topic", "-agreed_on", "pk")


def relevant_positions(*, forum: Forum) -> list[Position]:
    """Current and under-review positions whose topic is one of the forum's topics."""
    topics = forum.topic_list()
    if not topics:
        return []
    match = Q()
    for topic in topics:
        match |= Q(topic__iexact=topic)
    live = [PositionStatus.CURRENT, PositionStatus.UNDER_REVIEW]
    return list(positions_for(group=forum.group).filter(match, status__in=live)[:RELEVANT_LIMIT])


def published_positions(*, group: LeadershipGroup) -> QuerySet[Position]:
    return positions_for(group=group).filter(published=True, status=PositionStatus.CURRENT)


def briefing_of(*, meeting: ForumMeeting) -> Briefing | None:
    return Briefing.objects.filter(meeting=meeting).select_related("person").first()


def report_of(*, meeting: ForumMeeting) -> ReportBack | None:
    return ReportBack.objects.filter(meeting=meeting).select_related("person").first()


def briefing_items(*, meeting: ForumMeeting) -> list[BriefingItem]:
    return list(BriefingItem.objects.filter(meeting=meeting).order_by("created_at", "pk")[:ITEMS_LIMIT])


# Forum meetings ----------------------------------------------------------------------------


def meetings_of(*, forum: Forum) -> QuerySet[ForumMeeting]:
    return (
        ForumMeeting.objects.filter(forum=forum)
        .annotate(
            has_briefing=Exists(Briefing.objects.filter(meeting=OuterRef("pk"))),
            has_report=Exists(ReportBack.objects.filter(meeting=OuterRef("pk"))),
        )
        .order_by("-on", "pk")
    )


def briefings_due(*, on: date) -> QuerySet[ForumMeeting]:
    """Meetings whose briefing should have gone by ``on`` and has not, still ahead."""
    return (
        ForumMeeting.objects.filter(
            cancelled=False, briefing_due_on__lte=on, on__gte=on, briefing__isnull=True
        )
        .select_related("forum__group")
        .order_by("on", "pk")
    )


def missing_briefings(*, group: LeadershipGroup, on: date | None = None) -> QuerySet[ForumMeeting]:
    """Meetings past their briefing date with no briefing sent (ahead or already held)."""
    on = on or timezone.localdate()
    return (
        ForumMeeting.objects.filter(
            forum__group=group, cancelled=False, briefing_due_on__lte=on, briefing__isnull=True
        )
        .select_related("forum")
        .order_by("-on", "pk")
    )


def overdue_reports(*, on: date, group: LeadershipGroup | None = None) -> QuerySet[ForumMeeting]:
    rows = ForumMeeting.objects.filter(cancelled=False, report_due_on__lt=on, report__isnull=True)
    if group is not None:
        rows = rows.filter(forum__group=group)
    return rows.select_related("forum__group").order_by("-on", "pk")


def reports_awaited(*, group: LeadershipGroup, on: date | None = None) -> QuerySet[ForumMeeting]:
    """Held meetings with no report-back yet, overdue or not."""
    on = on or timezone.localdate()
    return (
        ForumMeeting.objects.filter(forum__group=group, cancelled=False, on__lte=on, report__isnull=True)
        .select_related("forum")
        .order_by("-on", "pk")
    )


def reports_for(*, group: LeadershipGroup) -> QuerySet[ReportBack]:
    return (
        ReportBack.objects.filter(meeting__forum__group=group)
        .select_related("meeting__forum", "person")
        .order_by("-meeting__on", "pk")
    )


# Coverage ----------------------------------------------------------------------------------


def seats_without(*, group: LeadershipGroup, holder: str) -> QuerySet[Seat]:
    held = current_appointments().filter(seat=OuterRef("pk"), holder=holder)
    return (
        Seat.objects.filter(forum__group=group)
        .exclude(Exists(held))
        .select_related("forum")
        .order_by("forum__name", "title", "pk")
    )


def terms_ending(*, group: LeadershipGroup) -> QuerySet[SeatAppointment]:
    today = timezone.localdate()
    return (
        current_appointments(today)
        .filter(seat__forum__group=group, term_ends_on__lte=today + TERM_WARNING)
        .select_related("seat__forum", "person")
        .order_by("term_ends_on", "pk")
    )


def records(*, group: LeadershipGroup) -> QuerySet[SeatAppointment]:
    """Each current appointment with its record since it began: forum meetings held, briefings
    sent to the person, report-backs filed, and report-backs overdue (one query)."""
    today = timezone.localdate()
    held = ForumMeeting.objects.filter(
        forum=OuterRef("seat__forum"), cancelled=False, on__gte=OuterRef("starts_on"), on__lte=today
    )
    return (
        current_appointments(today)
        .filter(seat__forum__group=group)
        .select_related("seat__forum", "person")
        .annotate(
            held=_count(held),
            briefed=_count(held.filter(briefing__person=OuterRef("person"))),
            reported=_count(held.filter(report__isnull=False)),
            overdue=_count(held.filter(report__isnull=True, report_due_on__lt=today)),
        )
        .order_by("seat__forum__name", "seat__title", "holder", "pk")
    )


def coverage_counts(*, group: LeadershipGroup) -> dict[str, int]:
    """The headline numbers of the coverage view and the dashboard, each one COUNT."""
    return {
        "no_representative": seats_without(group=group, holder=Holder.REPRESENTATIVE).count(),
        "no_deputy": seats_without(group=group, holder=Holder.DEPUTY).count(),
        "terms_ending": terms_ending(group=group).count(),
        "missing_briefings": missing_briefings(group=group).count(),
        "overdue_reports": overdue_reports(on=timezone.localdate(), group=group).count(),
    }


# The person's own --------------------------------------------------------------------------


def briefings_to_read(*, user: Any, group: LeadershipGroup) -> QuerySet[Briefing]:
    return Briefing.objects.filter(
        person__user=user,
        meeting__forum__group=group,
        read_at__isnull=True,
        meeting__on__gte=timezone.localdate(),
    ).select_related("meeting__forum")


def reports_due_of(*, user: Any, group: LeadershipGroup) -> QuerySet[ForumMeeting]:
    """Held meetings at forums where the user holds a seat now, still without a report-back."""
    mine = current_appointments().filter(seat__forum=OuterRef("forum"), person__user=user)
    return reports_awaited(group=group).filter(Exists(mine))


def person_by_email(*, group: LeadershipGroup, email: str) -> Person | None:
    """Someone who belongs to the group or is on its roll, by their email address."""
    if not email:
        return None
    return (
        Person.objects.filter(email__iexact=email)
        .filter(
            Q(user__memberships__group=group) | Q(roll_entries__group=group, roll_entries__end__isnull=True)
        )
        .order_by("pk")
        .first()
    )


def organiser_by_code(*, code: str) -> Any:
    """A system organisation (ICB, Place, trust, council, region…) from the directory, by ODS code."""
    from gpvoice.directory.models import Organisation, OrgType

    if not code:
        return None
    kinds = [t for t in OrgType.values if t not in (OrgType.PRACTICE, OrgType.PCN)]
    return Organisation.objects.filter(ods_code__iexact=code, org_type__in=kinds).order_by("pk").first()
