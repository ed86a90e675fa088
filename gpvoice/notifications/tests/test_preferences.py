"""A person turns off the optional emails on a small page of NHS.UK checkboxes; nobody else can."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gpvoice.core.models import AuditEntry, Role
from gpvoice.notifications import services
from gpvoice.notifications.models import Preferences

URL = "/account/notifications/"


def test_the_address():
    assert reverse("notifications:preferences") == URL


@pytest.mark.django_db
def test_everything_is_on_until_the_person_chooses(client, personas):
    client.force_login(personas[Role.PRACTICE_STAFF])
    html = client.get(URL).content.decode()
    assert html.count('type="checkbox"') == 3 and html.count("checked") == 3
    assert "nhsuk-checkboxes" in html
    assert not Preferences.objects.exists()  # a read writes nothing


@pytest.mark.django_db
def test_unticking_turns_those_emails_off_and_says_so(client, personas):
    user = personas[Role.CORE]
    client.force_login(user)
    response = client.post(URL, {"email_me": ["results"]}, follow=True)
    assert "Your notification settings were saved." in response.content.decode()
    prefs = Preferences.objects.get(user=user)
    assert (prefs.reminders, prefs.results, prefs.nominations) == (False, True, False)
    assert AuditEntry.objects.filter(action="notifications.preferences.changed").count() == 1
    assert response.content.decode().count("checked") == 1


@pytest.mark.django_db
@pytest.mark.parametrize("bad", ["everything", "<script>", "results\x00", "x" * 10_000])
def test_an_unknown_choice_is_refused_naming_the_field(client, personas, bad):
    client.force_login(personas[Role.CORE])
    response = client.post(URL, {"email_me": [bad]})
    html = response.content.decode()
    assert response.status_code == 200
    assert "nhsuk-error-summary" in html and "Email me about" in html
    assert not Preferences.objects.exists()


@pytest.mark.django_db
def test_someone_elses_preferences_cannot_be_changed(personas):
    with pytest.raises(services.NotAllowed):
        services.preferences_update(
            user=personas[Role.CORE],
            actor=personas[Role.ADMIN],
            reminders=False,
            results=False,
            nominations=False,
        )
    assert not Preferences.objects.exists()


def test_a_visitor_is_asked_to_sign_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and "login" in response["Location"]
