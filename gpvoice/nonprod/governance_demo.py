"""Demo governance: a roll with an ineligible system clinical lead attending, a part-ratified
mandate (extended by a week), the group's settings, a signatory handed over at one practice, a
scheme of delegation and executive decisions, one of them refused and referred. Every write goes
through the services, as the group's admin or executive, so all of it is on the audit record."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from gpvoice.accounts.models import User
from gpvoice.core.models import LeadershipGroup, Membership, Role
from gpvoice.core.services import membership_set
from gpvoice.directory.models import Appointment, Declaration, Organisation, Person, RoleType
from gpvoice.directory.selectors import footprint_practices
from gpvoice.directory.services import appointment_add, appointment_set_signatory
from gpvoice.governance import services
from gpvoice.governance.models import Authority, RollStatus, TermsOfReference

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


def _link_demo_logins(group: LeadershipGroup, practices: list, admin: User) -> None:
    """Give the role logins a person: the group admin records the practice-staff login as a
    signatory of the first practice, through the audited appointment service."""
    staff = User.objects.get(email=f"practice.staff@{group.slug}.example.nhs.uk")
    appointment = appointment_add(
        group=group,
        practice=practices[0],
        full_name=staff.full_name,
        email=staff.email,
        role=RoleType.PRACTICE_MANAGER,
        is_signatory=True,
        actor=admin,
    )
    Person.objects.filter(pk=appointment.person_id, user__isnull=True).update(user=staff)


def _hand_over_signatory(group: LeadershipGroup, practice: Organisation, admin: User) -> None:
    """One practice's signatory hands over: the new manager may act for it, the old one no longer."""
    for current in Appointment.objects.filter(organisation=practice, is_signatory=True, end__isnull=True):
        appointment_set_signatory(group=group, appointment=current, is_signatory=False, actor=admin)
    appointment_add(
        group=group,
        practice=practice,
        full_name=f"Demo New Manager ({practice.name})",
        email=f"new.manager.{practice.ods_code.lower()}@example.nhs.uk",
        role=RoleType.PRACTICE_MANAGER,
        title="Practice business manager",
        is_signatory=True,
        actor=admin,
    )


@transaction.atomic
def load_governance(group: LeadershipGroup) -> None:
    if TermsOfReference.objects.filter(group=group).exists():
        return
    admin = User.objects.get(email=f"admin@{group.slug}.example.nhs.uk")
    executive = User.objects.get(email=f"executive@{group.slug}.example.nhs.uk")
    practices = list(footprint_practices(group=group).select_related("pcn").order_by("ods_code"))
    _link_demo_logins(group, practices, admin)
    # The group's own rules, set through the settings page's service (and so on the record).
    services.governance_settings_update(
        group=group,
        actor=admin,
        practices_share=(1, 2),
        patients_share=(1, 2),
        extra_eligible_roles=[RoleType.PCN_MANAGER] if group.slug == "northvale" else [],
        delegation_grace_days=21,
    )

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
    # Practices asked for more time: ratification was extended by a week.
    round = services.mandate_extend(
        round=round, closes_at=round.closes_at + timedelta(days=7), expires_on=round.expires_on, actor=admin
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
    _hand_over_signatory(group, practices[-1], admin)

    future = date.today() + timedelta(days=200)
    spend = services.category_create(
        group=group,
        actor=admin,
        name="Spending from the group's budget",
        authority=Authority.EXECUTIVE,
        spend_limit=Decimal("5000"),
        review_date=future,
    )
    services.category_create(
        group=group,
        actor=admin,
        name="Agreed positions on system proposals",
        authority=Authority.GROUP,
        review_date=future,
    )
    comms = services.category_create(
        group=group,
        actor=admin,
        name="Communications to practices",
        authority=Authority.EXECUTIVE,
        review_date=future,
    )
    services.category_create(
        group=group,
        actor=admin,
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
