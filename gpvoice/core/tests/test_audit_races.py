"""Audit writers at the same moment: one group's writers queue, other groups' do not wait for them."""

import threading
import time

import pytest
from django.db import connection, transaction

from gpvoice.core import audit
from gpvoice.core.models import AuditChain, AuditEntry, LeadershipGroup

from .threads import run_together

THREADS = 12
WAIT = 10  # seconds: only ever reached when the behaviour under test is broken

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises every writer (BEGIN IMMEDIATE): writes in parallel is PostgreSQL's",
)


def make_group(slug: str) -> LeadershipGroup:
    return LeadershipGroup.objects.create(name=slug.title(), slug=slug)


def hold_chain(group: LeadershipGroup, holding: threading.Event, release: threading.Event) -> None:
    """Record in ``group`` and keep the transaction (and so its chain head) open until released."""
    with transaction.atomic():
        audit.record(action="test.holding", group=group)
        holding.set()
        assert release.wait(WAIT), "the test never released the chain"


@pytest.mark.postgres
@postgres_only
@pytest.mark.django_db(transaction=True)
def test_writes_in_another_group_proceed_while_one_groups_chain_is_held():
    north, south = make_group("north"), make_group("south")
    audit.record(action="test.opened", group=south)  # so neither thread races to create a chain
    holding, release, south_done, second_north_done = (threading.Event() for _ in range(4))
    finished_while_held: list[bool] = []

    def south_writer() -> None:
        assert holding.wait(WAIT)
        audit.record(action="test.parallel", group=south)
        south_done.set()
        finished_while_held.append(not release.is_set())

    def second_north_writer() -> None:
        assert holding.wait(WAIT)
        audit.record(action="test.queued", group=north)
        second_north_done.set()

    def referee() -> None:
        assert south_done.wait(WAIT), "a write in another group waited for this group's chain"
        time.sleep(0.5)  # long enough for the second writer in the held group to finish, if it could
        finished_while_held.append(second_north_done.is_set())
        release.set()

    errors = run_together(
        [lambda: hold_chain(north, holding, release), south_writer, second_north_writer, referee]
    )
    assert errors == []
    assert finished_while_held == [True, False]  # south finished under the hold; north's second waited
    assert [e.action for e in AuditChain.objects.get(group=north).entries.order_by("sequence")] == [
        "test.holding",
        "test.queued",
    ]
    assert all(report.ok for report in audit.verify_all_chains())


@pytest.mark.postgres
@postgres_only
@pytest.mark.django_db(transaction=True)
def test_waiting_too_long_for_a_chain_is_a_clear_refusal(settings):
    settings.AUDIT_LOCK_TIMEOUT_MS = 200
    group = make_group("busy")
    audit.record(action="test.opened", group=group)
    holding, release = threading.Event(), threading.Event()
    refused: list[BaseException] = []

    def impatient_writer() -> None:
        assert holding.wait(WAIT)
        try:
            with transaction.atomic():
                LeadershipGroup.objects.create(name="Written first", slug="written-first")
                audit.record(action="test.too_late", group=group)
        except audit.AuditChainBusy as error:
            refused.append(error)
        finally:
            release.set()

    errors = run_together([lambda: hold_chain(group, holding, release), impatient_writer])
    assert errors == []
    assert len(refused) == 1
    assert str(refused[0]) == (
        f"The audit log for group:{group.pk} is busy: another change held it for more than 0.2 s. "
        "Nothing was saved; try again."
    )
    assert not LeadershipGroup.objects.filter(slug="written-first").exists()  # its write rolled back
    assert not AuditEntry.objects.filter(action="test.too_late").exists()
    assert all(report.ok for report in audit.verify_all_chains())


@pytest.mark.postgres
@postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_lock_timeout_applies_only_while_taking_the_chain(settings):
    settings.AUDIT_LOCK_TIMEOUT_MS = 200
    group = make_group("after")
    with transaction.atomic():
        audit.record(action="test.one", group=group)
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('lock_timeout')")
            assert cursor.fetchone()[0] == "0"  # the server's default: the service's later locks wait


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_in_one_group_leave_a_gap_free_verified_chain():
    group = make_group("crowded")
    audit.record(action="test.opened", group=group)
    errors = run_together(
        [lambda i=i: audit.record(action="test.race", group=group, data={"i": i}) for i in range(THREADS)]
    )
    assert errors == []
    entries = list(AuditChain.objects.get(group=group).entries.order_by("sequence"))
    assert [e.sequence for e in entries] == list(range(1, THREADS + 2))
    assert sorted(e.data["i"] for e in entries[1:]) == list(range(THREADS))
    report = audit.verify_chain(AuditChain.objects.get(group=group))
    assert report.ok and report.checked == THREADS + 1, f"{report} on {connection.vendor}"


@pytest.mark.django_db(transaction=True)
def test_first_writers_of_a_new_group_race_to_one_chain():
    group = make_group("brand-new")  # made without group_create: no chain yet
    errors = run_together(
        [lambda i=i: audit.record(action="test.first", group=group) for i in range(THREADS)]
    )
    assert errors == []
    assert AuditChain.objects.filter(group=group).count() == 1
    report = audit.verify_chain(AuditChain.objects.get(group=group))
    assert report.ok and report.checked == THREADS, f"{report} on {connection.vendor}"
