"""Sending a bulletin to N people with the database task backend and its worker: `make bench`.

N comes from BENCH_BULLETIN_N (2,000 by default; try 20,000 on a quiet machine). The worker runs
in this process (``db_worker --batch``) until the queue is empty; the email backend is the
in-memory one, so the figure is the application's cost per copy (claim, render, record), not an
SMTP server's. Prints the rate, and checks that every person got exactly one copy.
"""

from __future__ import annotations

import os
import time

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings

from gpvoice.accounts.models import User
from gpvoice.core.models import Role
from gpvoice.core.services import membership_set
from gpvoice.directory.models import Appointment, Person, RoleType
from gpvoice.directory.tests.factories import make_area
from gpvoice.engagement import services
from gpvoice.engagement.models import BulletinDelivery, BulletinStatus, DeliveryState

N = int(os.environ.get("BENCH_BULLETIN_N", "2000"))
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _people(practices: list, n: int) -> None:
    people = Person.objects.bulk_create(
        [Person(full_name=f"Staff {i}", email=f"staff{i}@bench.test") for i in range(n)], batch_size=2000
    )
    Appointment.objects.bulk_create(
        [
            Appointment(person=p, organisation=practices[i % len(practices)], role=RoleType.SALARIED_GP)
            for i, p in enumerate(people)
        ],
        batch_size=2000,
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("n", [N])
def test_bulletin_to_n_people(group, n):
    admin = User.objects.create_user(email="bench.admin@bench.test")
    membership_set(group=group, user=admin, role=Role.ADMIN)
    area = make_area(practices=20, footprint_of=group)
    _people(list(area["practices"]), n)
    with override_settings(TASKS=DB_TASKS):
        bulletin = services.bulletin_create(
            group=group,
            title="Benchmark",
            body="## News\nA **bulletin**.",
            category="news",
            audience="all_staff",
            actor=admin,
        )
        started = time.perf_counter()
        services.bulletin_send(bulletin=bulletin, actor=admin)
        call_command("db_worker", batch=True, no_startup_delay=True, interval=0, verbosity=0)
        elapsed = time.perf_counter() - started
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.SENT
    assert BulletinDelivery.objects.filter(bulletin=bulletin, state=DeliveryState.SENT).count() == n
    to = [m.to[0] for m in mail.outbox]
    assert len(to) == len(set(to)) == n
    print(f"\nbulletin to {n:,} people: {elapsed:.1f} s, {n / elapsed:,.0f} emails a second")
