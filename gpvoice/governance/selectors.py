"""Reads for governance, scoped to a group; each page's queries stay constant as data grows."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from gpvoice.core.models import LeadershipGroup
from gpvoice.directory.models import Appointment, Declaration, Organisation, Person
from gpvoice.directory.selectors import footprint_practices

from . import coverage as cov
from .eligibility import Eligibility, decide
from .models import (
    CategoryChange,
    DecisionCategory,
    DecisionStatus,
    ExecutiveDecision,
    GovernanceSettings,
    MandateAnswer,
    MandateRound,
    RollEntry,
    RollStatus,
    TermsOfReference,
)

DECLARATION_RENEWAL = timedelta(days=365)


def settings_for(*, group: LeadershipGroup) -> GovernanceSettings:
    """The group's settings, or the defaults *unsaved* when it has never changed them: a read never
    writes (only ``governance_settings_update`` creates the row)."""
    return GovernanceSettings.objects.filter(group=group).first() or GovernanceSettings(group=group)


def current_appointments_qs(on: date | None = None) -> QuerySet[Appointment]:
    on = on or timezone.localdate()
    return Appointment.objects.filter(start__lte=on).filter(Q(end__isnull=True) | Q(end__gte=on))


def eligibility_of(*, person: Person, group: LeadershipGroup) -> Eligibility:
    appointments = current_appointments_qs().filter(person=person).select_related("organisation")
    return decide(appointments, extra_roles=settings_for(group=group).extra_eligible_roles)


def declaration_due(declaration: Declaration, on: date | None = None) -> bool:
    return (on or timezone.localdate()) - declaration.declared_on > DECLARATION_RENEWAL


@dataclass
class RollRow:
    entry: RollEntry
    eligibility: Eligibility
    declarations: list[Declaration]

    @property
    def flagged(self) -> bool:
        """A core member whose appointments no longer make them eligible: shown, never removed."""
        return self.entry.status == "core" and not self.eligibility.may_be_core

    @property
    def declarations_due(self) -> bool:
        return not self.declarations or any(declaration_due(d) for d in self.declarations)


def roll_rows(*, group: LeadershipGroup) -> list[RollRow]:
    return list(iter_roll_rows(group=group))


def iter_roll_rows(*, group: LeadershipGroup, chunk_size: int | None = None) -> Iterator[RollRow]:
    """The roll with each person's eligibility and open declarations; with ``chunk_size``, read
    in chunks of that many entries (each with its prefetches), for exports of any length."""
    extra = settings_for(group=group).extra_eligible_roles
    entries = (
        current_roll(group=group)
        .select_related("person")
        .prefetch_related(
            Prefetch(
                "person__appointments",
                queryset=current_appointments_qs().select_related("organisation"),
                to_attr="current_appointments",
            ),
            Prefetch(
                "person__declarations",
                queryset=Declaration.objects.filter(
                    Q(end__isnull=True) | Q(end__gte=timezone.localdate())
                ).select_related("organisation"),
                to_attr="open_declarations",
            ),
        )
    )
    found = entries.iterator(chunk_size=chunk_size) if chunk_size else entries
    return (
        RollRow(e, decide(e.person.current_appointments, extra_roles=extra), e.person.open_declarations)  # type: ignore[attr-defined]
        for e in found
    )


def current_roll(*, group: LeadershipGroup) -> QuerySet[RollEntry]:
    """Entries not ended: who is on the roll, whatever their status."""
    return RollEntry.objects.filter(group=group, end__isnull=True)


def roll_entry(*, group: LeadershipGroup, pk: object) -> RollEntry | None:
    """One entry still on this group's roll, from a posted id (anything not a number finds none)."""
    if not (str(pk).isascii() and str(pk).isdigit()):  # "²" passes isdigit() but is no number
        return None
    return current_roll(group=group).filter(pk=int(str(pk))).select_related("person").first()


def people_on_roll(*, group: LeadershipGroup) -> QuerySet[Person]:
    return Person.objects.filter(pk__in=current_roll(group=group).values("person_id")).order_by("full_name")


def core_members(*, group: LeadershipGroup) -> QuerySet[RollEntry]:
    """The group's voting members today (a core-member ballot's electorate)."""
    today = timezone.localdate()
    return current_roll(group=group).filter(status=RollStatus.CORE, start__lte=today).select_related("person")


def people_not_on_roll(*, group: LeadershipGroup) -> QuerySet[Person]:
    on_roll = current_roll(group=group).values("person_id")
    return Person.objects.exclude(pk__in=on_roll).order_by("full_name")


# Mandate -------------------------------------------------------------------------------------


def terms_list(*, group: LeadershipGroup) -> QuerySet[TermsOfReference]:
    return TermsOfReference.objects.filter(group=group)


def current_round(*, group: LeadershipGroup) -> MandateRound | None:
    return MandateRound.objects.filter(group=group).select_related("terms").first()


