"""Reads of the single point of access, always scoped to a group."""

from __future__ import annotations

import re
from datetime import date, datetime

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from gpvoice.core.models import OFFICER_ROLES, LeadershipGroup, Role
from gpvoice.directory.models import Organisation, OrgStatus, OrgType

from .models import OPEN_STATUSES, AccessRequest, Attachment, Category, Message, Status, StatusChange

# Who asks the group: system partners, not practices.
PARTNER_TYPES = [
    OrgType.ICB,
    OrgType.SUB_ICB,
    OrgType.PLACE,
    OrgType.TRUST,
    OrgType.LOCAL_AUTHORITY,
    OrgType.REGION,
    OrgType.OTHER,
    OrgType.FEDERATION,
    OrgType.LMC,
]


CHOSEN = re.compile(r"\(([A-Za-z0-9-]{2,12})\)$")


def organisation_matching(text: str) -> Organisation | None:
    """The directory's organisation whose ODS code or exact name was typed, or chosen from the list
    as "Name (CODE)", if exactly one."""
    if not text:
        return None
    chosen = CHOSEN.search(text)
    if chosen:
        text = chosen.group(1)
    found = list(
        Organisation.objects.filter(org_type__in=PARTNER_TYPES)
        .filter(Q(ods_code__iexact=text) | Q(name__iexact=text))
        .order_by("pk")[:2]
    )
    return found[0] if len(found) == 1 else None


def partner_choices(*, limit: int = 2000) -> list[str]:
    """What the front door suggests as the organisation is typed: "Name (CODE)" of open partners."""
    rows = (
        Organisation.objects.filter(org_type__in=PARTNER_TYPES, status=OrgStatus.ACTIVE)
        .order_by("name")
        .values_list("name", "ods_code")[:limit]
    )
    return [f"{name} ({code})" for name, code in rows]


def categories_for(*, group: LeadershipGroup) -> QuerySet[Category]:
    return Category.objects.filter(group=group)


def possible_leads(*, group: LeadershipGroup) -> QuerySet:
    from django.contrib.auth import get_user_model

    roles = [Role.CORE, *OFFICER_ROLES]
    return (
        get_user_model()
        .objects.filter(memberships__group=group, memberships__role__in=roles)
        .order_by("email")
    )


def _received(group: LeadershipGroup) -> QuerySet[AccessRequest]:
    return AccessRequest.objects.filter(group=group).exclude(status=Status.UNVERIFIED)


def queue(*, group: LeadershipGroup, status: str = "") -> QuerySet[AccessRequest]:
    """The triage queue: new requests first (oldest new first), then the rest by due date."""
    rows = _received(group).select_related("category", "lead", "organisation")
    rows = rows.filter(status=status) if status in Status.values else rows.filter(status__in=OPEN_STATUSES)
    first = Case(When(status=Status.RECEIVED, then=Value(0)), default=Value(1), output_field=IntegerField())
    return rows.annotate(new_first=first).order_by("new_first", "due_on", "received_at", "pk")


def request_for(*, group: LeadershipGroup, reference: str) -> AccessRequest | None:
    """A received request of this group by its reference; another group's reference is None."""
    if not isinstance(reference, str) or len(reference) > 20:
        return None
    return (
        _received(group)
        .select_related(
            "group", "category", "lead", "organisation", "merged_into", "decision__category", "ballot"
        )
        .filter(reference=reference)
        .first()
    )


def unverified_by_hash(token_hash: str) -> AccessRequest | None:
    return AccessRequest.objects.filter(verify_hash=token_hash).select_related("group").first()


def request_by_tracking_hash(token_hash: str) -> AccessRequest | None:
    return (
        AccessRequest.objects.filter(tracking_hash=token_hash)
        .select_related("group", "decision__category", "ballot", "merged_into")
        .first()
    )


def conversation(*, request: AccessRequest) -> list[Message]:
    return list(Message.objects.filter(request=request).select_related("officer"))


def files_of(*, request: AccessRequest) -> list[Attachment]:
    return list(Attachment.objects.filter(request=request))


def history_of(*, request: AccessRequest) -> list[StatusChange]:
    return list(StatusChange.objects.filter(request=request).select_related("created_by"))


def merge_targets(*, request: AccessRequest) -> QuerySet[AccessRequest]:
    return _received(request.group).filter(status__in=OPEN_STATUSES).exclude(pk=request.pk).order_by("-pk")


def requests_for_next_meeting(group: LeadershipGroup) -> list[AccessRequest]:
    """Open requests referred to the group's next meeting, oldest referral first.

    The meetings capability reads this to put escalated requests on the agenda."""
    return list(
        _received(group)
        .filter(status__in=OPEN_STATUSES, referred_at__isnull=False)
        .order_by("referred_at", "pk")
    )


def open_requests(*, group: LeadershipGroup) -> QuerySet[AccessRequest]:
    return _received(group).filter(status__in=OPEN_STATUSES).select_related("category", "lead")


def breach_candidates(*, up_to: date) -> QuerySet[AccessRequest]:
    """Open requests due on or before ``up_to`` whose officers have not been warned (any group)."""
    return (
        AccessRequest.objects.filter(
            status__in=OPEN_STATUSES - {Status.WAITING}, due_on__lte=up_to, breach_warned_at__isnull=True
        )
        .select_related("group", "lead")
        .order_by("pk")
    )


def expired_unverified(*, now: datetime) -> QuerySet[AccessRequest]:
    return AccessRequest.objects.filter(status=Status.UNVERIFIED, verify_expires_at__lte=now)


def officer_emails(*, group: LeadershipGroup) -> list[str]:
    from gpvoice.core.models import Membership

    return list(
        Membership.objects.filter(group=group, role__in=OFFICER_ROLES)
        .order_by("user__email")
        .values_list("user__email", flat=True)
    )


def monthly_rows(*, group: LeadershipGroup) -> QuerySet[AccessRequest]:
    """What the monthly service-level figures are computed from (received requests, a few columns)."""
    return (
        _received(group)
        .only("pk", "received_at", "first_response_at", "answered_at", "due_on", "status")
        .order_by("received_at")
    )


def public_group(*, slug: str) -> LeadershipGroup | None:
    """A group's front door is public: any group, by its slug."""
    return LeadershipGroup.objects.filter(slug=slug).first()


def attachment_of(*, request: AccessRequest, pk: int) -> Attachment | None:
    return Attachment.objects.filter(request=request, pk=pk).first()


def queue_counts(*, group: LeadershipGroup) -> dict[str, int]:
    """New, open and breached requests, in one query."""
    from django.db.models import Count
    from django.utils import timezone

    open_ = Q(status__in=OPEN_STATUSES)
    return _received(group).aggregate(
        new=Count("pk", filter=Q(status=Status.RECEIVED)),
        open=Count("pk", filter=open_),
        breached=Count("pk", filter=open_ & ~Q(status=Status.WAITING) & Q(due_on__lt=timezone.localdate())),
    )
