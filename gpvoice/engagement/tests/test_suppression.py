"""Small-number suppression of a confidential consultation's totals for members (boundaries worked
by hand with the default threshold, 3)."""

from __future__ import annotations

from typing import Any

import pytest

from gpvoice.core.models import Role
from gpvoice.engagement import presenters, services
from gpvoice.engagement.suppression import hidden_cells

from .conftest import by_key

pytestmark = pytest.mark.django_db
FEW = "Fewer than 3 answers"


def _published(make_consultation, admin, practices, signatories, finances: list[str]) -> Any:
    """A sustainability outlook answered by one practice per finance given, closed and published."""
    c = make_consultation("sustainability")
    q = by_key(c)
    actors = signatories[1:]  # one signatory of each of the three practices
    for finance, practice, actor in zip(finances, practices, actors, strict=False):
        services.response_submit(
            consultation=c,
            practice=practice,
            answers={str(q["leaving"].pk): "2", str(q["finance"].pk): finance, str(q["outlook"].pk): "same"},
            actor=actor,
        )
    services.consultation_close(consultation=c, actor=admin)
    services.results_publish(consultation=c, actor=admin)
    return c


def _results(client, group, c) -> str:
    return client.get(f"/g/{group.slug}/consultations/{c.pk}/results/").content.decode()


def test_two_practices_answers_are_hidden_from_members(
    client, group, admin, personas, make_consultation, practices, signatories
):
    c = _published(make_consultation, admin, practices, signatories, ["at_risk", "at_risk"])
    client.force_login(personas[Role.CORE])
    page = _results(client, group, c)
    # Every question has two answers: no count, share or average of any of them is shown.
    assert page.count(FEW) == 5  # finance, outlook, leaving; the gaps and support nobody gave
    assert "At risk" not in page and "100%" not in page and "Average" not in page
    assert "2 answered." in page  # how many answered is not an answer


def test_three_practices_answers_are_shown_to_members(
    client, group, admin, personas, make_consultation, practices, signatories
):
    c = _published(make_consultation, admin, practices, signatories, ["at_risk", "at_risk", "at_risk"])
    client.force_login(personas[Role.CORE])
    page = _results(client, group, c)
    assert "At risk" in page and "100%" in page and "Average 2.0 from 3 answers." in page
    assert page.count(FEW) == 2  # only the gaps and the support, which nobody gave


def test_officers_still_see_every_count_and_are_told_members_do_not(
    client, group, admin, strong_login, make_consultation, practices, signatories
):
    c = _published(make_consultation, admin, practices, signatories, ["at_risk", "stable"])
    strong_login(client, admin)
    page = _results(client, group, c)
    assert "At risk" in page and "50%" in page and "Average 2.0 from 2 answers." in page
    assert "Members see these totals with any count below 3 hidden" in page
    assert "fewer than 3" not in page


def test_a_lone_small_cell_hides_its_complement_too(make_consultation):
    """Four practices: three 'secure', one 'stable'. Hiding only 'stable' would leave it as the
    total (4, from the shares) less 3: so 'secure' is hidden too; the zeros are shown."""
    c = make_consultation("sustainability")
    q = by_key(c)["finance"]
    [out] = presenters.overall([q], {q.pk: {"secure": 3, "stable": 1}}, 4, min_cell=3)
    cells = [(row[0]["text"], row[1]["text"], row[2]["text"]) for row in out["rows"]]
    assert cells == [
        ("Secure", "fewer than 3", "–"),
        ("Stable", "fewer than 3", "–"),
        ("Stretched", "0", "0%"),
        ("At risk", "0", "0%"),
    ]


def test_a_scale_with_a_hidden_point_shows_no_average(make_consultation):
    c = make_consultation("sustainability")
    q = by_key(c)["leaving"]
    [out] = presenters.overall([q], {q.pk: {"0": 5, "1": 1, "2": 2}}, 8, min_cell=3)
    shown = {row[0]["text"]: row[1]["text"] for row in out["rows"]}
    assert shown["0"] == "5" and shown["1"] == shown["2"] == "fewer than 3" and shown["3"] == "0"
    assert "average is not shown" in out["note"]
    # 3 answers at one point: nothing hidden, and the average is given.
    [out] = presenters.overall([q], {q.pk: {"0": 3}}, 3, min_cell=3)
    assert out["note"] == "Average 0.0 from 3 answers."


def test_several_choices_hide_the_question_unless_some_choice_has_three(make_consultation):
    c = make_consultation("sustainability")
    q = by_key(c)["gaps"]
    [out] = presenters.overall([q], {q.pk: {"gp": 2, "nurse": 2}}, 4, min_cell=3)
    assert out["rows"] == [] and out["note"].startswith(FEW)
    [out] = presenters.overall([q], {q.pk: {"gp": 3, "nurse": 1}}, 4, min_cell=3)
    shown = {row[0]["text"]: row[1]["text"] for row in out["rows"]}
    # The choices do not add up to a total, so no complement is needed: only the small one hides.
    assert shown["GPs"] == "3" and shown["Practice nurses"] == "fewer than 3" and shown["Management"] == "0"


@pytest.mark.parametrize(
    ("counts", "hidden"),
    [
        ([3, 1, 0, 0], [True, True, False, False]),  # the complement: the smallest other non-zero
        ([5, 4, 1, 0], [False, True, True, False]),  # 4 hidden with the 1, not the 0
        ([5, 1, 2, 0], [False, True, True, False]),  # two hidden already: no complement needed
        ([1, 0, 0], [True, True, False]),  # only zeros left: the first of them
        ([3, 3, 0], [False, False, False]),  # 3 is shown
        ([2, 0], [True, True]),
    ],
)
def test_which_cells_are_hidden(counts, hidden):
    assert hidden_cells(counts, 3, adds_up=True) == hidden


def test_the_threshold_is_a_setting(make_consultation, settings):
    settings.ENGAGEMENT_MIN_CELL = 5
    from gpvoice.engagement import suppression

    assert suppression.threshold() == 5 and "Fewer than 5 answers" in suppression.too_few(5)
