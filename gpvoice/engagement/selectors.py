"""Reads for engagement, scoped to the group (and the viewer) asking."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from gpvoice.core.models import OFFICER_ROLES, LeadershipGroup, Membership
from gpvoice.directory.models import Organisation, Person
from gpvoice.directory.selectors import footprint_practices

from .models import (
    AnswerCount,
    Bulletin,
    BulletinDelivery,
    BulletinPreference,
    BulletinStatus,
    Consultation,
    ConsultationStatus,
    Question,
    Response,
)
from .recipients import current_appointments


def _id(pk: object) -> int | None:
    if isinstance(pk, int):
        return pk
    text = str(pk or "")
    return int(text) if text.isascii() and text.isdigit() and len(text) < 12 else None


def is_officer(membership: Membership) -> bool:
    return membership.role in OFFICER_ROLES


# Consultations ----------------------------------------------------------------------------------


def consultations_for(*, membership: Membership) -> QuerySet[Consultation]:
    """Officers see drafts too; members see consultations once opened."""
    qs = Consultation.objects.filter(group=membership.group)
    if not is_officer(membership):
        qs = qs.exclude(status=ConsultationStatus.DRAFT)
    return qs.order_by("-closes_at", "-pk")


def consultation_for(*, membership: Membership, pk: object) -> Consultation | None:
    found = _id(pk)
    return None if found is None else consultations_for(membership=membership).filter(pk=found).first()


def questions_of(consultation: Consultation) -> list[Question]:
    return list(Question.objects.filter(consultation=consultation).order_by("position", "pk"))


def question_in(*, consultation: Consultation, pk: object) -> Question | None:
    found = _id(pk)
    return None if found is None else Question.objects.filter(consultation=consultation, pk=found).first()


def person_of(user: Any) -> Person | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Person.objects.filter(user=user).first()


def my_signatory_practices(*, group: LeadershipGroup, user: Any) -> list[Organisation]:
    """The footprint practices this user signs for, by name: one query."""
    if not getattr(user, "is_authenticated", False):
        return []
    ids = current_appointments().filter(person__user=user, is_signatory=True).values("organisation_id")
    return list(footprint_practices(group=group).filter(pk__in=ids).order_by("name"))


def my_practices(*, group: LeadershipGroup, user: Any) -> list[Organisation]:
    if not getattr(user, "is_authenticated", False):
        return []
    ids = current_appointments().filter(person__user=user).values("organisation_id")
    return list(footprint_practices(group=group).filter(pk__in=ids).order_by("name"))


def current_response(
    *, consultation: Consultation, practice: Organisation | None, person: Person | None
) -> Response | None:
    qs = Response.objects.filter(consultation=consultation, is_current=True)
    if consultation.per_person:
        return qs.filter(person=person, for_practice=False).first() if person else None
    return qs.filter(practice=practice, for_practice=True).first() if practice else None


def response_history(
    *, consultation: Consultation, practice: Organisation | None, person: Person | None
) -> QuerySet[Response]:
    qs = Response.objects.filter(consultation=consultation).select_related("person")
    if consultation.per_person:
        return qs.filter(person=person, for_practice=False) if person else qs.none()
    return qs.filter(practice=practice, for_practice=True) if practice else qs.none()


def results_visible(*, consultation: Consultation, membership: Membership) -> bool:
    return is_officer(membership) or consultation.published_at is not None


def counts_overall(consultation: Consultation) -> dict[int, dict[str, int]]:
    """question pk -> value -> count, over every PCN: one query."""
    out: dict[int, dict[str, int]] = {}
    rows = (
        AnswerCount.objects.filter(question__consultation=consultation)
        .values_list("question_id", "value")
        .order_by()
    )
    from django.db.models import Sum

    for qid, value, n in rows.annotate(n=Sum("count")).values_list("question_id", "value", "n"):
        out.setdefault(qid, {})[value] = int(n or 0)
    return out


def pcn_page_counts(*, question: Question, pcn_ids: list[int | None]) -> dict[int | None, dict[str, int]]:
    """One question's counts for a page of PCNs: one query."""
    ids = [p for p in pcn_ids if p is not None]
    q = Q(pcn_id__in=ids) | (Q(pcn__isnull=True) if None in pcn_ids else Q(pk__in=[]))
    out: dict[int | None, dict[str, int]] = {}
    for pcn_id, value, n in AnswerCount.objects.filter(q, question=question).values_list(
        "pcn_id", "value", "count"
    ):
        out.setdefault(pcn_id, {})[value] = n
    return out


