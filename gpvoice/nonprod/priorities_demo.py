"""Demo priority setting: a finished round (nominated, merged, scored by the practices, adopted,
in delivery with updates) and the next round open for nominations.

Everything goes through the priority and ballot services, as a real round would; only then are
the round's dates moved into the past, which only demo data may do. The scoring ballot is the
round's own (made when it moved to scoring), so it is run here step by step rather than with
``ballots_demo.run_to_close``, which would make a second, unlinked ballot.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from gpvoice.accounts.models import User
from gpvoice.ballots import services as ballots
from gpvoice.ballots.models import Ballot
from gpvoice.core.models import LeadershipGroup, Role
from gpvoice.directory.models import Appointment, Organisation, Person, RoleType
from gpvoice.priorities import selectors, services
from gpvoice.priorities.models import (
    AdoptedPriority,
    Candidate,
    DeliveryUpdate,
    Nomination,
    Phase,
    PhaseChange,
    PriorityRound,
)

from .ballots_demo import resolve, signatories
from .governance_demo import _user_for

NURSES, PREMISES, SAME_DAY = (
    "Practice nurse workforce",
    "Premises for the additional roles",
    "Same-day access",
)
INTERFACE, DIGITAL, WELLBEING = "Working with the hospitals", "Digital access for patients", "Staff wellbeing"

# (proposer, title, rationale): proposers are "practice:N" (the signatory of the Nth practice,
# for that practice), "pcn:N" (the Nth PCN's clinical director, for the PCN) or a demo login.
NOMINATIONS = [
    (
        "practice:0",
        "Recruiting and keeping practice nurses",
        "Two of our three nurses retire within two years.",
    ),
    ("practice:3", "Practice nurse workforce", "We cannot offer long-term condition reviews without nurses."),
    (
        "practice:5",
        "Room for the additional roles",
        "Our pharmacist and physio share one room on alternate days.",
    ),
    ("practice:8", "Premises", "The PCN's new staff have nowhere to see patients."),
    ("practice:11", "Same-day access hubs", "A shared hub would take the 8am pressure off small practices."),
    ("pcn:1", "Same-day urgent care across the PCN", "Patients would be seen the same day in any practice."),
    ("pcn:0", "The interface with secondary care", "Hospital work keeps arriving in general practice."),
    (
        "core",
        "Discharge letters and hospital referrals",
        "Letters ask practices to do the hospital's follow-up.",
    ),
    (
        "practice:14",
        "Digital telephony and online consultation",
        "Patients want to reach us without queuing.",
    ),
    ("executive", "Online access for patients", "Many practices are still on analogue phone lines."),
    ("attendee", "Staff wellbeing", "Burnout is the first reason staff give for leaving."),
]
# Consolidation: each option and the nominations merged into it (by title).
OPTIONS = [
    (NURSES, "Recruit, train and keep practice nurses.", NOMINATIONS[0:2]),
    (PREMISES, "Clinical rooms for the staff PCNs now employ.", NOMINATIONS[2:4]),
    (SAME_DAY, "Same-day care without the 8am rush.", NOMINATIONS[4:6]),
    (INTERFACE, "Stop hospital work landing in practices.", NOMINATIONS[6:8]),
    (DIGITAL, "Modern telephony and online consultation.", NOMINATIONS[8:10]),
    (WELLBEING, "", NOMINATIONS[10:11]),
]
# How 16 practices share their 100 points, and one abstention: premises scores high with few
# practices behind it; same-day access scores less with many, which breadth of support shows.
SCORES: list[dict[str, int] | None] = [
    {NURSES: 40, SAME_DAY: 20, INTERFACE: 20, DIGITAL: 20},
    {NURSES: 50, SAME_DAY: 30, WELLBEING: 20},
    {PREMISES: 80, SAME_DAY: 20},
    {NURSES: 30, SAME_DAY: 30, INTERFACE: 40},
    {PREMISES: 90, NURSES: 10},
    {NURSES: 60, DIGITAL: 40},
    {SAME_DAY: 25, INTERFACE: 25, DIGITAL: 25, WELLBEING: 25},
    {PREMISES: 70, SAME_DAY: 30},
    {NURSES: 40, SAME_DAY: 20, INTERFACE: 40},
    {NURSES: 100},
    {PREMISES: 60, NURSES: 20, SAME_DAY: 20},
    {SAME_DAY: 50, DIGITAL: 50},
    {NURSES: 30, INTERFACE: 30, SAME_DAY: 40},
    {PREMISES: 100},
    {NURSES: 50, WELLBEING: 50},
    {SAME_DAY: 30, NURSES: 30, DIGITAL: 40},
    None,
]
UPDATES = {
    NURSES: [
        (
            "on_track",
            20,
            "Four practices have joined the shared nurse training scheme; the first cohort starts soon.",
        ),
        ("at_risk", 6, "Funding for the training places beyond March is not yet agreed with the ICB."),
    ],
    PREMISES: [
        ("on_track", 18, "A survey of clinical rooms has gone to every practice; 14 have replied."),
        (
            "on_track",
            4,
            "The ICB estates team has agreed to review the three PCNs with the least space first.",
        ),
    ],
    SAME_DAY: [
        ("paused", 15, "Paused until the winter access money is announced."),
        ("on_track", 3, "The money is confirmed: a hub pilot will run in the North PCN from next month."),
    ],
}
LEAD_ROLES = [RoleType.PCN_CLINICAL_DIRECTOR, RoleType.LMC_CHAIR, RoleType.FEDERATION_LEAD]
# Days ago that the finished round entered each phase.
STARTED = {
    Phase.NOMINATIONS: 80,
    Phase.CONSOLIDATION: 58,
    Phase.SCORING: 52,
    Phase.ADOPTION: 33,
    Phase.DELIVERY: 31,
}


@transaction.atomic
def load_priorities(group: LeadershipGroup) -> None:
    if PriorityRound.objects.filter(group=group).exists():
        return
    admin = User.objects.get(email=f"admin@{group.slug}.example.nhs.uk")
    executive = User.objects.get(email=f"executive@{group.slug}.example.nhs.uk")
    voters = signatories(group)
    proposers = _proposers(group, voters)
    round = services.round_create(
        group=group,
        title="Local priorities 2026/27",
        description="What should the group ask of the ICB this year? Each practice scores the options.",
        actor=admin,
    )
    for proposer, title, rationale in NOMINATIONS:
        user, organisation = proposers[proposer]
        services.nomination_make(
            round=round, title=title, rationale=rationale, actor=user, on_behalf_of=organisation
        )
    round = services.round_advance(round=round, to_phase=Phase.CONSOLIDATION, actor=executive)
    for title, description, merged in OPTIONS:
        services.nominations_merge(
            round=round,
            nominations=list(round.nominations.filter(title__in=[t for _, t, _ in merged])),
            title=title,
            description=description,
            actor=executive,
        )
    round = _score(round, voters, executive)
    round = services.round_advance(round=round, to_phase=Phase.ADOPTION, actor=executive)
    _adopt(round, group, admin)
    round = services.round_advance(round=round, to_phase=Phase.DELIVERY, actor=executive)
    _updates(round, executive)
    _backdate(round)
    _next_round(group, admin, proposers)


def _proposers(
    group: LeadershipGroup, voters: list[tuple[Organisation, User]]
) -> dict[str, tuple[User, Organisation | None]]:
    found: dict[str, tuple[User, Organisation | None]] = {
        f"practice:{i}": (user, practice) for i, (practice, user) in enumerate(voters)
    }
    pcns = sorted({p.pcn_id for p, _ in voters if p.pcn_id})
    directors = (
        Appointment.objects.filter(role=RoleType.PCN_CLINICAL_DIRECTOR, organisation_id__in=pcns)
        .select_related("person", "organisation")
        .order_by("organisation__ods_code")
    )
    for i, appointment in enumerate(directors):
        user = _user_for(appointment.person, group, Role.CORE)
        found[f"pcn:{i}"] = (user, appointment.organisation)
    for login in ("core", "executive", "attendee"):
        found[login] = (User.objects.get(email=f"{login}@{group.slug}.example.nhs.uk"), None)
    return found


def _score(round: PriorityRound, voters: list[tuple[Organisation, User]], actor: User) -> PriorityRound:
    """Open the round's ballot now, cast through the ballot service, close it on the clock."""
    now = timezone.now()
    round = services.round_advance(
        round=round,
        to_phase=Phase.SCORING,
        actor=actor,
        opens_at=now - timedelta(minutes=1),
        closes_at=now + timedelta(hours=1),
    )
    ballot = round.scoring_ballot
    if ballot is None:
        raise RuntimeError("The demo round has no scoring ballot.")
    for (practice, user), points in zip(voters, SCORES, strict=False):
        content: dict[str, Any] = {"points": points} if points else {"abstain": True}
        ballots.ballot_cast(ballot=ballot, user=user, content=resolve(ballot, content), practice=practice)
    ballot = ballots.advance(ballot=ballot, now=ballot.closes_at)
    if ballot.status != "published" or not (ballot.opened_at and ballot.closed_at and ballot.closes_at):
        raise RuntimeError("The demo scoring ballot did not run to close.")
    opened, closed = _ago(STARTED[Phase.SCORING] - 1), _ago(STARTED[Phase.ADOPTION] + 1)
    Ballot.objects.filter(pk=ballot.pk).update(
        created_at=_ago(STARTED[Phase.SCORING]),
        opens_at=opened,
        opened_at=opened,
        closes_at=closed,
        closed_at=closed,
        published_at=closed,
    )
    round.refresh_from_db()
    return round


