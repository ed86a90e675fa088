"""Decisions the rules keep on the record even when the write they refuse is rolled back."""

import pytest
from django.db import connection, transaction

from gpvoice.core import audit
from gpvoice.core.models import AuditEntry, LeadershipGroup, Role
from gpvoice.directory.models import RoleType
from gpvoice.directory.tests.factories import AppointmentFactory, PersonFactory
from gpvoice.governance import services as governance
from gpvoice.governance.models import RollEntry, RollStatus


class Refused(Exception):
    pass


def actions() -> list[str]:
    return list(
        AuditEntry.objects.filter(action__startswith="test.").order_by("id").values_list("action", flat=True)
    )


def keep_and_write(group: LeadershipGroup, *, then: Exception | None) -> None:
    """A write that keeps its decision, writes a group and its entry, then maybe fails."""
    with audit.atomic_keeping(Refused) as kept:
        kept.record(action="test.decided", group=group, data={"may": then is None})
        LeadershipGroup.objects.create(name="Written", slug="written")
        audit.record(action="test.written", group=group)
        if then is not None:
            raise then


@pytest.mark.django_db
def test_a_kept_decision_survives_the_refusal_and_the_write_does_not(group):
    with pytest.raises(Refused):
        keep_and_write(group, then=Refused("no"))
    assert not LeadershipGroup.objects.filter(slug="written").exists()
    assert actions() == ["test.decided"]
    assert AuditEntry.objects.get(action="test.decided").data == {"may": False}
    assert audit.verify_chain().ok


@pytest.mark.django_db
def test_a_write_that_goes_through_records_the_kept_decision_once_after_its_own(group):
    keep_and_write(group, then=None)
    assert LeadershipGroup.objects.filter(slug="written").exists()
    assert actions() == ["test.written", "test.decided"]  # chain head still the last lock taken
    assert audit.verify_chain().ok


@pytest.mark.django_db
def test_an_error_that_is_not_a_refusal_keeps_nothing(group):
    with pytest.raises(ValueError, match="bug"):
        keep_and_write(group, then=ValueError("bug"))
    assert actions() == []


@pytest.mark.django_db(transaction=True)
def test_the_kept_decision_is_committed_with_no_surrounding_transaction():
    group = LeadershipGroup.objects.create(name="Alone", slug="alone")
    with pytest.raises(Refused):
        keep_and_write(group, then=Refused("no"))
    assert not connection.in_atomic_block
    assert actions() == ["test.decided"]
    assert audit.verify_chain().ok


@pytest.mark.django_db
def test_record_refusal_refuses_inside_a_transaction_being_rolled_back(group):
    with transaction.atomic():
        transaction.set_rollback(True)  # as after a caught database error
        with pytest.raises(audit.RefusalInsideFailedWrite, match="after the write's atomic block"):
            audit.record_refusal(action="test.lost", group=group)
    assert actions() == []


@pytest.mark.django_db
def test_record_refusal_after_the_write_records(group):
    with pytest.raises(Refused), transaction.atomic():
        LeadershipGroup.objects.create(name="Written", slug="written")
        raise Refused
    entry = audit.record_refusal(action="test.refused", group=group, data={"why": "no"})
    assert (entry.action, entry.group, entry.data) == ("test.refused", group, {"why": "no"})
    assert not LeadershipGroup.objects.filter(slug="written").exists()


@pytest.mark.django_db
def test_roll_add_keeps_a_refused_eligibility_decision(group, personas):
    lead = PersonFactory(full_name="Dr System Lead")
    AppointmentFactory(person=lead, role=RoleType.SYSTEM_CLINICAL_LEAD)
    with pytest.raises(governance.GovernanceError, match="cannot be a core member"):
        governance.roll_add(group=group, person=lead, status=RollStatus.CORE, actor=personas[Role.ADMIN])
    assert not RollEntry.objects.filter(person=lead).exists()
    decision = AuditEntry.objects.get(action="governance.eligibility.decided", object_id=str(lead.pk))
    assert decision.data["requested"] == RollStatus.CORE
    assert decision.data["may_be_core"] is False
    assert "system role" in decision.data["reason"]
