from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from gpvoice.ballots.models import Ballot, Kind
from gpvoice.ballots.models import Status as BallotStatus
from gpvoice.governance import services as governance
from gpvoice.governance.models import Authority, ExecutiveDecision
from gpvoice.intake import services
from gpvoice.intake.models import Route, Status
from gpvoice.intake.selectors import requests_for_next_meeting

from .conftest import receive


def decision_category(group, actor, authority=Authority.EXECUTIVE, limit=None):
    """The scheme of delegation, set up as the system would (only an admin changes it on a page)."""
    return governance.category_create(
        group=group,
        actor=None,
        name=f"Pathways {authority}",
        description="",
        authority=authority,
        spend_limit=limit,
        review_date=timezone.localdate() + timedelta(days=200),
    )


def ballot(group, status=BallotStatus.PUBLISHED):
    return Ballot.objects.create(
        group=group,
        title="Support the winter plan?",
        question="Agree?",
        kind=Kind.RECORDED,
        status=status,
        meeting="Core group",
        held_on=date(2026, 11, 5),
        published_at=timezone.now() if status == BallotStatus.PUBLISHED else None,
    )


def test_a_direct_answer_is_seen_with_no_basis(group, officer):
    request, _ = receive(group)
    request = services.request_answer(request=request, actor=officer, body="We support it.")
    assert request.status == Status.ANSWERED and request.route == Route.DIRECT
    answer = request.messages.get(is_answer=True)
    assert answer.body == "We support it." and answer.basis == ""


def test_an_executive_decision_answers_and_is_cited(group, officer):
    request, _ = receive(group)
    cat = decision_category(group, officer, limit=Decimal("1000"))
    request = services.request_decide(
        request=request,
        actor=officer,
        category=cat,
        title="Back the plan",
        rationale="Within powers",
        amount=Decimal("1000"),
        body="Yes: the executive decided to back the plan.",
    )
    decision = ExecutiveDecision.objects.get()
    assert request.decision == decision and request.route == Route.DECISION
    assert request.messages.get(is_answer=True).basis.startswith("Executive decision “Back the plan”")


def test_a_decision_outside_powers_is_refused_as_governance_refuses_it(group, officer, unchanged):
    request, _ = receive(group)
    cat = decision_category(group, officer, limit=Decimal("1000"))
    with unchanged(), pytest.raises(governance.OutsidePowers, match="over the executive's limit"):
        services.request_decide(
            request=request,
            actor=officer,
            category=cat,
            title="Spend",
            rationale="Over",
            amount=Decimal("1000.01"),
            body="Yes",
        )
    group_cat = decision_category(group, officer, authority=Authority.GROUP)
    with unchanged(), pytest.raises(governance.OutsidePowers, match="belong to the group"):
        services.request_decide(
            request=request,
            actor=officer,
            category=group_cat,
            title="T",
            rationale="R",
            amount=None,
            body="B",
        )
    assert not ExecutiveDecision.objects.exists()


def test_another_groups_decision_category_or_ballot_is_refused(
    group, other_group, officer, outsider, unchanged
):
    request, _ = receive(group)
    theirs = decision_category(other_group, outsider)
    with unchanged(), pytest.raises(services.IntakeError, match="decision categories"):
        services.request_decide(
            request=request, actor=officer, category=theirs, title="T", rationale="R", amount=None, body="B"
        )
    with unchanged(), pytest.raises(services.IntakeError, match="this group's ballots"):
        services.request_put_to_ballot(request=request, actor=officer, ballot=ballot(other_group))


def test_a_request_put_to_a_ballot_is_answered_once_the_result_is_published(group, officer, unchanged):
    request, _ = receive(group)
    pending = ballot(group, status=BallotStatus.OPEN)
    request = services.request_put_to_ballot(request=request, actor=officer, ballot=pending)
    assert request.status == Status.IN_PROGRESS and request.route == Route.BALLOT
    with unchanged(), pytest.raises(services.IntakeError, match="Wait for the result"):
        services.request_answer(request=request, actor=officer, body="Practices agreed.")
    Ballot.objects.filter(pk=pending.pk).update(status=BallotStatus.PUBLISHED, published_at=timezone.now())
    request = services.request_answer(request=request, actor=officer, body="Practices agreed.")
    assert request.messages.get(is_answer=True).basis.startswith(
        "Ballot of practices “Support the winter plan?”"
    )


def test_referred_requests_are_listed_for_the_next_meeting_until_answered(
    group, other_group, officer, outsider
):
    first, _ = receive(group)
    second, _ = receive(group)
    receive(group)
    theirs, _ = receive(other_group)
    services.request_refer(request=second, actor=officer)
    services.request_refer(request=first, actor=officer)
    services.request_refer(request=theirs, actor=outsider)
    assert [r.reference for r in requests_for_next_meeting(group)] == [second.reference, first.reference]
    services.request_answer(request=second, actor=officer, body="The group agreed.")
    assert [r.pk for r in requests_for_next_meeting(group)] == [first.pk]
    with pytest.raises(services.IntakeError, match="already referred"):
        services.request_refer(request=first, actor=officer)


def test_a_nominee_request_is_marked_from_the_form_or_by_an_officer(group, officer):
    asked, _ = receive(group, is_nominee_request=True)
    assert asked.is_nominee_request
    plain, _ = receive(group)
    plain = services.request_mark_nominee(request=plain, actor=officer, is_nominee=True)
    assert plain.is_nominee_request