def _adopt(round: PriorityRound, group: LeadershipGroup, actor: User) -> None:
    # Leads who can sign in to this group, so that they post their own updates.
    leads = list(
        selectors.possible_leads(group=group)
        .filter(user__memberships__group=group, appointments__role__in=LEAD_ROLES)
        .distinct()[:3]
    ) or list(Person.objects.filter(user__memberships__group=group).distinct()[:3])
    ranked = sorted(selectors.ranks(round=round).items(), key=lambda item: item[1])
    today = timezone.localdate()
    for i, (title, _rank) in enumerate(ranked[: round.adopt_up_to]):
        services.priority_adopt(
            round=round,
            candidate=Candidate.objects.get(round=round, title=title),
            lead=leads[i % len(leads)],
            review_date=today + timedelta(days=120 + 60 * i),
            actor=actor,
        )


def _updates(round: PriorityRound, executive: User) -> None:
    for priority in AdoptedPriority.objects.filter(round=round).select_related("lead__user"):
        author = priority.lead.user or executive
        for status, days_ago, text in UPDATES.get(priority.title, []):
            update = services.delivery_update_post(priority=priority, status=status, text=text, actor=author)
            DeliveryUpdate.objects.filter(pk=update.pk).update(created_at=_ago(days_ago))


def _backdate(round: PriorityRound) -> None:
    """Date the finished round's history as if it had run over the last three months."""
    PriorityRound.objects.filter(pk=round.pk).update(created_at=_ago(STARTED[Phase.NOMINATIONS]))
    for phase, days in STARTED.items():
        PhaseChange.objects.filter(round=round, phase=phase).update(created_at=_ago(days))
    for i, nomination in enumerate(Nomination.objects.filter(round=round).order_by("pk")):
        Nomination.objects.filter(pk=nomination.pk).update(
            created_at=_ago(STARTED[Phase.NOMINATIONS] - 2 - i)
        )
    Candidate.objects.filter(round=round).update(created_at=_ago(STARTED[Phase.CONSOLIDATION] - 1))
    AdoptedPriority.objects.filter(round=round).update(adopted_at=_ago(STARTED[Phase.ADOPTION] - 1))


def _next_round(
    group: LeadershipGroup, admin: User, proposers: dict[str, tuple[User, Organisation | None]]
) -> None:
    round = services.round_create(
        group=group,
        title="Local priorities 2027/28",
        description="Nominations are open: propose what the group should push for next year.",
        method="schulze",
        actor=admin,
    )
    for proposer, title, rationale in [
        ("practice:2", "Retaining GP partners", "Three partners in the PCN plan to retire early."),
        ("pcn:2", "Community mental health support", "Waits for talking therapies have doubled."),
        ("core", "Workload: a safe number of contacts a day", "Safe working levels protect patients too."),
    ]:
        if proposer in proposers:
            user, organisation = proposers[proposer]
            services.nomination_make(
                round=round, title=title, rationale=rationale, actor=user, on_behalf_of=organisation
            )


def _ago(days: int) -> Any:
    return timezone.now() - timedelta(days=days)
