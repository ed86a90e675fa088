"""Demo governance: a roll with an ineligible system clinical lead attending, a part-ratified
mandate, a scheme of delegation and executive decisions, one of them refused and referred."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from gpvoice.accounts.models import User
from gpvoice.core.models import LeadershipGroup, Membership, Role
from gpvoice.core.services import membership_set
from gpvoice.directory.models import Appointment, Declaration, Person, RoleType
from gpvoice.directory.selectors import footprint_practices
from gpvoice.governance import services
from gpvoice.governance.models import Authority, DecisionCategory, RollStatus, TermsOfReference

TERMS = """# Purpose
The group speaks for the general practices of the area to the Integrated Care System.
# Membership
## Core members
Core members act on behalf of practices: PCN clinical directors, LMC officers, federation leads.
## Attendees
People appointed by the system, such as system clinical leads, attend without a vote.
# Executive
A small executive acts between meetings within the scheme of delegation and reports back.
"""


def _user_for(person: Person, group: LeadershipGroup, role: Role) -> User:
    user = (
        person.user
        or User.objects.filter(email=person.email).first()
        or User.objects.create_user(email=person.email, full_name=person.full_name)
    )
    if person.user_id != user.pk:
        person.user = user
        person.save(update_fields=["user"])
    if not Membership.objects.filter(group=group, user=user).exists():
        membership_set(group=group, user=user, role=role)
    return user


def _link_demo_logins(group: LeadershipGroup, practices: list) -> None:
    """Give the role logins a person: the practice-staff login signs for the first practice."""
    staff = User.objects.get(email=f"practice.staff@{group.slug}.example.nhs.uk")
    person, _ = Person.objects.get_or_create(
        user=staff, defaults={"full_name": staff.full_name, "email": staff.email}
    )
    Appointment.objects.get_or_create(
        person=person,
        organisation=practices[0],
        role=RoleType.PRACTICE_MANAGER,
        defaults={"is_signatory": True},
    )


@transaction.atomic
def load_governance(group: LeadershipGroup) -> None:
    if TermsOfReference.objects.filter(group=group).exists():
        return
    admin = User.objects.get(email=f"admin@{group.slug}.example.nhs.uk")
    executive = User.objects.get(email=f"executive@{group.slug}.example.nhs.uk")
    practices = list(footprint_practices(group=group).select_related("pcn").order_by("ods_code"))
    _link_demo_logins(group, practices)

    pcn_ids = {p.pcn_id for p in practices}
    on_roll = Appointment.objects.filter(
        role__in=[RoleType.PCN_CLINICAL_DIRECTOR], organisation_id__in=pcn_ids
    ) | Appointment.objects.filter(
        role__in=[RoleType.LMC_CHAIR, RoleType.LMC_SECRETARY, RoleType.FEDERATION_LEAD]
    )
    for appointment in on_roll.select_related("person").order_by("person__full_name")[:8]:
        services.roll_add(group=group, person=appointment.person, status=RollStatus.CORE, actor=admin)
        Declaration.objects.get_or_create(
            person=appointment.person,
            interest="Partner in a local GP practice",
            nature="Financial",
            defaults={"declared_on": date.today() - timedelta(days=400 if appointment.pk % 2 else 30)},
        )
    lead = (
        Appointment.objects.filter(role=RoleType.SYSTEM_CLINICAL_LEAD).select_related("person").order_by("pk")
    )
    lead_person = lead[0 if group.slug == "northvale" else 1].person
    try:
        services.roll_add(group=group, person=lead_person, status=RollStatus.CORE, actor=admin)
    except services.GovernanceError:
        services.roll_add(group=group, person=lead_person, status=RollStatus.ATTENDEE, actor=admin)

    terms = services.terms_create(group=group, title="Terms of reference", body=TERMS, actor=admin)
    terms = services.terms_issue(terms=terms, actor=admin)
    round = services.mandate_open(
        terms=terms,
        closes_at=timezone.now() + timedelta(days=30),
        expires_on=date.today() + timedelta(days=365),
        actor=admin,
    )
    signatories = {
        a.organisation_id: a.person
        for a in Appointment.objects.filter(organisation__in=practices, is_signatory=True).select_related(
            "person"
        )
    }
    answers = ["agree"] * 11 + ["decline", "abstain"] + ["agree"] * 2  # 15 of the 20 practices answer
    for practice, answer in zip(practices, answers, strict=False):
        user = _user_for(signatories[practice.pk], group, Role.PRACTICE_STAFF)
        services.mandate_answer(round=round, practice=practice, answer=answer, user=user)

    future = date.today() + timedelta(days=200)
    spend = DecisionCategory.objects.create(
        group=group,
        name="Spending from the group's budget",
        authority=Authority.EXECUTIVE,
        spend_limit=Decimal("5000"),
        review_date=future,
    )
    DecisionCategory.objects.create(
        group=group,
        name="Agreed positions on system proposals",
        authority=Authority.GROUP,
        review_date=future,
    )
    comms = DecisionCategory.objects.create(
        group=group, name="Communications to practices", authority=Authority.EXECUTIVE, review_date=future
    )
    DecisionCategory.objects.create(
        group=group,
        name="Changes to the terms of reference",
        authority=Authority.BALLOT,
        review_date=date.today() - timedelta(days=10),
    )
    services.executive_decision_record(
        category=comms,
        title="Weekly bulletin moves to Thursdays",
        rationale="Practices asked for it before the weekend.",
        amount=None,
        actor=executive,
    )
    services.executive_decision_record(
        category=spend,
        title="Room hire for the leaders' event",
        rationale="Cheapest suitable venue.",
        amount=Decimal("850"),
        actor=executive,
    )
    services.executive_decision_refer(
        category=spend,
        title="Commission a workforce survey",
        rationale="Needed for the workforce priority.",
        amount=Decimal("12000"),
        actor=executive,
    )
