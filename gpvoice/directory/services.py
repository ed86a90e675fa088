"""Writes to a group's footprint and to appointments at its practices, checked and audited.

Reference data itself is written only by the importers."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from gpvoice.core import audit, rules
from gpvoice.core.locking import lock_row
from gpvoice.core.models import LeadershipGroup

from . import footprint
from .models import Appointment, Declaration, FootprintEntry, Organisation, OrgType, Person, RoleType

FOOTPRINT_TYPES = (OrgType.ICB, OrgType.SUB_ICB, OrgType.PCN, OrgType.PRACTICE)


class FootprintError(Exception):
    pass


def footprint_add(*, group: LeadershipGroup, organisation: Organisation, actor: Any) -> FootprintEntry:
    if organisation.org_type not in FOOTPRINT_TYPES:
        raise FootprintError("A footprint is made of ICBs, sub-ICB locations, PCNs or practices.")
    try:
        with transaction.atomic():
            # The group row serialises footprint changes; only an admin (or the system) makes them.
            # FOR NO KEY UPDATE, so answers holding a round of this group can still reference the
            # group while this waits for that round (footprint.lock_groups says why).
            footprint.lock_groups([group.pk])
            group = LeadershipGroup.objects.get(pk=group.pk)
            _require_footprint_admin(group, actor)
            entry = FootprintEntry.objects.create(group=group, organisation=organisation)
            audit.record(
                action="directory.footprint.added",
                actor=actor,
                group=group,
                obj=entry,
                data={"organisation": organisation.ods_code, "type": organisation.org_type},
            )
    except IntegrityError:
        raise FootprintError(f"{organisation.name} is already in the footprint.") from None
    return entry


@transaction.atomic
def footprint_remove(*, entry: FootprintEntry, actor: Any) -> None:
    footprint.lock_groups([entry.group_id])  # as in footprint_add: FOR NO KEY UPDATE
    group = LeadershipGroup.objects.get(pk=entry.group_id)
    _require_footprint_admin(group, actor)
    found = FootprintEntry.objects.select_related("organisation").filter(pk=entry.pk, group=group).first()
    if found is None:
        raise FootprintError("That is no longer in the footprint.")
    pk = found.pk
    found.delete()
    found.pk = pk  # so that the record names the entry removed
    audit.record(
        action="directory.footprint.removed",
        actor=actor,
        group=group,
        obj=found,
        data={"organisation": found.organisation.ods_code},
    )


def _require_footprint_admin(group: LeadershipGroup, actor: Any) -> None:
    message = f"Only an admin of {group.name} can change its footprint."
    rules.require_admin(group, actor, message=message, refuse=FootprintError)


# Appointments at the group's practices ---------------------------------------------------------
#
# Who works where, and who may act for a practice (the signatory flag: who answers the mandate
# and casts the practice's vote), changes only here: an admin of a group whose footprint holds
# the practice, checked under the lock, recorded in the group's audit log. The back office shows
# appointments read-only.

APPOINTMENT_TITLE_MAX = 200
PERSON_NAME_MAX = 200


class AppointmentError(Exception):
    """A refusal with a message fit to show the admin who asked."""


def _require_appointments_admin(group: LeadershipGroup, actor: Any) -> None:
    message = f"Only an admin of {group.name} can change who works at its practices."
    rules.require_admin(group, actor, message=message, refuse=AppointmentError)


def _require_in_footprint(group: LeadershipGroup, organisation: Organisation) -> None:
    from .selectors import footprint_practices

    if not footprint_practices(group=group).filter(pk=organisation.pk).exists():
        raise AppointmentError(f"{organisation.name} is not one of {group.name}'s practices.")


def _clean(value: Any, *, name: str, limit: int, required: bool) -> str:
    text = (value if isinstance(value, str) else "").strip()
    if "\x00" in text:
        raise AppointmentError(f"{name} contains a character that cannot be stored.")
    if required and not text:
        raise AppointmentError(f"Enter {name.lower()}.")
    if len(text) > limit:
        raise AppointmentError(f"{name} must be {limit} characters or fewer.")
    return text


@transaction.atomic
def appointment_add(
    *,
    group: LeadershipGroup,
    practice: Organisation,
    full_name: str,
    email: str,
    role: str,
    actor: Any,
    title: str = "",
    is_signatory: bool = False,
    start: date | None = None,
) -> Appointment:
    """Record that someone works at one of the group's practices. The person is found by email
    in the directory, or added to it."""
    # The group row serialises the group's appointment changes with its footprint's.
    group = lock_row(LeadershipGroup.objects.all(), pk=group.pk)
    _require_appointments_admin(group, actor)
    _require_in_footprint(group, practice)
    if role not in RoleType.values:
        raise AppointmentError("Choose a role from the list.")
    name = _clean(full_name, name="Their name", limit=PERSON_NAME_MAX, required=True)
    email = _clean(email, name="Their email address", limit=254, required=True).lower()
    title = _clean(title, name="The job title", limit=APPOINTMENT_TITLE_MAX, required=False)
    start = start or timezone.localdate()
    if start > timezone.localdate():
        raise AppointmentError("The start date cannot be in the future.")
    person = Person.objects.filter(email__iexact=email).first()
    new_person = person is None
    if person is None:
        person = Person.objects.create(full_name=name, email=email)
    appointment = Appointment.objects.create(
        person=person, organisation=practice, role=role, title=title, start=start, is_signatory=is_signatory
    )
    audit.record(
        action="directory.appointment.added",
        actor=actor,
        group=group,
        obj=appointment,
        data={
            "person": person.full_name,
            "new_person": new_person,
            "practice": practice.ods_code,
            "role": role,
            "is_signatory": is_signatory,
        },
    )
    return appointment


def _lock_appointment(group: LeadershipGroup, appointment: Appointment, actor: Any) -> Appointment:
    # One writer per appointment: ending it and changing its signatory flag cannot cross.
    locked = lock_row(Appointment.objects.select_related("person", "organisation"), pk=appointment.pk)
    _require_appointments_admin(group, actor)
    _require_in_footprint(group, locked.organisation)
    return locked


@transaction.atomic
def appointment_end(
    *, group: LeadershipGroup, appointment: Appointment, actor: Any, on: date | None = None
) -> Appointment:
    """End an appointment (kept as history); a signatory stops acting for the practice from then."""
    appointment = _lock_appointment(group, appointment, actor)
    on = on or timezone.localdate()
    if appointment.end is not None and appointment.end <= on:
        raise AppointmentError(f"{appointment.person.full_name}'s appointment has already ended.")
    if on < appointment.start:
        raise AppointmentError("An appointment cannot end before it started.")
    appointment.end = on
    appointment.save(update_fields=["end"])
    audit.record(
        action="directory.appointment.ended",
        actor=actor,
        group=group,
        obj=appointment,
        data={
            "person": appointment.person.full_name,
            "practice": appointment.organisation.ods_code,
            "role": appointment.role,
            "end": on,
        },
    )
    return appointment


@transaction.atomic
def appointment_set_signatory(
    *, group: LeadershipGroup, appointment: Appointment, is_signatory: bool, actor: Any
) -> Appointment:
    """Say whether this person may act for the practice: answer the mandate, cast its vote."""
    appointment = _lock_appointment(group, appointment, actor)
    if not appointment.is_current(timezone.localdate()):
        raise AppointmentError("Only a current appointment can act for the practice.")
    if appointment.is_signatory == is_signatory:
        return appointment  # nothing to change, nothing to record
    appointment.is_signatory = is_signatory
    appointment.save(update_fields=["is_signatory"])
    audit.record(
        action="directory.appointment.signatory_set"
        if is_signatory
        else "directory.appointment.signatory_unset",
        actor=actor,
        group=group,
        obj=appointment,
        data={"person": appointment.person.full_name, "practice": appointment.organisation.ods_code},
    )
    return appointment


# Declarations of interest: each person declares and renews their own -------------------------

DECLARATION_TEXT_MAX = 300  # Declaration.interest and .nature


class DeclarationError(Exception):
    """A refusal with a message fit to show the person declaring."""


def _require_own(person: Person, actor: Any) -> None:
    """A person renews and ends only their own declarations."""
    if not getattr(actor, "is_authenticated", False) or person.user_id != actor.pk:
        raise DeclarationError("You can only declare and renew your own interests.")


def _declaration_text(value: Any, *, name: str, required: bool) -> str:
    try:
        return _clean(value, name=name, limit=DECLARATION_TEXT_MAX, required=required)
    except AppointmentError as error:
        raise DeclarationError(str(error)) from None


def _own_person(actor: Any) -> Person:
    """The actor's directory record: the one linked to their account, else an unlinked record with
    their address (they proved it by signing in with an emailed code), else a new one."""
    person = Person.objects.filter(user=actor).first()
    if person is None:
        person = Person.objects.select_for_update().filter(user=None, email__iexact=actor.email).first()
        if person is not None:
            person.user = actor
            person.save(update_fields=["user"])
    if person is None:
        person = Person.objects.create(full_name=actor.display_name, email=actor.email, user=actor)
    return person


@transaction.atomic
def declaration_declare(*, actor: Any, interest: str, nature: str, start: date | None = None) -> Declaration:
    """Record an interest the signed-in person holds, in their own name (nobody declares for
    someone else)."""
    if not getattr(actor, "is_authenticated", False):
        raise DeclarationError("Sign in to declare your interests.")
    interest = _declaration_text(interest, name="The interest", required=True)
    nature = _declaration_text(nature, name="The nature of the interest", required=True)
    today = timezone.localdate()
    start = start or today
    if start > today:
        raise DeclarationError("The date the interest started cannot be in the future.")
    # The account's row serialises one person's declarations (two tabs at once): the second waits,
    # then finds the directory record the first linked or created, instead of making another.
    lock_row(get_user_model().objects.all(), pk=actor.pk)
    person = _own_person(actor)
    declaration = Declaration.objects.create(
        person=person, interest=interest, nature=nature, start=start, declared_on=today
    )
    audit.record(
        action="directory.declaration.declared",
        actor=actor,
        obj=declaration,
        data={"person": person.full_name, "interest": interest, "nature": nature, "start": start},
    )
    return declaration


def _lock_own_declaration(declaration: Declaration, actor: Any) -> Declaration:
    # One writer per declaration: renewing and ending it cannot cross.
    locked = lock_row(Declaration.objects.select_related("person", "organisation"), pk=declaration.pk)
    _require_own(locked.person, actor)
    if locked.end is not None and locked.end <= timezone.localdate():
        raise DeclarationError("This interest has ended; declare it again if you hold it once more.")
    return locked


@transaction.atomic
def declaration_renew(*, declaration: Declaration, actor: Any) -> Declaration:
    """Confirm that a declaration is still accurate: it is not due again for a year."""
    declaration = _lock_own_declaration(declaration, actor)
    previous = declaration.declared_on
    declaration.declared_on = timezone.localdate()
    declaration.save(update_fields=["declared_on"])
    audit.record(
        action="directory.declaration.renewed",
        actor=actor,
        obj=declaration,
        data={"person": declaration.person.full_name, "previously_declared_on": previous},
    )
    return declaration


@transaction.atomic
def declaration_end(*, declaration: Declaration, actor: Any) -> Declaration:
    """Say the interest is no longer held (from today); the declaration is kept as history."""
    declaration = _lock_own_declaration(declaration, actor)
    today = timezone.localdate()
    declaration.end = max(today, declaration.start)
    declaration.save(update_fields=["end"])
    audit.record(
        action="directory.declaration.ended",
        actor=actor,
        obj=declaration,
        data={"person": declaration.person.full_name, "end": declaration.end},
    )
    return declaration
