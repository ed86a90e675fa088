"""Subject access and erasure (UK GDPR articles 15 and 17), over every registered model.

Erasure pseudonymises: governance records (votes, answers, decisions, the audit log) stay and
point at a person named "Erased person #N"; see docs/adr/0006-personal-data.md.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from gpvoice.accounts.models import User
from gpvoice.core import audit
from gpvoice.core import personal_data as pd
from gpvoice.core.locking import lock_row
from gpvoice.core.models import AuditEntry, LeadershipGroup, Membership, Role
from gpvoice.directory.models import Person
from gpvoice.governance.models import RollEntry

EXPORT_FORMAT = "gpvoice.person-export/1"
PERSONAL_TARGETS = {"accounts.user", "directory.person"}


class DataProtectionError(Exception):
    """A refusal, with a message for the operator."""


@dataclass(frozen=True)
class ErasureReport:
    subject: pd.Subject
    changed: dict[str, int]  # model label -> rows deleted or rewritten


def subject_for(*, person_id: object = None, user_id: object = None) -> pd.Subject:
    """Who a command means: a directory person (with their user, if any) or a user alone."""
    person = user = None
    if person_id is not None:
        person = Person.objects.filter(pk=_id(person_id)).select_related("user").first()
        if person is None:
            raise DataProtectionError(f"No person with id {person_id}.")
        user = person.user
    if user_id is not None:
        user = User.objects.filter(pk=_id(user_id)).first()
        if user is None:
            raise DataProtectionError(f"No user with id {user_id}.")
        person = Person.objects.filter(user=user).first()
    if person is None and user is None:
        raise DataProtectionError("Name a person or a user.")
    emails = {e.lower() for e in (getattr(person, "email", ""), getattr(user, "email", "")) if e}
    return pd.Subject(person=person, user=user, emails=frozenset(emails))


def _id(raw: object) -> int:
    text = str(raw).strip()
    if not text.isdigit() or len(text) > 18:
        raise DataProtectionError(f"{raw!r} is not an id (a whole number).")
    return int(text)


def _check_actor(actor: Any) -> None:
    """The console (no actor) or a platform administrator: nobody else reaches every group's data."""
    if actor is not None and not (getattr(actor, "is_superuser", False) and actor.is_active):
        raise DataProtectionError("Only a platform administrator may export or erase a person's data.")


def _value(obj: models.Model, name: str) -> Any:
    field = obj._meta.get_field(name)
    if field.many_to_many:
        return [str(o) for o in getattr(obj, name).all()]
    if field.is_relation:
        target = getattr(obj, name)
        if target is None:
            return None
        # People and users are given by id: another person's name is not this person's data.
        return target.pk if target._meta.label_lower in PERSONAL_TARGETS else str(target)
    return getattr(obj, name)


def _collect(subject: pd.Subject) -> dict[str, list[dict[str, Any]]]:
    records: dict[str, list[dict[str, Any]]] = {}
    for holder in pd.holders():
        rows = [{"id": obj.pk, **{n: _value(obj, n) for n in holder.export}} for obj in holder.rows(subject)]
        if rows:
            records[holder.label] = rows
    return records


@transaction.atomic
def person_export(*, subject: pd.Subject, actor: Any = None) -> dict[str, Any]:
    """Everything held about the subject, by model; the export itself is audited."""
    _check_actor(actor)
    records = _collect(subject)
    document = {
        "format": EXPORT_FORMAT,
        "exported_at": timezone.now(),
        "person": subject.person.pk if subject.person is not None else None,
        "user": subject.user.pk if subject.user is not None else None,
        "records": records,
    }
    audit.record(
        action="operations.person.exported",
        actor=actor,
        obj=subject.person or subject.user,
        data={"records": {label: len(rows) for label, rows in records.items()}},
    )
    return json.loads(json.dumps(document, cls=DjangoJSONEncoder))


def _already_erased(subject: pd.Subject) -> bool:
    obj = subject.person or subject.user
    return AuditEntry.objects.filter(
        action="operations.person.erased", object_type=obj._meta.label, object_id=str(obj.pk)
    ).exists()


def _groups_of(subject: pd.Subject) -> list[LeadershipGroup]:
    ids: set[int] = set()
    if subject.user is not None:
        ids |= set(Membership.objects.filter(user=subject.user).values_list("group_id", flat=True))
    if subject.person is not None:
        ids |= set(RollEntry.objects.filter(person=subject.person).values_list("group_id", flat=True))
    return list(LeadershipGroup.objects.filter(pk__in=ids).order_by("pk"))


def _refuse_last_admin(subject: pd.Subject) -> None:
    if subject.user is None:
        return
    for m in Membership.objects.filter(user=subject.user, role=Role.ADMIN).select_related("group"):
        if not Membership.objects.filter(group_id=m.group_id, role=Role.ADMIN).exclude(pk=m.pk).exists():
            raise DataProtectionError(
                f"They are the last admin of {m.group.name}: make someone else admin there first."
            )


def _check_reason(subject: pd.Subject, reason: str) -> str:
    reason = reason.strip()
    if not reason or len(reason) > 200 or "\x00" in reason:
        raise DataProtectionError("Give a reason of up to 200 characters (e.g. the request's reference).")
    names = {subject.person.full_name if subject.person else "", *subject.emails}
    if any(n and n.lower() in reason.lower() for n in names):
        # The reason goes into the audit log, which erasure can never change.
        raise DataProtectionError("The reason must not contain the person's name or email address.")
    return reason


@transaction.atomic
def person_erase(*, subject: pd.Subject, actor: Any = None, reason: str) -> ErasureReport:
    """Pseudonymise the subject everywhere they are registered; votes, tallies and the audit log stay."""
    _check_actor(actor)
    # One erasure at a time per person: the second waits here, then finds the first's audit entry.
    if subject.person is not None:
        lock_row(Person.objects.all(), pk=subject.person.pk)
    if subject.user is not None:
        lock_row(User.objects.all(), pk=subject.user.pk)
    if _already_erased(subject):
        raise DataProtectionError(f"{subject.pseudonym} has already been erased.")
    reason = _check_reason(subject, reason)
    _refuse_last_admin(subject)
    groups = _groups_of(subject)
    # Find every row first: erasing one model (an email) must not hide rows of another from the search.
    found = [(holder, list(holder.rows(subject).values_list("pk", flat=True))) for holder in pd.holders()]
    changed: dict[str, int] = {}
    for holder, pks in found:
        if pks and (count := holder.erase(subject, holder.model._default_manager.filter(pk__in=pks))):
            changed[holder.label] = count
    obj = subject.person or subject.user
    for group in groups:
        audit.record(action="operations.person.erased", actor=actor, group=group, obj=obj, data={})
    audit.record(
        action="operations.person.erased", actor=actor, obj=obj, data={"reason": reason, "changed": changed}
    )
    return ErasureReport(subject=subject, changed=changed)
