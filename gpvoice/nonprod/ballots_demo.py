"""Demo ballots: one of each method, one open now, one secret, and a show of hands.

Finished ballots are run for real (opened, cast through the service, closed by the clock) and
only then have their dates moved into the past, which only demo data may do.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from gpvoice.accounts.models import User
from gpvoice.ballots import services
from gpvoice.ballots.models import Ballot
from gpvoice.core.models import LeadershipGroup
from gpvoice.directory.models import Appointment, Organisation

Cast = tuple[Any, dict[str, Any], Organisation | None]


def run_to_close(
    *, group: LeadershipGroup, draft: services.Draft, casts: Iterable[Cast], actor: Any, days_ago: int
) -> Ballot:
    """Open a ballot now, cast the given votes, close it on the clock, then date it ``days_ago``."""
    now = timezone.now()
    draft = replace(
        draft, opens_at=now - timedelta(minutes=1), closes_at=now + timedelta(hours=1), reminders=()
    )
    ballot = services.ballot_create(group=group, draft=draft, actor=actor)
    ballot = services.advance(ballot=services.ballot_schedule(ballot=ballot, actor=actor))
    for user, content, practice in casts:
        services.ballot_cast(ballot=ballot, user=user, content=resolve(ballot, content), practice=practice)
    ballot = services.advance(ballot=ballot, now=ballot.closes_at)
    shift = timedelta(days=days_ago)
    if not (ballot.opens_at and ballot.opened_at and ballot.closes_at and ballot.closed_at):
        raise RuntimeError(f"Demo ballot {ballot.title!r} did not run to close.")
    Ballot.objects.filter(pk=ballot.pk).update(
        opens_at=ballot.opens_at - shift - timedelta(days=14),
        opened_at=ballot.opened_at - shift - timedelta(days=14),
        closes_at=ballot.closes_at - shift,
        closed_at=ballot.closed_at - shift,
        published_at=ballot.published_at - shift if ballot.published_at else None,
        created_at=now - shift - timedelta(days=20),
    )
    ballot.refresh_from_db()
    return ballot


def resolve(ballot: Ballot, content: dict[str, Any]) -> dict[str, Any]:
    """Demo casts name options by label; the service takes option ids."""
    ids = {o.label: str(o.pk) for o in ballot.options.all()}
    if "choice" in content:
        return {"choice": ids[content["choice"]]}
    if "approved" in content:
        return {"approved": [ids[label] for label in content["approved"]]}
    if "ranking" in content:
        return {"ranking": [ids[label] for label in content["ranking"]]}
    if "points" in content:
        return {"points": {ids[label]: n for label, n in content["points"].items()}}
    return content


def signatories(group: LeadershipGroup) -> list[tuple[Organisation, User]]:
    """Each footprint practice with a login that signs for it (demo signatories get logins)."""
    from gpvoice.directory.selectors import footprint_practices

    from .governance_demo import _user_for

    practices = list(footprint_practices(group=group).order_by("ods_code"))
    by_practice = {
        a.organisation_id: a.person
        for a in Appointment.objects.filter(organisation__in=practices, is_signatory=True)
        .select_related("person")
        .order_by("pk")
    }
    from gpvoice.core.models import Role

    return [
        (p, _user_for(by_practice[p.pk], group, Role.PRACTICE_STAFF))
        for p in practices
        if p.pk in by_practice
    ]


@transaction.atomic
def load_ballots(group: LeadershipGroup) -> None:
    if Ballot.objects.filter(group=group).exists():
        return
    admin = User.objects.get(email=f"admin@{group.slug}.example.nhs.uk")
    voters = signatories(group)
    base = services.Draft(title="", question="", method="yes_no", electorate="practices")

    yes_no = replace(
        base,
        title="Accept the enhanced access specification",
        question="Should the group accept the ICB's revised enhanced access specification for 2027/28?",
        weighting="double",
        quorum_practices_percent=50,
    )
    answers = ["Yes"] * 9 + ["No"] * 5 + [None]
    run_to_close(
        group=group,
        draft=yes_no,
        casts=[
            (user, {"choice": a} if a else {"abstain": True}, practice)
            for (practice, user), a in zip(voters, answers, strict=False)
        ],
        actor=admin,
        days_ago=40,
    )
    venues = ["Town hall", "Medical school", "Online only"]
    run_to_close(
        group=group,
        draft=replace(
            base,
            title="Venue for the annual practices' meeting",
            question="Where should the annual meeting of practices be held?",
            method="single",
            options=venues,
        ),
        casts=[
            (u, {"choice": c}, p)
            for (p, u), c in zip(voters, [venues[0]] * 7 + [venues[1]] * 4 + [venues[2]] * 2, strict=False)
        ],
        actor=admin,
        days_ago=30,
    )
    topics = ["Workforce", "Estates", "Digital", "Same-day access", "Prescribing"]
    run_to_close(
        group=group,
        draft=replace(
            base,
            title="Topics for the spring learning events",
            question="Which topics would your practice send staff to? Choose any number.",
            method="approval",
            options=topics,
        ),
        casts=[
            (u, {"approved": [topics[i % 5], topics[(i + 2) % 5]]}, p) for i, (p, u) in enumerate(voters[:14])
        ],
        actor=admin,
        days_ago=25,
    )
    leads = ["Dr Amara Okafor", "Dr Ben Walsh", "Dr Chen Li"]
    orders = [(0, 1, 2), (1, 0, 2), (2, 0, 1), (0, 2, 1), (1, 2, 0)]
    for method, title in (("schulze", "Chair of the group"), ("irv", "Urgent care board representative")):
        run_to_close(
            group=group,
            draft=replace(
                base,
                title=title,
                question=f"Rank the candidates for {title.lower()} in order of preference.",
                method=method,
                electorate="practices",
                weighting="list_size" if method == "irv" else "equal",
                options=leads,
            ),
            casts=[
                (u, {"ranking": [leads[k] for k in orders[i % 5]][: 2 + i % 2]}, p)
                for i, (p, u) in enumerate(voters)
            ],
            actor=admin,
            days_ago=20 if method == "schulze" else 15,
        )
    bids = ["Care navigation training", "Locum bank", "Shared HR advice"]
    run_to_close(
        group=group,
        draft=replace(
            base,
            title="Use of the transformation fund",
            question="Share 100 points between the bids for the group's transformation fund.",
            method="points",
            options=bids,
            points_allowance=100,
        ),
        casts=[
            (u, {"points": {bids[0]: 50 - i, bids[1]: 30, bids[2]: 20 + i}}, p)
            for i, (p, u) in enumerate(voters[:12])
        ],
        actor=admin,
        days_ago=10,
    )
    secret = run_to_close(
        group=group,
        draft=replace(
            base,
            title="Collective action: decline the new reporting requirement",
            question="Should practices jointly decline to submit the new weekly activity report?",
            is_secret=True,
            weighting="list_size",
        ),
        casts=[(u, {"choice": "Yes" if i % 3 else "No"}, p) for i, (p, u) in enumerate(voters[:16])],
        actor=admin,
        days_ago=5,
    )
    del secret
    now = timezone.now()
    open_draft = replace(
        base,
        title="Support the LMC's response on the community pharmacy pilot",
        question="Should the group support the LMC's draft response to the community pharmacy pilot?",
        opens_at=now - timedelta(days=2),
        closes_at=now + timedelta(days=12),
        reminders=(now + timedelta(days=10),),
    )
    ballot = services.ballot_create(group=group, draft=open_draft, actor=admin)
    ballot = services.advance(ballot=services.ballot_schedule(ballot=ballot, actor=admin))
    for (practice, user), answer in zip(voters[1:7], ["Yes", "Yes", "No", "Yes", "Yes", "No"], strict=False):
        services.ballot_cast(
            ballot=ballot, user=user, content=resolve(ballot, {"choice": answer}), practice=practice
        )
    _show_of_hands(group, admin)


def _show_of_hands(group: LeadershipGroup, admin: User) -> None:
    from gpvoice.governance.models import RollEntry

    present = [
        e.person for e in RollEntry.objects.filter(group=group, end__isnull=True).select_related("person")
    ]
    if len(present) < 3:
        return
    services.show_of_hands_record(
        group=group,
        title="Winter resilience letter",
        question="Should the chair sign the joint winter resilience letter to the ICB?",
        meeting="Core group meeting, November 2026",
        held_on=timezone.localdate() - timedelta(days=21),
        hands=[("For", len(present) - 2), ("Against", 1)],
        present=present,
        actor=admin,
    )
