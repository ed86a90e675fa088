"""The demo shows every capability of issue 9's back-office work, made through the services."""

import pytest
from django.core.management import call_command

from gpvoice.core.models import AuditEntry, LeadershipGroup
from gpvoice.directory.models import Appointment
from gpvoice.governance.selectors import current_round, settings_for


@pytest.mark.django_db
def test_the_demo_sets_settings_extends_the_round_and_hands_over_a_signatory():
    call_command("load-demo")
    for group in LeadershipGroup.objects.all():
        actions = set(AuditEntry.objects.filter(group=group).values_list("action", flat=True))
        assert {
            "governance.settings.changed",
            "governance.mandate.extended",
            "governance.category.created",
            "directory.appointment.added",
            "directory.appointment.signatory_unset",
        } <= actions
        assert settings_for(group=group).delegation_grace_days == 21
        round = current_round(group=group)
        assert round is not None and round.number == 1
    # One practice in each group handed over to a new manager, who now acts for it.
    assert Appointment.objects.filter(title="Practice business manager", is_signatory=True).count() == 2
