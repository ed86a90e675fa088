"""Per-group API tokens: created by group admins, shown once, stored hashed, scoped, revocable, expiring."""

import re
from datetime import timedelta

import pytest
import time_machine

from conftest import make_member
from gpvoice.api.models import ApiToken
from gpvoice.api.services import TokenError, token_create, token_revoke
from gpvoice.core.models import AuditEntry, Role

from .conftest import bearer, published_ballot


def _counts():
    return ApiToken.objects.count(), AuditEntry.objects.count()


@pytest.mark.django_db
def test_a_token_is_stored_hashed_and_reads_only_its_own_group(client, group, other_group, token):
    row, text = token
    assert text not in {row.token_hash, row.prefix} and text.startswith(f"gpv_{row.prefix}_")
    assert client.get(f"/api/v1/groups/{group.slug}/mandate", **bearer(text)).status_code == 200
    assert client.get(f"/api/v1/groups/{other_group.slug}/mandate", **bearer(text)).status_code == 404
    other_ballot = published_ballot(other_group)
    assert client.get(f"/api/v1/ballots/{other_ballot.pk}/result", **bearer(text)).status_code == 404
    own = published_ballot(group)
    assert client.get(f"/api/v1/ballots/{own.pk}/result", **bearer(text)).json()["ballot"] == own.pk
    row.refresh_from_db()
    assert row.last_used_at is not None
    assert AuditEntry.objects.filter(action="api.token.created", group=group).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # tampered secret
        lambda t: t.replace("gpv_", "gpx_"),  # wrong shape
        lambda t: "",  # empty
        lambda t: t + "\x00",  # NUL byte
        lambda t: "gpv_" + "0" * 12 + "_" + "A" * 43,  # well formed, unknown
        lambda t: t * 200,  # huge
    ],
)
def test_a_bad_token_is_refused_and_changes_nothing(client, group, token, mangle):
    row, text = token
    before = _counts()
    response = client.get(f"/api/v1/groups/{group.slug}/mandate", **bearer(mangle(text)))
    assert response.status_code == 401
    assert _counts() == before
    row.refresh_from_db()
    assert row.last_used_at is None


@pytest.mark.django_db
def test_a_revoked_or_expired_token_stops_working(client, group, admin, token):
    row, text = token
    url = f"/api/v1/groups/{group.slug}/mandate"
    with time_machine.travel(row.expires_at + timedelta(seconds=1)):
        assert client.get(url, **bearer(text)).status_code == 401
    token_revoke(token=row, actor=admin)
    assert client.get(url, **bearer(text)).status_code == 401
    assert AuditEntry.objects.filter(action="api.token.revoked").count() == 1
    with pytest.raises(TokenError, match="already been revoked"):
        token_revoke(token=row, actor=admin)


@pytest.mark.django_db
@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMIN])
def test_only_a_group_admin_creates_or_revokes_tokens(group, token, role):
    someone = make_member(group, role, f"{role}@northvale.test")
    before = _counts()
    with pytest.raises(TokenError, match="Only a group admin"):
        token_create(group=group, name="Mine", scope="read", valid_days=30, actor=someone)
    with pytest.raises(TokenError, match="Only a group admin"):
        token_revoke(token=token[0], actor=someone)
    assert _counts() == before


@pytest.mark.django_db
def test_another_groups_admin_cannot_revoke_this_groups_token(token, other_admin):
    before = _counts()
    with pytest.raises(TokenError):
        token_revoke(token=token[0], actor=other_admin)
    assert _counts() == before
    assert ApiToken.objects.get(pk=token[0].pk).revoked_at is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "scope", "days", "message"),
    [
        ("", "read", 30, "Enter a name"),
        ("\x00\x00", "read", 30, "Enter a name"),
        ("x" * 101, "read", 30, "Enter a name"),
        ("Intranet", "admin", 30, "Choose read"),
        ("Intranet", "read", 0, "valid for 1 to 366"),
        ("Intranet", "read", 367, "valid for 1 to 366"),
    ],
)
def test_a_bad_token_request_is_refused_with_a_reason(group, admin, name, scope, days, message):
    before = _counts()
    with pytest.raises(TokenError, match=message):
        token_create(group=group, name=name, scope=scope, valid_days=days, actor=admin)
    assert _counts() == before


@pytest.mark.django_db
def test_the_page_shows_a_new_token_once_and_revokes(client, group, admin, strong_login):
    strong_login(client, admin)
    url = f"/g/{group.slug}/api-tokens/"
    response = client.post(url, {"name": "<b>ICB</b>", "scope": "read", "valid_days": "30"})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    row = ApiToken.objects.get()
    shown = page.split('id="new-token" class="gpv-token">')[1].split("<")[0]
    assert shown.startswith(f"gpv_{row.prefix}_") and "&lt;b&gt;ICB&lt;/b&gt;" in page
    assert shown not in client.get(url).content.decode()  # once only
    assert client.post(url, {"revoke": str(row.pk)}).status_code == 302
    row.refresh_from_db()
    assert row.revoked_at is not None


@pytest.mark.django_db
def test_the_page_refuses_another_groups_token_id(client, group, admin, other_token, strong_login):
    strong_login(client, admin)
    before = _counts()
    for value in (str(other_token[0].pk), "x", "1\x00", "9" * 30):
        assert client.post(f"/g/{group.slug}/api-tokens/", {"revoke": value}).status_code == 404
    assert _counts() == before


@pytest.mark.django_db
def test_requests_past_the_rate_limit_are_refused(client, group, token, settings):
    _, text = token
    url = f"/api/v1/groups/{group.slug}/mandate"
    statuses = [client.get(url, **bearer(text)).status_code for _ in range(121)]
    assert statuses[:120] == [200] * 120
    assert statuses[120] == 429


@pytest.mark.django_db
def test_lists_are_paginated(client, group, token):
    for n in range(55):
        published_ballot(group, title=f"Vote {n}")
    _, text = token
    first = client.get(f"/api/v1/groups/{group.slug}/ballots", **bearer(text)).json()
    second = client.get(f"/api/v1/groups/{group.slug}/ballots?page=2", **bearer(text)).json()
    assert (first["count"], len(first["items"]), len(second["items"])) == (55, 50, 5)


@pytest.mark.django_db
def test_the_docs_page_lists_every_operation_with_no_third_party_assets(client):
    page = client.get("/api/v1/docs").content.decode()
    for path in (
        "/api/v1/groups/{slug}/mandate",
        "/api/v1/groups/{slug}/ballots",
        "/api/v1/ballots/{ballot_id}",
    ):
        assert path in page
    # A script's nonce is random letters and may spell "cdn" by chance: it is not an address.
    addresses = re.sub(r'nonce="[^"]*"', "", page).lower()
    assert "cdn" not in addresses and "unpkg" not in addresses
    assert not re.search(r'(src|href)="(https?:)?//', addresses), "an asset from another host"
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "GP Voice API"


@pytest.mark.django_db
def test_a_members_session_reads_its_own_group_only(client, group, other_group):
    member = make_member(group, Role.CORE)
    client.force_login(member)
    assert client.get(f"/api/v1/groups/{group.slug}/mandate").status_code == 200
    assert client.get(f"/api/v1/groups/{other_group.slug}/mandate").status_code == 404
    client.logout()
    assert client.get(f"/api/v1/groups/{group.slug}/mandate").status_code == 401
