from datetime import date, timedelta
from decimal import Decimal

import pytest

from gpvoice.core.models import Role
from gpvoice.directory.models import RoleType
from gpvoice.directory.tests.factories import AppointmentFactory, DeclarationFactory, PersonFactory
from gpvoice.governance.models import (
    Authority,
    DecisionCategory,
    ExecutiveDecision,
    MandateAnswer,
    RollEntry,
    TermsOfReference,
)


@pytest.mark.django_db
def test_signatory_answers_through_the_page_and_coverage_updates(
    client, group, open_round, area, signatories
):
    practice = area["practices"][2]
    client.force_login(signatories[2])
    page = client.get(f"/g/{group.slug}/mandate/").content.decode()
    assert f"Record answer for {practice.name}" in page and "Not acting with mandate" in page
    response = client.post(f"/g/{group.slug}/mandate/", {"practice": practice.ods_code, "answer": "agree"})
    assert response.status_code == 302
    assert MandateAnswer.objects.get(is_current=True).practice == practice
    data = client.get(f"/api/v1/groups/{group.slug}/mandate").json()
    assert data["counts"]["practices"]["agree"] == 1 and data["shares"]["patients"]["agree"] == "1/2"
    assert data["threshold"] == {"practices_more_than": "1/2", "patients_more_than": "1/2"}
    assert data["with_mandate"] is False


@pytest.mark.django_db
def test_answering_for_a_practice_you_do_not_sign_for_is_404(client, group, open_round, area, signatories):
    client.force_login(signatories[0])
    response = client.post(
        f"/g/{group.slug}/mandate/", {"practice": area["practices"][1].ods_code, "answer": "agree"}
    )
    assert response.status_code == 404 and not MandateAnswer.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data", [{"practice": "Z90000", "answer": "yes"}, {}, {"practice": "x" * 1000, "answer": "agree"}]
)
def test_malformed_answers_get_an_error_summary(client, group, open_round, area, signatories, data):
    client.force_login(signatories[0])
    response = client.post(f"/g/{group.slug}/mandate/", data)
    assert response.status_code == 200 and "nhsuk-error-summary" in response.content.decode()
    assert not MandateAnswer.objects.exists()


@pytest.mark.django_db
def test_mandate_page_and_api_queries_are_constant(
    client, group, open_round, area, signatories, django_assert_max_num_queries
):
    from gpvoice.directory.tests.factories import OrganisationFactory

    client.force_login(signatories[0])
    with django_assert_max_num_queries(16):
        client.get(f"/g/{group.slug}/mandate/")
    for i in range(40):
        OrganisationFactory(ods_code=f"Z8{i:04d}", pcn=area["pcn"], list_size=100)
    with django_assert_max_num_queries(16):
        html = client.get(f"/g/{group.slug}/mandate/").content.decode()
    assert "Z80039" in html, "the new practices are listed as not answered"
    with django_assert_max_num_queries(10):
        assert client.get(f"/api/v1/groups/{group.slug}/mandate").json()["totals"]["practices"] == 43


@pytest.mark.django_db
def test_roll_page_shows_reasons_declarations_and_queries_stay_constant(
    client, group, personas, strong_login, django_assert_max_num_queries
):
    strong_login(client, personas[Role.ADMIN])
    lead = PersonFactory(full_name="Dr Pathway Lead", email="lead@nhs.test")
    AppointmentFactory(person=lead, role=RoleType.SYSTEM_CLINICAL_LEAD)
    refused = client.post(f"/g/{group.slug}/roll/", {"email": "lead@nhs.test", "status": "core"})
    assert "cannot be a core member" in refused.content.decode() and not RollEntry.objects.exists()
    assert (
        client.post(f"/g/{group.slug}/roll/", {"email": "lead@nhs.test", "status": "attendee"}).status_code
        == 302
    )
    for i in range(15):
        person = PersonFactory(email=f"cd{i}@nhs.test")
        AppointmentFactory(person=person, role=RoleType.PCN_CLINICAL_DIRECTOR)
        DeclarationFactory(person=person, declared_on=date.today() - timedelta(days=500))
        client.post(f"/g/{group.slug}/roll/", {"email": person.email, "status": "core"})
    with django_assert_max_num_queries(12):
        html = client.get(f"/g/{group.slug}/roll/").content.decode()
    assert "16 on the roll" in html and "conflicted" in html and "Renewal due" in html


@pytest.mark.django_db
def test_unknown_person_is_a_clear_error(client, group, personas, strong_login):
    strong_login(client, personas[Role.ADMIN])
    response = client.post(f"/g/{group.slug}/roll/", {"email": "nobody@nhs.test", "status": "core"})
    assert "Nobody with that email" in response.content.decode() and not RollEntry.objects.exists()


