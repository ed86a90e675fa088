"""Officers racing on one seat, and workers racing on the scheduled sends: threads released together."""

from __future__ import annotations

from datetime import timedelta

import pytest

from gpvoice.core.models import AuditEntry, Role
from gpvoice.core.tests.threads import run_together
from gpvoice.jobs.models import OutgoingEmail
from gpvoice.representation import services
from gpvoice.representation.models import Briefing, SeatAppointment

from .conftest import today


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_officers_appointing_to_one_seat_leave_one_representative(seat, people, personas):
    officers = [personas[Role.ADMIN], personas[Role.EXECUTIVE]] * 2
    candidates = [people[Role.CORE], people[Role.ATTENDEE], people[Role.OBSERVER], people[Role.EXECUTIVE]]
    calls = [
        (
            lambda who=who, person=person: services.seat_appoint(
                seat=seat,
                person=person,
                holder="representative",
                starts_on=today(),
                term_ends_on=today() + timedelta(days=365),
                actor=who,
            )
        )
        for who, person in zip(officers, candidates, strict=True)
    ]
    assert run_together(calls, refusals=(services.RepresentationError,)) == []
    assert (
        SeatAppointment.objects.filter(seat=seat, holder="representative", ended_at__isnull=True).count() == 1
    )
    assert AuditEntry.objects.filter(action="representation.seat.appointed").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_workers_sending_at_once_brief_once_and_chase_once(appoint, people, make_meeting):
    appoint(people[Role.CORE])
    make_meeting(3)
    make_meeting(-20)
    calls = [services.briefings_send_due, services.report_backs_chase] * 3
    assert run_together(calls) == []
    assert Briefing.objects.count() == 1
    assert OutgoingEmail.objects.filter(subject__startswith="Briefing").count() == 1
    assert OutgoingEmail.objects.filter(subject__startswith="Report-back overdue").count() == 1
