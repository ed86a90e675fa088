import pytest

from gpvoice.core.models import AuditEntry, Role
from gpvoice.directory.models import FootprintEntry, OrgStatus, OrgType

from .factories import AppointmentFactory, OrganisationFactory, make_area


@pytest.fixture
def area(db):
    return make_area(practices=3)


def _list(client, group, **params):
    return client.get(f"/g/{group.slug}/directory/practices/", {"scope": "england", **params})


@pytest.mark.django_db
def test_practice_list_search_filter_and_sort(client, group, personas, area):
    OrganisationFactory(
        ods_code="Z80001", name="Elsewhere Surgery", postcode="AB1 2CD", status=OrgStatus.CLOSED
    )
    client.force_login(personas[Role.PRACTICE_STAFF])
    html = _list(client, group).content.decode()
    assert "4 practices" in html and "reference data" in html
    assert "Elsewhere Surgery" in _list(client, group, q="ab1").content.decode()
    assert "Elsewhere Surgery" in _list(client, group, q="ab12cd").content.decode(), (
        "postcode without its space"
    )
    assert "1 practice<" in _list(client, group, q="z90001").content.decode()
    assert "3 practices" in _list(client, group, pcn="u99999").content.decode()
    assert "3 practices" in _list(client, group, icb="QZZ").content.decode()
    assert "1 practice<" in _list(client, group, status="closed").content.decode()
    largest = _list(client, group, sort="-list_size").content.decode()
    assert largest.index("Z90002") < largest.index("Z90000"), "largest list first"


@pytest.mark.django_db
def test_bad_filters_get_an_error_summary_not_a_crash(client, group, personas, area):
    client.force_login(personas[Role.CORE])
    response = _list(client, group, icb="NOPE", status="<script>", q="x" * 500)
    html = response.content.decode()
    assert response.status_code == 200 and "nhsuk-error-summary" in html and "<script>" not in html


@pytest.mark.django_db
def test_practice_list_queries_do_not_grow(client, group, personas, area, django_assert_max_num_queries):
    client.force_login(personas[Role.CORE])
    with django_assert_max_num_queries(8):
        _list(client, group)
    for i in range(60):
        OrganisationFactory(ods_code=f"Z7{i:04d}", pcn=area["pcn"], icb=area["icb"], sub_icb=area["sub_icb"])
    with django_assert_max_num_queries(8):
        response = _list(client, group)
    assert "page 1 of 2" in response.content.decode()


@pytest.mark.django_db
def test_practice_page_shows_pcn_list_size_people_and_groups(client, group, personas, area):
    practice = area["practices"][0]
    AppointmentFactory(organisation=practice, is_signatory=True, person__full_name="Dr Ada Partner")
    FootprintEntry.objects.create(group=group, organisation=area["pcn"])  # Dr Partner is in its records
    client.force_login(personas[Role.CORE])
    html = client.get(f"/g/{group.slug}/directory/practices/{practice.ods_code}/").content.decode()
    assert "Test PCN" in html and "1,000" in html and "Dr Ada Partner" in html and "signatory" in html
    assert group.name in html


@pytest.mark.django_db
def test_pcn_page_totals_members_and_names_the_clinical_director(
    client, group, personas, area, django_assert_max_num_queries
):
    FootprintEntry.objects.create(group=group, organisation=area["pcn"])
    client.force_login(personas[Role.CORE])
    with django_assert_max_num_queries(11):
        html = client.get(f"/g/{group.slug}/directory/pcns/U99999/").content.decode()
    assert "6,000" in html and "3 practices" in html and area["director"].person.full_name in html


@pytest.mark.django_db
def test_unknown_codes_are_404(client, group, personas, area):
    client.force_login(personas[Role.CORE])
    for url in ("practices/Z00000/", "pcns/U00000/", "organisations/999999/", "people/999999/"):
        assert client.get(f"/g/{group.slug}/directory/{url}").status_code == 404


@pytest.mark.django_db
def test_footprint_by_pcn_follows_imports_and_closures(client, group, personas, area, strong_login):
    from gpvoice.directory.selectors import footprint_practices

    strong_login(client, personas[Role.ADMIN])
    response = client.post(f"/g/{group.slug}/footprint/", {"org_type": OrgType.PCN, "ods_code": "u99999"})
    assert response.status_code == 302
    assert footprint_practices(group=group).count() == 3
    OrganisationFactory(ods_code="Z90100", pcn=area["pcn"])  # a practice joins the PCN later
    closed = area["practices"][0]
    closed.status = OrgStatus.CLOSED
    closed.save()
    assert set(footprint_practices(group=group).values_list("ods_code", flat=True)) == {
        "Z90001",
        "Z90002",
        "Z90100",
    }
    assert AuditEntry.objects.filter(action="directory.footprint.added").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"ods_code": "U00000"}, "There is no ICB, sub-ICB location, PCN or practice with the code U00000"),
        ({"org_type": "trust", "ods_code": "RXX"}, "There is no ICB, sub-ICB location, PCN or practice"),
        ({"ods_code": ""}, "This field is required"),
        ({"ods_code": "U" * 500}, "at most 12"),
    ],
)
def test_bad_footprint_additions_change_nothing(client, group, personas, area, strong_login, data, message):
    strong_login(client, personas[Role.ADMIN])
    response = client.post(f"/g/{group.slug}/footprint/", data)
    assert message in response.content.decode() and "nhsuk-error-summary" in response.content.decode()
    assert not FootprintEntry.objects.exists()


@pytest.mark.django_db
def test_adding_twice_is_refused_and_removal_works(client, group, personas, area, strong_login):
    strong_login(client, personas[Role.ADMIN])
    client.post(f"/g/{group.slug}/footprint/", {"org_type": "icb", "ods_code": "QZZ"})
    again = client.post(f"/g/{group.slug}/footprint/", {"org_type": "icb", "ods_code": "QZZ"})
    assert "already in the footprint" in again.content.decode()
    entry = FootprintEntry.objects.get()
    # The old one-click removal now leads to the confirm page and changes nothing by itself.
    response = client.post(f"/g/{group.slug}/footprint/", {"remove": str(entry.pk)})
    assert response.status_code == 302 and response["Location"].endswith(f"/footprint/{entry.pk}/remove/")
    assert FootprintEntry.objects.exists()
    confirm = client.get(response["Location"]).content.decode()
    assert "Remove Test ICB (QZZ)?" in confirm and "Yes, remove it" in confirm
    assert client.post(response["Location"]).status_code == 200  # not confirmed: asked again
    assert FootprintEntry.objects.exists()
    assert client.post(response["Location"], {"confirm": "yes"}).status_code == 302
    assert not FootprintEntry.objects.exists()


@pytest.mark.django_db
def test_another_groups_footprint_entry_cannot_be_removed(
    client, group, other_group, personas, area, strong_login
):
    theirs = FootprintEntry.objects.create(group=other_group, organisation=area["icb"])
    strong_login(client, personas[Role.ADMIN])
    assert client.post(f"/g/{group.slug}/footprint/", {"remove": str(theirs.pk)}).status_code == 404
    assert client.post(f"/g/{group.slug}/footprint/", {"remove": "'; drop table"}).status_code == 404
    for method in (client.get, client.post):
        assert method(f"/g/{group.slug}/footprint/{theirs.pk}/remove/").status_code == 404
    assert FootprintEntry.objects.filter(pk=theirs.pk).exists()
