"""Races on PostgreSQL: two signatories of one practice answering at once."""

from __future__ import annotations

import pytest

from gpvoice.core.tests.threads import run_together
from gpvoice.engagement import services
from gpvoice.engagement.models import AnswerCount, Response

from .conftest import by_key, relationship_answers


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_signatories_answering_at_once_leave_one_current_response_and_both_in_history(
    make_consultation, practices, signatories, area
):
    c = make_consultation()
    errors = run_together(
        [
            lambda: services.response_submit(
                consultation=c,
                practice=practices[0],
                answers=relationship_answers(c, "allies"),
                actor=signatories[0],
            ),
            lambda: services.response_submit(
                consultation=c,
                practice=practices[0],
                answers=relationship_answers(c, "enemies"),
                actor=signatories[1],
            ),
        ]
    )
    assert errors == []
    rows = Response.objects.filter(consultation=c, practice=practices[0])
    assert rows.count() == 2 and rows.filter(is_current=True).count() == 1
    current = rows.get(is_current=True).answers[str(by_key(c)["stance"].pk)]
    counts = dict(AnswerCount.objects.filter(question=by_key(c)["stance"]).values_list("value", "count"))
    assert counts == {"allies": int(current == "allies"), "enemies": int(current == "enemies")}
    c.refresh_from_db()
    assert c.responses_count == 1
