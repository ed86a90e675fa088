"""The API walked from its own OpenAPI schema, as members and tokens of two groups.

schemathesis generates requests for every operation (hostile values included): no server error, and
nothing changes. Then every operation is called with one group's real ids in another group's hands:
always a 404. A new operation is walked without anyone listing it.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from conftest import make_member
from gpvoice.api.api import api
from gpvoice.api.services import token_create
from gpvoice.core.models import AuditEntry, LeadershipGroup, Role

from .conftest import published_ballot

schema = schemathesis.openapi.from_dict(api.get_openapi_schema())


def _session_cookie(user) -> str:
    from django.test import Client

    own = Client()  # one client each: logging a second user into one client ends the first's session
    own.force_login(user)
    return f"sessionid={own.cookies['sessionid'].value}"


@pytest.fixture
def callers(group, other_group):
    """Headers of four callers: a member and a token of each group."""
    heads = {}
    for name, g in (("north", group), ("south", other_group)):
        admin = make_member(g, Role.ADMIN, f"admin@{g.slug}.test")
        member = make_member(g, Role.CORE, f"core@{g.slug}.test")
        heads[f"{name}-member"] = {"Cookie": _session_cookie(member)}
        text = token_create(group=g, name="Partner", scope="read", valid_days=30, actor=admin)[1]
        heads[f"{name}-token"] = {"Authorization": f"Bearer {text}"}
        published_ballot(g)
    return heads


def _state() -> tuple[int, int]:
    return AuditEntry.objects.count(), LeadershipGroup.objects.count()


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=25, suppress_health_check=list(HealthCheck), deadline=None)
def test_no_generated_request_errors_or_changes_anything(case, client, callers):
    before = _state()
    query = f"?{urlencode(case.query, doseq=True)}" if case.query else ""
    for who, headers in callers.items():
        extra = {f"HTTP_{k.upper()}": v for k, v in {**(case.headers or {}), **headers}.items()}
        response = client.generic(case.method, case.formatted_path + query, **extra)
        assert response.status_code < 500, f"{who}: {case.method} {case.formatted_path}{query}"
        if response.status_code != 405:  # a method the path does not have: ninja's plain 405
            assert response["Content-Type"].startswith("application/json"), (who, response.content[:300])
    assert _state() == before


def _fill(path: str, values: dict[str, object]) -> str:
    import re

    names = re.findall(r"{(\w+)}", path)
    missing = [n for n in names if n not in values]
    assert not missing, f"add a sample for {missing} in test_schema._fill's callers (own and other group)"
    return path.format(**values)


# A well-formed body for each write operation, so that the walk below reaches the view's own checks.
BODIES = {
    "/api/v1/groups/{slug}/requests": {"name": "N", "email": "n@icb.nhs.test", "subject": "S", "body": "B"},
}


def _received_request(g) -> str:
    from gpvoice.intake.models import AccessRequest, Status

    return AccessRequest.objects.create(
        group=g,
        reference=f"SPA-2026-{g.pk:04d}",
        status=Status.RECEIVED,
        organisation_name="ICB",
        requester_name="R",
        requester_email="r@icb.nhs.test",
        subject="S",
        body="B",
    ).reference


@pytest.mark.django_db
def test_every_operation_with_another_groups_ids_is_a_404(client, group, other_group, callers):
    theirs = {
        "slug": other_group.slug,
        "ballot_id": published_ballot(other_group, "Theirs").pk,
        "reference": _received_request(other_group),
    }
    type(group).objects.filter(pk=group.pk).update(public_page=True)  # public pages: theirs is not opted in
    ours = {
        "slug": group.slug,
        "ballot_id": published_ballot(group, "Ours").pk,
        "reference": _received_request(group),
    }
    paths = api.get_openapi_schema()["paths"]  # each path already starts with /api/v1/
    assert paths, "the API has no operations"
    for path, methods in paths.items():
        for method in methods:
            for who in ("north-member", "north-token"):
                headers = {f"HTTP_{k.upper()}": v for k, v in callers[who].items()}
                if method != "get":  # these callers may only read: their own group refuses them (403)
                    body = {"data": json.dumps(BODIES[path]), "content_type": "application/json"}
                    mine = client.generic(method.upper(), _fill(path, ours), **body, **headers)
                    other = client.generic(method.upper(), _fill(path, theirs), **body, **headers)
                    assert mine.status_code == 403, f"{who}: {method} {path} on its own group"
                    assert other.status_code == 404, f"{who} wrote to another group's {method} {path}"
                    continue
                mine = client.generic(method.upper(), _fill(path, ours), **headers)
                other = client.generic(method.upper(), _fill(path, theirs), **headers)
                assert mine.status_code == 200, f"{who}: {method} {path} on its own group"
                assert other.status_code == 404, f"{who} read another group's {method} {path}"
