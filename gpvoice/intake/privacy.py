"""The single point of access's personal data (core.personal_data): requesters and officers.

A requester is usually a system partner's staff member, known only by the name and email they gave;
officers are users. Erasing a requester blanks their contact details but keeps the request (the
group's record of what it was asked and how it answered)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from gpvoice.core import personal_data as pd

from .models import AccessRequest, Attachment, Category, Message, MonthlyServiceLevel, StatusChange


def _erase_requester(subject: pd.Subject, rows: QuerySet[Any]) -> int:
    """Blank the contact details only where the subject asked; requests they lead stay as they are."""
    asked = Q(pk__in=[])
    for address in subject.emails:
        asked |= Q(requester_email__iexact=address)
    return rows.filter(asked).update(requester_name=subject.pseudonym, requester_email=subject.erased_email)


pd.register(
    AccessRequest,
    find=pd.by(user=["lead"], email=["requester_email"]),
    export=("reference", "group", "subject", "requester_name", "requester_email", "status", "received_at"),
    erase=_erase_requester,
    erasure="The requester's name and email replaced; requests they lead are kept under the pseudonym.",
)
pd.register(
    StatusChange,
    find=pd.by(user=["created_by"]),
    export=("request", "status", "created_at"),
    erase=pd.keep,
    erasure="Kept (the request's history), under the pseudonym.",
)
pd.register(
    Message,
    find=pd.by(user=["officer"]),
    export=("request", "author", "is_answer", "created_at"),
    erase=pd.keep,
    erasure="Kept (what the group answered), under the pseudonym.",
)
pd.declare_none(Category, reason="the group's request categories and their service levels")
pd.declare_none(MonthlyServiceLevel, reason="counts of a group's requests by month; nobody's details")
pd.declare_none(Attachment, reason="a file's own name and type; whose request it is sits on the request")
