"""Pages that show a ballot's state check the clock, as the vote page does: a late worker never
leaves the list or the home page saying "Scheduled" after the opening time."""

from datetime import timedelta

import pytest
import time_machine

from gpvoice.ballots.models import Status
from gpvoice.core.models import Role


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["/g/{slug}/ballots/", "/g/{slug}/"])
def test_a_ballot_past_its_opening_time_shows_open_without_the_worker(
    client, group, personas, make_ballot, page
):
    ballot = make_ballot(open_now=False)
    assert ballot.status == Status.SCHEDULED
    with time_machine.travel(ballot.opens_at + timedelta(seconds=1)):
        client.force_login(personas[Role.CORE])  # signed in then: a session lasts hours, not a day
        body = client.get(page.format(slug=group.slug)).content.decode()
    ballot.refresh_from_db()
    assert ballot.status == Status.OPEN
    assert ballot.title in body


@pytest.mark.django_db
def test_a_ballot_past_its_closing_time_is_closed_and_counted_when_the_list_is_read(
    client, group, personas, make_ballot
):
    ballot = make_ballot()
    with time_machine.travel(ballot.closes_at + timedelta(seconds=1)):
        client.force_login(personas[Role.CORE])
        client.get(f"/g/{group.slug}/ballots/")
    ballot.refresh_from_db()
    assert ballot.status in (Status.CLOSED, Status.PUBLISHED) and ballot.result is not None


@pytest.mark.django_db
def test_before_its_time_the_list_changes_nothing(client, group, personas, make_ballot):
    ballot = make_ballot(open_now=False)
    client.force_login(personas[Role.CORE])
    client.get(f"/g/{group.slug}/ballots/")
    ballot.refresh_from_db()
    assert ballot.status == Status.SCHEDULED
