"""The demo area: synthetic NHS files written in the real layouts, imported through the importers,
then synthetic people with appointments. No real codes, names or personal data.

Every code is in the demo's block of the reserved synthetic forms (``directory.ods.SYNTHETIC``:
practices Q9…, PCNs UQ9…, sub-ICBs Q990x, ICB Q9990, region YQ9), so the demo never renames,
closes or gathers people at a real organisation imported before or after it."""

from __future__ import annotations

import random
from datetime import date

from django.db import transaction

from gpvoice.core.models import LeadershipGroup
from gpvoice.directory import layouts as files
from gpvoice.directory.importers import import_file
from gpvoice.directory.models import Appointment, Organisation, OrgType, Person, RoleType
from gpvoice.directory.services import footprint_add

FIRST = [
    "Asha",
    "Ben",
    "Chloe",
    "Dev",
    "Ella",
    "Femi",
    "Grace",
    "Hari",
    "Isla",
    "Jon",
    "Kemi",
    "Liam",
    "Maya",
    "Nikhil",
    "Orla",
    "Priya",
    "Quinn",
    "Rosa",
    "Sam",
    "Tara",
    "Umar",
    "Vera",
    "Wes",
    "Yara",
    "Zak",
]
LAST = [
    "Adeyemi",
    "Brook",
    "Carter",
    "Dhillon",
    "Evans",
    "Fraser",
    "Gill",
    "Hughes",
    "Iqbal",
    "Jones",
    "Khan",
    "Lowe",
    "Mistry",
    "Nolan",
    "Okafor",
    "Patel",
    "Quayle",
    "Reid",
    "Shah",
    "Turner",
    "Underwood",
    "Vance",
]
TOWNS = ["Northvale", "Southmere"]
PRACTICES_PER_PCN = 5
PRACTICE_PREFIX, PCN_PREFIX, ICB, REGION = "Q9", "UQ9", "Q9990", "YQ9"


def _codes() -> tuple[list[list[str]], list[list[str]], list[list[str]]]:
    map_rows, size_rows, epraccur_rows = [], [], []
    rng = random.Random(2026)  # the same area every time
    for t, town in enumerate(TOWNS):
        sub_icb = f"Q990{t}"
        for p in range(4):
            pcn = f"UQ9{t}{p:02d}"
            for n in range(PRACTICES_PER_PCN):
                code = f"Q9{t}{p}{n:02d}"
                kind = ("Surgery", "Medical Centre", "Health Centre")[n % 3]
                name = f"{LAST[(t * 20 + p * 5 + n) % len(LAST)]} {kind}"
                row = files.map_row(code, pcn, name=name.upper(), sub_icb=sub_icb, icb=ICB, region=REGION)
                row[6] = f"{town.upper()} {['NORTH', 'SOUTH', 'EAST', 'WEST'][p]} PCN"
                row[9], row[12], row[15] = (
                    f"NHS Demo ICB - {sub_icb}",
                    "NHS Demo Integrated Care Board",
                    "Demo Region",
                )
                map_rows.append(row)
                size_rows.append(files.size_row(code, str(rng.randint(3000, 18000))))
                eprac = files.epraccur_row(code, sub_icb=sub_icb, icb=ICB, region=REGION)
                eprac[1] = name.upper()  # the same practice name in both files
                epraccur_rows.append(eprac)
    return map_rows, size_rows, epraccur_rows


def _person(n: int, role: RoleType, organisation: Organisation, *, signatory: bool = False) -> Person:
    name = f"{FIRST[n % len(FIRST)]} {LAST[(n * 7) % len(LAST)]}"
    person = Person.objects.create(full_name=name, email=f"demo.person{n}@example.nhs.uk")
    Appointment.objects.create(
        person=person, role=role, organisation=organisation, start=date(2022, 4, 1), is_signatory=signatory
    )
    return person


@transaction.atomic
def load_area(groups: dict[str, LeadershipGroup]) -> int:
    """Import the area's files and add the people; returns how many people were created."""
    map_rows, size_rows, epraccur_rows = _codes()
    for kind, data in (
        ("practice-map", files.practice_map(map_rows)),
        ("epraccur", files.epraccur(epraccur_rows)),
        ("list-sizes", files.list_sizes(size_rows)),
    ):
        report = import_file(kind, data, apply=True)
        assert report.ok, report.summary_lines()  # noqa: S101 - our own synthetic files
    if Person.objects.filter(email__startswith="demo.person").exists():
        return 0
    icb = Organisation.objects.get(org_type=OrgType.ICB, ods_code=ICB)
    # Not ODS codes at all (a hyphen), so no real LMC or federation can share them.
    lmc, _ = Organisation.objects.get_or_create(
        org_type=OrgType.LMC, ods_code="LMC-DEMO", defaults={"name": "Demo LMC"}
    )
    feds = [
        Organisation.objects.get_or_create(
            org_type=OrgType.FEDERATION, ods_code=f"FED-DEMO{t}", defaults={"name": f"{town} GP Federation"}
        )[0]
        for t, town in enumerate(TOWNS)
    ]
    n = 0
    for practice in Organisation.objects.filter(
        org_type=OrgType.PRACTICE, ods_code__startswith=PRACTICE_PREFIX
    ).order_by("ods_code"):
        for role, signatory in (
            (RoleType.PRACTICE_PARTNER, True),
            (RoleType.PRACTICE_MANAGER, True),
            (RoleType.SALARIED_GP, False),
        ):
            _person(n := n + 1, role, practice, signatory=signatory)
    for pcn in Organisation.objects.filter(org_type=OrgType.PCN, ods_code__startswith=PCN_PREFIX).order_by(
        "ods_code"
    ):
        _person(n := n + 1, RoleType.PCN_CLINICAL_DIRECTOR, pcn)
        _person(n := n + 1, RoleType.PCN_MANAGER, pcn)
    for role in (RoleType.LMC_CHAIR, RoleType.LMC_SECRETARY, RoleType.LMC_MEMBER, RoleType.LMC_MEMBER):
        _person(n := n + 1, role, lmc)
    for fed in feds:
        _person(n := n + 1, RoleType.FEDERATION_LEAD, fed)
        _person(n := n + 1, RoleType.FEDERATION_MANAGER, fed)
    for _ in range(2):
        _person(n := n + 1, RoleType.SYSTEM_CLINICAL_LEAD, icb)
    _person(n := n + 1, RoleType.ICB_EMPLOYEE, icb)
    sub_icbs = {
        s.ods_code: s
        for s in Organisation.objects.filter(org_type=OrgType.SUB_ICB, ods_code__in=["Q9900", "Q9901"])
    }
    if "northvale" in groups:
        footprint_add(group=groups["northvale"], organisation=sub_icbs["Q9900"], actor=None)
    if "southmere" in groups:
        for pcn in Organisation.objects.filter(org_type=OrgType.PCN, sub_icb=sub_icbs["Q9901"]):
            footprint_add(group=groups["southmere"], organisation=pcn, actor=None)
    return n
