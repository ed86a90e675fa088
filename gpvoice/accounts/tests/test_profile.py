"""The profile page: my name, groups, practices and appointments, declarations, sign-in settings."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from django.utils import timezone

from gpvoice.accounts.models import User
from gpvoice.core.models import AuditEntry, Role
from gpvoice.directory.models import Declaration, Person
from gpvoice.directory.services import (
    DeclarationError,
    declaration_declare,
    declaration_end,
    declaration_renew,
)
from gpvoice.directory.tests.factories import AppointmentFactory, DeclarationFactory, make_area


def _state() -> tuple:
    return (
        list(User.objects.order_by("pk").values_list("pk", "full_name")),
        list(Person.objects.order_by("pk").values_list("pk", "full_name", "email", "user_id")),
        list(
            Declaration.objects.order_by("pk").values_list("pk", "interest", "nature", "declared_on", "end")
        ),
        AuditEntry.objects.count(),
    )


@contextmanager
def unchanged():
    before = _state()
    yield
    assert _state() == before, "a refused write changed the database"


@pytest.fixture
def me(personas):
    return personas[Role.CORE]


@pytest.fixture
def my_person(me):
    return Person.objects.create(full_name="Dr Core Member", email=me.email, user=me)


@pytest.mark.django_db
def test_profile_shows_groups_practices_signatory_role_and_declarations(client, me, my_person, group):
    area = make_area(practices=1, footprint_of=group)
    practice = area["practices"][0]
    AppointmentFactory(person=my_person, organisation=practice, is_signatory=True)
    DeclarationFactory(person=my_person, interest="Director, Northvale Health Ltd", nature="Financial")
    client.force_login(me)
    html = client.get("/account/").content.decode()
    assert f"Core member; signatory of {practice.name}" in html
    assert f"{practice.name} ({practice.ods_code})" in html
    assert "Director, Northvale Health Ltd" in html and "Up to date" in html
    assert f'href="mailto:{me.email}"' in html
    assert "/accounts/password/set/" in html and "/accounts/2fa/" in html
    assert 'maxlength="200"' in html


@pytest.mark.django_db
def test_profile_asks_no_more_queries_for_more_declarations_and_appointments(
    client, me, my_person, group, django_assert_max_num_queries
):
    area = make_area(practices=3, footprint_of=group)
    client.force_login(me)
    client.get("/account/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get("/account/")
    for practice in area["practices"]:
        AppointmentFactory(person=my_person, organisation=practice, is_signatory=True)
        DeclarationFactory(person=my_person)
    with django_assert_max_num_queries(len(few) + 1):  # +1: the footprint check, once per group
        client.get("/account/")


@pytest.mark.django_db
def test_changing_my_name_is_audited(client, me):
    client.force_login(me)
    response = client.post("/account/", {"full_name": "  Dr   Renamed "})
    assert response.status_code == 302
    me.refresh_from_db()
    assert me.full_name == "Dr Renamed"
    entry = AuditEntry.objects.get(action="accounts.user.renamed")
    assert entry.actor == me and entry.data["to"] == "Dr Renamed"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "message"),
    [("", "Enter your full name."), ("x" * 201, "at most 200"), ("a\x00b", "Null characters")],
)
def test_a_bad_name_names_the_field_and_changes_nothing(client, me, name, message):
    client.force_login(me)
    with unchanged():
        response = client.post("/account/", {"full_name": name})
    html = response.content.decode()
    assert response.status_code == 200 and "nhsuk-error-summary" in html and message in html
    assert 'href="#id_full_name"' in html


@pytest.mark.django_db
def test_declaring_an_interest_links_my_directory_record_and_is_audited(client, me, group):
    unlinked = Person.objects.create(full_name="Dr Core", email=me.email.upper())
    client.force_login(me)
    response = client.post(
        "/account/declarations/new/",
        {"interest": "Shareholder, Acme Ltd", "nature": "Financial", "start": ""},
    )
    assert response.status_code == 302
    declaration = Declaration.objects.get()
    assert declaration.person == unlinked and declaration.declared_on == timezone.localdate()
    unlinked.refresh_from_db()
    assert unlinked.user == me
    assert AuditEntry.objects.filter(action="directory.declaration.declared", actor=me).count() == 1


@pytest.mark.django_db
def test_declaring_without_a_directory_record_creates_mine(me):
    declaration = declaration_declare(actor=me, interest="Trustee, a local charity", nature="Non-financial")
    assert declaration.person.user == me and declaration.person.email == me.email


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"interest": "", "nature": "Financial"}, "Enter the interest."),
        ({"interest": "x" * 301, "nature": "Financial"}, "at most 300"),
        ({"interest": "Acme", "nature": ""}, "Enter the nature of the interest."),
        ({"interest": "A\x00cme", "nature": "Financial"}, "Null characters"),
        ({"interest": "Acme", "nature": "Financial", "start": "31/2/2026"}, "day/month/year"),
        ({"interest": "Acme", "nature": "Financial", "start": "1/1/2999"}, "cannot be in the future"),
    ],
)
def test_a_bad_declaration_names_the_field_and_changes_nothing(client, me, data, message):
    client.force_login(me)
    with unchanged():
        response = client.post("/account/declarations/new/", data)
    html = response.content.decode()
    assert response.status_code == 200 and "nhsuk-error-summary" in html and message in html


@pytest.mark.django_db
def test_renewal_is_due_after_a_year_and_renewing_clears_it(client, me, my_person):
    today = timezone.localdate()
    on_the_day = DeclarationFactory(
        person=my_person, interest="Exactly a year", declared_on=today - timedelta(days=365)
    )
    a_day_over = DeclarationFactory(
        person=my_person, interest="A day over", declared_on=today - timedelta(days=366)
    )
    client.force_login(me)
    html = client.get("/account/").content.decode()
    assert html.count("Renewal due") == 1 and html.count("Up to date") == 1  # 365 days: still up to date

    response = client.post("/account/declarations/", {"declaration": a_day_over.pk, "renew": "1"})
    assert response.status_code == 302
    a_day_over.refresh_from_db()
    assert a_day_over.declared_on == today and on_the_day.declared_on == today - timedelta(days=365)
    assert "Renewal due" not in client.get("/account/").content.decode()
    assert AuditEntry.objects.filter(action="directory.declaration.renewed").count() == 1


@pytest.mark.django_db
def test_ending_an_interest_keeps_it_as_history_and_it_leaves_the_page(client, me, my_person):
    declaration = DeclarationFactory(person=my_person, interest="Old directorship")
    client.force_login(me)
    client.post("/account/declarations/", {"declaration": declaration.pk, "end": "1"})
    declaration.refresh_from_db()
    assert declaration.end == timezone.localdate()
    assert "Old directorship" not in client.get("/account/").content.decode()
    with unchanged():
        client.post("/account/declarations/", {"declaration": declaration.pk, "renew": "1"})


@pytest.mark.django_db
@pytest.mark.parametrize("posted", ["", "abc", "²", "1" * 30, "-1"])
def test_someone_elses_or_a_made_up_declaration_changes_nothing(client, me, my_person, posted):
    theirs = DeclarationFactory(interest="Someone else's")
    client.force_login(me)
    with unchanged():
        client.post("/account/declarations/", {"declaration": posted or theirs.pk, "renew": "1"})
        client.post("/account/declarations/", {"declaration": theirs.pk, "end": "1"})


@pytest.mark.django_db
def test_the_services_refuse_another_persons_declaration(me, my_person):
    theirs = DeclarationFactory(interest="Someone else's")
    with unchanged():
        for write in (declaration_renew, declaration_end):
            with pytest.raises(DeclarationError):
                write(declaration=theirs, actor=me)


@pytest.mark.django_db
def test_a_get_changes_nothing(client, me, my_person):
    declaration = DeclarationFactory(person=my_person, declared_on=date(2020, 1, 1))
    client.force_login(me)
    with unchanged():
        assert client.get(f"/account/declarations/?declaration={declaration.pk}&renew=1").status_code == 302


@pytest.mark.django_db
def test_the_profile_links_to_the_notification_settings(client, me):
    client.force_login(me)
    html = client.get("/account/").content.decode()
    assert '<a href="/account/notifications/">Choose which emails you get</a>' in html


@pytest.mark.django_db
def test_every_page_header_links_to_my_account(client, me, group):
    client.force_login(me)
    html = client.get(f"/g/{group.slug}/").content.decode()
    assert 'class="nhsuk-header__account-link" href="/account/"' in html


@pytest.mark.django_db
def test_allauth_pages_lead_an_officer_back_to_the_steps_left(client, personas, strong_login):
    client.force_login(personas[Role.ADMIN])  # a code sign-in: no password, no app yet
    assert "See the steps left" in client.get("/accounts/password/set/").content.decode()
    client.force_login(personas[Role.CORE])
    assert "See the steps left" not in client.get("/accounts/password/set/").content.decode()
    strong_login(client, personas[Role.EXECUTIVE])
    assert "See the steps left" not in client.get("/accounts/2fa/").content.decode()
