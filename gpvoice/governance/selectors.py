"""Reads for governance, scoped to a group; each page's queries stay constant as data grows."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.paginator import Page
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from gpvoice.core.models import LeadershipGroup, Membership, Role
from gpvoice.core.pagination import CountedPaginator
from gpvoice.directory.models import Appointment, Declaration, Organisation, OrgStatus, OrgType, Person
from gpvoice.directory.selectors import footprint_holds, footprint_practices

from . import aggregates
from . import coverage as cov
from .eligibility import ACTS_FOR_PRACTICES, SYSTEM_ROLES, Eligibility, decide
from .models import (
    COVERAGE_STATES,
    CategoryChange,
    DecisionCategory,
    DecisionStatus,
    ExecutiveDecision,
    GovernanceSettings,
    MandateAnswer,
    MandateRound,
    RollEntry,
    RollStatus,
    RoundCoverage,
    RoundPcnCoverage,
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
    def signs_for(self) -> list[str]:
        """The organisations this person may act for (from the appointments already loaded)."""
        appointments = getattr(self.entry.person, "current_appointments", [])
        return sorted({a.organisation.name for a in appointments if a.is_signatory})

    @property
    def declarations_due(self) -> bool:
        return not self.declarations or any(declaration_due(d) for d in self.declarations)


def roll_entries(*, group: LeadershipGroup) -> QuerySet[RollEntry]:
    """Who is on the roll, by status then name, with what a row of the roll shows (a page of it
    is three queries, however long the roll)."""
    return (
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
        .order_by("status", "person__full_name", "pk")
    )


def roll_rows(*, group: LeadershipGroup, entries: Iterable[RollEntry] | None = None) -> list[RollRow]:
    """Rows of the roll: all of it, or the given ``entries`` (a page of ``roll_entries``)."""
    return list(iter_roll_rows(group=group, entries=entries))


def iter_roll_rows(
    *, group: LeadershipGroup, entries: Iterable[RollEntry] | None = None, chunk_size: int | None = None
) -> Iterator[RollRow]:
    """The roll with each person's eligibility and open declarations; with ``chunk_size``, the whole
    roll read in chunks of that many entries (each with its prefetches), for exports of any length."""
    extra = settings_for(group=group).extra_eligible_roles
    if entries is None:
        everyone = roll_entries(group=group)
        entries = everyone.iterator(chunk_size=chunk_size) if chunk_size else everyone
    return (
        RollRow(e, decide(e.person.current_appointments, extra_roles=extra), e.person.open_declarations)  # type: ignore[attr-defined]
        for e in entries
    )


def flagged_core_count(*, group: LeadershipGroup) -> int:
    """How many core members no longer qualify (``RollRow.flagged``), counted by the database so
    the roll's warning covers every page: the rule of ``eligibility.decide`` in SQL (a current
    system role conflicts; otherwise a current appointment acting for practices qualifies).
    tests/test_eligibility.py holds the two to the same answer."""
    qualifying = ACTS_FOR_PRACTICES | set(settings_for(group=group).extra_eligible_roles)
    current = current_appointments_qs().filter(person=OuterRef("person_id"))
    return (
        current_roll(group=group)
        .filter(status=RollStatus.CORE)
        .filter(Exists(current.filter(role__in=SYSTEM_ROLES)) | ~Exists(current.filter(role__in=qualifying)))
        .count()
    )


def roll_accounts(*, group: LeadershipGroup, rows: list[RollRow]) -> dict[int, str]:
    """For each person on the roll with an account in this group, that account's role (one query).

    The roll (who is a core member, attendee or observer under the terms of reference: who votes
    in ballots of the core members) and the group's accounts (who signs in, and what they may do
    here) are different records; the roll page shows both side by side so neither is mistaken for
    the other."""
    users = {row.entry.person.user_id: row.entry.person_id for row in rows if row.entry.person.user_id}
    found = Membership.objects.filter(group=group, user_id__in=users).values_list("user_id", "role")
    return {users[user_id]: Role(role).label for user_id, role in found}


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
    """The latest round, with its terms and its stored overall coverage (one query)."""
    round = MandateRound.objects.filter(group=group).select_related("terms", "coverage").first()
    if round is not None:
        round.group = group  # the group asked about: ``round.group`` does not read its row again
    return round


def round_for(*, group: LeadershipGroup, pk: int) -> MandateRound | None:
    return MandateRound.objects.filter(group=group, pk=pk).select_related("terms").first()


def current_answers(*, round: MandateRound, practices: Any = None) -> dict[int, MandateAnswer]:
    """Current answers by practice id; ``practices`` (ids or a queryset of them) narrows them."""
    rows = MandateAnswer.objects.filter(round=round, is_current=True).select_related("answered_by")
    if practices is not None:
        rows = rows.filter(practice_id__in=practices)
    return {a.practice_id: a for a in rows}


def _overall(round: MandateRound) -> cov.Tally:
    """The round's stored overall coverage (loaded with the round by ``current_round``)."""
    try:
        stored = round.coverage
    except RoundCoverage.DoesNotExist:
        return cov.Tally()  # not counted yet: `gpvoice recount` counts it
    practices, patients = stored.counts()
    return cov.Tally(practices, patients)


