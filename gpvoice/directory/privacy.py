"""The directory's personal data: people, their appointments and declarations (core.personal_data)."""

from __future__ import annotations

from django.db.models import Q

from gpvoice.core import personal_data as pd

from .models import Appointment, Declaration, Organisation, PendingImport, Person

pd.register(
    Person,
    find=lambda s: Q(pk=s.person.pk) if s.person is not None else Q(pk__in=[]),
    export=("full_name", "email", "phone", "user"),
    erase=pd.replace(full_name=lambda s: s.pseudonym, email="", phone=""),
    erasure="Name replaced by 'Erased person #N'; email and phone blanked.",
)
pd.register(
    Appointment,
    find=pd.by(person=["person"]),
    export=("role", "organisation", "title", "start", "end", "is_signatory"),
    erase=pd.keep,
    erasure="Kept (who could act for a practice when a vote or answer was recorded), under the pseudonym.",
)
pd.register(
    Declaration,
    find=pd.by(person=["person"]),
    export=("organisation", "interest", "nature", "start", "end", "declared_on"),
    erase=pd.keep,
    erasure="Kept (part of the record of meetings), under the pseudonym.",
)
pd.declare_none(
    Organisation,
    reason="ODS reference data about organisations: a practice's name, phone and address are its "
    "own published switchboard and premises, not a person's.",
)
pd.register(
    PendingImport,
    find=pd.by(user=["uploaded_by"]),
    export=("kind", "created_at"),
    erase=pd.delete,
    erasure="Deleted (an upload waiting for its confirmation).",
)
