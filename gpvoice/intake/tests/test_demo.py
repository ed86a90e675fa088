import pytest
from django.core.management import call_command
from django.utils import timezone

from gpvoice.core.models import LeadershipGroup
from gpvoice.directory.models import OrgType
from gpvoice.intake.models import AccessRequest, Route, Status


@pytest.mark.django_db
def test_the_demo_has_requests_in_every_status_from_every_kind_of_partner():
    call_command("load-demo")
    today = timezone.localdate()
    for group in LeadershipGroup.objects.all():
        requests = list(AccessRequest.objects.filter(group=group).select_related("organisation"))
        assert {r.status for r in requests} == set(Status) - {Status.UNVERIFIED}
        kinds = {r.organisation.org_type for r in requests if r.organisation}
        assert {OrgType.ICB, OrgType.PLACE, OrgType.TRUST, OrgType.LOCAL_AUTHORITY} <= kinds
        assert any(
            r.is_open and r.due_on and r.due_on < today and r.status != Status.WAITING for r in requests
        )
        assert any(r.status == Status.WAITING for r in requests)
        assert any(r.route == Route.DECISION and r.status == Status.ANSWERED for r in requests)
        assert any(r.route == Route.BALLOT and r.ballot_id for r in requests)
        assert any(r.is_nominee_request for r in requests)
    count = AccessRequest.objects.count()
    call_command("load-demo")
    assert AccessRequest.objects.count() == count