def round_coverage(*, round: MandateRound) -> cov.Coverage:
    """The stored coverage, overall and by PCN (for checks and exports: pages take PCN rows a
    page at a time from ``pcn_coverage_rows``, see ``mandate_tables``)."""
    overall = RoundCoverage.objects.filter(round=round).first()
    counts = aggregates.stored_counts(round)
    return aggregates.as_coverage(counts, overall.counts() if overall else aggregates.empty_counts())


def recounted_coverage(*, round: MandateRound) -> cov.Coverage:
    """A full recount from the rows, ignoring what is stored (verification and restores)."""
    return aggregates.as_coverage(aggregates.count_rows(round))


PCN_PAGE = 50
NOT_ANSWERED_PAGE = 50


def pcn_coverage_rows(*, round: MandateRound | None) -> QuerySet[RoundPcnCoverage]:
    """The stored per-PCN coverage, by PCN name ("No PCN" last); none without a round."""
    if round is None:
        return RoundPcnCoverage.objects.none()
    counts = [f"{a}_{by}" for a in COVERAGE_STATES for by in ("practices", "patients")]
    return (
        RoundPcnCoverage.objects.filter(round=round)
        .select_related("pcn")
        .only("round_id", *counts, "pcn__org_type", "pcn__ods_code", "pcn__name")
        .order_by(F("pcn__name").asc(nulls_last=True), "pcn_id")
    )


def not_answered_page(*, round: MandateRound, number: str | int | None, count: int | None = None) -> Page:
    """One page of the footprint's practices with no current answer, by name (each shown with its
    PCN; the table above it is by PCN). The count is the stored "not answered" figure: pass it when
    already read (``mandate_status``) and the page costs one query.

    By name, the database reads the practices in the (type, name) index's order and stops at the
    page; by PCN name, it had to find and sort every practice not yet answered (20 ms for a
    national footprint). Each is checked with NOT EXISTS against its own current answer."""
    if count is None:
        stored = RoundCoverage.objects.filter(round=round).first()
        count = stored.none_practices if stored else 0
    answered = MandateAnswer.objects.filter(round=round, practice=OuterRef("pk"), is_current=True)
    rows = (
        Organisation.objects.filter(org_type=OrgType.PRACTICE, status=OrgStatus.ACTIVE)
        .filter(footprint_holds(group=round.group))
        .exclude(Exists(answered))
        .select_related("pcn")
        .only("org_type", "ods_code", "name", "status", "pcn__org_type", "pcn__ods_code", "pcn__name")
        .order_by("name", "ods_code")
    )
    return CountedPaginator(rows, NOT_ANSWERED_PAGE, count).get_page(number)


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


_UNREAD: Any = object()


