from datetime import date, timedelta
from decimal import Decimal

import pytest

from gpvoice.core.models import AuditEntry, Role
from gpvoice.governance import services
from gpvoice.governance.models import Authority, DecisionCategory, DecisionStatus, ExecutiveDecision
from gpvoice.governance.selectors import decisions_for_noting, overdue_categories


@pytest.fixture
def scheme(group):
    future = date.today() + timedelta(days=180)
    return {
        "spend": DecisionCategory.objects.create(
            group=group,
            name="Small spend",
            authority=Authority.EXECUTIVE,
            spend_limit=Decimal("5000"),
            review_date=future,
        ),
        "policy": DecisionCategory.objects.create(
            group=group, name="Policy positions", authority=Authority.GROUP, review_date=future
        ),
        "lapsed": DecisionCategory.objects.create(
            group=group,
            name="Comms",
            authority=Authority.EXECUTIVE,
            review_date=date.today() - timedelta(days=60),
        ),
        "due": DecisionCategory.objects.create(
            group=group,
            name="Events",
            authority=Authority.EXECUTIVE,
            review_date=date.today() - timedelta(days=5),
        ),
    }


def _record(category, amount=None, actor=None):
    return services.executive_decision_record(
        category=category, title="A decision", rationale="Because", amount=amount, actor=actor
    )


@pytest.mark.django_db
def test_decision_within_powers_is_taken_and_listed_for_noting(group, scheme, personas):
    decision = _record(scheme["spend"], Decimal("4999.99"), personas[Role.EXECUTIVE])
    assert decision.status == DecisionStatus.TAKEN
    assert list(decisions_for_noting(group=group)) == [decision]
    services.executive_decision_note(decision=decision, actor=personas[Role.ADMIN])
    assert list(decisions_for_noting(group=group)) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("key", "amount", "message"),
    [
        ("spend", Decimal("5000.01"), "over the executive's limit of £5,000.00"),
        ("policy", None, "belong to the group"),
        ("lapsed", None, "has lapsed"),
    ],
)
def test_decision_outside_powers_is_refused_with_the_reason(group, scheme, personas, key, amount, message):
    before = (ExecutiveDecision.objects.count(), AuditEntry.objects.count())
    with pytest.raises(services.OutsidePowers, match=message):
        _record(scheme[key], amount, personas[Role.EXECUTIVE])
    assert (ExecutiveDecision.objects.count(), AuditEntry.objects.count()) == before


@pytest.mark.django_db
def test_review_just_overdue_is_flagged_but_within_grace(group, scheme, personas):
    assert _record(scheme["due"], actor=personas[Role.EXECUTIVE]).status == DecisionStatus.TAKEN
    assert {c.name for c in overdue_categories(group=group)} == {"Comms", "Events"}


@pytest.mark.django_db
def test_refused_decision_can_be_referred_to_the_group(group, scheme, personas):
    referred = services.executive_decision_refer(
        category=scheme["policy"],
        title="Position on extended access",
        rationale="Needs the group",
        amount=None,
        actor=personas[Role.EXECUTIVE],
    )
    assert referred.status == DecisionStatus.REFERRED and "belong to the group" in referred.refusal_reason
    assert list(decisions_for_noting(group=group)) == []
