"""Consultation pages: answering through the form, results by PCN, the export, hostile input."""

from __future__ import annotations

import csv
import io

import pytest

from gpvoice.core.models import Role
from gpvoice.engagement import services
from gpvoice.engagement.models import Response

from .conftest import by_key, relationship_answers

pytestmark = pytest.mark.django_db
HOSTILE = "<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>"


def test_a_signatory_answers_through_the_form_and_sees_the_history(
    client, group, make_consultation, practices, signatories
):
    c = make_consultation()
    q = by_key(c)
    client.force_login(signatories[0])
    url = f"/g/{group.slug}/consultations/{c.pk}/answer/"
    page = client.get(url).content.decode()
    assert "Answering for" in page and 'maxlength="5000"' in page
    response = client.post(
        url,
        {
            "practice": practices[0].pk,
            f"q{q['stance'].pk}": "rivals",
            f"q{q['pcn_view'].pk}": "rivals",
            f"q{q['closer'].pk}": HOSTILE,
        },
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Answers given, latest first" in page and "<script>alert" not in page


def test_a_missing_answer_names_the_question_in_the_error_summary(
    client, group, make_consultation, practices, signatories
):
    c = make_consultation()
    client.force_login(signatories[0])
    page = client.post(
        f"/g/{group.slug}/consultations/{c.pk}/answer/", {"practice": practices[0].pk}
    ).content.decode()
    assert "There is a problem" in page and f'href="#q{by_key(c)["stance"].pk}"' in page
    assert not Response.objects.exists()


def test_a_member_who_signs_for_no_practice_is_told_why(client, group, personas, make_consultation):
    c = make_consultation()
    client.force_login(personas[Role.CORE])
    page = client.get(f"/g/{group.slug}/consultations/{c.pk}/answer/").content.decode()
    assert "Only a signatory" in page


def _answer_all(c, practices, signatories, stances):
    users = [signatories[0], signatories[2], signatories[3]]
    for practice, user, stance in zip(practices, users, stances, strict=True):
        services.response_submit(
            consultation=c, practice=practice, answers=relationship_answers(c, stance), actor=user
        )


def test_results_show_the_spread_by_pcn_and_flag_a_divided_one(
    client, group, admin, strong_login, make_consultation, practices, signatories
):
    c = make_consultation()
    _answer_all(c, practices, signatories, ["allies", "friends", "rivals"])
    strong_login(client, admin)
    page = client.get(f"/g/{group.slug}/consultations/{c.pk}/results/").content.decode()
    assert "Test PCN" in page and "Divided" in page and "3 answered" in page


def test_members_see_results_only_once_published(
    client, group, admin, personas, make_consultation, practices, signatories
):
    c = make_consultation()
    _answer_all(c, practices, signatories, ["allies", "allies", "friends"])
    client.force_login(personas[Role.CORE])
    url = f"/g/{group.slug}/consultations/{c.pk}/results/"
    assert "once the group publishes" in client.get(url).content.decode()
    services.consultation_close(consultation=c, actor=admin)
    services.results_publish(consultation=c, actor=admin)
    page = client.get(url).content.decode()
    assert "By PCN" in page and "Download every answer" not in page


def test_members_see_only_totals_of_a_confidential_consultation(
    client, group, admin, personas, make_consultation, practices, signatories
):
    c = make_consultation("sustainability")
    q = by_key(c)
    for signatory, practice in zip(signatories[1:], practices, strict=True):
        services.response_submit(
            consultation=c,
            practice=practice,
            answers={
                str(q["leaving"].pk): "2",
                str(q["finance"].pk): "at_risk",
                str(q["outlook"].pk): "merge",
            },
            actor=signatory,
        )
    services.consultation_close(consultation=c, actor=admin)
    services.results_publish(consultation=c, actor=admin)
    client.force_login(personas[Role.CORE])
    page = client.get(f"/g/{group.slug}/consultations/{c.pk}/results/").content.decode()
    assert "At risk" in page and "By PCN" not in page and practices[0].name not in page


def test_the_export_neutralises_formulas_and_names_choices(
    client, group, admin, strong_login, make_consultation, practices, signatories
):
    c = make_consultation()
    services.response_submit(
        consultation=c,
        practice=practices[0],
        answers=relationship_answers(c, "rivals", closer='=HYPERLINK("http://evil")'),
        actor=signatories[0],
    )
    strong_login(client, admin)
    response = client.get(f"/g/{group.slug}/consultations/{c.pk}/responses.csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[1][-1] == '\'=HYPERLINK("http://evil")' and "Rivals: we compete" in rows[1]


def test_hostile_markdown_in_an_introduction_is_inert(client, group, admin, strong_login, make_consultation):
    c = make_consultation("custom", title="Ours", open=False, introduction=HOSTILE)
    strong_login(client, admin)
    page = client.get(f"/g/{group.slug}/consultations/{c.pk}/").content.decode()
    assert "<script>alert" not in page and 'href="javascript' not in page and "<img src=x" not in page


def test_an_officer_drafts_adds_a_question_and_opens(client, group, admin, strong_login):
    strong_login(client, admin)
    response = client.post(
        f"/g/{group.slug}/consultations/new/",
        {"template": "custom", "title": "Estates", "closes_on": "31/01/2099", "introduction": "Tell us."},
    )
    assert response.status_code == 302
    manage = response["Location"]
    assert (
        client.post(
            manage,
            {
                "do": "question",
                "kind": "single",
                "text": "Enough space?",
                "choices": "Yes\nNo",
                "required": "on",
            },
        ).status_code
        == 302
    )
    assert client.post(manage, {"do": "open"}).status_code == 302
    assert "Not yet answered" in client.get(manage).content.decode()


def test_the_signatory_has_a_to_do_item_until_the_practice_answers(
    client, group, make_consultation, practices, signatories
):
    from django.test import RequestFactory

    from gpvoice.core import todo

    c = make_consultation()
    request = RequestFactory().get("/")
    request.user, request.group = signatories[0], group
    items = todo.items(request)
    assert any(c.title in i.text and not i.done for i in items)
    services.response_submit(
        consultation=c, practice=practices[0], answers=relationship_answers(c, "allies"), actor=signatories[0]
    )
    assert [i.done for i in todo.items(request) if c.title in i.text] == [True]
