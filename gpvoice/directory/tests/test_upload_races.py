"""Two confirmations of one preview at the same moment apply it once (run on PostgreSQL too)."""

import pytest

from conftest import make_member
from gpvoice.core.models import AuditEntry, Role
from gpvoice.core.tests.threads import run_together
from gpvoice.directory import layouts as files
from gpvoice.directory.models import Organisation, PendingImport
from gpvoice.directory.uploads import PreviewGone, pending_import_confirm, pending_import_create


@pytest.mark.django_db(transaction=True)
def test_two_confirmations_at_once_apply_the_upload_once(group):
    user = make_member(group, Role.ADMIN)
    pending, report = pending_import_create(
        kind="practice-map", chunks=[files.practice_map([files.map_row("Z10001")])], user=user
    )
    assert report.ok
    applied: list[object] = []

    def confirm() -> None:
        applied.append(pending_import_confirm(token=pending.token, user=user))

    assert run_together([confirm] * 4, refusals=(PreviewGone,)) == []
    assert len(applied) == 1
    assert AuditEntry.objects.filter(action="directory.import.applied").count() == 1
    assert Organisation.objects.filter(ods_code="Z10001").count() == 1
    assert not PendingImport.objects.exists()
