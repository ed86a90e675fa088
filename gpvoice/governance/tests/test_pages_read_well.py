"""Governance pages that say what they mean: the terms being ratified, the roll beside the accounts."""

from __future__ import annotations

import pytest

from gpvoice.core.models import Role
from gpvoice.directory.tests.factories import PersonFactory
from gpvoice.governance.models import RollEntry, RollStatus


@pytest.mark.django_db
def test_mandate_page_links_to_the_terms_being_ratified(client, group, personas, open_round):
    client.force_login(personas[Role.CORE])
    html = client.get(f"/g/{group.slug}/mandate/").content.decode()
    assert f'href="/g/{group.slug}/terms/{open_round.terms_id}/"' in html


@pytest.mark.django_db
def test_roll_says_which_account_each_person_signs_in_with(client, group, personas):
    with_account = PersonFactory(full_name="Dr Has Account", user=personas[Role.PRACTICE_STAFF])
    without = PersonFactory(full_name="Dr No Account")
    for person in (with_account, without):
        RollEntry.objects.create(group=group, person=person, status=RollStatus.CORE)
    client.force_login(personas[Role.CORE])
    html = client.get(f"/g/{group.slug}/roll/").content.decode()
    assert "The roll is not the list of accounts" in html
    assert "Account: Practice staff" in html  # a core member on the roll, practice staff as an account
    assert html.count("No account in this group yet") == 1