def round_for(*, group: LeadershipGroup, pk: int) -> MandateRound | None:
    return MandateRound.objects.filter(group=group, pk=pk).select_related("terms").first()


def current_answers(*, round: MandateRound) -> dict[int, MandateAnswer]:
    rows = MandateAnswer.objects.filter(round=round, is_current=True).select_related("answered_by")
    return {a.practice_id: a for a in rows}


def round_coverage(*, round: MandateRound) -> cov.Coverage:
    answers = current_answers(round=round)
    practices = footprint_practices(group=round.group).select_related("pcn").order_by("name")
    return cov.compute(
        cov.PracticeAnswer(
            code=p.ods_code,
            name=p.name,
            pcn=p.pcn.name if p.pcn else "No PCN",
            patients=p.list_size or 0,
            answer=answers[p.pk].answer if p.pk in answers else "none",
        )
        for p in practices
    )


@dataclass(frozen=True)
class MandateStatus:
    round: MandateRound | None
    coverage: cov.Coverage | None
    settings: GovernanceSettings
    with_mandate: bool
    expired: bool

    def as_json(self) -> dict[str, Any]:
        s, c = self.settings, self.coverage
        data: dict[str, Any] = {
            "with_mandate": self.with_mandate,
            "expired": self.expired,
            "threshold": {
                "practices_more_than": str(s.practices_threshold),
                "patients_more_than": str(s.patients_threshold),
            },
        }
        if self.round and c:
            data["round"] = {
                "terms": str(self.round.terms),
                "closes_at": self.round.closes_at.isoformat(),
                "expires_on": self.round.expires_on.isoformat(),
            }
            data["counts"] = {"practices": c.overall.practices, "patients": c.overall.patients}
            data["shares"] = {
                by: {a: str(c.overall.share(a, by=by)) for a in cov.ANSWERS}
                for by in ("practices", "patients")
            }
            data["totals"] = {"practices": c.overall.total_practices, "patients": c.overall.total_patients}
        return data


def mandate_status(*, group: LeadershipGroup) -> MandateStatus:
    settings = settings_for(group=group)
    round = current_round(group=group)
    if round is None:
        return MandateStatus(None, None, settings, False, False)
    coverage = round_coverage(round=round)
    expired = round.has_expired()
    meets = coverage.meets(practices=settings.practices_threshold, patients=settings.patients_threshold)
    return MandateStatus(round, coverage, settings, meets and not expired, expired)


def signatory_practices(*, user: Any) -> QuerySet[Organisation]:
    """The practices this user may answer for: their person's current signatory appointments."""
    ids = current_appointments_qs().filter(person__user=user, is_signatory=True).values("organisation_id")
    return Organisation.objects.filter(pk__in=ids)


def answer_sheet(*, round: MandateRound) -> QuerySet[Organisation]:
    """Every footprint practice with its current answer to ``round`` (if any), who gave it and
    when, in one query that streams: the mandate page's list as rows for an export."""
    current = MandateAnswer.objects.filter(round=round, practice=OuterRef("pk"), is_current=True)
    return (
        footprint_practices(group=round.group)
        .select_related("pcn")
        .annotate(
            answer=Subquery(current.values("answer")[:1]),
            answered_by_name=Subquery(current.values("answered_by__full_name")[:1]),
            answered_at=Subquery(current.values("created_at")[:1]),
        )
        .order_by("name", "pk")
    )


def answer_history(*, round: MandateRound, practice: Organisation) -> QuerySet[MandateAnswer]:
    return MandateAnswer.objects.filter(round=round, practice=practice).select_related(
        "answered_by", "created_by"
    )


# Delegation ----------------------------------------------------------------------------------


def categories(*, group: LeadershipGroup) -> QuerySet[DecisionCategory]:
    return DecisionCategory.objects.filter(group=group)


def category_in(*, group: LeadershipGroup, pk: object) -> DecisionCategory | None:
    """One line of this group's scheme; another group's id, or none, is None (a 404)."""
    if not (isinstance(pk, int) or (isinstance(pk, str) and pk.isascii() and pk.isdigit())):
        return None
    return categories(group=group).filter(pk=pk).first()


def category_history(*, category: DecisionCategory) -> QuerySet[CategoryChange]:
    return CategoryChange.objects.filter(category=category).select_related("changed_by")


def overdue_categories(*, group: LeadershipGroup) -> list[DecisionCategory]:
    return list(categories(group=group).filter(review_date__lt=timezone.localdate()))


def decisions(*, group: LeadershipGroup) -> QuerySet[ExecutiveDecision]:
    return ExecutiveDecision.objects.filter(group=group).select_related("category", "decided_by")


def decisions_for_noting(*, group: LeadershipGroup) -> QuerySet[ExecutiveDecision]:
    """Executive decisions the group has not yet noted: the feedback loop for the next agenda."""
    return (
        decisions(group=group)
        .filter(status=DecisionStatus.TAKEN, noted_at__isnull=True)
        .order_by("decided_at")
    )
