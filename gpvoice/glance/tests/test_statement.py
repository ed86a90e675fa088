"""The signed statement of the mandate: checkable later by anyone with the group's public key."""

from __future__ import annotations

import base64
import copy
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.core.management import CommandError, call_command
from django.test import override_settings

from gpvoice.glance import signing

pytestmark = pytest.mark.django_db


def _statement(client, group) -> dict:
    response = client.get(f"/api/v1/public/{group.slug}/mandate-statement")
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=60"
    return response.json()


def test_the_statement_states_the_figures_the_terms_hash_and_the_time(client, published, mandate):
    document = _statement(client, published)
    s = document["statement"]
    assert s["kind"] == signing.KIND and s["group"]["slug"] == published.slug
    assert s["mandate"]["practices"] == {"agreed": 2, "total": 3, "share": "2/3"}
    import hashlib

    assert s["mandate"]["terms"]["sha256"] == hashlib.sha256(b"# Purpose\nTo speak.").hexdigest()
    assert s["issued_at"] and s["mandate"]["expires_on"] == mandate.expires_on.isoformat()


def test_the_signature_checks_out_with_only_the_public_key_on_the_page(client, published, mandate):
    document = _statement(client, published)
    page = client.get(f"/p/{published.slug}/").content.decode()
    key = signing.public_key(published)
    assert key.b64 in page
    message = json.dumps(
        document["statement"], sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode()
    Ed25519PublicKey.from_public_bytes(base64.b64decode(key.b64)).verify(
        base64.b64decode(document["signature"]), message
    )


def test_each_group_has_its_own_key(published, other_group):
    assert signing.public_key(published).raw != signing.public_key(other_group).raw


def test_a_changed_figure_fails(client, published, mandate):
    document = _statement(client, published)
    forged = copy.deepcopy(document)
    forged["statement"]["mandate"]["practices"]["agreed"] = 3
    with pytest.raises(signing.Unverified):
        signing.verify(forged, signing.known_keys(published))
    assert signing.verify(document, signing.known_keys(published)) == document["statement"]


def test_another_groups_statement_fails_against_this_groups_key(client, published, mandate, other_group):
    document = _statement(client, published)
    with pytest.raises(signing.Unverified):
        signing.verify(document, signing.known_keys(other_group))


def test_a_statement_still_checks_out_after_the_secret_is_rotated(client, published, mandate, settings):
    document = _statement(client, published)
    old = settings.SECRET_KEY
    with override_settings(SECRET_KEY="a-new-secret-" + "x" * 40, SECRET_KEY_FALLBACKS=[old]):
        assert signing.verify(document, signing.known_keys(published))
    with override_settings(SECRET_KEY="a-new-secret-" + "x" * 40, SECRET_KEY_FALLBACKS=[]):
        with pytest.raises(signing.Unverified):
            signing.verify(document, signing.known_keys(published))


def test_the_verification_page_says_good_or_why_not(client, published, mandate):
    document = _statement(client, published)
    good = client.post(f"/p/{published.slug}/verify/", {"statement": json.dumps(document)})
    assert good.status_code == 200 and b"The signature is good" in good.content
    assert good["Cache-Control"] == "no-store"
    document["statement"]["issued_at"] = "2020-01-01T00:00:00+00:00"
    bad = client.post(f"/p/{published.slug}/verify/", {"statement": json.dumps(document)})
    assert b"does not check out" in bad.content and b"The signature is good" not in bad.content


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", b"Paste the signed statement"),
        ("not json", b"not valid JSON"),
        ('{"a": "\x00"}', b"Null characters are not allowed"),
        ("[1, 2]", b"not a signed statement"),
        ('{"statement": {"kind": "gpvoice.mandate-statement/1"}, "signature": "!!"}', b"not valid base64"),
        ("x" * 20_001, b"20,000 characters or fewer"),
    ],
)
def test_hostile_statements_get_a_clear_message(client, published, text, message):
    response = client.post(f"/p/{published.slug}/verify/", {"statement": text})
    assert response.status_code == 200 and message in response.content


def test_the_command_checks_a_kept_statement(client, published, mandate, tmp_path):
    path = tmp_path / "statement.json"
    path.write_text(json.dumps(_statement(client, published)))
    call_command("verify_statement", published.slug, str(path))
    document = json.loads(path.read_text())
    document["statement"]["mandate"]["with_mandate"] = True
    path.write_text(json.dumps(document))
    with pytest.raises(CommandError, match="does not match"):
        call_command("verify_statement", published.slug, str(path))


def test_no_mandate_yet_is_stated_too(client, published):
    document = _statement(client, published)
    assert document["statement"]["mandate"]["round"] is None
    assert document["statement"]["mandate"]["with_mandate"] is False
