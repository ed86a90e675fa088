"""Demo of a person's own account page: declarations they keep themselves, one due for renewal."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from gpvoice.accounts.models import User
from gpvoice.directory.models import Declaration
from gpvoice.directory.services import declaration_declare

DEMO_MEMBER = "member.both@example.nhs.uk"


def load_own_declarations() -> None:
    """The member of both groups has declared two interests on /account/, one a year and more ago."""
    member = User.objects.get(email=DEMO_MEMBER)
    if Declaration.objects.filter(person__user=member).exists():
        return
    declaration_declare(actor=member, interest="Director, Northvale Health Ltd", nature="Financial")
    old = declaration_declare(
        actor=member, interest="Trustee, Southmere Carers' Trust", nature="Non-financial"
    )
    # Declared (in the story) 13 months ago, so the account page shows it due for renewal.
    Declaration.objects.filter(pk=old.pk).update(declared_on=timezone.localdate() - timedelta(days=395))
