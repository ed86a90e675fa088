"""Signatories racing: threads released together, on SQLite and on PostgreSQL."""

import threading

import pytest
from django.db import connections

from gpvoice.governance import services
from gpvoice.governance.models import MandateAnswer

from .conftest import make_signatory


def _together(calls):
    barrier = threading.Barrier(len(calls))
    errors: list[BaseException] = []

    def run(call):
        try:
            barrier.wait()
            call()
        except services.GovernanceError:
            pass  # a refused withdrawal is a legitimate serial outcome
        except BaseException as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


@pytest.mark.django_db(transaction=True)
def test_two_signatories_at_once_leave_one_current_answer_and_both_in_history(group, open_round, area):
    practice = area["practices"][0]
    users = [make_signatory(group, practice, f"racer{i}@nhs.test") for i in range(6)]
    answers = ["agree", "decline", "abstain", "agree", "decline", "abstain"]
    _together(
        [
            (lambda u=u, a=a: services.mandate_answer(round=open_round, practice=practice, answer=a, user=u))
            for u, a in zip(users, answers, strict=True)
        ]
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
        _together(
            [
                lambda: services.mandate_answer(
                    round=open_round, practice=practice, answer="agree", user=agree_user
                ),
                lambda: services.mandate_answer(
                    round=open_round, practice=practice, answer="withdrawn", user=withdraw_user
                ),
            ]
        )
        rows = list(MandateAnswer.objects.filter(round=open_round, practice=practice).order_by("id"))
        assert sum(r.is_current for r in rows) == 1
        # Every withdrawal directly follows an agreement, as some serial order would give.
        for before, after in zip(rows, rows[1:], strict=False):
            if after.answer == "withdrawn":
                assert before.answer == "agree"
