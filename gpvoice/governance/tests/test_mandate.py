from datetime import timedelta
from fractions import Fraction

import pytest
import time_machine
from django.utils import timezone

from gpvoice.core.models import AuditEntry
from gpvoice.directory.tests.factories import OrganisationFactory
from gpvoice.governance import services
from gpvoice.governance.models import MandateAnswer
from gpvoice.governance.selectors import mandate_status, not_answered_page, round_coverage

from .conftest import make_signatory


def _answer(round, practice, answer, user):
    return services.mandate_answer(round=round, practice=practice, answer=answer, user=user)


@pytest.mark.django_db
def test_signatory_answers_changes_and_withdraws_with_history(open_round, area, signatories):
    practice, user = area["practices"][0], signatories[0]
    _answer(open_round, practice, "decline", user)
    _answer(open_round, practice, "agree", user)
    _answer(open_round, practice, "withdrawn", user)
    history = list(MandateAnswer.objects.filter(round=open_round, practice=practice).order_by("id"))
    assert [a.answer for a in history] == ["decline", "agree", "withdrawn"]
    assert [a.is_current for a in history] == [False, False, True]
    assert AuditEntry.objects.filter(action="governance.mandate.withdrawn").count() == 1


@pytest.mark.django_db
def test_second_signatory_replaces_the_first_and_both_are_kept(group, open_round, area, signatories):
    practice = area["practices"][0]
    other = make_signatory(group, practice, "second.sig@nhs.test")
    _answer(open_round, practice, "agree", signatories[0])
    _answer(open_round, practice, "abstain", other)
    current = MandateAnswer.objects.get(round=open_round, practice=practice, is_current=True)
    assert current.answer == "abstain" and current.created_by == other
    assert MandateAnswer.objects.filter(round=open_round, practice=practice).count() == 2


@pytest.mark.django_db
def test_refusals_change_nothing(group, other_group, open_round, area, signatories, personas):
    from gpvoice.core.models import Role

    practice = area["practices"][0]
    outside = OrganisationFactory(ods_code="Z55555")
    outsider = make_signatory(group, outside, "outside@nhs.test")
    before = (MandateAnswer.objects.count(), AuditEntry.objects.count())
    cases = [
        (practice, "agree", personas[Role.CORE], "Only a signatory"),
        (practice, "agree", signatories[1], "Only a signatory"),  # signs for another practice
        (outside, "agree", outsider, "not in"),
        (practice, "withdrawn", signatories[0], "Only an agreement can be withdrawn"),
        (practice, "maybe", signatories[0], "Choose agree"),
    ]
    for target, answer, user, message in cases:
        with pytest.raises(services.GovernanceError, match=message):
            _answer(open_round, target, answer, user)
    with time_machine.travel(open_round.closes_at + timedelta(seconds=1)):
        with pytest.raises(services.GovernanceError, match="Ratification closed"):
            _answer(open_round, practice, "agree", signatories[0])
    assert (MandateAnswer.objects.count(), AuditEntry.objects.count()) == before


@pytest.mark.django_db
def test_coverage_counts_practices_and_patients_overall_and_per_pcn(open_round, area, signatories):
    practices = area["practices"]  # 1000, 2000, 3000 patients
    _answer(open_round, practices[0], "agree", signatories[0])
    _answer(open_round, practices[2], "agree", signatories[2])
    coverage = round_coverage(round=open_round)
    assert coverage.overall.practices["agree"] == 2 and coverage.overall.practices["none"] == 1
    assert coverage.overall.share("agree", by="practices") == Fraction(2, 3)
    assert coverage.overall.share("agree", by="patients") == Fraction(4000, 6000)
    assert list(coverage.by_pcn) == ["Test PCN"]
    waiting = not_answered_page(round=open_round, number=1)
    assert [p.ods_code for p in waiting] == [practices[1].ods_code] and waiting.paginator.count == 1


@pytest.mark.django_db
def test_with_mandate_needs_both_majorities_and_an_unexpired_mandate(group, open_round, area, signatories):
    practices = area["practices"]
    _answer(open_round, practices[2], "agree", signatories[2])  # 1 of 3 practices, 3000 of 6000 patients
    assert not mandate_status(group=group).with_mandate
    _answer(open_round, practices[0], "agree", signatories[0])  # 2 of 3, 4000 of 6000
    assert mandate_status(group=group).with_mandate
    with time_machine.travel(timezone.now() + timedelta(days=400)):
        status = mandate_status(group=group)
        assert status.expired and not status.with_mandate


@pytest.mark.django_db
def test_exactly_half_is_not_more_than_half(group, open_round, area, signatories):
    practices = area["practices"]
    extra = OrganisationFactory(ods_code="Z90009", pcn=area["pcn"], list_size=0)
    assert extra  # a fourth practice: 2 of 4 is exactly one half
    _answer(open_round, practices[0], "agree", signatories[0])
    _answer(open_round, practices[2], "agree", signatories[2])
    assert round_coverage(round=open_round).overall.share("agree", by="practices") == Fraction(1, 2)
    assert not mandate_status(group=group).with_mandate


@pytest.mark.django_db
def test_issued_terms_are_immutable_and_must_be_issued_to_open(group, personas):
    from gpvoice.core.models import Role

    admin = personas[Role.ADMIN]
    draft = services.terms_create(group=group, title="ToR", body="Draft", actor=admin)
    with pytest.raises(services.GovernanceError, match="Issue this version"):
        services.mandate_open(
            terms=draft,
            closes_at=timezone.now() + timedelta(days=1),
            expires_on=timezone.localdate() + timedelta(days=30),
            actor=admin,
        )
    draft = services.terms_issue(terms=draft, actor=admin)
    with pytest.raises(services.GovernanceError, match="cannot be changed"):
        services.terms_update(terms=draft, title="Changed", body="Changed", actor=admin)
    second = services.terms_create(group=group, title="ToR", body="Second", actor=admin)
    assert (draft.version, second.version) == (1, 2)


def test_a_coverage_rows_cells_are_practices_and_patients_in_answer_order():
    from gpvoice.governance.coverage import ANSWERS, cells

    practices = dict(zip(ANSWERS, [3, 0, 1, 2, 40], strict=True))
    patients = dict(zip(ANSWERS, [12345, 0, 999, 1000, 1234567], strict=True))
    assert cells(practices, patients) == ["3 / 12,345", "0 / 0", "1 / 999", "2 / 1,000", "40 / 1,234,567"]
