"""The demo shows notifications at work: queued emails for what is open, and a to-do list for the
demo signatory."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from gpvoice.accounts.models import User
from gpvoice.jobs.models import OutgoingEmail
from gpvoice.notifications.models import Notice, Preferences


@pytest.mark.django_db
def test_the_demo_queues_notifications_and_gives_the_signatory_a_to_do_list(client):
    call_command("load-demo")
    kinds = set(Notice.objects.values_list("kind", flat=True))
    assert {"ballot-opened", "nominations-opened"} <= kinds
    assert OutgoingEmail.objects.filter(key__startswith="notice:ballot-opened:").exists()
    assert Preferences.objects.filter(nominations=False).count() == 2
    observer = "observer@northvale.example.nhs.uk"
    assert not OutgoingEmail.objects.filter(
        key__startswith="notice:nominations-opened:", to=[observer]
    ).exists()
    count = OutgoingEmail.objects.count()
    call_command("load-demo")
    assert OutgoingEmail.objects.count() == count  # a second load announces nothing again

    client.force_login(User.objects.get(email="practice.staff@northvale.example.nhs.uk"))
    html = client.get("/g/northvale/").content.decode()
    assert "Your to-do list" in html and "Vote in “" in html and "?from=home" in html
    assert "Signatory of " in html
