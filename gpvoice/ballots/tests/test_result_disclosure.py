"""Who sees a result, and what a secret ballot's result may say: one rule for page and API."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from gpvoice.ballots import services
from gpvoice.ballots.disclosure import WITHHELD

from .conftest import close_by_the_clock, option_ids


def _vote(ballot, users, choices=None) -> None:
    ids = option_ids(ballot)
    for i, user in enumerate(users):
        choice = ids[0] if choices is None else ids[choices[i]]
        services.ballot_cast(ballot=ballot, user=user, content={"choice": choice})


@pytest.mark.django_db
class TestOneVisibilityRule:
    def test_closed_unpublished_result_is_for_officers_on_the_page_and_in_the_api(
        self, client, group, admin, strong_login, make_ballot, signatories
    ):
        ballot = make_ballot(publish_on_close=False)
        _vote(ballot, signatories[:2])
        close_by_the_clock(ballot)
        page, api = f"/g/{group.slug}/ballots/{ballot.pk}/result/", f"/api/v1/ballots/{ballot.pk}/result"
        strong_login(client, admin)
        assert "Outcome" in client.get(page).content.decode()
        response = client.get(api)
        assert response.status_code == 200 and response.json()["result"]["turnout"]["count"] == 2
        client.force_login(signatories[0])
        assert "hidden until the ballot closes" in client.get(page).content.decode()
        assert client.get(api).status_code == 404

    def test_open_ballot_result_is_hidden_from_officers_too(
        self, client, group, admin, strong_login, make_ballot, signatories
    ):
        ballot = make_ballot()
        _vote(ballot, signatories[:1])
        strong_login(client, admin)
        assert client.get(f"/api/v1/ballots/{ballot.pk}/result").status_code == 404
        page = client.get(f"/g/{group.slug}/ballots/{ballot.pk}/result/").content.decode()
        assert "hidden until the ballot closes" in page


@pytest.mark.django_db
class TestSecretMinimumTurnout:
    @pytest.mark.parametrize(("minimum", "withheld"), [(5, True), (4, False), (3, False)])
    def test_per_option_figures_wait_for_the_minimum_turnout(
        self, make_ballot, signatories, minimum, withheld
    ):
        # Four practices vote: below a minimum of 5 the figures are withheld; at exactly 4, shown.
        ballot = make_ballot(is_secret=True, secret_min_turnout=minimum)
        _vote(ballot, signatories, choices=[0, 0, 0, 1])
        result = close_by_the_clock(ballot).result
        counts = [row["count"] for row in result["options"]]
        assert result["outcome"]["text"] == "Carried."
        assert result["turnout"]["count"] == 4
        if withheld:
            assert counts == [None, None] and result["abstentions"]["count"] is None
            assert "4 of the electorate voted, fewer than the 5" in result["withheld"]
        else:
            assert counts == [3, 1] and result["withheld"] is None

    def test_the_default_minimum_is_five_electors(self, make_ballot):
        assert make_ballot(is_secret=True).secret_min_turnout == 5

    def test_page_and_api_say_why_the_figures_are_withheld(self, client, group, make_ballot, signatories):
        ballot = make_ballot(is_secret=True)
        _vote(ballot, signatories[:2], choices=[0, 1])
        close_by_the_clock(ballot)
        client.force_login(signatories[0])
        page = client.get(f"/g/{group.slug}/ballots/{ballot.pk}/result/").content.decode()
        assert "figures are withheld: 2 of the electorate voted, fewer than the 5" in page
        body = client.get(f"/api/v1/ballots/{ballot.pk}/result").json()
        assert "fewer than the 5" in body["withheld"]
        assert all(row["count"] is None for row in body["result"]["options"])
        assert "rounds" not in body["result"] and "pairwise" not in body["result"]

    def test_a_ranked_secret_ballot_below_the_minimum_publishes_no_matrix(self, make_ballot, signatories):
        ballot = make_ballot(is_secret=True, method="schulze", options=["A", "B"])
        a, b = option_ids(ballot)
        services.ballot_cast(ballot=ballot, user=signatories[0], content={"ranking": [a, b]})
        result = close_by_the_clock(ballot).result
        assert "pairwise" not in result and result["outcome"]["winner"] == "A"

    def test_the_tally_command_recounts_a_withheld_result(self, make_ballot, signatories, capsys):
        ballot = make_ballot(is_secret=True, weighting="list_size")
        _vote(ballot, signatories[:2])
        ballot = close_by_the_clock(ballot)
        call_command("tally", str(ballot.pk))
        out = capsys.readouterr().out
        assert "Recount matches the stored result." in out and "withheld" in out


@pytest.mark.django_db
class TestSecretTurnoutByPatients:
    def test_one_voter_of_four_is_not_identified_by_the_patients_turnout(self, make_ballot, signatories):
        # Practices of 1000, 2000, 3000 and 4000 patients; the first alone votes. The exact
        # turnout by patients (10.0%) would name it; any of the four alone lies between 10% and
        # 40%, so the published range must cover all of them.
        ballot = make_ballot(is_secret=True, secret_min_turnout=1)
        _vote(ballot, signatories[:1])
        turnout = close_by_the_clock(ballot).result["turnout"]
        assert turnout["patients"] is None
        assert turnout["patients_share"] in ("between 0% and 50%", WITHHELD)

    def test_everyone_voting_is_published_exactly(self, make_ballot, signatories):
        ballot = make_ballot(is_secret=True, secret_min_turnout=4)
        _vote(ballot, signatories)
        turnout = close_by_the_clock(ballot).result["turnout"]
        assert turnout["patients"] is None and turnout["patients_share"] == "100%"

    def test_an_open_ballots_turnout_by_patients_stays_exact(self, make_ballot, signatories):
        ballot = make_ballot()
        _vote(ballot, signatories[:1])
        turnout = close_by_the_clock(ballot).result["turnout"]
        assert turnout["patients"] == 1000 and turnout["patients_share"] == "10.0%"
