from __future__ import annotations

from datetime import date

import factory

from gpvoice.directory.models import (
    Appointment,
    Declaration,
    FootprintEntry,
    Organisation,
    OrgType,
    Person,
    RoleType,
)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("org_type", "ods_code")

    org_type = OrgType.PRACTICE
    ods_code = factory.Sequence(lambda n: f"Z{20000 + n:05d}")
    name = factory.LazyAttribute(lambda o: f"Test {o.org_type} {o.ods_code}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    full_name = factory.Sequence(lambda n: f"Test Person {n}")
    email = factory.LazyAttribute(lambda p: f"{p.full_name.lower().replace(' ', '.')}@nhs.test")


class AppointmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appointment

    person = factory.SubFactory(PersonFactory)
    role = RoleType.PRACTICE_PARTNER
    organisation = factory.SubFactory(OrganisationFactory)
    start = date(2020, 4, 1)


class DeclarationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Declaration

    person = factory.SubFactory(PersonFactory)
    interest = "Partner in a private provider"
    nature = "Financial"


def make_area(practices: int = 3, *, footprint_of: object = None) -> dict[str, object]:
    """A region → ICB → sub-ICB → PCN → practices hierarchy, with a clinical director.

    ``footprint_of``: a group whose footprint takes the PCN (so the practices are its electorate)."""
    region = OrganisationFactory(org_type=OrgType.REGION, ods_code="Y99", name="Test Region")
    icb = OrganisationFactory(org_type=OrgType.ICB, ods_code="QZZ", name="Test ICB", region=region)
    sub_icb = OrganisationFactory(
        org_type=OrgType.SUB_ICB, ods_code="99A", name="Test Sub-ICB", icb=icb, region=region
    )
    pcn = OrganisationFactory(
        org_type=OrgType.PCN, ods_code="U99999", name="Test PCN", sub_icb=sub_icb, icb=icb
    )
    members = [
        OrganisationFactory(
            ods_code=f"Z9{i:04d}", pcn=pcn, sub_icb=sub_icb, icb=icb, region=region, list_size=1000 * (i + 1)
        )
        for i in range(practices)
    ]
    director = AppointmentFactory(role=RoleType.PCN_CLINICAL_DIRECTOR, organisation=pcn)
    if footprint_of is not None:
        FootprintEntry.objects.create(group=footprint_of, organisation=pcn)
    return {
        "region": region,
        "icb": icb,
        "sub_icb": sub_icb,
        "pcn": pcn,
        "practices": members,
        "director": director,
    }
