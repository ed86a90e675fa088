"""A decision may rest on a ballot of the same group or on a show of hands; shown in minutes and pack."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gpvoice.ballots.models import Ballot
from gpvoice.meetings import services
from gpvoice.meetings.models import MeetingDecision

pytestmark = pytest.mark.django_db


def _ballot(group, title="Merger vote", status="closed"):
    return Ballot.objects.create(group=group, title=title, question="Merge?", status=status)


def _url(name, meeting):
    return reverse(f"meetings:{name}", args=[meeting.group.slug, meeting.pk])


@pytest.fixture
def officer(client, admin, strong_login):
    strong_login(client, admin)
    return client


@pytest.fixture
def item(held, admin):
    meeting = held()  # two present: the admin and the executive member
    return services.agenda_item_add(meeting=meeting, title="Merger", actor=admin)


@pytest.mark.parametrize("status", ["open", "closed", "published"])
def test_a_decision_links_to_a_ballot_of_the_group(item, admin, group, status):
    ballot = _ballot(group, status=status)
    decision = services.decision_record(item=item, text="Merge", ballot_id=ballot.pk, actor=admin)
    assert decision.ballot == ballot and decision.hands_for is None


@pytest.mark.parametrize("status", ["draft", "scheduled", "cancelled"])
def test_a_ballot_that_never_opened_is_refused(item, admin, group, status, unchanged):
    ballot = _ballot(group, status=status)
    with unchanged(), pytest.raises(services.MeetingError, match="not one of this group's"):
        services.decision_record(item=item, text="Merge", ballot_id=ballot.pk, actor=admin)


def test_another_groups_ballot_is_refused_and_nothing_changes(item, admin, other_group, unchanged):
    theirs = _ballot(other_group)
    with unchanged(), pytest.raises(services.MeetingError, match="Choose a ballot of Northvale"):
        services.decision_record(item=item, text="Merge", ballot_id=theirs.pk, actor=admin)


def test_a_show_of_hands_may_count_everyone_present_and_no_more(item, admin, unchanged):
    # Two present: 1 + 1 + 0 = 2 is allowed; 1 + 1 + 1 = 3 is one too many.
    decision = services.decision_record(item=item, text="Yes", hands=(1, 1, 0), actor=admin)
    assert (decision.hands_for, decision.hands_against, decision.hands_abstain) == (1, 1, 0)
    with unchanged(), pytest.raises(services.MeetingError, match="counts 3 votes, but only 2 people"):
        services.decision_record(item=item, text="Yes", hands=(1, 1, 1), actor=admin)
    assert services.decision_record(item=item, text="None", hands=(0, 0, 0), actor=admin).has_hands


@pytest.mark.parametrize(
    ("hands", "message"),
    [
        ((-1, 0, 0), "For in the show of hands"),
        ((0, -1, 0), "Against in the show of hands"),
        ((0, 0, True), "Abstentions in the show of hands"),
        ((0, "1", 0), "Against in the show of hands"),
        ((1, 0), "the numbers for, against and abstaining"),
    ],
)
def test_bad_counts_are_refused_naming_the_count(item, admin, hands, message, unchanged):
    with unchanged(), pytest.raises(services.MeetingError, match=message):
        services.decision_record(item=item, text="Yes", hands=hands, actor=admin)


def test_a_ballot_and_a_show_of_hands_together_are_refused(item, admin, group, unchanged):
    ballot = _ballot(group)
    with unchanged(), pytest.raises(services.MeetingError, match="not both"):
        services.decision_record(item=item, text="Yes", ballot_id=ballot.pk, hands=(1, 0, 0), actor=admin)


def test_the_minutes_page_offers_only_the_groups_ballots_and_shows_the_basis(
    officer, item, admin, group, other_group
):
    ours, _ = _ballot(group, "Our vote"), _ballot(other_group, "Their vote")
    _ballot(group, "Our draft", status="draft")
    meeting = item.meeting
    response = officer.post(
        _url("minutes", meeting), {"do": "decision", "item": item.pk, "text": "Merge", "ballot": str(ours.pk)}
    )
    assert response.status_code == 302
    officer.post(
        _url("minutes", meeting),
        {"do": "decision", "item": item.pk, "text": "Lunch", "hands_for": "2", "hands_opposed": "0",
         "hands_abstain": "0"},
    )  # fmt: skip
    body = officer.get(_url("minutes", meeting)).content.decode()
    assert f"No. {ours.pk}: Our vote (closed)" in body  # suggested by number among the most recent
    assert "Their vote" not in body and "Our draft" not in body
    assert "By ballot: Our vote" in body and "Show of hands: 2 for, 0 against, 0 abstaining" in body
    pack = officer.get(_url("pack", meeting)).content.decode()
    assert "By ballot: Our vote" in pack and "Show of hands: 2 for, 0 against, 0 abstaining" in pack


def test_the_minutes_page_refuses_another_groups_ballot_with_a_message(officer, item, other_group, unchanged):
    theirs = _ballot(other_group)
    with unchanged():
        response = officer.post(
            _url("minutes", item.meeting),
            {"do": "decision", "item": item.pk, "text": "Merge", "ballot": str(theirs.pk)},
        )
    assert response.status_code == 200
    assert "is not one of this group" in response.content.decode()


@pytest.mark.parametrize(
    ("post", "message"),
    [
        ({"hands_for": "2"}, "Enter all three numbers of the show of hands"),
        ({"hands_for": "-1", "hands_opposed": "0", "hands_abstain": "0"}, "For must be a whole number"),
        ({"hands_for": "x", "hands_opposed": "0", "hands_abstain": "0"}, "For must be a whole number"),
        ({"ballot": "=1+1"}, "has “=1+1” in its title"),
        ({"ballot": "<>;"}, "Enter the ballot&#39;s number, or words from its title"),
        ({"ballot": "Merger\x00"}, "Enter the ballot&#39;s number, or words from its title"),
        ({"ballot": "9" * 40}, "Choose a ballot of Northvale"),
        ({"ballot": "x" * 101}, "must be 100 characters or fewer"),
        ({"hands_for": "3", "hands_opposed": "0", "hands_abstain": "0"}, "only 2 people were recorded"),
    ],
)
def test_bad_decision_input_on_the_page_changes_nothing(officer, item, post, message, unchanged):
    with unchanged():
        response = officer.post(
            _url("minutes", item.meeting), {"do": "decision", "item": item.pk, "text": "Merge", **post}
        )
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body and "Merge" in body  # the text is kept for another try


def test_the_pack_runs_the_same_queries_however_many_decisions_link_ballots(officer, item, admin, group):
    def grow(n):
        for i in range(n):
            ballot = _ballot(group, f"Vote {MeetingDecision.objects.count()}-{i}")
            services.decision_record(item=item, text=f"D{i}", ballot_id=ballot.pk, actor=admin)
            services.decision_record(item=item, text=f"H{i}", hands=(1, 0, 0), actor=admin)

    grow(1)
    officer.get(_url("pack", item.meeting))
    with CaptureQueriesContext(connection) as small:
        officer.get(_url("pack", item.meeting))
    grow(5)
    with CaptureQueriesContext(connection) as big:
        assert officer.get(_url("pack", item.meeting)).status_code == 200
    assert len(big.captured_queries) == len(small.captured_queries)


def _decide(officer, item, ballot):
    return officer.post(
        _url("minutes", item.meeting), {"do": "decision", "item": item.pk, "text": "Merge", "ballot": ballot}
    )


def test_a_ballot_is_found_by_words_from_its_title(officer, item, group, other_group):
    ours = _ballot(group, "Practice merger vote")
    _ballot(group, "Budget vote")
    _ballot(other_group, "Merger of the other group")  # another group's: never found
    assert _decide(officer, item, "  merger   PRACTICE ").status_code == 302
    assert MeetingDecision.objects.get().ballot == ours


def test_words_matching_several_ballots_are_refused_with_their_numbers(officer, item, group, unchanged):
    one, two = _ballot(group, "Merger vote"), _ballot(group, "Merger rerun")
    with unchanged():
        response = _decide(officer, item, "merger")
    body = response.content.decode()
    assert response.status_code == 200 and "More than one ballot has “merger” in its title" in body
    assert f"No. {one.pk}: Merger vote" in body and f"No. {two.pk}: Merger rerun" in body
    assert 'value="merger"' in body  # kept for another try
    assert f'href="#ballot-{item.pk}"' in body  # the error summary leads to the ballot's input


def test_words_matching_no_ballot_of_the_group_are_refused(officer, item, other_group, unchanged):
    _ballot(other_group, "Southern merger")
    with unchanged():
        response = _decide(officer, item, "Southern merger")
    assert response.status_code == 200
    assert "No open or closed ballot of Northvale Leadership Group has “Southern merger”" in (
        response.content.decode()
    )


def test_another_groups_ballot_by_number_is_refused_on_the_page(officer, item, other_group, unchanged):
    theirs = _ballot(other_group)
    with unchanged():
        response = _decide(officer, item, f" {theirs.pk} ")
    assert response.status_code == 200
    assert "Choose a ballot of Northvale Leadership Group by its number or title" in response.content.decode()


def test_the_minutes_page_suggests_only_the_ten_most_recent_ballots(officer, item, group):
    made = [_ballot(group, f"Vote {i:02}") for i in range(12)]
    body = officer.get(_url("minutes", item.meeting)).content.decode()
    assert all(f"No. {b.pk}: {b.title}" in body for b in made[2:])
    assert "Vote 00" not in body and "Vote 01" not in body
    assert _decide(officer, item, str(made[0].pk)).status_code == 302  # an older one, by its number
    assert MeetingDecision.objects.get().ballot == made[0]


def test_the_writable_minutes_page_costs_the_same_however_many_ballots_the_group_has(officer, item, group):
    def measure():
        with CaptureQueriesContext(connection) as queries:
            body = officer.get(_url("minutes", item.meeting)).content.decode()
        return len(queries), body.count("<li>No. "), body.count('name="ballot"')

    Ballot.objects.bulk_create(
        Ballot(group=group, title=f"Vote {i}", question="?", status="published") for i in range(12)
    )
    few = measure()
    Ballot.objects.bulk_create(
        Ballot(group=group, title=f"Vote {i}", question="?", status="closed") for i in range(12, 300)
    )
    assert measure() == few == (few[0], 10, 1)  # ten suggestions, one input for the one item
