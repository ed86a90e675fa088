"""Ballot pages and the result API, through the test client."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gpvoice.ballots import services
from gpvoice.ballots.models import Ballot, Option, SealedChoice, Status, Vote
from gpvoice.core.models import AuditEntry, Role
from gpvoice.directory.models import FootprintEntry
from gpvoice.directory.tests.factories import OrganisationFactory, PersonFactory
from gpvoice.governance.models import RollEntry

from .conftest import close_by_the_clock, make_signatory, option_ids


def _form(**overrides):
    tomorrow = timezone.localdate() + timedelta(days=1)
    data = {
        "title": "Extended access",
        "question": "Accept the offer?",
        "method": "yes_no",
        "options": "",
        "electorate": "practices",
        "weighting": "equal",
        "is_secret": "no",
        "threshold": "simple",
        "tie_break": "listed_first",
        "opens_on": tomorrow.strftime("%d/%m/%Y"),
        "opens_time": "09:00",
        "closes_on": (tomorrow + timedelta(days=7)).strftime("%d/%m/%Y"),
        "closes_time": "17:00",
        "reminder_hours": "48, 4",
        "publish_on_close": "yes",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
class TestSettingUp:
    def test_officer_drafts_and_schedules_a_ballot(self, client, group, admin, strong_login, area):
        strong_login(client, admin)
        response = client.post(f"/g/{group.slug}/ballots/new/", _form())
        ballot = Ballot.objects.get()
        assert response.status_code == 302 and response["Location"].endswith(f"/ballots/{ballot.pk}/")
        assert [o.label for o in ballot.options.all()] == ["Yes", "No"]
        assert ballot.reminders.count() == 2
        client.post(f"/g/{group.slug}/ballots/{ballot.pk}/", {"action": "schedule"})
        ballot.refresh_from_db()
        assert ballot.status == Status.SCHEDULED

    @pytest.mark.parametrize(
        ("overrides", "message"),
        [
            ({"title": ""}, "This field is required"),
            ({"question": "x" * 20_000}, "at most 10000 characters"),
            ({"method": "borda"}, "Select a valid choice"),
            ({"method": "single", "options": "Only one"}, "at least two options"),
            ({"method": "single", "options": "A\nA"}, "its own"),
            ({"method": "points"}, "Set the points each elector has to give"),
            ({"weighting": "double", "method": "approval", "options": "A\nB"}, "double majority applies"),
            ({"electorate": "core", "weighting": "list_size"}, "one vote each"),
            ({"closes_on": "31/02/2027"}, "Enter a valid date"),
            ({"closes_on": "01/01/2020"}, "must close after it opens"),
            (
                {"threshold": "custom", "threshold_num": "5", "threshold_den": "3"},
                "custom threshold is a share",
            ),
            ({"quorum_practices_percent": "150"}, "A quorum is a percentage between 1 and 100."),
            (
                {"quorum_patients_percent": "99999999999999999999"},
                "A quorum is a percentage between 1 and 100.",
            ),
            ({"method": "points", "points_allowance": "0"}, "Set the points each elector has to give"),
            ({"secret_min_turnout": "-3"}, "The smallest turnout for showing"),
            ({"secret_min_turnout": "0"}, "The smallest turnout for showing"),
            ({"reminder_hours": "soon"}, "whole numbers of hours"),
            (
                {"is_secret": "yes", "method": "schulze", "options": "A\nB", "weighting": "list_size"},
                "reveal",
            ),
        ],
    )
    def test_bad_input_gets_a_clear_message_and_changes_nothing(
        self, client, group, admin, strong_login, overrides, message
    ):
        strong_login(client, admin)
        audit_before = AuditEntry.objects.count()
        response = client.post(f"/g/{group.slug}/ballots/new/", _form(**overrides))
        page = response.content.decode()
        assert response.status_code == 200 and "nhsuk-error-summary" in page
        assert message in page
        assert not Ballot.objects.exists() and AuditEntry.objects.count() == audit_before

    def test_hostile_text_is_escaped(self, client, group, admin, strong_login):
        strong_login(client, admin)
        client.post(f"/g/{group.slug}/ballots/new/", _form(title="<script>alert(1)</script>"))
        ballot = Ballot.objects.get()
        page = client.get(f"/g/{group.slug}/ballots/{ballot.pk}/").content.decode()
        assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page

    def test_an_open_ballot_cannot_be_edited_through_the_page(
        self, client, group, admin, strong_login, make_ballot
    ):
        ballot = make_ballot()
        strong_login(client, admin)
        page = client.get(f"/g/{group.slug}/ballots/{ballot.pk}/edit/").content.decode()
        assert "These rules are fixed" in page
        response = client.post(
            f"/g/{group.slug}/ballots/{ballot.pk}/edit/", _form(method="single", options="A\nB")
        )
        assert "Only a draft can be changed" in response.content.decode()
        ballot.refresh_from_db()
        assert ballot.method == "yes_no" and ballot.options.count() == 2

    def test_members_cannot_manage_ballots(self, client, group, personas, make_ballot):
        ballot = make_ballot(open_now=False)
        client.force_login(personas[Role.CORE])
        assert (
            client.post(f"/g/{group.slug}/ballots/{ballot.pk}/", {"action": "unschedule"}).status_code == 404
        )
        ballot.refresh_from_db()
        assert ballot.status == Status.SCHEDULED

    def test_drafts_are_hidden_from_members(self, client, group, personas, admin):
        draft = services.ballot_create(
            group=group,
            draft=services.Draft(title="Secret plan", question="?", method="yes_no", electorate="practices"),
            actor=admin,
        )
        client.force_login(personas[Role.CORE])
        assert "Secret plan" not in client.get(f"/g/{group.slug}/ballots/").content.decode()
        assert client.get(f"/g/{group.slug}/ballots/{draft.pk}/").status_code == 404


@pytest.mark.django_db
class TestVoting:
    def test_signatory_votes_and_changes_their_vote(self, client, group, make_ballot, signatories):
        ballot = make_ballot()
        yes, no = option_ids(ballot)
        client.force_login(signatories[0])
        assert "Cast vote" in client.get(f"/g/{group.slug}/ballots/{ballot.pk}/vote/").content.decode()
        assert client.post(f"/g/{group.slug}/ballots/{ballot.pk}/vote/", {"choice": yes}).status_code == 302
        client.post(f"/g/{group.slug}/ballots/{ballot.pk}/vote/", {"choice": no})
        page = client.get(f"/g/{group.slug}/ballots/{ballot.pk}/vote/").content.decode()
        assert "Current vote for" in page and ": No." in page
        assert Vote.objects.filter(is_current=True).count() == 1 and Vote.objects.count() == 2

    def test_two_choices_in_one_request_are_refused(self, client, group, make_ballot, signatories):
        ballot = make_ballot()
        yes, no = option_ids(ballot)
        client.force_login(signatories[0])
        response = client.post(f"/g/{group.slug}/ballots/{ballot.pk}/vote/", {"choice": [yes, no]})
        assert "Choose only one option" in response.content.decode() and not Vote.objects.exists()

    @pytest.mark.parametrize(
        "posted",
        [
            {"rank-{a}": "1", "rank-{b}": "1"},
            {"rank-{a}": "2"},
            {"rank-{a}": "one"},
            {"rank-{a}": "99"},
            {"rank-999999": "1"},
            {},
        ],
    )
    def test_malformed_rankings_are_refused(self, client, group, make_ballot, signatories, posted):
        ballot = make_ballot(method="schulze", options=["A", "B", "C"])
        a, b, _ = option_ids(ballot)
        client.force_login(signatories[0])
        data = {k.format(a=a, b=b): v for k, v in posted.items()}
        response = client.post(f"/g/{group.slug}/ballots/{ballot.pk}/vote/", data)
        assert response.status_code == 200 and "nhsuk-error-summary" in response.content.decode()
        assert not Vote.objects.exists()

    def test_practice_you_do_not_sign_for_is_refused(self, client, group, make_ballot, signatories, area):
        ballot = make_ballot()
        client.force_login(signatories[0])
        response = client.post(
            f"/g/{group.slug}/ballots/{ballot.pk}/vote/",
            {"choice": option_ids(ballot)[0], "practice": area["practices"][1].ods_code},
        )
        assert "do not sign for that practice" in response.content.decode() and not Vote.objects.exists()

    def test_results_stay_hidden_untilclose_by_the_clock(self, client, group, make_ballot, signatories):
        ballot = make_ballot()
        client.force_login(signatories[0])
        client.post(f"/g/{group.slug}/ballots/{ballot.pk}/vote/", {"choice": option_ids(ballot)[0]})
        assert (
            "hidden until the ballot closes"
            in client.get(f"/g/{group.slug}/ballots/{ballot.pk}/result/").content.decode()
        )
        api = client.get(f"/api/v1/ballots/{ballot.pk}/result")
        assert api.status_code == 404 and "result" not in api.json()
        close_by_the_clock(ballot)
        page = client.get(f"/g/{group.slug}/ballots/{ballot.pk}/result/").content.decode()
        assert "Carried." in page and "How each elector voted" in page
        data = client.get(f"/api/v1/ballots/{ballot.pk}/result").json()
        assert data["result"]["outcome"]["passes"] is True and data["result"]["turnout"]["count"] == 1

    def test_secret_ballot_gives_a_receipt_that_can_be_checked(self, client, group, make_ballot, signatories):
        ballot = make_ballot(is_secret=True, weighting="list_size", secret_min_turnout=1)
        client.force_login(signatories[0])
        vote_url = f"/g/{group.slug}/ballots/{ballot.pk}/vote/"
        response = client.post(vote_url, {"choice": option_ids(ballot)[0]})
        receipt_url = f"/g/{group.slug}/ballots/{ballot.pk}/receipt/"
        assert response.status_code == 302 and response["Location"] == receipt_url
        waiting = str(dict(client.session))  # what the session table holds until the page shows it
        page = client.get(receipt_url).content.decode()
        assert "Your receipt code" in page
        receipt = page.split('class="gpvoice-receipt">')[1].split("<")[0]
        assert receipt not in waiting, "the session table must not hold a readable receipt"
        assert receipt and receipt not in response["Location"]
        # Reloading the receipt page casts nothing, and the receipt just shown still counts.
        reloaded = client.get(receipt_url).content.decode()
        assert "already been shown" in reloaded and receipt not in reloaded
        assert SealedChoice.objects.count() == 1
        close_by_the_clock(ballot)
        results_url = f"/g/{group.slug}/ballots/{ballot.pk}/result/"
        results = client.post(results_url, {"receipt": receipt}).content.decode()
        assert "A ballot with this receipt was counted." in results
        assert "How each elector voted" not in results
        wrong = client.post(results_url, {"receipt": "AAAA-AAAA-AAAA"})
        assert "No counted ballot has this receipt" in wrong.content.decode()
        # The check is a POST: the results page never asks for a receipt in its address.
        assert 'method="get"' not in results and "?receipt=" not in results


@pytest.mark.django_db
def test_show_of_hands_through_the_page(client, group, admin, strong_login):
    people = PersonFactory.create_batch(4)
    for person in people:
        RollEntry.objects.create(group=group, person=person, status="core")
    strong_login(client, admin)
    response = client.post(
        f"/g/{group.slug}/ballots/show-of-hands/",
        {
            "title": "Winter letter",
            "question": "Sign the letter?",
            "meeting": "Core group",
            "held_on": timezone.localdate().strftime("%d/%m/%Y"),
            "option_1": "For",
            "hands_1": "3",
            "option_2": "Against",
            "hands_2": "1",
            "present": "\n".join(p.email.upper() for p in people),
        },
    )
    ballot = Ballot.objects.get()
    assert response.status_code == 302 and ballot.is_recorded
    page = client.get(f"/g/{group.slug}/ballots/{ballot.pk}/result/").content.decode()
    assert "Recorded by show of hands" in page and "Present (4)" in page
    assert client.get(f"/api/v1/ballots/{ballot.pk}/result").json()["hands"][0] == {
        "label": "For",
        "count": 3,
    }
    bad = client.post(f"/g/{group.slug}/ballots/show-of-hands/", {"title": "x", "option_1": "For"})
    assert "nhsuk-error-summary" in bad.content.decode() and Ballot.objects.count() == 1
    negative = client.post(
        f"/g/{group.slug}/ballots/show-of-hands/",
        {
            "title": "Again",
            "question": "Sign it?",
            "meeting": "Core group",
            "held_on": timezone.localdate().strftime("%d/%m/%Y"),
            "option_1": "For",
            "hands_1": "-3",
            "option_2": "Against",
            "hands_2": "1",
            "present": "\n".join(p.email.upper() for p in people),
        },
    )
    assert "Counts cannot be negative." in negative.content.decode() and Ballot.objects.count() == 1
    assert Option.objects.count() == 2
    stranger = PersonFactory(email="not.on.the.roll@nhs.test")
    unknown = client.post(
        f"/g/{group.slug}/ballots/show-of-hands/",
        {"present": f"{people[0].email}, {stranger.email}; nobody@nhs.test", "title": "x"},
    ).content.decode()
    assert (
        "Nobody on the group&#39;s roll has these addresses: not.on.the.roll@nhs.test, nobody@nhs.test"
        in unknown
    )
    assert Ballot.objects.count() == 1


@pytest.mark.django_db
def test_ballot_pages_keep_a_constant_number_of_queries(
    client, group, make_ballot, admin, strong_login, area, django_assert_max_num_queries
):
    def grow(count: int, start: int) -> None:
        for i in range(count):
            practice = OrganisationFactory(ods_code=f"Z8{start + i:04d}", list_size=1000 + i, pcn=area["pcn"])
            FootprintEntry.objects.get_or_create(group=group, organisation=practice)

    def run(count: int, start: int) -> list[int]:
        grow(count, start)
        ballot = make_ballot(title=f"Ballot {count}")
        users = [
            make_signatory(group, e.practice, f"q{start}-{i}@nhs.test")
            for i, e in enumerate(ballot.electors.all())
        ]
        for user in users:
            services.ballot_cast(ballot=ballot, user=user, content={"choice": option_ids(ballot)[0]})
        ballot = close_by_the_clock(ballot)
        strong_login(client, admin)
        counts = []
        for path in ("", "result/", "vote/"):
            with CaptureQueriesContext(connection) as captured:
                assert client.get(f"/g/{group.slug}/ballots/{ballot.pk}/{path}").status_code == 200
            counts.append(len(captured))
        with CaptureQueriesContext(connection) as captured:
            client.get(f"/api/v1/ballots/{ballot.pk}/result")
        counts.append(len(captured))
        return counts

    small = run(2, 0)
    large = run(40, 100)
    assert small == large, f"queries grew with the electorate: {small} -> {large}"
    with django_assert_max_num_queries(max(large)):
        client.get(f"/g/{group.slug}/ballots/")


@pytest.mark.django_db
def test_a_forged_vote_is_refused(group, make_ballot, signatories):
    from django.test import Client

    ballot = make_ballot()
    forger = Client(enforce_csrf_checks=True)
    forger.force_login(signatories[0])
    response = forger.post(f"/g/{group.slug}/ballots/{ballot.pk}/vote/", {"choice": option_ids(ballot)[0]})
    assert response.status_code == 403 and not Vote.objects.exists()


@pytest.mark.django_db
def test_how_each_elector_voted_is_listed_a_page_at_a_time(
    client, group, make_ballot, signatories, monkeypatch
):
    from gpvoice.ballots import views

    monkeypatch.setattr(views, "VOTES_PER_PAGE", 2)
    ballot = make_ballot()
    for user in signatories:
        services.ballot_cast(ballot=ballot, user=user, content={"choice": option_ids(ballot)[0]})
    close_by_the_clock(ballot)
    client.force_login(signatories[0])
    first = client.get(f"/g/{group.slug}/ballots/{ballot.pk}/result/").content.decode()
    second = client.get(f"/g/{group.slug}/ballots/{ballot.pk}/result/", {"page": "2"}).content.decode()
    labels = sorted(ballot.electors.values_list("label", flat=True))
    assert "How each elector voted (4)" in first and "Page 2 of 2" in first
    assert labels[0] in first and labels[2] not in first
    assert labels[2] in second and labels[0] not in second


def test_ballot_templates_take_decisions_from_presenters_not_roles():
    """No ballots template looks at a role or an officer flag: presenters hand it can_ flags."""
    import re
    from pathlib import Path

    folder = Path(__file__).resolve().parent.parent / "jinja2" / "ballots"
    for template in folder.glob("*.jinja"):
        code = " ".join(re.findall(r"{[{%].*?[%}]}", template.read_text(), flags=re.S))
        for forbidden in ("role", "officer", "membership", "is_staff"):
            assert forbidden not in code, f"{template.name} decides by {forbidden!r}"


@pytest.mark.django_db
@pytest.mark.parametrize("secret", [False, True])
def test_officers_see_a_page_of_who_has_voted_and_can_narrow_it(
    client, group, admin, strong_login, make_ballot, signatories, django_assert_num_queries, secret
):
    ballot = make_ballot(is_secret=secret, secret_min_turnout=1) if secret else make_ballot()
    services.ballot_cast(
        ballot=ballot, user=signatories[1], content={"choice": option_ids(ballot)[0]}, practice=None
    )
    strong_login(client, admin)
    url = f"/g/{group.slug}/ballots/{ballot.pk}/"
    page = client.get(url).content.decode()
    assert "1 of 4 electors have voted." in page and "4 electors" in page
    labels = sorted(e.label for e in ballot.electors.all())
    voted = ballot.electors.get(practice__pcn__isnull=False, votes__isnull=False) if not secret else None
    narrowed = client.get(f"{url}?electors=not-voted").content.decode()
    assert "3 electors" in narrowed and narrowed.count(">not voted<") == 3
    only_voted = client.get(f"{url}?electors=voted").content.decode()
    assert only_voted.count(">voted<") == 1 and ">not voted<" not in only_voted
    assert all(label in page for label in labels)
    if voted is not None:
        assert voted.label in only_voted
    # Anything else shows everyone; the number of queries does not depend on the filter.
    with django_assert_num_queries(_queries(client, url)):
        assert "4 electors" in client.get(f"{url}?electors=%3Cscript%3E").content.decode()


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return len(queries.captured_queries)
