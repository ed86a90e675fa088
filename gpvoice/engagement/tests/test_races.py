"""Races on PostgreSQL: two signatories of one practice answering at once."""

from __future__ import annotations

import pytest

from gpvoice.core.tests.threads import run_together
from gpvoice.engagement import services
from gpvoice.engagement.models import AnswerCount, Response

from .conftest import by_key, relationship_answers, send_unchained


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_signatories_answering_at_once_leave_one_current_response_and_both_in_history(
    make_consultation, practices, signatories, area
):
    c = make_consultation()
    errors = run_together(
        [
            lambda: services.response_submit(
                consultation=c,
                practice=practices[0],
                answers=relationship_answers(c, "allies"),
                actor=signatories[0],
            ),
            lambda: services.response_submit(
                consultation=c,
                practice=practices[0],
                answers=relationship_answers(c, "enemies"),
                actor=signatories[1],
            ),
        ]
    )
    assert errors == []
    rows = Response.objects.filter(consultation=c, practice=practices[0])
    assert rows.count() == 2 and rows.filter(is_current=True).count() == 1
    current = rows.get(is_current=True).answers[str(by_key(c)["stance"].pk)]
    counts = dict(AnswerCount.objects.filter(question=by_key(c)["stance"]).values_list("value", "count"))
    assert counts == {"allies": int(current == "allies"), "enemies": int(current == "enemies")}
    c.refresh_from_db()
    assert c.responses_count == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_sending_one_bulletin_send_each_copy_once(
    group, personas, practices, signatories, monkeypatch
):
    from django.core import mail

    from gpvoice.engagement import delivery
    from gpvoice.engagement.models import BulletinDelivery, DeliveryState

    b = _prepared_bulletin(group, personas, practices, monkeypatch)
    monkeypatch.setattr(delivery, "BATCH", 7)
    mail.outbox = []
    errors = run_together([lambda: delivery.send_batch.call(b.pk), lambda: delivery.send_batch.call(b.pk)])
    assert errors == []
    to = [m.to[0] for m in mail.outbox]
    assert len(to) == len(set(to)) == BulletinDelivery.objects.filter(bulletin=b).count() == 64
    assert not BulletinDelivery.objects.filter(bulletin=b).exclude(state=DeliveryState.SENT).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_recounts_at_once_leave_one_row_per_practice(group, practices):
    from gpvoice.engagement import figures
    from gpvoice.engagement.models import PracticeEngagement

    errors = run_together([lambda: figures.refresh(group, 2026), lambda: figures.refresh(group, 2026)])
    assert errors == []
    assert PracticeEngagement.objects.filter(group=group, year=2026).count() == len(practices)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_batch_then_the_clock_send_everyone_one_copy_but_one_uncertain(
    group, personas, practices, signatories, monkeypatch
):
    """Two workers send one bulletin at once in batches of 7; the first dies (an uncaught error in
    its sender) on its fifth send, just after the server accepted the copy. Then the clock runs.
    Everyone gets exactly one copy, except at most one uncertain copy (one per dead worker), which
    reached its recipient at most once."""
    import threading
    from datetime import timedelta

    from django.utils import timezone

    from gpvoice.engagement import delivery
    from gpvoice.engagement.models import BulletinDelivery, BulletinStatus, DeliveryState

    b = _prepared_bulletin(group, personas, practices, monkeypatch)

    class Killed(BaseException):
        pass

    lock = threading.Lock()
    copies: dict[str, int] = {}
    doomed = threading.local()

    class Mailer:
        def __init__(self) -> None:
            self.n = 0

        def __enter__(self) -> Mailer:
            return self

        def __exit__(self, *exc: object) -> None:
            return None

        def send_messages(self, messages: list) -> int:
            self.n += 1
            with lock:
                for m in messages:
                    copies[m.to[0]] = copies.get(m.to[0], 0) + 1
            if getattr(doomed, "yes", False) and self.n == 5:
                raise Killed  # after the server took the copy, before the worker recorded it
            return len(messages)

    def worker(dies: bool) -> None:
        doomed.yes = dies
        delivery.send_batch.call(b.pk)

    monkeypatch.setattr(delivery, "get_connection", Mailer)
    monkeypatch.setattr(delivery, "BATCH", 7)
    errors = run_together([lambda: worker(True), lambda: worker(False)])
    assert [type(e) for e in errors] == [Killed]
    rows = BulletinDelivery.objects.filter(bulletin=b)
    assert rows.filter(state=DeliveryState.SENDING).count() == 7 - 4  # the in-flight one and two never tried
    delivery.resume(timezone.now() + timedelta(minutes=6))  # the clock, with the worker's claim stale
    assert rows.count() == 64
    uncertain = list(rows.filter(state=DeliveryState.UNCERTAIN).values_list("address", flat=True))
    assert len(uncertain) <= 1
    assert rows.filter(state=DeliveryState.SENT).count() == 64 - len(uncertain)
    for address in rows.values_list("address", flat=True):
        assert copies.get(address, 0) == 1 or (address in uncertain and copies.get(address, 0) <= 1)
    b.refresh_from_db()
    assert b.status == BulletinStatus.SENT


def _prepared_bulletin(group, personas, practices, monkeypatch):
    """A bulletin to 64 people (the 60 salaried GPs made here and the signatories), its delivery
    rows made, and no batch started: the test's own workers run them."""
    from gpvoice.core.models import Role
    from gpvoice.directory.models import RoleType
    from gpvoice.directory.tests.factories import AppointmentFactory

    for n in range(60):
        AppointmentFactory(
            organisation=practices[n % 3], role=RoleType.SALARIED_GP, person__email=f"gp{n}@p.test"
        )
    admin = personas[Role.ADMIN]
    b = services.bulletin_create(
        group=group, title="T", body="B", category="news", audience="all_staff", actor=admin
    )
    send_unchained(b, admin, monkeypatch)
    return b
