from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.management import call_command

from gpvoice.directory.models import RoleType
from gpvoice.directory.tests.factories import AppointmentFactory, DeclarationFactory, PersonFactory
from gpvoice.governance import services


@pytest.mark.django_db
def test_only_people_with_due_declarations_are_reminded_by_real_email(group):
    due = PersonFactory(email="due@nhs.test")
    fresh = PersonFactory(email="fresh@nhs.test")
    for person in (due, fresh):
        AppointmentFactory(person=person, role=RoleType.PRACTICE_PARTNER)
        services.roll_add(group=group, person=person, status="core", actor=None)
    DeclarationFactory(person=due, declared_on=date.today() - timedelta(days=366))
    DeclarationFactory(person=fresh, declared_on=date.today() - timedelta(days=10))
    call_command("remind-declarations")
    assert [m.to for m in mail.outbox] == [["due@nhs.test"]]
    assert "renew your declaration" in mail.outbox[0].subject
