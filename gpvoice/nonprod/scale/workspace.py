"""Groups (through the services: there are only ~143) and people (in bulk: there are 60,000)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from gpvoice.accounts.models import User
from gpvoice.core import audit
from gpvoice.core.bulk import Table
from gpvoice.core.models import LeadershipGroup, Membership, Role
from gpvoice.core.scale import Part
from gpvoice.core.services import group_create, membership_set
from gpvoice.directory.models import Appointment, Organisation, OrgType, Person, RoleType
from gpvoice.directory.selectors import footprint_practices
from gpvoice.directory.services import footprint_add

from .directory import Area

NATIONAL_SLUG = "scale-england"
SLUG_PREFIX = "scale-"
EMAIL_DOMAIN = "scale.example.nhs.uk"
START = date(2022, 4, 1)


@dataclass
class Groups:
    national: LeadershipGroup
    all: list[LeadershipGroup]  # the national group first
    by_sub_icb: dict[int, LeadershipGroup]  # sub-ICB organisation id -> its group
    footprints: dict[int, list[Organisation]] = field(default_factory=dict)  # group id -> practices
    admins: dict[int, User] = field(default_factory=dict)  # group id -> its admin


def _group(slug: str, name: str, entries: list[Organisation]) -> tuple[LeadershipGroup, User]:
    group = group_create(name=name, slug=slug, description="A load-scale workspace (synthetic people).")
    admin = User.objects.create_user(f"admin@{slug}.{EMAIL_DOMAIN}", full_name=f"Admin of {name}"[:200])
    membership_set(group=group, user=admin, role=Role.ADMIN)
    for organisation in entries:
        footprint_add(group=group, organisation=organisation, actor=None)
    return group, admin


def _pk(org: Organisation) -> int:
    return org.pk


def load_groups(area: Area) -> tuple[Part, Groups]:
    """A group per sub-ICB location and per ICB, and one national group whose footprint is every
    ICB (so every practice): through group_create, membership_set and footprint_add."""
    sub_icbs = list(Organisation.objects.filter(org_type=OrgType.SUB_ICB, ods_code__in=area.sub_icbs))
    icbs = list(Organisation.objects.filter(org_type=OrgType.ICB, ods_code__in=area.icbs))
    national, admin = _group(NATIONAL_SLUG, "England (load-scale national group)", sorted(icbs, key=_pk))
    groups = Groups(national=national, all=[national], by_sub_icb={}, admins={national.pk: admin})
    for icb in sorted(icbs, key=lambda o: o.ods_code):
        group, admin = _group(f"{SLUG_PREFIX}icb-{icb.ods_code.lower()}", icb.name[:200], [icb])
        groups.all.append(group)
        groups.admins[group.pk] = admin
    for sub in sorted(sub_icbs, key=lambda o: o.ods_code):
        group, admin = _group(f"{SLUG_PREFIX}sub-{sub.ods_code.lower()}", sub.name[:200], [sub])
        groups.all.append(group)
        groups.admins[group.pk] = admin
        groups.by_sub_icb[sub.pk] = group
    for group in groups.all:
        groups.footprints[group.pk] = list(
            footprint_practices(group=group)
            .only("pk", "name", "ods_code", "list_size", "pcn_id", "sub_icb_id")
            .order_by("ods_code")
        )
    part = Part("groups", path="service (group_create, membership_set, footprint_add)")
    part.counts = {
        "groups": len(groups.all),
        "sub-ICB groups": len(sub_icbs),
        "ICB groups": len(icbs),
        "national footprint practices": len(groups.footprints[national.pk]),
    }
    return part, groups


# People --------------------------------------------------------------------------------------


@dataclass
class People:
    signatories: dict[int, list[int]] = field(default_factory=dict)  # practice id -> user ids
    emails: dict[int, str] = field(default_factory=dict)  # user id -> email
    person_of: dict[int, int] = field(default_factory=dict)  # user id -> person id


def _plan(practices: list[Organisation], pcns: list[Organisation], total: int) -> list[tuple]:
    """Who to make, in order of need, cut to ``total``: two signatories per practice first (a
    partner and a manager: they answer the mandate and vote), then each PCN's clinical director
    and manager, then salaried GPs and partners spread over the practices."""
    plan: list[tuple] = [(p, RoleType.PRACTICE_PARTNER, True) for p in practices]
    plan += [(p, RoleType.PRACTICE_MANAGER, True) for p in practices]
    plan += [(p, RoleType.PCN_CLINICAL_DIRECTOR, False) for p in pcns]
    plan += [(p, RoleType.PCN_MANAGER, False) for p in pcns]
    others = (RoleType.SALARIED_GP, RoleType.PRACTICE_PARTNER, RoleType.SALARIED_GP)
    n = 0
    while len(plan) < total and practices:
        plan.append((practices[n % len(practices)], others[n // len(practices) % 3], False))
        n += 1
    return plan[:total]


USERS = Table(User, ("id", "password", "last_login", "is_superuser", "email", "full_name", "is_active",
                     "is_staff", "date_joined"))  # fmt: skip
PEOPLE = Table(Person, ("id", "full_name", "email", "phone", "user_id"))
APPOINTMENTS = Table(Appointment, ("id", "person_id", "role", "organisation_id", "title", "start", "end",
                                   "is_signatory"))  # fmt: skip
MEMBERSHIPS = Table(Membership, ("id", "group_id", "user_id", "role", "created_at"))


@transaction.atomic
def load_people(*, area: Area, groups: Groups, total: int) -> tuple[Part, People]:
    """People with appointments, in bulk. Signatories get a user account (no password: they sign
    in by emailed code) and practice-staff membership of every group covering their practice.
    The audit entries the services write for these are written too: ``directory.appointment.added``
    for each practice appointment and ``core.membership.added`` for each membership, in the chain
    of the group they belong to. PCN appointments have no service (as in the demo) and no entry."""
    practices = list(
        Organisation.objects.filter(org_type=OrgType.PRACTICE, ods_code__in=area.practices).order_by(
            "ods_code"
        )
    )
    pcn_ids = {p.pcn_id for p in practices if p.pcn_id}
    pcns = list(Organisation.objects.filter(pk__in=pcn_ids).order_by("ods_code"))
    plan = _plan(practices, pcns, total)
    now = timezone.now()
    person_ids = PEOPLE.reserve_ids(len(plan))
    signing = [n for n, (_, _, signatory) in enumerate(plan) if signatory]
    user_ids = dict(zip(signing, USERS.reserve_ids(len(signing)), strict=True))
    USERS.write(
        (user_ids[n], make_password(None), None, False, _email(n), _name(n), True, False, now)
        for n in signing
    )
    PEOPLE.write((pk, _name(n), _email(n), "", user_ids.get(n)) for n, pk in enumerate(person_ids))
    appointment_ids = APPOINTMENTS.reserve_ids(len(plan))
    APPOINTMENTS.write(
        (pk, person_ids[n], role.value, org.pk, "", START, None, signatory)
        for n, (pk, (org, role, signatory)) in enumerate(zip(appointment_ids, plan, strict=True))
    )
    out = People()
    for n in signing:
        org = plan[n][0]
        out.signatories.setdefault(org.pk, []).append(user_ids[n])
        out.emails[user_ids[n]] = _email(n)
        out.person_of[user_ids[n]] = person_ids[n]
    entries = _appointment_entries(groups, appointment_ids, plan)
    memberships, member_entries = _memberships(groups, out, now)
    part = Part("people", path="bulk (rows written in batches, with the services' audit entries)")
    part.counts = {
        "people": len(person_ids),
        "appointments": len(appointment_ids),
        "signatory users": len(signing),
        "memberships": memberships,
        "audit entries": entries + member_entries,
    }
    return part, out


def _name(n: int) -> str:
    return f"Scale Person {n:05d}"


def _email(n: int) -> str:
    return f"scale.person{n}@{EMAIL_DOMAIN}"


def _appointment_entries(groups: Groups, appointment_ids: list[int], plan: list[tuple]) -> int:
    by_group: dict[int, list[audit.Event]] = defaultdict(list)
    for n, (pk, (org, role, signatory)) in enumerate(zip(appointment_ids, plan, strict=True)):
        group = groups.by_sub_icb.get(org.sub_icb_id) if org.org_type == OrgType.PRACTICE else None
        if group is None:
            continue
        data = {
            "person": _name(n),
            "new_person": True,
            "practice": org.ods_code,
            "role": role.value,
            "is_signatory": signatory,
        }
        by_group[group.pk].append(
            audit.Event("directory.appointment.added", None, "system", "directory.Appointment", str(pk), data)
        )
    groups_by_id = {g.pk: g for g in groups.all}
    return sum(audit.record_many(group=groups_by_id[gid], events=events) for gid, events in by_group.items())


def _memberships(groups: Groups, people: People, now: datetime) -> tuple[int, int]:
    made = written = 0
    role = Role.PRACTICE_STAFF.value
    for group in groups.all:
        users = [u for p in groups.footprints[group.pk] for u in people.signatories.get(p.pk, [])]
        ids = MEMBERSHIPS.reserve_ids(len(users))
        made += MEMBERSHIPS.write((pk, group.pk, u, role, now) for pk, u in zip(ids, users, strict=True))
        written += audit.record_many(
            group=group,
            events=(
                audit.Event(
                    "core.membership.added",
                    None,
                    "system",
                    "core.Membership",
                    str(pk),
                    {"user": people.emails[u], "role": role},
                )
                for pk, u in zip(ids, users, strict=True)
            ),  # fmt: skip
        )
    return made, written
