"""The group's public page: opt-in, no sign-in, only what people agreed to publish, cached a minute."""

from __future__ import annotations

import pytest

from gpvoice.core.models import Membership, Role
from gpvoice.directory.models import RoleType
from gpvoice.directory.tests.factories import AppointmentFactory, PersonFactory
from gpvoice.glance import services
from gpvoice.governance import services as governance

pytestmark = pytest.mark.django_db

PUBLIC_URLS = [
    "/p/{slug}/",
    "/p/{slug}/verify/",
    "/p/{slug}/footprint/",
    "/p/{slug}/members/",
    "/p/{slug}/mandate/",
    "/api/v1/public/{slug}",
    "/api/v1/public/{slug}/mandate-statement",
]


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_a_group_that_has_not_opted_in_is_a_404_that_reveals_nothing(client, group, mandate, url):
    response = client.get(url.format(slug=group.slug))
    missing = client.get(url.format(slug="no-such-group"))
    assert response.status_code == missing.status_code == 404
    assert group.name.encode() not in response.content


@pytest.mark.parametrize("url", PUBLIC_URLS[:5])
def test_hostile_slugs_are_a_404(client, url):
    for slug in ["x" * 2000, "%00", "<script>"]:
        assert client.get(url.format(slug=slug)).status_code == 404


def test_the_published_page_shows_footprint_and_mandate_with_how_computed(client, published, mandate):
    response = client.get(f"/p/{published.slug}/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Who the group speaks for" in text and "6,000" in text  # three practices, 6,000 patients
    assert "2 of 3 (66.7%)" in text and "3,000 of 6,000 (50.0%)" in text
    assert "Not acting with mandate" in text  # 50% of patients is not more than half
    assert f"/p/{published.slug}/mandate/" in text and f"/p/{published.slug}/footprint/" in text
    assert f"/spa/{published.slug}/" in text  # the door to the single point of access


def test_the_page_may_be_kept_a_minute_and_is_the_same_for_a_signed_in_visitor(
    client, published, mandate, personas
):
    anonymous = client.get(f"/p/{published.slug}/")
    assert anonymous["Cache-Control"] == "public, max-age=60"
    client.force_login(personas[Role.ADMIN])
    signed_in = client.get(f"/p/{published.slug}/")
    assert signed_in["Cache-Control"] == "public, max-age=60"
    assert personas[Role.ADMIN].email.encode() not in signed_in.content


def test_only_people_who_agreed_are_named_and_never_their_contact_details(client, published, personas):
    named, shy = personas[Role.CORE], personas[Role.ATTENDEE]
    for user, status, name in [(named, "core", "Dr Named Person"), (shy, "attendee", "Dr Shy Person")]:
        person = PersonFactory(
            full_name=name, user=user, email=f"{name[3:7].lower()}@contact.test", phone="01234 567890"
        )
        AppointmentFactory(person=person, role=RoleType.LMC_CHAIR)
        governance.roll_add(group=published, person=person, status=status, actor=personas[Role.ADMIN])
    services.named_publicly_set(
        membership=Membership.objects.get(user=named, group=published), agreed=True, actor=named
    )
    for url in [f"/p/{published.slug}/", f"/p/{published.slug}/members/", f"/api/v1/public/{published.slug}"]:
        text = client.get(url).content.decode()
        assert "Dr Named Person" in text, url
        assert "Dr Shy Person" not in text, url
        assert "contact.test" not in text and "567890" not in text, url


def test_withdrawing_consent_takes_the_name_off(client, published, personas):
    user = personas[Role.CORE]
    person = PersonFactory(full_name="Dr Changed Mind", user=user)
    AppointmentFactory(person=person, role=RoleType.LMC_CHAIR)
    governance.roll_add(group=published, person=person, status="core", actor=personas[Role.ADMIN])
    membership = Membership.objects.get(user=user, group=published)
    services.named_publicly_set(membership=membership, agreed=True, actor=user)
    services.named_publicly_set(membership=membership, agreed=False, actor=user)
    assert b"Dr Changed Mind" not in client.get(f"/p/{published.slug}/members/").content


def test_the_agreeing_practices_are_listed_by_name(client, published, mandate, area):
    text = client.get(f"/p/{published.slug}/mandate/").content.decode()
    names = [p.name for p in area["practices"]]
    assert names[0] in text and names[1] in text and names[2] not in text
    assert "2 practices" in text


def test_another_groups_practices_never_appear(client, published, mandate, other_group):
    from gpvoice.directory.tests.factories import OrganisationFactory

    OrganisationFactory(ods_code="Z88888", name="Elsewhere Surgery")
    assert b"Elsewhere Surgery" not in client.get(f"/p/{published.slug}/footprint/").content


def test_the_json_is_in_the_openapi_schema_and_matches_the_page(client, published, mandate):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/public/{slug}" in schema["paths"]
    data = client.get(f"/api/v1/public/{published.slug}").json()
    mandate_data = next(s for s in data["sections"] if s["key"] == "mandate")["data"]
    assert mandate_data["practices"] == {"agreed": 2, "total": 3, "share": "2/3"}
    assert mandate_data["patients"] == {"agreed": 3000, "total": 6000, "share": "1/2"}
    assert mandate_data["with_mandate"] is False
    assert data["signing_key"]["algorithm"] == "Ed25519"
