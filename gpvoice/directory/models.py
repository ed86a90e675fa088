"""Organisations, people, appointments and declarations: the national directory.

Reference data is national (not owned by a group); a group's footprint points into it.
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.utils import timezone


class OrgType(models.TextChoices):
    PRACTICE = "practice", "GP practice"
    PCN = "pcn", "Primary Care Network"
    FEDERATION = "federation", "GP federation"
    LMC = "lmc", "Local Medical Committee"
    SUB_ICB = "sub_icb", "Sub-ICB location"
    ICB = "icb", "Integrated Care Board"
    REGION = "region", "NHS England region"
    PLACE = "place", "Place"
    TRUST = "trust", "NHS trust"
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    OTHER = "other", "Other organisation"


class OrgStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    DORMANT = "dormant", "Dormant"
    PROPOSED = "proposed", "Proposed"
    CLOSED = "closed", "Closed"


class Organisation(models.Model):
    org_type = models.CharField("type", max_length=20, choices=OrgType.choices)
    ods_code = models.CharField("ODS code", max_length=12)
    name = models.CharField(max_length=255)
    status = models.CharField(max_length=10, choices=OrgStatus.choices, default=OrgStatus.ACTIVE)
    opened_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    address = models.CharField(max_length=500, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    # Parent links: practice → PCN; practice and PCN → sub-ICB location → ICB → region.
    pcn = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="pcn_practices"
    )
    sub_icb = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="sub_icb_members"
    )
    icb = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="icb_members"
    )
    region = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="region_members"
    )
    # Latest registered list size, kept beside its history (ListSize) so lists can sort on it.
    list_size = models.PositiveIntegerField(null=True, blank=True)
    list_size_date = models.DateField(null=True, blank=True)
    source = models.CharField(
        max_length=30, blank=True, help_text="The importer that last wrote this record."
    )
    # Which importers' latest files list this organisation (comma-separated names). An importer
    # closes what its own file stopped listing, whoever last wrote the record.
    listed_by = models.CharField(max_length=100, blank=True, default="")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["org_type", "ods_code"], name="org_unique_code_per_type")
        ]
        indexes = [
            models.Index(fields=["org_type", "status"]),
            models.Index(fields=["postcode"]),
            # The practice list shows 50 of England's 6,000+ practices in the order chosen: these
            # let the database read the first 50 in that order (by name; smallest list first)
            # instead of sorting the whole directory. Largest first (DESC NULLS LAST) has its own
            # PostgreSQL index in migration 0004; SQLite cannot index NULLS LAST.
            models.Index(fields=["org_type", "name", "ods_code"], name="org_by_type_and_name"),
            models.Index(fields=["org_type", "list_size", "name"], name="org_by_type_and_list_size"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.ods_code})"

    @property
    def is_active(self) -> bool:
        return self.status == OrgStatus.ACTIVE


class ListSize(models.Model):
    """Registered patients at one extract date; the history of Organisation.list_size."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="list_sizes")
    extract_date = models.DateField()
    patients = models.PositiveIntegerField()

    class Meta:
        ordering = ["-extract_date"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "extract_date"], name="list_size_one_per_extract")
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.patients} on {self.extract_date}"


class Person(models.Model):
    full_name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    user = models.OneToOneField(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="person"
    )

    class Meta:
        ordering = ["full_name"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.full_name


class RoleType(models.TextChoices):
    PRACTICE_PARTNER = "practice_partner", "Practice partner"
    SALARIED_GP = "salaried_gp", "Salaried GP"
    PRACTICE_MANAGER = "practice_manager", "Practice manager"
    PCN_CLINICAL_DIRECTOR = "pcn_clinical_director", "PCN clinical director"
    PCN_MANAGER = "pcn_manager", "PCN manager"
    LMC_CHAIR = "lmc_chair", "LMC chair"
    LMC_SECRETARY = "lmc_secretary", "LMC secretary"
    LMC_MEMBER = "lmc_member", "LMC member"
    FEDERATION_LEAD = "federation_lead", "Federation lead"
    FEDERATION_MANAGER = "federation_manager", "Federation manager"
    SYSTEM_CLINICAL_LEAD = "system_clinical_lead", "System clinical lead"
    ICB_EMPLOYEE = "icb_employee", "ICB employee"
    TRUST_EMPLOYEE = "trust_employee", "Trust employee"
    OTHER = "other", "Other"


class Appointment(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="appointments")
    role = models.CharField(max_length=30, choices=RoleType.choices)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="appointments")
    title = models.CharField(
        max_length=200, blank=True, help_text="Job title, if it says more than the role."
    )
    start = models.DateField(default=date.today)
    end = models.DateField(null=True, blank=True)
    is_signatory = models.BooleanField(
        "may act for the practice",
        default=False,
        help_text="A signatory ratifies the mandate and casts the practice's vote.",
    )

    class Meta:
        ordering = ["person__full_name", "-start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="appointment_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_role_display()}, {self.organisation.name}"

    def is_current(self, on: date | None = None) -> bool:
        on = on or date.today()
        return self.start <= on and (self.end is None or self.end >= on)


class Declaration(models.Model):
    """A declaration of interest; renewed yearly (see governance)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="declarations")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="declared_interests"
    )
    interest = models.CharField(
        max_length=300, blank=True, help_text="If not an organisation in the directory."
    )
    nature = models.CharField(max_length=300)
    start = models.DateField(default=date.today)
    end = models.DateField(null=True, blank=True)
    declared_on = models.DateField(default=date.today)

    class Meta:
        ordering = ["-declared_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(organisation__isnull=False) | ~models.Q(interest=""),
                name="declaration_names_an_interest",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.nature}"


class FootprintEntry(models.Model):
    """One choice in a group's footprint: an ICB, sub-ICB location, PCN or single practice.

    Which practices the footprint holds is resolved from these into ``FootprintPractice`` at
    each change (of the entries or of the directory), not at read time.
    """

    group = models.ForeignKey(
        "core.LeadershipGroup", on_delete=models.CASCADE, related_name="footprint_entries"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "footprint entries"
        constraints = [models.UniqueConstraint(fields=["group", "organisation"], name="footprint_entry_once")]

    def __str__(self) -> str:
        return f"{self.group}: {self.organisation}"


class FootprintPractice(models.Model):
    """A practice a group's footprint holds, resolved from its entries once per change.

    Kept by ``directory.footprint``: rebuilt in the same transaction as each footprint entry
    added or removed, each directory import that moves or closes practices, and each practice
    saved through the ORM. Holds closed practices too (the practice list filters on status);
    ``selectors.footprint_practices`` joins the status it needs. ``gpvoice recount --check``
    compares it with a fresh resolution.
    """

    group = models.ForeignKey("core.LeadershipGroup", on_delete=models.CASCADE, related_name="+")
    practice = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="in_footprints")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "practice"], name="footprint_practice_once")]
        indexes = [models.Index(fields=["practice"], name="footprint_practice_by_practice")]

    def __str__(self) -> str:
        return f"{self.group_id}: {self.practice_id}"


class PendingImport(models.Model):
    """An uploaded NHS file between its preview and its confirmation in the back office.

    Kept in the database, not in a temporary file, so that the confirmation works on any app
    server and after temporary files are cleaned. Only the uploader may confirm it, once; it is
    deleted when confirmed, and abandoned ones go after a day (see ``uploads``).
    """

    token = models.CharField(max_length=64, unique=True)
    kind = models.CharField(max_length=30)
    uploaded_by = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    content = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"{self.kind} uploaded by {self.uploaded_by_id} at {self.created_at:%Y-%m-%d %H:%M}"
