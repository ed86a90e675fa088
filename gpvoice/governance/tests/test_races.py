"""Signatories racing: threads released together, on SQLite and on PostgreSQL."""

import pytest

from gpvoice.core.tests.threads import run_together
from gpvoice.governance import services
from gpvoice.governance.models import MandateAnswer

from .conftest import make_signatory


@pytest.mark.django_db(transaction=True)
def test_two_signatories_at_once_leave_one_current_answer_and_both_in_history(group, open_round, area):
    practice = area["practices"][0]
    users = [make_signatory(group, practice, f"racer{i}@nhs.test") for i in range(6)]
    answers = ["agree", "decline", "abstain", "agree", "decline", "abstain"]
    assert (
        run_together(
            [
                (
                    lambda u=u, a=a: services.mandate_answer(
                        round=open_round, practice=practice, answer=a, user=u
                    )
                )
                for u, a in zip(users, answers, strict=True)
            ],
            refusals=(services.GovernanceError,),
        )
        == []
    )
    rows = MandateAnswer.objects.filter(round=open_round, practice=practice)
    assert rows.count() == 6
    assert rows.filter(is_current=True).count() == 1
    latest = rows.order_by("-id").first()
    assert latest.is_current, "the current answer is the last one written"


@pytest.mark.django_db(transaction=True)
def test_parallel_ratify_and_withdraw_end_in_a_serial_state(group, open_round, area):
    practice = area["practices"][1]
    agree_user = make_signatory(group, practice, "agree@nhs.test")
    withdraw_user = make_signatory(group, practice, "withdraw@nhs.test")
    for _ in range(5):
        assert (
            run_together(
                [
                    lambda: services.mandate_answer(
                        round=open_round, practice=practice, answer="agree", user=agree_user
                    ),
                    lambda: services.mandate_answer(
                        round=open_round, practice=practice, answer="withdrawn", user=withdraw_user
                    ),
                ],
                refusals=(services.GovernanceError,),
            )
            == []
        )
        rows = list(MandateAnswer.objects.filter(round=open_round, practice=practice).order_by("id"))
        assert sum(r.is_current for r in rows) == 1
        # Every withdrawal directly follows an agreement, as some serial order would give.
        for before, after in zip(rows, rows[1:], strict=False):
            if after.answer == "withdrawn":
                assert before.answer == "agree"