@pytest.mark.django_db
def test_non_admin_cannot_change_the_roll_terms_or_scheme(client, group, personas, unchanged):
    """The service refuses (the page only shows its message), so the page, the API, the back office
    and a command all hold the same rule."""
    PersonFactory(email="a@nhs.test")
    client.force_login(personas[Role.CORE])
    with unchanged():
        for url, data in [
            ("roll/", {"email": "a@nhs.test", "status": "attendee"}),
            ("terms/", {"title": "T", "body": "B"}),
            ("delegation/", {"name": "X", "authority": "executive", "review_date": "2030-01-01"}),
        ]:
            response = client.post(f"/g/{group.slug}/{url}", data)
            assert "Only an admin of Northvale Leadership Group can" in response.content.decode(), url
    assert not TermsOfReference.objects.exists() and not DecisionCategory.objects.exists()


@pytest.mark.django_db
def test_admin_drafts_issues_and_opens_ratification(client, group, personas, strong_login, area):
    strong_login(client, personas[Role.ADMIN])
    client.post(
        f"/g/{group.slug}/terms/", {"title": "Terms of reference", "body": "# Purpose\nTo speak as one."}
    )
    terms = TermsOfReference.objects.get()
    url = f"/g/{group.slug}/terms/{terms.pk}/"
    early = client.post(url, {"open": "1", "closes_on": "2030-01-31", "expires_on": "2031-01-31"})
    assert "Issue this version" in early.content.decode()
    client.post(url, {"issue": "1"})
    changed = client.post(url, {"save": "1", "title": "Sneaky", "body": "Changed"})
    assert "cannot be changed" in changed.content.decode()
    bad = client.post(url, {"open": "1", "closes_on": "2030-01-31", "expires_on": "2029-01-31"})
    assert "must expire after" in bad.content.decode()
    assert (
        client.post(url, {"open": "1", "closes_on": "2030-01-31", "expires_on": "2031-01-31"}).status_code
        == 302
    )
    terms.refresh_from_db()
    assert terms.title == "Terms of reference" and terms.rounds.count() == 1


@pytest.mark.django_db
def test_executive_refused_then_refers_to_the_group(client, group, personas, strong_login):
    category = DecisionCategory.objects.create(
        group=group,
        name="Spend",
        authority=Authority.EXECUTIVE,
        spend_limit=Decimal("1000"),
        review_date=date.today() + timedelta(days=90),
    )
    strong_login(client, personas[Role.EXECUTIVE])
    data = {"category": category.pk, "title": "Buy a thing", "rationale": "Needed", "amount": "1500"}
    refused = client.post(f"/g/{group.slug}/decisions/", data).content.decode()
    assert "over the executive&#39;s limit" in refused and "Refer it to the group" in refused
    assert not ExecutiveDecision.objects.exists()
    assert client.post(f"/g/{group.slug}/decisions/", {**data, "refer": "1"}).status_code == 302
    assert ExecutiveDecision.objects.get().status == "referred"


@pytest.mark.django_db
def test_decision_for_another_groups_category_is_refused(client, group, other_group, personas, strong_login):
    theirs = DecisionCategory.objects.create(
        group=other_group,
        name="Spend",
        authority=Authority.EXECUTIVE,
        review_date=date.today() + timedelta(days=90),
    )
    strong_login(client, personas[Role.EXECUTIVE])
    response = client.post(
        f"/g/{group.slug}/decisions/", {"category": theirs.pk, "title": "T", "rationale": "R"}
    )
    assert "Select a valid choice" in response.content.decode() and not ExecutiveDecision.objects.exists()


@pytest.mark.django_db
def test_home_page_shows_mandate_and_flags_overdue_reviews(client, group, personas, open_round, area):
    DecisionCategory.objects.create(
        group=group, name="Comms", authority=Authority.EXECUTIVE, review_date=date.today() - timedelta(days=1)
    )
    client.force_login(personas[Role.CORE])
    html = client.get(f"/g/{group.slug}/").content.decode()
    assert "Not acting with mandate" in html and "0.0% of practices" in html
    # The overdue review is flagged only to those who can act on it: the group's admins.
    assert "Delegation reviews overdue" not in html
    client.force_login(personas[Role.ADMIN])
    html = client.get(f"/g/{group.slug}/").content.decode()
    assert "Delegation reviews overdue" in html and "Comms" in html


@pytest.mark.django_db
def test_admin_ends_a_roll_entry_and_bad_ids_change_nothing(
    client, group, other_group, personas, strong_login
):
    person, outsider_person = PersonFactory.create_batch(2)
    entry = RollEntry.objects.create(group=group, person=person, status="attendee")
    elsewhere = RollEntry.objects.create(group=other_group, person=outsider_person, status="attendee")
    strong_login(client, personas[Role.ADMIN])
    for bad in ["abc", "", "1 OR 1=1", str(elsewhere.pk), "9" * 30]:
        assert client.post(f"/g/{group.slug}/roll/", {"end": bad}).status_code == 404
    assert not RollEntry.objects.filter(end__isnull=False).exists()
    assert client.post(f"/g/{group.slug}/roll/", {"end": str(entry.pk)}).status_code == 302
    entry.refresh_from_db()
    elsewhere.refresh_from_db()
    assert entry.end is not None and elsewhere.end is None
