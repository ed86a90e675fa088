"""Reads of the directory. Every list is built with a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Case, Exists, F, OuterRef, Q, QuerySet, Sum, When

from gpvoice.core.models import LeadershipGroup, Membership

from .models import (
    Appointment,
    Declaration,
    FootprintEntry,
    FootprintPractice,
    Organisation,
    OrgStatus,
    OrgType,
    Person,
    RoleType,
)

SORTS = {"name": "name", "list_size": "list_size", "-list_size": "-list_size", "code": "ods_code"}


class Scope:
    """Which practices the list shows: the group's footprint, or all of England (reference data)."""

    FOOTPRINT = "footprint"
    ENGLAND = "england"


@dataclass(frozen=True)
class PracticeFilters:
    scope: str = Scope.FOOTPRINT
    q: str = ""
    icb: str = ""
    sub_icb: str = ""
    pcn: str = ""
    status: str = ""
    sort: str = "name"


def practice_list(*, group: LeadershipGroup, filters: PracticeFilters) -> QuerySet[Organisation]:
    """The group's footprint (closed practices included, for the status filter), or all of England."""
    qs = Organisation.objects.filter(org_type=OrgType.PRACTICE).select_related("pcn", "sub_icb", "icb")
    if filters.scope != Scope.ENGLAND:
        # A join on the resolved footprint (one row per group and practice), not IN (subquery):
        # counting a national footprint's pages took 6 ms that way and 2 ms this way.
        qs = qs.filter(in_footprints__group=group)
    if filters.q:
        term = filters.q.strip()
        qs = qs.filter(
            Q(name__icontains=term) | Q(ods_code__iexact=term) | Q(postcode__icontains=postcode_spaced(term))
        )
    for field in ("icb", "sub_icb", "pcn"):
        if code := getattr(filters, field):
            qs = qs.filter(**{f"{field}__ods_code": code})
    if filters.status:
        qs = qs.filter(status=filters.status)
    order = SORTS.get(filters.sort, "name")
    if "list_size" in order:
        from django.db.models import F

        expr = (
            F("list_size").desc(nulls_last=True)
            if order.startswith("-")
            else F("list_size").asc(nulls_last=True)
        )
        return qs.order_by(expr, "name")
    return qs.order_by(order, "ods_code")


# What the practice list's table shows of each practice and its PCN: the page reads these alone.
PAGE_FIELDS = (
    "org_type",
    "ods_code",
    "name",
    "postcode",
    "list_size",
    "status",
    "pcn__org_type",
    "pcn__ods_code",
    "pcn__name",
)


def practice_page_rows(*, group: LeadershipGroup, filters: PracticeFilters) -> QuerySet[Organisation]:
    """``practice_list`` as the page's table reads it: each practice with its PCN, the columns shown."""
    return (
        practice_list(group=group, filters=filters)
        .select_related(None)
        .select_related("pcn")
        .only(*PAGE_FIELDS)
    )


def practice_count(*, group: LeadershipGroup, filters: PracticeFilters) -> int | None:
    """How many practices the unfiltered footprint list holds, read from the resolved footprint's
    own index (every row is a practice, of any status); None when filters apply (count the list)."""
    if filters.scope == Scope.ENGLAND or any(
        (filters.q, filters.icb, filters.sub_icb, filters.pcn, filters.status)
    ):
        return None
    return FootprintPractice.objects.filter(group=group).count()


def postcode_spaced(term: str) -> str:
    """'AB12CD' → 'AB1 2CD': a full postcode typed without its space still finds the practice.

    The inward code (the last part) is always a digit and two letters.
    """
    bare = "".join(term.split()).upper()
    if 5 <= len(bare) <= 7 and bare[-3].isdigit() and bare[-2:].isalpha() and bare[0].isalpha():
        return f"{bare[:-3]} {bare[-3:]}"
    return term


def filter_choices() -> dict[str, list[tuple[str, str]]]:
    """Options for the practice-list filters: ICBs and sub-ICB locations (PCNs are searched by code)."""
    rows = Organisation.objects.filter(org_type__in=[OrgType.ICB, OrgType.SUB_ICB]).order_by("name")
    choices: dict[str, list[tuple[str, str]]] = {OrgType.ICB: [], OrgType.SUB_ICB: []}
    for org_type, code, name in rows.values_list("org_type", "ods_code", "name"):
        choices[org_type].append((code, name))
    return choices


def practice_by_code(*, code: str) -> Organisation | None:
    return (
        Organisation.objects.filter(org_type=OrgType.PRACTICE, ods_code=code.upper())
        .select_related("pcn", "sub_icb", "icb", "region")
        .first()
    )


def pcn_by_code(*, code: str) -> Organisation | None:
    return (
        Organisation.objects.filter(org_type=OrgType.PCN, ods_code=code.upper())
        .select_related("sub_icb", "icb")
        .first()
    )


def organisation_by_id(*, pk: int) -> Organisation | None:
    return Organisation.objects.filter(pk=pk).select_related("pcn", "sub_icb", "icb", "region").first()


