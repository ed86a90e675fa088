"""Back-office uploads waiting between preview and confirm (issue 9, item 10).

The file is kept in the database under an unguessable token tied to the user who uploaded it,
so the confirmation may reach any app server, at any time within a day, and still find it. A
confirmation claims the upload by deleting it (compare-and-swap): of two at once, one applies.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from .importers import import_file
from .importers.report import ImportReport
from .models import PendingImport

ABANDONED_AFTER = timedelta(days=1)
TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")  # what secrets.token_urlsafe(32) makes


class PreviewGone(Exception):
    """No preview under that token for this user: confirmed already, abandoned, or someone else's."""


def pending_import_create(
    *, kind: str, chunks: Iterable[bytes], user: Any
) -> tuple[PendingImport, ImportReport]:
    """Keep the upload and preview it (nothing else is written). A file the preview rejects is
    not kept: there is nothing to confirm. Abandoned uploads are cleared on the way."""
    pending_imports_clear_abandoned()
    content = b"".join(chunks)
    report = import_file(kind, content, apply=False)
    pending = PendingImport(token=secrets.token_urlsafe(32), kind=kind, uploaded_by=user, content=content)
    if report.ok:
        pending.save()
    return pending, report


def pending_import_confirm(*, token: str, user: Any) -> ImportReport:
    """Apply the previewed file, once, for the user who uploaded it."""
    if not TOKEN.fullmatch(str(token)):  # a NUL would reach PostgreSQL as a 500
        raise PreviewGone
    fresh = PendingImport.objects.filter(created_at__gte=timezone.now() - ABANDONED_AFTER)
    with transaction.atomic():
        pending = fresh.filter(token=token, uploaded_by=user).first()
        if pending is None:
            raise PreviewGone
        # Claim it: two confirmations at once both read the row, but only one deletes it.
        # Deleting inside the import's transaction keeps the upload if applying it fails.
        if PendingImport.objects.filter(pk=pending.pk).delete()[0] != 1:
            raise PreviewGone
        return import_file(pending.kind, bytes(pending.content), apply=True, actor=user)


def pending_imports_clear_abandoned(*, now: Any = None) -> int:
    """Delete uploads older than ``ABANDONED_AFTER``; returns how many."""
    cutoff = (now or timezone.now()) - ABANDONED_AFTER
    return PendingImport.objects.filter(created_at__lt=cutoff).delete()[0]
