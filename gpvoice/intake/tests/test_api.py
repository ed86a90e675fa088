import json

import pytest
from django.core import mail

from gpvoice.api.services import token_create
from gpvoice.intake import services
from gpvoice.intake.models import AccessRequest, Status

from .conftest import receive

BODY = {"name": "Ops desk", "email": "ops@icb.nhs.test", "subject": "Discharge pathway", "body": "Your view?"}


def _token(group, actor, scope="write", name="NHS Test ICB intranet"):
    return token_create(group=group, name=name, scope=scope, valid_days=30, actor=actor)[1]


def post(client, slug, token, body):
    return client.post(
        f"/api/v1/groups/{slug}/requests",
        data=body if isinstance(body, str | bytes) else json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def test_a_write_token_files_a_request_accepted_at_once_from_the_tokens_organisation(client, group, admin):
    response = post(client, group.slug, _token(group, admin), BODY)
    assert response.status_code == 201, response.content
    reference = response.json()["reference"]
    request = AccessRequest.objects.get(reference=reference)
    assert request.status == Status.RECEIVED and request.via_api
    assert request.organisation_name == "NHS Test ICB intranet"
    assert mail.outbox[-1].subject == f"{reference}: we have your request"  # acknowledged, no email check


def test_the_answer_is_read_back_by_reference_with_its_basis(client, group, admin, officer):
    token = _token(group, admin, scope="read")
    request, _ = receive(group)
    services.request_answer(request=request, actor=officer, body="We support it.")
    response = client.get(
        f"/api/v1/groups/{group.slug}/requests/{request.reference}", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "answered" and body["answers"][0]["body"] == "We support it."
    assert "requester_email" not in body and "alex@" not in response.content.decode()


def test_a_read_token_may_not_file(client, group, admin, unchanged):
    token = _token(group, admin, scope="read")
    with unchanged():
        assert post(client, group.slug, token, BODY).status_code == 403


def test_another_groups_token_or_reference_is_a_404(client, group, other_group, admin, outsider, unchanged):
    theirs = _token(other_group, outsider)
    with unchanged():
        assert post(client, group.slug, theirs, BODY).status_code == 404
    request, _ = receive(group)
    AccessRequest.objects.filter(pk=request.pk).update(reference="SPA-2000-0009")
    response = client.get(
        f"/api/v1/groups/{other_group.slug}/requests/SPA-2000-0009", HTTP_AUTHORIZATION=f"Bearer {theirs}"
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        {**BODY, "subject": ""},
        {**BODY, "body": "a\x00b"},
        {**BODY, "email": "nope"},
        {**BODY, "body": "x" * 20_001},
        {**BODY, "wanted_by": "2000-01-01"},
        {"name": "only"},
        "not json",
        b"\x00\x01\x02",
        "[]",
    ],
)
def test_bad_bodies_are_refused_clearly_and_change_nothing(client, group, admin, unchanged, body):
    token = _token(group, admin)
    with unchanged():
        response = post(client, group.slug, token, body)
    assert response.status_code in (400, 422) and response["Content-Type"].startswith("application/json")