def responding_pcns(*, consultation: Consultation) -> QuerySet[Organisation]:
    """The PCNs with at least one current response, by name (to page through)."""
    answered = Response.objects.filter(consultation=consultation, is_current=True, pcn=OuterRef("pk"))
    return Organisation.objects.filter(Exists(answered)).order_by("name", "pk")


def response_sheet(*, consultation: Consultation) -> QuerySet[Response]:
    """Every current response, by practice: the officers' export (streams)."""
    return (
        Response.objects.filter(consultation=consultation, is_current=True)
        .select_related("practice", "pcn", "person")
        .order_by("practice__name", "person__full_name", "pk")
    )


def not_answered(*, consultation: Consultation) -> QuerySet[Organisation]:
    answered = Response.objects.filter(consultation=consultation, is_current=True).values("practice_id")
    return footprint_practices(group=consultation.group).exclude(pk__in=answered).order_by("name", "pk")


def open_for(
    *, group: LeadershipGroup, practices: list[Organisation]
) -> list[tuple[Consultation, list[tuple[Organisation, Any]]]]:
    """Open consultations (deadline not passed), each with the given practices and when each
    answered (None until it has): two queries, whatever the number of practices."""
    if not practices:
        return []
    from django.utils import timezone

    open_ones = list(
        Consultation.objects.filter(
            group=group, status=ConsultationStatus.OPEN, per_person=False, closes_at__gt=timezone.now()
        ).order_by("closes_at")[:20]
    )
    answered = {
        (c, p): at
        for c, p, at in Response.objects.filter(
            consultation__in=open_ones, is_current=True, for_practice=True, practice__in=practices
        ).values_list("consultation_id", "practice_id", "created_at")
    }
    return [(c, [(p, answered.get((c.pk, p.pk))) for p in practices]) for c in open_ones]


def practice_responses(*, group: LeadershipGroup, practice: Organisation) -> QuerySet[Response]:
    return (
        Response.objects.filter(
            consultation__group=group, practice=practice, is_current=True, for_practice=True
        )
        .select_related("consultation")
        .order_by("-created_at")
    )


# Bulletins ------------------------------------------------------------------------------------


def bulletins_for(*, membership: Membership) -> QuerySet[Bulletin]:
    qs = Bulletin.objects.filter(group=membership.group)
    if not is_officer(membership):
        qs = qs.exclude(status=BulletinStatus.DRAFT)
    return qs.order_by("-sent_at", "-pk")


def bulletin_for(*, membership: Membership, pk: object) -> Bulletin | None:
    found = _id(pk)
    return None if found is None else bulletins_for(membership=membership).filter(pk=found).first()


def preferences_of(person: Person) -> dict[str, str]:
    return dict(BulletinPreference.objects.filter(person=person).values_list("category", "frequency"))


def delivery_counts(bulletin: Bulletin) -> dict[str, int]:
    from django.db.models import Count

    return dict(
        BulletinDelivery.objects.filter(bulletin=bulletin)
        .values_list("state")
        .annotate(n=Count("pk"))
        .values_list("state", "n")
        .order_by()
    )


def delivery_by_address(*, bulletin: Bulletin, address: str) -> BulletinDelivery | None:
    return BulletinDelivery.objects.filter(bulletin=bulletin, address__iexact=address.strip()).first()


# The engagement view ----------------------------------------------------------------------------


def practice_figures(*, group: LeadershipGroup, year: int, thin: bool = False) -> QuerySet[Any]:
    from .figures import THIN_BELOW
    from .models import PracticeEngagement

    qs = PracticeEngagement.objects.filter(group=group, year=year).select_related("practice", "pcn")
    if thin:
        qs = qs.filter(asked__gt=0, share__lt=float(THIN_BELOW))
    return qs.order_by(models_nulls_last("share"), "practice__name", "pk")


def pcn_figures(*, group: LeadershipGroup, year: int) -> QuerySet[Any]:
    from .models import PcnEngagement

    return (
        PcnEngagement.objects.filter(group=group, year=year)
        .select_related("pcn")
        .order_by(models_nulls_last("share"), "pcn__name", "pk")
    )


def models_nulls_last(name: str) -> Any:
    from django.db.models import F

    return F(name).asc(nulls_last=True)


def figures_year(*, group: LeadershipGroup) -> list[int]:
    from .models import PracticeEngagement

    return sorted(
        # order_by() first: the model's ordering would put share and the practice's name into the
        # DISTINCT, making it one row per practice instead of one per year.
        PracticeEngagement.objects.filter(group=group).order_by().values_list("year", flat=True).distinct(),
        reverse=True,
    )[:10]
