"""Footprint: one search across ICBs, sub-ICB locations, PCNs and practices, the type found by itself."""

from __future__ import annotations

import pytest

from gpvoice.core.models import AuditEntry, Role
from gpvoice.directory.models import FootprintEntry, OrgStatus, OrgType
from gpvoice.directory.selectors import footprint_candidates
from gpvoice.directory.tests.factories import OrganisationFactory, make_area


@pytest.fixture
def area(group):
    return make_area(practices=3)


def _state():
    return (
        list(FootprintEntry.objects.order_by("pk").values()),
        list(AuditEntry.objects.order_by("pk").values_list("pk", "action")),
    )


@pytest.mark.django_db
def test_search_finds_each_type_by_name_or_code(area):
    assert [o.org_type for o in footprint_candidates(term="QZZ")] == [OrgType.ICB]
    assert [o.org_type for o in footprint_candidates(term="u99999")] == [OrgType.PCN]
    assert footprint_candidates(term="Z90001").get().pk == area["practices"][1].pk
    by_name = {o.org_type for o in footprint_candidates(term="Test")}
    assert {OrgType.ICB, OrgType.SUB_ICB, OrgType.PCN} <= by_name
    assert OrgType.REGION not in by_name  # a region is not a footprint choice
    assert not footprint_candidates(term="   ").exists()


@pytest.mark.django_db
def test_an_exact_code_comes_first_and_closed_ones_are_left_out(area):
    OrganisationFactory(ods_code="Z90009", name="QZZ Road Surgery")  # the code appears in a name
    OrganisationFactory(ods_code="Z90010", name="Test Closed Surgery", status=OrgStatus.CLOSED)
    found = list(footprint_candidates(term="QZZ"))
    assert found[0].ods_code == "QZZ" and found[1].name == "QZZ Road Surgery"
    assert "Test Closed Surgery" not in [o.name for o in footprint_candidates(term="Test")]


@pytest.mark.django_db
def test_an_admin_searches_and_adds_without_choosing_a_type(client, group, personas, area, strong_login):
    strong_login(client, personas[Role.ADMIN])
    page = client.get(f"/g/{group.slug}/footprint/", {"q": "u99999"}).content.decode()
    assert "Test PCN (U99999)" in page and "Primary Care Network" in page and 'name="org_type"' not in page
    response = client.post(f"/g/{group.slug}/footprint/", {"add": str(area["pcn"].pk)})
    assert response.status_code == 302
    assert FootprintEntry.objects.get(group=group).organisation == area["pcn"]
    again = client.get(f"/g/{group.slug}/footprint/", {"q": "u99999"}).content.decode()
    assert "In the footprint" in again


@pytest.mark.django_db
def test_results_are_paginated_in_constant_queries(
    client, group, personas, area, strong_login, django_assert_max_num_queries
):
    for i in range(45):
        OrganisationFactory(ods_code=f"Z8{i:04d}", name=f"Meadow Surgery {i:02d}")
    strong_login(client, personas[Role.ADMIN])
    with django_assert_max_num_queries(20):
        page = client.get(f"/g/{group.slug}/footprint/", {"q": "Meadow", "page": "3"}).content.decode()
    assert "45 found" in page and page.count("Add<span") == 5 and "Previous" in page


@pytest.mark.django_db
@pytest.mark.parametrize("add", ["", "abc", "10000000", "1\x00", "²"])
def test_bad_ids_to_add_are_404_and_change_nothing(client, group, personas, area, strong_login, add):
    strong_login(client, personas[Role.ADMIN])
    before = _state()
    assert client.post(f"/g/{group.slug}/footprint/", {"add": add}).status_code == 404
    assert _state() == before


@pytest.mark.django_db
def test_a_region_cannot_be_added_by_id(client, group, personas, area, strong_login):
    strong_login(client, personas[Role.ADMIN])
    before = _state()
    assert client.post(f"/g/{group.slug}/footprint/", {"add": str(area["region"].pk)}).status_code == 404
    assert _state() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("q", "message"), [("x" * 101, "at most 100"), ("a\x00b", "Null characters are not allowed")]
)
def test_a_bad_search_is_named_and_changes_nothing(client, group, personas, area, strong_login, q, message):
    strong_login(client, personas[Role.ADMIN])
    before = _state()
    page = client.get(f"/g/{group.slug}/footprint/", {"q": q}).content.decode()
    assert "nhsuk-error-summary" in page and message in page and "#id_q" in page
    assert _state() == before


@pytest.mark.django_db
def test_a_hostile_search_is_shown_as_text(client, group, personas, area, strong_login):
    strong_login(client, personas[Role.ADMIN])
    page = client.get(f"/g/{group.slug}/footprint/", {"q": "<script>alert(1)</script>"}).content.decode()
    assert "<script>alert(1)</script>" not in page and "Nothing open matches" in page


@pytest.mark.django_db
def test_a_get_of_the_confirm_page_removes_nothing(client, group, personas, area, strong_login):
    entry = FootprintEntry.objects.create(group=group, organisation=area["icb"])
    strong_login(client, personas[Role.ADMIN])
    before = _state()
    assert client.get(f"/g/{group.slug}/footprint/{entry.pk}/remove/").status_code == 200
    assert _state() == before