def appointments_at(*, organisation: Organisation, on: date | None = None) -> QuerySet[Appointment]:
    on = on or date.today()
    return (
        _current(Appointment.objects.filter(organisation=organisation), on)
        .select_related("person")
        .order_by("role", "person__full_name")
    )


ROLE_LABELS: dict[str, str] = dict(RoleType.choices)


@dataclass(frozen=True)
class Seen:
    """A current appointment at an organisation whose person the group may see."""

    person_id: int
    full_name: str
    role: str
    role_label: str
    start: date
    is_signatory: bool


@dataclass(frozen=True)
class PeopleAt:
    """Current appointments at an organisation, as one group may see them."""

    visible: list[Seen]
    hidden: int  # people outside the group's records with appointments here: counted, never named
    in_footprint: bool  # the organisation is a live practice of the group's footprint, or its PCN


def appointments_visible_at(*, group: LeadershipGroup, organisation: Organisation) -> PeopleAt:
    """Two queries at most whatever the numbers, the cost following the people at this
    organisation, not the group's footprint.

    At a practice in the group's live footprint, or at the PCN of one, everyone with a current
    appointment is in the group's records by the rule's own last limb (``visible_condition``:
    a current appointment at such a practice or PCN), so they are read plainly. Anywhere else each
    person is checked on their own: the name comes back only where the check passes, so the others
    are counted by person and never read.
    """
    inside = in_footprint(group=group, organisation=organisation)
    rows = appointments_at(organisation=organisation).select_related(None)
    if inside:
        rows = rows.annotate(shown_name=F("person__full_name"))
    else:
        visible = visible_condition(group=group, person="person_id")
        rows = rows.annotate(shown_name=Case(When(visible, then=F("person__full_name")), default=None))
    seen: list[Seen] = []
    hidden: set[int] = set()
    for person_id, name, role, start, is_signatory in rows.values_list(
        "person_id", "shown_name", "role", "start", "is_signatory"
    ):
        if name is None:
            hidden.add(person_id)
        else:
            seen.append(Seen(person_id, name, role, ROLE_LABELS.get(role, role), start, is_signatory))
    return PeopleAt(visible=seen, hidden=len(hidden), in_footprint=inside)


def pcn_members(*, pcn: Organisation) -> QuerySet[Organisation]:
    return Organisation.objects.filter(org_type=OrgType.PRACTICE, pcn=pcn, status=OrgStatus.ACTIVE).order_by(
        "name"
    )


def pcn_total_list_size(*, pcn: Organisation) -> int:
    return pcn_members(pcn=pcn).aggregate(total=Sum("list_size"))["total"] or 0


def clinical_directors(appointments: list[Seen]) -> list[Seen]:
    return [a for a in appointments if a.role == RoleType.PCN_CLINICAL_DIRECTOR]


# People: personal data, visible only where the person belongs ----------------------------------


def people_visible_to(*, group: LeadershipGroup, on: date | None = None) -> QuerySet[Person]:
    """The one rule for whose personal data a group sees (issue 9): a person on the group's roll
    (an entry not ended), a person whose user is a member of the group, or a person holding a
    current appointment at a practice in the group's live footprint or at that practice's PCN.

    Everyone else is outside the group's records: their pages are 404 there and organisation pages
    count them without naming them. One query, whatever the sizes.
    """
    return Person.objects.filter(visible_condition(group=group, person="pk", on=on))


def visible_condition(*, group: LeadershipGroup, person: str, on: date | None = None) -> Q:
    """``people_visible_to``'s rule as a condition on any row whose field ``person`` holds a
    person's id: correlated EXISTS tests, each answered from an index for that one person.

    Written as ``pk IN (everyone in the footprint)`` the database built the whole set of the
    footprint's people (60,000 at national size) on every page that showed one person; these
    tests look at that person's own appointments, roll entries and memberships only.
    """
    on = on or date.today()
    footprint = FootprintPractice.objects.filter(
        group=group, practice__org_type=OrgType.PRACTICE, practice__status=OrgStatus.ACTIVE
    )
    works_in_footprint = _current(Appointment.objects.filter(person_id=OuterRef(person)), on).filter(
        Exists(footprint.filter(practice_id=OuterRef("organisation_id")))
        | Exists(footprint.filter(practice__pcn_id=OuterRef("organisation_id")))
    )
    # The roll's model is found through the reverse name (roll_entries), which keeps the directory
    # free of imports from the apps built on it; governance.selectors.current_roll is the same "not
    # ended" rule. Both tests read their table alone, without joining the person or the user: the
    # joins tripled what PostgreSQL spent planning the query (1.7 ms against 1.1 ms).
    roll = Person._meta.get_field("roll_entries").related_model
    on_roll = roll.objects.filter(person_id=OuterRef(person), group=group, end__isnull=True)  # type: ignore[union-attr]
    member = Membership.objects.filter(group=group, user_id=OuterRef(_user_of(person)))
    return Q(Exists(on_roll)) | Q(Exists(member)) | Q(Exists(works_in_footprint))


def _user_of(person: str) -> str:
    """The field holding the user id of the person in field ``person``: ``user_id`` on a person's own
    row (``pk``), ``<relation>__user_id`` through a foreign key (``person_id``)."""
    return "user_id" if person == "pk" else f"{person.removesuffix('_id')}__user_id"


