"""Replaying the same form submission stores it once (issue 9, item 10)."""

import pytest

from gpvoice.core.models import AuditEntry, Role
from gpvoice.core.tests.threads import run_together
from gpvoice.priorities import services
from gpvoice.priorities.models import Nomination


@pytest.mark.django_db
def test_the_same_nomination_posted_twice_is_stored_once(client, group, personas, make_round):
    round = make_round()
    client.force_login(personas[Role.OBSERVER])
    url = f"/g/{group.slug}/priorities/{round.pk}/"
    body = {"title": "Digital", "rationale": "Phones ring out"}
    before = (Nomination.objects.count(), AuditEntry.objects.count())
    assert client.post(url, body).status_code == 302
    assert client.post(url, body).status_code == 302
    assert (Nomination.objects.count(), AuditEntry.objects.count()) == (before[0] + 1, before[1] + 1)


@pytest.mark.django_db
def test_a_different_rationale_is_a_new_nomination_not_a_replay(group, personas, make_round):
    round = make_round()
    user = personas[Role.OBSERVER]
    first = services.nomination_make(round=round, title="Digital", rationale="A", actor=user)
    second = services.nomination_make(round=round, title="Digital", rationale="B", actor=user)
    assert first.pk != second.pk


@pytest.mark.django_db(transaction=True)
def test_two_copies_of_a_nomination_at_once_store_one(group, personas, make_round):
    round = make_round()
    user = personas[Role.OBSERVER]
    before = Nomination.objects.count()
    errors = run_together(
        [lambda: services.nomination_make(round=round, title="Estates", rationale="Too small", actor=user)]
        * 4
    )
    assert errors == []
    assert Nomination.objects.count() == before + 1
