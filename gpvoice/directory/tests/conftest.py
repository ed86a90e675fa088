from __future__ import annotations

from typing import Any

import pytest

from gpvoice.core.models import AuditEntry
from gpvoice.directory.models import ListSize, Organisation


def snapshot() -> tuple[Any, ...]:
    orgs = list(
        Organisation.objects.order_by("id").values_list(
            "org_type",
            "ods_code",
            "name",
            "status",
            "closed_on",
            "postcode",
            "pcn_id",
            "sub_icb_id",
            "icb_id",
            "region_id",
            "list_size",
        )
    )
    sizes = list(ListSize.objects.order_by("id").values_list("organisation_id", "extract_date", "patients"))
    return orgs, sizes, AuditEntry.objects.count()


@pytest.fixture
def unchanged():
    """Assert that the block changes nothing in the directory or the audit log."""

    class Guard:
        def __enter__(self) -> None:
            self.before = snapshot()

        def __exit__(self, *exc: object) -> None:
            assert snapshot() == self.before, "a rejected file changed the database"

    return Guard