def person_visible_in(*, group: LeadershipGroup, person: Person) -> bool:
    return people_visible_to(group=group).filter(pk=person.pk).exists()


def person_in_group(*, group: LeadershipGroup, pk: int) -> Person | None:
    """A person's record as this group may see it; None (a 404) for anyone outside its records."""
    return people_visible_to(group=group).filter(pk=pk).first()


def person_appointments(*, person: Person) -> list[Appointment]:
    return list(person.appointments.select_related("organisation").order_by("-start"))


def person_declarations(*, person: Person) -> list[Declaration]:
    return list(person.declarations.select_related("organisation"))


def _current(appointments: QuerySet[Appointment], on: date) -> QuerySet[Appointment]:
    return appointments.filter(start__lte=on).filter(Q(end__isnull=True) | Q(end__gte=on))


# Footprint ---------------------------------------------------------------------------------


def footprint_entries(*, group: LeadershipGroup) -> QuerySet[FootprintEntry]:
    return (
        FootprintEntry.objects.filter(group=group)
        .select_related("organisation")
        .order_by("organisation__org_type", "organisation__name")
    )


def footprint_entry(*, group: LeadershipGroup, pk: object) -> FootprintEntry | None:
    """One of this group's entries, from a posted id; text that is not a plain number finds none
    ("²" passes str.isdigit() but int() refuses it)."""
    text = str(pk)
    if not (text.isascii() and text.isdigit()):
        return None
    return footprint_entries(group=group).filter(pk=int(text)).first()


def footprint_candidates(*, term: str) -> QuerySet[Organisation]:
    """ICBs, sub-ICB locations, PCNs and practices whose name contains ``term`` or whose ODS code
    is ``term``: an exact code first, then by type (widest first) and name. Paginated by the page."""
    from django.db.models import Case, IntegerField, Value, When

    from .services import FOOTPRINT_TYPES

    term = term.strip()
    if not term:
        return Organisation.objects.none()
    rank = Case(
        *(When(org_type=t, then=Value(i)) for i, t in enumerate(FOOTPRINT_TYPES)),
        output_field=IntegerField(),
    )
    exact = Case(When(ods_code__iexact=term, then=Value(0)), default=Value(1), output_field=IntegerField())
    return (
        Organisation.objects.filter(org_type__in=FOOTPRINT_TYPES, status=OrgStatus.ACTIVE)
        .filter(Q(name__icontains=term) | Q(ods_code__iexact=term))
        .annotate(exact=exact, rank=rank)
        .order_by("exact", "rank", "name", "pk")
    )


def footprint_candidate(*, pk: object) -> Organisation | None:
    """An organisation that can join a footprint, from a posted id (plain digits only)."""
    from .services import FOOTPRINT_TYPES

    text = str(pk)
    if not (text.isascii() and text.isdigit()):
        return None
    return Organisation.objects.filter(org_type__in=FOOTPRINT_TYPES, pk=int(text)).first()


def footprint_practices(*, group: LeadershipGroup, include_closed: bool = False) -> QuerySet[Organisation]:
    """The live footprint: practices chosen directly or through their PCN, sub-ICB or ICB.

    Read from ``FootprintPractice``, which ``directory.footprint`` re-resolves in the transaction
    of every footprint change and every import, so it follows the directory; closed practices
    drop out unless asked for. One indexed subquery, whatever the footprint's size.
    """
    held = FootprintPractice.objects.filter(group=group).values("practice_id")
    qs = Organisation.objects.filter(org_type=OrgType.PRACTICE, pk__in=held)
    if not include_closed:
        qs = qs.filter(status=OrgStatus.ACTIVE)
    return qs


def footprint_holds(*, group: LeadershipGroup, practice: str = "pk") -> Exists:
    """Whether the group's resolved footprint holds the practice whose id is in field ``practice``
    of the row being filtered: a correlated EXISTS, one index probe per row. Pair it with the
    practice's own type and status, as ``footprint_practices`` does, for the live footprint."""
    return Exists(FootprintPractice.objects.filter(group=group, practice_id=OuterRef(practice)))


def groups_covering(*, practice: Organisation, user: Any) -> list[LeadershipGroup]:
    """The viewer's own groups whose footprint takes in the practice: other groups stay private."""
    ids = [i for i in (practice.pk, practice.pcn_id, practice.sub_icb_id, practice.icb_id) if i]
    return list(
        LeadershipGroup.objects.filter(footprint_entries__organisation_id__in=ids, memberships__user=user)
        .distinct()
        .order_by("name")
    )


def in_footprint(*, group: LeadershipGroup, organisation: Organisation) -> bool:
    """Whether a practice (or a PCN, through its practices) lies in the group's live footprint.
    Any other kind of organisation does not, and costs no query."""
    practices = footprint_practices(group=group)
    if organisation.org_type == OrgType.PCN:
        return practices.filter(pcn=organisation).exists()
    if organisation.org_type != OrgType.PRACTICE:
        return False
    return practices.filter(pk=organisation.pk).exists()