def mandate_status(*, group: LeadershipGroup, round: MandateRound | None = _UNREAD) -> MandateStatus:
    """The current round and its stored overall coverage, judged by the group's threshold: two
    queries whatever the footprint's size (one when the caller has read ``current_round``
    already and passes it). ``coverage.by_pcn`` is left empty (see ``pcn_coverage_rows``)."""
    settings = settings_for(group=group)
    if round is _UNREAD:
        round = current_round(group=group)
    if round is None:
        return MandateStatus(None, None, settings, False, False)
    coverage = cov.Coverage(_overall(round))
    expired = round.has_expired()
    meets = coverage.meets(practices=settings.practices_threshold, patients=settings.patients_threshold)
    return MandateStatus(round, coverage, settings, meets and not expired, expired)


def signatory_practices(*, user: Any) -> QuerySet[Organisation]:
    """The practices this user may answer for: their person's current signatory appointments."""
    ids = current_appointments_qs().filter(person__user=user, is_signatory=True).values("organisation_id")
    return Organisation.objects.filter(pk__in=ids)


def signed_practice(*, among: Collection[int], code: str) -> Organisation | None:
    """The practice with ODS code ``code`` among ``among`` (the ids a user signs for, from
    ``directory.me``): what an answer is posted for. Whether the group's footprint holds it is the
    service's to check."""
    if not among:
        return None
    return Organisation.objects.filter(pk__in=list(among), org_type=OrgType.PRACTICE, ods_code=code).first()


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


# What a person has to do (the home page's to-do list) -------------------------------------------


def my_practices_in(
    *,
    group: LeadershipGroup,
    user: Any,
    round: MandateRound | None = None,
    among: Collection[int] | None = None,
) -> list[Organisation]:
    """The group's footprint practices this user signs for, by name. With ``round``, each carries
    ``current_answer`` and ``answered_at`` (None until the practice has answered). One query.
    ``among``: the ids the user signs for, when the caller has read them (``directory.me``)."""
    if not getattr(user, "is_authenticated", False):
        return []
    if among is None:
        mine = signatory_practices(user=user)
    else:
        mine = Organisation.objects.filter(pk__in=list(among))
    qs = mine.filter(pk__in=footprint_practices(group=group).values("pk"))
    if round is not None:
        answer = MandateAnswer.objects.filter(round=round, practice=OuterRef("pk"), is_current=True)
        qs = qs.annotate(
            current_answer=Subquery(answer.values("answer")[:1]),
            answered_at=Subquery(answer.values("created_at")[:1]),
        )
    return list(qs.order_by("name"))


def my_roll_declarations(*, group: LeadershipGroup, user: Any) -> tuple[RollEntry, list[Declaration]] | None:
    """The user's entry on the group's roll and their open declarations; None when not on it."""
    if not getattr(user, "is_authenticated", False):
        return None
    entry = current_roll(group=group).filter(person__user=user).select_related("person").first()
    if entry is None:
        return None
    today = timezone.localdate()
    open_ones = Declaration.objects.filter(person_id=entry.person_id).filter(
        Q(end__isnull=True) | Q(end__gte=today)
    )
    return entry, list(open_ones.order_by("declared_on"))


def decisions_waiting(*, group: LeadershipGroup) -> tuple[int, int]:
    """How many decisions wait for the group to note them, and how many the executive referred to
    it (``decisions_for_noting``, ``decisions_referred``), counted in one query."""
    counts = ExecutiveDecision.objects.filter(group=group).aggregate(
        waiting=Count("pk", filter=Q(status=DecisionStatus.TAKEN, noted_at__isnull=True)),
        referred=Count("pk", filter=Q(status=DecisionStatus.REFERRED)),
    )
    return counts["waiting"], counts["referred"]


def decisions_referred(*, group: LeadershipGroup) -> QuerySet[ExecutiveDecision]:
    """What the executive referred to the group because it was outside its powers."""
    return decisions(group=group).filter(status=DecisionStatus.REFERRED)
