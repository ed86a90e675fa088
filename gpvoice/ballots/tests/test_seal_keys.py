"""Rotating BALLOT_SEAL_KEY never breaks an open ballot; a seal no key opens says so clearly."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import timezone

from gpvoice.ballots import sealing, services
from gpvoice.ballots.models import Ballot, SealedChoice, Status

from .conftest import close_by_the_clock, option_ids


def test_each_sealed_weight_records_the_key_that_sealed_it(settings):
    settings.BALLOT_SEAL_KEY, settings.BALLOT_SEAL_OLD_KEYS = "key-A", []
    sealed = sealing.seal_weight(ballot_id=7, weight=4321)
    assert sealed.startswith(sealing.key_id("key-A") + ":")
    assert "key-A" not in sealed and sealing.key_id("key-A") != sealing.key_id("key-B")
    settings.BALLOT_SEAL_KEY, settings.BALLOT_SEAL_OLD_KEYS = "key-B", ["key-A"]
    assert sealing.open_weight(ballot_id=7, sealed=sealed) == 4321
    assert sealing.seal_weight(ballot_id=7, weight=1).startswith(sealing.key_id("key-B") + ":")


def test_a_weight_sealed_before_key_ids_were_recorded_still_opens(settings):
    settings.BALLOT_SEAL_KEY, settings.BALLOT_SEAL_OLD_KEYS = "key-A", []
    legacy = sealing.seal_weight(ballot_id=3, weight=999).split(":", 1)[1]
    settings.BALLOT_SEAL_KEY, settings.BALLOT_SEAL_OLD_KEYS = "key-B", ["key-A"]
    assert sealing.open_weight(ballot_id=3, sealed=legacy) == 999


@pytest.mark.parametrize("old_keys", [[], ["key-C"]])
def test_a_seal_no_key_opens_is_a_clear_error(settings, old_keys):
    settings.BALLOT_SEAL_KEY, settings.BALLOT_SEAL_OLD_KEYS = "key-A", []
    sealed = sealing.seal_weight(ballot_id=3, weight=999)
    settings.BALLOT_SEAL_KEY, settings.BALLOT_SEAL_OLD_KEYS = "key-B", old_keys
    with pytest.raises(sealing.SealError, match=f"key whose id is {sealing.key_id('key-A')}"):
        sealing.open_weight(ballot_id=3, sealed=sealed)
    with pytest.raises(sealing.SealError, match="cannot be opened with any configured key"):
        sealing.open_weight(ballot_id=3, sealed=sealed.split(":", 1)[1])
    with pytest.raises(sealing.SealError, match="damaged"):
        sealing.open_weight(ballot_id=3, sealed="not base64 at all!")


def test_moving_from_the_default_key_to_ones_own_keeps_old_seals_open(settings):
    settings.BALLOT_SEAL_KEY, settings.BALLOT_SEAL_OLD_KEYS = "", []
    sealed = sealing.seal_weight(ballot_id=5, weight=1234)  # under the key derived from SECRET_KEY
    settings.BALLOT_SEAL_KEY = "a-new-key-of-its-own"
    assert sealing.open_weight(ballot_id=5, sealed=sealed) == 1234


@pytest.mark.django_db
def test_rotating_the_key_while_a_ballot_is_open_closes_and_tallies_correctly(
    settings, make_ballot, signatories, capsys
):
    settings.BALLOT_SEAL_KEY, settings.BALLOT_SEAL_OLD_KEYS = "key-A", []
    ballot = make_ballot(is_secret=True, weighting="list_size", secret_min_turnout=1)
    yes, no = option_ids(ballot)
    # Under key A: practices of 1000 and 2000 say yes, 3000 says no.
    for user, choice in zip(signatories[:3], [yes, yes, no], strict=True):
        services.ballot_cast(ballot=ballot, user=user, content={"choice": choice})
    settings.BALLOT_SEAL_KEY, settings.BALLOT_SEAL_OLD_KEYS = "key-B", ["key-A"]
    # Under key B: the 1000 practice changes to no (its key-A choice is replaced, not doubled),
    # and the 4000 practice says yes. Yes: 2000 + 4000 = 6000 of 10,000 patients.
    services.ballot_cast(ballot=ballot, user=signatories[0], content={"choice": no})
    services.ballot_cast(ballot=ballot, user=signatories[3], content={"choice": yes})
    assert SealedChoice.objects.filter(ballot=ballot).count() == 4
    ballot = close_by_the_clock(ballot)
    assert ballot.status == Status.PUBLISHED
    rows = {r["label"]: r for r in ballot.result["options"]}
    assert rows["Yes"]["count"] == 2 and rows["No"]["count"] == 2
    assert ballot.result["outcome"]["passes"] is True  # 6000 of 10,000 patients: more than half
    call_command("tally", str(ballot.pk))
    assert "Recount matches the stored result." in capsys.readouterr().out


@pytest.mark.django_db
def test_closing_and_tallying_without_the_sealing_key_say_so(settings, make_ballot, signatories, capsys):
    settings.BALLOT_SEAL_KEY, settings.BALLOT_SEAL_OLD_KEYS = "key-A", []
    ballot = make_ballot(is_secret=True, weighting="list_size")
    services.ballot_cast(ballot=ballot, user=signatories[0], content={"choice": option_ids(ballot)[0]})
    settings.BALLOT_SEAL_KEY = "key-B"  # key A lost
    with pytest.raises(services.BallotError, match="cannot be closed: .*BALLOT_SEAL_OLD_KEYS"):
        close_by_the_clock(ballot)
    assert Ballot.objects.get(pk=ballot.pk).status == Status.OPEN  # nothing half-done
    with time_machine.travel(ballot.closes_at):
        call_command("ballot-clock")
    assert "cannot be closed" in capsys.readouterr().err
    settings.BALLOT_SEAL_OLD_KEYS = ["key-A"]  # the key is found again: it closes
    assert close_by_the_clock(ballot).status == Status.PUBLISHED
    settings.BALLOT_SEAL_OLD_KEYS = []
    with pytest.raises(CommandError, match="cannot be recounted: .*key whose id is"):
        call_command("tally", str(ballot.pk))


@pytest.mark.django_db
def test_the_pages_show_the_error_rather_than_fail(settings, client, group, make_ballot, signatories):
    settings.BALLOT_SEAL_KEY, settings.BALLOT_SEAL_OLD_KEYS = "key-A", []
    closes = timezone.now() + timedelta(minutes=5)  # soon, so the session has not expired by then
    ballot = make_ballot(is_secret=True, weighting="list_size", closes_at=closes)
    services.ballot_cast(ballot=ballot, user=signatories[0], content={"choice": option_ids(ballot)[0]})
    settings.BALLOT_SEAL_KEY = "key-B"
    client.force_login(signatories[1])
    with time_machine.travel(ballot.closes_at):
        page = client.get(f"/g/{group.slug}/ballots/{ballot.pk}/")
        vote = client.post(f"/g/{group.slug}/ballots/{ballot.pk}/vote/", {"choice": option_ids(ballot)[0]})
    assert page.status_code == 200 and "cannot be closed" in page.content.decode()
    assert vote.status_code == 200 and "cannot be closed" in vote.content.decode()
